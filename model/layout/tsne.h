/* t-SNE (van der Maaten 2014, Barnes-Hut) over a caller's sparse kNN graph, in 2D or 3D, with
 * scikit-learn 1.2's optimiser: early exaggeration 12 for the first 250 iterations at momentum
 * 0.5, then momentum 0.8, delta-bar-delta gains, learning rate max(n / 12 / 4, 50). The
 * forces of an iteration are pool tasks over fixed blocks of points summed in block order, so
 * a run is a function of its inputs and seed alone (bit-identical for any thread count).
 * A Tsne belongs to one thread (e.g. a layout worker); tsne_optimize borrows desc.pool, which
 * no other thread may use meanwhile. Another thread may stop a run through desc.cancel.
 *
 *   tsne_desc_defaults   the desc with the values really in use
 *   tsne_init            graph -> P (perplexity search, symmetrised); tsne_deinit frees it
 *   tsne_optimize        gradient descent on caller's coordinates, cold or warm
 *   tsne_gradient        the KL gradient at given coordinates (Barnes-Hut or exact)
 *   tsne_init_random     N(0, 1e-4^2) start; tsne_scale_init: a PCA start rescaled as sklearn */
#ifndef EMBEDSCOPE_TSNE_H
#define EMBEDSCOPE_TSNE_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include "model/layout/bhtree.h"
#include "model/layout/tsne_affinity.h"
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* theta value that asks for the exact O(n^2) repulsion instead of the tree. */
#define TSNE_THETA_EXACT (-1.0)

/* Reported every desc.progress_every iterations and after the last; return false to stop. */
typedef bool (*TsneProgressFn)(void *ctx, int iter, int iters, double kl);

/* Zero means default. */
typedef struct TsneDesc {
    int dims;              /* 2 or 3: 2 */
    double perplexity;     /* effective neighbours per row: 30 (rows with fewer neighbours are
                              uniform over them: TsneP.capped) */
    int iterations;        /* total, exaggerated ones included: 1000 cold, 100 warm */
    int exaggeration_iters;/* the first iterations with P * exaggeration and momentum 0.5: 250
                              (cold only; a warm run has none) */
    double exaggeration;   /* 12 */
    double learning_rate;  /* 0: auto, max(n / exaggeration / 4, 50) as sklearn 1.2 */
    double theta;          /* Barnes-Hut opening angle: 0.5; TSNE_THETA_EXACT: exact sum */
    double momentum;       /* during exaggeration: 0.5 */
    double final_momentum; /* after it, and the whole of a warm run: 0.8 */
    double min_gain;       /* 0.01 */
    bool warm;             /* refine the caller's coordinates: no exaggeration, momentum
                              final_momentum, coordinates used as given */
    int rescale;           /* 0 auto (cold: rescale the start so that column 0 has std 1e-4,
                              as sklearn's PCA init; warm: keep), 1 always, -1 never */
    uint64_t seed;         /* for tsne_init_random callers; 1 */
    Pool *pool;            /* borrowed; NULL runs on the caller */
    const atomic_int *cancel;  /* nonzero stops the run at the next iteration; may be NULL */
    TsneProgressFn progress;   /* may be NULL */
    void *ctx;
    int progress_every;    /* 50 */
} TsneDesc;

TsneDesc tsne_desc_defaults(const TsneDesc *d);

typedef struct Tsne {
    TsneDesc desc;     /* defaults filled in (learning_rate resolved) */
    int64_t n;
    int dims;
    TsneP p;           /* symmetric joint probabilities, sum 1 */
    /* after tsne_optimize */
    int iters_done;
    double kl;         /* KL(P || Q) of the last reported iteration (P not exaggerated) */
    bool cancelled;
    /* private: (n, dims) doubles each, kept between runs */
    double *y, *grad, *update, *gains, *rep;
    BhTree tree;
} Tsne;

/* Checks the graph (tsne_affinity_check), calibrates each row to desc.perplexity and
 * symmetrises. Fails (t zeroed) on bad input or no memory; e names the row. */
bool tsne_init(Tsne *t, const TsneDesc *d, const TsneGraph *g, Err *e);
void tsne_deinit(Tsne *t);

/* Runs desc.iterations from y ((n, dims) floats, row-major; on return the layout). Cold: the
 * exaggerated phase first, the start rescaled per desc.rescale. Warm: the caller's layout
 * refined in place. Fails on a non-finite start, a layout that stopped being finite (e names
 * the iteration), or no memory: y is then untouched. A cancel (flag or progress returning
 * false) is not an error: y holds the layout reached, t->cancelled is set. */
bool tsne_optimize(Tsne *t, float *y, Err *e);

/* The gradient of KL(P * exaggeration || Q) at y ((n, dims) floats) into grad ((n, dims)
 * doubles), with theta as TsneDesc.theta (TSNE_THETA_EXACT: exact). *kl (may be NULL)
 * receives KL(P || Q) at y. For tests and diagnostics. */
bool tsne_gradient(Tsne *t, const float *y, double exaggeration, double theta, double *grad,
                   double *kl, Err *e);

/* y ((n, dims) floats) = N(0, 1e-4^2) from seed, as sklearn's random init. */
void tsne_init_random(float *y, int64_t n, int dims, uint64_t seed);
/* Scales y so that column 0 has standard deviation `target` (1e-4 in sklearn's PCA init);
 * leaves y alone when column 0 is constant. */
void tsne_scale_init(float *y, int64_t n, int dims, double target);

#endif
