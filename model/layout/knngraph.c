/* NN-descent over random-projection seeds, and the exact graph (see knngraph.h). A pass has
 * four phases, each a pool job: sample candidates (new and old, forward and reverse, by a
 * hashed priority), mark the sampled new ones old, join every row's candidates pairwise into
 * update lists (one per block of rows, against the worst distances at the pass's start), and
 * apply the updates to the heaps, each task owning the rows r % tasks. The updates and their
 * order do not depend on the number of threads, so neither does the graph.
 * Calling thread plus the pool's workers. */
#include "model/layout/knngraph.h"
#include "model/base/rng.h"
#include "model/layout/lkern.h"
#include "model/layout/rptree.h"
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_ROWS 256 /* rows per join task: enough tasks to balance, few update lists */
#define KNNGRAPH_LEAF_MAX 1024 /* rows of a leaf, and of a table solved as one leaf */

typedef struct Update {
    int32_t a, b;
    float d; /* offered to the heaps of a and b */
} Update;

typedef struct UpdBuf {
    Update *u;
    size_t n, cap;
} UpdBuf;

typedef struct Nnd {
    const KnnIndex *ix;
    int32_t n;
    int k, C, nblocks, nowners;
    int32_t *idx;      /* (n, k): row r is a max-heap on dist (root: the worst kept) */
    float *dist;       /* (n, k) */
    uint8_t *isnew;    /* (n, k) 1: not yet joined */
    float *thresh;     /* (n) worst kept distance when the phase started */
    int32_t *cand;     /* (n, 2C): C new candidates, then C old */
    float *prio;       /* (n, 2C) their sampling priorities (lowest kept) */
    int32_t *ncand;    /* (n, 2) counts of new, old */
    UpdBuf *bufs;      /* (nblocks) */
    int32_t *leaf0;    /* (nblocks + 1) first leaf of each block of the current tree */
    const RpTree *tree;
    uint64_t seed;
    int iter;
    atomic_llong evals;
    atomic_int oom;
    int64_t applied[POOL_MAX_THREADS];
} Nnd;

static float cos_dist(float dot)
{
    float d = 1 - dot;
    return d > 0 ? d : 0; /* rounding can take a row's distance to its duplicate below 0 */
}

static void emit(Nnd *w, UpdBuf *b, int32_t x, int32_t y, float d)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        Update *u = realloc(b->u, cap * sizeof *u);
        if (!u) {
            atomic_store(&w->oom, 1);
            return;
        }
        b->u = u;
        b->cap = cap;
    }
    b->u[b->n++] = (Update){x, y, d};
}

/* Offers c at distance d to row r's heap; 1 if it entered (not present, better than the
 * worst kept). */
static int heap_push(Nnd *w, int32_t r, int32_t c, float d)
{
    int k = w->k;
    int32_t *ri = w->idx + (int64_t)r * k;
    float *rd = w->dist + (int64_t)r * k;
    uint8_t *rf = w->isnew + (int64_t)r * k;
    if (!(d < rd[0]) || c == r)
        return 0;
    for (int s = 0; s < k; s++)
        if (ri[s] == c)
            return 0;
    int i = 0;
    for (;;) {
        int l = 2 * i + 1, rr = l + 1, m = l;
        if (l >= k)
            break;
        if (rr < k && rd[rr] > rd[l])
            m = rr;
        if (!(rd[m] > d))
            break;
        ri[i] = ri[m];
        rd[i] = rd[m];
        rf[i] = rf[m];
        i = m;
    }
    ri[i] = c;
    rd[i] = d;
    rf[i] = 1;
    return 1;
}

static void block_range(const Nnd *w, int b, int32_t *lo, int32_t *hi)
{
    *lo = (int32_t)((int64_t)b * BLOCK_ROWS);
    *hi = *lo + BLOCK_ROWS < w->n ? *lo + BLOCK_ROWS : w->n;
}

