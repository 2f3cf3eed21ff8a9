/* The live neighbour layout (see livelayout.h). The analysis thread. */
#include "model/analysis/livelayout.h"
#include "model/base/clock.h"
#include "model/layout/knnexact.h"
#include "model/layout/pcainit.h"
#include "model/layout/sampled.h"
#include "model/layout/tsne.h"
#include "model/layout/umap.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* NN-descent candidates per row in a refinement's pass (a build takes min(4k, 60)), and its
 * passes: on the benchmark's snapshots (bench/live_refine.c) the graph's recall after ten
 * refreshes was 0.47 with one pass and the same seed each time, 0.62 with a seed per refresh,
 * 0.83 with two passes (a build: 0.93); a graph that is still converging changes edges with
 * every refresh, which moves the points as much as a change of the vectors does */
#define LIVELAY_CANDIDATES 8
#define LIVELAY_PASSES 2
/* a bounded refine's second pass runs only when the last refine's time per pass was less than
 * this share of the budget: on a busy machine the window's analysis thread gets a fraction of
 * a core, and one pass then keeps the refresh within its 3 s */
#define LIVELAY_SECOND_PASS 0.3
/* UMAP's first step in a refinement (a build's is 1): its negative samples push a point up to
 * 4 x the step per sample, and that noise, not the vectors' change, is most of what a small
 * step saves in the median move between refreshes */
#define LIVELAY_WARM_RATE 0.1
/* a UMAP refinement's step for a row none of whose neighbours changed, as a share of the
 * warm rate (bench/live_refine.c: on unchanged vectors and graph, 5 epochs at step 0.1 moved
 * the median point 1.8-5% of the extent, at 0.01 0.8%); a row with LIVELAY_FOLLOW of its
 * neighbours new gets the whole step, to follow them */
#define LIVELAY_STILL_RATE 0.1
#define LIVELAY_FOLLOW (1.0 / 3)
/* UMAPs of more rows start sampled: above 20,000 a full first build (~4 s of one core at 20k
 * words, ~14 s at 61k) is longer than the trainer needs to make its vectors stale */
#define LIVELAY_SAMPLE_ABOVE 20000

LiveLayoutDesc livelay_desc_defaults(const LiveLayoutDesc *d)
{
    LiveLayoutDesc o = d ? *d : (LiveLayoutDesc){0};
    bool tsne = o.kind == LIVELAY_TSNE;
    o.dims = o.dims == 3 ? 3 : 2;
    o.min_dist = o.min_dist > 0 ? o.min_dist : 0.1;
    o.perplexity = o.perplexity > 0 ? o.perplexity : 15;
    if (o.neighbors <= 0) { /* sklearn's 3 x perplexity, capped to keep a refresh short */
        int k = (int)ceil(3 * o.perplexity);
        o.neighbors = !tsne ? 15 : k < 90 ? k : 90;
    }
    o.epochs = o.epochs > 0 ? o.epochs : tsne ? 300 : 100;
    o.warm_epochs = o.warm_epochs > 0 ? o.warm_epochs : tsne ? 100 : 40;
    o.warm_rate = o.warm_rate > 0 ? o.warm_rate : LIVELAY_WARM_RATE;
    o.still_rate = o.still_rate > 0 ? (o.still_rate < 1 ? o.still_rate : 1) : LIVELAY_STILL_RATE;
    o.budget_ms = o.budget_ms > 0 ? o.budget_ms : 1000;
    o.exact_rows = o.exact_rows ? o.exact_rows : 4096;
    o.sample_above = o.sample_above ? o.sample_above : LIVELAY_SAMPLE_ABOVE;
    o.seed = o.seed ? o.seed : 1;
    return o;
}

/* A sampled layout's sample: its rows of the table, their vectors of the last snapshot, and
 * their own live layout (a small table's: refined with each snapshot). */
typedef struct LiveSample {
    int32_t *rows; /* ascending */
    int64_t n;
    KnnIndex sub;
    LiveLayout lay;  /* its work holds its layout as sampled_place reads it: (n, dims) */
    int32_t *from;   /* (table rows, SAMPLED_PLACE_K) the sample rows each row was placed from */
    double place_ms; /* the last placement's time */
} LiveSample;

