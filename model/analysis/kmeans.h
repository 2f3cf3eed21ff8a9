/* Spherical k-means (cosine) over a (rows, stride) float matrix: k-means++ seeding from a seeded
 * RNG, warm restarts from the previous centroids so cluster ids (and the colours the GUI gives
 * them) stay put between updates, and a label per cluster: its most typical members (typical.h).
 * A Kmeans belongs to one thread; its passes may run on a borrowed Pool (desc.pool), which no
 * other thread may use while an update runs. */
#ifndef EMBEDSCOPE_KMEANS_H
#define EMBEDSCOPE_KMEANS_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include <stdbool.h>
#include <stdint.h>

#define KMEANS_MAX_K 1024
#define KMEANS_MAX_LABEL 16 /* TYPICAL_MAX_WORDS */

/* Zero means default (kmeans_desc_defaults fills them in). */
typedef struct KmeansDesc {
    int k;            /* clusters; 0: kmeans_default_k(rows) at each update */
    int iters;        /* max Lloyd iterations per update: 20 */
    double tol;       /* stop when at most this fraction of rows changed cluster: 1e-3 */
    int label_words;  /* row indices per cluster label, <= KMEANS_MAX_LABEL: 3 */
    int64_t label_floor; /* only the first (most frequent) label_floor rows label a cluster;
                            0: typical.h's default, max(1000, rows / 8) */
    Pool *pool;       /* borrowed; passes split into pool_threads(pool) chunks of rows and run
                         there. NULL: one chunk on the caller's thread */
    uint64_t seed;    /* k-means++ seeding: 1 */
} KmeansDesc;

KmeansDesc kmeans_desc_defaults(const KmeansDesc *d);
/* min(30, round(sqrt(rows / 2))), at least 1 and at most rows. */
int kmeans_default_k(int64_t rows);

typedef struct Kmeans {
    KmeansDesc desc;      /* defaults filled in (k may stay 0: automatic) */
    int k, dim;           /* of the current centroids */
    bool have;            /* centroids exist: the next update is warm */
    float *centroids;     /* (k, dpad) unit vectors, padding 0 */
    int32_t *assign;      /* (rows) cluster of each row */
    int64_t rows;         /* rows of the last update */
    int64_t *size;        /* (k) members per cluster */
    int64_t *labels;      /* (k, label_words) row indices, most typical first; -1 pads */
    int label_words;      /* desc.label_words when the labels were allocated */
    double mean_cos;      /* mean cosine of rows to their centroid after the last update */
    int iters;            /* Lloyd iterations made by the last update */
    int64_t changed;      /* rows that changed cluster in the last iteration */
    bool reseeded;        /* the last update started from k-means++ (ids are new) */
    /* private */
    int dpad, nthreads;
    int64_t cap_rows;
    float *fit;           /* (rows) cosine to own centroid */
    double *sums;         /* (threads, k, dim + 1) */
} Kmeans;

void kmeans_init(Kmeans *km, const KmeansDesc *d);
void kmeans_deinit(Kmeans *km);
/* Forgets the centroids: the next update seeds with k-means++ (new ids). */
void kmeans_reset(Kmeans *km);
/* Clusters vec ((rows, stride) floats, stride >= dim): warm from the previous centroids when
 * k and dim are unchanged, else seeded; then Lloyd iterations until desc.tol or desc.iters,
 * then labels. Zero rows join cluster 0 and count for nothing. On failure (bad shape, NaN,
 * no memory) the previous clustering is kept. */
bool kmeans_update(Kmeans *km, const float *vec, int64_t rows, int dim, int stride, Err *e);
/* One Lloyd iteration (assign + recentre) on the current centroids; needs a prior update with
 * the same dim. For benchmarks and step-by-step views. */
bool kmeans_step(Kmeans *km, const float *vec, int64_t rows, int dim, int stride, Err *e);
/* Label row indices of cluster c (km->label_words of them, -1 padded). */
static inline const int64_t *kmeans_label(const Kmeans *km, int c)
{
    return km->labels + (int64_t)c * km->label_words;
}

#endif
