/* Colouring the points by frequency, movement or a metadata column, with its legend and the
 * legend's picks (see colorby.h). UI thread. */
#include "app/gui/scene/colorby.h"
#include "app/gui/data/metadata.h"
#include "app/gui/select/match.h"
#include "render/colormap.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[GUI_COLOR_COUNT] = {"cluster", "frequency", "movement"};

/* The colourings on offer: the three, then one per metadata column after the key. */
static int nmodes(const GuiApp *g)
{
    const Meta *m = gui_metadata(g);
    return GUI_COLOR_COUNT + (m ? m->ncols - 1 : 0);
}

const MetaColumn *gui_colorby_column(const GuiApp *g)
{
    const Meta *m = gui_metadata(g);
    int k = (int)g->space.color.mode - GUI_COLOR_METADATA + 1;
    return m && k >= 1 && k < m->ncols ? &m->col[k] : NULL;
}

const char *gui_colorby_name(const GuiApp *g)
{
    const MetaColumn *col = gui_colorby_column(g);
    int mode = (int)g->space.color.mode;
    return col ? col->name : mode >= 0 && mode < GUI_COLOR_COUNT ? names[mode] : "cluster";
}

/* Is the spelling mask the pick of legend entry `picked`? (A query typed since, or Esc,
 * replaced or cleared it.) */
static bool pick_shown(const GuiApp *g, char *label, size_t cap);

static void set_mode(GuiApp *g, int mode)
{
    GuiColorBy *c = &g->space.color;
    char label[sizeof g->match.text];
    if (c->picked && pick_shown(g, label, sizeof label)) /* its words belong to the old colouring */
        gui_match_clear(g);
    c->mode = (GuiColorMode)mode;
    c->made_seq = 0;
    c->picked = 0;
    const MetaColumn *col = gui_colorby_column(g);
    if (col && col->kind == META_CATEGORICAL)
        gui_set_status(g, false, "colour by %s: %d values%s (click a legend entry to pick its words)",
                       col->name, col->ncat, col->other ? ", the rarest grouped as other" : "");
    else if (col)
        gui_set_status(g, false, "colour by %s: numbers from %.4g to %.4g (viridis)", col->name,
                       (double)col->lo, (double)col->hi);
    else
        gui_set_status(g, false, "colour by %s%s", names[c->mode],
                       c->mode == GUI_COLOR_FREQUENCY && !g->data.trainer ? " (rank: the file's order)" :
                       c->mode == GUI_COLOR_MOVEMENT ? " at the last snapshot" : "");
}

void gui_colorby_next(GuiApp *g) { set_mode(g, ((int)g->space.color.mode + 1) % nmodes(g)); }

static void colorby_prev(GuiApp *g)
{
    int n = nmodes(g);
    set_mode(g, ((int)g->space.color.mode + n - 1) % n);
}

bool gui_colorby_set(GuiApp *g, const char *what, Err *e)
{
    bool meta_only = !strncmp(what, "metadata ", 9); /* a column may be called "cluster" */
    what += meta_only ? 9 : 0;
    for (int k = meta_only ? GUI_COLOR_METADATA : 0; k < nmodes(g); k++) {
        const Meta *m = gui_metadata(g);
        const char *name = k < GUI_COLOR_COUNT ? names[k] : m->col[k - GUI_COLOR_METADATA + 1].name;
        if (!strcmp(name, what)) {
            set_mode(g, k);
            return true;
        }
    }
    const Meta *m = gui_metadata(g);
    char cols[200] = "";
    size_t o = 0;
    for (int k = 1; m && k < m->ncols && o + 1 < sizeof cols; k++) {
        int n = snprintf(cols + o, sizeof cols - o, ", %s", m->col[k].name);
        o = n < 0 ? sizeof cols : o + (size_t)n;
    }
    return err_set(e, "no colouring '%s': cluster, frequency, movement%s", what,
                   m ? cols : " (no metadata loaded)");
}

