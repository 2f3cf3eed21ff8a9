/* Colouring the points by frequency or movement (see colorby.h). UI thread. */
#include "app/gui/scene/colorby.h"
#include "render/colormap.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[GUI_COLOR_COUNT] = {"cluster", "frequency", "movement"};

void gui_colorby_next(GuiApp *g)
{
    GuiColorBy *c = &g->space.color;
    c->mode = (c->mode + 1) % GUI_COLOR_COUNT;
    c->made_seq = 0;
    gui_set_status(g, false, "colour by %s%s", names[c->mode],
                   c->mode == GUI_COLOR_FREQUENCY && !g->data.trainer ? " (rank: the file's order)" :
                   c->mode == GUI_COLOR_MOVEMENT ? " at the last snapshot" : "");
}

void gui_colorby_free(GuiApp *g)
{
    GuiColorBy *c = &g->space.color;
    free(c->colors);
    free(c->value);
    c->colors = NULL;
    c->value = NULL;
    c->cap = 0;
}

/* value[i] for the mode into c->colors via viridis over [lo, hi]. */
static void paint(GuiColorBy *c, const float *value, int64_t rows)
{
    float lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < rows; i++) {
        lo = fminf(lo, value[i]);
        hi = fmaxf(hi, value[i]);
    }
    if (!(hi > lo))
        hi = lo + 1;
    for (int64_t i = 0; i < rows; i++)
        c->colors[i] = cmap_color(CMAP_SEQUENTIAL, (value[i] - lo) / (hi - lo));
    c->lo = lo;
    c->hi = hi;
}

const uint32_t *gui_colorby_colors(GuiApp *g)
{
    GuiColorBy *c = &g->space.color;
    int64_t rows = g->points.rows;
    if (c->mode == GUI_COLOR_CLUSTER || rows <= 0 || !g->data.snap)
        return NULL;
    if (c->colors && c->made_seq == g->data.snap_seq && c->made_gen == g->data.generation &&
        c->made_mode == c->mode)
        return c->colors;
    if (c->cap < rows) {
        uint32_t *p = realloc(c->colors, (size_t)rows * sizeof *p);
        float *v = realloc(c->value, (size_t)rows * sizeof *v);
        if (!p || !v) {
            c->colors = p ? p : c->colors;
            c->value = v ? v : c->value;
            return NULL;
        }
        c->colors = p;
        c->value = v;
        c->cap = rows;
    }
    const Vocab *voc = gui_vocab(g);
    for (int64_t i = 0; i < rows; i++) {
        if (c->mode == GUI_COLOR_FREQUENCY) /* counts when trained here, else the rank */
            c->value[i] = g->data.trainer && i < voc->size ? log10f((float)voc->counts[i] + 1.f)
                                                         : -log10f((float)i + 1.f);
        else {
            const float *a = g->points.from + i * 3, *b = g->points.to + i * 3;
            c->value[i] = sqrtf((b[0] - a[0]) * (b[0] - a[0]) + (b[1] - a[1]) * (b[1] - a[1]) +
                                (b[2] - a[2]) * (b[2] - a[2]));
        }
    }
    paint(c, c->value, rows);
    c->made_seq = g->data.snap_seq;
    c->made_gen = g->data.generation;
    c->made_mode = c->mode;
    return c->colors;
}

float gui_colorby_legend(GuiApp *g, float x, float y, float w)
{
    GuiColorBy *c = &g->space.color;
    if (c->mode == GUI_COLOR_CLUSTER || !c->colors)
        return 0;
    Ui *ui = &g->ui;
    ui_panel_begin(ui, x, y, w);
    bool rank = c->mode == GUI_COLOR_FREQUENCY && !g->data.trainer;
    const char *what = c->mode == GUI_COLOR_MOVEMENT ? "moved at the last snapshot" :
                       rank ? "frequency rank, -log10" : "log10 count";
    ui_row(ui, "Colour", what, ui->theme.dim);
    float h = cmap_legend(ui->dl, CMAP_SEQUENTIAL, c->lo, c->hi, ui->px + ui->pad, ui->cy, w - 2 * ui->pad,
                          10 * g->win.scale, ui->text_width, ui->text_ctx, ui->line_h, ui->theme.dim);
    ui_space(ui, h + 4);
    ui_label(ui, "K: colour by cluster", ui->theme.dim);
    return ui_panel_end(ui);
}
