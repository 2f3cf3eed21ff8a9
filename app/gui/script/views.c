/* Script verbs for the teaching views and the live controls: view, set, set_refused, apply,
 * mark, wait_after_mark, assert_vectors, assert_heatmap, assert_init, assert_model,
 * wait_posview, assert_posdist, assert_poscos, assert_posview, and for the learned position
 * table pos_train, wait_posstep, assert_posstep, wait_pos_smooth, assert_pos_smooth,
 * assert_pos_kept, assert_pos_running; wait_eval, assert_curves. UI thread. */
#include "app/gui/script/views.h"
#include "app/gui/data/train_ctl.h"
#include "app/gui/views/posctl.h"
#include "app/gui/views/poslearn.h"
#include "app/gui/views/posview.h"
#include "app/gui/views/table.h"
#include "app/gui/views/views.h"
#include "model/train/train.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...) script_fail(s, __VA_ARGS__)

static int set_one(GuiApp *g, const char *name, const char *val, char *why, size_t cap)
{
    GuiPosState *p = &g->views.pos;
    if (!strcmp(name, "lr")) {
        if (!gui_set_lr(g, strtod(val, NULL)))
            return snprintf(why, cap, "cannot set the learning rate to '%s'", val), -1;
        return 1;
    }
    if (!strcmp(name, "indices")) {
        if (!gui_table_set_indices(g, val))
            return snprintf(why, cap, "%s", g->views.table.pick_error), -1;
        return 1;
    }
    Err e = {{0}};
    if (!strncmp(name, "pos_", 4)) {
        if (!gui_posview_set(g, name, val, &e))
            return snprintf(why, cap, "%s", e.msg), -1;
        return 1;
    }
    if (!strcmp(name, "table_source")) {
        static const char *const src[3] = {"words", "wpe", "wte"};
        for (int k = 0; k < 3; k++)
            if (!strcmp(val, src[k]))
                return gui_table_set_source(g, (GuiTableSource)k, &e) ? 1
                       : (snprintf(why, cap, "%s", e.msg), -1);
        return snprintf(why, cap, "table_source: words, wpe or wte, not '%s'", val), -1;
    }
    if (!strcmp(name, "probe")) {
        long long v[3];
        if (sscanf(val, "%lld %lld %lld", &v[0], &v[1], &v[2]) != 3)
            return snprintf(why, cap, "probe wants three positions"), -1;
        for (int k = 0; k < 3; k++) {
            p->probe[k] = v[k];
            snprintf(p->probe_text[k], sizeof p->probe_text[k], "%lld", v[k]);
        }
        return 1;
    }
    if (!gui_settings_edit(g, name, val, &e))
        return snprintf(why, cap, "%s", e.msg), -1;
    return 1;
}

static int run_view(GuiApp *g, GuiScript *s, const char *a)
{
    GuiView v = gui_view_by_name(a);
    if (v == GUI_VIEW_COUNT)
        return FAIL("unknown view '%s' (space table positions curves)", a);
    gui_set_view(g, v);
    return SCRIPT_WAIT;
}

/* "NAME VALUE" into name; the value, or NULL. */
static const char *name_value(const char *a, char name[32])
{
    size_t n = strcspn(a, " ");
    if (n >= 32 || !a[n])
        return NULL;
    memcpy(name, a, n);
    name[n] = 0;
    return a + n + 1;
}

/* "NAME VALUE" */
static int run_set(GuiApp *g, GuiScript *s, const char *a)
{
    char name[32], why[400];
    const char *val = name_value(a, name);
    if (!val)
        return FAIL("want NAME VALUE");
    if (set_one(g, name, val, why, sizeof why) < 0)
        return FAIL("%s", why);
    return SCRIPT_WAIT;
}

/* "NAME VALUE" that must be refused, as the window refuses it (status line, view kept) */
static int run_set_refused(GuiApp *g, GuiScript *s, const char *a)
{
    char name[32], why[400];
    const char *val = name_value(a, name);
    if (!val)
        return FAIL("want NAME VALUE");
    if (set_one(g, name, val, why, sizeof why) >= 0)
        return FAIL("%s = '%s' was accepted", name, val);
    if (!strncmp(name, "pos_", 4))
        gui_posctl_refuse(g, why);
    else
        gui_set_status(g, true, "%s", why);
    return SCRIPT_WAIT;
}

