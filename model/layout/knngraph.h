/* The k-nearest-neighbour graph under cosine that neighbour layouts (UMAP, t-SNE) start from:
 * approximate by NN-descent (Dong, Charikar & Li 2011) seeded by random-projection trees
 * (rptree.h), and refined from the previous graph when the vectors change (a live run). A graph belongs to one
 * thread; the passes run as tasks on a borrowed Pool, which no other thread may use meanwhile.
 *
 *   knngraph_build    vectors -> approximate graph, from scratch
 *   knngraph_refine   previous graph + changed vectors -> graph, a few NN-descent passes
 * The exact graph and recall measurements are knnexact.h. */
#ifndef EMBEDSCOPE_KNNGRAPH_H
#define EMBEDSCOPE_KNNGRAPH_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include "model/layout/progress.h"
#include "model/vectors/knn.h"
#include <stdbool.h>
#include <stdint.h>

#define KNNGRAPH_MAX_K 256

typedef struct KnnGraph {
    int64_t n;    /* rows (at most INT32_MAX) */
    int k;        /* neighbours per row, the row itself not counted */
    int32_t *idx; /* (n, k) neighbour rows, nearest first; -1 pads a row with fewer (n <= k,
                     or a zero vector, which has no direction and so no cosine neighbour in
                     the exact graph) */
    float *dist;  /* (n, k) cosine distance 1 - cos in [0, 2], ascending per row (ties: lower
                     row first in the exact graph); INFINITY where idx is -1 */
} KnnGraph;

/* Zero means default (knngraph_desc_defaults fills them in for n rows). */
typedef struct KnnGraphDesc {
    int k;              /* neighbours per row, 1..KNNGRAPH_MAX_K: 15 */
    int trees;          /* random-projection trees seeding a build: 4 + n^0.25 / 2, <= 16 */
    int leaf_size;      /* rows per leaf at most: max(2 k, 32) */
    int max_candidates; /* new and old candidates sampled per row per pass: min(4 k, 60) for
                           a build, min(2 k, 60) for a refine */
    int max_iters;      /* NN-descent passes at most: max(5, log2 n) for a build, 8 for a refine */
    double delta;       /* stop when a pass improves fewer than delta * n * k entries: 0.001 */
    int64_t exact_below; /* fewer rows than this are solved exactly (all pairs), at most 1025:
                            min(4 * leaf_size, 1025) */
    uint64_t seed;      /* trees and candidate sampling: 1 */
    Pool *pool;         /* borrowed; NULL: everything on the caller's thread */
    LayoutProgressFn progress; /* NULL: none */
    void *ctx;
} KnnGraphDesc;

/* What a build or refine did: distance evaluations are the unit of work the tests compare. */
typedef struct KnnGraphStats {
    int64_t dist_evals; /* cosine distances computed */
    int iters;          /* NN-descent passes run */
    int64_t updates;    /* entries improved by the last pass */
    bool exact;         /* solved by all pairs (n < exact_below) */
} KnnGraphStats;

KnnGraphDesc knngraph_desc_defaults(const KnnGraphDesc *d, int64_t n);

void knngraph_init(KnnGraph *g);
void knngraph_deinit(KnnGraph *g);

/* Builds the graph of the unit rows of ix from scratch. Deterministic for a seed whatever the
 * pool's size. g is replaced only on success; stats may be NULL. Fails on an empty or too
 * large table, a bad desc, no memory, or "cancelled" from the progress callback. */
bool knngraph_build(KnnGraph *g, const KnnIndex *ix, const KnnGraphDesc *d, KnnGraphStats *st,
                    Err *e);
/* Refines g (a graph of the same rows and k, e.g. from before the vectors moved) to the
 * vectors of ix: its edges are re-measured and NN-descent runs from them, which after small
 * moves converges in a pass or two instead of a build's trees and passes. Same failure rules;
 * g is untouched on failure. */
bool knngraph_refine(KnnGraph *g, const KnnIndex *ix, const KnnGraphDesc *d, KnnGraphStats *st,
                     Err *e);
#endif
