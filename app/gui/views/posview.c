/* The positional-embeddings view (O): a position table (sinusoidal, or nn.Embedding(512, 768)'s
 * random init) shown as the PCA path of its positions coloured by position, the position x
 * position cosine-similarity heatmap, and distance probes between positions. Tables are built
 * on a worker thread (posview_build; a 2048 x 2048 similarity takes seconds), the UI only
 * shows finished ones. UI thread, except job_main. */
#include "app/ui/textbox.h"
#include "app/gui/views/posview.h"
#include "render/colormap.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POS_MAX_LEN 4096  /* positions offered in the view (the PCA path draws each) */

struct GuiPosJob {
    pthread_t thread;
    bool running;          /* a thread was started and not joined (UI thread only) */
    atomic_bool done;
    PosEncDesc desc;
    PosView *building;     /* owned by the thread until done */
    Err err;
    PosEncDesc pending;    /* asked for while building */
    bool has_pending;
    PosView *shown;
    uint64_t gen;          /* builds finished */
};

static void *job_main(void *arg)
{
    GuiPosJob *j = arg;
    if (!posview_build(j->building, &j->desc, &j->err)) {
        posview_deinit(j->building);
        free(j->building);
        j->building = NULL;
    }
    atomic_store(&j->done, true);
    return NULL;
}

static void start(GuiApp *g, GuiPosJob *j, const PosEncDesc *d)
{
    j->desc = *d;
    j->err.msg[0] = 0;
    atomic_store(&j->done, false);
    j->building = malloc(sizeof *j->building);
    if (!j->building) {
        gui_set_status(g, true, "positions: out of memory");
        return;
    }
    posview_init(j->building);
    if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
        free(j->building);
        j->building = NULL;
        gui_set_status(g, true, "positions: cannot start a thread");
        return;
    }
    j->running = true;
}

void gui_posview_request(GuiApp *g)
{
    GuiPosState *p = &g->views.pos;
    if (!p->job && !(p->job = calloc(1, sizeof *p->job))) {
        gui_set_status(g, true, "positions: out of memory");
        return;
    }
    if (p->job->running) {
        p->job->pending = p->want;
        p->job->has_pending = true;
        return;
    }
    start(g, p->job, &p->want);
}

void gui_posview_poll(GuiApp *g)
{
    GuiPosState *p = &g->views.pos;
    GuiPosJob *j = p->job;
    if (!j || !j->running || !atomic_load(&j->done))
        return;
    pthread_join(j->thread, NULL);
    j->running = false;
    if (j->building) {
        if (j->shown)
            posview_deinit(j->shown);
        free(j->shown);
        j->shown = j->building;
        j->building = NULL;
        j->gen++;
        p->shown = j->shown;
        p->shown_gen = j->gen;
        gui_set_status(g, false, "%s table %d x %d built in %.0f ms",
                       j->shown->desc.kind == POSENC_RANDOM ? "random" : "sinusoidal",
                       j->shown->desc.max_len, j->shown->desc.dim, j->shown->build_ms);
    } else {
        gui_set_status(g, true, "positions: %s", j->err.msg);
    }
    if (j->has_pending) {
        j->has_pending = false;
        start(g, j, &j->pending);
    }
}

void gui_posview_free(GuiApp *g)
{
    GuiPosState *p = &g->views.pos;
    GuiPosJob *j = p->job;
    if (j) {
        if (j->running)
            pthread_join(j->thread, NULL);
        if (j->building)
            posview_deinit(j->building);
        free(j->building);
        if (j->shown)
            posview_deinit(j->shown);
        free(j->shown);
        free(j);
    }
    free(p->sim_img);
    free(p->pts);
    p->job = NULL;
    p->shown = NULL;
    p->sim_img = NULL;
    p->pts = NULL;
}

static bool building(const GuiApp *g)
{
    return g->views.pos.job && g->views.pos.job->running;
}

