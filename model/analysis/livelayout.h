/* The live analysis thread's neighbour layout (UMAP of every word) kept across snapshots:
 * the first one from scratch (kNN graph by NN-descent, UMAP from a PCA start), each later one
 * refined from the one before (the graph re-measured and improved in a pass or two, UMAP
 * warm-started from the previous coordinates with few epochs and a small step), so points
 * drift as training moves the vectors instead of jumping. Owned by one thread (the analysis
 * thread); the passes run on a borrowed Pool. */
#ifndef EMBEDSCOPE_LIVELAYOUT_H
#define EMBEDSCOPE_LIVELAYOUT_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include "model/layout/knngraph.h"
#include "model/layout/progress.h"
#include "model/vectors/knn.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum { LIVELAY_NONE = 0, LIVELAY_UMAP } LiveLayoutKind;

/* Zero means default. */
typedef struct LiveLayoutDesc {
    LiveLayoutKind kind;
    int dims;              /* 2 or 3: 2 */
    int neighbors;         /* 15 */
    double min_dist;       /* 0.1 */
    int epochs;            /* a layout from scratch: 200 (umap-learn's for big data; the
                              window refines it with every snapshot anyway) */
    int warm_epochs;       /* each refinement: 40 */
    uint64_t seed;         /* 1 */
} LiveLayoutDesc;

typedef struct LiveLayout {
    LiveLayoutDesc have;   /* what the held layout was made with (defaults filled in) */
    KnnGraph graph;
    float *xyz;            /* (rows, 3) the held layout; z = 0 in 2D */
    float *work;           /* (rows, dims) */
    int64_t rows;
    bool valid;
    uint64_t builds;       /* layouts made (from scratch or refined) */
    bool warm;             /* the last one was a refinement */
    double ms;             /* its time */
    double moved;          /* its median point move, as a fraction of the layout's extent
                              (0 for one from scratch) */
    int64_t dist_evals;    /* its graph's distance evaluations */
} LiveLayout;

LiveLayoutDesc livelay_desc_defaults(const LiveLayoutDesc *d);
void livelay_init(LiveLayout *L);
void livelay_deinit(LiveLayout *L);
/* Lays out the rows of ix as d says: refined from the held layout when it has the same rows,
 * kind and shape, else from scratch. True: L->xyz holds the new layout. False (e says why;
 * "cancelled" when fn returned false): the held one stays. */
bool livelay_update(LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *d, Pool *pool,
                    LayoutProgressFn fn, void *ctx, Err *e);

#endif