static int run_apply(GuiApp *g, GuiScript *s, const char *a)
{
    (void)a;
    Err e = {{0}};
    if (!gui_settings_apply(g, &e))
        return FAIL("%s", e.msg);
    return SCRIPT_WAIT;
}

static int run_mark(GuiApp *g, GuiScript *s, const char *a)
{
    (void)s;
    (void)a;
    GuiViews *v = &g->views;
    v->mark_vectors = gui_snapshot_checksum(g);
    v->mark_heatmap = v->table.img_sum;
    v->mark_words = g->data.snap ? g->data.snap->prog.words_done : 0;
    const PosLearnFrame *f = v->pos.frame;
    v->pos.mark_run = f ? f->run : 0;
    v->pos.mark_step = f ? f->prog.step : -1;
    return SCRIPT_NEXT;
}

static uint64_t snap_words(const GuiApp *g) { return g->data.snap ? g->data.snap->prog.words_done : 0; }

static bool check_same(const char *a, char *why, size_t cap)
{
    if (!strcmp(a, "same") || !strcmp(a, "changed"))
        return true;
    snprintf(why, cap, "assert_vectors and assert_heatmap: want same or changed, not '%s'", a);
    return false;
}

static int assert_mark(GuiApp *g, GuiScript *s, const char *a, bool vectors)
{
    GuiViews *v = &g->views;
    bool want_same = !strcmp(a, "same");
    uint64_t now = vectors ? gui_snapshot_checksum(g) : v->table.img_sum;
    uint64_t then = vectors ? v->mark_vectors : v->mark_heatmap;
    if ((now == then) != want_same)
        return FAIL("%s %s since mark (words %llu then, %llu now)", vectors ? "vectors" : "heatmap",
                    want_same ? "changed" : "did not change", (unsigned long long)v->mark_words,
                    (unsigned long long)snap_words(g));
    return SCRIPT_NEXT;
}

static int run_assert_vectors(GuiApp *g, GuiScript *s, const char *a) { return assert_mark(g, s, a, true); }
static int run_assert_heatmap(GuiApp *g, GuiScript *s, const char *a) { return assert_mark(g, s, a, false); }

/* the trainer's init (trainer_init_range): uniform in [-r, r), before any word was trained */
static int run_assert_init(GuiApp *g, GuiScript *s, const char *a)
{
    (void)a;
    const LiveSnapshot *f = g->data.snap;
    if (!f || f->prog.words_done)
        return FAIL("frame has %llu words trained", (unsigned long long)snap_words(g));
    const KnnIndex *ix = &f->knn;
    float lim = trainer_init_range(ix->dim) * 1.0001f;
    for (int64_t i = 0; i < ix->rows; i++)
        if (!(ix->norm[i] <= lim * sqrtf((float)ix->dim)))
            return FAIL("row %lld has norm %g, above the init's bound", (long long)i, ix->norm[i]);
    return SCRIPT_NEXT;
}

static int run_assert_model(GuiApp *g, GuiScript *s, const char *a)
{
    TrainModel want = !strcmp(a, "cbow") ? TRAIN_CBOW : TRAIN_SKIPGRAM;
    const Trainer *t = g->data.trainer;
    if (!t || trainer_desc(t)->model != want)
        return FAIL("model in use is %s", !t ? "none" : trainer_desc(t)->model == TRAIN_CBOW ? "cbow" : "sg");
    return SCRIPT_NEXT;
}

/* The table asked for is on screen with its images made. */
static bool posview_ready(GuiApp *g)
{
    GuiPosState *p = &g->views.pos;
    const PosView *v = p->shown;
    if (!v || p->img_gen != p->shown_gen)
        return false;
    if (p->learned)
        return v->from_table && p->frame && v == &p->frame->view && !poslearn_busy(p->learner) &&
               poslearn_fresh(p->learner) &&
               p->frame->desc.model.max_len == p->learn.model.max_len &&
               p->frame->desc.model.dim == p->learn.model.dim;
    return !v->from_table && v->desc.kind == p->want.kind && v->desc.max_len == p->want.max_len &&
           v->desc.dim == p->want.dim;
}

static int run_wait_posview(GuiApp *g, GuiScript *s, const char *a)
{
    GuiPosState *p = &g->views.pos;
    bool ready = posview_ready(g);
    if (!ready && !p->job && !p->learned)
        gui_posview_request(g);
    int r = script_until(s, ready, atof(a));
    return r == SCRIPT_FAIL ? FAIL("no positional table after %s s", a) : r;
}

