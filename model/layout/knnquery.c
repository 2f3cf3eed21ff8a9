/* Query forest and graph walk (see knnquery.h). Trees are built one per pool task; queries run
 * on any thread with their own scratch. */
#include "model/layout/knnquery.h"
#include "model/base/rng.h"
#include "model/layout/lkern.h"
#include "model/vectors/embed.h"
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define LEAF_MAX 1024 /* rows of a leaf at most: the gather buffers of a query are this big */

typedef struct BuildJob {
    KnnQueryForest *f;
    int leaf_size;
    uint64_t seed;
    atomic_int failed;
} BuildJob;

static void swap2(float *p, int32_t *q, int64_t a, int64_t b)
{
    float t = p[a];
    p[a] = p[b];
    p[b] = t;
    int32_t u = q[a];
    q[a] = q[b];
    q[b] = u;
}

/* Reorders p[0..n) (and q with it) so that p[m] is the m-th smallest, nothing above it before
 * and nothing below it after (Hoare's selection; equal keys stop both scans, so duplicates
 * split evenly instead of degrading). */
static void select_nth(float *p, int32_t *q, int64_t n, int64_t m)
{
    int64_t lo = 0, hi = n - 1;
    while (lo < hi) {
        float pivot = p[lo + (hi - lo) / 2];
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (p[i] < pivot)
                i++;
            while (p[j] > pivot)
                j--;
            if (i <= j)
                swap2(p, q, i++, j--);
        }
        if (m <= j)
            hi = j;
        else if (m >= i)
            lo = i;
        else
            return;
    }
}

/* The direction of node's split: between two random rows of the range (the hyperplane
 * halfway between them under cosine), or a random one when they coincide (duplicates). */
static void direction(const KnnIndex *ix, const int32_t *perm, int64_t n, uint64_t *rng, float *nv)
{
    int64_t a = (int64_t)(rng_splitmix(rng) % (uint64_t)n);
    int64_t b = (int64_t)(rng_splitmix(rng) % (uint64_t)(n - 1));
    b += b >= a;
    const float *xa = knn_row(ix, perm[a]), *xb = knn_row(ix, perm[b]);
    double s = 0;
    for (int j = 0; j < ix->stride; j++) {
        nv[j] = xa[j] - xb[j];
        s += (double)nv[j] * nv[j];
    }
    if (s > 1e-12)
        return;
    for (int j = 0; j < ix->stride; j++)
        nv[j] = j < ix->dim ? (float)rng_gauss(rng) : 0.f;
}

/* Splits perm[lo, hi) at node (and below it) down to the tree's depth. proj is scratch of the
 * table's rows. */
static void split(KnnQueryTree *t, const KnnIndex *ix, int64_t node, int level, int64_t lo, int64_t hi,
                  uint64_t *rng, float *proj)
{
    if (level == t->depth) {
        int64_t l = node - ((1LL << t->depth) - 1);
        t->leaf[l] = (int32_t)lo;
        t->leaf[l + 1] = (int32_t)hi;
        return;
    }
    float *nv = t->normal + node * ix->stride;
    int64_t n = hi - lo, mid = lo + n / 2;
    if (n >= 2) {
        direction(ix, t->perm + lo, n, rng, nv);
        for (int64_t i = 0; i < n; i++)
            proj[i] = lkern_dot(nv, knn_row(ix, t->perm[lo + i]), ix->stride);
        select_nth(proj, t->perm + lo, n, mid - lo);
        t->offset[node] = proj[mid - lo];
    } else { /* one row or none left to split: all of it goes below (left) */
        memset(nv, 0, (size_t)ix->stride * sizeof *nv);
        t->offset[node] = INFINITY;
        mid = hi;
    }
    split(t, ix, 2 * node + 1, level + 1, lo, mid, rng, proj);
    split(t, ix, 2 * node + 2, level + 1, mid, hi, rng, proj);
}

static void tree_free(KnnQueryTree *t)
{
    free(t->normal);
    free(t->offset);
    free(t->perm);
    free(t->leaf);
    memset(t, 0, sizeof *t);
}

static bool tree_build(KnnQueryTree *t, const KnnIndex *ix, int leaf_size, uint64_t seed)
{
    int64_t n = ix->rows;
    int depth = 0;
    while (depth < 30 && (n + (1LL << depth) - 1) >> depth > leaf_size)
        depth++;
    int64_t nodes = (1LL << depth) - 1;
    t->depth = depth;
    t->normal = emb_aligned_alloc((size_t)(nodes ? nodes : 1) * (size_t)ix->stride * sizeof(float));
    t->offset = malloc((size_t)(nodes ? nodes : 1) * sizeof *t->offset);
    t->perm = malloc((size_t)n * sizeof *t->perm);
    t->leaf = malloc(((size_t)(1LL << depth) + 1) * sizeof *t->leaf);
    float *proj = malloc((size_t)n * sizeof *proj);
    bool ok = t->normal && t->offset && t->perm && t->leaf && proj;
    if (ok) {
        for (int64_t i = 0; i < n; i++)
            t->perm[i] = (int32_t)i;
        uint64_t rng = seed;
        split(t, ix, 0, 0, 0, n, &rng, proj);
    } else {
        tree_free(t);
    }
    free(proj);
    return ok;
}

static void build_task(void *ctx, int task)
{
    BuildJob *j = ctx;
    uint64_t seed = rng_mix(j->seed + (uint64_t)0x9e3779b97f4a7c15ull * (uint64_t)(task + 1));
    if (!tree_build(&j->f->trees[task], j->f->ix, j->leaf_size, seed))
        atomic_store(&j->failed, 1);
}

