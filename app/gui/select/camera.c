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

/* The window's part that the panels leave free, as (x, y, w, h) pixels. Each panel, the
 * largest first, is cut away by the side that keeps the most of what is still free: the
 * rectangle ends left of it, right of it, above or below it. Whichever side is taken, no
 * panel overlaps what is left, and the right column goes by the right (a narrow window's
 * training panel may go by the top instead: the free part is then left of the column's
 * lower panels and below that one). A panel over the whole window (the open dialog) is
 * ignored; if the panels leave less than a quarter of either side, the window is used. */
static void free_rect(const GuiApp *g, float r[4])
{
    float vw = (float)g->cam.vw, vh = (float)g->cam.vh, f[4] = {0, 0, vw, vh}; /* x0 y0 x1 y1 */
    bool done[UI_MAX_RECTS] = {false};
    for (int n = 0; n < g->ui.nrects; n++) {
        int pick = -1;
        for (int i = 0; i < g->ui.nrects; i++) /* the largest panel not yet cut away */
            if (!done[i] && (pick < 0 || g->ui.rects[i][2] * g->ui.rects[i][3] >
                                             g->ui.rects[pick][2] * g->ui.rects[pick][3]))
                pick = i;
        done[pick] = true;
        const float *q = g->ui.rects[pick];
        float x0 = q[0], y0 = q[1], x1 = q[0] + q[2], y1 = q[1] + q[3];
        if ((q[2] >= 0.9f * vw && q[3] >= 0.9f * vh) || x1 <= f[0] || x0 >= f[2] || y1 <= f[1] || y0 >= f[3])
            continue; /* a modal, or already outside */
        /* the free area left by each cut: right of it, left of it, below it, above it */
        float w = f[2] - f[0], h = f[3] - f[1];
        float keep[4] = {(f[2] - x1) * h, (x0 - f[0]) * h, (f[3] - y1) * w, (y0 - f[1]) * w};
        int side = 0;
        for (int k = 1; k < 4; k++)
            side = keep[k] > keep[side] ? k : side;
        if (side == 0)
            f[0] = x1;
        else if (side == 1)
            f[2] = x0;
        else if (side == 2)
            f[1] = y1;
        else
            f[3] = y0;
    }
    if (f[2] - f[0] < vw / 4 || f[3] - f[1] < vh / 4)
        f[0] = f[1] = 0, f[2] = vw, f[3] = vh;
    r[0] = f[0], r[1] = f[1], r[2] = f[2] - f[0], r[3] = f[3] - f[1];
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
    free_rect(g, fr);
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