/* Images and points of a newly shown table. */
static bool prepare(GuiApp *g)
{
    GuiPosState *p = &g->views.pos;
    const PosView *v = p->shown;
    if (p->img_gen == p->shown_gen)
        return true;
    free(p->sim_img);
    free(p->pts);
    p->sim_img = malloc((size_t)v->nsim * (size_t)v->nsim * sizeof *p->sim_img);
    p->pts = malloc((size_t)v->table.rows * sizeof *p->pts);
    if (!p->sim_img || !p->pts)
        return false;
    cmap_fill(p->sim_img, v->nsim, v->sim, v->nsim, v->nsim, v->nsim, CMAP_DIVERGING, -1, 1);
    p->img_gen = p->shown_gen;
    return true;
}

/* PC1 x PC2 of every position, coloured by position; consecutive positions joined. */
static void pca_path(GuiApp *g, float x, float y, float w, float h)
{
    Ui *ui = &g->ui;
    GuiPosState *p = &g->views.pos;
    const PosView *v = p->shown;
    int64_t n = v->table.rows;
    float lo[2] = {1e30f, 1e30f}, hi[2] = {-1e30f, -1e30f};
    for (int64_t i = 0; i < n; i++)
        for (int c = 0; c < 2; c++) {
            lo[c] = fminf(lo[c], v->xyz[i * 3 + c]);
            hi[c] = fmaxf(hi[c], v->xyz[i * 3 + c]);
        }
    float span = fmaxf(hi[0] - lo[0], hi[1] - lo[1]);
    span = span > 0 ? span : 1;
    float s = fminf(w, h) * 0.9f / span, cx = x + w / 2, cy = y + h / 2;
    float mx = (lo[0] + hi[0]) / 2, my = (lo[1] + hi[1]) / 2;
    float rad = n > 1000 ? 1.6f : 2.4f;
    for (int64_t i = 0; i < n; i++) {
        DrawPoint *d = &p->pts[i];
        d->x = cx + (v->xyz[i * 3] - mx) * s;
        d->y = cy - (v->xyz[i * 3 + 1] - my) * s;
        d->color = cmap_color(CMAP_SEQUENTIAL, (float)i / (float)(n - 1));
        d->radius = rad * g->win.scale;
    }
    /* the path itself: at most ~600 segments, faint, so a smooth curve reads as one */
    int64_t step = n / 600 + 1;
    uint32_t a = v->desc.kind == POSENC_RANDOM ? 28 : 70; /* a random table's "path" is noise */
    for (int64_t i = step; i < n; i += step)
        draw_line(ui->dl, p->pts[i - step].x, p->pts[i - step].y, p->pts[i].x, p->pts[i].y, 1.f,
                  DRAW_RGBA(200, 200, 220, a));
    draw_points(ui->dl, p->pts, (size_t)n);
    for (int k = 0; k < 3; k++) {
        int64_t i = p->probe[k] < n ? p->probe[k] : n - 1;
        draw_circle(ui->dl, p->pts[i].x, p->pts[i].y, 7 * g->win.scale, DRAW_RGB(255, 255, 255));
        char lab[32];
        snprintf(lab, sizeof lab, "%c", 'A' + k);
        /* A to the left, B and C to the right, B lower: neighbours stay readable */
        float lw = (float)ui_text_w(ui, lab), sc = g->win.scale;
        float lx = k == 0 ? p->pts[i].x - 10 * sc - lw : p->pts[i].x + 10 * sc;
        float ly = p->pts[i].y - (float)ui->line_h / 2 + (k == 1 ? (float)ui->line_h * 0.6f : 0);
        draw_text(ui->dl, 0, lx, ly, lab, strlen(lab), DRAW_RGB(255, 255, 255));
    }
}

