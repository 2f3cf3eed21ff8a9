/* The sample-first UMAP (see sampled.h): choose, lay out the sample, place the rest by pool
 * tasks over blocks of rows, each with its own query scratch. Calling thread plus the pool. */
#include "model/layout/sampled.h"
#include "model/base/clock.h"
#include "model/base/rng.h"
#include "model/layout/fuzzy.h"
#include "model/layout/knnquery.h"
#include "model/vectors/embed.h"
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLED_ROWS 50000
#define PLACE_BLOCK 1024 /* rows per placement task */
#define LEAF_SIZE 32     /* query trees' leaves: 16 to 32 rows */
/* rows a placement query walks from on the sample's graph at most: the position is a weighted
 * mean of ten, which a neighbour found a little worse barely moves */
#define PLACE_WALK 6
/* jitter sd per axis: this share of the spread of the neighbours' positions around the
 * placed point (a point among coinciding neighbours gets the floor below) */
#define JITTER_SPREAD 0.1
#define JITTER_FLOOR 1e-3 /* of the sample layout's RMS radius */

SampledDesc sampled_desc_defaults(const SampledDesc *d)
{
    SampledDesc o = d ? *d : (SampledDesc){0};
    o.sample = o.sample ? o.sample : SAMPLED_ROWS;
    o.dims = o.dims ? o.dims : 2;
    o.neighbors = o.neighbors ? o.neighbors : 15;
    o.place_k = o.place_k ? o.place_k : SAMPLED_PLACE_K;
    o.trees = o.trees ? o.trees : 1;
    o.seed = o.seed ? o.seed : 1;
    return o;
}

/* Progress under the sampled layout's own stage names; the job's fraction passes through. */
typedef struct Stage {
    const SampledDesc *d;
    char name[64];
} Stage;

static bool stage_report(void *ctx, const char *stage, double f)
{
    (void)stage;
    Stage *s = ctx;
    return !s->d->progress || s->d->progress(s->d->ctx, s->name, f);
}

static bool report(Stage *s, double f, Err *e)
{
    return stage_report(s, NULL, f) ? true : err_set(e, "cancelled");
}

/* The sample, ascending: rows [0, s/2) and s - s/2 of [s/2, n) by selection sampling (Knuth's
 * algorithm S: each row taken with probability needed / left, exactly s in all). */
int32_t *sampled_choose(int64_t n, int64_t s, uint64_t seed)
{
    int32_t *rows = malloc((size_t)s * sizeof *rows);
    if (!rows)
        return NULL;
    int64_t head = s / 2, m = 0;
    for (; m < head; m++)
        rows[m] = (int32_t)m;
    uint64_t r = rng_mix(seed ^ (uint64_t)0x5a3d1e);
    for (int64_t i = head; i < n && m < s; i++)
        if (rng_uniform01(&r) * (double)(n - i) < (double)(s - m))
            rows[m++] = (int32_t)i;
    return rows;
}

bool sampled_sub_index(KnnIndex *sub, const KnnIndex *ix, const int32_t *rows, int64_t s, Err *e)
{
    float *x = emb_aligned_alloc((size_t)s * (size_t)ix->stride * sizeof *x);
    if (!x)
        return err_set(e, "sampled: out of memory for a sample of %lld rows", (long long)s);
    for (int64_t i = 0; i < s; i++)
        memcpy(x + i * ix->stride, knn_row(ix, rows[i]), (size_t)ix->stride * sizeof *x);
    bool ok = knn_build(sub, x, s, ix->dim, ix->stride, e);
    free(x);
    return ok;
}

