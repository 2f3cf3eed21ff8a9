/* Exact graph and recall (see knnexact.h). Queries go in blocks of QBLOCK rows, one pool task
 * each, and tasks in chunks so that progress is reported between chunks on the caller's
 * thread. Calling thread plus the pool's workers. */
#include "model/layout/knnexact.h"
#include "model/base/rng.h"
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define QBLOCK 64

typedef struct ExactJob {
    const KnnIndex *ix;
    const int32_t *rows; /* the query rows; NULL: 0 .. nrows-1 */
    int64_t nrows, first_block;
    int k;
    int32_t *idx; /* (nrows, k) */
    float *dist;  /* (nrows, k) */
    atomic_int oom;
} ExactJob;

static void exact_task(void *ctx, int task)
{
    ExactJob *j = ctx;
    const KnnIndex *ix = j->ix;
    int64_t q0 = (j->first_block + task) * QBLOCK;
    int nq = (int)(j->nrows - q0 < QBLOCK ? j->nrows - q0 : QBLOCK);
    if (nq <= 0)
        return;
    float *qs = malloc((size_t)nq * (size_t)ix->dim * sizeof *qs);
    int64_t *self = malloc((size_t)nq * sizeof *self);
    Neighbour *out = malloc((size_t)nq * (size_t)j->k * sizeof *out);
    int counts[QBLOCK];
    bool ok = qs && self && out;
    for (int t = 0; ok && t < nq; t++) {
        self[t] = j->rows ? j->rows[q0 + t] : q0 + t;
        memcpy(qs + (int64_t)t * ix->dim, knn_row(ix, self[t]), (size_t)ix->dim * sizeof *qs);
    }
    ok = ok && knn_query_batch(ix, 0, qs, nq, j->k, self, 1, out, counts);
    for (int t = 0; ok && t < nq; t++)
        for (int s = 0; s < j->k; s++) {
            int64_t e = (q0 + t) * j->k + s;
            bool have = s < counts[t];
            j->idx[e] = have ? (int32_t)out[t * j->k + s].index : -1;
            float d = 1 - out[t * j->k + s].score;
            j->dist[e] = have ? (d > 0 ? d : 0) : INFINITY;
        }
    if (!ok)
        atomic_store(&j->oom, 1);
    free(qs);
    free(self);
    free(out);
}

/* Runs the job's blocks in chunks, reporting progress between them. */
static bool run_exact(ExactJob *j, Pool *pool, LayoutProgressFn progress, void *ctx, Err *e)
{
    int64_t nblocks = (j->nrows + QBLOCK - 1) / QBLOCK;
    int64_t chunk = 8 * (int64_t)pool_threads(pool);
    for (j->first_block = 0; j->first_block < nblocks; j->first_block += chunk) {
        int64_t left = nblocks - j->first_block;
        pool_run(pool, exact_task, j, (int)(left < chunk ? left : chunk));
        if (atomic_load(&j->oom))
            return err_set(e, "knnexact: out of memory");
        double f = (double)(j->first_block + chunk) / (double)nblocks;
        if (progress && !progress(ctx, "exact", f < 1 ? f : 1))
            return err_set(e, "cancelled");
    }
    return true;
}

bool knnexact_graph(KnnGraph *g, const KnnIndex *ix, int k, Pool *pool,
                    LayoutProgressFn progress, void *ctx, Err *e)
{
    if (ix->rows < 1 || !ix->unit || ix->rows > INT32_MAX)
        return err_set(e, "knnexact: %lld rows (want 1 .. %d)", (long long)ix->rows, INT32_MAX);
    if (k < 1 || k > KNNGRAPH_MAX_K)
        return err_set(e, "knnexact: k = %d (want 1 .. %d)", k, KNNGRAPH_MAX_K);
    size_t nk = (size_t)ix->rows * (size_t)k;
    KnnGraph ng = {ix->rows, k, malloc(nk * sizeof(int32_t)), malloc(nk * sizeof(float))};
    ExactJob j = {ix, NULL, ix->rows, 0, k, ng.idx, ng.dist, 0};
    if (!ng.idx || !ng.dist) {
        knngraph_deinit(&ng);
        return err_set(e, "knnexact: out of memory for %lld x %d neighbours", (long long)ix->rows,
                       k);
    }
    if (!run_exact(&j, pool, progress, ctx, e)) {
        knngraph_deinit(&ng);
        return false;
    }
    knngraph_deinit(g);
    *g = ng;
    return true;
}

/* Of exact row ex (k_ex entries), how many row gr (k_g entries) lists; *listed gets the count
 * of exact entries. */
static int64_t overlap(const int32_t *gr, int k_g, const int32_t *ex, int k_ex, int64_t *listed)
{
    int64_t hit = 0;
    for (int s = 0; s < k_ex; s++) {
        if (ex[s] < 0)
            continue;
        (*listed)++;
        for (int t = 0; t < k_g; t++)
            if (gr[t] == ex[s]) {
                hit++;
                break;
            }
    }
    return hit;
}

double knnexact_recall(const KnnGraph *g, const KnnGraph *exact)
{
    if (g->n != exact->n || !g->idx || !exact->idx)
        return -1;
    int kg = g->k < exact->k ? g->k : exact->k;
    int64_t hit = 0, listed = 0;
    for (int64_t i = 0; i < g->n; i++)
        hit += overlap(g->idx + i * g->k, kg, exact->idx + i * exact->k, exact->k, &listed);
    return listed ? (double)hit / (double)listed : 1.0;
}

bool knnexact_recall_sample(const KnnGraph *g, const KnnIndex *ix, int nsample, uint64_t seed,
                            Pool *pool, double *recall, Err *e)
{
    if (g->n != ix->rows || !g->idx || g->k < 1)
        return err_set(e, "knnexact: graph of %lld rows for %lld vectors", (long long)g->n,
                       (long long)ix->rows);
    int64_t n = g->n, m = nsample < n ? nsample : n;
    int32_t *perm = malloc((size_t)n * sizeof *perm);
    int32_t *idx = malloc((size_t)m * (size_t)g->k * sizeof *idx + 1);
    float *dist = malloc((size_t)m * (size_t)g->k * sizeof *dist + 1);
    bool ok = perm && idx && dist;
    if (ok) {
        /* a partial Fisher-Yates shuffle: m distinct rows */
        for (int64_t i = 0; i < n; i++)
            perm[i] = (int32_t)i;
        uint64_t s = rng_mix(seed);
        for (int64_t i = 0; i < m; i++) {
            int64_t r = i + (int64_t)(rng_splitmix(&s) % (uint64_t)(n - i));
            int32_t t = perm[i];
            perm[i] = perm[r];
            perm[r] = t;
        }
        ExactJob j = {ix, perm, m, 0, g->k, idx, dist, 0};
        ok = run_exact(&j, pool, NULL, NULL, e);
    } else {
        err_set(e, "knnexact: out of memory for a sample of %lld rows", (long long)m);
    }
    if (ok) {
        int64_t hit = 0, listed = 0;
        for (int64_t i = 0; i < m; i++)
            hit += overlap(g->idx + (int64_t)perm[i] * g->k, g->k, idx + i * g->k, g->k, &listed);
        *recall = listed ? (double)hit / (double)listed : 1.0;
    }
    free(perm);
    free(idx);
    free(dist);
    return ok;
}
