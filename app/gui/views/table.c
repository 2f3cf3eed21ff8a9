/* The lookup-table view (T): nn.Embedding's weight matrix as a heatmap, one row per index
 * (word), one column per dimension, in a diverging colour map scaled to the frame's values,
 * scrollable over the whole vocabulary; selected words or typed indices are highlighted and
 * looked up as embedding(torch.tensor([...])) would return them. Values come from the published
 * frame (unit rows x norms), never the trainer. UI thread. */
#include "app/ui/textbox.h"
#include "app/gui/views/table.h"
#include "render/colormap.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROW_PX_MIN 5.f      /* rows thinner than this would not be readable */
#define LOOKUP_VALUES 6     /* values printed per row before "..." for large dims */

static inline float raw(const KnnIndex *ix, int64_t i, int j)
{
    return knn_row(ix, i)[j] * (ix->norm ? ix->norm[i] : 1.f);
}

/* 3 x RMS of every value: random init and trained vectors both fill the colour range. */
static float snapshot_scale(const KnnIndex *ix)
{
    double ss = 0;
    for (int64_t i = 0; i < ix->rows; i++) {
        double n = ix->norm ? ix->norm[i] : 1;
        ss += n * n;
    }
    double rms = sqrt(ss / (double)(ix->rows * (int64_t)ix->dim + 1));
    return rms > 0 ? (float)(3 * rms) : 1.f;
}

static bool grow(uint32_t **p, size_t *cap, size_t n)
{
    if (n <= *cap)
        return true;
    uint32_t *q = realloc(*p, n * sizeof *q);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

uint64_t gui_snapshot_checksum(const GuiApp *g)
{
    if (!g->data.snap)
        return 0;
    const KnnIndex *ix = &g->data.snap->knn;
    uint64_t h = 1469598103934665603ull;
    for (int64_t i = 0; i < ix->rows; i++)
        for (int j = 0; j < ix->dim; j++) {
            float v = raw(ix, i, j);
            h = fnv(&v, sizeof v, h);
        }
    return h;
}

/* Heatmap of rows [top, top + n) of the frame (rebuilt only when frame or rows change). */
static bool fill_image(GuiApp *g, int64_t top, int n)
{
    GuiTableView *t = &g->views.table;
    const KnnIndex *ix = &g->data.snap->knn;
    if (t->img_seq == g->data.snap->seq && t->img_top == top && t->img_rows == n && t->img_dim == ix->dim)
        return true;
    if (!grow(&t->img, &t->img_cap, (size_t)n * (size_t)ix->dim))
        return false;
    float row[EMB_MAX_DIM];
    for (int r = 0; r < n; r++) {
        for (int j = 0; j < ix->dim; j++)
            row[j] = raw(ix, top + r, j);
        cmap_fill(t->img + (size_t)r * (size_t)ix->dim, ix->dim, row, 1, ix->dim, ix->dim,
                  CMAP_DIVERGING, -t->scale, t->scale);
    }
    t->img_seq = g->data.snap->seq;
    t->img_top = top;
    t->img_rows = n;
    t->img_dim = ix->dim;
    t->img_sum = fnv(t->img, (size_t)n * (size_t)ix->dim * sizeof *t->img, 1469598103934665603ull);
    return true;
}

bool gui_table_set_indices(GuiApp *g, const char *text)
{
    GuiTableView *t = &g->views.table;
    snprintf(t->indices, sizeof t->indices, "%s", text);
    t->npick = 0;
    t->pick_error[0] = 0;
    int64_t rows = gui_vocab(g)->size;
    for (const char *p = text; *p;) {
        while (*p == ' ' || *p == ',' || *p == '[' || *p == ']')
            p++;
        if (!*p)
            break;
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p) {
            snprintf(t->pick_error, sizeof t->pick_error, "not an index: '%.20s'", p);
            t->npick = 0;
            return false;
        }
        if (v < 0 || v >= rows) { /* as torch: IndexError, nothing returned */
            snprintf(t->pick_error, sizeof t->pick_error, "IndexError: index %lld is out of "
                     "range [0, %lld)", v, (long long)rows);
            t->npick = 0;
            return false;
        }
        if (t->npick < GUI_TABLE_MAX_PICK)
            t->pick[t->npick++] = v;
        p = end;
    }
    if (t->npick)
        t->top = t->pick[0] > 4 ? t->pick[0] - 4 : 0;
    return true;
}

/* Rows looked up: typed indices, else the selected words. */
static int picked(const GuiApp *g, int64_t *out)
{
    const GuiTableView *t = &g->views.table;
    int n = 0;
    if (t->npick) {
        memcpy(out, t->pick, (size_t)t->npick * sizeof *out);
        return t->npick;
    }
    if (g->sel.selected >= 0)
        out[n++] = g->sel.selected;
    for (int i = 0; i < g->sel.nextra && n < GUI_TABLE_MAX_PICK; i++)
        out[n++] = g->sel.extra[i];
    return n;
}