/* The full UMAP of the rows of ix (the sample's, or the whole table when it is small). */
static bool full_umap(KnnGraph *g, const KnnIndex *ix, const SampledDesc *d, Stage *sg, Stage *su,
                      float *out, SampledStats *st, Err *e)
{
    double t0 = clock_ms();
    KnnGraphDesc gd = {.k = d->neighbors, .seed = d->seed, .pool = d->pool, .progress = stage_report, .ctx = sg};
    if (!knngraph_build(g, ix, &gd, &st->graph, e))
        return false;
    st->graph_ms = clock_ms() - t0;
    t0 = clock_ms();
    UmapDesc ud = {.dims = d->dims, .neighbors = d->neighbors, .min_dist = d->min_dist, .epochs = d->epochs,
                   .seed = d->seed, .pool = d->pool, .progress = stage_report, .ctx = su};
    bool ok = umap_layout(g, ix, &ud, out, &st->umap, e);
    st->umap_ms = clock_ms() - t0;
    return ok;
}

typedef struct Place {
    const KnnIndex *ix;
    const KnnQueryForest *qf;
    int32_t *order;       /* (rows - sample) the rows to place, by their leaf in the first tree */
    int64_t norder;
    const float *ys;      /* (sample, dims) the sample's layout */
    float *out;           /* (rows, dims) */
    int32_t *from;        /* NULL or (rows, k): each row's sample rows, candidates in, chosen out */
    int dims, k;
    double mean_dist;     /* the sample graph's mean distance, the smoothing's fallback */
    double floor_sd;
    uint64_t seed;
    int64_t block0;       /* first block of this job */
    atomic_llong evals;
    atomic_int oom;
} Place;

/* Row r at the membership-weighted mean of its k nearest sample rows' positions, plus jitter. */
static void place_row(const Place *p, KnnQueryScratch *sc, int64_t r)
{
    int32_t idx[KNNQUERY_MAX_K];
    float dist[KNNQUERY_MAX_K];
    /* the rows it was placed from last time are candidates too: each refresh's trees, built on
     * the changed sample, find a somewhat different set, and the rows they miss would move the
     * placed mean (bench/README.md, "Placed rows that jumped") */
    int32_t *from = p->from ? p->from + r * p->k : NULL;
    int m = knnquery_search(p->qf, sc, knn_row(p->ix, r), from, from ? p->k : 0, p->k, PLACE_WALK, idx, dist);
    double sigma, rho, pos[3] = {0, 0, 0}, wsum = 0, spread = 0;
    fuzzy_smooth_row(dist, m, p->mean_dist, &sigma, &rho);
    double w[KNNQUERY_MAX_K];
    for (int j = 0; j < m; j++) {
        w[j] = exp(-fmax(0, dist[j] - rho) / sigma);
        wsum += w[j];
        for (int c = 0; c < p->dims; c++)
            pos[c] += w[j] * p->ys[(int64_t)idx[j] * p->dims + c];
    }
    for (int c = 0; c < p->dims; c++)
        pos[c] = wsum > 0 ? pos[c] / wsum : 0;
    for (int j = 0; j < m && wsum > 0; j++)
        for (int c = 0; c < p->dims; c++) {
            double t = p->ys[(int64_t)idx[j] * p->dims + c] - pos[c];
            spread += w[j] / wsum * t * t;
        }
    for (int j = 0; from && j < p->k; j++)
        from[j] = j < m ? idx[j] : -1;
    double sd = JITTER_SPREAD * sqrt(spread) + p->floor_sd;
    uint64_t s = rng_mix(p->seed ^ (uint64_t)r * (uint64_t)0x9e3779b97f4a7c15ull);
    for (int c = 0; c < p->dims; c++)
        p->out[r * p->dims + c] = (float)(pos[c] + sd * rng_gauss(&s));
}

static void place_task(void *ctx, int t)
{
    Place *p = ctx;
    KnnQueryScratch sc;
    if (!knnquery_scratch_init(&sc, p->qf)) {
        atomic_store(&p->oom, 1);
        return;
    }
    int64_t lo = (p->block0 + t) * PLACE_BLOCK, hi = lo + PLACE_BLOCK;
    hi = hi < p->norder ? hi : p->norder;
    for (int64_t i = lo; i < hi; i++)
        place_row(p, &sc, p->order[i]);
    atomic_fetch_add(&p->evals, sc.evals);
    knnquery_scratch_deinit(&sc);
}

