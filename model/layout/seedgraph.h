/* The first improvement of a kNN graph seeded from a sample (sampled_layout_graph): every row's
 * entries are sample rows then (a sample row's from the sample's own graph, a placed row's from
 * its placement query), but most true neighbours of any row are placed rows, since most rows
 * are placed. Placed rows near the same sample rows are near each other, so each sample row
 * gets the list of the placed rows that have it among their SEEDGRAPH_LISTED nearest sample
 * rows, and
 *   - a placed row is measured against the lists of its SEEDGRAPH_FROM nearest sample rows,
 *   - a sample row against its own list,
 * each list at most SEEDGRAPH_CAP rows (evenly spaced over a longer one). That is one targeted
 * NN-descent join at a few dozen distances per row, after which the bounded refinements
 * (knngraph_refine) start from a graph with placed-to-placed edges instead of none. Calling
 * thread plus a borrowed Pool. */
#ifndef EMBEDSCOPE_SEEDGRAPH_H
#define EMBEDSCOPE_SEEDGRAPH_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include "model/layout/knngraph.h"
#include "model/layout/progress.h"

#define SEEDGRAPH_LISTED 2
#define SEEDGRAPH_FROM 3
#define SEEDGRAPH_CAP 32

/* g: a graph of ix's rows whose entries are all sample rows, nearest first (sampled.c's);
 * rows: the s sample rows. Improves g in place; *evals (may be NULL) gets the distances
 * computed. progress (NULL: none) is asked between batches of rows with stage; false stops
 * with "cancelled", g then holds the rows improved so far (still a valid graph). */
bool seedgraph_join(KnnGraph *g, const KnnIndex *ix, const int32_t *rows, int64_t s, Pool *pool,
                    LayoutProgressFn progress, void *ctx, const char *stage, int64_t *evals,
                    Err *e);

#endif
