/* Exact cosine nearest neighbours and word analogies over a raw (rows, stride) matrix, so the
 * same code serves a trainer snapshot and loaded Embeddings. A built KnnIndex is read-only:
 * any number of threads may query it at once. */
#ifndef EMBEDSCOPE_KNN_H
#define EMBEDSCOPE_KNN_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct Neighbour {
    int64_t index;
    float score; /* cosine (3CosMul: the Levy & Goldberg ratio) */
} Neighbour;

typedef struct KnnIndex {
    float *unit;  /* (rows, stride) unit-normalised copy, 64-byte aligned; zero rows stay zero */
    float *norm;  /* (rows) L2 norm of each source row (0 for zero or non-finite rows), so that
                     unit * norm gives the source values back (to float rounding) */
    int64_t rows;
    int dim, stride; /* stride: floats per row, a multiple of 16; padding columns are 0 */
} KnnIndex;

/* Copies and normalises vec ((rows, stride) floats, stride >= dim). Rows whose norm is 0 or not
 * finite become zero rows (cosine 0 to everything). Replaces nothing on failure. */
bool knn_build(KnnIndex *ix, const float *vec, int64_t rows, int dim, int stride, Err *e);
void knn_deinit(KnnIndex *ix);
/* Unit row i of the index (stride floats). */
static inline const float *knn_row(const KnnIndex *ix, int64_t i)
{
    return ix->unit + i * (int64_t)ix->stride;
}

/* Top-k rows by cosine to q (dim floats, need not be normalised), best first (ties: lower index
 * first), skipping the indices in exclude. Returns the count written to out (<= k); 0 when q is
 * zero or not finite. */
int knn_query(const KnnIndex *ix, const float *q, int k, const int64_t *exclude, int nexclude,
              Neighbour *out);
/* As knn_query, searching only rows [0, limit) (the most frequent words when rows are ordered by
 * frequency, as gensim's restrict_vocab). limit <= 0 or > rows means all rows. */
int knn_query_restrict(const KnnIndex *ix, int64_t limit, const float *q, int k,
                       const int64_t *exclude, int nexclude, Neighbour *out);

/* nq queries in one pass over rows [0, limit), for evaluations: each block of rows is scanned
 * by every query while it sits in cache. qs is (nq, dim) floats; exclude is (nq, nexclude);
 * out is (nq, k) and counts (nq) receives each query's count, as knn_query_restrict would
 * return. False only when out of memory. */
bool knn_query_batch(const KnnIndex *ix, int64_t limit, const float *qs, int nq, int k,
                     const int64_t *exclude, int nexclude, Neighbour *out, int *counts);

/* a : b :: c : ?  excluding a, b and c. cosmul = 0: 3CosAdd, the rows nearest to
 * b - a + c (unit vectors). cosmul = 1: 3CosMul (Levy & Goldberg 2014) with cosines shifted to
 * [0,1] and eps = 1e-3: score = cos'(x,b) cos'(x,c) / (cos'(x,a) + eps). point (dim floats, may
 * be NULL) receives the normalised b - a + c. Returns the count written to out; 0 if an index
 * is out of range. */
int knn_analogy(const KnnIndex *ix, int64_t a, int64_t b, int64_t c, int cosmul, int k,
                Neighbour *out, float *point);
int knn_analogy_restrict(const KnnIndex *ix, int64_t limit, int64_t a, int64_t b, int64_t c,
                         int cosmul, int k, Neighbour *out, float *point);

/* Cosine of two rows of the index (0 when either is a zero row). */
float knn_cosine(const KnnIndex *ix, int64_t i, int64_t j);

/* Whether the AVX2+FMA kernel is in use (for benchmarks and reports). */
bool knn_uses_avx2(void);

#endif
