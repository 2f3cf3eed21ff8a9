/* The principal axes of a table of unit rows, for starting a layout (UMAP's PCA start): a few
 * passes of block subspace iteration on the centred rows, enough for a start and no more
 * (the analysis thread's converged, aligned PCA is model/analysis/pca.h, above this layer).
 * The passes run as a fixed number of tasks on a borrowed Pool, summed in task order, so the
 * result does not depend on the number of threads. Calling thread plus the pool. */
#ifndef EMBEDSCOPE_PCAINIT_H
#define EMBEDSCOPE_PCAINIT_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include "model/vectors/knn.h"

/* out: (rows, dims) floats, the centred rows' coordinates on the first dims axes (dims 1..3;
 * axes beyond the data's rank are 0). */
bool pcainit_coords(const KnnIndex *ix, int dims, uint64_t seed, Pool *pool, float *out, Err *e);

#endif
