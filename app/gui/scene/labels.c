/* Word labels without overlaps (see labels.h). UI thread. */
#include "app/gui/scene/labels.h"
#include "app/gui/scene/regionlabels.h"
#include "app/gui/select/match.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRID 4 /* pixels per cell of the label occupancy grid */

/* Occupancy of a grid cell: panels, the axes and unforced labels; forced labels. */
#define CELL_USED 1
#define CELL_FORCED 2

/* No cell of [x0, x1] x [y0, y1] is above limit. */
static bool grid_free(const GuiApp *g, int x0, int y0, int x1, int y1, uint8_t limit)
{
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
            if (g->space.cell[y * g->space.grid_w + x] > limit)
                return false;
    return true;
}

/* Grid cells {x0, y0, x1, y1} under a label box at (x, y); false when it is off screen. */
static bool box_cells(const GuiApp *g, float x, float y, float tw, float th, int r[4])
{
    if (x + tw < 0 || y + th < 0 || x >= (float)g->cam.vw || y >= (float)g->cam.vh)
        return false;
    r[0] = (int)fmaxf(0, x / GRID);
    r[1] = (int)fmaxf(0, y / GRID);
    r[2] = (int)fminf((float)g->space.grid_w - 1, (x + tw) / GRID);
    r[3] = (int)fminf((float)g->space.grid_h - 1, (y + th - 2) / GRID);
    return true;
}

/* Where a forced label goes: right of its point, or else left, above or below, whichever
 * does not cover another forced label (the words of an analogy often sit close together,
 * man and woman nearly on top of each other in 2D); right when every side is taken. */
static bool forced_spot(const GuiApp *g, const DrawPoint *p, float tw, float th, float *x,
                        float *y, int r[4])
{
    float gap = p->radius + 3;
    const float spots[4][2] = {{p->x + gap, p->y - th * 0.5f}, {p->x - gap - tw, p->y - th * 0.5f},
                               {p->x - tw * 0.5f, p->y - gap - th}, {p->x - tw * 0.5f, p->y + gap}};
    for (int k = 0; k < 4; k++)
        if (box_cells(g, spots[k][0], spots[k][1], tw, th, r) &&
            grid_free(g, r[0], r[1], r[2], r[3], CELL_USED)) {
            *x = spots[k][0];
            *y = spots[k][1];
            return true;
        }
    *x = spots[0][0];
    *y = spots[0][1];
    return box_cells(g, *x, *y, tw, th, r);
}

/* Places word i's label right of its point if the cells are free (forced: see forced_spot). */
static bool place_label(GuiApp *g, int64_t i, bool force)
{
    if (g->space.nlabels >= GUI_MAX_LABELS || g->space.depth[i] <= 0)
        return false;
    /* only the priority labels (placed first, a few dozen) can repeat a word */
    for (int j = 0; j < g->space.nlabels && j < g->space.npriority; j++)
        if (g->space.labels[j] == i)
            return true;
    float px = g->space.pts[i].x, py = g->space.pts[i].y;
    if (px < -400.f || py < -50.f || px >= (float)g->cam.vw || py >= (float)g->cam.vh + 50.f)
        return false;
    const char *s = gui_word(g, i);
    float tw = (float)font_width(&g->win.label_font, s, strlen(s));
    float th = (float)g->win.label_font.height;
    float x = g->space.pts[i].x + g->space.pts[i].radius + 3, y = g->space.pts[i].y - th * 0.5f;
    int r[4];
    if (force ? !forced_spot(g, &g->space.pts[i], tw, th, &x, &y, r) : !box_cells(g, x, y, tw, th, r))
        return false;
    /* one free cell of margin around unforced labels keeps dense regions readable */
    if (!force && !grid_free(g, r[0] > 0 ? r[0] - 1 : 0, r[1], r[2] + 1 < g->space.grid_w ? r[2] + 1 : r[2],
                             r[3], 0))
        return false;
    if (force)
        g->space.nforced = g->space.nlabels + 1; /* forced labels come first */
    for (int yy = r[1]; yy <= r[3]; yy++)
        memset(&g->space.cell[yy * g->space.grid_w + r[0]], force ? CELL_FORCED : CELL_USED,
               (size_t)(r[2] - r[0] + 1));
    g->space.labels[g->space.nlabels] = i;
    float *b = g->space.label_box[g->space.nlabels++];
    b[0] = x;
    b[1] = y;
    b[2] = tw;
    b[3] = th;
    return true;
}