/* Every pair within each leaf of the current tree whose rows start in block b. */
static void leaf_task(void *ctx, int b)
{
    Nnd *w = ctx;
    const RpTree *t = w->tree;
    UpdBuf *buf = &w->bufs[b];
    float out[KNNGRAPH_LEAF_MAX];
    long long evals = 0;
    for (int32_t l = w->leaf0[b]; l < w->leaf0[b + 1]; l++) {
        const int32_t *p = t->perm + t->leaf[l];
        int len = t->leaf[l + 1] - t->leaf[l];
        for (int i = 0; i + 1 < len; i++) {
            lkern_dots(w->ix->unit, w->ix->stride, knn_row(w->ix, p[i]), p + i + 1,
                       len - i - 1, out);
            evals += len - i - 1;
            for (int j = i + 1; j < len; j++) {
                float d = cos_dist(out[j - i - 1]);
                if (d < w->thresh[p[i]] || d < w->thresh[p[j]])
                    emit(w, buf, p[i], p[j], d);
            }
        }
    }
    atomic_fetch_add_explicit(&w->evals, evals, memory_order_relaxed);
}

/* Applies every list, in block order, to the rows this task owns. */
static void apply_task(void *ctx, int t)
{
    Nnd *w = ctx;
    int64_t applied = 0;
    int T = w->nowners;
    for (int b = 0; b < w->nblocks; b++) {
        const UpdBuf *buf = &w->bufs[b];
        for (size_t i = 0; i < buf->n; i++) {
            Update u = buf->u[i];
            if (u.a % T == t)
                applied += heap_push(w, u.a, u.b, u.d);
            if (u.b % T == t)
                applied += heap_push(w, u.b, u.a, u.d);
        }
    }
    for (int32_t r = t; r < w->n; r += T)
        w->thresh[r] = w->dist[(int64_t)r * w->k];
    w->applied[t] = applied;
}

/* Sampling priority of c in row r's list in this pass: a hash, so no shared generator. */
static float priority(const Nnd *w, int32_t r, int32_t c)
{
    uint64_t h = rng_mix(w->seed ^ ((uint64_t)w->iter << 56) ^ ((uint64_t)(uint32_t)r << 24) ^
                         (uint64_t)(uint32_t)c);
    return (float)(h >> 40);
}

static void offer(Nnd *w, int32_t r, int32_t c, int which)
{
    int32_t *list = w->cand + ((int64_t)r * 2 + which) * w->C;
    float *pr = w->prio + ((int64_t)r * 2 + which) * w->C;
    int32_t *cnt = &w->ncand[r * 2 + which];
    float p = priority(w, r, c);
    int worst = 0;
    for (int s = 0; s < *cnt; s++) {
        if (list[s] == c)
            return;
        if (pr[s] > pr[worst])
            worst = s;
    }
    if (*cnt < w->C) {
        list[*cnt] = c;
        pr[(*cnt)++] = p;
    } else if (p < pr[worst]) {
        list[worst] = c;
        pr[worst] = p;
    }
}

/* Candidates of the rows this task owns: each edge i -> j offers j to i and i to j. */
static void cand_task(void *ctx, int t)
{
    Nnd *w = ctx;
    int T = w->nowners;
    for (int32_t r = t; r < w->n; r += T)
        w->ncand[r * 2] = w->ncand[r * 2 + 1] = 0;
    for (int32_t i = 0; i < w->n; i++) {
        const int32_t *ri = w->idx + (int64_t)i * w->k;
        const uint8_t *rf = w->isnew + (int64_t)i * w->k;
        for (int s = 0; s < w->k; s++) {
            int32_t j = ri[s];
            if (j < 0)
                continue;
            int which = rf[s] ? 0 : 1;
            if (i % T == t)
                offer(w, i, j, which);
            if (j % T == t)
                offer(w, j, i, which);
        }
    }
}

/* New neighbours sampled forward are joined in this pass: they become old. */
static void mark_task(void *ctx, int b)
{
    Nnd *w = ctx;
    int32_t lo, hi;
    block_range(w, b, &lo, &hi);
    for (int32_t i = lo; i < hi; i++) {
        const int32_t *nw = w->cand + (int64_t)i * 2 * w->C;
        for (int s = 0; s < w->k; s++) {
            int64_t e = (int64_t)i * w->k + s;
            if (!w->isnew[e])
                continue;
            for (int c = 0; c < w->ncand[i * 2]; c++)
                if (nw[c] == w->idx[e]) {
                    w->isnew[e] = 0;
                    break;
                }
        }
    }
}

