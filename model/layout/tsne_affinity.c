/* t-SNE's input similarities (see tsne_affinity.h): graph checks, the per-row perplexity
 * search as pool tasks, and the symmetrisation into CSR. Caller's thread plus its pool. */
#include "model/layout/tsne_affinity.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEARCH_STEPS 200
#define ENTROPY_TOL 1e-5 /* nats, as scikit-learn's _binary_search_perplexity */
#define ROUNDING_SLACK 1e-4f

bool tsne_affinity_check(const TsneGraph *g, Err *e)
{
    if (g->n < 1 || g->k < 0 || (g->k > 0 && (!g->idx || !g->dist)))
        return err_set(e, "t-SNE graph: %lld rows, k = %d, idx %s, dist %s (want rows >= 1, "
                       "k >= 0 and both arrays)", (long long)g->n, g->k, g->idx ? "set" : "NULL",
                       g->dist ? "set" : "NULL");
    if (g->n > INT32_MAX)
        return err_set(e, "t-SNE graph: %lld rows is more than int32 indices hold",
                       (long long)g->n);
    int64_t *seen = malloc((size_t)g->n * sizeof *seen);
    if (!seen)
        return err_set(e, "t-SNE graph: out of memory for %lld rows", (long long)g->n);
    for (int64_t i = 0; i < g->n; i++)
        seen[i] = -1;
    bool ok = true;
    for (int64_t i = 0; i < g->n && ok; i++)
        for (int c = 0; c < g->k && ok; c++) {
            int32_t j = g->idx[i * g->k + c];
            float d = g->dist[i * g->k + c];
            if (j < -1 || j >= g->n)
                ok = err_set(e, "t-SNE graph: row %lld, neighbour %d: index %d is not in "
                             "[-1, %lld)", (long long)i, c, (int)j, (long long)g->n);
            else if (j >= 0 && seen[j] == i)
                ok = err_set(e, "t-SNE graph: row %lld lists row %d twice (neighbour %d)",
                             (long long)i, (int)j, c);
            else if (j >= 0 && (!isfinite(d) || d < -ROUNDING_SLACK))
                ok = err_set(e, "t-SNE graph: row %lld, neighbour %d: distance %g is not a "
                             "finite value >= 0", (long long)i, c, (double)d);
            else if (j >= 0)
                seen[j] = i;
        }
    free(seen);
    return ok;
}

/* One row: beta such that the entropy of exp(-beta d') / W is log(perplexity), by bisection
 * (doubling while no upper bound is known). d' = d - min d >= 0, so W >= 1. */
static void search_row(const float *dist, const int32_t *idx, int k, int64_t self,
                       double perplexity, float *p, int64_t *capped)
{
    int m = 0;
    double dmin = INFINITY;
    for (int c = 0; c < k; c++) {
        p[c] = 0;
        if (idx[c] >= 0 && idx[c] != self) {
            m++;
            double d = dist[c] > 0 ? dist[c] : 0;
            dmin = d < dmin ? d : dmin;
        }
    }
    if (m == 0)
        return;
    if (perplexity >= m) {
        for (int c = 0; c < k; c++)
            if (idx[c] >= 0 && idx[c] != self)
                p[c] = (float)(1.0 / m);
        (*capped)++;
        return;
    }
    double target = log(perplexity), beta = 1, lo = 0, hi = INFINITY, sum = 1;
    for (int step = 0; step < SEARCH_STEPS; step++) {
        double wsum = 0, wd = 0;
        for (int c = 0; c < k; c++) {
            if (idx[c] < 0 || idx[c] == self)
                continue;
            double d = (dist[c] > 0 ? dist[c] : 0) - dmin;
            double w = exp(-beta * d);
            wsum += w;
            wd += w * d;
        }
        sum = wsum;
        double h = log(wsum) + beta * wd / wsum;
        if (fabs(h - target) < ENTROPY_TOL)
            break;
        if (h > target) {
            lo = beta;
            beta = isinf(hi) ? beta * 2 : (lo + hi) / 2;
        } else {
            hi = beta;
            beta = (lo + hi) / 2;
        }
    }
    for (int c = 0; c < k; c++)
        if (idx[c] >= 0 && idx[c] != self)
            p[c] = (float)(exp(-beta * ((dist[c] > 0 ? dist[c] : 0) - dmin)) / sum);
}

enum { ROW_TASKS = 64 };

typedef struct RowJob {
    const TsneGraph *g;
    double perplexity;
    float *p;
    int64_t capped[ROW_TASKS];
} RowJob;