/* Mean of the graph's finite distances, and the RMS radius of the layout ys. */
static void scales(const KnnGraph *g, const float *ys, int dims, double *mean_dist, double *radius)
{
    double s = 0, c[3] = {0, 0, 0}, r2 = 0;
    int64_t cnt = 0;
    for (int64_t i = 0; i < g->n * g->k; i++)
        if (g->idx[i] >= 0) {
            s += g->dist[i];
            cnt++;
        }
    *mean_dist = cnt ? s / (double)cnt : 1;
    for (int64_t i = 0; i < g->n; i++)
        for (int k = 0; k < dims; k++)
            c[k] += ys[i * dims + k] / (double)g->n;
    for (int64_t i = 0; i < g->n; i++)
        for (int k = 0; k < dims; k++)
            r2 += (ys[i * dims + k] - c[k]) * (ys[i * dims + k] - c[k]);
    *radius = sqrt(r2 / (double)g->n);
}

static void leaf_task(void *ctx, int t)
{
    Place *p = ctx;
    int64_t lo = (int64_t)t * PLACE_BLOCK, hi = lo + PLACE_BLOCK;
    hi = hi < p->norder ? hi : p->norder;
    for (int64_t i = lo; i < hi; i++) /* order holds rows here, and gets their leaves */
        p->order[i] = (int32_t)knnquery_leaf(p->qf, 0, knn_row(p->ix, p->order[i]));
}

/* order: the rows not in the sample (in is_sample 0), sorted by their leaf in the first tree
 * (a counting sort), so that consecutive queries read the same sample rows. */
static bool sort_by_leaf(Place *p, const uint8_t *is_sample, const SampledDesc *d)
{
    int64_t leaves = 1LL << p->qf->trees[0].depth, n = 0;
    int32_t *rows = malloc((size_t)p->norder * sizeof *rows);
    int64_t *at = calloc((size_t)leaves + 1, sizeof *at);
    if (!rows || !at) {
        free(rows);
        free(at);
        return false;
    }
    for (int64_t r = 0; r < p->ix->rows; r++)
        if (!is_sample[r]) {
            rows[n] = p->order[n] = (int32_t)r;
            n++;
        }
    int tasks = (int)((p->norder + PLACE_BLOCK - 1) / PLACE_BLOCK);
    pool_run(d->pool, leaf_task, p, tasks);
    for (int64_t i = 0; i < n; i++)
        at[p->order[i] + 1]++;
    for (int64_t l = 0; l < leaves; l++)
        at[l + 1] += at[l];
    int32_t *leaf = malloc((size_t)n * sizeof *leaf);
    if (leaf) {
        memcpy(leaf, p->order, (size_t)n * sizeof *leaf);
        for (int64_t i = 0; i < n; i++)
            p->order[at[leaf[i]]++] = rows[i];
    }
    free(leaf);
    free(rows);
    free(at);
    return leaf != NULL;
}

/* The rows of order placed into out, in batches of blocks between which a cancel is heard. */
static bool place_all(Place *p, const SampledDesc *d, Stage *sp, Err *e)
{
    int64_t blocks = (p->norder + PLACE_BLOCK - 1) / PLACE_BLOCK;
    int64_t batch = 8 * (int64_t)pool_threads(d->pool);
    for (int64_t b = 0; b < blocks; b += batch) {
        p->block0 = b;
        int64_t nb = blocks - b < batch ? blocks - b : batch;
        pool_run(d->pool, place_task, p, (int)nb);
        if (atomic_load(&p->oom))
            return err_set(e, "sampled: out of memory for the placement's scratch");
        if (!report(sp, (double)(b + nb) / (double)blocks, e))
            return false;
    }
    return true;
}