/* The local join of rows in block b: new x new and new x old candidate pairs. */
static void join_task(void *ctx, int b)
{
    Nnd *w = ctx;
    int32_t lo, hi;
    block_range(w, b, &lo, &hi);
    int32_t ids[KNNGRAPH_MAX_K * 2];
    float out[KNNGRAPH_MAX_K * 2];
    long long evals = 0;
    for (int32_t i = lo; i < hi; i++) {
        const int32_t *nw = w->cand + (int64_t)i * 2 * w->C, *old = nw + w->C;
        int nn = w->ncand[i * 2], no = w->ncand[i * 2 + 1];
        for (int p = 0; p < nn; p++) {
            int32_t u = nw[p];
            int m = 0;
            for (int q = p + 1; q < nn; q++)
                ids[m++] = nw[q];
            for (int q = 0; q < no; q++)
                if (old[q] != u)
                    ids[m++] = old[q];
            lkern_dots(w->ix->unit, w->ix->stride, knn_row(w->ix, u), ids, m, out);
            evals += m;
            for (int q = 0; q < m; q++) {
                float d = cos_dist(out[q]);
                if (d < w->thresh[u] || d < w->thresh[ids[q]])
                    emit(w, &w->bufs[b], u, ids[q], d);
            }
        }
    }
    atomic_fetch_add_explicit(&w->evals, evals, memory_order_relaxed);
}

static void clear_bufs(Nnd *w)
{
    for (int b = 0; b < w->nblocks; b++)
        w->bufs[b].n = 0;
}

static int64_t apply_all(Nnd *w, Pool *pool)
{
    pool_run(pool, apply_task, w, w->nowners);
    int64_t n = 0;
    for (int t = 0; t < w->nowners; t++)
        n += w->applied[t];
    clear_bufs(w);
    return n;
}

/* One NN-descent pass; returns the entries it improved. */
static int64_t nnd_pass(Nnd *w, Pool *pool)
{
    pool_run(pool, cand_task, w, w->nowners);
    pool_run(pool, mark_task, w, w->nblocks);
    pool_run(pool, join_task, w, w->nblocks);
    return apply_all(w, pool);
}

/* Fills rows that the trees left short with random rows, then heaps are full where n allows. */
static void fill_task(void *ctx, int b)
{
    Nnd *w = ctx;
    int32_t lo, hi;
    block_range(w, b, &lo, &hi);
    int want = w->k < w->n - 1 ? w->k : w->n - 1;
    long long evals = 0;
    for (int32_t i = lo; i < hi; i++) {
        int have = 0;
        for (int s = 0; s < w->k; s++)
            have += w->idx[(int64_t)i * w->k + s] >= 0;
        uint64_t rng = rng_mix(w->seed ^ 0xf111u ^ ((uint64_t)(uint32_t)i << 20));
        for (int tries = 0; have < want && tries < 8 * want; tries++) {
            int32_t c = (int32_t)(rng_splitmix(&rng) % (uint64_t)w->n);
            if (c == i)
                continue;
            evals++;
            have += heap_push(w, i, c, cos_dist(lkern_dot(knn_row(w->ix, i), knn_row(w->ix, c),
                                                          w->ix->stride)));
        }
        w->thresh[i] = w->dist[(int64_t)i * w->k];
    }
    atomic_fetch_add_explicit(&w->evals, evals, memory_order_relaxed);
}

/* A refine's start: the previous graph's edges measured on the new vectors. */
typedef struct Reseed {
    Nnd *w;
    const KnnGraph *prev;
} Reseed;

static void reseed_task(void *ctx, int b)
{
    Reseed *rs = ctx;
    Nnd *w = rs->w;
    int32_t lo, hi;
    block_range(w, b, &lo, &hi);
    float out[KNNGRAPH_MAX_K];
    int32_t ids[KNNGRAPH_MAX_K];
    long long evals = 0;
    for (int32_t i = lo; i < hi; i++) {
        int m = 0;
        for (int s = 0; s < w->k; s++) {
            int32_t j = rs->prev->idx[(int64_t)i * w->k + s];
            if (j >= 0 && j < w->n && j != i)
                ids[m++] = j;
        }
        lkern_dots(w->ix->unit, w->ix->stride, knn_row(w->ix, i), ids, m, out);
        evals += m;
        for (int q = 0; q < m; q++)
            heap_push(w, i, ids[q], cos_dist(out[q]));
    }
    atomic_fetch_add_explicit(&w->evals, evals, memory_order_relaxed);
}

