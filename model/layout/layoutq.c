/* Layout quality (see layoutq.h). Each task takes a block of sampled rows; for one row it
 * scores every row by cosine (lkern_scan) and by distance in the layout, keeps both top-k
 * lists, and ranks the layout's neighbours in the cosine order by counting the rows scored
 * above them. Partial sums per task, added in task order: the result does not depend on the
 * number of threads. */
#include "model/layout/layoutq.h"
#include "model/base/rng.h"
#include "model/layout/lkern.h"
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define QROWS 16   /* sampled rows per task */
#define KMAX 256

typedef struct QJob {
    const KnnIndex *ix;
    const float *xy;
    int dims, k;
    const int32_t *rows; /* (m) the sample */
    int64_t m;
    double *pres, *trust; /* (tasks) partial sums */
    atomic_int oom;
} QJob;

/* Top k of score[0..n) (higher first; ties: lower row first), skipping row self. */
static void top_k(const float *score, int64_t n, int64_t self, int k, int32_t *out)
{
    int have = 0;
    for (int64_t r = 0; r < n; r++) {
        if (r == self)
            continue;
        float s = score[r];
        if (have == k && !(s > score[out[k - 1]]))
            continue;
        int t = have < k ? have++ : k - 1;
        while (t > 0 && score[out[t - 1]] < s) {
            out[t] = out[t - 1];
            t--;
        }
        out[t] = (int32_t)r;
    }
}

static void q_task(void *ctx, int task)
{
    QJob *j = ctx;
    int64_t n = j->ix->rows;
    float *cs = malloc((size_t)n * sizeof *cs), *ls = malloc((size_t)n * sizeof *ls);
    if (!cs || !ls) {
        atomic_store(&j->oom, 1);
        free(cs);
        free(ls);
        return;
    }
    double pres = 0, trust = 0;
    int32_t hk[KMAX], lk[KMAX];
    for (int64_t q = (int64_t)task * QROWS; q < j->m && q < (int64_t)(task + 1) * QROWS; q++) {
        int64_t i = j->rows[q];
        lkern_scan(j->ix->unit, j->ix->stride, knn_row(j->ix, i), n, cs);
        const float *yi = j->xy + i * j->dims;
        for (int64_t r = 0; r < n; r++) {
            float d2 = 0;
            for (int c = 0; c < j->dims; c++) {
                float t = j->xy[r * j->dims + c] - yi[c];
                d2 += t * t;
            }
            ls[r] = -d2; /* nearer is higher */
        }
        top_k(cs, n, i, j->k, hk);
        top_k(ls, n, i, j->k, lk);
        for (int a = 0; a < j->k; a++) {
            bool shared = false;
            for (int b = 0; b < j->k && !shared; b++)
                shared = lk[a] == hk[b];
            if (shared) {
                pres += 1;
                continue;
            }
            /* rank (1-based) of lk[a] among the rows by cosine to i */
            int64_t rank = 1;
            float s = cs[lk[a]];
            for (int64_t r = 0; r < n; r++)
                rank += r != i && (cs[r] > s || (cs[r] == s && r < lk[a]));
            trust += (double)(rank - j->k);
        }
    }
    j->pres[task] = pres;
    j->trust[task] = trust;
    free(cs);
    free(ls);
}

bool layoutq_measure(const KnnIndex *ix, const float *xy, int dims, int k, int64_t nsample,
                     uint64_t seed, Pool *pool, LayoutQuality *q, Err *e)
{
    int64_t n = ix->rows;
    if (n < 2 || !ix->unit || n > INT32_MAX || dims < 1 || dims > 3 || k < 1 || nsample < 1)
        return err_set(e, "layoutq: %lld rows, %d dims, k %d, %lld samples", (long long)n,
                       dims, k, (long long)nsample);
    for (int64_t i = 0; i < n * dims; i++)
        if (!isfinite(xy[i]))
            return err_set(e, "layoutq: coordinate %lld of row %lld is not finite",
                           (long long)(i % dims + 1), (long long)(i / dims));
    k = k < KMAX ? k : KMAX;
    k = k < n - 1 ? k : (int)(n - 1);
    int64_t m = nsample < n ? nsample : n;
    int ntasks = (int)((m + QROWS - 1) / QROWS);
    int32_t *perm = malloc((size_t)n * sizeof *perm);
    double *pres = calloc((size_t)ntasks, sizeof *pres), *trust = calloc((size_t)ntasks, sizeof *trust);
    if (!perm || !pres || !trust) {
        free(perm);
        free(pres);
        free(trust);
        return err_set(e, "layoutq: out of memory for %lld rows", (long long)n);
    }
    for (int64_t i = 0; i < n; i++)
        perm[i] = (int32_t)i;
    uint64_t s = rng_mix(seed ^ 0x1a70u);
    for (int64_t i = 0; i < m && m < n; i++) { /* partial Fisher-Yates: m distinct rows */
        int64_t r = i + (int64_t)(rng_splitmix(&s) % (uint64_t)(n - i));
        int32_t t = perm[i];
        perm[i] = perm[r];
        perm[r] = t;
    }
    QJob j = {ix, xy, dims, k, perm, m, pres, trust, 0};
    pool_run(pool, q_task, &j, ntasks);
    bool ok = !atomic_load(&j.oom);
    if (ok) {
        double P = 0, T = 0;
        for (int t = 0; t < ntasks; t++) {
            P += pres[t];
            T += trust[t];
        }
        double norm = (double)m * k * (2.0 * (double)n - 3.0 * k - 1);
        q->preservation = P / ((double)m * k);
        q->trustworthiness = norm > 0 ? 1 - 2 * T / norm : 1;
        q->k = k;
        q->samples = m;
    } else {
        err_set(e, "layoutq: out of memory");
    }
    free(perm);
    free(pres);
    free(trust);
    return ok;
}