static bool check(const KnnIndex *ix, const SampledDesc *d, Err *e)
{
    if (ix->rows < 1 || !ix->unit || ix->rows > INT32_MAX)
        return err_set(e, "sampled: a table of %lld rows", (long long)ix->rows);
    if (d->sample < 1 || (d->dims != 2 && d->dims != 3) || d->place_k < 1 || d->place_k > KNNQUERY_MAX_K ||
        d->trees < 1 || d->trees > 64 || d->neighbors < 1 || d->neighbors > KNNGRAPH_MAX_K)
        return err_set(e, "sampled: bad parameters (sample %lld, dims %d, place from %d, trees %d, "
                          "neighbours %d)", (long long)d->sample, d->dims, d->place_k, d->trees, d->neighbors);
    return true;
}

bool sampled_place(const KnnIndex *ix, const KnnIndex *sub, const KnnGraph *g, const int32_t *rows,
                   const float *ys, const SampledDesc *desc, int32_t *from, float *out, SampledStats *st,
                   Err *e)
{
    SampledDesc dd = sampled_desc_defaults(desc);
    const SampledDesc *d = &dd;
    int64_t s = sub->rows;
    if (!check(ix, d, e))
        return false;
    if (s < 1 || s > ix->rows || g->n != s)
        return err_set(e, "sampled: a sample of %lld rows (graph of %lld) of %lld", (long long)s,
                       (long long)g->n, (long long)ix->rows);
    Stage sp = {d, ""};
    snprintf(sp.name, sizeof sp.name, "placing %lld rows", (long long)(ix->rows - s));
    double t0 = clock_ms();
    if (s == ix->rows) { /* nothing to place */
        for (int64_t i = 0; i < s; i++)
            memcpy(out + (int64_t)rows[i] * d->dims, ys + i * d->dims, (size_t)d->dims * sizeof *out);
        return true;
    }
    KnnQueryForest qf = {0};
    uint8_t *is_sample = calloc((size_t)ix->rows, 1);
    int32_t *order = malloc((size_t)(ix->rows - s) * sizeof *order + 1);
    bool ok = is_sample && order ? knnquery_build(&qf, sub, g, d->trees, LEAF_SIZE, d->seed, d->pool, e)
                                 : err_set(e, "sampled: out of memory");
    if (ok) {
        for (int64_t i = 0; i < s; i++) {
            is_sample[rows[i]] = 1;
            for (int c = 0; c < d->dims; c++)
                out[(int64_t)rows[i] * d->dims + c] = ys[i * d->dims + c];
        }
        double radius;
        Place p = {.ix = ix, .qf = &qf, .order = order, .norder = ix->rows - s, .ys = ys,
                   .out = out, .from = from, .dims = d->dims, .k = d->place_k, .seed = d->seed};
        scales(g, ys, d->dims, &p.mean_dist, &radius);
        p.floor_sd = JITTER_FLOOR * (radius > 0 ? radius : 1);
        ok = sort_by_leaf(&p, is_sample, d) ? place_all(&p, d, &sp, e)
                                             : err_set(e, "sampled: out of memory for %lld rows", (long long)ix->rows);
        if (st)
            st->place_evals = atomic_load(&p.evals);
    }
    if (st)
        st->place_ms = clock_ms() - t0;
    knnquery_deinit(&qf);
    free(is_sample);
    free(order);
    return ok;
}

/* The sample laid out into ys and every row placed from it into out. */
static bool sample_then_place(const KnnIndex *ix, const SampledDesc *d, const int32_t *rows, int64_t s,
                              float *ys, float *out, SampledStats *st, Err *e)
{
    KnnIndex sub = {0};
    KnnGraph g;
    knngraph_init(&g);
    Stage sg = {d, ""}, su = {d, ""};
    snprintf(sg.name, sizeof sg.name, "sample %lld of %lld: graph", (long long)s, (long long)ix->rows);
    snprintf(su.name, sizeof su.name, "sample %lld of %lld: UMAP", (long long)s, (long long)ix->rows);
    bool ok = sampled_sub_index(&sub, ix, rows, s, e);
    ok = ok && full_umap(&g, &sub, d, &sg, &su, ys, st, e);
    ok = ok && sampled_place(ix, &sub, &g, rows, ys, d, NULL, out, st, e);
    knngraph_deinit(&g);
    knn_deinit(&sub);
    return ok;
}

