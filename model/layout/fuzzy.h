/* UMAP's fuzzy simplicial set (McInnes, Healy & Melville 2018, section 3): each row's kNN
 * distances become membership strengths exp(-(d - rho) / sigma), with rho the distance to the
 * nearest neighbour and sigma found by binary search so that the strengths sum to log2(k);
 * the directed graph is then symmetrised by the fuzzy union a + b - ab. The result is a
 * symmetric sparse matrix in CSR form. A FuzzyGraph belongs to one thread; the smoothing runs
 * as tasks on a borrowed Pool. */
#ifndef EMBEDSCOPE_FUZZY_H
#define EMBEDSCOPE_FUZZY_H
#include "model/layout/knngraph.h"

typedef struct FuzzyGraph {
    int64_t n;
    int64_t nnz;      /* stored entries: every edge twice, (i, j) and (j, i) */
    int64_t *start;   /* (n + 1) row i is entries start[i] .. start[i+1] */
    int32_t *col;     /* (nnz) ascending within a row */
    float *w;         /* (nnz) membership strength in (0, 1] */
} FuzzyGraph;

/* Builds the union from the first k columns of g (k <= g->k; -1 entries skipped). Rows
 * without neighbours (a zero vector) get no edge. Deterministic. Replaces f on success. */
bool fuzzy_build(FuzzyGraph *f, const KnnGraph *g, int k, Pool *pool, Err *e);
void fuzzy_deinit(FuzzyGraph *f);

/* sigma and rho of one row of m ascending distances (exposed for the tests): the strengths
 * exp(-max(0, d - rho) / sigma) sum to log2(m) within 1e-5 when that is reachable. mean_all is
 * the mean distance over the whole graph, the floor's fallback for rows of duplicates. */
void fuzzy_smooth_row(const float *d, int m, double mean_all, double *sigma, double *rho);

#endif
