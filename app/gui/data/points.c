/* Displayed positions and their interpolation (see points.h). UI thread; the interpolation
 * runs on the UI pool. */
#include "app/gui/data/points.h"
#include "app/gui/data/proj.h"
#include "model/base/clock.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GUI_ANIM_MS 220.0

bool gui_points_alloc(GuiApp *g, int64_t rows)
{
    GuiPoints *p = &g->points;
    gui_points_free(g);
    size_t n = (size_t)rows * 3;
    p->from = calloc(n, sizeof(float));
    p->to = calloc(n, sizeof(float));
    p->cur = calloc(n, sizeof(float));
    if (!p->from || !p->to || !p->cur) {
        gui_points_free(g);
        return false;
    }
    p->rows = rows;
    screen_init(&p->lerp, g->data.pool, 0);
    return true;
}

void gui_points_free(GuiApp *g)
{
    GuiPoints *p = &g->points;
    free(p->from);
    free(p->to);
    free(p->cur);
    p->from = p->to = p->cur = NULL;
    p->rows = 0;
    p->animating = false;
}

void gui_points_new_snapshot(GuiApp *g)
{
    GuiPoints *p = &g->points;
    const LiveSnapshot *f = g->data.snap;
    if (!f || f->rows != p->rows)
        return;
    size_t bytes = (size_t)p->rows * 3 * sizeof(float);
    bool first = p->anim_start == 0;
    memcpy(p->from, p->cur, bytes);
    gui_proj_targets(g, p->to);
    if (first) {
        memcpy(p->from, p->to, bytes);
        memcpy(p->cur, p->to, bytes);
        cam_home(&g->cam, glms_vec3_zero(), 1.7f);
        p->moves++;
    }
    p->anim_start = clock_ms();
    p->animating = !first;
    p->anim_s = first ? 1.f : 0.f;
}

float gui_smooth(float t) { return t * t * (3.f - 2.f * t); }

bool gui_points_animate(GuiApp *g)
{
    GuiPoints *p = &g->points;
    if (!p->animating)
        return false;
    float t = (float)((clock_ms() - p->anim_start) / GUI_ANIM_MS);
    if (t >= 1.f) {
        t = 1.f;
        p->animating = false;
    }
    p->anim_s = gui_smooth(t);
    screen_lerp(&p->lerp, p->cur, p->from, p->to, (size_t)p->rows * 3, p->anim_s);
    p->moves++;
    return true;
}

vec3s gui_pos(const GuiApp *g, int64_t i)
{
    const float *q = &g->points.cur[i * 3];
    return (vec3s){{q[0], q[1], g->two_d ? 0.f : q[2]}};
}
