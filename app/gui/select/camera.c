/* Camera moves (see camera.h). UI thread. */
#include "app/gui/select/camera.h"
#include "app/gui/data/points.h"
#include "model/base/clock.h"
#include <math.h>

#define GUI_FLY_MS 350.0

/* Starts a flight of the view's target and distance (the rotation stays). */
static void fly(GuiApp *g, vec3s to, float dist)
{
    g->fly.from = g->cam.target;
    g->fly.dist_from = g->cam.dist;
    g->fly.to = to;
    g->fly.dist_to = dist;
    g->fly.start = clock_ms();
    g->fly.flying = true;
    g->fly.follow = false;
}

/* Flies the camera to frame words[0..n) (their centroid, radius to the farthest) in the part
 * of the window that no panel covers, so that a framed word is not drawn under the right
 * column. */
void gui_fly_to(GuiApp *g, const int64_t *words, int n)
{
    if (n <= 0 || !g->data.snap)
        return;
    vec3s c = glms_vec3_zero();
    for (int j = 0; j < n; j++)
        c = glms_vec3_add(c, gui_pos(g, words[j]));
    c = glms_vec3_scale(c, 1.f / (float)n);
    float r = 0.15f;
    for (int j = 0; j < n; j++)
        r = fmaxf(r, glms_vec3_distance(c, gui_pos(g, words[j])));
    Cam tmp = g->cam;
    float fr[4];
    ui_free_rect(&g->ui, (float)g->cam.vw, (float)g->cam.vh, fr);
    cam_fit_rect(&tmp, c, r * 1.5f, fr[0], fr[1], fr[2], fr[3]);
    fly(g, tmp.target, tmp.dist);
}

/* gui_fit_selection's flight; false when there is nothing to frame (no selection, no pinned
 * analogy with an answer). */
static bool fit_selection(GuiApp *g)
{
    int64_t w[1 + GUI_MAX_EXTRA + GUI_MAX_K];
    int n = 0;
    if (g->sel.selected < 0 && g->sel.npins) { /* no selection: the newest pinned analogy */
        const GuiPin *p = &g->sel.pins[g->sel.npins - 1];
        if (!p->q.is_analogy || !p->nans)
            return false;
        int64_t q[4] = {p->q.a, p->q.b, p->q.c, p->ans[0].index};
        gui_fly_to(g, q, 4);
        return true;
    }
    if (g->sel.selected < 0)
        return false;
    w[n++] = g->sel.selected;
    for (int j = 0; j < g->sel.nextra; j++)
        w[n++] = g->sel.extra[j];
    for (int j = 0; j < g->sel.nnbrs; j++)
        w[n++] = g->sel.nbrs[j].index;
    gui_fly_to(g, w, n);
    g->fly.follow = true;
    g->fly.follow_offset = glms_vec3_sub(g->fly.to, gui_pos(g, g->sel.selected));
    return true;
}

void gui_fit_selection(GuiApp *g) { fit_selection(g); }

bool gui_fly_update(GuiApp *g)
{
    double now = clock_ms();
    if (g->fly.follow && g->sel.selected >= 0) {
        vec3s anchor = glms_vec3_add(gui_pos(g, g->sel.selected), g->fly.follow_offset);
        if (g->fly.flying)
            g->fly.to = anchor;
        else
            g->cam.target = anchor;
    }
    if (g->fly.flying) {
        float t = (float)((now - g->fly.start) / GUI_FLY_MS);
        if (t >= 1.f) {
            t = 1.f;
            g->fly.flying = false;
        }
        float s = gui_smooth(t);
        g->cam.target = glms_vec3_lerp(g->fly.from, g->fly.to, s);
        g->cam.dist = g->fly.dist_from + (g->fly.dist_to - g->fly.dist_from) * s;
    }
    return g->fly.flying;
}

void gui_set_2d(GuiApp *g, bool two_d)
{
    g->two_d = two_d;
    cam_set_2d(&g->cam, two_d);
    gui_set_status(g, false, "%s view", two_d ? "2D" : "3D");
}

void gui_reframe(GuiApp *g)
{
    /* nothing to follow: the whole cloud, as a reset frames it, turned as the user left it */
    if (!fit_selection(g))
        fly(g, g->cam.home_target, g->cam.home_dist);
}

void gui_reset_view(GuiApp *g)
{
    cam_reset(&g->cam);
    g->fly.flying = false;
    g->fly.follow = false;
    gui_set_status(g, false, "view reset");
}