void gui_colorby_free(GuiApp *g)
{
    GuiColorBy *c = &g->space.color;
    free(c->colors);
    free(c->value);
    c->colors = NULL;
    c->value = NULL;
    c->cap = 0; /* the metadata stays: it is matched to the data (gui_data_free frees it) */
}

/* The legend entry of word i in a categorical column: a category, or ncat for no value. */
static int entry_of(const GuiColorBy *c, const MetaColumn *col, int64_t i)
{
    int64_t r = i < c->meta_words ? c->meta_row[i] : -1;
    int k = r < 0 ? META_MISSING : col->code[r];
    return k == META_MISSING ? col->ncat : k;
}

static uint32_t entry_color(const MetaColumn *col, int k)
{
    return k >= col->ncat ? CMAP_NONE : col->other && k == col->ncat - 1 ? CMAP_OTHER : cmap_category(k);
}

static const char *entry_name(const MetaColumn *col, int k)
{
    return k >= col->ncat ? "(no value)" : col->cat[k].name;
}

/* value[i] for the mode into c->colors via viridis over [lo, hi] of the values there are
 * (NaN: no value, dark grey; counted in count[0]). */
static void paint(GuiColorBy *c, const float *value, int64_t rows)
{
    float lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < rows; i++) {
        lo = fminf(lo, value[i]);
        hi = fmaxf(hi, value[i]);
    }
    if (!(lo <= hi))
        lo = hi = 0;
    float span = hi > lo ? hi - lo : 1;
    c->count[0] = 0;
    for (int64_t i = 0; i < rows; i++) {
        bool none = !(value[i] == value[i]);
        c->colors[i] = none ? CMAP_NONE : cmap_color(CMAP_POINTS, (value[i] - lo) / span);
        c->count[0] += none;
    }
    c->lo = lo;
    c->hi = hi > lo ? hi : lo + 1;
}

/* What each word's colour says, for the modes drawn on viridis. */
static void values(GuiApp *g, GuiColorBy *c, const MetaColumn *col, int64_t rows)
{
    const Vocab *voc = gui_vocab(g);
    for (int64_t i = 0; i < rows; i++) {
        if (col) {
            int64_t r = i < c->meta_words ? c->meta_row[i] : -1;
            c->value[i] = r < 0 ? NAN : col->num[r];
        } else if (c->mode == GUI_COLOR_FREQUENCY) { /* counts when trained here, else the rank */
            c->value[i] = g->data.trainer && i < voc->size ? log10f((float)voc->counts[i] + 1.f)
                                                         : -log10f((float)i + 1.f);
        } else {
            const float *a = g->points.from + i * 3, *b = g->points.to + i * 3;
            c->value[i] = sqrtf((b[0] - a[0]) * (b[0] - a[0]) + (b[1] - a[1]) * (b[1] - a[1]) +
                                (b[2] - a[2]) * (b[2] - a[2]));
        }
    }
}

static bool reserve(GuiColorBy *c, int64_t rows)
{
    if (c->cap >= rows)
        return true;
    uint32_t *p = realloc(c->colors, (size_t)rows * sizeof *p);
    c->colors = p ? p : c->colors;
    float *v = realloc(c->value, (size_t)rows * sizeof *v);
    c->value = v ? v : c->value;
    if (!p || !v)
        return false;
    c->cap = rows;
    return true;
}

