/* Live training controls (S): the learning rate (takes effect at once), pause / step / reset,
 * and settings that need a restart (model, dimension, window, negative samples, subsampling,
 * min-count, epochs, threads), shown beside the values really in use. UI thread. */
#include "app/gui/app.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Words of one Step: about one snapshot's worth (the analysis ticks every 250 ms). */
#define STEP_SECONDS 0.25
#define STEP_MIN_WORDS 2000

enum { SET_DIM, SET_WINDOW, SET_NEGATIVE, SET_SAMPLE, SET_MIN_COUNT, SET_EPOCHS, SET_THREADS, SET_N };
static const char *const set_names[SET_N] = {"dim", "window", "negative", "sample", "min_count",
                                             "epochs", "threads"};
static const char *const set_labels[SET_N] = {"dimension", "window", "negative samples",
                                              "subsampling", "min-count", "epochs", "threads"};

static double in_use(const TrainDesc *d, int i)
{
    switch (i) {
    case SET_DIM: return d->dim;
    case SET_WINDOW: return d->window;
    case SET_NEGATIVE: return d->negative;
    case SET_SAMPLE: return d->sample;
    case SET_MIN_COUNT: return d->min_count;
    case SET_EPOCHS: return d->iter;
    default: return d->threads;
    }
}

static void fmt_value(char *buf, size_t cap, int i, double v)
{
    if (i == SET_SAMPLE)
        snprintf(buf, cap, "%g", v);
    else
        snprintf(buf, cap, "%.0f", v);
}

/* The value typed for setting i, or NaN when the box is empty or not a number in range. */
static double edited(const GuiSettings *s, int i)
{
    const char *t = s->edit[i];
    if (!t[0])
        return NAN;
    char *end;
    errno = 0;
    double v = strtod(t, &end);
    if (end == t || *end || errno || !isfinite(v))
        return NAN;
    static const double lo[SET_N] = {2, 1, -1, -1, 1, 1, 1};
    static const double hi[SET_N] = {EMB_MAX_DIM, 100, 100, 1, 1e9, 10000, 256};
    if (v < lo[i] || v > hi[i] || (i != SET_SAMPLE && v != floor(v)))
        return NAN;
    return v;
}

bool gui_set_lr(GuiApp *g, double lr)
{
    if (!g->trainer || !(lr >= 0) || lr > 10)
        return false;
    trainer_set_alpha(g->trainer, lr);
    snprintf(g->views.set.lr, sizeof g->views.set.lr, "%g", lr);
    gui_set_status(g, false, "learning rate %g from now on (decaying linearly to the end)", lr);
    return true;
}

void gui_step(GuiApp *g)
{
    if (!g->trainer)
        return;
    TrainProgress p = trainer_progress(g->trainer);
    if (p.finished)
        return;
    double wps = p.words_per_sec > 0 ? p.words_per_sec : 1e5;
    uint64_t n = (uint64_t)(wps * STEP_SECONDS);
    g->views.set.step_until = p.words_done + (n < STEP_MIN_WORDS ? STEP_MIN_WORDS : n);
    g->views.set.stepping = true;
    if (p.paused)
        trainer_resume(g->trainer);
    gui_set_status(g, false, "one step: training %llu more words, then pausing",
                   (unsigned long long)(g->views.set.step_until - p.words_done));
}

/* Called every frame: ends a step once its words are done (the run loop refreshes every
 * 100 ms while training, so a step overshoots by at most that much). */
void gui_step_poll(GuiApp *g)
{
    GuiSettings *s = &g->views.set;
    if (!s->stepping || !g->trainer)
        return;
    TrainProgress p = trainer_progress(g->trainer);
    if (p.words_done >= s->step_until || p.finished) {
        s->stepping = false;
        if (!p.finished)
            trainer_pause(g->trainer);
    }
}

