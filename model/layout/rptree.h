/* Random-projection trees under cosine: each tree splits the rows by the hyperplane through
 * the origin halfway between two random rows, until a leaf holds at most leaf_size rows. Rows
 * in one leaf are likely near each other, which seeds NN-descent (knngraph.c) far better than
 * random neighbours (Dasgupta & Freund 2008; the seeding PyNNDescent uses). A forest belongs
 * to the thread that built it; its trees are built as tasks on a borrowed Pool. */
#ifndef EMBEDSCOPE_RPTREE_H
#define EMBEDSCOPE_RPTREE_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include "model/vectors/knn.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct RpTree {
    int32_t *perm;   /* (n) every row once, grouped by leaf */
    int32_t *leaf;   /* (nleaves + 1) offsets into perm: leaf l is perm[leaf[l] .. leaf[l+1]) */
    int nleaves;
} RpTree;

typedef struct RpForest {
    RpTree *trees;
    int ntrees;
    int64_t n;
} RpForest;

/* Builds ntrees trees over the unit rows of ix (at most INT32_MAX rows). Deterministic for a
 * seed whatever the pool. Replaces nothing on failure. */
bool rptree_build(RpForest *f, const KnnIndex *ix, int ntrees, int leaf_size, uint64_t seed,
                  Pool *pool, Err *e);
void rptree_deinit(RpForest *f);

#endif