static void sim_map(GuiApp *g, float x, float y, float side)
{
    Ui *ui = &g->ui;
    GuiPosState *p = &g->views.pos;
    const PosView *v = p->shown;
    draw_image(ui->dl, x, y, side, side, p->sim_img, v->nsim, v->nsim);
    draw_outline(ui->dl, x - 1, y - 1, side + 2, side + 2, ui->theme.border);
    /* the probes as crosshairs: row A against columns B and C */
    float cell = side / (float)v->nsim;
    for (int k = 1; k < 3; k++) {
        if (p->probe[0] >= v->nsim || p->probe[k] >= v->nsim)
            continue;
        float px = x + ((float)p->probe[k] + 0.5f) * cell, py = y + ((float)p->probe[0] + 0.5f) * cell;
        draw_circle(ui->dl, px, py, 5 * g->win.scale, DRAW_RGB(255, 210, 60));
    }
    /* a click picks A (row) and B (column) */
    bool over = ui->in.mx >= x && ui->in.mx < x + side && ui->in.my >= y && ui->in.my < y + side;
    if (over && ui->in.released[0]) {
        p->probe[0] = (int64_t)((ui->in.my - y) / cell);
        p->probe[1] = (int64_t)((ui->in.mx - x) / cell);
        for (int k = 0; k < 2; k++)
            snprintf(p->probe_text[k], sizeof p->probe_text[k], "%lld", (long long)p->probe[k]);
    }
}

