/* Subspace iteration for a layout's start (see pcainit.h): Z = sum_i (Q c_i) c_i^T over the
 * centred rows c_i, then Gram-Schmidt on Z's rows gives the next Q. Ten passes of a block of
 * dims + 3 columns separate the leading axes well enough for a start. */
#include "model/layout/pcainit.h"
#include "model/base/kernels.h"
#include "model/base/rng.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PASSES 10
#define EXTRA 3  /* columns iterated besides the ones kept: faster convergence of those */
#define CHUNKS 16 /* tasks per pass, whatever the pool, so sums come in one order */
#define LANES 8   /* basis columns as computed: dims + EXTRA <= 6, padded with zeros */

typedef struct PassJob {
    const KnnIndex *ix;
    const double *mean; /* (dim) */
    const double *qt;   /* (dim, LANES) the basis transposed, columns p.. zero */
    double *z;          /* (CHUNKS, dim, LANES) partial sums */
    float *out;         /* the last pass: (rows, dims) coordinates, else NULL */
    int dims;
} PassJob;

/* Four doubles (GCC/clang vector extensions); only ever local, never passed. */
typedef double D4 __attribute__((vector_size(32)));

/* Rows lo..hi of the chunk: t = Q c and Z += t c^T, over LANES = 8 basis columns held in two
 * vectors, so each coordinate costs a few vector operations (the row-major scalar dot
 * products were a tenth of a layout's instructions, callgrind). */
KERNEL static void pass_task(void *ctx, int task)
{
    PassJob *j = ctx;
    int dim = j->ix->dim;
    int64_t lo = j->ix->rows * task / CHUNKS, hi = j->ix->rows * (task + 1) / CHUNKS;
    double *z = j->z + (int64_t)task * dim * LANES;
    memset(z, 0, (size_t)dim * LANES * sizeof *z);
    for (int64_t i = lo; i < hi; i++) {
        const float *x = knn_row(j->ix, i);
        D4 t0 = {0}, t1 = {0};
        for (int d = 0; d < dim; d++) {
            double cd = x[d] - j->mean[d];
            D4 c4 = {cd, cd, cd, cd}, q0, q1;
            memcpy(&q0, j->qt + d * LANES, sizeof q0);
            memcpy(&q1, j->qt + d * LANES + 4, sizeof q1);
            t0 += q0 * c4;
            t1 += q1 * c4;
        }
        if (j->out) {
            double t[LANES];
            memcpy(t, &t0, sizeof t0);
            memcpy(t + 4, &t1, sizeof t1);
            for (int r = 0; r < j->dims; r++)
                j->out[i * j->dims + r] = (float)t[r];
            continue;
        }
        for (int d = 0; d < dim; d++) {
            double cd = x[d] - j->mean[d];
            D4 c4 = {cd, cd, cd, cd}, z0, z1;
            memcpy(&z0, z + d * LANES, sizeof z0);
            memcpy(&z1, z + d * LANES + 4, sizeof z1);
            z0 += t0 * c4;
            z1 += t1 * c4;
            memcpy(z + d * LANES, &z0, sizeof z0);
            memcpy(z + d * LANES + 4, &z1, sizeof z1);
        }
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
    double *z = malloc((size_t)CHUNKS * (size_t)dim * LANES * sizeof *z);
    double *qt = calloc((size_t)dim * LANES, sizeof *qt);
    if (!mean || !q || !z || !qt) {
        free(mean);
        free(q);
        free(z);
        free(qt);
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
    PassJob j = {ix, mean, qt, z, NULL, dims};
    for (int pass = 0; pass <= PASSES; pass++) {
        for (int r = 0; r < p; r++)
            for (int d = 0; d < dim; d++)
                qt[d * LANES + r] = q[r * dim + d];
        if (pass == PASSES)
            break;
        pool_run(pool, pass_task, &j, CHUNKS);
        for (int t = 1; t < CHUNKS; t++)
            for (int i = 0; i < dim * LANES; i++)
                z[i] += z[(int64_t)t * dim * LANES + i];
        for (int r = 0; r < p; r++)
            for (int d = 0; d < dim; d++)
                q[r * dim + d] = z[d * LANES + r];
        gram_schmidt(q, p, dim);
    }
    j.out = out;
    pool_run(pool, pass_task, &j, CHUNKS);
    free(mean);
    free(q);
    free(z);
    free(qt);
    return true;
}
