/* t-SNE's input similarities on a sparse kNN graph: each row's Gaussian precision found by
 * binary search so that the row's perplexity is the one asked for, then the symmetric joint P
 * (p_j|i + p_i|j, normalised to sum 1) as a CSR matrix. Called by tsne_init on its caller's
 * thread; the per-row search runs on a borrowed Pool. */
#ifndef EMBEDSCOPE_TSNE_AFFINITY_H
#define EMBEDSCOPE_TSNE_AFFINITY_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include <stdbool.h>
#include <stdint.h>

/* The caller's kNN graph: n rows of k neighbours. idx (n, k): neighbour rows, -1 for none (a
 * row may list fewer than k); dist (n, k): their distances, cosine distance 1 - cos (any
 * distance >= 0 works: the search takes exp(-beta * (d - d_min)), so only differences matter
 * and a constant factor is absorbed by beta). A row listing itself is skipped. */
typedef struct TsneGraph {
    int64_t n;
    int k;
    const int32_t *idx;
    const float *dist;
} TsneGraph;

/* Symmetric P: row i's entries are col[rowptr[i] .. rowptr[i+1]), ascending, val > 0. */
typedef struct TsneP {
    int64_t n, nnz;
    int64_t *rowptr; /* (n + 1) */
    int32_t *col;    /* (nnz) */
    float *val;      /* (nnz), the whole matrix sums to 1 (0 when the graph has no edges) */
    int64_t capped;  /* rows with fewer neighbours than the perplexity: uniform over them */
} TsneP;

/* Checks the graph: every idx in [-1, n), no neighbour twice in a row, every listed distance
 * finite and >= 0 (down to -1e-4 from rounding, read as 0). The message names the row and
 * the column. */
bool tsne_affinity_check(const TsneGraph *g, Err *e);

/* Conditional p_j|i of every listed neighbour into p ((n, k) floats; 0 where idx is -1 or the
 * row itself), each row summing to 1. perplexity > 0. Tasks on pool (NULL: the caller). Rows
 * with at most `perplexity` neighbours get uniform weights (counted in *capped). */
bool tsne_affinity_rows(const TsneGraph *g, double perplexity, Pool *pool, float *p,
                        int64_t *capped, Err *e);

/* P = (C + C^T) / sum, C the conditional rows from tsne_affinity_rows. out is zeroed first;
 * free with tsne_affinity_free. */
bool tsne_affinity_symmetric(const TsneGraph *g, const float *cond, TsneP *out, Err *e);
void tsne_affinity_free(TsneP *p);

#endif