static void sample_free(LiveSample *S)
{
    if (!S)
        return;
    livelay_deinit(&S->lay);
    knn_deinit(&S->sub);
    free(S->from);
    free(S->rows);
    free(S);
}

void livelay_init(LiveLayout *L)
{
    memset(L, 0, sizeof *L);
    knngraph_init(&L->graph);
}

void livelay_deinit(LiveLayout *L)
{
    sample_free(L->sample);
    knngraph_deinit(&L->graph);
    free(L->xyz);
    free(L->work);
    free(L->prev_idx);
    free(L->rate);
    memset(L, 0, sizeof *L);
}

const int32_t *livelay_sample_rows(const LiveLayout *L, int64_t *n)
{
    *n = L->sample ? L->sample->n : 0;
    return L->sample ? L->sample->rows : NULL;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Centre and 1 / RMS radius of rows points of n coordinates at stride st: the window shows a
 * layout centred and scaled to unit RMS radius (app/gui/data/proj.c). */
static void centre_scale(const float *p, int64_t rows, int n, int st, double c[3], double *inv)
{
    double r2 = 0;
    for (int k = 0; k < 3; k++)
        c[k] = 0;
    for (int64_t i = 0; i < rows; i++)
        for (int k = 0; k < n; k++)
            c[k] += p[i * st + k];
    for (int k = 0; k < n; k++)
        c[k] /= (double)rows;
    for (int64_t i = 0; i < rows; i++)
        for (int k = 0; k < n; k++)
            r2 += (p[i * st + k] - c[k]) * (p[i * st + k] - c[k]);
    *inv = r2 > 0 ? 1.0 / sqrt(r2 / (double)rows) : 1.0;
}

/* Median distance between the held layout and work as the window draws them (each centred
 * and scaled to unit RMS radius, so a layout that only grows or drifts as a whole, which the
 * window does not show, does not count), over the new layout's largest extent. */
static double median_move(const LiveLayout *L, int dims)
{
    float *d = malloc((size_t)L->rows * sizeof *d);
    if (!d)
        return NAN;
    double ca[3], cb[3], ia, ib;
    centre_scale(L->xyz, L->rows, dims, 3, ca, &ia);
    centre_scale(L->work, L->rows, dims, dims, cb, &ib);
    double lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (int64_t i = 0; i < L->rows; i++) {
        double s = 0;
        for (int k = 0; k < dims; k++) {
            double v = (L->work[i * dims + k] - cb[k]) * ib;
            double t = v - (L->xyz[i * 3 + k] - ca[k]) * ia;
            s += t * t;
            lo[k] = fmin(lo[k], v);
            hi[k] = fmax(hi[k], v);
        }
        d[i] = (float)sqrt(s);
    }
    qsort(d, (size_t)L->rows, sizeof *d, cmp_float);
    double ext = 0;
    for (int k = 0; k < dims; k++)
        ext = fmax(ext, hi[k] - lo[k]);
    double m = ext > 0 ? d[L->rows / 2] / ext : 0;
    free(d);
    return m;
}

/* A refinement keeps the graph and the coordinates: same rows and every parameter that
 * shapes them, and the same epochs from scratch (changed, they ask for a new layout);
 * warm_epochs and the budget only say how long a refinement works. */
static bool can_refine(const LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *w)
{
    const LiveLayoutDesc *h = &L->have;
    bool same = h->kind == w->kind && h->dims == w->dims && h->neighbors == w->neighbors &&
                h->seed == w->seed && h->epochs == w->epochs &&
                (w->kind == LIVELAY_TSNE ? h->perplexity == w->perplexity : h->min_dist == w->min_dist);
    return L->valid && same && L->rows == ix->rows && (L->graph.n == ix->rows || L->placed);
}

static bool ensure_rows(LiveLayout *L, int64_t rows, Err *e)
{
    if (L->rows == rows && L->xyz)
        return true;
    float *x = calloc((size_t)rows * 3, sizeof *x), *w = malloc((size_t)rows * 3 * sizeof *w);
    if (!x || !w) {
        free(x);
        free(w);
        return err_set(e, "layout: out of memory for %lld points", (long long)rows);
    }
    free(L->xyz);
    free(L->work);
    L->xyz = x;
    L->work = w;
    L->rows = rows;
    L->valid = false;
    return true;
}

/* A full refine (NN-descent to convergence, about half a build: docs/layout.md) when its
 * estimate from the last graph's time fits in 40% of the budget (small tables); else one
 * pass with few candidates (its joins cost candidates squared, about a tenth of a full
 * pass's): a bounded share of the work per refresh, and the graph keeps improving over the
 * next snapshots. */
static bool full_refine_fits(const LiveLayout *L, const LiveLayoutDesc *w)
{
    double estimate = L->graph_ms * (L->warm ? 10 : 0.5);
    return estimate < 0.4 * w->budget_ms;
}

/* Epochs (iterations) for a refinement: what the budget has left after the graph, at the
 * last run's speed, within [at least, warm_epochs]. */
static int warm_epochs(const LiveLayout *L, const LiveLayoutDesc *w, double spent_ms, int least)
{
    double left = w->budget_ms - spent_ms;
    int n = L->epoch_ms > 0 ? (int)(left / L->epoch_ms) : w->warm_epochs;
    n = n < least ? least : n;
    return n > w->warm_epochs ? w->warm_epochs : n;
}

/* The graph before a refinement, to see afterwards which rows' neighbours changed. */
static bool remember_graph(LiveLayout *L, Err *e)
{
    size_t nk = (size_t)L->graph.n * (size_t)L->graph.k;
    int32_t *p = realloc(L->prev_idx, nk * sizeof *p);
    float *r = realloc(L->rate, (size_t)L->graph.n * sizeof *r);
    if (p)
        L->prev_idx = p;
    if (r)
        L->rate = r;
    if (!p || !r)
        return err_set(e, "layout: out of memory for %lld points", (long long)L->graph.n);
    memcpy(p, L->graph.idx, nk * sizeof *p);
    return true;
}

/* Each row's share of a refinement's step: still_rate when the refined graph lists the same
 * neighbours as before, growing linearly to 1 when LIVELAY_FOLLOW of them are new. */
static void row_rates(LiveLayout *L, const LiveLayoutDesc *w)
{
    int k = L->graph.k;
    for (int64_t i = 0; i < L->graph.n; i++) {
        const int32_t *now = L->graph.idx + i * k, *was = L->prev_idx + i * k;
        int changed = 0;
        for (int s = 0; s < k; s++) {
            bool found = now[s] < 0;
            for (int t = 0; t < k && !found; t++)
                found = was[t] == now[s];
            changed += !found;
        }
        double r = w->still_rate + (1 - w->still_rate) * changed / (LIVELAY_FOLLOW * k);
        L->rate[i] = (float)(r < 1 ? r : 1);
    }
}

/* A bounded refine's passes: UMAP's two while the last refine's time per pass says they fit
 * in LIVELAY_SECOND_PASS x 2 of the budget, else one; t-SNE one (its graph is 3x wider and was
 * not measured with two). */
static int bounded_passes(const LiveLayout *L, const LiveLayoutDesc *w)
{
    double per_pass = L->warm && L->graph_passes > 0 ? L->graph_ms / L->graph_passes : 0;
    return w->kind == LIVELAY_UMAP && per_pass < LIVELAY_SECOND_PASS * w->budget_ms ? LIVELAY_PASSES : 1;
}

static bool run_umap(LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *w, bool warm, int epochs,
                     Pool *pool, LayoutProgressFn fn, void *ctx, Err *e)
{
    int dims = w->dims;
    /* a warm start's init is read while the output is written: they may not share memory */
    float *out = warm ? malloc((size_t)ix->rows * (size_t)dims * sizeof *out) : L->work;
    if (!out)
        return err_set(e, "layout: out of memory for %lld points", (long long)ix->rows);
    UmapDesc ud = {.dims = dims, .neighbors = w->neighbors, .min_dist = w->min_dist, .epochs = epochs,
                   .learning_rate = warm ? w->warm_rate : 0, .init = warm ? L->work : NULL,
                   .row_rate = warm ? L->rate : NULL,
                   /* a seed per refinement: each samples other edges' phases and negatives, so
                      no edge is left out of every refresh */
                   .seed = warm ? w->seed + L->builds : w->seed, .sample_epochs = warm ? w->epochs : 0,
                   .pool = pool, .progress = fn, .ctx = ctx};
    bool ok = umap_layout(&L->graph, ix, &ud, out, NULL, e);
    if (ok && warm)
        memcpy(L->work, out, (size_t)ix->rows * (size_t)dims * sizeof *out);
    if (warm)
        free(out);
    return ok;
}

typedef struct TsneCtx {
    LayoutProgressFn fn;
    void *ctx;
} TsneCtx;

static bool tsne_report(void *ctx, int iter, int iters, double kl)
{
    (void)kl;
    TsneCtx *c = ctx;
    return !c->fn || c->fn(c->ctx, "t-SNE", iters > 0 ? (double)iter / iters : 1);
}

/* P from the graph, then from PCA (cold: 250 exaggerated iterations first, at most half) or
 * from the held coordinates in work (warm: none). A cancel leaves work half-done, which is
 * only scratch: the held layout stays. */
static bool run_tsne(LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *w, bool warm, int iters,
                     Pool *pool, LayoutProgressFn fn, void *ctx, Err *e)
{
    TsneCtx tc = {fn, ctx};
    TsneGraph tg = {.n = L->graph.n, .k = L->graph.k, .idx = L->graph.idx, .dist = L->graph.dist};
    TsneDesc td = {.dims = w->dims, .perplexity = w->perplexity, .iterations = iters,
                   .exaggeration_iters = iters / 2 < 250 ? (iters / 2 > 0 ? iters / 2 : 1) : 250,
                   .warm = warm, .seed = w->seed, .pool = pool, .progress = tsne_report, .ctx = &tc,
                   .progress_every = 10};
    Tsne t;
    if (!tsne_init(&t, &td, &tg, e))
        return false;
    bool ok = warm || pcainit_coords(ix, w->dims, w->seed, pool, L->work, e);
    ok = ok && tsne_optimize(&t, L->work, e);
    if (ok && t.cancelled)
        ok = err_set(e, "cancelled");
    tsne_deinit(&t);
    return ok;
}

/* The held layout, in the (rows, dims) shape of the optimisers: a refinement's start. */
static void held_to_work(LiveLayout *L, int dims)
{
    for (int64_t i = 0; i < L->rows; i++)
        for (int k = 0; k < dims; k++)
            L->work[i * dims + k] = L->xyz[i * 3 + k];
}

/* What an update has cost and done, beside the layout itself. graph_passes: a bounded
 * refine's NN-descent passes (0 when the graph was not refined that way: bounded_passes
 * then has no time per pass to go by). */
typedef struct UpdateCost {
    int epochs, graph_passes;
    double graph_ms, epoch_ms;
    int64_t dist_evals;
} UpdateCost;

/* The update's result in work becomes the held layout: its move from the one held (warm), and
 * what made it. */
static void hold(LiveLayout *L, const LiveLayoutDesc *want, bool warm, bool placed, UpdateCost c,
                 double t0)
{
    int dims = want->dims;
    L->moved = warm ? median_move(L, dims) : 0;
    for (int64_t i = 0; i < L->rows; i++)
        for (int k = 0; k < 3; k++)
            L->xyz[i * 3 + k] = k < dims ? L->work[i * dims + k] : 0.f;
    L->have = *want;
    L->valid = true;
    L->placed = placed;
    L->warm = warm;
    L->builds++;
    L->epochs = c.epochs;
    L->epoch_ms = c.epoch_ms;
    L->graph_ms = c.graph_ms;
    L->graph_passes = c.graph_passes;
    L->dist_evals = c.dist_evals;
    L->ms = clock_ms() - t0;
}

/* The sample's desc: the table's, laid out in full (it is the sample), every refinement
 * refining its own graph, on what the budget leaves after the last placement (at least a
 * quarter of it): the refresh as a whole keeps to the budget. */
static LiveLayoutDesc sample_desc(const LiveLayoutDesc *w, const LiveSample *S)
{
    LiveLayoutDesc d = *w;
    d.sample_above = -1;
    d.moving = false;
    double left = w->budget_ms - S->place_ms;
    d.budget_ms = left > w->budget_ms / 4 ? left : w->budget_ms / 4;
    return d;
}

/* The sample's progress, its stages named as the sample's. */
typedef struct SampleStage {
    LayoutProgressFn fn;
    void *ctx;
    char prefix[48];
} SampleStage;

static bool sample_report(void *ctx, const char *stage, double f)
{
    SampleStage *s = ctx;
    char name[112];
    snprintf(name, sizeof name, "%s: %s", s->prefix, stage ? stage : "");
    return !s->fn || s->fn(s->ctx, name, f);
}

/* The sample's layout (cold: chosen, from scratch; warm: its vectors of this snapshot, refined
 * from its held layout), then every other row placed from it into work. */
static bool sample_and_place(LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *w, bool warm, Pool *pool,
                             LayoutProgressFn fn, void *ctx, UpdateCost *c, Err *e)
{
    int dims = w->dims;
    LiveSample *S = L->sample;
    if (!warm) {
        sample_free(S);
        /* a quarter of the rows (5,000 to 50,000) unless set: the first picture of the
         * benchmark's 61k words in ~3 s rather than a full build's ~14 s (bench/README.md) */
        int64_t n = w->sample_rows > 0 ? w->sample_rows : ix->rows / 4;
        if (w->sample_rows <= 0)
            n = n < 5000 ? 5000 : n > 50000 ? 50000 : n;
        n = n < ix->rows ? n : ix->rows;
        S = L->sample = calloc(1, sizeof *S);
        if (!S)
            return err_set(e, "layout: out of memory for a sample");
        livelay_init(&S->lay);
        S->n = n;
        S->rows = sampled_choose(ix->rows, n, w->seed);
        S->from = malloc((size_t)ix->rows * SAMPLED_PLACE_K * sizeof *S->from);
        if (S->from)
            memset(S->from, 0xff, (size_t)ix->rows * SAMPLED_PLACE_K * sizeof *S->from); /* -1: none */
        if (!S->rows || !S->from)
            return err_set(e, "layout: out of memory for a sample of %lld rows", (long long)n);
    }
    LiveLayoutDesc sd = sample_desc(w, S);
    SampleStage stage = {fn, ctx, ""};
    snprintf(stage.prefix, sizeof stage.prefix, "sample %lld", (long long)S->n);
    if (!sampled_sub_index(&S->sub, ix, S->rows, S->n, e) ||
        !livelay_update(&S->lay, &S->sub, &sd, pool, sample_report, &stage, e))
        return false;
    SampledDesc pd = {.sample = S->n, .dims = dims, .place_k = SAMPLED_PLACE_K, .neighbors = w->neighbors,
                      .min_dist = w->min_dist, .seed = w->seed, .pool = pool, .progress = fn, .ctx = ctx};
    SampledStats st = {0};
    if (!sampled_place(ix, &S->sub, &S->lay.graph, S->rows, S->lay.work, &pd, S->from, L->work, &st, e))
        return false;
    S->place_ms = st.place_ms;
    *c = (UpdateCost){.epochs = S->lay.epochs, .graph_passes = S->lay.graph_passes,
                      .graph_ms = S->lay.graph_ms, .epoch_ms = S->lay.epoch_ms,
                      .dist_evals = S->lay.dist_evals + st.place_evals};
    return true;
}

/* A big table's UMAP (sampled.h): from scratch, and while the vectors are moving, the sample's
 * layout with every other row placed from it (sample_and_place); the first update of vectors
 * that stopped moving (finish) builds the full graph and runs a third of the epochs at a
 * quarter of the step from the placed positions (umap-learn's transform refines new points
 * with such a schedule), after which refinements go as usual. */
static bool sampled_update(LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *w, bool warm, Pool *pool,
                           LayoutProgressFn fn, void *ctx, Err *e)
{
    double t0 = clock_ms();
    int dims = w->dims, epochs = w->epochs / 3 > 10 ? w->epochs / 3 : 10;
    bool finish = warm && !w->moving;
    UpdateCost c = {0};
    if (finish) {
        SampledDesc sd = {.dims = dims, .neighbors = w->neighbors, .min_dist = w->min_dist, .epochs = w->epochs,
                          .seed = w->seed, .pool = pool, .progress = fn, .ctx = ctx};
        SampledStats st;
        held_to_work(L, dims);
        if (!sampled_refine(&L->graph, ix, &sd, epochs, SAMPLED_REFINE_RATE, L->work, &st, e))
            return false;
        sample_free(L->sample);
        L->sample = NULL;
        c = (UpdateCost){.epochs = st.umap.epochs, .graph_ms = st.graph_ms,
                         .epoch_ms = st.umap.epochs > 0 ? st.umap_ms / st.umap.epochs : 0,
                         .dist_evals = st.graph.dist_evals};
    } else {
        warm = warm && L->sample;
        if (!sample_and_place(L, ix, w, warm, pool, fn, ctx, &c, e)) {
            if (!warm) { /* a half-made sample is no start for the next update */
                sample_free(L->sample);
                L->sample = NULL;
            }
            return false;
        }
        knngraph_deinit(&L->graph); /* no graph of every row: the finish must build one */
    }
    hold(L, w, warm, !finish, c, t0);
    return true;
}

bool livelay_update(LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *d, Pool *pool,
                    LayoutProgressFn fn, void *ctx, Err *e)
{
    LiveLayoutDesc want = livelay_desc_defaults(d);
    if (want.kind != LIVELAY_UMAP && want.kind != LIVELAY_TSNE)
        return err_set(e, "layout: unknown kind %d", (int)want.kind);
    double t0 = clock_ms();
    int dims = want.dims;
    bool warm = can_refine(L, ix, &want);
    if (!ensure_rows(L, ix->rows, e))
        return false;
    if (want.kind == LIVELAY_UMAP && (warm ? L->placed : want.sample_above >= 0 && ix->rows > want.sample_above))
        return sampled_update(L, ix, &want, warm, pool, fn, ctx, e);
    bool bounded = warm && !full_refine_fits(L, &want);
    /* a refinement's seed changes with each: its tree and candidate samples are new ones,
     * which bring neighbours the last passes did not (an entry is replaced only by a closer
     * one, so new samples improve the graph, never churn it) */
    int passes = bounded ? bounded_passes(L, &want) : 0;
    KnnGraphDesc gd = {.k = want.neighbors, .max_iters = passes,
                       .max_candidates = bounded ? LIVELAY_CANDIDATES : 0,
                       .seed = warm ? want.seed + L->builds : want.seed, .pool = pool,
                       .progress = fn, .ctx = ctx};
    KnnGraphStats gs = {0};
    bool umap_warm = warm && want.kind == LIVELAY_UMAP;
    if (umap_warm && !remember_graph(L, e))
        return false;
    bool ok;
    if (warm && want.keep_graph) {
        ok = true;
    } else if (ix->rows <= want.exact_rows) {
        ok = knnexact_graph(&L->graph, ix, want.neighbors, pool, fn, ctx, e);
        gs.dist_evals = ix->rows * ix->rows;
    } else {
        ok = warm ? knngraph_refine(&L->graph, ix, &gd, &gs, e) : knngraph_build(&L->graph, ix, &gd, &gs, e);
    }
    if (!ok)
        return false;
    double graph_ms = clock_ms() - t0;
    if (umap_warm)
        row_rates(L, &want);
    if (warm)
        held_to_work(L, dims);
    bool tsne = want.kind == LIVELAY_TSNE;
    int epochs = warm ? warm_epochs(L, &want, graph_ms, tsne ? 10 : 5) : want.epochs;
    double t1 = clock_ms();
    ok = tsne ? run_tsne(L, ix, &want, warm, epochs, pool, fn, ctx, e)
              : run_umap(L, ix, &want, warm, epochs, pool, fn, ctx, e);
    if (!ok)
        return false;
    UpdateCost c = {.epochs = epochs, .graph_passes = gs.iters, .graph_ms = graph_ms,
                    .epoch_ms = (clock_ms() - t1) / epochs, .dist_evals = gs.dist_evals};
    hold(L, &want, warm, false, c, t0);
    return true;
}