bool gui_settings_edit(GuiApp *g, const char *name, const char *value, Err *e)
{
    GuiSettings *s = &g->views.set;
    if (!strcmp(name, "model")) {
        if (!strcmp(value, "cbow"))
            s->model = TRAIN_CBOW;
        else if (!strcmp(value, "sg") || !strcmp(value, "skipgram"))
            s->model = TRAIN_SKIPGRAM;
        else
            return err_set(e, "model is sg or cbow, not '%s'", value);
        return true;
    }
    for (int i = 0; i < SET_N; i++)
        if (!strcmp(name, set_names[i])) {
            snprintf(s->edit[i], sizeof s->edit[i], "%s", value);
            if (isnan(edited(s, i))) {
                s->edit[i][0] = 0;
                return err_set(e, "bad value for %s: '%s'", name, value);
            }
            return true;
        }
    return err_set(e, "unknown setting '%s'", name);
}

/* The edited settings over the ones in use; true when any differs. */
static bool wanted(const GuiApp *g, TrainDesc *d)
{
    const GuiSettings *s = &g->views.set;
    *d = *trainer_desc(g->trainer);
    bool changed = s->model && s->model != d->model;
    if (s->model)
        d->model = s->model;
    for (int i = 0; i < SET_N; i++) {
        double v = edited(s, i);
        if (isnan(v) || v == in_use(d, i))
            continue;
        changed = true;
        switch (i) {
        case SET_DIM: d->dim = (int)v; break;
        case SET_WINDOW: d->window = (int)v; break;
        case SET_NEGATIVE: d->negative = (int)v; break;
        case SET_SAMPLE: d->sample = v; break;
        case SET_MIN_COUNT: d->min_count = (int)v; break;
        case SET_EPOCHS: d->iter = (int)v; break;
        default: d->threads = (int)v; break;
        }
    }
    return changed;
}

/* A restart with new settings reopens the corpus in the background (min-count changes the
 * vocabulary, so it is counted again); the current run stays on screen until then. */
bool gui_settings_apply(GuiApp *g, Err *e)
{
    if (!g->trainer)
        return err_set(e, "nothing is training");
    TrainDesc d;
    wanted(g, &d);
    TrainDesc keep = g->open_desc.train;
    g->open_desc.train = d;
    g->open_desc.train.alpha = 0; /* the model's default rate, not the edited live one */
    bool ok = gui_open(g, g->sess.source, SESSION_CORPUS);
    g->open_desc.train = ok ? g->open_desc.train : keep;
    if (!ok)
        return err_set(e, "%s", g->status);
    GuiSettings *s = &g->views.set;
    s->model = 0;
    for (int i = 0; i < SET_N; i++)
        s->edit[i][0] = 0;
    s->lr[0] = 0;
    s->stepping = false;
    return true;
}

static void lr_row(GuiApp *g, Ui *ui, float w)
{
    GuiSettings *s = &g->views.set;
    TrainProgress p = trainer_progress(g->trainer);
    float sc = g->win.scale, bh = (float)ui->line_h + 8, x = ui->px + ui->pad, y = ui->cy;
    char now[64];
    snprintf(now, sizeof now, "now %.5f", p.alpha);
    ui_row(ui, "learning rate", now, ui->theme.text);
    y = ui->cy;
    float bw = 44 * sc, tw = w - 2 * ui->pad - 3 * (bw + 4);
    int r = ui_textbox(ui, "set_lr", s->lr, sizeof s->lr, x, y, tw, "e.g. 0.025, Enter");
    if (r & UI_SUBMITTED) {
        char *end;
        double v = strtod(s->lr, &end);
        if (end == s->lr || *end || !gui_set_lr(g, v))
            gui_set_status(g, true, "learning rate: want a number in [0, 10], not '%s'", s->lr);
        ui->focus = 0;
    }
    double base = trainer_desc(g->trainer)->alpha;
    double cur = s->lr[0] ? strtod(s->lr, NULL) : base;
    if (ui_button(ui, "x0.5", x + tw + 4, y, bw, bh) & UI_SUBMITTED)
        gui_set_lr(g, cur * 0.5);
    if (ui_button(ui, "x2", x + tw + 8 + bw, y, bw, bh) & UI_SUBMITTED)
        gui_set_lr(g, cur * 2);
    if (ui_button(ui, "0", x + tw + 12 + 2 * bw, y, bw, bh) & UI_SUBMITTED)
        gui_set_lr(g, 0);
    ui_space(ui, bh + 6);
}

