/* The sample-seeded graph's join: see seedgraph.h. */
#include "model/layout/seedgraph.h"
#include "model/layout/lkern.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 1024 /* rows per task */

typedef struct Join {
    KnnGraph *g;
    const KnnIndex *ix;
    const int32_t *sample_of; /* (rows) a row's index in the sample, -1 for a placed row */
    const int64_t *at;        /* (s + 1) where each sample row's list starts in who */
    const int32_t *who;       /* the placed rows listed under each sample row, by row */
    int64_t block0;
    atomic_llong evals;
} Join;

static float cos_dist(float dot)
{
    float d = 1 - dot;
    return d > 0 ? d : 0;
}

/* q at distance d into row r's entries (nearest first) when nearer than the last and not
 * there yet. */
static void offer(KnnGraph *g, int64_t r, int32_t q, float d)
{
    int k = g->k;
    int32_t *idx = g->idx + r * k;
    float *dist = g->dist + r * k;
    if (!(d < dist[k - 1]))
        return;
    for (int j = 0; j < k; j++)
        if (idx[j] == q)
            return;
    int j = k - 1;
    for (; j > 0 && dist[j - 1] > d; j--) {
        idx[j] = idx[j - 1];
        dist[j] = dist[j - 1];
    }
    idx[j] = q;
    dist[j] = d;
}

/* Appends sample row si's list (at most SEEDGRAPH_CAP, evenly spaced) to cand, without r. */
static int gather(const Join *w, int32_t si, int64_t r, int32_t *cand, int m)
{
    int64_t lo = w->at[si], n = w->at[si + 1] - lo;
    int64_t take = n < SEEDGRAPH_CAP ? n : SEEDGRAPH_CAP;
    for (int64_t t = 0; t < take; t++) {
        int32_t q = w->who[lo + t * n / take];
        if (q != r)
            cand[m++] = q;
    }
    return m;
}

static void join_task(void *ctx, int t)
{
    Join *w = ctx;
    KnnGraph *g = w->g;
    int64_t lo = (w->block0 + t) * BLOCK, hi = lo + BLOCK;
    hi = hi < g->n ? hi : g->n;
    int32_t cand[SEEDGRAPH_FROM * SEEDGRAPH_CAP];
    float dots[SEEDGRAPH_FROM * SEEDGRAPH_CAP];
    int64_t evals = 0;
    for (int64_t r = lo; r < hi; r++) {
        int m = 0;
        if (w->sample_of[r] >= 0) {
            m = gather(w, w->sample_of[r], r, cand, m);
        } else {
            /* read before the offers below rewrite the row */
            int32_t near[SEEDGRAPH_FROM];
            int nn = 0;
            for (int j = 0; j < SEEDGRAPH_FROM && j < g->k && g->idx[r * g->k + j] >= 0; j++)
                near[nn++] = g->idx[r * g->k + j];
            for (int j = 0; j < nn; j++)
                m = gather(w, w->sample_of[near[j]], r, cand, m);
        }
        lkern_dots(w->ix->unit, w->ix->stride, knn_row(w->ix, r), cand, m, dots);
        for (int i = 0; i < m; i++)
            offer(g, r, cand[i], cos_dist(dots[i]));
        evals += m;
    }
    atomic_fetch_add(&w->evals, evals);
}

/* The lists: each placed row under its SEEDGRAPH_LISTED nearest sample rows (counted, then
 * filled in row order). */
static bool make_lists(const KnnGraph *g, const int32_t *sample_of, int64_t s, int64_t **at_out,
                       int32_t **who_out)
{
    int64_t *at = calloc((size_t)s + 2, sizeof *at);
    int listed = SEEDGRAPH_LISTED < g->k ? SEEDGRAPH_LISTED : g->k;
    for (int pass = 0; at && pass < 2; pass++) {
        for (int64_t r = 0; r < g->n; r++) {
            if (sample_of[r] >= 0)
                continue;
            for (int j = 0; j < listed; j++) {
                int32_t x = g->idx[r * g->k + j];
                if (x < 0)
                    break;
                if (pass == 0)
                    at[sample_of[x] + 2]++;
                else
                    (*who_out)[at[sample_of[x] + 1]++] = (int32_t)r;
            }
        }
        if (pass == 0) {
            for (int64_t i = 0; i < s; i++)
                at[i + 2] += at[i + 1];
            if (!(*who_out = malloc((size_t)(at[s + 1] ? at[s + 1] : 1) * sizeof **who_out))) {
                free(at);
                at = NULL;
            }
        }
    }
    *at_out = at; /* at[i] is now where list i starts, at[i + 1] where it ends */
    return at != NULL;
}

bool seedgraph_join(KnnGraph *g, const KnnIndex *ix, const int32_t *rows, int64_t s, Pool *pool,
                    LayoutProgressFn progress, void *ctx, const char *stage, int64_t *evals,
                    Err *e)
{
    if (evals)
        *evals = 0;
    int32_t *sample_of = malloc((size_t)g->n * sizeof *sample_of), *who = NULL;
    int64_t *at = NULL;
    if (!sample_of)
        return err_set(e, "seedgraph: out of memory for %lld rows", (long long)g->n);
    memset(sample_of, 0xff, (size_t)g->n * sizeof *sample_of); /* -1 */
    for (int64_t i = 0; i < s; i++)
        sample_of[rows[i]] = (int32_t)i;
    /* every entry must be a sample row: a list is looked up by the entry's sample index */
    bool ok = true;
    for (int64_t i = 0; ok && i < g->n * g->k; i++)
        ok = g->idx[i] < 0 || sample_of[g->idx[i]] >= 0;
    if (!ok) {
        free(sample_of);
        return err_set(e, "seedgraph: an entry that is not a sample row");
    }
    if (!make_lists(g, sample_of, s, &at, &who)) {
        free(sample_of);
        return err_set(e, "seedgraph: out of memory for the lists of %lld rows", (long long)s);
    }
    Join w = {.g = g, .ix = ix, .sample_of = sample_of, .at = at, .who = who};
    int64_t blocks = (g->n + BLOCK - 1) / BLOCK, batch = 8 * (int64_t)pool_threads(pool);
    for (int64_t b = 0; ok && b < blocks; b += batch) {
        w.block0 = b;
        pool_run(pool, join_task, &w, (int)(blocks - b < batch ? blocks - b : batch));
        if (progress && !progress(ctx, stage, (double)(b + batch < blocks ? b + batch : blocks) / (double)blocks))
            ok = err_set(e, "cancelled");
    }
    if (evals)
        *evals = atomic_load(&w.evals);
    free(sample_of);
    free(at);
    free(who);
    return ok;
}