/* "A B < C D" (or >) */
static bool posdist_args(const char *a, long long x[4], char op[4])
{
    return sscanf(a, "%lld %lld %3s %lld %lld", &x[0], &x[1], op, &x[2], &x[3]) == 5 &&
           (op[0] == '<' || op[0] == '>') && !op[1];
}

static bool check_posdist(const char *a, char *why, size_t cap)
{
    long long x[4];
    char op[4];
    if (posdist_args(a, x, op))
        return true;
    snprintf(why, cap, "assert_posdist: want A B < C D (or >), not '%s'", a);
    return false;
}

/* "A B < C D" by distance (assert_posdist) or cosine (assert_poscos), from the probes' own
 * numbers (posview_distance, as the view prints them) */
static int assert_pos_pair(GuiApp *g, GuiScript *s, const char *a, bool cosine)
{
    long long x[4];
    char op[4];
    posdist_args(a, x, op);
    const PosView *v = g->views.pos.shown;
    if (!v)
        return FAIL("no positional table (wait_posview first)");
    PosDist d1 = posview_distance(v, x[0], x[1]), d2 = posview_distance(v, x[2], x[3]);
    double u = cosine ? d1.cosine : d1.euclidean, w = cosine ? d2.cosine : d2.euclidean;
    bool ok = op[0] == '<' ? u < w : u > w;
    if (!ok)
        return FAIL("%s(pos %lld, pos %lld) = %.4f, %s(pos %lld, pos %lld) = %.4f",
                    cosine ? "cos" : "dist", x[0], x[1], u, cosine ? "cos" : "dist", x[2], x[3], w);
    return SCRIPT_NEXT;
}

static int run_assert_posdist(GuiApp *g, GuiScript *s, const char *a) { return assert_pos_pair(g, s, a, false); }
static int run_assert_poscos(GuiApp *g, GuiScript *s, const char *a) { return assert_pos_pair(g, s, a, true); }

/* "KIND LEN DIM": the table on screen (kind sinusoidal, random or learned) */
static int run_assert_posview(GuiApp *g, GuiScript *s, const char *a)
{
    char kind[16];
    int len, dim;
    if (sscanf(a, "%15s %d %d", kind, &len, &dim) != 3)
        return FAIL("want KIND LEN DIM");
    const PosView *v = g->views.pos.shown;
    const char *is = !v ? "none" : v->from_table ? "learned" : v->desc.kind == POSENC_RANDOM ?
                     "random" : "sinusoidal";
    if (!v || strcmp(kind, is) || v->table.rows != len || v->table.dim != dim)
        return FAIL("the table shown is %s %lld x %d", is, (long long)(v ? v->table.rows : 0),
                    v ? v->table.dim : 0);
    return SCRIPT_NEXT;
}

static const PosLearnFrame *learned_frame(GuiApp *g)
{
    const GuiPosState *p = &g->views.pos;
    return p->learned && p->frame && p->shown == &p->frame->view ? p->frame : NULL;
}

static bool check_train(const char *a, char *why, size_t cap)
{
    char w[16];
    int n = 0;
    int k = sscanf(a, "%15s %d", w, &n);
    if (k >= 1 && (!strcmp(w, "start") || !strcmp(w, "pause") || !strcmp(w, "reset") ||
                   (!strcmp(w, "step") && (k == 1 || n > 0))))
        return true;
    snprintf(why, cap, "pos_train: want start, pause, reset or step [N], not '%s'", a);
    return false;
}

/* "start | pause | reset | step [N]": the learned table's buttons */
static int run_pos_train(GuiApp *g, GuiScript *s, const char *a)
{
    char w[16];
    int n = 0;
    sscanf(a, "%15s %d", w, &n);
    if (!gui_posctl_control(g, w, n))
        return FAIL("no learned session (set pos_kind learned first)");
    return SCRIPT_WAIT;
}

/* "N [TIMEOUT_S]": the learned frame on screen has trained N steps */
static int run_wait_posstep(GuiApp *g, GuiScript *s, const char *a)
{
    double want, timeout = script_wait_args(a, &want);
    const PosLearnFrame *f = learned_frame(g);
    int r = script_until(s, f && (double)f->prog.step >= want, timeout);
    if (r == SCRIPT_FAIL)
        return FAIL("the learned table is at step %lld after %.0f s", f ? (long long)f->prog.step : -1LL,
                    timeout);
    return r;
}