/* Sorts each heap into ascending (dist, idx) order; empty slots (INFINITY) go last. */
static void sort_task(void *ctx, int b)
{
    Nnd *w = ctx;
    int32_t lo, hi;
    block_range(w, b, &lo, &hi);
    for (int32_t i = lo; i < hi; i++) {
        int32_t *ri = w->idx + (int64_t)i * w->k;
        float *rd = w->dist + (int64_t)i * w->k;
        for (int s = 1; s < w->k; s++) {
            int32_t ci = ri[s];
            float cd = rd[s];
            int t = s - 1;
            while (t >= 0 && (rd[t] > cd || (rd[t] == cd && (uint32_t)ri[t] > (uint32_t)ci))) {
                ri[t + 1] = ri[t];
                rd[t + 1] = rd[t];
                t--;
            }
            ri[t + 1] = ci;
            rd[t + 1] = cd;
        }
    }
}

static void nnd_free(Nnd *w)
{
    free(w->idx);
    free(w->dist);
    free(w->isnew);
    free(w->thresh);
    free(w->cand);
    free(w->prio);
    free(w->ncand);
    for (int b = 0; w->bufs && b < w->nblocks; b++)
        free(w->bufs[b].u);
    free(w->bufs);
    free(w->leaf0);
}

static bool nnd_alloc(Nnd *w, const KnnIndex *ix, const KnnGraphDesc *d, Err *e)
{
    memset(w, 0, sizeof *w);
    w->ix = ix;
    w->n = (int32_t)ix->rows;
    w->k = d->k;
    w->C = d->max_candidates;
    w->seed = d->seed;
    w->nblocks = (int)((ix->rows + BLOCK_ROWS - 1) / BLOCK_ROWS);
    w->nowners = pool_threads(d->pool);
    size_t nk = (size_t)w->n * (size_t)w->k, nc = (size_t)w->n * 2 * (size_t)w->C;
    w->idx = malloc(nk * sizeof *w->idx);
    w->dist = malloc(nk * sizeof *w->dist);
    w->isnew = malloc(nk);
    w->thresh = malloc((size_t)w->n * sizeof *w->thresh);
    w->cand = malloc(nc * sizeof *w->cand);
    w->prio = malloc(nc * sizeof *w->prio);
    w->ncand = calloc((size_t)w->n * 2, sizeof *w->ncand);
    w->bufs = calloc((size_t)w->nblocks, sizeof *w->bufs);
    w->leaf0 = malloc(((size_t)w->nblocks + 1) * sizeof *w->leaf0);
    if (!w->idx || !w->dist || !w->isnew || !w->thresh || !w->cand || !w->prio || !w->ncand ||
        !w->bufs || !w->leaf0) {
        nnd_free(w);
        return err_set(e, "knngraph: out of memory for %lld rows x %d neighbours",
                       (long long)ix->rows, d->k);
    }
    for (size_t i = 0; i < nk; i++) {
        w->idx[i] = -1;
        w->dist[i] = INFINITY;
        w->isnew[i] = 1;
    }
    for (int32_t i = 0; i < w->n; i++)
        w->thresh[i] = INFINITY;
    atomic_init(&w->evals, 0);
    atomic_init(&w->oom, 0);
    return true;
}

static bool report(const KnnGraphDesc *d, const char *stage, double f, Err *e)
{
    if (d->progress && !d->progress(d->ctx, stage, f))
        return err_set(e, "cancelled");
    return true;
}

