/* The live analysis thread's neighbour layout (UMAP or t-SNE of every word, 2D or 3D) kept
 * across snapshots: the first one from scratch (kNN graph by NN-descent, a PCA start), each
 * later one refined from the one before on a time budget: NN-descent passes over the graph
 * re-measured on the new vectors (UMAP two as time allows, t-SNE one), then as many UMAP
 * epochs (small step; a row whose neighbours did not change takes a tenth of it) or t-SNE
 * iterations (no exaggeration) from the previous coordinates as the rest of the budget
 * allows, so points drift as training moves the vectors instead of jumping, and the view
 * refreshes every few seconds. A UMAP of a big table starts from a sample (sampled.h) and,
 * while the vectors are moving, refreshes the sample's layout and places the other rows from
 * it again, a refresh as short as a small table's; once they stop, the full graph and UMAP
 * follow from the placed positions. Owned by one thread (the analysis thread); the passes run on a
 * borrowed Pool. */
#ifndef EMBEDSCOPE_LIVELAYOUT_H
#define EMBEDSCOPE_LIVELAYOUT_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include "model/layout/knngraph.h"
#include "model/layout/progress.h"
#include "model/vectors/knn.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum { LIVELAY_NONE = 0, LIVELAY_UMAP, LIVELAY_TSNE } LiveLayoutKind;

/* Zero means default. */
typedef struct LiveLayoutDesc {
    LiveLayoutKind kind;
    int dims;              /* 2 or 3: 2 */
    int neighbors;         /* graph columns: UMAP 15; t-SNE 3 x perplexity, <= 90 (sklearn) */
    double min_dist;       /* UMAP: 0.1 */
    double perplexity;     /* t-SNE: 15 (the window's graphs are kept small to refresh fast;
                              the command line's default is 30) */
    int epochs;            /* a layout from scratch: UMAP 100 epochs (umap-learn's 200 for big
                              data take a minute on one core), t-SNE 300 iterations, half of
                              them exaggerated (the window refines it with every snapshot) */
    int warm_epochs;       /* a refinement at most: UMAP 40 epochs, t-SNE 100 iterations */
    double warm_rate;      /* UMAP's first SGD step in a refinement (a build's is 1): see
                              LIVELAY_WARM_RATE in livelayout.c */
    double still_rate;     /* UMAP refinement: a row's share of the step when none of its
                              graph neighbours changed, growing to all of it when a third
                              did: 0.1 (the SGD moves a row whose neighbourhood is the same
                              only by its noise, which grows with the step); 1: every row the
                              whole step */
    double budget_ms;      /* a refinement's target time: 1000; its epochs are what is left
                              after the graph pass at the last refinement's speed, at least 5
                              (UMAP) or 10 (t-SNE) */
    int64_t exact_rows;    /* graphs of at most this many rows are exact, by brute force: 4096
                              (n^2 distances are then fewer than NN-descent's, whose rows join
                              up to 2 x 60 candidates pairwise for ~10 passes: 45 neighbours
                              of the demo world's 1,033 words took it 1.6 s); -1: never */
    int64_t sample_above;  /* UMAP of more rows than this starts sampled (sampled.h): a sample's
                              layout with every other row placed from it, shown at once, then
                              the full graph and UMAP from there with the next snapshot:
                              20,000 (LIVELAY_SAMPLE_ABOVE); -1: never */
    int64_t sample_rows;   /* that sample: a quarter of the rows, 5,000 to 50,000 */
    uint64_t seed;         /* 1 */
    bool keep_graph;       /* a refinement reuses the held graph as it is (false: refined to
                              the new vectors): bench/live_refine.c measures the layout's own
                              noise with it */
    bool moving;           /* more snapshots of these rows will come (a trainer is running): a
                              sampled layout stays sampled, its sample refined as a small
                              table's layout and the other rows placed from it again with each
                              snapshot; the first update without it builds the full graph */
} LiveLayoutDesc;

struct LiveSample;

typedef struct LiveLayout {
    LiveLayoutDesc have;   /* what the held layout was made with (defaults filled in) */
    KnnGraph graph;
    float *xyz;            /* (rows, 3) the held layout; z = 0 in 2D */
    float *work;           /* (rows, dims): the held layout after a successful update (a
                              failed one leaves scratch) */
    int32_t *prev_idx;     /* (rows, k) the graph before a refinement: each row's change */
    float *rate;           /* (rows) each row's share of a UMAP refinement's step */
    int64_t rows;
    bool valid;
    uint64_t builds;       /* layouts made (from scratch or refined) */
    bool warm;             /* the last one was a refinement */
    bool placed;           /* it is a sampled one (no full graph yet): the next update builds
                              the full graph and runs UMAP from it, unless it is moving */
    struct LiveSample *sample; /* a sampled layout's sample and its own layout (else NULL) */
    double ms;             /* its time */
    double graph_ms;       /* of which the kNN graph */
    int graph_passes;      /* its NN-descent passes (0: exact, or kept) */
    int epochs;            /* its UMAP epochs or t-SNE iterations */
    double epoch_ms;       /* their mean time, which sizes the next refinement */
    double moved;          /* its median point move, as a fraction of the layout's extent
                              (0 for one from scratch) */
    int64_t dist_evals;    /* its graph's distance evaluations */
} LiveLayout;

LiveLayoutDesc livelay_desc_defaults(const LiveLayoutDesc *d);
void livelay_init(LiveLayout *L);
void livelay_deinit(LiveLayout *L);
/* Lays out the rows of ix as d says: refined from the held layout when it has the same rows,
 * kind and parameters (epochs included), else from scratch. True: L->xyz holds the new layout. False (e says
 * why; "cancelled" when fn returned false): the held one stays. */
bool livelay_update(LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *d, Pool *pool,
                    LayoutProgressFn fn, void *ctx, Err *e);
/* The rows of a sampled layout's sample, ascending, and their count in *n; NULL (and 0) when
 * the held layout is not sampled. Valid until the next update. */
const int32_t *livelay_sample_rows(const LiveLayout *L, int64_t *n);

#endif
