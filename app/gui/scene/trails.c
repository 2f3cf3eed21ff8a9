/* Word trails: the path each selected word's point took over the last snapshots, so the user
 * sees where a word came from. Every snapshot's scene positions are kept in a ring for all
 * words (so a word selected now shows its past at once); the ring holds up to GUI_TRAIL_MAX
 * snapshots, fewer for big vocabularies (at most GUI_TRAIL_FLOATS floats). UI thread. */
#include "app/gui/scene/trails.h"
#include <stdlib.h>
#include <string.h>

#define GUI_TRAIL_FLOATS (24u << 20) /* 96 MB */

void gui_trails_free(GuiApp *g)
{
    bool hidden = g->space.trails.hidden; /* the user's choice outlives the data */
    free(g->space.trails.ring);
    memset(&g->space.trails, 0, sizeof g->space.trails);
    g->space.trails.hidden = hidden;
}

/* g->points.to holds the new snapshot's positions: push them. */
void gui_trails_record(GuiApp *g)
{
    GuiTrails *t = &g->space.trails;
    if (g->points.rows <= 0)
        return;
    size_t per = (size_t)g->points.rows * 3;
    if (!t->ring || t->rows != g->points.rows) {
        free(t->ring);
        t->ring = NULL;
        t->rows = g->points.rows;
        t->n = t->head = 0;
        t->cap = (int)(GUI_TRAIL_FLOATS / per < GUI_TRAIL_MAX ? GUI_TRAIL_FLOATS / per : GUI_TRAIL_MAX);
        if (t->cap < 2 || !(t->ring = malloc((size_t)t->cap * per * sizeof(float)))) {
            t->cap = 0; /* too big to keep two snapshots: no trails */
            return;
        }
    }
    memcpy(t->ring + (size_t)t->head * per, g->points.to, per * sizeof(float));
    t->head = (t->head + 1) % t->cap;
    if (t->n < t->cap)
        t->n++;
}

/* Snapshots kept for word i (0 when trails are off), oldest first into xyz ((n, 3)). */
int gui_trail(const GuiApp *g, int64_t i, float *xyz)
{
    const GuiTrails *t = &g->space.trails;
    if (!t->ring || i < 0 || i >= t->rows)
        return 0;
    for (int k = 0; k < t->n; k++) {
        int slot = (t->head - t->n + k + t->cap) % t->cap;
        const float *p = t->ring + (size_t)slot * (size_t)t->rows * 3 + (size_t)i * 3;
        xyz[k * 3] = p[0];
        xyz[k * 3 + 1] = p[1];
        xyz[k * 3 + 2] = g->two_d ? 0.f : p[2];
    }
    return t->n;
}


