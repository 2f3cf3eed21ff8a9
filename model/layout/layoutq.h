/* How well a layout keeps the neighbourhoods of the vectors, measured the same way for every
 * method (UMAP, t-SNE, PCA) and every tool (a layout read from umap-learn's output too):
 * k-NN preservation, the share of each row's k nearest rows by cosine that are also among its
 * k nearest in the layout (Euclidean), and trustworthiness (Venna & Kaski 2001, as
 * sklearn.manifold.trustworthiness), which charges each layout neighbour that is not a true
 * neighbour by how far down the true ranking it sits. Both are estimated on a sample of rows
 * against all rows, exactly for those rows. Calling thread plus a borrowed Pool. */
#ifndef EMBEDSCOPE_LAYOUTQ_H
#define EMBEDSCOPE_LAYOUTQ_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include "model/vectors/knn.h"

typedef struct LayoutQuality {
    double preservation;    /* mean over the sample of |kNN_vectors & kNN_layout| / k, 0..1 */
    double trustworthiness; /* 1 - 2 / (m k (2n - 3k - 1)) sum (rank - k), 0..1 */
    int k;                  /* neighbours compared (min(k, n - 1)) */
    int64_t samples;        /* rows measured */
} LayoutQuality;

/* ix: the rows' unit vectors; xy: (rows, dims) coordinates, dims 1..3. nsample rows drawn
 * with seed (every row when nsample >= rows). Fails on shapes that disagree, fewer than 2
 * rows, non-finite coordinates or no memory. */
bool layoutq_measure(const KnnIndex *ix, const float *xy, int dims, int k, int64_t nsample,
                     uint64_t seed, Pool *pool, LayoutQuality *q, Err *e);

#endif