const uint32_t *gui_colorby_colors(GuiApp *g)
{
    GuiColorBy *c = &g->space.color;
    int64_t rows = g->points.rows;
    const MetaColumn *col = gui_colorby_column(g);
    if (c->mode >= GUI_COLOR_METADATA && !col) /* its metadata went with the data it was for */
        c->mode = GUI_COLOR_CLUSTER;
    if (c->mode == GUI_COLOR_CLUSTER || rows <= 0 || !g->data.snap)
        return NULL;
    if (c->colors && c->made_seq == g->data.snap_seq && c->made_gen == g->data.generation &&
        c->made_mode == c->mode)
        return c->colors;
    if (!reserve(c, rows))
        return NULL;
    if (col && col->kind == META_CATEGORICAL) {
        memset(c->count, 0, sizeof c->count);
        for (int64_t i = 0; i < rows; i++) {
            int k = entry_of(c, col, i);
            c->colors[i] = entry_color(col, k);
            c->count[k]++;
        }
        c->nentries = col->ncat + (c->count[col->ncat] > 0);
    } else {
        values(g, c, col, rows);
        paint(c, c->value, rows);
        c->nentries = 0;
    }
    c->made_seq = g->data.snap_seq;
    c->made_gen = g->data.generation;
    c->made_mode = c->mode;
    return c->colors;
}

/* ---- picks ---- */

static bool pick_shown(const GuiApp *g, char *label, size_t cap)
{
    const GuiColorBy *c = &g->space.color;
    const MetaColumn *col = gui_colorby_column(g);
    if (!col || col->kind != META_CATEGORICAL || !c->picked || !g->match.mask)
        return false;
    snprintf(label, cap, "%s = %s", col->name, entry_name(col, c->picked - 1));
    return !strcmp(label, g->match.text) && g->match.data_gen == g->data.generation;
}

bool gui_colorby_pick(GuiApp *g, int k)
{
    GuiColorBy *c = &g->space.color;
    GuiMatch *m = &g->match;
    const MetaColumn *col = gui_colorby_column(g);
    const Vocab *v = gui_vocab(g);
    if (!col || col->kind != META_CATEGORICAL || k < 0 || k >= c->nentries || !c->colors)
        return false;
    char label[sizeof m->text];
    if (c->picked == k + 1 && pick_shown(g, label, sizeof label)) {
        if (!m->filter) { /* the second click hides the others, the third shows all */
            m->filter = true;
            m->generation++;
            gui_set_status(g, false, "%s: %lld words; the others are hidden (click again: show all)",
                           label, (long long)m->n);
        } else {
            gui_match_clear(g);
            c->picked = 0;
            gui_set_status(g, false, "all words shown");
        }
        return true;
    }
    uint8_t *mask = calloc((size_t)(v->size ? v->size : 1), 1);
    if (!mask) {
        gui_set_status(g, true, "out of memory for %lld words", (long long)v->size);
        return false;
    }
    int64_t n = 0;
    for (int64_t i = 0; i < v->size; i++) {
        mask[i] = entry_of(c, col, i) == k;
        n += mask[i];
    }
    free(m->mask); /* replaces a spelling query as a new one would */
    *m = (GuiMatch){.mask = mask, .rows = v->size, .n = n, .generation = m->generation + 1,
                    .data_gen = g->data.generation};
    c->picked = k + 1;
    snprintf(m->text, sizeof m->text, "%s = %s", col->name, entry_name(col, k));
    gui_set_status(g, false, "%s: %lld words (click again hides the others; Esc clears)", m->text,
                   (long long)n);
    return true;
}

/* ---- legend ---- */

/* "<  name  >": the arrows step through the colourings as K does; true when one did. */
static bool selector(GuiApp *g, float x, float w)
{
    Ui *ui = &g->ui;
    float sc = g->win.scale, bw = 22 * sc, bh = (float)ui->line_h + 2, y = ui->cy;
    int prev = ui_button(ui, "<", x + ui->pad, y, bw, bh);
    int next = ui_button(ui, ">", x + w - ui->pad - bw, y, bw, bh);
    char title[96];
    snprintf(title, sizeof title, "Colour: %s", gui_colorby_name(g));
    float tw = (float)ui_text_w(ui, title);
    draw_text(ui->dl, 0, x + (w - tw) / 2, y + 1, title, strlen(title), ui->theme.text);
    ui_space(ui, bh + 4);
    if (prev & UI_SUBMITTED)
        colorby_prev(g);
    else if (next & UI_SUBMITTED)
        gui_colorby_next(g);
    return (prev | next) & UI_SUBMITTED;
}

