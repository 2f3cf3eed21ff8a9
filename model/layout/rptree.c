/* Random-projection forest (see rptree.h). A tree is built without recursion: segments of its
 * permutation wait on a stack; each is split in place by the sign of its rows' dot products
 * with the normal of the splitting hyperplane. Calling thread plus the pool's workers. */
#include "model/layout/rptree.h"
#include "model/base/rng.h"
#include "model/layout/lkern.h"
#include "model/vectors/embed.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct Seg {
    int32_t lo, hi;
} Seg;

typedef struct ForestJob {
    RpForest *f;
    const KnnIndex *ix;
    int leaf_size;
    uint64_t seed;
    atomic_int failed;
} ForestJob;

/* Splits perm[lo, hi) in place; returns the first index of the right side. margin is
 * scratch for hi - lo floats, normal for one row. Falls back to the middle when the two
 * sample rows point the same way or every row lands on one side (duplicates). */
static int32_t split(const KnnIndex *ix, int32_t *perm, int32_t lo, int32_t hi, uint64_t *rng,
                     float *normal, float *margin)
{
    int32_t len = hi - lo, mid = lo + len / 2;
    int32_t pa = (int32_t)(rng_splitmix(rng) % (uint64_t)len);
    int32_t pb = (int32_t)(rng_splitmix(rng) % (uint64_t)(len - 1));
    pb += pb >= pa; /* two distinct positions */
    int32_t a = perm[lo + pa], b = perm[lo + pb];
    const float *ua = knn_row(ix, a), *ub = knn_row(ix, b);
    float nn = 0;
    for (int j = 0; j < ix->stride; j++) {
        normal[j] = ua[j] - ub[j];
        nn += normal[j] * normal[j];
    }
    if (!(nn > 1e-12f))
        return mid;
    lkern_dots(ix->unit, ix->stride, normal, perm + lo, len, margin);
    int32_t i = lo, j = hi - 1;
    uint64_t bits = 0;
    int nbits = 0;
    /* rows on the hyperplane go to a random side, as they are as near to one as the other */
    while (i <= j) {
        float m = margin[i - lo];
        bool right = m < 0;
        if (m == 0) {
            if (nbits == 0) {
                bits = rng_splitmix(rng);
                nbits = 64;
            }
            right = bits & 1;
            bits >>= 1;
            nbits--;
        }
        if (!right) {
            i++;
            continue;
        }
        int32_t tp = perm[i];
        perm[i] = perm[j];
        perm[j] = tp;
        float tm = margin[i - lo];
        margin[i - lo] = margin[j - lo];
        margin[j - lo] = tm;
        j--;
    }
    return (i == lo || i == hi) ? mid : i;
}

static bool build_tree(RpTree *t, const KnnIndex *ix, int leaf_size, uint64_t seed)
{
    int32_t n = (int32_t)ix->rows;
    t->perm = malloc((size_t)n * sizeof *t->perm);
    t->leaf = malloc(((size_t)n + 1) * sizeof *t->leaf);
    Seg *stack = malloc(((size_t)n + 1) * sizeof *stack);
    float *normal = emb_aligned_alloc((size_t)ix->stride * sizeof(float));
    float *margin = malloc((size_t)n * sizeof *margin + 1);
    bool ok = t->perm && t->leaf && stack && normal && margin;
    if (ok) {
        for (int32_t i = 0; i < n; i++)
            t->perm[i] = i;
        int top = 0;
        stack[top++] = (Seg){0, n};
        t->nleaves = 0;
        t->leaf[0] = 0;
        uint64_t rng = seed;
        while (top > 0) {
            Seg s = stack[--top];
            if (s.hi - s.lo <= leaf_size) {
                /* leaves come off the stack left to right, so offsets increase */
                t->leaf[++t->nleaves] = s.hi;
                continue;
            }
            int32_t m = split(ix, t->perm, s.lo, s.hi, &rng, normal, margin);
            stack[top++] = (Seg){m, s.hi};
            stack[top++] = (Seg){s.lo, m};
        }
    }
    free(stack);
    free(normal);
    free(margin);
    return ok;
}

static void tree_task(void *ctx, int task)
{
    ForestJob *j = ctx;
    uint64_t seed = rng_mix(j->seed + (uint64_t)0x5851f42d4c957f2d * (uint64_t)(task + 1));
    if (!build_tree(&j->f->trees[task], j->ix, j->leaf_size, seed))
        atomic_store(&j->failed, 1);
}

bool rptree_build(RpForest *f, const KnnIndex *ix, int ntrees, int leaf_size, uint64_t seed,
                  Pool *pool, Err *e)
{
    if (ix->rows < 1 || ix->rows > INT32_MAX || ntrees < 1 || leaf_size < 2)
        return err_set(e, "rptree: bad shape (%lld rows, %d trees, leaves of %d)",
                       (long long)ix->rows, ntrees, leaf_size);
    RpForest nf = {calloc((size_t)ntrees, sizeof(RpTree)), ntrees, ix->rows};
    if (!nf.trees)
        return err_set(e, "rptree: out of memory for %d trees", ntrees);
    ForestJob job = {&nf, ix, leaf_size, seed, 0};
    pool_run(pool, tree_task, &job, ntrees);
    if (atomic_load(&job.failed)) {
        rptree_deinit(&nf);
        return err_set(e, "rptree: out of memory for %d trees of %lld rows", ntrees,
                       (long long)ix->rows);
    }
    rptree_deinit(f);
    *f = nf;
    return true;
}

void rptree_deinit(RpForest *f)
{
    if (!f)
        return;
    for (int t = 0; f->trees && t < f->ntrees; t++) {
        free(f->trees[t].perm);
        free(f->trees[t].leaf);
    }
    free(f->trees);
    memset(f, 0, sizeof *f);
}
