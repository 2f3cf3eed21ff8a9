/* The learned source's settings, controls and per-frame bookkeeping (see posctl.h). UI
 * thread. */
#include "app/gui/views/posctl.h"
#include "app/gui/views/poslearn.h"
#include "app/ui/textbox.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool gui_posctl_parse_int(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* What it trains on: the text typed, else the corpus on screen, else the demo world. */
static const char *learn_text(const GuiApp *g)
{
    const GuiPosState *p = &g->views.pos;
    if (p->learn_text[0])
        return p->learn_text;
    return g->data.trainer && g->data.sess.source[0] ? g->data.sess.source : "@world";
}

/* Every core, but one left to the word trainer while it has (or is about to have) words to
 * train. */
static int learn_threads(const GuiApp *g, bool *shared)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    *shared = (g->data.trainer && !gui_progress(g).finished) || g->data.opening;
    n -= *shared ? 1 : 0;
    return n < 1 ? 1 : n > 8 ? 8 : (int)n; /* 8: the batch's sequences */
}

static void sync_texts(GuiPosState *p)
{
    const GptDesc *m = &p->learn.model;
    if (p->learned) {
        snprintf(p->len_text, sizeof p->len_text, "%d", m->max_len);
        snprintf(p->dim_text, sizeof p->dim_text, "%d", m->dim);
    }
    snprintf(p->layers_text, sizeof p->layers_text, "%d", m->layers);
    snprintf(p->heads_text, sizeof p->heads_text, "%d", m->heads);
    snprintf(p->lr_text, sizeof p->lr_text, "%g", p->learn.lr);
    snprintf(p->text_edit, sizeof p->text_edit, "%s", p->learn_text);
}

void gui_posctl_prepare(GuiApp *g)
{
    GuiPosState *p = &g->views.pos;
    if (p->learn.model.max_len)
        return;
    GptDesc s;
    gptm_preset('S', &s);
    p->learn.model = gptm_desc_defaults(&s);
    p->learn.lr = gptt_desc_defaults(NULL).lr;
    sync_texts(p);
}

/* Bytes the view keeps beside the model: three frames (table, projection, similarity, wte)
 * and the session's three snapshots. */
static double view_bytes(const GptDesc *m)
{
    double rows = m->max_len, dim = m->dim, v = m->vocab;
    double nsim = rows < POSVIEW_MAX_SIM ? rows : POSVIEW_MAX_SIM;
    double frame = 4 * (rows * (dim + 16) + rows * 3 + nsim * nsim + v * dim);
    return 3 * frame + 3 * 4 * (rows + v) * dim;
}

/* want for text, checked: the desc to hand over (threads chosen, defaults filled in) and its
 * estimate. vocab: the text's when it is the one loaded, else at most 256 bytes. */
static bool check(GuiApp *g, const GptTrainDesc *want, const char *text, GptTrainDesc *out,
                  GptEstimate *est, Err *e)
{
    const GuiPosState *p = &g->views.pos;
    bool shared;
    GptTrainDesc d = *want;
    d.threads = learn_threads(g, &shared);
    d = gptt_desc_defaults(&d);
    GptDesc *m = &d.model;
    if (m->max_len < 2 || m->max_len > POS_MAX_LEN)
        return err_set(e, "max_len %d: the view shows 2 .. %d positions", m->max_len, POS_MAX_LEN);
    m->vocab = p->frame && !strcmp(p->frame->text, text) ? p->frame->vocab : 256;
    if (!gptm_check(m, e) || !gptm_estimate(m, d.batch, d.threads, est, e))
        return false;
    GptEstimate with_view = *est;
    with_view.total_bytes += view_bytes(m);
    if (!gptm_fits(&with_view, m, d.threads, e))
        return err_prefix(e, "with the view's copies: ");
    m->vocab = 0; /* the text's, set by the session */
    *out = d;
    return true;
}