/* Leaf joins of every tree in turn (each tree's thresholds prune the next one's pairs). */
static bool seed_from_trees(Nnd *w, const KnnGraphDesc *d, int ntrees, uint64_t seed, Err *e)
{
    RpForest f = {0};
    if (ntrees > 0 && !rptree_build(&f, w->ix, ntrees, d->leaf_size, seed, d->pool, e))
        return false;
    bool ok = true;
    for (int t = 0; ok && t < f.ntrees; t++) {
        w->tree = &f.trees[t];
        int l = 0;
        for (int b = 0; b <= w->nblocks; b++) {
            while (l < w->tree->nleaves && w->tree->leaf[l] < (int64_t)b * BLOCK_ROWS)
                l++;
            w->leaf0[b] = l;
        }
        w->leaf0[w->nblocks] = w->tree->nleaves;
        pool_run(d->pool, leaf_task, w, w->nblocks);
        apply_all(w, d->pool);
        ok = report(d, "graph", 0.3 * (t + 1) / (double)f.ntrees, e);
    }
    w->tree = NULL;
    rptree_deinit(&f);
    if (ok)
        pool_run(d->pool, fill_task, w, w->nblocks);
    return ok;
}

/* A small table: one leaf holding every row, so its join is the exact graph. */
static bool join_all(Nnd *w, const KnnGraphDesc *d, Err *e)
{
    RpTree t = {malloc((size_t)w->n * sizeof(int32_t)), malloc(2 * sizeof(int32_t)), 1};
    bool ok = t.perm && t.leaf;
    if (ok) {
        for (int32_t i = 0; i < w->n; i++)
            t.perm[i] = i;
        t.leaf[0] = 0;
        t.leaf[1] = w->n;
        w->tree = &t;
        w->leaf0[0] = 0;
        for (int b = 1; b <= w->nblocks; b++)
            w->leaf0[b] = 1;
        pool_run(d->pool, leaf_task, w, w->nblocks);
        apply_all(w, d->pool);
        w->tree = NULL;
        ok = !atomic_load(&w->oom);
    }
    free(t.perm);
    free(t.leaf);
    return ok ? report(d, "graph", 1, e) : err_set(e, "knngraph: out of memory for %d rows", w->n);
}

static bool descend(Nnd *w, const KnnGraphDesc *d, bool refine, double f0, KnnGraphStats *st,
                    Err *e)
{
    double stop = d->delta * (double)w->n * w->k;
    for (w->iter = 1; w->iter <= d->max_iters; w->iter++) {
        st->updates = nnd_pass(w, d->pool);
        st->iters = w->iter;
        if (atomic_load(&w->oom))
            return err_set(e, "knngraph: out of memory for candidate updates");
        if (!report(d, refine ? "refine" : "graph", f0 + (1 - f0) * (double)w->iter / d->max_iters, e))
            return false;
        if ((double)st->updates < stop)
            break;
    }
    return true;
}

static bool check_shape(const KnnIndex *ix, const KnnGraphDesc *d, Err *e)
{
    if (ix->rows < 1 || !ix->unit)
        return err_set(e, "knngraph: no rows");
    if (ix->rows > INT32_MAX)
        return err_set(e, "knngraph: %lld rows, at most %d", (long long)ix->rows, INT32_MAX);
    if (d->k < 1 || d->k > KNNGRAPH_MAX_K || d->max_candidates < 1 ||
        d->max_candidates > KNNGRAPH_MAX_K || d->trees < 1 || d->leaf_size < 2 ||
        d->leaf_size > KNNGRAPH_LEAF_MAX || d->exact_below > KNNGRAPH_LEAF_MAX + 1 || d->max_iters < 1 || !(d->delta >= 0))
        return err_set(e, "knngraph: bad parameters (k %d, candidates %d, trees %d, leaves %d)",
                       d->k, d->max_candidates, d->trees, d->leaf_size);
    return true;
}

/* Moves the finished heaps into g. */
static void finish(Nnd *w, KnnGraph *g, const KnnGraphDesc *d, KnnGraphStats *st)
{
    pool_run(d->pool, sort_task, w, w->nblocks);
    knngraph_deinit(g);
    g->n = w->n;
    g->k = w->k;
    g->idx = w->idx;
    g->dist = w->dist;
    w->idx = NULL;
    w->dist = NULL;
    st->dist_evals = atomic_load(&w->evals);
    nnd_free(w);
}