bool sampled_layout(const KnnIndex *ix, const SampledDesc *desc, float *out, SampledStats *st, Err *e)
{
    SampledStats dummy;
    st = st ? st : &dummy;
    memset(st, 0, sizeof *st);
    SampledDesc d = sampled_desc_defaults(desc);
    if (!check(ix, &d, e))
        return false;
    int64_t s = d.sample < ix->rows ? d.sample : ix->rows;
    st->sample = s;
    st->placed = ix->rows - s;
    float *ys = malloc((size_t)(s * d.dims) * sizeof *ys), *tmp = malloc((size_t)(ix->rows * d.dims) * sizeof *tmp);
    int32_t *rows = s < ix->rows ? sampled_choose(ix->rows, s, d.seed) : NULL;
    bool ok = ys && tmp && (rows || s == ix->rows);
    if (!ok)
        ok = err_set(e, "sampled: out of memory for %lld rows", (long long)ix->rows);
    else if (s == ix->rows) { /* nothing to place: the full UMAP */
        KnnGraph g;
        knngraph_init(&g);
        Stage sg = {&d, "full graph"}, su = {&d, "full UMAP"};
        ok = full_umap(&g, ix, &d, &sg, &su, tmp, st, e);
        knngraph_deinit(&g);
    } else {
        ok = sample_then_place(ix, &d, rows, s, ys, tmp, st, e);
    }
    if (ok)
        memcpy(out, tmp, (size_t)(ix->rows * d.dims) * sizeof *out);
    free(ys);
    free(tmp);
    free(rows);
    return ok;
}

bool sampled_refine(KnnGraph *g, const KnnIndex *ix, const SampledDesc *desc, int epochs,
                    double learning_rate, float *coords, SampledStats *st, Err *e)
{
    SampledStats dummy;
    st = st ? st : &dummy;
    memset(st, 0, sizeof *st);
    SampledDesc d = sampled_desc_defaults(desc);
    if (!check(&(KnnIndex){.unit = ix->unit, .rows = ix->rows}, &d, e))
        return false;
    if (epochs < 1 || !(learning_rate > 0))
        return err_set(e, "sampled: refine with %d epochs at rate %g", epochs, learning_rate);
    st->sample = ix->rows;
    KnnGraph ng;
    knngraph_init(&ng);
    Stage sg = {&d, ""}, su = {&d, ""};
    snprintf(sg.name, sizeof sg.name, "full graph of %lld rows", (long long)ix->rows);
    snprintf(su.name, sizeof su.name, "full UMAP of %lld rows", (long long)ix->rows);
    double t0 = clock_ms();
    KnnGraphDesc gd = {.k = d.neighbors, .seed = d.seed, .pool = d.pool, .progress = stage_report, .ctx = &sg};
    bool ok = knngraph_build(&ng, ix, &gd, &st->graph, e);
    st->graph_ms = clock_ms() - t0;
    t0 = clock_ms();
    /* the start is read while the result is written: they may not share memory */
    float *out = ok ? malloc((size_t)(ix->rows * d.dims) * sizeof *out) : NULL;
    if (ok && !out)
        ok = err_set(e, "sampled: out of memory for %lld rows", (long long)ix->rows);
    UmapDesc ud = {.dims = d.dims, .neighbors = d.neighbors, .min_dist = d.min_dist, .epochs = epochs,
                   .learning_rate = learning_rate, .init = coords, .seed = d.seed, .pool = d.pool,
                   .progress = stage_report, .ctx = &su};
    ok = ok && umap_layout(&ng, ix, &ud, out, &st->umap, e);
    st->umap_ms = clock_ms() - t0;
    if (ok) {
        memcpy(coords, out, (size_t)(ix->rows * d.dims) * sizeof *out);
        knngraph_deinit(g);
        *g = ng;
    } else {
        knngraph_deinit(&ng);
    }
    free(out);
    return ok;
}
