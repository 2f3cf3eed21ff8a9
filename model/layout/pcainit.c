/* Subspace iteration for a layout's start (see pcainit.h): Z = sum_i (Q c_i) c_i^T over the
 * centred rows c_i, then Gram-Schmidt on Z's rows gives the next Q. Ten passes of a block of
 * dims + 3 columns separate the leading axes well enough for a start. */
#include "model/layout/pcainit.h"
#include "model/base/rng.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PASSES 10
#define EXTRA 3  /* columns iterated besides the ones kept: faster convergence of those */
#define CHUNKS 16 /* tasks per pass, whatever the pool, so sums come in one order */

typedef struct PassJob {
    const KnnIndex *ix;
    const double *mean; /* (dim) */
    const double *q;    /* (p, dim) orthonormal rows */
    double *z;          /* (CHUNKS, p, dim) partial sums */
    double *c;          /* (CHUNKS, dim) a centred row */
    int p;
    float *out;         /* the last pass: (rows, dims) coordinates, else NULL */
    int dims;
} PassJob;

static void pass_task(void *ctx, int task)
{
    PassJob *j = ctx;
    int dim = j->ix->dim, p = j->p;
    int64_t lo = j->ix->rows * task / CHUNKS, hi = j->ix->rows * (task + 1) / CHUNKS;
    double *z = j->z + (int64_t)task * p * dim, t[3 + EXTRA];
    memset(z, 0, (size_t)p * (size_t)dim * sizeof *z);
    double *c = j->c + (int64_t)task * dim;
    for (int64_t i = lo; i < hi; i++) {
        const float *x = knn_row(j->ix, i);
        for (int d = 0; d < dim; d++)
            c[d] = x[d] - j->mean[d];
        for (int r = 0; r < p; r++) {
            double s = 0;
            for (int d = 0; d < dim; d++)
                s += j->q[r * dim + d] * c[d];
            t[r] = s;
        }
        if (j->out) {
            for (int r = 0; r < j->dims; r++)
                j->out[i * j->dims + r] = (float)t[r];
            continue;
        }
        for (int r = 0; r < p; r++)
            for (int d = 0; d < dim; d++)
                z[r * dim + d] += t[r] * c[d];
    }
}

/* Orthonormalises the p rows of q in order; a row that vanishes becomes 0 (rank < p). */
static void gram_schmidt(double *q, int p, int dim)
{
    for (int r = 0; r < p; r++) {
        double *v = q + (int64_t)r * dim;
        for (int rep = 0; rep < 2; rep++) /* twice: Kahan's "twice is enough" */
            for (int s = 0; s < r; s++) {
                const double *u = q + (int64_t)s * dim;
                double dot = 0;
                for (int d = 0; d < dim; d++)
                    dot += u[d] * v[d];
                for (int d = 0; d < dim; d++)
                    v[d] -= dot * u[d];
            }
        double nn = 0;
        for (int d = 0; d < dim; d++)
            nn += v[d] * v[d];
        double inv = nn > 1e-24 ? 1 / sqrt(nn) : 0;
        for (int d = 0; d < dim; d++)
            v[d] *= inv;
    }
}

bool pcainit_coords(const KnnIndex *ix, int dims, uint64_t seed, Pool *pool, float *out, Err *e)
{
    int dim = ix->dim, p = dims + EXTRA;
    if (ix->rows < 1 || dims < 1 || dims > 3 || dim < 1)
        return err_set(e, "pcainit: %lld rows of %d dimensions, %d axes", (long long)ix->rows,
                       dim, dims);
    double *mean = calloc((size_t)dim, sizeof *mean);
    double *q = malloc((size_t)p * (size_t)dim * sizeof *q);
    double *z = malloc((size_t)CHUNKS * (size_t)p * (size_t)dim * sizeof *z);
    double *c = malloc((size_t)CHUNKS * (size_t)dim * sizeof *c);
    if (!mean || !q || !z || !c) {
        free(mean);
        free(q);
        free(z);
        free(c);
        return err_set(e, "pcainit: out of memory");
    }
    for (int64_t i = 0; i < ix->rows; i++)
        for (int d = 0; d < dim; d++)
            mean[d] += knn_row(ix, i)[d];
    for (int d = 0; d < dim; d++)
        mean[d] /= (double)ix->rows;
    uint64_t s = rng_mix(seed ^ 0x9ca1u);
    for (int i = 0; i < p * dim; i++)
        q[i] = rng_gauss(&s);
    gram_schmidt(q, p, dim);
    PassJob j = {ix, mean, q, z, c, p, NULL, dims};
    for (int pass = 0; pass < PASSES; pass++) {
        pool_run(pool, pass_task, &j, CHUNKS);
        for (int t = 1; t < CHUNKS; t++)
            for (int i = 0; i < p * dim; i++)
                z[i] += z[(int64_t)t * p * dim + i];
        memcpy(q, z, (size_t)p * (size_t)dim * sizeof *q);
        gram_schmidt(q, p, dim);
    }
    j.out = out;
    pool_run(pool, pass_task, &j, CHUNKS);
    free(mean);
    free(q);
    free(z);
    free(c);
    return true;
}
