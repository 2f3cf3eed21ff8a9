/* Fixtures shared by the layout tests (knngraph, umap, layoutq): seeded Gaussian blobs in
 * high dimension, as a (rows, stride) matrix and as a KnnIndex, with the blob of every row.
 * Static inline so each test binary takes what it uses. Test threads only. */
#ifndef EMBEDSCOPE_TEST_BLOBS_H
#define EMBEDSCOPE_TEST_BLOBS_H
#include "model/base/rng.h"
#include "model/vectors/embed.h"
#include "model/vectors/knn.h"
#include <stdlib.h>

/* nb blobs of n / nb rows (row r in blob r % nb) around random directions in dim
 * dimensions, each row the centre plus Gaussian noise of sd `noise` per coordinate, scaled
 * by a random factor in [0.5, 2] (cosine must not care). Returns (n, emb_stride(dim)) floats. */
static inline float *blobs_make(int64_t n, int dim, int nb, double noise, uint64_t seed)
{
    int stride = emb_stride(dim);
    float *x = emb_aligned_alloc((size_t)n * (size_t)stride * sizeof(float));
    double *c = malloc((size_t)nb * (size_t)dim * sizeof *c);
    if (!x || !c) {
        free(x);
        free(c);
        return NULL;
    }
    uint64_t s = rng_mix(seed);
    for (int i = 0; i < nb * dim; i++)
        c[i] = rng_gauss(&s);
    for (int64_t r = 0; r < n; r++) {
        double scale = 0.5 + 1.5 * rng_uniform01(&s);
        for (int j = 0; j < dim; j++)
            x[r * stride + j] = (float)(scale * (c[(r % nb) * dim + j] + noise * rng_gauss(&s)));
    }
    free(c);
    return x;
}

/* The unit index of blobs_make's rows; false when out of memory. */
static inline bool blobs_index(KnnIndex *ix, int64_t n, int dim, int nb, double noise,
                               uint64_t seed)
{
    float *x = blobs_make(n, dim, nb, noise, seed);
    Err e;
    bool ok = x && knn_build(ix, x, n, dim, emb_stride(dim), &e);
    free(x);
    return ok;
}

#endif
