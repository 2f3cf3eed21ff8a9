/* A sample-first UMAP for big tables (issue #14: a million words must show a picture within a
 * minute): the full UMAP (graph, fuzzy set, epochs) of a sample of the rows, then every other
 * row placed at the weighted mean of the layout positions of its nearest sample rows (an
 * approximate cosine kNN query against the sample, knnquery.h; weights are UMAP's membership
 * strengths of those distances, as umap-learn's transform starts new points), with a small
 * jitter so duplicates do not stack. sampled_refine then builds the full graph and runs UMAP
 * from the placed positions, which the window shows meanwhile.
 *
 * The sample is the most frequent half (rows are in frequency order in word2vec files and our
 * trainer's: the best-trained words, and the ones region and cluster names are drawn from)
 * plus a uniform random half of the rest, so the tail's own regions (rare names, numbers,
 * misspellings) have sample rows to be placed beside instead of being pulled into the
 * frequent words' clusters. Calling thread plus a borrowed Pool; cancellable through the
 * progress callback between passes, epochs and blocks of placed rows. */
#ifndef EMBEDSCOPE_SAMPLED_H
#define EMBEDSCOPE_SAMPLED_H
#include "model/layout/knngraph.h"
#include "model/layout/umap.h"

/* The step of a refine from the placed layout: umap-learn's transform refines new points at a
 * quarter of the learning rate (with a third of the epochs, which the window uses too), so the
 * placed picture is tidied rather than laid out again. */
#define SAMPLED_REFINE_RATE 0.25
/* sample rows each other row is placed from, by default */
#define SAMPLED_PLACE_K 10

/* Zero means default. */
typedef struct SampledDesc {
    int64_t sample;      /* rows laid out by UMAP: 50,000; at least the table's rows: every
                            row is laid out by UMAP and none placed */
    int dims;            /* 2 or 3: 2 */
    int neighbors;       /* graph neighbours (the sample's and the full graph's): 15 */
    double min_dist;     /* UMAP's: 0.1 (negative: 0) */
    int epochs;          /* the sample's UMAP epochs: UMAP's default for the sample's rows */
    int place_k;         /* sample rows each other row is placed from: SAMPLED_PLACE_K (1..64) */
    int trees;           /* query trees over the sample: 1 (with the walk, more trees cost more
                            than they add: bench/README.md, "Sampled start") */
    uint64_t seed;       /* sample, trees, UMAP, jitter: 1 */
    Pool *pool;          /* borrowed; NULL: everything on the caller's thread */
    LayoutProgressFn progress; /* NULL: none; stages "sample N of M: graph", "... UMAP",
                                  "placing R rows"; sampled_refine's "full graph of
                                  M rows", "full UMAP of M rows" */
    void *ctx;
} SampledDesc;

typedef struct SampledStats {
    int64_t sample, placed;  /* rows laid out by UMAP, rows placed */
    KnnGraphStats graph;     /* the sample's graph (the full one's after sampled_refine) */
    UmapStats umap;
    double graph_ms, umap_ms, place_ms;
    int64_t place_evals;     /* distances computed by the placement's queries */
} SampledStats;

SampledDesc sampled_desc_defaults(const SampledDesc *d);

/* The sampled layout of the unit rows of ix into out, (rows, dims) floats, written only on
 * success; stats may be NULL. Fails on an empty table, bad parameters, no memory, a failed
 * graph or UMAP, or "cancelled". */
bool sampled_layout(const KnnIndex *ix, const SampledDesc *d, float *out, SampledStats *st,
                    Err *e);

/* The pieces of sampled_layout, for a caller that keeps the sample's layout across snapshots
 * (the window while it trains: livelayout.c). sampled_choose: s of n rows, ascending (the
 * first s / 2, then a uniform draw from the rest), NULL when out of memory.
 * sampled_sub_index: those rows of ix as an index of their own. sampled_place: out ((ix rows,
 * dims)) gets the sample's layout ys ((s, dims), row i for ix row rows[i]) and every other row
 * placed from it, queried on g, the sample's kNN graph (s = sub->rows = g->n); only stats'
 * place_ms and place_evals are written (st may be NULL). from: NULL, or (ix rows, place_k) sample indices
 * (into sub) each row was placed from last time, -1 for none (all -1 the first time): they are
 * candidates beside the query's, and are replaced by the ones this placement used, so that a
 * caller placing again from a refined sample keeps each row's neighbours until nearer ones come
 * (the approximate query alone finds a slightly different set each time, and a placed row
 * would jump with it). */
int32_t *sampled_choose(int64_t n, int64_t s, uint64_t seed);
bool sampled_sub_index(KnnIndex *sub, const KnnIndex *ix, const int32_t *rows, int64_t s, Err *e);
bool sampled_place(const KnnIndex *ix, const KnnIndex *sub, const KnnGraph *g, const int32_t *rows,
                   const float *ys, const SampledDesc *d, int32_t *from, float *out, SampledStats *st,
                   Err *e);

/* The full kNN graph of ix into g, then epochs of UMAP at learning_rate from coords ((rows,
 * dims), e.g. sampled_layout's), which it replaces on success (g too); on failure both are
 * untouched. */
bool sampled_refine(KnnGraph *g, const KnnIndex *ix, const SampledDesc *d, int epochs,
                    double learning_rate, float *coords, SampledStats *st, Err *e);

#endif