bool gui_posctl_request(GuiApp *g, Err *e)
{
    GuiPosState *p = &g->views.pos;
    gui_posctl_prepare(g);
    GptTrainDesc d;
    GptEstimate est;
    const char *text = learn_text(g);
    if (!check(g, &p->learn, text, &d, &est, e))
        return err_prefix(e, "positions: ");
    if (!p->learner && !(p->learner = poslearn_create(gui_wake, g, e)))
        return false;
    poslearn_configure(p->learner, &d, text);
    p->error[0] = 0;
    p->hidden_pause = false;
    gui_set_status(g, false, "positions: reading %.200s for a learned table %d x %d...", text,
                   d.model.max_len, d.model.dim);
    return true;
}

void gui_posctl_refuse(GuiApp *g, const char *msg)
{
    GuiPosState *p = &g->views.pos;
    snprintf(p->error, sizeof p->error, "%s", msg);
    gui_set_status(g, true, "%s", msg);
    sync_texts(p); /* the boxes show the values in use again */
}

/* A shape field of d by name; 0 not one, 1 set, -1 refused (e set). */
static int set_shape(GptDesc *m, const char *name, const char *val, Err *e)
{
    static const struct { const char *name, *what; long long lo, hi; } f[4] = {
        {"pos_len", "max_len", 2, POS_MAX_LEN}, {"pos_dim", "dim", 1, GPT_MAX_DIM},
        {"pos_layers", "layers", 1, GPT_MAX_LAYERS}, {"pos_heads", "heads", 1, GPT_MAX_DIM}};
    int *dst[4] = {&m->max_len, &m->dim, &m->layers, &m->heads};
    long long v[4];
    int k = 0, n = 1;
    if (!strcmp(name, "pos_shape")) {
        char tail;
        if (sscanf(val, "%lld %lld %lld %lld %c", &v[0], &v[1], &v[2], &v[3], &tail) != 4)
            return err_set(e, "positions: pos_shape: want LEN DIM LAYERS HEADS, not '%s'",
                           val), -1;
        n = 4;
    } else {
        while (k < 4 && strcmp(name, f[k].name))
            k++;
        if (k == 4)
            return 0;
        if (!gui_posctl_parse_int(val, f[k].lo, f[k].hi, &v[0]))
            return err_set(e, "positions: %s '%s': want a whole number in %lld .. %lld", f[k].what,
                           val, f[k].lo, f[k].hi), -1;
    }
    for (int i = 0; i < n; i++, k++) {
        long long x = v[n == 4 ? k : 0];
        if (x < f[k].lo || x > f[k].hi)
            return err_set(e, "positions: %s %lld: want %lld .. %lld", f[k].what, x, f[k].lo,
                           f[k].hi), -1;
        *dst[k] = (int)x;
    }
    return 1;
}

static bool set_lr(GuiApp *g, const char *val, Err *e)
{
    GuiPosState *p = &g->views.pos;
    char *end;
    double lr = strtod(val, &end);
    if (end == val || *end || !(lr > 0 && lr <= 1))
        return err_set(e, "positions: lr '%s': want a number in (0, 1]", val);
    p->learn.lr = lr;
    snprintf(p->lr_text, sizeof p->lr_text, "%g", lr);
    if (p->learner)
        poslearn_set_lr(p->learner, lr);
    gui_set_status(g, false, "positions: learning rate %g from the next step", lr);
    return true;
}

