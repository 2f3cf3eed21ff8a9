/* Script commands for the teaching views and live controls (see the list at the top of
 * gui_script.c), kept apart from the input-replay commands. UI thread. */
#include "app/gui/app.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const gui_script_view_commands[] = {
    "view", "set", "apply", "reset", "step", "mark", "assert_vectors", "assert_heatmap",
    "assert_init", "assert_model", "wait_posview", "assert_posdist", "wait_eval", "assert_curves",
    "wait_after_mark", NULL,
};

bool gui_script_views_check(const char *c, const char *a, char *why, size_t cap)
{
    bool none = !strcmp(c, "apply") || !strcmp(c, "reset") || !strcmp(c, "step") ||
                !strcmp(c, "mark") || !strcmp(c, "assert_init");
    if (none != !a[0]) {
        snprintf(why, cap, none ? "takes no argument" : "needs an argument");
        return false;
    }
    long long x[4];
    char op[4];
    if (!strcmp(c, "assert_posdist") &&
        sscanf(a, "%lld %lld %3s %lld %lld", &x[0], &x[1], op, &x[2], &x[3]) != 5) {
        snprintf(why, cap, "want A B < C D (or >)");
        return false;
    }
    if ((!strcmp(c, "assert_vectors") || !strcmp(c, "assert_heatmap")) && strcmp(a, "same") &&
        strcmp(a, "changed")) {
        snprintf(why, cap, "want same or changed");
        return false;
    }
    return true;
}

static bool waited(double *start, double timeout_s)
{
    double now = gui_now_ms();
    if (*start == 0)
        *start = now;
    return now - *start > timeout_s * 1e3;
}

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

