/* Approximate cosine k-nearest-neighbour queries of any unit vector against a fixed table (the
 * sampled cold start, sampled.h, places every row from its nearest sample rows): a forest of
 * random-projection trees that keeps its hyperplanes (rptree.h keeps only the leaves, enough
 * for NN-descent's seeds but not for a query), split at the median so every tree is complete
 * and its leaves hold leaf_size / 2 to leaf_size rows, then a best-first walk on the table's
 * kNN graph from the leaves' rows (the search of PyNNDescent and HNSW's bottom layer). A built
 * forest is read-only: any number of threads may query it at once, each with its own scratch;
 * knnquery_build runs one task per tree on a borrowed Pool. */
#ifndef EMBEDSCOPE_KNNQUERY_H
#define EMBEDSCOPE_KNNQUERY_H
#include "model/layout/knngraph.h"

#define KNNQUERY_MAX_K 64

typedef struct KnnQueryTree {
    int depth;       /* levels of splits: 2^depth leaves */
    float *normal;   /* (2^depth - 1, stride) node i's direction; children 2i+1 (below) and 2i+2 */
    float *offset;   /* (2^depth - 1) the median projection: >= goes to 2i+2 */
    int32_t *perm;   /* (rows) every row once, grouped by leaf */
    int32_t *leaf;   /* (2^depth + 1) offsets into perm */
} KnnQueryTree;

typedef struct KnnQueryForest {
    const KnnIndex *ix; /* borrowed: the rows queried against */
    const KnnGraph *graph; /* borrowed, may be NULL: the rows' own graph for the walk */
    KnnQueryTree *trees;
    int ntrees;
} KnnQueryForest;

/* Per-thread state of the queries: which rows this query has measured. */
typedef struct KnnQueryScratch {
    uint32_t *seen; /* (rows) the stamp of the last query that measured each row */
    uint32_t stamp;
    int64_t evals;  /* distances computed by this scratch's queries */
} KnnQueryScratch;

/* ntrees (1..64) trees with leaves of at most leaf_size (>= 2) rows over the unit rows of ix
 * (1..INT32_MAX rows); graph (the same rows, or NULL) is kept for the walk. Deterministic for
 * a seed whatever the pool. f is replaced only on success. */
bool knnquery_build(KnnQueryForest *f, const KnnIndex *ix, const KnnGraph *graph, int ntrees,
                    int leaf_size, uint64_t seed, Pool *pool, Err *e);
void knnquery_deinit(KnnQueryForest *f);

bool knnquery_scratch_init(KnnQueryScratch *s, const KnnQueryForest *f);
void knnquery_scratch_deinit(KnnQueryScratch *s);

/* The k (1..KNNQUERY_MAX_K) rows nearest to q (stride floats, unit length; need not be a row)
 * by cosine distance, nearest first, into idx and dist; returns how many were found (fewer
 * than k only when the table has fewer rows). The candidates are the rows of q's leaf in every
 * tree and seeds (NULL, or nseeds rows of the table, -1 skipped, at most KNNQUERY_MAX_K used:
 * e.g. the neighbours an earlier query found, which a query on changed rows then keeps unless
 * it finds nearer ones). The walk goes on from the nearest row not walked from yet until all k
 * kept are walked, or max_walk rows were (0: no limit). */
int knnquery_search(const KnnQueryForest *f, KnnQueryScratch *s, const float *q, const int32_t *seeds,
                    int nseeds, int k, int max_walk, int32_t *idx, float *dist);
/* The leaf of tree t that q falls in (0 .. 2^depth - 1): queries sorted by it touch the same
 * rows one after another, which keeps them in cache (a query's rows are scattered otherwise). */
int64_t knnquery_leaf(const KnnQueryForest *f, int t, const float *q);

#endif
