/* The explorer's analysis thread: every ~250 ms (for big vocabularies it rests three times
 * its build time) it copies the trainer's vectors (or, for fixed vectors loaded from a file,
 * takes them once), updates the PCA warm from the last basis,
 * projects every word to 3D, clusters the vectors (spherical k-means, warm so ids and colours
 * stay put) and builds the cosine index, then publishes the result as an immutable LiveSnapshot
 * (the slots of a Pub, publish.h: the one the UI holds, the one being filled, the latest).
 * Created and destroyed by the UI thread, which only reads published snapshots. */
#ifndef EMBEDSCOPE_LIVE_H
#define EMBEDSCOPE_LIVE_H
#include "model/analysis/livelayout.h"
#include "model/base/err.h"
#include "model/vectors/knn.h"
#include "model/vectors/embed.h"
#include "model/train/train.h"
#include <stdbool.h>
#include <stdint.h>

#define LIVE_MAX_CLUSTERS 8

typedef struct LiveSnapshot {
    uint64_t seq;          /* 1, 2, ...: publication number */
    int64_t rows;
    float *xyz;            /* (rows, 3) coordinates on PC1..PC3 */
    int16_t *cluster;      /* (rows) cluster id in 0..nclusters-1 */
    int nclusters;
    char legend[LIVE_MAX_CLUSTERS][64]; /* most typical words (model/analysis/typical.h) of each cluster */
    int64_t cluster_size[LIVE_MAX_CLUSTERS];
    KnnIndex knn;          /* unit vectors of this snapshot, for neighbours and analogies */
    double explained[3];   /* fraction of the variance on PC1..PC3 */
    float centre[3], radius; /* of the projected cloud (RMS radius) */
    TrainProgress prog;    /* trainer state when the vectors were copied (read after the copy) */
    uint64_t words_before; /* the trainer's word count read just before the copy began: a
                            * setting changed before the trainer counted past it held for
                            * the whole copy */
    double build_ms;       /* time taken by the analysis */
    /* the latest analogy evaluation (liveeval.h), made in the background on an earlier snapshot:
     * accuracy is NaN and eval_runs 0 until the first one */
    double accuracy;
    uint64_t accuracy_words; /* prog.words_done of the snapshot it was made on */
    uint64_t eval_runs;
    double eval_ms;          /* its duration */
    int64_t eval_answered, eval_questions; /* of the (thinned) questions evaluated */
    int64_t eval_file_questions;           /* in the whole set */
    /* the neighbour layout asked for with live_set_layout (livelayout.h), of these vectors */
    float *layout;         /* (rows, 3), z = 0 in 2D; NULL until one is made */
    LiveLayoutKind layout_kind; /* LIVELAY_NONE: no layout in this snapshot */
    int layout_dims;
    uint64_t layout_builds;  /* layouts made so far in this session */
    bool layout_warm;        /* refined from the previous one */
    bool layout_sampled;     /* a sample's layout, the other rows placed from it (a big table's
                                UMAP until the vectors stop moving: livelayout.h) */
    double layout_ms, layout_moved; /* its time; its median move over its extent */
    double layout_graph_ms;  /* of layout_ms, the kNN graph's */
    int layout_epochs;       /* its UMAP epochs or t-SNE iterations */
    uint64_t layout_request; /* the live_set_layout call it was made for (0: none) */
} LiveSnapshot;

/* A layout being made, for a progress bar. */
typedef struct LiveLayoutProgress {
    bool busy;
    char stage[48];        /* "graph", "refine", "umap", "t-SNE", "sample N of M: graph" (and
                              ": UMAP", "placing R rows", "full graph of M rows", "full UMAP of M
                              rows": a big table's sampled start, sampled.h), "waiting for training" (a
                              trainer's vectors are not laid out before 2% of the first epoch:
                              a layout of the random start is slow and shows nothing) */
    double fraction;       /* of the stage */
    char error[160];       /* the last layout that failed, "" when none */
} LiveLayoutProgress;

typedef struct Live Live;

/* What is analysed: exactly one of the two. */
typedef struct LiveSource {
    Trainer *trainer;          /* live training: vectors copied on every tick that saw words */
    const Embeddings *table;   /* fixed vectors: analysed once (and again on live_poke);
                                  must stay alive and unchanged until live_destroy */
    const char *questions;     /* analogy questions evaluated on snapshots on a 5% budget: a
                                  questions-words.txt path, "@world" (the demo world's) or NULL
                                  (none); EMBEDSCOPE_CURVES_EVAL=0 in the environment turns it
                                  off (benchmarks) */
} LiveSource;

/* Starts the thread; the first snapshot is built at once (for a trainer that has not started,
 * from its random initialisation). on_publish(ctx) is called from the analysis thread after
 * each publication (the UI pushes a wake-up event from it). */
Live *live_create(const LiveSource *src, void (*on_publish)(void *), void *ctx, Err *e);
void live_destroy(Live *a); /* stops and joins; NULL is fine */
/* The latest published snapshot (NULL before the first). It stays valid and unchanged until the
 * next call. */
const LiveSnapshot *live_acquire(Live *a);
/* Which neighbour layout snapshots carry from now on (kind LIVELAY_NONE: none, the default);
 * a layout being made with other settings is cancelled. Returns the request's number (1, 2,
 * ...), the layout_request of the snapshots whose layout is made for it (until then they
 * carry the last layout made, for an older request). Any thread. */
uint64_t live_set_layout(Live *a, const LiveLayoutDesc *d);
LiveLayoutProgress live_layout_progress(Live *a);
/* Asks for a new snapshot now (after pause, reset...) instead of at the next tick. */
void live_poke(Live *a);
/* Publications so far. */
uint64_t live_published(Live *a);
/* The last analysis error ("" when none). */
void live_error(Live *a, char *buf, size_t cap);

#endif
