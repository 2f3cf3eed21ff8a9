/* The exact cosine kNN graph by brute force, and how much of it an approximate graph found:
 * the reference the tests and the layout command's report measure NN-descent against. Blocks
 * of query rows run as tasks on a borrowed Pool through knn_query_batch (model/vectors/knn.h),
 * whose kernel scans each block of rows once for many queries. Calling thread plus the pool. */
#ifndef EMBEDSCOPE_KNNEXACT_H
#define EMBEDSCOPE_KNNEXACT_H
#include "model/layout/knngraph.h"

/* The exact graph of the unit rows of ix, k neighbours per row (ties: lower row first; a zero
 * row lists none). g is replaced only on success. */
bool knnexact_graph(KnnGraph *g, const KnnIndex *ix, int k, Pool *pool,
                    LayoutProgressFn progress, void *ctx, Err *e);

/* Of the neighbours listed in exact (-1 skipped), the share that g lists among its first
 * exact->k of the same row. Both graphs must have the same rows (else -1); 1 when exact lists
 * none. */
double knnexact_recall(const KnnGraph *g, const KnnGraph *exact);
/* The same against exact neighbours computed for nsample rows drawn with seed (every row when
 * nsample >= n): a big graph checked without the full brute force. k of g is used. */
bool knnexact_recall_sample(const KnnGraph *g, const KnnIndex *ix, int nsample, uint64_t seed,
                            Pool *pool, double *recall, Err *e);

#endif
