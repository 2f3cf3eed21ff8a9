/* What the explorer's positional-embedding view shows, computed from a PosEncDesc (the table
 * from posenc_build) or from a caller's table (a learned one: the small GPT's wpe): its first
 * three principal components per position, the position x position cosine-similarity matrix
 * and distance probes between two positions. Pure computation over
 * caller-owned storage: any thread (the explorer runs posview_build on a worker thread, since
 * a 2048 x 2048 similarity takes a second or two). */
#ifndef EMBEDSCOPE_POSVIEW_H
#define EMBEDSCOPE_POSVIEW_H
#include "model/vectors/embed.h"
#include "model/base/err.h"
#include "model/analysis/posenc.h"
#include <stdbool.h>
#include <stdint.h>

#define POSVIEW_MAX_SIM 2048  /* positions in the similarity matrix (16 MiB of floats) */

typedef struct PosView {
    PosEncDesc desc;      /* defaults filled in: the table really shown (from a caller's table:
                             only max_len and dim mean something) */
    bool from_table;      /* built by posview_build_table */
    Embeddings table;     /* (max_len, dim) */
    float *xyz;           /* (rows, 3) coordinates on PC1..PC3 */
    double explained[3];  /* fraction of the variance on PC1..PC3 */
    float *sim;           /* (nsim, nsim) cosine of positions 0..nsim-1, row-major */
    int nsim;             /* min(rows, POSVIEW_MAX_SIM) */
    double build_ms;
} PosView;

void posview_init(PosView *v);
void posview_deinit(PosView *v);
/* Builds everything for d into v (posview_init'ed); on failure v is left as it was. */
bool posview_build(PosView *v, const PosEncDesc *d, Err *e);
/* The same for a caller's table (rows, dim), dense row-major, copied: at least 2 rows, dim in
 * 1 .. EMB_MAX_DIM, every value finite (a diverged training is an error naming the entry). */
bool posview_build_table(PosView *v, const float *table, int rows, int dim, Err *e);

typedef struct PosDist {
    double cosine;     /* cos(row i, row j) */
    double euclidean;  /* |row i - row j| */
} PosDist;

/* Distances between positions i and j of a built view (both clamped into the table). */
PosDist posview_distance(const PosView *v, int64_t i, int64_t j);

#endif