void gui_labels_choose(GuiApp *g)
{
    g->space.nlabels = 0;
    g->space.nforced = 0;
    g->space.npriority = GUI_MAX_LABELS; /* while placing the priority labels, check them all */
    int gw = g->cam.vw / GRID + 1, gh = g->cam.vh / GRID + 1;
    if (gw != g->space.grid_w || gh != g->space.grid_h || !g->space.cell) {
        free(g->space.cell);
        g->space.cell = malloc((size_t)gw * (size_t)gh);
        g->space.grid_w = gw;
        g->space.grid_h = gh;
        if (!g->space.cell)
            return;
    }
    memset(g->space.cell, 0, (size_t)gw * (size_t)gh);
    /* UI panels are not label space */
    for (int r = 0; r < g->ui.nrects; r++) {
        const float *q = g->ui.rects[r];
        int x0 = (int)fmaxf(0, q[0] / GRID), y0 = (int)fmaxf(0, q[1] / GRID);
        int x1 = (int)fminf((float)gw - 1, (q[0] + q[2]) / GRID);
        int y1 = (int)fminf((float)gh - 1, (q[1] + q[3]) / GRID);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                g->space.cell[y * gw + x] = CELL_USED;
    }
    /* nor is the axes gizmo in the bottom-left corner */
    int ax1 = (int)fminf((float)gw - 1, 175.f * g->win.scale / GRID);
    int ay0 = (int)fmaxf(0.f, ((float)g->cam.vh - 125.f * g->win.scale) / GRID);
    for (int y = ay0; y < gh; y++)
        memset(&g->space.cell[y * gw], CELL_USED, (size_t)ax1 + 1);
    /* nor are the region names' plates (placed first: they say what the words around mean) */
    gui_region_labels_reserve(g, g->space.cell, gw, gh, GRID, CELL_USED);
    if (g->sel.hover >= 0)
        place_label(g, g->sel.hover, true);
    if (g->sel.selected >= 0)
        place_label(g, g->sel.selected, true);
    for (int j = 0; j < g->sel.nextra; j++)
        place_label(g, g->sel.extra[j], true);
    for (int p = 0; p < g->sel.npins; p++) {
        const GuiPin *pin = &g->sel.pins[p];
        if (pin->q.is_analogy) {
            place_label(g, pin->q.a, true);
            place_label(g, pin->q.b, true);
            place_label(g, pin->q.c, true);
        }
        if (pin->nans)
            place_label(g, pin->ans[0].index, true);
    }
    for (int j = 0; j < g->sel.nnbrs; j++)
        place_label(g, g->sel.nbrs[j].index, false);
    g->space.npriority = g->space.nlabels;
    /* Then by frequency (row order), capped so a huge vocabulary costs bounded time; fewer
     * while something is selected, so the selection stands out; only the words a spelling
     * query marked while there is one. */
    bool focus = g->sel.selected >= 0 || g->sel.npins > 0;
    bool matching = g->match.mask != NULL;
    int64_t scan = g->points.rows < 20000 || matching ? g->points.rows : 20000;
    int cap = focus ? g->space.nlabels + 40 : GUI_MAX_LABELS;
    for (int64_t i = 0; i < scan && g->space.nlabels < cap; i++)
        if (!matching || gui_match_has(g, i))
            place_label(g, i, false);
}