/* A build (prev NULL) or a refine of prev, into g on success. */
static bool run_graph(KnnGraph *g, const KnnIndex *ix, const KnnGraphDesc *d, const KnnGraph *prev,
                      KnnGraphStats *st, Err *e)
{
    Nnd w;
    if (!nnd_alloc(&w, ix, d, e))
        return false;
    bool ok;
    if (ix->rows < d->exact_below) {
        st->exact = true;
        ok = join_all(&w, d, e);
    } else if (!prev) {
        ok = seed_from_trees(&w, d, d->trees, d->seed, e) && descend(&w, d, false, 0.3, st, e);
    } else {
        Reseed rs = {&w, prev};
        pool_run(d->pool, reseed_task, &rs, w.nblocks);
        /* one tree with a seed of its own brings candidates the old graph never linked */
        ok = seed_from_trees(&w, d, 1, rng_mix(d->seed + 0x7e11u), e) &&
             descend(&w, d, true, 0, st, e);
    }
    if (ok && atomic_load(&w.oom))
        ok = err_set(e, "knngraph: out of memory for candidate updates");
    if (!ok) {
        nnd_free(&w);
        return false;
    }
    finish(&w, g, d, st);
    return true;
}

bool knngraph_build(KnnGraph *g, const KnnIndex *ix, const KnnGraphDesc *desc, KnnGraphStats *st,
                    Err *e)
{
    KnnGraphStats dummy;
    st = st ? st : &dummy;
    memset(st, 0, sizeof *st);
    KnnGraphDesc d = knngraph_desc_defaults(desc, ix->rows);
    return check_shape(ix, &d, e) && run_graph(g, ix, &d, NULL, st, e);
}

bool knngraph_refine(KnnGraph *g, const KnnIndex *ix, const KnnGraphDesc *desc,
                     KnnGraphStats *st, Err *e)
{
    KnnGraphStats dummy;
    st = st ? st : &dummy;
    memset(st, 0, sizeof *st);
    KnnGraphDesc d = knngraph_desc_defaults(desc, ix->rows);
    if (!desc || !desc->max_iters)
        d.max_iters = 8;
    /* the old edges re-measured are a far better start than the trees' leaves, and half the
     * candidates keep most of a build's recall for 40% of its distances (docs/layout.md) */
    if (!desc || !desc->max_candidates)
        d.max_candidates = 2 * d.k < 60 ? 2 * d.k : 60;
    if (!check_shape(ix, &d, e))
        return false;
    if (g->n != ix->rows || g->k != d.k || !g->idx)
        return err_set(e, "knngraph: the previous graph has %lld rows x %d, the vectors %lld "
                          "rows and k is %d", (long long)g->n, g->k, (long long)ix->rows, d.k);
    return run_graph(g, ix, &d, g, st, e);
}

KnnGraphDesc knngraph_desc_defaults(const KnnGraphDesc *d, int64_t n)
{
    KnnGraphDesc r = d ? *d : (KnnGraphDesc){0};
    if (!r.k)
        r.k = 15;
    if (!r.trees) {
        /* more trees for bigger tables, as PyNNDescent; the passes do most of the work */
        int t = 4 + (int)lround(pow((double)(n > 0 ? n : 1), 0.25) / 2);
        r.trees = t < 16 ? t : 16;
    }
    if (!r.leaf_size)
        r.leaf_size = 2 * r.k > 32 ? 2 * r.k : 32;
    if (!r.max_candidates) /* umap-learn asks PyNNDescent for 60 (recall 0.966 against 0.920
                              for 15 on the benchmark's 61,561 words, for 1.6x the distances) */
        r.max_candidates = 4 * r.k < 60 ? 4 * r.k : 60;
    if (!r.max_iters) {
        int it = (int)lround(log2((double)(n > 1 ? n : 2)));
        r.max_iters = it > 5 ? it : 5;
    }
    if (r.delta == 0)
        r.delta = 0.001;
    if (!r.exact_below)
        r.exact_below = 4 * (int64_t)r.leaf_size < KNNGRAPH_LEAF_MAX + 1 ? 4 * (int64_t)r.leaf_size
                                                                       : KNNGRAPH_LEAF_MAX + 1;
    if (!r.seed)
        r.seed = 1;
    return r;
}

void knngraph_init(KnnGraph *g) { memset(g, 0, sizeof *g); }

void knngraph_deinit(KnnGraph *g)
{
    if (!g)
        return;
    free(g->idx);
    free(g->dist);
    memset(g, 0, sizeof *g);
}