static bool parse_int(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Kind buttons, max_len / dim boxes (Enter rebuilds), probe boxes. */
static float controls(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    GuiPosState *p = &g->views.pos;
    float sc = g->win.scale, bh = (float)ui->line_h + 10, bw = 110 * sc, cx = x;
    bool sin = p->want.kind == POSENC_SINUSOIDAL;
    if (ui_button(ui, sin ? "[sinusoidal]" : "sinusoidal", cx, y, bw, bh) & UI_SUBMITTED) {
        p->want.kind = POSENC_SINUSOIDAL;
        gui_posview_request(g);
    }
    cx += bw + 4;
    if (ui_button(ui, sin ? "random init" : "[random init]", cx, y, bw, bh) & UI_SUBMITTED) {
        p->want.kind = POSENC_RANDOM;
        gui_posview_request(g);
    }
    cx += bw + 16 * sc;
    struct { const char *label, *id; char *buf; size_t cap; } box[5] = {
        {"max_len", "pos_len", p->len_text, sizeof p->len_text},
        {"dim", "pos_dim", p->dim_text, sizeof p->dim_text},
        {"A", "pos_a", p->probe_text[0], sizeof p->probe_text[0]},
        {"B", "pos_b", p->probe_text[1], sizeof p->probe_text[1]},
        {"C", "pos_c", p->probe_text[2], sizeof p->probe_text[2]},
    };
    for (int k = 0; k < 5; k++) {
        float lw = (float)ui_text_w(ui, box[k].label), fw = (k < 2 ? 62 : 52) * sc;
        if (cx + lw + fw + 6 > x + w)
            break;
        draw_text(ui->dl, 0, cx, y + 5, box[k].label, strlen(box[k].label), ui->theme.dim);
        int r = ui_textbox(ui, box[k].id, box[k].buf, box[k].cap, cx + lw + 5, y, fw, "");
        cx += lw + fw + 16 * sc;
        if (!(r & UI_SUBMITTED))
            continue;
        ui->focus = 0;
        long long v;
        if (k == 0 && parse_int(box[k].buf, 2, POS_MAX_LEN, &v)) {
            p->want.max_len = (int)v;
            gui_posview_request(g);
        } else if (k == 1 && parse_int(box[k].buf, 2, 4096, &v)) {
            p->want.dim = (int)v;
            gui_posview_request(g);
        } else if (k >= 2 && parse_int(box[k].buf, 0, POS_MAX_LEN - 1, &v)) {
            p->probe[k - 2] = v;
        } else {
            gui_set_status(g, true, "%s: want a whole number (max_len 2..%d, dim 2..4096)",
                           box[k].label, POS_MAX_LEN);
        }
    }
    return bh;
}

static void probes(GuiApp *g, float x, float y)
{
    Ui *ui = &g->ui;
    GuiPosState *p = &g->views.pos;
    char line[160];
    for (int k = 1; k < 3; k++) {
        PosDist d = posview_distance(p->shown, p->probe[0], p->probe[k]);
        snprintf(line, sizeof line, "A-%c   pos %lld vs pos %lld:  cosine %.4f   distance %.3f",
                 'A' + k, (long long)p->probe[0], (long long)p->probe[k], d.cosine, d.euclidean);
        draw_text(ui->dl, 0, x, y, line, strlen(line), k == 1 ? ui->theme.text : ui->theme.dim);
        y += (float)ui->line_h + 2;
    }
}

void gui_posview_draw(GuiApp *g, float x, float y, float w, float h)
{
    Ui *ui = &g->ui;
    GuiPosState *p = &g->views.pos;
    float sc = g->win.scale, lh = (float)ui->line_h, pad = 10 * sc;
    draw_rect(ui->dl, x, y, w, h, ui->theme.panel);
    draw_outline(ui->dl, x, y, w, h, ui->theme.border);
    ui_claim(ui, x, y, w, h);
    float bottom = y + h - pad;
    x += pad, y += pad, w -= 2 * pad;
    y += controls(g, x, y, w) + 8 * sc;
    if (!p->shown || !prepare(g)) {
        const char *s = building(g) ? "building the table..." : "no table yet";
        draw_text(ui->dl, 0, x, y, s, strlen(s), ui->theme.dim);
        return;
    }
    const PosView *v = p->shown;
    char head[200];
    snprintf(head, sizeof head, "%s  nn.Embedding(%d, %d)%s", v->desc.kind == POSENC_RANDOM ?
             "random init N(0, 1):" : "sinusoidal PE(pos, 2i) = sin(pos / 10000^(2i/d)):",
             v->desc.max_len, v->desc.dim, building(g) ? "   (rebuilding...)" : "");
    draw_text(ui->dl, 0, x, y, head, strlen(head), ui->theme.text);
    y += lh + 4;
    probes(g, x, y);
    y += 2 * (lh + 2) + 8 * sc;
    /* left: the PCA path; right: the similarity matrix with its legend under it */
    float legend_h = 10 * sc + 3 + lh + 4;
    float side = fminf(w * 0.5f - 10 * sc, bottom - y - lh - 6 - legend_h);
    if (side < 40)
        return;
    float sx = x + w - side;
    char t[160];
    snprintf(t, sizeof t, "PCA of positions (PC1 %.0f%%, PC2 %.0f%%), colour = position",
             v->explained[0] * 100, v->explained[1] * 100);
    draw_text(ui->dl, 0, x, y, t, strlen(t), ui->theme.dim);
    snprintf(t, sizeof t, "cosine(pos i, pos j), i, j < %d", v->nsim);
    draw_text(ui->dl, 0, sx, y, t, strlen(t), ui->theme.dim);
    y += lh + 6;
    float pw = sx - x - 20 * sc;
    draw_rect(ui->dl, x, y, pw, side, DRAW_RGB(14, 16, 20));
    draw_clip(ui->dl, x, y, pw, side);
    pca_path(g, x, y, pw, side);
    draw_noclip(ui->dl);
    cmap_legend(ui->dl, CMAP_SEQUENTIAL, 0, (float)(v->table.rows - 1), x + pw * 0.2f, y + side + 4,
                pw * 0.6f, 10 * sc, ui->text_width, ui->text_ctx, ui->line_h, ui->theme.dim);
    sim_map(g, sx, y, side);
    cmap_legend(ui->dl, CMAP_DIVERGING, -1, 1, sx + side * 0.2f, y + side + 4, side * 0.6f, 10 * sc,
                ui->text_width, ui->text_ctx, ui->line_h, ui->theme.dim);
}
