/* The lookup-table view (T): nn.Embedding's weight matrix as a heatmap, one row per index
 * (word, or the learned GPT's position or byte), one column per dimension, in a diverging
 * colour map scaled to the frame's values, scrollable over the whole table; selected words or
 * typed indices are highlighted and looked up as embedding(torch.tensor([...])) would return
 * them. Values come from the published frame (unit rows x norms) or the learned frame held by
 * the Positions view, never a trainer. UI thread. */
#include "app/ui/textbox.h"
#include "app/gui/views/table.h"
#include "app/gui/data/session.h"
#include "app/gui/views/poslearn.h"
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

/* The table shown: the word vectors of the published frame, or wpe / wte of the learned one. */
typedef struct TableSrc {
    GuiTableSource kind;
    int64_t rows;
    int dim;
    const KnnIndex *ix;         /* words */
    const PosLearnFrame *f;     /* wpe, wte */
    uint64_t seq;               /* changes with the values */
} TableSrc;

static bool table_src(const GuiApp *g, TableSrc *s)
{
    const PosLearnFrame *f = g->views.pos.frame;
    memset(s, 0, sizeof *s);
    s->kind = g->views.table.source;
    if (s->kind == GUI_TABLE_WORDS) {
        if (!g->data.snap)
            return false;
        s->ix = &g->data.snap->knn;
        s->rows = s->ix->rows, s->dim = s->ix->dim, s->seq = g->data.snap->seq;
        return true;
    }
    if (!f)
        return false;
    s->f = f;
    s->rows = s->kind == GUI_TABLE_WPE ? f->rows : f->vocab;
    s->dim = f->dim, s->seq = f->seq;
    return true;
}

static float value(const TableSrc *s, int64_t i, int j)
{
    if (s->ix)
        return raw(s->ix, i, j);
    const float *t = s->kind == GUI_TABLE_WPE ? s->f->view.table.vec : s->f->wte;
    int stride = s->kind == GUI_TABLE_WPE ? s->f->view.table.stride : s->dim;
    return t[i * stride + j];
}

/* "12 cat", "pos 12", "3 'a'": a row's index and what it stands for. */
static void row_name(const GuiApp *g, const TableSrc *s, int64_t i, char *buf, size_t cap)
{
    if (s->kind == GUI_TABLE_WORDS) {
        snprintf(buf, cap, "%lld %s", (long long)i, gui_word(g, i));
    } else if (s->kind == GUI_TABLE_WPE) {
        snprintf(buf, cap, "pos %lld", (long long)i);
    } else {
        unsigned b = s->f->byte_of[i];
        if (b == ' ')
            snprintf(buf, cap, "%lld space", (long long)i);
        else if (b == '\n')
            snprintf(buf, cap, "%lld \\n", (long long)i);
        else if (b > 32 && b < 127)
            snprintf(buf, cap, "%lld '%c'", (long long)i, (char)b);
        else
            snprintf(buf, cap, "%lld 0x%02x", (long long)i, b);
    }
}