static int run_assert_posstep(GuiApp *g, GuiScript *s, const char *a)
{
    const PosLearnFrame *f = learned_frame(g);
    if (!f || f->prog.step != atoll(a))
        return FAIL("the learned table is at step %lld", f ? (long long)f->prog.step : -1LL);
    return SCRIPT_NEXT;
}

/* "[TIMEOUT_S]": the learned table on screen is smooth by its own measures */
static int run_wait_pos_smooth(GuiApp *g, GuiScript *s, const char *a)
{
    double timeout = a[0] ? atof(a) : 300;
    const PosLearnFrame *f = learned_frame(g);
    int r = script_until(s, f && gptp_smooth(&f->pos), timeout);
    if (r == SCRIPT_FAIL)
        return FAIL("not smooth after %.0f s: step %lld, mean adjacent cos %.3f, cos(5,6) %.3f, "
                    "cos(5,100) %.3f", timeout, f ? (long long)f->prog.step : -1LL,
                    f ? f->pos.adjacent : NAN, f ? f->pos.cos5_6 : NAN, f ? f->pos.cos5_100 : NAN);
    return r;
}

static bool check_yes_no(const char *a, char *why, size_t cap)
{
    if (!strcmp(a, "yes") || !strcmp(a, "no"))
        return true;
    snprintf(why, cap, "want yes or no, not '%s'", a);
    return false;
}

static int run_assert_pos_smooth(GuiApp *g, GuiScript *s, const char *a)
{
    const PosLearnFrame *f = learned_frame(g);
    if (!f)
        return FAIL("no learned table on screen");
    if (gptp_smooth(&f->pos) != !strcmp(a, "yes"))
        return FAIL("step %lld: mean adjacent cos %.3f, cos(5,6) %.3f, cos(5,100) %.3f",
                    (long long)f->prog.step, f->pos.adjacent, f->pos.cos5_6, f->pos.cos5_100);
    return SCRIPT_NEXT;
}

/* "yes | no": the GPT's threads train (running and not paused) */
static int run_assert_pos_running(GuiApp *g, GuiScript *s, const char *a)
{
    bool has = false;
    GptProgress pr = {0};
    if (g->views.pos.learner)
        pr = poslearn_progress(g->views.pos.learner, &has);
    bool on = has && pr.running && !pr.paused;
    if (on != !strcmp(a, "yes"))
        return FAIL("the learned table's training is %s", !has ? "not there" : on ? "running"
                    : pr.running ? "paused" : "not started");
    return SCRIPT_NEXT;
}

/* The learned run marked is still the one on screen, not set back. */
static int run_assert_pos_kept(GuiApp *g, GuiScript *s, const char *a)
{
    (void)a;
    const GuiPosState *p = &g->views.pos;
    const PosLearnFrame *f = learned_frame(g);
    if (!f || f->run != p->mark_run || f->prog.step < p->mark_step)
        return FAIL("run %llu at step %lld on screen, run %llu at step %lld marked",
                    (unsigned long long)(f ? f->run : 0), f ? (long long)f->prog.step : -1LL,
                    (unsigned long long)p->mark_run, (long long)p->mark_step);
    return SCRIPT_NEXT;
}

/* "N [TIMEOUT_S]": N evaluations reached the frames */
static int run_wait_eval(GuiApp *g, GuiScript *s, const char *a)
{
    double want, timeout = script_wait_args(a, &want);
    const LiveSnapshot *f = g->data.snap;
    int r = script_until(s, f && (double)f->eval_runs >= want, timeout);
    if (r == SCRIPT_FAIL)
        return FAIL("%llu evaluations after %.0f s", (unsigned long long)(f ? f->eval_runs : 0), timeout);
    return r;
}

/* "N [TIMEOUT_S]": the frame shown has N more words than at the mark */
static int run_wait_after_mark(GuiApp *g, GuiScript *s, const char *a)
{
    double more, timeout = script_wait_args(a, &more);
    uint64_t words = snap_words(g);
    int r = script_until(s, (double)words >= (double)g->views.mark_words + more, timeout);
    if (r == SCRIPT_FAIL)
        return FAIL("frame at %llu words, mark at %llu", (unsigned long long)words,
                    (unsigned long long)g->views.mark_words);
    return r;
}