static void heatmap(GuiApp *g, float x, float y, float w, float h, const int64_t *pick, int npick)
{
    Ui *ui = &g->ui;
    GuiTableView *t = &g->views.table;
    const KnnIndex *ix = &g->data.snap->knn;
    float sc = g->win.scale, lh = (float)ui->line_h;
    float label_w = 150 * sc, bar = 8 * sc;
    float iw = w - label_w - bar - 6 * sc;
    int fit = (int)(h / ROW_PX_MIN);
    int n = (int)(ix->rows < fit ? ix->rows : fit);
    if (n < 1 || iw < 8)
        return;
    float row_h = h / (float)n;
    /* wheel over the table scrolls it, three rows a notch */
    bool over = ui->in.mx >= x && ui->in.mx < x + w && ui->in.my >= y && ui->in.my < y + h;
    if (over && ui->in.wheel != 0)
        t->top -= (int64_t)lrintf(ui->in.wheel * 3 * (row_h < lh ? lh / row_h : 1));
    t->top = t->top > ix->rows - n ? ix->rows - n : t->top;
    t->top = t->top < 0 ? 0 : t->top;
    if (!fill_image(g, t->top, n))
        return;
    float ix0 = x + label_w;
    draw_image(ui->dl, ix0, y, iw, (float)n * row_h, t->img, ix->dim, n);
    draw_outline(ui->dl, ix0 - 1, y - 1, iw + 2, (float)n * row_h + 2, ui->theme.border);
    /* row labels where there is room: every row, or every k-th */
    int every = row_h >= lh ? 1 : (int)ceilf(lh / row_h);
    char buf[160];
    draw_clip(ui->dl, x, y, label_w - 6 * sc, h);
    float prev = -1e9f;
    for (int r = 0; r < n; r += every) {
        int64_t i = t->top + r;
        float ly = fmaxf(y, y + (float)r * row_h + (row_h - lh) / 2);
        if (ly < prev + lh)
            continue; /* the first row's label is pushed down to the top edge: no overlap */
        prev = ly;
        snprintf(buf, sizeof buf, "%lld %s", (long long)i, gui_word(g, i));
        draw_text(ui->dl, 0, x, ly, buf, strlen(buf), ui->theme.dim);
    }
    /* picked rows: framed, labelled in yellow; labels of neighbouring rows stack downwards and
     * point at their rows */
    float last = -1e9f;
    for (int k = 0; k < npick; k++) {
        int64_t r = pick[k] - t->top;
        if (r < 0 || r >= n)
            continue;
        float ry = y + (float)r * row_h, ly = fmaxf(y, ry + (row_h - lh) / 2);
        ly = ly < last + lh ? last + lh : ly;
        last = ly;
        draw_outline(ui->dl, ix0 - 3, ry - 2, iw + 6, row_h + 4, DRAW_RGB(255, 210, 60));
        snprintf(buf, sizeof buf, "%lld %s", (long long)pick[k], gui_word(g, pick[k]));
        draw_rect(ui->dl, x, ly, label_w - 6 * sc, lh, ui->theme.panel);
        draw_text(ui->dl, 0, x, ly, buf, strlen(buf), DRAW_RGB(255, 210, 60));
        draw_line(ui->dl, x + (float)ui_text_w(ui, buf) + 4, ly + lh / 2, ix0 - 3, ry + row_h / 2, 1,
                  DRAW_RGBA(255, 210, 60, 160));
    }
    draw_noclip(ui->dl);
    /* scroll bar: where the shown rows sit in the vocabulary */
    float bx = x + w - bar, bh = h * (float)n / (float)ix->rows;
    draw_rect(ui->dl, bx, y, bar, h, ui->theme.field);
    draw_rect(ui->dl, bx, y + h * (float)t->top / (float)ix->rows, bar, bh < 4 ? 4 : bh, ui->theme.button_hot);
    ui_claim(ui, x, y, w, h);
}