/* 3 x RMS of every value: random init and trained vectors both fill the colour range. */
static float table_scale(const TableSrc *s)
{
    double ss = 0;
    if (s->ix) {
        for (int64_t i = 0; i < s->rows; i++) {
            double n = s->ix->norm ? s->ix->norm[i] : 1;
            ss += n * n;
        }
    } else {
        for (int64_t i = 0; i < s->rows; i++)
            for (int j = 0; j < s->dim; j++)
                ss += (double)value(s, i, j) * value(s, i, j);
    }
    double rms = sqrt(ss / (double)(s->rows * (int64_t)s->dim + 1));
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

/* Heatmap of rows [top, top + n) of the table (rebuilt only when table, frame or rows change). */
static bool fill_image(GuiApp *g, const TableSrc *s, int64_t top, int n)
{
    GuiTableView *t = &g->views.table;
    if (t->img_source == s->kind && t->img_seq == s->seq && t->img_top == top && t->img_rows == n &&
        t->img_dim == s->dim)
        return true;
    if (!grow(&t->img, &t->img_cap, (size_t)n * (size_t)s->dim))
        return false;
    float row[EMB_MAX_DIM];
    for (int r = 0; r < n; r++) {
        for (int j = 0; j < s->dim; j++)
            row[j] = value(s, top + r, j);
        cmap_fill(t->img + (size_t)r * (size_t)s->dim, s->dim, row, 1, s->dim, s->dim,
                  CMAP_DIVERGING, -t->scale, t->scale);
    }
    t->img_source = s->kind;
    t->img_seq = s->seq;
    t->img_top = top;
    t->img_rows = n;
    t->img_dim = s->dim;
    t->img_sum = fnv(t->img, (size_t)n * (size_t)s->dim * sizeof *t->img, 1469598103934665603ull);
    return true;
}

bool gui_table_set_indices(GuiApp *g, const char *text)
{
    GuiTableView *t = &g->views.table;
    snprintf(t->indices, sizeof t->indices, "%s", text);
    t->npick = 0;
    t->pick_error[0] = 0;
    TableSrc src;
    int64_t rows = table_src(g, &src) ? src.rows : 0;
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
    if (t->source != GUI_TABLE_WORDS) /* the selection is of words */
        return 0;
    if (g->sel.selected >= 0)
        out[n++] = g->sel.selected;
    for (int i = 0; i < g->sel.nextra && n < GUI_TABLE_MAX_PICK; i++)
        out[n++] = g->sel.extra[i];
    return n;
}

static void heatmap(GuiApp *g, const TableSrc *src, float x, float y, float w, float h,
                    const int64_t *pick, int npick)
{
    Ui *ui = &g->ui;
    GuiTableView *t = &g->views.table;
    float sc = g->win.scale, lh = (float)ui->line_h;
    float label_w = 150 * sc, bar = 8 * sc;
    float iw = w - label_w - bar - 6 * sc;
    int fit = (int)(h / ROW_PX_MIN);
    int64_t rows = src->rows;
    int n = (int)(rows < fit ? rows : fit);
    if (n < 1 || iw < 8)
        return;
    float row_h = h / (float)n;
    /* wheel over the table scrolls it, three rows a notch */
    bool over = ui->in.mx >= x && ui->in.mx < x + w && ui->in.my >= y && ui->in.my < y + h;
    if (over && ui->in.wheel != 0)
        t->top -= (int64_t)lrintf(ui->in.wheel * 3 * (row_h < lh ? lh / row_h : 1));
    t->top = t->top > rows - n ? rows - n : t->top;
    t->top = t->top < 0 ? 0 : t->top;
    if (!fill_image(g, src, t->top, n))
        return;
    float ix0 = x + label_w;
    draw_image(ui->dl, ix0, y, iw, (float)n * row_h, t->img, src->dim, n);
    draw_outline(ui->dl, ix0 - 1, y - 1, iw + 2, (float)n * row_h + 2, ui->theme.border);
    /* row labels where there is room: every row, or every k-th */
    int every = row_h >= lh ? 1 : (int)ceilf(lh / row_h);
    char buf[160];
    draw_clip(ui->dl, x, y, label_w - 6 * sc, h);
    float prev = -1e9f;
    for (int r = 0; r < n; r += every) {
        float ly = fmaxf(y, y + (float)r * row_h + (row_h - lh) / 2);
        if (ly < prev + lh)
            continue; /* the first row's label is pushed down to the top edge: no overlap */
        prev = ly;
        row_name(g, src, t->top + r, buf, sizeof buf);
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
        row_name(g, src, pick[k], buf, sizeof buf);
        draw_rect(ui->dl, x, ly, label_w - 6 * sc, lh, ui->theme.panel);
        draw_text(ui->dl, 0, x, ly, buf, strlen(buf), DRAW_RGB(255, 210, 60));
        draw_line(ui->dl, x + (float)ui_text_w(ui, buf) + 4, ly + lh / 2, ix0 - 3, ry + row_h / 2, 1,
                  DRAW_RGBA(255, 210, 60, 160));
    }
    draw_noclip(ui->dl);
    /* scroll bar: where the shown rows sit in the table */
    float bx = x + w - bar, bh = h * (float)n / (float)rows;
    draw_rect(ui->dl, bx, y, bar, h, ui->theme.field);
    draw_rect(ui->dl, bx, y + h * (float)t->top / (float)rows, bar, bh < 4 ? 4 : bh, ui->theme.button_hot);
    ui_claim(ui, x, y, w, h);
}

/* embedding(torch.tensor([...])) printed as torch does, with the rows' colour strips. */
static void lookup(GuiApp *g, const TableSrc *src, float x, float y, float w, const int64_t *pick,
                   int npick)
{
    Ui *ui = &g->ui;
    GuiTableView *t = &g->views.table;
    float sc = g->win.scale, lh = (float)ui->line_h + 2;
    int dim = src->dim;
    const char *name = src->kind == GUI_TABLE_WPE ? "wpe" : src->kind == GUI_TABLE_WTE ? "wte" : "emb";
    char line[512], what[160];
    size_t len = (size_t)snprintf(line, sizeof line, ">>> %s(torch.tensor([", name);
    for (int k = 0; k < npick && len < sizeof line - 16; k++)
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%lld", k ? ", " : "", (long long)pick[k]);
    snprintf(line + len, sizeof line - len, "]))   # shape (%d, %d)", npick, dim);
    draw_text(ui->dl, 0, x, y, line, strlen(line), ui->theme.accent);
    y += lh;
    if (!grow(&t->strip, &t->strip_cap, (size_t)npick * (size_t)dim))
        return;
    float strip_w = w * 0.3f, tx = x + strip_w + 10 * sc;
    for (int k = 0; k < npick; k++) {
        float row[EMB_MAX_DIM];
        for (int j = 0; j < dim; j++)
            row[j] = value(src, pick[k], j);
        uint32_t *s = t->strip + (size_t)k * (size_t)dim;
        cmap_fill(s, dim, row, 1, dim, dim, CMAP_DIVERGING, -t->scale, t->scale);
        draw_image(ui->dl, x, y + 2, strip_w, lh - 4, s, dim, 1);
        len = (size_t)snprintf(line, sizeof line, "%s[", k ? " " : "[");
        bool all = dim <= LOOKUP_VALUES + 2;
        for (int j = 0; j < dim && len < sizeof line - 24; j++) {
            if (!all && j == LOOKUP_VALUES) { /* as torch summarises: the first and last few */
                len += (size_t)snprintf(line + len, sizeof line - len, ", ...");
                j = dim - 2;
            }
            len += (size_t)snprintf(line + len, sizeof line - len, "%s%8.4f", j ? "," : "", row[j]);
        }
        row_name(g, src, pick[k], what, sizeof what);
        snprintf(line + len, sizeof line - len, "]%s   # %s", k == npick - 1 ? "]" : ",", what);
        draw_clip(ui->dl, tx, y, x + w - tx, lh);
        draw_text(ui->dl, 0, tx, y, line, strlen(line), ui->theme.text);
        draw_noclip(ui->dl);
        y += lh;
    }
}

bool gui_table_set_source(GuiApp *g, GuiTableSource src, Err *e)
{
    GuiTableView *t = &g->views.table;
    if (src != GUI_TABLE_WORDS && !g->views.pos.frame)
        return err_set(e, "no learned table yet: choose \"learned (training)\" in the Positions "
                       "view (O) first");
    if (t->source != src) {
        t->source = src;
        t->top = 0;
        t->npick = 0;
        t->indices[0] = 0;
        t->pick_error[0] = 0;
    }
    return true;
}

/* The header: which table, its shape, how far it learned. */
static void title(GuiApp *g, const TableSrc *s, float x, float y)
{
    Ui *ui = &g->ui;
    char head[320];
    if (s->kind == GUI_TABLE_WORDS)
        snprintf(head, sizeof head, "emb = nn.Embedding(%lld, %d)   weight: %lld x %d   %s",
                 (long long)s->rows, s->dim, (long long)s->rows, s->dim, g->data.snap->prog.words_done
                 ? "learned so far" : "random initialisation (before training)");
    else
        snprintf(head, sizeof head, "%s = nn.Embedding(%lld, %d)   %s of the GPT in the Positions "
                 "view, step %lld%s", s->kind == GUI_TABLE_WPE ? "wpe" : "wte", (long long)s->rows,
                 s->dim, s->kind == GUI_TABLE_WPE ? "the learned position table" :
                 "the byte table (tied to the output)", (long long)s->f->prog.step,
                 s->f->prog.step ? "" : " (its initialisation)");
    draw_text(ui->dl, 0, x, y, head, strlen(head), ui->theme.text);
}

/* A byte as a word: itself when printable, else "space", "\\n", "\\t" or "0xNN". */
static void byte_word(uint8_t b, char *out, size_t cap)
{
    if (b == ' ')
        snprintf(out, cap, "space");
    else if (b == '\n')
        snprintf(out, cap, "\\n");
    else if (b == '\t')
        snprintf(out, cap, "\\t");
    else if (b > 32 && b < 127)
        snprintf(out, cap, "%c", b);
    else
        snprintf(out, cap, "0x%02X", b);
}

bool gui_table_wte_to_space(GuiApp *g)
{
    const PosLearnFrame *f = g->views.pos.frame;
    Err e = {{0}};
    Embeddings *t = f ? malloc(sizeof *t) : NULL;
    if (!t) {
        gui_set_status(g, true, "%s", f ? "out of memory" : "no learned byte table yet");
        return false;
    }
    emb_init(t);
    bool ok = emb_alloc(t, f->vocab, f->dim, &e);
    for (int i = 0; ok && i < f->vocab; i++) {
        char w[16];
        byte_word(f->byte_of[i], w, sizeof w);
        ok = vocab_add(&t->vocab, w, strlen(w), 1, &e) == i;
        memcpy(emb_row(t, i), f->wte + (size_t)i * (size_t)f->dim, (size_t)f->dim * sizeof(float));
    }
    if (!ok) {
        gui_set_status(g, true, "byte table: %s", e.msg[0] ? e.msg : "two bytes with one name");
        emb_deinit(t);
        free(t);
        return false;
    }
    char name[96];
    snprintf(name, sizeof name, "wte, step %lld", (long long)f->prog.step);
    if (!gui_show_table(g, t, name, &e)) {
        gui_set_status(g, true, "%s", e.msg);
        return false;
    }
    g->views.view = GUI_VIEW_SPACE; /* (views.c, which switches views, includes this file) */
    return true;
}

/* words | wpe | wte, right of the indices box; returns the width used. */
static float source_buttons(GuiApp *g, float x, float y)
{
    Ui *ui = &g->ui;
    static const char *const label[3] = {"words", "wpe (positions)", "wte (bytes)"};
    float sc = g->win.scale, cx = x;
    for (int k = 0; k < 3; k++) {
        char b[40];
        snprintf(b, sizeof b, (int)g->views.table.source == k ? "[%s]" : "%s", label[k]);
        float bw = (float)ui_text_w(ui, label[k]) + 24 * sc;
        Err e = {{0}};
        if ((ui_button(ui, b, cx, y - 5, bw, (float)ui->line_h + 10) & UI_SUBMITTED) &&
            !gui_table_set_source(g, (GuiTableSource)k, &e))
            gui_set_status(g, true, "%s", e.msg);
        cx += bw + 4;
    }
    if (g->views.table.source == GUI_TABLE_WTE && g->views.pos.frame) {
        const char *l = "show in Space (replaces the words)";
        float bw = (float)ui_text_w(ui, l) + 24 * sc;
        if (ui_button(ui, l, cx, y - 5, bw, (float)ui->line_h + 10) & UI_SUBMITTED)
            gui_table_wte_to_space(g);
        cx += bw + 4;
    }
    return cx - x;
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
    if (t->source != GUI_TABLE_WORDS && !g->views.pos.frame)
        t->source = GUI_TABLE_WORDS; /* its session is gone */
    TableSrc src;
    if (!table_src(g, &src)) {
        draw_text(ui->dl, 0, x, y, "waiting for the first snapshot...", 33, ui->theme.dim);
        return;
    }
    if (t->img_source != src.kind || t->img_seq != src.seq) /* before the legend, which shows it */
        t->scale = table_scale(&src);
    title(g, &src, x, y);
    /* indices box, the table's buttons and the legend on the second line */
    float by = y + lh + 8 * sc, bw = 160 * sc;
    draw_text(ui->dl, 0, x, by + 5, "indices", 7, ui->theme.dim);
    float bx = x + (float)ui_text_w(ui, "indices") + 8 * sc;
    int r = ui_textbox(ui, "table_indices", t->indices, sizeof t->indices, bx, by, bw,
                       "0 2 5 + Enter");
    if (r & (UI_SUBMITTED | UI_CHANGED)) {
        gui_table_set_indices(g, t->indices);
        if (r & UI_SUBMITTED)
            ui->focus = 0;
    }
    float ex = bx + bw + 10 * sc;
    ex += source_buttons(g, ex, by + 5) + 6 * sc;
    float lw = 200 * sc;
    if (t->pick_error[0]) {
        draw_clip(ui->dl, ex, by, x + w - lw - ex - 8 * sc, lh + 10);
        draw_text(ui->dl, 0, ex, by + 5, t->pick_error, strlen(t->pick_error), ui->theme.error);
        draw_noclip(ui->dl);
    }
    cmap_legend(ui->dl, CMAP_DIVERGING, -t->scale, t->scale, x + w - lw, by, lw, 10 * sc,
                ui->text_width, ui->text_ctx, ui->line_h, ui->theme.dim);
    int64_t pick[GUI_TABLE_MAX_PICK];
    int npick = picked(g, pick);
    float top = by + lh + 26 * sc, look_h = npick ? (float)(npick + 1) * (lh + 2) + 10 * sc : 0;
    heatmap(g, &src, x, top, w, h - (top - y) - look_h, pick, npick);
    if (npick)
        lookup(g, &src, x, y + h - look_h + 10 * sc, w, pick, npick);
}