static void run_buttons(GuiApp *g, Ui *ui, float w)
{
    TrainProgress p = trainer_progress(g->trainer);
    float bh = (float)ui->line_h + 8, bw = (w - 2 * ui->pad - 8) / 3, x = ui->px + ui->pad, y = ui->cy;
    if ((ui_button(ui, p.paused ? "Resume " : "Pause ", x, y, bw, bh) & UI_SUBMITTED) && !p.finished)
        gui_toggle_pause(g);
    if (ui_button(ui, "Step  N", x + bw + 4, y, bw, bh) & UI_SUBMITTED)
        gui_step(g);
    if (ui_button(ui, "Reset", x + 2 * (bw + 4), y, bw, bh) & UI_SUBMITTED)
        g->want_restart = true;
    ui_space(ui, bh + 6);
}

float gui_settings_panel(GuiApp *g, float x, float y, float w)
{
    if (!g->trainer)
        return 0;
    Ui *ui = &g->ui;
    GuiSettings *s = &g->views.set;
    const TrainDesc *d = trainer_desc(g->trainer);
    float sc = g->win.scale, bh = (float)ui->line_h + 8;
    ui_panel_begin(ui, x, y, w);
    ui_row(ui, "Training controls", "S hides", ui->theme.accent);
    lr_row(g, ui, w);
    run_buttons(g, ui, w);
    ui_row(ui, "setting", "in use   new", ui->theme.dim);
    /* model: a toggle */
    TrainModel m = s->model ? s->model : d->model;
    float vx = ui->px + w - ui->pad - 90 * sc, ux = vx - 8 * sc;
    char buf[32];
    bool model_changed = m != d->model;
    draw_text(ui->dl, 0, ui->px + ui->pad, ui->cy + 4, "model", 5,
              model_changed ? ui->theme.error : ui->theme.text);
    snprintf(buf, sizeof buf, "%s", d->model == TRAIN_CBOW ? "CBOW" : "skip-gram");
    draw_text(ui->dl, 0, ux - (float)ui_text_w(ui, buf), ui->cy + 4, buf, strlen(buf), ui->theme.dim);
    if (ui_button(ui, m == TRAIN_CBOW ? "CBOW" : "skip-gram", vx, ui->cy, 90 * sc, bh) & UI_SUBMITTED)
        s->model = m == TRAIN_CBOW ? TRAIN_SKIPGRAM : TRAIN_CBOW;
    ui_space(ui, bh + 4);
    bool any = model_changed;
    for (int i = 0; i < SET_N; i++) {
        double v = edited(s, i);
        bool changed = !isnan(v) && v != in_use(d, i);
        bool bad = s->edit[i][0] && isnan(v);
        any |= changed;
        draw_text(ui->dl, 0, ui->px + ui->pad, ui->cy + 4, set_labels[i], strlen(set_labels[i]),
                  bad || changed ? ui->theme.error : ui->theme.text);
        fmt_value(buf, sizeof buf, i, in_use(d, i));
        draw_text(ui->dl, 0, ux - (float)ui_text_w(ui, buf), ui->cy + 4, buf, strlen(buf), ui->theme.dim);
        char id[32];
        snprintf(id, sizeof id, "set_%s", set_names[i]);
        ui_textbox(ui, id, s->edit[i], sizeof s->edit[i], vx, ui->cy, 90 * sc, "");
        ui_space(ui, bh + 4);
    }
    if (any) {
        ui_label(ui, "red: needs a restart (new random init)", ui->theme.error);
        if (ui_button(ui, "Apply and restart", ui->px + ui->pad, ui->cy, w - 2 * ui->pad, bh) & UI_SUBMITTED) {
            Err e = {{0}};
            if (!gui_settings_apply(g, &e))
                gui_set_status(g, true, "%s", e.msg);
        }
        ui_space(ui, bh + 4);
    } else {
        ui_label(ui, "type a new value; the learning rate applies at once", ui->theme.dim);
    }
    return ui_panel_end(ui);
}
