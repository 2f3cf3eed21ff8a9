/* UMAP (McInnes, Healy & Melville 2018) in 2 or 3 dimensions from a kNN graph (knngraph.h):
 * the fuzzy simplicial set (fuzzy.h), a PCA start or the caller's coordinates, then SGD on the
 * cross-entropy with negative sampling on the epochs-per-sample schedule, the curve
 * 1 / (1 + a d^2b) fitted from min_dist and spread, as umap-learn 0.5 does. With one thread
 * and a seed the layout is bit-identical from run to run; with more, the threads update the
 * coordinates Hogwild (lock-free, each float whole), as umap-learn's parallel mode does. The
 * caller's thread runs it, with the tasks on a borrowed Pool.
 *
 * Warm start (the window, each time a new snapshot arrives): pass the previous layout as
 * init with fewer epochs, a lower learning rate and sample_epochs the first run's epochs;
 * points then move only as far as their neighbourhoods changed. */
#ifndef EMBEDSCOPE_UMAP_H
#define EMBEDSCOPE_UMAP_H
#include "model/layout/knngraph.h"

/* Zero means default (umap_desc_defaults fills them in for n rows). */
typedef struct UmapDesc {
    int dims;               /* 2 or 3: 2 */
    int neighbors;          /* graph columns used, <= the graph's k: the graph's k */
    double min_dist;        /* how tight a neighbourhood may pack: 0.1; negative: 0 */
    double spread;          /* scale of the embedded distances: 1.0 */
    int epochs;             /* 500 below 10,000 rows, else 200 (umap-learn) */
    double learning_rate;   /* initial SGD step, decaying linearly to 0: 1.0 */
    int negative_sample_rate; /* negative samples per positive one: 5 */
    double repulsion;       /* weight of the negative samples (gamma): 1.0 */
    double a, b;            /* the curve; 0: fitted from min_dist and spread */
    int sample_epochs;      /* a warm start: the epochs of the run whose edge schedule it
                               continues. Edges too weak for one sample in that many epochs
                               are dropped (umap-learn drops w < max / epochs), and each edge
                               starts at a random phase of its period, so that a short run
                               samples every edge in proportion to its weight, as a long one
                               does (with every edge at the start of its period, a 5-epoch run
                               samples none below max / 4 and skews the layout's balance of
                               attraction and repulsion). 0: epochs, no phase (umap-learn) */
    const float *row_rate;  /* (n) a warm start: each row's share of the step, in [0, 1] (a
                               row whose neighbours did not change need not move: the window
                               gives it a small share, so its SGD noise stays small); NULL: 1 */
    const float *init;      /* (n, dims) start (a warm start); NULL: PCA of the unit rows,
                               scaled to [0, 10] per axis with 1e-4 noise, as umap-learn */
    uint64_t seed;          /* init noise and negative samples: 1 */
    Pool *pool;             /* borrowed; NULL: everything on the caller's thread */
    LayoutProgressFn progress; /* NULL: none; stage "umap" */
    void *ctx;
} UmapDesc;

typedef struct UmapStats {
    double a, b;      /* the curve used */
    int64_t edges;    /* stored entries of the fuzzy set after pruning (each edge twice) */
    int epochs;
    int threads;
} UmapStats;

UmapDesc umap_desc_defaults(const UmapDesc *d, int64_t n);

/* The a, b of 1 / (1 + a x^2b) closest (least squares on 300 points of [0, 3 spread]) to 1
 * below min_dist and exp(-(x - min_dist) / spread) above, by Levenberg-Marquardt. */
bool umap_fit_ab(double min_dist, double spread, double *a, double *b, Err *e);

/* Lays out the rows of g (ix: the same rows' unit vectors, for the PCA start; may be NULL
 * when d->init is given) into out, (n, dims) floats. One row gives the origin. Rows without
 * neighbours keep their start. out is written only on success; stats may be NULL. Fails on
 * bad parameters, a non-finite init, no memory, or "cancelled". */
bool umap_layout(const KnnGraph *g, const KnnIndex *ix, const UmapDesc *d, float *out,
                 UmapStats *st, Err *e);

#endif
