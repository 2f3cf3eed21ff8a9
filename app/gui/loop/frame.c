/* One frame of the window (see frame.h). UI thread. */
#include "app/gui/loop/frame.h"
#include "app/gui/commands/commands.h"
#include "app/gui/commands/help.h"
#include "app/gui/data/points.h"
#include "app/gui/data/session.h"
#include "app/gui/loop/events.h"
#include "app/gui/panels/bookmark.h"
#include "app/gui/panels/panels.h"
#include "app/gui/scene/input.h"
#include "app/gui/scene/scene.h"
#include "app/gui/scene/trails.h"
#include "app/gui/select/camera.h"
#include "app/gui/select/select.h"
#include "app/gui/views/views.h"
#include "model/base/clock.h"
#include <SDL.h>
#include <stdio.h>

/* A new published frame: the points move to it, the trails record it, the queries and views
 * follow it. */
static void follow_snapshot(GuiApp *g)
{
    gui_open_poll(g);
    gui_space_prepare(g);
    if (gui_take_snapshot(g)) {
        if (g->data.snap->rows == g->points.rows) {
            gui_points_new_snapshot(g);
            gui_trails_record(g);
            gui_refresh_queries(g);
        }
        gui_views_new_snapshot(g);
    }
    gui_bookmark_poll(g);
    gui_poll_errors(g);
}

/* The scene layer: drawn again only when something it shows changed (moving points or
 * camera, selection, snapshot, panels' rectangles...); otherwise the last one is copied, so
 * typing or a progress refresh does not re-splat a big cloud. */
static void draw_scene_layer(GuiApp *g, Canvas *c, bool moving)
{
    GuiSceneKey k;
    gui_scene_key(g, &k);
    if (!moving && layercache_restore(&g->space.layer, c, &k, sizeof k))
        return;
    if (g->views.view != GUI_VIEW_SPACE) { /* another view covers it: nothing to project */
        canvas_clear(c, GUI_BG);
        return;
    }
    gui_scene_project(g);
    gui_scene_draw(g);
    canvas_clear(c, GUI_BG);
    canvas_play(c, g->scene);
    /* the key after drawing: choosing labels may not change it, but hover can */
    gui_scene_key(g, &k);
    layercache_store(&g->space.layer, c, &k, sizeof k);
}

static void screenshot(GuiApp *g)
{
    g->want_screenshot = false;
    char path[64];
    snprintf(path, sizeof path, "embedscope-%llu.png", (unsigned long long)g->perf.frames_drawn);
    Err e = {{0}};
    if (win_screenshot(&g->win, path, &e))
        gui_set_status(g, false, "saved %s", path);
    else
        gui_set_status(g, true, "%s", e.msg);
}

/* The immediate-mode pass: panels claim their rectangles first, so the scene knows which
 * clicks are its own. */
static void layout(GuiApp *g)
{
    g->in.text[g->in.text_len] = 0;
    ui_begin(&g->ui, &g->in);
    gui_panels(g);
    if (g->show_help)
        gui_help_panel(g);
    if (g->views.view == GUI_VIEW_SPACE)
        gui_scene_input(g);
    gui_run_shortcuts(g);
    ui_end(&g->ui);
}

/* The frame's input can change what it has already drawn (see frame.h). */
static bool acts(const UiInput *in, int nshortcuts)
{
    bool clicks = false;
    for (int b = 0; b < 3; b++)
        clicks |= in->pressed[b] || in->released[b];
    return in->nkeys || in->text_len || nshortcuts || clicks || in->wheel != 0.f;
}

bool gui_frame(GuiApp *g)
{
    double t0 = clock_ms(), c0 = clock_thread_cpu_ms();
    bool again = acts(&g->in, g->nshortcuts);
    GuiPerf *p = &g->perf;
    p->last_frame_ms = t0;
    follow_snapshot(g);
    Canvas *c = win_begin(&g->win);
    cam_viewport(&g->cam, c->w, c->h);
    draw_clear(g->scene);
    draw_clear(g->overlay);
    layout(g);
    bool moving = g->points.animating || g->fly.flying || !g->data.snap;
    gui_fly_update(g);
    gui_points_animate(g);
    if (g->proj.reframe && !g->points.animating) {
        g->proj.reframe = false;
        gui_reframe(g);
    }
    draw_scene_layer(g, c, moving);
    canvas_play(c, g->overlay);
    if (g->want_screenshot)
        screenshot(g);
    win_present(&g->win);
    if (g->ui.focus) { /* IME candidate windows open at the search box */
        SDL_Rect r = {12, 12, 360, (int)((float)g->ui.line_h / g->win.scale) + 10}; /* logical px */
        SDL_SetTextInputRect(&r);
    }
    gui_input_consumed(g);
    p->frame_ms[p->frames_drawn % GUI_FRAME_RING] = clock_ms() - t0;
    p->frame_cpu_ms[p->frames_drawn % GUI_FRAME_RING] = clock_thread_cpu_ms() - c0;
    p->frames_drawn++;
    return again;
}