/* embedding(torch.tensor([...])) printed as torch does, with the rows' colour strips. */
static void lookup(GuiApp *g, float x, float y, float w, const int64_t *pick, int npick)
{
    Ui *ui = &g->ui;
    GuiTableView *t = &g->views.table;
    const KnnIndex *ix = &g->data.snap->knn;
    float sc = g->win.scale, lh = (float)ui->line_h + 2;
    char line[512];
    size_t len = (size_t)snprintf(line, sizeof line, ">>> emb(torch.tensor([");
    for (int k = 0; k < npick && len < sizeof line - 16; k++)
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%lld", k ? ", " : "", (long long)pick[k]);
    snprintf(line + len, sizeof line - len, "]))   # shape (%d, %d)", npick, ix->dim);
    draw_text(ui->dl, 0, x, y, line, strlen(line), ui->theme.accent);
    y += lh;
    if (!grow(&t->strip, &t->strip_cap, (size_t)npick * (size_t)ix->dim))
        return;
    float strip_w = w * 0.3f, tx = x + strip_w + 10 * sc;
    for (int k = 0; k < npick; k++) {
        float row[EMB_MAX_DIM];
        for (int j = 0; j < ix->dim; j++)
            row[j] = raw(ix, pick[k], j);
        uint32_t *s = t->strip + (size_t)k * (size_t)ix->dim;
        cmap_fill(s, ix->dim, row, 1, ix->dim, ix->dim, CMAP_DIVERGING, -t->scale, t->scale);
        draw_image(ui->dl, x, y + 2, strip_w, lh - 4, s, ix->dim, 1);
        len = (size_t)snprintf(line, sizeof line, "%s[", k ? " " : "[");
        bool all = ix->dim <= LOOKUP_VALUES + 2;
        for (int j = 0; j < ix->dim && len < sizeof line - 24; j++) {
            if (!all && j == LOOKUP_VALUES) { /* as torch summarises: the first and last few */
                len += (size_t)snprintf(line + len, sizeof line - len, ", ...");
                j = ix->dim - 2;
            }
            len += (size_t)snprintf(line + len, sizeof line - len, "%s%8.4f", j ? "," : "", row[j]);
        }
        snprintf(line + len, sizeof line - len, "]%s   # %s", k == npick - 1 ? "]" : ",",
                 gui_word(g, pick[k]));
        draw_clip(ui->dl, tx, y, x + w - tx, lh);
        draw_text(ui->dl, 0, tx, y, line, strlen(line), ui->theme.text);
        draw_noclip(ui->dl);
        y += lh;
    }
}

void gui_table_draw(GuiApp *g, float x, float y, float w, float h)
{
    Ui *ui = &g->ui;
    GuiTableView *t = &g->views.table;
    float sc = g->win.scale, lh = (float)ui->line_h;
    draw_rect(ui->dl, x, y, w, h, ui->theme.panel);
    draw_outline(ui->dl, x, y, w, h, ui->theme.border);
    ui_claim(ui, x, y, w, h);
    float pad = 10 * sc;
    x += pad, y += pad, w -= 2 * pad, h -= 2 * pad;
    if (!g->data.snap) {
        draw_text(ui->dl, 0, x, y, "waiting for the first snapshot...", 33, ui->theme.dim);
        return;
    }
    const KnnIndex *ix = &g->data.snap->knn;
    if (t->img_seq != g->data.snap->seq) /* before the legend, which shows it */
        t->scale = snapshot_scale(ix);
    char head[256];
    snprintf(head, sizeof head, "emb = nn.Embedding(%lld, %d)   weight: %lld x %d   %s",
             (long long)ix->rows, ix->dim, (long long)ix->rows, ix->dim,
             g->data.snap->prog.words_done ? "learned so far" : "random initialisation (before training)");
    draw_text(ui->dl, 0, x, y, head, strlen(head), ui->theme.text);
    /* indices box and the legend on the second line */
    float by = y + lh + 8 * sc, bw = 200 * sc;
    draw_text(ui->dl, 0, x, by + 5, "indices", 7, ui->theme.dim);
    float bx = x + (float)ui_text_w(ui, "indices") + 8 * sc;
    int r = ui_textbox(ui, "table_indices", t->indices, sizeof t->indices, bx, by, bw,
                       "0 2 5 + Enter");
    if (r & (UI_SUBMITTED | UI_CHANGED)) {
        gui_table_set_indices(g, t->indices);
        if (r & UI_SUBMITTED)
            ui->focus = 0;
    }
    if (t->pick_error[0])
        draw_text(ui->dl, 0, bx + bw + 10 * sc, by + 5, t->pick_error, strlen(t->pick_error), ui->theme.error);
    float lw = 240 * sc;
    cmap_legend(ui->dl, CMAP_DIVERGING, -t->scale, t->scale, x + w - lw, by, lw, 10 * sc,
                ui->text_width, ui->text_ctx, ui->line_h, ui->theme.dim);
    int64_t pick[GUI_TABLE_MAX_PICK];
    int npick = picked(g, pick);
    float top = by + lh + 26 * sc, look_h = npick ? (float)(npick + 1) * (lh + 2) + 10 * sc : 0;
    heatmap(g, x, top, w, h - (top - y) - look_h, pick, npick);
    if (npick)
        lookup(g, x, y + h - look_h + 10 * sc, w, pick, npick);
}
