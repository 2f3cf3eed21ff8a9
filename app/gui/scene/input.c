/* Mouse gestures on the embedding space (see input.h). UI thread. */
#include "app/gui/scene/input.h"
#include "app/gui/scene/scene.h"
#include "app/gui/select/camera.h"
#include "app/gui/select/select.h"
#include "model/base/clock.h"
#include <math.h>

void gui_scene_input(GuiApp *g)
{
    const UiInput *in = &g->ui.in;
    bool over_ui = ui_over(&g->ui, in->mx, in->my);
    bool any_drag = g->space.dragging[0] || g->space.dragging[1];
    g->sel.hover = over_ui && !any_drag ? -1 : gui_scene_pick(g, in->mx, in->my, 8.f * g->win.scale);
    if (!over_ui && in->wheel != 0.f) {
        cam_zoom_at(&g->cam, powf(0.85f, in->wheel), in->mx, in->my);
        g->fly.follow = false;
        g->fly.flying = false;
    }
    /* from where the button went down: the pointer may have moved on within the frame */
    for (int b = 0; b < 2; b++)
        if (in->pressed[b] && !ui_over(&g->ui, in->press_x[b], in->press_y[b]) && !g->ui.active) {
            g->space.dragging[b] = true;
            g->space.drag_x = in->press_x[b];
            g->space.drag_y = in->press_y[b];
            if (b == 0) {
                g->space.click_pending = true;
                g->space.press_x = in->press_x[b];
                g->space.press_y = in->press_y[b];
            }
        }
    if (g->space.dragging[0] || g->space.dragging[1]) {
        float dx = in->mx - g->space.drag_x, dy = in->my - g->space.drag_y;
        if (g->space.click_pending && fabsf(in->mx - g->space.press_x) + fabsf(in->my - g->space.press_y) > 4.f)
            g->space.click_pending = false;
        if ((dx != 0.f || dy != 0.f) && !g->space.click_pending) {
            if (g->space.dragging[1] || g->two_d || in->shift) {
                cam_pan(&g->cam, dx, dy);
                g->fly.follow = false;
            }
            else
                cam_orbit(&g->cam, g->space.drag_x, g->space.drag_y, in->mx, in->my);
            g->space.drag_x = in->mx;
            g->space.drag_y = in->my;
            g->fly.flying = false;
        }
    }
    if (in->released[1])
        g->space.dragging[1] = false;
    if (in->released[0] && g->space.dragging[0]) {
        g->space.dragging[0] = false;
        if (g->space.click_pending) {
            g->space.click_pending = false;
            int64_t hit = gui_scene_pick(g, in->mx, in->my, 8.f * g->win.scale);
            double now = clock_ms();
            if (hit >= 0 && hit == g->space.last_click_word && now - g->space.last_click_ms < 400) {
                gui_fit_selection(g);
            } else if (hit >= 0 && in->ctrl) {
                gui_select_toggle(g, hit);
            } else if (hit >= 0) {
                gui_select(g, hit);
            } else {
                gui_select(g, -1);
            }
            g->space.last_click_word = hit;
            g->space.last_click_ms = now;
        }
    }
}