/* A frame whose copy began once the trainer's threads all used the rate set before this line:
 * the rate is in every thread's steps (no step at the old one left, rate_pending 0) at some
 * word count, and the trainer's count read before the copy is past it. (A frame on screen may
 * have been copied long before, under load; the count read after a copy can pass a change
 * while the rows copied first predate it; and a thread descheduled in a step finishes that
 * step at the old rate: each was seen as vectors that moved at learning rate 0.) */
static int run_wait_fresh(GuiApp *g, GuiScript *s, const char *a)
{
    double timeout = *a ? strtod(a, NULL) : 120;
    if (s->wait_start == 0)
        s->wait_words = UINT64_MAX; /* not yet settled */
    if (s->wait_words == UINT64_MAX) {
        TrainProgress p = gui_progress(g);
        if (p.rate_pending == 0)
            s->wait_words = p.words_done;
    }
    uint64_t before = g->data.snap ? g->data.snap->words_before : 0;
    bool settled = s->wait_words != UINT64_MAX;
    int r = script_until(s, settled && g->data.snap && before > s->wait_words, timeout);
    if (r == SCRIPT_FAIL) {
        if (!settled)
            return FAIL("the trainer's threads did not all take the new rate in %.0f s", timeout);
        return FAIL("no snapshot begun after %llu words in %.0f s (frame begun at %llu words)",
                    (unsigned long long)s->wait_words, timeout, (unsigned long long)before);
    }
    return r;
}

static int run_assert_curves(GuiApp *g, GuiScript *s, const char *a)
{
    const Curves *c = &g->views.curves;
    int acc = 0;
    for (int i = 0; i < c->n; i++)
        acc += isfinite(c->s[i].accuracy);
    if (c->n < atoi(a) || !acc)
        return FAIL("%d samples, %d with an accuracy", c->n, acc);
    return SCRIPT_NEXT;
}

/* The learned byte table to the Space view, as its button does. */
static int run_table_to_space(GuiApp *g, GuiScript *s, const char *a)
{
    (void)a;
    if (!gui_table_wte_to_space(g))
        return FAIL("%s", g->status.text);
    s->wait_frames = 1;
    return SCRIPT_WAIT;
}

const ScriptVerb script_view_verbs[] = {
    {"table_to_space", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_table_to_space},
    {"view", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_view},
    {"set", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_set},
    {"set_refused", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_set_refused},
    {"apply", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_apply},
    {"mark", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_mark},
    {"wait_after_mark", SCRIPT_ARG_NUMBERS, 1, 2, 0, 1e15, NULL, run_wait_after_mark},
    {"wait_fresh", SCRIPT_ARG_NUMBERS, 0, 1, 0, 1e7, NULL, run_wait_fresh},
    {"assert_vectors", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_same, run_assert_vectors},
    {"assert_heatmap", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_same, run_assert_heatmap},
    {"assert_init", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_assert_init},
    {"assert_model", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_model},
    {"wait_posview", SCRIPT_ARG_NUMBERS, 1, 1, 0, 1e7, NULL, run_wait_posview},
    {"assert_posdist", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_posdist, run_assert_posdist},
    {"assert_poscos", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_posdist, run_assert_poscos},
    {"assert_posview", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_posview},
    {"pos_train", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_train, run_pos_train},
    {"wait_posstep", SCRIPT_ARG_NUMBERS, 1, 2, 0, 1e15, NULL, run_wait_posstep},
    {"assert_posstep", SCRIPT_ARG_NUMBERS, 1, 1, 0, 1e15, NULL, run_assert_posstep},
    {"wait_pos_smooth", SCRIPT_ARG_NUMBERS, 0, 1, 0, 1e7, NULL, run_wait_pos_smooth},
    {"assert_pos_smooth", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_yes_no, run_assert_pos_smooth},
    {"assert_pos_kept", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_assert_pos_kept},
    {"assert_pos_running", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_yes_no, run_assert_pos_running},
    {"wait_eval", SCRIPT_ARG_NUMBERS, 1, 2, 0, 1e15, NULL, run_wait_eval},
    {"assert_curves", SCRIPT_ARG_NUMBERS, 1, 1, 0, 1e15, NULL, run_assert_curves},
    {NULL, SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, NULL},
};
