/* Script verbs for the teaching views and the live controls: view, set, apply, mark,
 * wait_after_mark, assert_vectors, assert_heatmap, assert_init, assert_model, wait_posview,
 * assert_posdist, wait_eval, assert_curves. UI thread. */
#include "app/gui/script/views.h"
#include "app/gui/data/train_ctl.h"
#include "app/gui/views/posview.h"
#include "app/gui/views/table.h"
#include "app/gui/views/views.h"
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
    if (!strcmp(name, "pos_kind") || !strcmp(name, "pos_len") || !strcmp(name, "pos_dim")) {
        if (!strcmp(name, "pos_kind"))
            p->want.kind = !strcmp(val, "random") ? POSENC_RANDOM : POSENC_SINUSOIDAL;
        else if (!strcmp(name, "pos_len"))
            p->want.max_len = atoi(val);
        else
            p->want.dim = atoi(val);
        snprintf(p->len_text, sizeof p->len_text, "%d", p->want.max_len);
        snprintf(p->dim_text, sizeof p->dim_text, "%d", p->want.dim);
        gui_posview_request(g);
        return 1;
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
    Err e = {{0}};
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

/* "NAME VALUE" */
static int run_set(GuiApp *g, GuiScript *s, const char *a)
{
    char name[32], why[400];
    size_t n = strcspn(a, " ");
    if (n >= sizeof name || !a[n])
        return FAIL("want NAME VALUE");
    memcpy(name, a, n);
    name[n] = 0;
    if (set_one(g, name, a + n + 1, why, sizeof why) < 0)
        return FAIL("%s", why);
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

/* word2vec's init: uniform in [-0.5/dim, 0.5/dim), before any word was trained */
static int run_assert_init(GuiApp *g, GuiScript *s, const char *a)
{
    (void)a;
    const LiveSnapshot *f = g->data.snap;
    if (!f || f->prog.words_done)
        return FAIL("frame has %llu words trained", (unsigned long long)snap_words(g));
    const KnnIndex *ix = &f->knn;
    float lim = 0.5f / (float)ix->dim * 1.0001f;
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

static int run_wait_posview(GuiApp *g, GuiScript *s, const char *a)
{
    GuiPosState *p = &g->views.pos;
    const PosView *v = p->shown;
    bool ready = v && v->desc.kind == p->want.kind && v->desc.max_len == p->want.max_len &&
                 v->desc.dim == p->want.dim && p->img_gen == p->shown_gen;
    if (!ready && !p->job)
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

static int run_assert_posdist(GuiApp *g, GuiScript *s, const char *a)
{
    long long x[4];
    char op[4];
    posdist_args(a, x, op);
    const PosView *v = g->views.pos.shown;
    if (!v)
        return FAIL("no positional table (wait_posview first)");
    PosDist d1 = posview_distance(v, x[0], x[1]), d2 = posview_distance(v, x[2], x[3]);
    bool ok = op[0] == '<' ? d1.euclidean < d2.euclidean : d1.euclidean > d2.euclidean;
    if (!ok)
        return FAIL("|pos %lld - pos %lld| = %.4f, |pos %lld - pos %lld| = %.4f", x[0], x[1],
                    d1.euclidean, x[2], x[3], d2.euclidean);
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

const ScriptVerb script_view_verbs[] = {
    {"view", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_view},
    {"set", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_set},
    {"apply", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_apply},
    {"mark", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_mark},
    {"wait_after_mark", SCRIPT_ARG_NUMBERS, 1, 2, 0, 1e15, NULL, run_wait_after_mark},
    {"assert_vectors", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_same, run_assert_vectors},
    {"assert_heatmap", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_same, run_assert_heatmap},
    {"assert_init", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_assert_init},
    {"assert_model", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_model},
    {"wait_posview", SCRIPT_ARG_NUMBERS, 1, 1, 0, 1e7, NULL, run_wait_posview},
    {"assert_posdist", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_posdist, run_assert_posdist},
    {"wait_eval", SCRIPT_ARG_NUMBERS, 1, 2, 0, 1e15, NULL, run_wait_eval},
    {"assert_curves", SCRIPT_ARG_NUMBERS, 1, 1, 0, 1e15, NULL, run_assert_curves},
    {NULL, SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, NULL},
};
