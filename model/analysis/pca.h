/* Principal components of a (rows, stride) float matrix, kept up to date while the vectors
 * change: each pca_update starts from the previous basis (block subspace iteration with a
 * Rayleigh-Ritz ordering step), so a refresh costs one or two passes over the data, and the
 * new axes are aligned with the old ones so the projected cloud does not flip or spin.
 * A Pca belongs to one thread (the analysis thread); its passes may run on a borrowed Pool
 * (desc.pool), which no other thread may use while an update or projection runs. */
#ifndef EMBEDSCOPE_PCA_H
#define EMBEDSCOPE_PCA_H
#include "model/analysis/subspace.h"
#include "model/base/err.h"
#include "model/base/pool.h"
#include <stdbool.h>
#include <stdint.h>

#define PCA_MAX_K 10     /* components reported */
#define PCA_MAX_BLOCK SUBSPACE_MAX /* k + oversampling columns iterated together */

/* Zero means default (pca_desc_defaults fills them in). */
typedef struct PcaDesc {
    int k;             /* components kept, 1..PCA_MAX_K: 3 */
    int oversample;    /* extra iterated columns (speed up convergence of the k): 3 */
    int spherize;      /* 0: auto (on when dim >= 50, as the TensorBoard projector), 1 on, -1 off */
    int warm_passes;   /* max passes of a warm refresh: 1 */
    int cold_passes;   /* max passes from scratch: 30 (warm refreshes keep converging) */
    double tol;        /* stop when every component's relative residual is below: 1e-4 */
    double group_gap;  /* relative eigenvalue gap under which components are treated as one
                          subspace and aligned by a rotation instead of a sign: 0.1
                          (sample eigenvalues of a tied pair split by a few %) */
    Pool *pool;        /* borrowed; passes split into pool_threads(pool) chunks of rows and run
                          there. NULL: one chunk on the caller's thread */
    uint64_t seed;     /* random start of a from-scratch run: 1 */
} PcaDesc;

PcaDesc pca_desc_defaults(const PcaDesc *d);

typedef struct Pca {
    PcaDesc desc;          /* defaults filled in */
    int dim, k, block;     /* block = k + oversample, at most dim */
    bool spherize;         /* rows were unit-normalised before centring */
    bool have_basis;       /* next update is warm */
    bool converged;        /* last update reached desc.tol */
    int passes;            /* passes made by the last update */
    int64_t rows;          /* rows seen by the last update */
    double *mean;          /* (dim) mean of the (spherized) rows */
    double *basis;         /* (block, dim) orthonormal rows; the first k are PC1..PCk */
    double var[PCA_MAX_BLOCK];      /* variance along each basis row (eigenvalue estimate) */
    double explained[PCA_MAX_BLOCK]; /* var / total_var */
    double residual[PCA_MAX_BLOCK];  /* ||C q - l q|| / max(l, l_1 / 100) of the last pass */
    double total_var;      /* trace of the covariance */
    double moved;          /* see pca_update; -1 after a from-scratch update */
    /* private scratch */
    int dpad, nthreads;
    float *qf, *mu0;       /* (block, dpad), (dpad) float copies used by the passes */
    float *fscratch;       /* per thread: (block + 2, dpad) floats */
    double *dscratch;      /* per thread: (block + 1, dim) doubles + 1 */
    double *work;          /* (block + 1, dim) */
} Pca;

void pca_init(Pca *p, const PcaDesc *d);
void pca_deinit(Pca *p);
/* Forgets the basis: the next update starts from scratch. */
void pca_reset(Pca *p);

/* Updates the components from vec ((rows, stride) floats, stride >= dim, rows >= 2). Warm when a
 * basis of the same dim exists, else from scratch. After a warm update, moved estimates how far
 * the change of axes and centre displaced the projected points, as a fraction of the RMS radius
 * of the projected cloud (0: same frame). Fails (state unchanged) on bad shapes, non-finite
 * values or no memory. */
bool pca_update(Pca *p, const float *vec, int64_t rows, int dim, int stride, Err *e);

/* Replaces the basis by n orthonormalised rows of b ((n, dim) doubles, n <= block; the rest is
 * completed deterministically); the next update is warm from it. For tests and restoring a
 * saved view. */
bool pca_set_basis(Pca *p, const double *b, int n, int dim, Err *e);

/* Coordinates of rows on components comps[0..ncomp) (NULL: 0, 1, 2), ncomp 1..3, into out
 * ((rows, 3) floats; unused columns set to 0). Uses the same spherize and mean as the update. */
bool pca_project(const Pca *p, const float *vec, int64_t rows, int dim, int stride,
                 const int *comps, int ncomp, float *out, Err *e);

#endif