bool gui_posctl_set(GuiApp *g, const char *name, const char *val, Err *e)
{
    GuiPosState *p = &g->views.pos;
    gui_posctl_prepare(g);
    if (!strcmp(name, "pos_lr"))
        return set_lr(g, val, e);
    GptTrainDesc d = p->learn;
    char text[sizeof p->learn_text];
    snprintf(text, sizeof text, "%s", p->learn_text);
    GptDesc pre;
    int r = set_shape(&d.model, name, val, e);
    if (r < 0)
        return false;
    if (r == 0 && !strcmp(name, "pos_preset")) {
        if (strlen(val) != 1 || !gptm_preset(val[0], &pre))
            return err_set(e, "positions: preset '%s': want S or M", val);
        pre.init = d.model.init, pre.seed = d.model.seed;
        d.model = gptm_desc_defaults(&pre);
    } else if (r == 0 && !strcmp(name, "pos_init")) {
        if (strcmp(val, "gpt2") && strcmp(val, "torch"))
            return err_set(e, "positions: init '%s': want gpt2 or torch", val);
        d.model.init = !strcmp(val, "torch") ? GPT_INIT_TORCH : GPT_INIT_GPT2;
    } else if (r == 0 && !strcmp(name, "pos_text")) {
        snprintf(text, sizeof text, "%s", val);
    } else if (r == 0) {
        return err_set(e, "unknown setting '%s' (pos_kind pos_len pos_dim pos_layers pos_heads "
                       "pos_shape pos_preset pos_init pos_text pos_lr)", name);
    }
    GptTrainDesc out;
    GptEstimate est;
    if (!check(g, &d, text[0] ? text : learn_text(g), &out, &est, e))
        return err_prefix(e, "positions: ");
    p->learn = d;
    snprintf(p->learn_text, sizeof p->learn_text, "%s", text);
    sync_texts(p);
    return !p->learned || gui_posctl_request(g, e);
}

bool gui_posctl_control(GuiApp *g, const char *what, int n)
{
    GuiPosState *p = &g->views.pos;
    bool has = false;
    if (p->learner)
        poslearn_progress(p->learner, &has);
    if (!has)
        return false;
    p->hidden_pause = false;
    p->error[0] = 0;
    if (!strcmp(what, "start"))
        poslearn_start(p->learner);
    else if (!strcmp(what, "pause"))
        poslearn_pause(p->learner);
    else if (!strcmp(what, "reset"))
        poslearn_reset(p->learner);
    else if (!strcmp(what, "step"))
        poslearn_step(p->learner, n > 0 ? n : POSCTL_STEP);
    else
        return false;
    return true;
}

/* A labelled box; Enter applies it by name (refused values are said and undone). */
static float field(GuiApp *g, const char *label, const char *id, char *buf, size_t cap, float x,
                   float y, float w, const char *hint)
{
    Ui *ui = &g->ui;
    float lw = (float)ui_text_w(ui, label);
    draw_text(ui->dl, 0, x, y + 5, label, strlen(label), ui->theme.dim);
    if (ui_textbox(ui, id, buf, cap, x + lw + 5, y, w, hint) & UI_SUBMITTED) {
        ui->focus = 0;
        Err e = {{0}};
        if (!gui_posctl_set(g, id, buf, &e))
            gui_posctl_refuse(g, e.msg);
    }
    return lw + 5 + w + 12 * g->win.scale;
}

static float button(GuiApp *g, const char *label, bool on, float x, float y, bool *hit)
{
    Ui *ui = &g->ui;
    char b[64];
    snprintf(b, sizeof b, on ? "[%s]" : "%s", label);
    float bw = (float)ui_text_w(ui, label) + 24 * g->win.scale;
    *hit = ui_button(ui, b, x, y, bw, (float)ui->line_h + 10) & UI_SUBMITTED;
    return bw + 4;
}

/* preset S M, layers, heads, init, text */
static void settings_row(GuiApp *g, float x, float y, float w)
{
    GuiPosState *p = &g->views.pos;
    const GptDesc *m = &p->learn.model;
    float sc = g->win.scale, cx = x;
    bool hit;
    Err e = {{0}};
    draw_text(g->ui.dl, 0, cx, y + 5, "preset", 6, g->ui.theme.dim);
    cx += (float)ui_text_w(&g->ui, "preset") + 5;
    for (int k = 0; k < 2; k++) {
        GptDesc s;
        gptm_preset("SM"[k], &s);
        bool on = s.max_len == m->max_len && s.dim == m->dim && s.layers == m->layers &&
                  s.heads == m->heads;
        cx += button(g, k ? "M" : "S", on, cx, y, &hit);
        if (hit && !gui_posctl_set(g, "pos_preset", k ? "M" : "S", &e))
            gui_posctl_refuse(g, e.msg);
    }
    cx += 8 * sc;
    cx += field(g, "layers", "pos_layers", p->layers_text, sizeof p->layers_text, cx, y, 30 * sc, "");
    cx += field(g, "heads", "pos_heads", p->heads_text, sizeof p->heads_text, cx, y, 30 * sc, "");
    static const char *const init[2] = {"GPT-2 N(0, 0.02)", "PyTorch N(0, 1)"};
    for (int k = 0; k < 2; k++) {
        cx += button(g, init[k], (int)m->init == k, cx, y, &hit);
        if (hit && (int)m->init != k && !gui_posctl_set(g, "pos_init", k ? "torch" : "gpt2", &e))
            gui_posctl_refuse(g, e.msg);
    }
    cx += 8 * sc;
    float tw = x + w - cx - (float)ui_text_w(&g->ui, "text") - 17 * sc;
    if (tw > 60 * sc)
        field(g, "text", "pos_text", p->text_edit, sizeof p->text_edit, cx, y, tw,
              "corpus on screen");
}

