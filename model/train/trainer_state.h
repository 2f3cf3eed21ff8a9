/* The trainer's state, shared by the files that make up a training session: train.c (life
 * cycle, control, progress, copies) and worker.c (the threads' loop). Types only; nothing
 * outside model/train includes this. Which thread may touch what is written beside each field. */
#ifndef EMBEDSCOPE_TRAINER_STATE_H
#define EMBEDSCOPE_TRAINER_STATE_H
#include "model/train/huffman.h"
#include "model/train/noise.h"
#include "model/train/sgns.h"
#include "model/base/err.h"
#include "model/text/corpus.h"
#include "model/text/vocab.h"
#include "model/train/train_desc.h"
#include "model/train/trainpos.h"
#include <pthread.h>
#include <stdatomic.h>

/* train.h's opaque type, named rather than included: train.c includes this file, and the
 * two headers must not include each other. */
typedef struct Trainer Trainer;

typedef struct ThreadState {
    Trainer *t;
    int id;
    pthread_t thread;
    int started;
    /* Written by the owning thread only; read by trainer_progress. Padded apart to avoid
     * false sharing between the threads' hot counters. */
    _Alignas(64) _Atomic uint64_t words;   /* words read (before subsampling) */
    _Atomic int epoch;
    _Atomic double loss_sum;
    _Atomic uint64_t loss_n;
    /* rate_seen: the Trainer.rate_gen the thread last read between two sentences; training:
     * the thread is in its loop and not parked in a pause or hold (trainer_progress's
     * rate_pending counts the training threads whose rate_seen is old). */
    _Atomic unsigned rate_seen;
    _Atomic int training;
    /* Under Trainer.mu. pos: where the thread starts (a fresh run: epoch 0 with its seeded
     * random stream; a resumed run: its saved place), then
     * where it stood when last held for a checkpoint or when it ended; held_gen: the hold it
     * last answered. */
    TrainPos pos;
    unsigned held_gen;
    /* trainer_adopt_ids's recording of this thread's shard, taken by the thread as it starts
     * (then NULL); freed by trainer_destroy if the thread never started. */
    int32_t *given;
    size_t given_n;
    /* Balancing (Trainer.balance): cur, the source the thread reads now (NULL between
     * epochs), and that source's position and end are under steal_mu, which the thread holds
     * while it reads a sentence and another thread while it takes half of what is left
     * (ids_split). kept: the thread's recording after it ended, which ranges taken from it
     * may still be read from; freed once every thread is joined. */
    pthread_mutex_t steal_mu;
    struct IdSource *cur;
    bool began, ended;  /* under steal_mu: cur was set once; the thread is done */
    int32_t *kept;
    char pad[64];
} ThreadState;

struct Trainer {
    TrainDesc d;
    const Corpus *corpus;
    Vocab vocab;
    int dim, stride;
    float *syn0;     /* (V, stride) input vectors: what users see. Row i is vocab word i. */
    float *syn1neg;  /* (V, stride) output vectors for negative sampling, zero-initialised */
    float *syn1;     /* (V, stride) inner-node vectors for hierarchical softmax */
    Huffman tree;    /* hierarchical softmax's paths */
    uint32_t *keep;  /* (V) subsampling: keep word i when rand32 < keep[i] */
    Noise noise;
    float sig[SGNS_TABLE_SIZE + 1];
    ThreadState *ts;
    int nthreads;

    /* The starting rate; trainer_set_alpha overrides it and then bumps rate_gen. Every step
     * reads alpha_base and scales it by its thread's decay (Work.decay), so that a new rate
     * has one writer and reaches the very next step: a shared current rate, rewritten by
     * every thread's report, could put back the old one for a while after a change. */
    _Atomic double alpha_base;
    _Atomic unsigned rate_gen;
    _Atomic int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int paused;        /* under mu */
    int running;       /* under mu: threads not yet joined */
    int active;        /* under mu: threads still training */
    double t_start, t_paused_total, t_pause_began, t_end; /* under mu; clock_s seconds */
    Err thread_err;    /* first error from a thread, under mu */
    int has_err;

    /* attn: set while paused or holding, so that threads stop at their next sentence boundary
     * (they poll it after every sentence). Holding the threads for a checkpoint (worker_hold):
     * holding, hold_gen and held (threads parked) are under mu, as attn's writes are. */
    _Atomic int attn;
    int holding, held;
    unsigned hold_gen;
    double elapsed_before; /* training seconds of the run before it was resumed */

    /* Several processes training one model (model/train/dist.c): this one is rank `rank` of
     * `nranks` (1 and 0 alone). touched: one byte per row from touch_from on, in two halves:
     * set to 1 by a thread that updates that row of syn0 (the first V - touch_from bytes) or of
     * syn1neg (the second); relaxed stores, swapped for zeros by dist's synchronisation. */
    int rank, nranks;
    _Atomic unsigned char *touched;
    int64_t touch_from;

    /* trainer_set_balance: a thread that has trained all its epochs takes the second half of
     * what another has left (replayed ids only), so the threads end together. Set before the
     * start; holds (checkpoints, ranks) are refused then. */
    bool balance;
    _Atomic uint64_t taken; /* ranges taken so far */
};

#endif
