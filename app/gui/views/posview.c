/* The positional-embeddings view (O): a position table (sinusoidal, nn.Embedding(512, 768)'s
 * random init, or the learned wpe of a small GPT training in the background: posctl.c) shown
 * as the PCA path of its positions coloured by position, the position x position
 * cosine-similarity heatmap, and distance probes between positions. Tables are built on a
 * worker thread (posview_build; a 2048 x 2048 similarity takes seconds), the UI only shows
 * finished ones. UI thread, except job_main. */
#include "app/ui/textbox.h"
#include "app/gui/views/posview.h"
#include "app/gui/views/poscurves.h"
#include "app/gui/views/posctl.h"
#include "app/gui/views/poslearn.h"
#include "render/colormap.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void gui_posview_show(GuiApp *g, const PosView *v)
{
    GuiPosState *p = &g->views.pos;
    if (p->shown != v) {
        p->shown = v;
        p->shown_gen++;
    }
}

void gui_posview_request(GuiApp *g)
{
    GuiPosState *p = &g->views.pos;
    if (p->learned) { /* a session shown or on its way stays: settings make new ones */
        Err e = {{0}};
        if (p->frame || (p->learner && poslearn_busy(p->learner)))
            return;
        if (!gui_posctl_request(g, &e))
            gui_posctl_refuse(g, e.msg);
        return;
    }
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
    if (gui_posctl_poll(g) && p->learned)
        gui_posview_show(g, &p->frame->view);
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
        if (!p->learned)
            gui_posview_show(g, j->shown);
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
    gui_posctl_free(g);
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

static bool building(GuiApp *g)
{
    const GuiPosState *p = &g->views.pos;
    return p->learned ? p->learner && poslearn_busy(p->learner) : p->job && p->job->running;
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

void gui_posview_choose(GuiApp *g, GuiPosSource src)
{
    GuiPosState *p = &g->views.pos;
    p->learned = src == GUI_POS_LEARNED;
    if (!p->learned)
        p->want.kind = src == GUI_POS_RANDOM ? POSENC_RANDOM : POSENC_SINUSOIDAL;
    int len = p->learned ? p->learn.model.max_len : p->want.max_len;
    int dim = p->learned ? p->learn.model.dim : p->want.dim;
    snprintf(p->len_text, sizeof p->len_text, "%d", len);
    snprintf(p->dim_text, sizeof p->dim_text, "%d", dim);
    if (p->learned && p->frame) { /* the session goes on where it was */
        gui_posview_show(g, &p->frame->view);
        return;
    }
    if (!p->learned && p->job && p->job->shown)
        gui_posview_show(g, p->job->shown); /* until the table asked for is built */
    gui_posview_request(g);
}

bool gui_posview_set(GuiApp *g, const char *name, const char *val, Err *e)
{
    GuiPosState *p = &g->views.pos;
    long long v;
    if (!strcmp(name, "pos_kind")) {
        static const char *const kinds[3] = {"sinusoidal", "random", "learned"};
        for (int k = 0; k < 3; k++)
            if (!strcmp(val, kinds[k])) {
                gui_posview_choose(g, (GuiPosSource)k);
                return true;
            }
        return err_set(e, "pos_kind: '%s' (want sinusoidal, random or learned)", val);
    }
    bool len = !strcmp(name, "pos_len"), dim = !strcmp(name, "pos_dim");
    if (p->learned || !(len || dim))
        return gui_posctl_set(g, name, val, e);
    if (!gui_posctl_parse_int(val, 2, len ? POS_MAX_LEN : 4096, &v)) {
        snprintf(len ? p->len_text : p->dim_text, sizeof p->len_text, "%d",
                 len ? p->want.max_len : p->want.dim);
        return err_set(e, "%s '%s': want a whole number in 2 .. %d", len ? "max_len" : "dim",
                       val, len ? POS_MAX_LEN : 4096);
    }
    *(len ? &p->want.max_len : &p->want.dim) = (int)v;
    snprintf(len ? p->len_text : p->dim_text, sizeof p->len_text, "%lld", v);
    gui_posview_request(g);
    return true;
}

/* The three sources' buttons. */
static float source_buttons(GuiApp *g, float x, float y)
{
    Ui *ui = &g->ui;
    GuiPosState *p = &g->views.pos;
    static const char *const label[3] = {"sinusoidal", "random init", "learned (training)"};
    int cur = p->learned ? GUI_POS_LEARNED : p->want.kind == POSENC_RANDOM ? GUI_POS_RANDOM
                                                                            : GUI_POS_SINUSOIDAL;
    float sc = g->win.scale, bh = (float)ui->line_h + 10, cx = x;
    for (int k = 0; k < 3; k++) {
        char b[40];
        snprintf(b, sizeof b, k == cur ? "[%s]" : "%s", label[k]);
        float bw = (float)ui_text_w(ui, label[k]) + 26 * sc;
        if (ui_button(ui, b, cx, y, bw, bh) & UI_SUBMITTED)
            gui_posview_choose(g, (GuiPosSource)k);
        cx += bw + 4;
    }
    return cx - x;
}

/* Source buttons, max_len / dim boxes (Enter rebuilds, or makes a new learned session), probe
 * boxes. */
static float controls(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    GuiPosState *p = &g->views.pos;
    float sc = g->win.scale, bh = (float)ui->line_h + 10;
    float cx = x + source_buttons(g, x, y) + 12 * sc;
    struct { const char *label, *id; char *buf; size_t cap; } box[5] = {
        {"max_len", "pos_len", p->len_text, sizeof p->len_text},
        {"dim", "pos_dim", p->dim_text, sizeof p->dim_text},
        {"A", "pos_a", p->probe_text[0], sizeof p->probe_text[0]},
        {"B", "pos_b", p->probe_text[1], sizeof p->probe_text[1]},
        {"C", "pos_c", p->probe_text[2], sizeof p->probe_text[2]},
    };
    for (int k = 0; k < 5; k++) {
        float lw = (float)ui_text_w(ui, box[k].label), fw = (k < 2 ? 58 : 46) * sc;
        if (cx + lw + fw + 6 > x + w)
            break;
        draw_text(ui->dl, 0, cx, y + 5, box[k].label, strlen(box[k].label), ui->theme.dim);
        int r = ui_textbox(ui, box[k].id, box[k].buf, box[k].cap, cx + lw + 5, y, fw, "");
        cx += lw + fw + 12 * sc;
        if (!(r & UI_SUBMITTED))
            continue;
        ui->focus = 0;
        long long v;
        Err e = {{0}};
        if (k < 2) {
            if (!gui_posview_set(g, box[k].id, box[k].buf, &e))
                gui_posctl_refuse(g, e.msg);
        } else if (gui_posctl_parse_int(box[k].buf, 0, POS_MAX_LEN - 1, &v)) {
            p->probe[k - 2] = v;
        } else {
            gui_set_status(g, true, "%s: want a position in 0 .. %d", box[k].label, POS_MAX_LEN - 1);
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

/* The line over the probes: which table this is. */
static void headline(GuiApp *g, float x, float y)
{
    Ui *ui = &g->ui;
    const GuiPosState *p = &g->views.pos;
    const PosView *v = p->shown;
    char head[300];
    const char *more = building(g) ? "   (rebuilding...)" : "";
    if (v->from_table && p->frame && &p->frame->view == v) {
        const PosLearnFrame *f = p->frame;
        snprintf(head, sizeof head, "learned wpe = nn.Embedding(%d, %d) of a %d-layer GPT on %.120s, "
                 "step %lld%s", f->rows, f->dim, f->desc.model.layers, f->text,
                 (long long)f->prog.step, more);
    } else {
        snprintf(head, sizeof head, "%s  nn.Embedding(%d, %d)%s", v->desc.kind == POSENC_RANDOM ?
                 "random init N(0, 1):" : "sinusoidal PE(pos, 2i) = sin(pos / 10000^(2i/d)):",
                 v->desc.max_len, v->desc.dim, more);
    }
    draw_text(ui->dl, 0, x, y, head, strlen(head), ui->theme.text);
}

/* Left the PCA path, right the similarity map, each with its legend under it. */
static void panes(GuiApp *g, float x, float y, float w, float side)
{
    Ui *ui = &g->ui;
    const PosView *v = g->views.pos.shown;
    float sc = g->win.scale, lh = (float)ui->line_h;
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
    if (p->learned)
        y += gui_posctl_draw(g, x, y, w) + 6 * sc;
    if (!p->shown || !prepare(g)) {
        const char *s = building(g) ? "building the table..." : "no table yet";
        draw_text(ui->dl, 0, x, y, s, strlen(s), ui->theme.dim);
        return;
    }
    headline(g, x, y);
    y += lh + 4;
    probes(g, x, y);
    y += 2 * (lh + 2) + 8 * sc;
    /* the learned table's curves take the bottom third under the panes */
    float legend_h = 10 * sc + 3 + lh + 4;
    float curves_h = p->learned && p->frame ? (bottom - y) * 0.34f : 0;
    float side = fminf(w * 0.5f - 10 * sc, bottom - y - lh - 6 - legend_h - curves_h);
    if (side >= 40)
        panes(g, x, y, w, side);
    if (curves_h > 60)
        gui_poscurves_draw(g, x, bottom - curves_h + 6 * sc, w, curves_h - 6 * sc);
}