/* Start / Pause / Resume, Step, Reset, lr, and the run's progress. */
static void control_row(GuiApp *g, float x, float y, float w, const GptProgress *pr, bool has)
{
    Ui *ui = &g->ui;
    GuiPosState *p = &g->views.pos;
    float sc = g->win.scale, cx = x;
    bool hit;
    const char *go = !pr->running ? "Start" : pr->paused ? "Resume" : "Pause";
    cx += button(g, go, false, cx, y, &hit);
    if (hit)
        gui_posctl_control(g, pr->running && !pr->paused ? "pause" : "start", 0);
    char b[32];
    snprintf(b, sizeof b, "Step %d", POSCTL_STEP);
    cx += button(g, b, false, cx, y, &hit);
    if (hit)
        gui_posctl_control(g, "step", POSCTL_STEP);
    cx += button(g, "Reset", false, cx, y, &hit);
    if (hit)
        gui_posctl_control(g, "reset", 0);
    cx += 8 * sc;
    cx += field(g, "lr", "pos_lr", p->lr_text, sizeof p->lr_text, cx, y, 56 * sc, "");
    if (!has)
        return;
    char line[240];
    int n = pr->step == 0 ? snprintf(line, sizeof line, "step 0: the initial table") :
            snprintf(line, sizeof line, "step %lld   loss %.3f   %.0f steps/s", (long long)pr->step,
                     pr->loss, pr->elapsed > 0 ? (double)pr->step / pr->elapsed : 0.0);
    if (pr->smooth_step >= 0)
        snprintf(line + n, sizeof line - (size_t)n, "   smooth at step %lld (%.1f s)",
                 (long long)pr->smooth_step, pr->smooth_seconds);
    draw_clip(ui->dl, cx, y, x + w - cx, (float)ui->line_h + 10);
    draw_text(ui->dl, 0, cx, y + 5, line, strlen(line), pr->smooth_step >= 0 ? ui->theme.accent
                                                                             : ui->theme.text);
    draw_noclip(ui->dl);
}