/* One row per value: swatch, name, words; a click picks it. */
static void entries(GuiApp *g, const MetaColumn *col, float x, float w)
{
    Ui *ui = &g->ui;
    GuiColorBy *c = &g->space.color;
    float sc = g->win.scale, lh = (float)ui->line_h + 2;
    char label[sizeof g->match.text], count[32];
    bool shown = pick_shown(g, label, sizeof label);
    int clicked = -1;
    c->entry_x = x;
    c->entry_w = w;
    c->entry_h = lh;
    for (int k = 0; k < c->nentries; k++) {
        float ry = ui->cy;
        c->entry_y[k] = ry;
        bool over = ui->in.mx >= x && ui->in.mx < x + w && ui->in.my >= ry && ui->in.my < ry + lh;
        if (over || (shown && c->picked == k + 1))
            draw_rect(ui->dl, x + 1, ry - 1, w - 2, lh, ui->theme.button_hot);
        if (over && ui->in.released[0])
            clicked = k;
        draw_rect(ui->dl, ui->px + ui->pad, ry + 3 * sc, 10 * sc, 10 * sc, entry_color(col, k));
        snprintf(count, sizeof count, "%lld", (long long)c->count[k]);
        float cw = (float)ui_text_w(ui, count);
        const char *name = entry_name(col, k);
        draw_clip(ui->dl, ui->px, ry, w - cw - 2 * ui->pad - 6, lh);
        draw_text(ui->dl, 0, ui->px + ui->pad + 16 * sc, ry, name, strlen(name),
                  k >= col->ncat ? ui->theme.dim : ui->theme.text);
        draw_noclip(ui->dl);
        draw_text(ui->dl, 0, x + w - ui->pad - cw, ry, count, strlen(count), ui->theme.dim);
        ui->cy += lh;
    }
    if (col->ncat > CMAP_CATEGORIES + col->other)
        ui_label(ui, "colours repeat after 7: click a value to pick it", ui->theme.dim);
    if (clicked >= 0)
        gui_colorby_pick(g, clicked);
}

float gui_colorby_legend(GuiApp *g, float x, float y, float w)
{
    GuiColorBy *c = &g->space.color;
    if (c->mode == GUI_COLOR_CLUSTER || !c->colors)
        return 0;
    Ui *ui = &g->ui;
    ui_panel_begin(ui, x, y, w);
    if (selector(g, x, w)) /* the colours are made for the new one with the next projection */
        return ui_panel_end(ui);
    const MetaColumn *col = gui_colorby_column(g);
    char what[96];
    bool rank = c->mode == GUI_COLOR_FREQUENCY && !g->data.trainer;
    if (col && col->kind == META_CATEGORICAL) {
        snprintf(what, sizeof what, "%d values%s", col->ncat, col->other ? " (rarest: other)" : "");
        ui_row(ui, "metadata", what, ui->theme.dim);
        entries(g, col, x, w);
    } else {
        ui_row(ui, col ? "metadata" : "",
               col ? "numeric" : c->mode == GUI_COLOR_MOVEMENT ? "moved at the last snapshot" :
                     rank ? "frequency rank, -log10" : "log10 count", ui->theme.dim);
        float h = cmap_legend(ui->dl, CMAP_POINTS, c->lo, c->hi, ui->px + ui->pad, ui->cy,
                              w - 2 * ui->pad, 10 * g->win.scale, ui->text_width, ui->text_ctx,
                              ui->line_h, ui->theme.dim);
        ui_space(ui, h + 4);
        if (col && c->count[0]) {
            snprintf(what, sizeof what, "no value: %lld word%s (grey)", (long long)c->count[0],
                     c->count[0] == 1 ? "" : "s");
            ui_label(ui, what, ui->theme.dim);
        }
    }
    ui_label(ui, "K: next colouring", ui->theme.dim);
    return ui_panel_end(ui);
}