/* Returns 1 done, 0 wait for frames, -1 failed (why set), 2 not one of these commands. */
int gui_script_views_run(GuiApp *g, const char *c, const char *a, double *wait_start, char *why,
                         size_t cap)
{
    GuiViews *v = &g->views;
    if (!strcmp(c, "view")) {
        for (int i = 0; i < GUI_VIEW_COUNT; i++)
            if (!strcmp(a, gui_view_name((GuiView)i))) {
                gui_set_view(g, (GuiView)i);
                return 0;
            }
        return snprintf(why, cap, "unknown view '%s' (space table positions curves)", a), -1;
    }
    if (!strcmp(c, "set")) {
        char name[32];
        size_t n = strcspn(a, " ");
        if (n >= sizeof name || !a[n])
            return snprintf(why, cap, "want NAME VALUE"), -1;
        memcpy(name, a, n);
        name[n] = 0;
        return set_one(g, name, a + n + 1, why, cap) < 0 ? -1 : 0;
    }
    if (!strcmp(c, "apply")) {
        Err e = {{0}};
        if (!gui_settings_apply(g, &e))
            return snprintf(why, cap, "%s", e.msg), -1;
        return 0;
    }
    if (!strcmp(c, "reset")) {
        g->want_restart = true;
        return 0;
    }
    if (!strcmp(c, "step")) {
        gui_step(g);
        return 0;
    }
    if (!strcmp(c, "mark")) {
        v->mark_vectors = gui_frame_checksum(g);
        v->mark_heatmap = v->table.img_sum;
        v->mark_words = g->frame ? g->frame->prog.words_done : 0;
        return 1;
    }
    if (!strcmp(c, "assert_vectors") || !strcmp(c, "assert_heatmap")) {
        bool vec = c[7] == 'v', want_same = !strcmp(a, "same");
        uint64_t now = vec ? gui_frame_checksum(g) : v->table.img_sum;
        uint64_t then = vec ? v->mark_vectors : v->mark_heatmap;
        if ((now == then) != want_same)
            return snprintf(why, cap, "%s %s since mark (words %llu then, %llu now)",
                            vec ? "vectors" : "heatmap", want_same ? "changed" : "did not change",
                            (unsigned long long)v->mark_words,
                            (unsigned long long)(g->frame ? g->frame->prog.words_done : 0)), -1;
        return 1;
    }
    if (!strcmp(c, "assert_init")) {
        /* word2vec's init: uniform in [-0.5/dim, 0.5/dim), before any word was trained */
        const LiveFrame *f = g->frame;
        if (!f || f->prog.words_done)
            return snprintf(why, cap, "frame has %llu words trained",
                            (unsigned long long)(f ? f->prog.words_done : 0)), -1;
        const KnnIndex *ix = &f->knn;
        float lim = 0.5f / (float)ix->dim * 1.0001f;
        for (int64_t i = 0; i < ix->rows; i++)
            if (!(ix->norm[i] <= lim * sqrtf((float)ix->dim)))
                return snprintf(why, cap, "row %lld has norm %g, above the init's bound",
                                (long long)i, ix->norm[i]), -1;
        return 1;
    }
    if (!strcmp(c, "assert_model")) {
        TrainModel want = !strcmp(a, "cbow") ? TRAIN_CBOW : TRAIN_SKIPGRAM;
        if (!g->trainer || trainer_desc(g->trainer)->model != want)
            return snprintf(why, cap, "model in use is %s", !g->trainer ? "none" :
                            trainer_desc(g->trainer)->model == TRAIN_CBOW ? "cbow" : "sg"), -1;
        return 1;
    }
    if (!strcmp(c, "wait_posview")) {
        const PosView *p = v->pos.shown;
        bool ready = p && p->desc.kind == v->pos.want.kind &&
                     p->desc.max_len == v->pos.want.max_len && p->desc.dim == v->pos.want.dim &&
                     v->pos.img_gen == v->pos.shown_gen;
        if (ready) {
            *wait_start = 0;
            return 1;
        }
        if (!v->pos.job)
            gui_posview_request(g);
        if (waited(wait_start, atof(a)))
            return snprintf(why, cap, "no positional table after %s s", a), -1;
        return 0;
    }
    if (!strcmp(c, "assert_posdist")) {
        long long x[4];
        char op[4];
        sscanf(a, "%lld %lld %3s %lld %lld", &x[0], &x[1], op, &x[2], &x[3]);
        if (!v->pos.shown)
            return snprintf(why, cap, "no positional table (wait_posview first)"), -1;
        PosDist d1 = posview_distance(v->pos.shown, x[0], x[1]), d2 = posview_distance(v->pos.shown, x[2], x[3]);
        bool ok = op[0] == '<' ? d1.euclidean < d2.euclidean : d1.euclidean > d2.euclidean;
        if (!ok)
            return snprintf(why, cap, "|pos %lld - pos %lld| = %.4f, |pos %lld - pos %lld| = %.4f",
                            x[0], x[1], d1.euclidean, x[2], x[3], d2.euclidean), -1;
        return 1;
    }
    if (!strcmp(c, "wait_eval")) {
        double want = 0, timeout = 300;
        sscanf(a, "%lf %lf", &want, &timeout);
        if (g->frame && (double)g->frame->eval_runs >= want) {
            *wait_start = 0;
            return 1;
        }
        if (waited(wait_start, timeout))
            return snprintf(why, cap, "%llu evaluations after %.0f s",
                            (unsigned long long)(g->frame ? g->frame->eval_runs : 0), timeout), -1;
        return 0;
    }
    if (!strcmp(c, "wait_after_mark")) {
        double more = 0, timeout = 300;
        sscanf(a, "%lf %lf", &more, &timeout);
        uint64_t words = g->frame ? g->frame->prog.words_done : 0;
        if ((double)words >= (double)v->mark_words + more) {
            *wait_start = 0;
            return 1;
        }
        if (waited(wait_start, timeout))
            return snprintf(why, cap, "frame at %llu words, mark at %llu", (unsigned long long)words,
                            (unsigned long long)v->mark_words), -1;
        return 0;
    }
    if (!strcmp(c, "assert_curves")) {
        int n = atoi(a), acc = 0;
        for (int i = 0; i < v->curves.n; i++)
            acc += isfinite(v->curves.s[i].accuracy);
        if (v->curves.n < n || !acc)
            return snprintf(why, cap, "%d samples, %d with an accuracy", v->curves.n, acc), -1;
        return 1;
    }
    return 2;
}