/* The estimate before it trains (and the measured time once it does), and the threads. */
static void estimate_line(GuiApp *g, float x, float y, float w, const GptProgress *pr)
{
    Ui *ui = &g->ui;
    const GuiPosState *p = &g->views.pos;
    const PosLearnFrame *f = p->frame;
    bool shared;
    GptTrainDesc d;
    GptEstimate est;
    Err e = {{0}};
    learn_threads(g, &shared);
    const GptDesc *m = &p->learn.model;
    if (f && f->desc.model.max_len == m->max_len && f->desc.model.dim == m->dim &&
        f->desc.model.layers == m->layers) {
        d = f->desc, est = f->est; /* the session's own */
    } else if (!check(g, &p->learn, learn_text(g), &d, &est, &e)) {
        return;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    char line[320];
    int n = snprintf(line, sizeof line, "estimate %.1f MB, 1000 steps ~ %.0f s (%.1f ms/step of %d x "
                     "%d bytes) on %d thread%s%s", est.total_bytes / 1048576.0,
                     est.step_seconds * 1e3, est.step_seconds * 1e3, d.batch, d.model.max_len,
                     d.threads, d.threads == 1 ? "" : "s", shared && d.threads < cpus ?
                     ", 1 core left to the word trainer" : "");
    if (pr->step > 0 && pr->elapsed > 0)
        snprintf(line + n, sizeof line - (size_t)n, "; measured %.1f ms/step",
                 pr->elapsed * 1e3 / (double)pr->step);
    draw_clip(ui->dl, x, y, w, (float)ui->line_h);
    draw_text(ui->dl, 0, x, y, line, strlen(line), ui->theme.dim);
    draw_noclip(ui->dl);
}

/* What the init changes (measured on @world: docs/positions.md), or the last refusal. */
static void init_line(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    const GuiPosState *p = &g->views.pos;
    const char *s = p->learn.model.init == GPT_INIT_TORCH ?
        "init PyTorch: wte, wpe N(0, 1) as nn.Embedding: rows 50x larger take ~6x the steps to turn "
        "smooth (~4600 on @world, S); the loss lags" :
        "init GPT-2: tables and matrices N(0, 0.02); AdamW moves entries ~lr a step, so the small "
        "rows reshape soon: smooth at ~740 steps on @world (S)";
    if (p->error[0])
        s = p->error;
    draw_clip(ui->dl, x, y, w, (float)ui->line_h);
    draw_text(ui->dl, 0, x, y, s, strlen(s), p->error[0] ? ui->theme.error : ui->theme.dim);
    draw_noclip(ui->dl);
}

float gui_posctl_draw(GuiApp *g, float x, float y, float w)
{
    const GuiPosState *p = &g->views.pos;
    float sc = g->win.scale, lh = (float)g->ui.line_h, row = lh + 10 + 6 * sc, y0 = y;
    bool has = false;
    GptProgress pr = {0};
    if (p->learner)
        pr = poslearn_progress(p->learner, &has);
    settings_row(g, x, y, w);
    y += row;
    control_row(g, x, y, w, &pr, has);
    y += row;
    estimate_line(g, x, y, w, &pr);
    y += lh + 2;
    init_line(g, x, y, w);
    y += lh + 2;
    return y - y0;
}

bool gui_posctl_poll(GuiApp *g)
{
    GuiPosState *p = &g->views.pos;
    PosLearn *l = p->learner;
    if (!l)
        return false;
    char msg[400];
    bool error;
    if (poslearn_message(l, msg, sizeof msg, &error)) {
        gui_set_status(g, error, "%s", msg);
        snprintf(p->error, sizeof p->error, "%s", error ? msg : "");
        if (error && p->frame && !poslearn_busy(l)) { /* the boxes show the session in use */
            double lr = p->learn.lr;
            p->learn = p->frame->desc;
            p->learn.lr = lr;
            p->learn.on_publish = NULL; /* the helper's own, set for each session */
            p->learn.publish_ctx = NULL;
            snprintf(p->learn_text, sizeof p->learn_text, "%s", p->frame->text);
            sync_texts(p);
        }
    }
    const PosLearnFrame *f = poslearn_acquire(l);
    bool fresh = f && f->seq != p->frame_seq;
    p->frame = f;
    p->frame_seq = f ? f->seq : 0;
    /* nothing else shows the GPT: hidden, it gives its cores back to the word trainer */
    GuiView v = g->views.view;
    bool shown = (v == GUI_VIEW_POSITIONS && p->learned) ||
                 (v == GUI_VIEW_TABLE && g->views.table.source != GUI_TABLE_WORDS);
    bool has;
    GptProgress pr = poslearn_progress(l, &has);
    if (!shown && has && pr.running && !pr.paused) {
        poslearn_pause(l);
        p->hidden_pause = true;
    } else if (shown && p->hidden_pause) {
        p->hidden_pause = false;
        poslearn_start(l);
    }
    return fresh;
}

void gui_posctl_free(GuiApp *g)
{
    GuiPosState *p = &g->views.pos;
    poslearn_destroy(p->learner);
    p->learner = NULL;
    p->frame = NULL;
}