static void row_task(void *ctx, int task)
{
    RowJob *j = ctx;
    int64_t n = j->g->n, k = j->g->k;
    int64_t a = n * task / ROW_TASKS, b = n * (task + 1) / ROW_TASKS;
    for (int64_t i = a; i < b; i++)
        search_row(j->g->dist + i * k, j->g->idx + i * k, (int)k, i, j->perplexity,
                   j->p + i * k, &j->capped[task]);
}

bool tsne_affinity_rows(const TsneGraph *g, double perplexity, Pool *pool, float *p,
                        int64_t *capped, Err *e)
{
    if (!(perplexity > 0) || !isfinite(perplexity))
        return err_set(e, "t-SNE: perplexity %g is not a positive number", perplexity);
    RowJob job = {.g = g, .perplexity = perplexity, .p = p};
    if (g->k > 0)
        pool_run(pool, row_task, &job, ROW_TASKS);
    *capped = 0;
    for (int t = 0; t < ROW_TASKS; t++)
        *capped += job.capped[t];
    return true;
}

typedef struct Entry {
    int32_t col;
    float val;
} Entry;

static int by_col(const void *a, const void *b)
{
    int32_t x = ((const Entry *)a)->col, y = ((const Entry *)b)->col;
    return (x > y) - (x < y);
}

void tsne_affinity_free(TsneP *p)
{
    free(p->rowptr);
    free(p->col);
    free(p->val);
    memset(p, 0, sizeof *p);
}

/* Every listed edge i -> j with weight c goes to row i (column j) and row j (column i); rows
 * are then sorted by column and equal columns summed (an edge listed both ways). */
bool tsne_affinity_symmetric(const TsneGraph *g, const float *cond, TsneP *out, Err *e)
{
    memset(out, 0, sizeof *out);
    int64_t n = g->n, k = g->k, edges = 0;
    out->n = n;
    out->rowptr = calloc((size_t)n + 1, sizeof *out->rowptr);
    if (!out->rowptr)
        goto oom;
    for (int64_t i = 0; i < n * k; i++)
        if (g->idx[i] >= 0 && cond[i] > 0) {
            out->rowptr[i / k + 1]++;
            out->rowptr[g->idx[i] + 1]++;
            edges += 2;
        }
    for (int64_t i = 0; i < n; i++)
        out->rowptr[i + 1] += out->rowptr[i];
    Entry *ent = malloc((size_t)(edges > 0 ? edges : 1) * sizeof *ent);
    int64_t *fill = malloc((size_t)n * sizeof *fill);
    if (!ent || !fill) {
        free(ent);
        free(fill);
        goto oom;
    }
    memcpy(fill, out->rowptr, (size_t)n * sizeof *fill);
    for (int64_t i = 0; i < n * k; i++)
        if (g->idx[i] >= 0 && cond[i] > 0) {
            int32_t r = (int32_t)(i / k), c = g->idx[i];
            ent[fill[r]++] = (Entry){c, cond[i]};
            ent[fill[c]++] = (Entry){r, cond[i]};
        }
    free(fill);
    /* Merge in place: row i's entries move down to start at the new rowptr[i]. */
    int64_t w = 0;
    double total = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t a = out->rowptr[i], b = out->rowptr[i + 1];
        qsort(ent + a, (size_t)(b - a), sizeof *ent, by_col);
        out->rowptr[i] = w;
        for (int64_t s = a; s < b; s++) {
            if (w > out->rowptr[i] && ent[w - 1].col == ent[s].col)
                ent[w - 1].val += ent[s].val;
            else
                ent[w++] = ent[s];
        }
        for (int64_t s = out->rowptr[i]; s < w; s++)
            total += ent[s].val;
    }
    out->rowptr[n] = w;
    out->nnz = w;
    out->col = malloc((size_t)(w > 0 ? w : 1) * sizeof *out->col);
    out->val = malloc((size_t)(w > 0 ? w : 1) * sizeof *out->val);
    if (!out->col || !out->val) {
        free(ent);
        goto oom;
    }
    for (int64_t s = 0; s < w; s++) {
        out->col[s] = ent[s].col;
        out->val[s] = total > 0 ? (float)(ent[s].val / total) : 0;
    }
    free(ent);
    return true;
oom:
    tsne_affinity_free(out);
    return err_set(e, "t-SNE: out of memory for the affinities of %lld rows", (long long)n);
}