bool knnquery_build(KnnQueryForest *f, const KnnIndex *ix, const KnnGraph *graph, int ntrees,
                    int leaf_size, uint64_t seed, Pool *pool, Err *e)
{
    if (ix->rows < 1 || ix->rows > INT32_MAX || ntrees < 1 || ntrees > 64 || leaf_size < 2 ||
        leaf_size > LEAF_MAX)
        return err_set(e, "knnquery: bad shape (%lld rows, %d trees, leaves of %d)",
                       (long long)ix->rows, ntrees, leaf_size);
    if (graph && graph->n != ix->rows)
        return err_set(e, "knnquery: a graph of %lld rows for %lld", (long long)graph->n,
                       (long long)ix->rows);
    KnnQueryForest nf = {ix, graph, calloc((size_t)ntrees, sizeof(KnnQueryTree)), ntrees};
    if (!nf.trees)
        return err_set(e, "knnquery: out of memory for %d trees", ntrees);
    BuildJob job = {&nf, leaf_size, seed, 0};
    pool_run(pool, build_task, &job, ntrees);
    if (atomic_load(&job.failed)) {
        knnquery_deinit(&nf);
        return err_set(e, "knnquery: out of memory for %d trees of %lld rows", ntrees,
                       (long long)ix->rows);
    }
    knnquery_deinit(f);
    *f = nf;
    return true;
}

void knnquery_deinit(KnnQueryForest *f)
{
    if (!f)
        return;
    for (int t = 0; f->trees && t < f->ntrees; t++)
        tree_free(&f->trees[t]);
    free(f->trees);
    memset(f, 0, sizeof *f);
}

bool knnquery_scratch_init(KnnQueryScratch *s, const KnnQueryForest *f)
{
    memset(s, 0, sizeof *s);
    s->seen = calloc((size_t)f->ix->rows, sizeof *s->seen);
    return s->seen != NULL;
}

void knnquery_scratch_deinit(KnnQueryScratch *s)
{
    free(s->seen);
    memset(s, 0, sizeof *s);
}

/* The best k so far, nearest first, with whether each was walked from yet. */
typedef struct Top {
    int32_t idx[KNNQUERY_MAX_K];
    float dist[KNNQUERY_MAX_K];
    bool walked[KNNQUERY_MAX_K];
    int n, k;
} Top;

static void offer(Top *t, int32_t r, float d)
{
    if (t->n == t->k && !(d < t->dist[t->n - 1]))
        return;
    int i = t->n < t->k ? t->n++ : t->n - 1;
    for (; i > 0 && t->dist[i - 1] > d; i--) {
        t->idx[i] = t->idx[i - 1];
        t->dist[i] = t->dist[i - 1];
        t->walked[i] = t->walked[i - 1];
    }
    t->idx[i] = r;
    t->dist[i] = d;
    t->walked[i] = false;
}

/* Measures the rows of ids not yet seen by this query and offers them. */
static void measure(const KnnQueryForest *f, KnnQueryScratch *s, const float *q, const int32_t *ids,
                    int n, Top *t)
{
    int32_t fresh[LEAF_MAX];
    float dot[LEAF_MAX];
    int m = 0;
    for (int i = 0; i < n; i++)
        if (ids[i] >= 0 && s->seen[ids[i]] != s->stamp) {
            s->seen[ids[i]] = s->stamp;
            fresh[m++] = ids[i];
        }
    if (m == 0)
        return;
    lkern_dots(f->ix->unit, f->ix->stride, q, fresh, m, dot);
    s->evals += m;
    for (int i = 0; i < m; i++)
        offer(t, fresh[i], dot[i] < 1 ? 1 - dot[i] : 0.f);
}

int64_t knnquery_leaf(const KnnQueryForest *f, int t, const float *q)
{
    const KnnQueryTree *tr = &f->trees[t];
    int stride = f->ix->stride;
    int64_t node = 0;
    for (int l = 0; l < tr->depth; l++)
        node = 2 * node + 1 + (lkern_dot(tr->normal + node * stride, q, stride) >= tr->offset[node]);
    return node - ((1LL << tr->depth) - 1);
}

int knnquery_search(const KnnQueryForest *f, KnnQueryScratch *s, const float *q, const int32_t *seeds,
                    int nseeds, int k, int max_walk, int32_t *idx, float *dist)
{
    if (++s->stamp == 0) { /* wrapped: forget every stamp */
        memset(s->seen, 0, (size_t)f->ix->rows * sizeof *s->seen);
        s->stamp = 1;
    }
    Top t = {.k = k < 1 ? 1 : k > KNNQUERY_MAX_K ? KNNQUERY_MAX_K : k};
    for (int i = 0; i < f->ntrees; i++) {
        const KnnQueryTree *tr = &f->trees[i];
        int64_t leaf = knnquery_leaf(f, i, q);
        measure(f, s, q, tr->perm + tr->leaf[leaf], tr->leaf[leaf + 1] - tr->leaf[leaf], &t);
    }
    if (seeds && nseeds > 0)
        measure(f, s, q, seeds, nseeds < KNNQUERY_MAX_K ? nseeds : KNNQUERY_MAX_K, &t);
    /* best first: walk from the nearest row not walked from yet until all k kept are walked */
    for (int walks = 0; f->graph && (max_walk <= 0 || walks < max_walk); walks++) {
        const KnnGraph *g = f->graph;
        int w = 0;
        while (w < t.n && t.walked[w])
            w++;
        if (w == t.n)
            break;
        t.walked[w] = true;
        measure(f, s, q, g->idx + (int64_t)t.idx[w] * g->k, g->k, &t);
    }
    memcpy(idx, t.idx, (size_t)t.n * sizeof *idx);
    memcpy(dist, t.dist, (size_t)t.n * sizeof *dist);
    return t.n;
}
