/* The fuzzy simplicial set (see fuzzy.h): smoothing by row blocks on the pool, then the union
 * in one sequential pass that scatters each directed edge into both of its rows, and a sort
 * and merge per row. Calling thread plus the pool's workers. */
#include "model/layout/fuzzy.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SMOOTH_ROWS 1024 /* rows per smoothing task */
#define SEARCH_STEPS 64  /* binary search steps, as umap-learn */
#define SEARCH_TOL 1e-5
#define MIN_K_DIST_SCALE 1e-3 /* sigma floor, as a share of the mean distance (umap-learn) */

void fuzzy_smooth_row(const float *d, int m, double mean_all, double *sigma, double *rho)
{
    *rho = 0;
    for (int j = 0; j < m; j++)
        if (d[j] > 0) { /* local connectivity 1: the nearest neighbour at a positive distance */
            *rho = d[j];
            break;
        }
    double target = log2((double)m), lo = 0, hi = INFINITY, mid = 1;
    for (int step = 0; step < SEARCH_STEPS; step++) {
        double psum = 0;
        for (int j = 0; j < m; j++) {
            double x = d[j] - *rho;
            psum += x > 0 ? exp(-x / mid) : 1;
        }
        if (fabs(psum - target) < SEARCH_TOL)
            break;
        if (psum > target) {
            hi = mid;
            mid = (lo + hi) / 2;
        } else {
            lo = mid;
            mid = isinf(hi) ? mid * 2 : (lo + hi) / 2;
        }
    }
    double mean = 0;
    for (int j = 0; j < m; j++)
        mean += d[j];
    mean = m ? mean / m : 0;
    double floor = MIN_K_DIST_SCALE * (*rho > 0 ? mean : mean_all);
    /* duplicates only: every strength is 1 whatever sigma, which must just not be 0 */
    *sigma = mid > floor ? mid : (floor > 0 ? floor : 1e-12);
}

typedef struct SmoothJob {
    const KnnGraph *g;
    int k;
    double mean_all;
    float *w; /* (n, k) directed strengths, 0 for padding */
} SmoothJob;

static void smooth_task(void *ctx, int task)
{
    SmoothJob *j = ctx;
    int64_t lo = (int64_t)task * SMOOTH_ROWS;
    int64_t hi = lo + SMOOTH_ROWS < j->g->n ? lo + SMOOTH_ROWS : j->g->n;
    for (int64_t i = lo; i < hi; i++) {
        const int32_t *ri = j->g->idx + i * j->g->k;
        const float *rd = j->g->dist + i * j->g->k;
        float *w = j->w + i * j->k;
        int m = 0; /* rows are ascending with padding last: the valid ones come first */
        while (m < j->k && ri[m] >= 0)
            m++;
        double sigma, rho;
        fuzzy_smooth_row(rd, m, j->mean_all, &sigma, &rho);
        for (int s = 0; s < j->k; s++) {
            double x = rd[s] - rho;
            w[s] = s < m ? (float)(x > 0 ? exp(-x / sigma) : 1.0) : 0.0f;
        }
    }
}

/* One row's scattered entries: col, then the direction (0: i -> j, 1: j -> i). */
typedef struct Entry {
    int32_t col;
    int32_t rev;
    float w;
} Entry;

static int entry_cmp(const void *pa, const void *pb)
{
    const Entry *a = pa, *b = pb;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return (a->rev > b->rev) - (a->rev < b->rev);
}

/* Scatter, sort, merge: the union a + b - ab of the directed strengths. */
static bool unite(FuzzyGraph *f, const KnnGraph *g, int k, const float *w)
{
    int64_t n = g->n;
    f->start = calloc((size_t)n + 1, sizeof *f->start);
    int64_t *fill = calloc((size_t)n + 1, sizeof *fill);
    if (!f->start || !fill) {
        free(fill);
        return false;
    }
    int64_t total = 0;
    for (int64_t i = 0; i < n; i++)
        for (int s = 0; s < k; s++)
            if (w[i * k + s] > 0) {
                f->start[i + 1]++;
                f->start[g->idx[i * g->k + s] + 1]++;
                total += 2;
            }
    for (int64_t i = 0; i < n; i++)
        f->start[i + 1] += f->start[i];
    Entry *ent = malloc((size_t)total * sizeof *ent + 1);
    if (!ent) {
        free(fill);
        return false;
    }
    for (int64_t i = 0; i < n; i++)
        for (int s = 0; s < k; s++) {
            float x = w[i * k + s];
            if (!(x > 0))
                continue;
            int32_t j = g->idx[i * g->k + s];
            ent[f->start[i] + fill[i]++] = (Entry){j, 0, x};
            ent[f->start[j] + fill[j]++] = (Entry){(int32_t)i, 1, x};
        }
    free(fill);
    /* merge in place: each row shrinks, so the new start of row i never passes its old one */
    int64_t out = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t a = f->start[i], b = f->start[i + 1];
        qsort(ent + a, (size_t)(b - a), sizeof *ent, entry_cmp);
        f->start[i] = out;
        for (int64_t t = a; t < b; t++) {
            if (t + 1 < b && ent[t + 1].col == ent[t].col) {
                float x = ent[t].w, y = ent[t + 1].w;
                ent[out++] = (Entry){ent[t].col, 0, x + y - x * y};
                t++;
            } else {
                ent[out++] = ent[t];
            }
        }
    }
    f->start[n] = out;
    f->nnz = out;
    f->col = malloc((size_t)out * sizeof *f->col + 1);
    f->w = malloc((size_t)out * sizeof *f->w + 1);
    if (f->col && f->w)
        for (int64_t t = 0; t < out; t++) {
            f->col[t] = ent[t].col;
            f->w[t] = ent[t].w;
        }
    free(ent);
    return f->col && f->w;
}

bool fuzzy_build(FuzzyGraph *f, const KnnGraph *g, int k, Pool *pool, Err *e)
{
    if (g->n < 1 || !g->idx || k < 1 || k > g->k)
        return err_set(e, "fuzzy: a graph of %lld rows x %d cannot give %d neighbours",
                       (long long)g->n, g->k, k);
    double sum = 0;
    int64_t cnt = 0;
    for (int64_t i = 0; i < g->n; i++)
        for (int s = 0; s < k; s++)
            if (g->idx[i * g->k + s] >= 0) {
                sum += g->dist[i * g->k + s];
                cnt++;
            }
    SmoothJob j = {g, k, cnt ? sum / (double)cnt : 0, malloc((size_t)g->n * (size_t)k * sizeof(float))};
    if (!j.w)
        return err_set(e, "fuzzy: out of memory for %lld x %d strengths", (long long)g->n, k);
    pool_run(pool, smooth_task, &j, (int)((g->n + SMOOTH_ROWS - 1) / SMOOTH_ROWS));
    FuzzyGraph nf = {g->n, 0, NULL, NULL, NULL};
    bool ok = unite(&nf, g, k, j.w);
    free(j.w);
    if (!ok) {
        fuzzy_deinit(&nf);
        return err_set(e, "fuzzy: out of memory for the edges of %lld rows", (long long)g->n);
    }
    fuzzy_deinit(f);
    *f = nf;
    return true;
}

void fuzzy_deinit(FuzzyGraph *f)
{
    if (!f)
        return;
    free(f->start);
    free(f->col);
    free(f->w);
    memset(f, 0, sizeof *f);
}
