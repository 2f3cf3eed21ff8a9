/* Controlling the training on screen (see train_ctl.h). UI thread. */
#include "app/gui/data/train_ctl.h"
#include "app/gui/data/session.h"
#include <stdio.h>
#include <string.h>

/* Words of one Step: about one snapshot's worth (the analysis ticks every 250 ms). */
#define STEP_SECONDS 0.25
#define STEP_MIN_WORDS 2000

static const TrainParamId settings[GUI_SETTINGS] = {
    TRAIN_P_DIM, TRAIN_P_WINDOW, TRAIN_P_NEGATIVE, TRAIN_P_SAMPLE, TRAIN_P_MIN_COUNT,
    TRAIN_P_EPOCHS, TRAIN_P_THREADS,
};

const TrainParam *gui_setting(int i) { return train_param(settings[i]); }

void gui_toggle_pause(GuiApp *g)
{
    if (!g->data.trainer)
        return;
    TrainProgress p = trainer_progress(g->data.trainer);
    if (p.paused) {
        trainer_resume(g->data.trainer);
        gui_set_status(g, false, "training resumed");
    } else {
        trainer_pause(g->data.trainer);
        gui_set_status(g, false, "training paused (space resumes)");
    }
}

bool gui_set_lr(GuiApp *g, double lr)
{
    if (!g->data.trainer || !(lr >= 0) || lr > train_param(TRAIN_P_ALPHA)->hi)
        return false;
    trainer_set_alpha(g->data.trainer, lr);
    snprintf(g->views.set.lr, sizeof g->views.set.lr, "%g", lr);
    gui_set_status(g, false, "learning rate %g from now on (decaying linearly to the end)", lr);
    return true;
}

void gui_step(GuiApp *g)
{
    if (!g->data.trainer)
        return;
    TrainProgress p = trainer_progress(g->data.trainer);
    if (p.finished)
        return;
    double wps = p.words_per_sec > 0 ? p.words_per_sec : 1e5;
    uint64_t n = (uint64_t)(wps * STEP_SECONDS);
    g->views.set.step_until = p.words_done + (n < STEP_MIN_WORDS ? STEP_MIN_WORDS : n);
    g->views.set.stepping = true;
    if (p.paused)
        trainer_resume(g->data.trainer);
    gui_set_status(g, false, "one step: training %llu more words, then pausing",
                   (unsigned long long)(g->views.set.step_until - p.words_done));
}

/* Called every frame: ends a step once its words are done (the run loop refreshes every
 * 100 ms while training, so a step overshoots by at most that much). */
void gui_step_poll(GuiApp *g)
{
    GuiSettings *s = &g->views.set;
    if (!s->stepping || !g->data.trainer)
        return;
    TrainProgress p = trainer_progress(g->data.trainer);
    if (p.words_done >= s->step_until || p.finished) {
        s->stepping = false;
        if (!p.finished)
            trainer_pause(g->data.trainer);
    }
}

/* Setting i's box parsed over the settings in use into d; -1 when the text is not valid. */
static int parse_setting(const GuiApp *g, int i, TrainDesc *d)
{
    const char *t = g->views.set.edit[i];
    *d = *trainer_desc(g->data.trainer);
    if (!t[0])
        return 0;
    Err e;
    TrainDesc in_use = *d;
    if (!train_param_parse(gui_setting(i), NULL, t, d, &e))
        return -1;
    return !train_param_equal(gui_setting(i), &in_use, d);
}

int gui_setting_state(const GuiApp *g, int i)
{
    TrainDesc d;
    return g->data.trainer ? parse_setting(g, i, &d) : 0;
}

bool gui_settings_edit(GuiApp *g, const char *name, const char *value, Err *e)
{
    GuiSettings *s = &g->views.set;
    if (!strcmp(name, "model")) {
        TrainDesc d = {0};
        if (!train_param_parse(train_param(TRAIN_P_MODEL), "model", value, &d, e))
            return false;
        s->model = d.model;
        return true;
    }
    for (int i = 0; i < GUI_SETTINGS; i++)
        if (!strcmp(name, gui_setting(i)->name)) {
            TrainDesc d = {0};
            if (!train_param_parse(gui_setting(i), name, value, &d, e))
                return false;
            snprintf(s->edit[i], sizeof s->edit[i], "%s", value);
            return true;
        }
    return err_set(e, "unknown setting '%s'", name);
}

/* The edited settings over the ones in use; true when any differs. */
static bool wanted(const GuiApp *g, TrainDesc *d)
{
    const GuiSettings *s = &g->views.set;
    *d = *trainer_desc(g->data.trainer);
    bool changed = s->model && s->model != d->model;
    if (s->model)
        d->model = s->model;
    for (int i = 0; i < GUI_SETTINGS; i++) {
        TrainDesc one;
        if (parse_setting(g, i, &one) > 0) {
            Err e;
            train_param_parse(gui_setting(i), NULL, g->views.set.edit[i], d, &e);
            changed = true;
        }
    }
    return changed;
}

bool gui_settings_changed(const GuiApp *g)
{
    TrainDesc d;
    return g->data.trainer && wanted(g, &d);
}

/* A restart with new settings reopens the corpus in the background (min-count changes the
 * vocabulary, so it is counted again); the current run stays on screen until then. */
bool gui_settings_apply(GuiApp *g, Err *e)
{
    if (!g->data.trainer)
        return err_set(e, "nothing is training");
    TrainDesc d;
    wanted(g, &d);
    TrainDesc keep = g->data.open_desc.train;
    g->data.open_desc.train = d;
    g->data.open_desc.train.alpha = 0; /* the model's default rate, not the edited live one */
    bool ok = gui_open(g, g->data.sess.source, SESSION_CORPUS);
    g->data.open_desc.train = ok ? g->data.open_desc.train : keep;
    if (!ok)
        return err_set(e, "%s", g->status.text);
    GuiSettings *s = &g->views.set;
    s->model = 0;
    for (int i = 0; i < GUI_SETTINGS; i++)
        s->edit[i][0] = 0;
    s->lr[0] = 0;
    s->stepping = false;
    return true;
}
