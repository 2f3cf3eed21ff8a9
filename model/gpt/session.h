/* A training session of the small transformer (model.h) over a GptText: background threads,
 * data parallel over the batch (each thread its own sequences and activations; gradients kept
 * in groups fixed by the batch size and summed in group order, so a seed gives the same bits on
 * any number of threads; then one AdamW step split by ranges), with controls like
 * the word trainer's (start, pause, step, reset, live learning rate) and published snapshots
 * (the position and token tables, the loss, its curve and the smoothness measures) for a UI.
 * Any thread may call the controls and gptt_progress; one reader thread calls gptt_acquire.
 * The training threads own the model; nobody else reads it but through a snapshot. */
#ifndef EMBEDSCOPE_GPT_SESSION_H
#define EMBEDSCOPE_GPT_SESSION_H
#include "model/base/err.h"
#include "model/gpt/adamw.h"
#include "model/gpt/model.h"
#include "model/gpt/posstats.h"
#include "model/gpt/text.h"
#include <stdbool.h>
#include <stdint.h>

/* Zero means default (gptt_desc_defaults). */
typedef struct GptTrainDesc {
    GptDesc model;         /* model.vocab is set from the text; model.seed also seeds batches */
    GptAdamWDesc opt;
    int batch;             /* sequences of max_len + 1 tokens per step: 8 */
    double lr;             /* constant (no schedule) unless gptt_set_lr: 3e-3 */
    int threads;           /* training threads: the online CPUs; at most gptm_grad_groups(batch) */
    int64_t max_steps;     /* finish after this many steps; 0: until stopped */
    double max_seconds;    /* finish after this much training time; 0: no limit */
    bool stop_when_smooth; /* finish at the first smooth table (gptp_smooth, tried every 10 steps) */
    int curve_points;      /* loss curve capacity, halved by merging pairs when full: 512 */
    double publish_ms;     /* at most one snapshot per this many ms while running: 50 */
    /* Called after each snapshot is published, by the thread that published it (a training
     * thread, or the caller of gptt_create / gptt_reset): the window pushes a wake-up event
     * from it (gui_wake). NULL: none. */
    void (*on_publish)(void *ctx);
    void *publish_ctx;
} GptTrainDesc;

GptTrainDesc gptt_desc_defaults(const GptTrainDesc *d);

typedef struct GptProgress {
    int64_t step;          /* optimiser steps done */
    uint64_t tokens;       /* predicted tokens: step * batch * max_len */
    double elapsed;        /* seconds of training (pauses excluded) */
    double tokens_per_sec;
    double loss;           /* mean batch loss of the last (up to) 50 steps, nats; NAN before one */
    double lr;
    int64_t smooth_step;   /* first step found smooth, -1 until then */
    double smooth_seconds; /* training time when it was found, NAN until then */
    bool running, paused, finished;
} GptProgress;

/* A published snapshot: never changes while held. */
typedef struct GptSnap {
    GptProgress progress;
    GptPosStats pos;       /* of wpe, PC1 share included */
    double unigram_loss, bigram_loss; /* the text's baselines (GptText), nats per token */
    int rows, dim, vocab;  /* rows = max_len */
    float *wpe;            /* (rows, dim) */
    float *wte;            /* (vocab, dim), token id order (GptText.byte_of) */
    int ncurve;            /* points of the loss curve: */
    float *curve_step;     /* (ncurve) the last step of each point's span */
    float *curve_loss;     /* (ncurve) mean batch loss over the span */
} GptSnap;

typedef struct GptTrain GptTrain;

/* A session over text (moved in: text is left empty, also on failure). Checks everything
 * (the text holds max_len + 1 tokens, the shape, the memory of model + threads), allocates,
 * initialises and publishes the step-0 snapshot; starts no thread. NULL with e on failure. */
GptTrain *gptt_create(const GptTrainDesc *d, GptText *text, Err *e);
void gptt_destroy(GptTrain *s); /* stops and joins first; NULL is fine */
bool gptt_start(GptTrain *s, Err *e); /* also after a finish or stop: trains on */
void gptt_pause(GptTrain *s);
void gptt_resume(GptTrain *s);
/* While paused: runs n more steps, then is paused again (a snapshot follows each). */
void gptt_step(GptTrain *s, int n);
void gptt_stop(GptTrain *s);  /* asks the threads to stop after this step and joins them */
void gptt_wait(GptTrain *s);  /* joins when the run finishes (max_steps, max_seconds, smooth) */
/* Stops, draws the initial parameters again, forgets the moments, the step count and the
 * curve, publishes the step-0 snapshot, and starts again if it was running. */
bool gptt_reset(GptTrain *s, Err *e);
void gptt_set_lr(GptTrain *s, double lr); /* from the next step on */
GptProgress gptt_progress(const GptTrain *s);
/* The latest snapshot, held until the next call (the reader thread's only). */
const GptSnap *gptt_acquire(GptTrain *s);
/* True (e filled) when training stopped on an error (a loss that is not finite). */
bool gptt_error(const GptTrain *s, Err *e);
const GptTrainDesc *gptt_desc(const GptTrain *s); /* the values in use */
const GptText *gptt_text(const GptTrain *s);

/* Parameters (ntensors tensors in gptm_tensor order) copied out when no thread runs: tests
 * and the reference dump. false while threads run. */
bool gptt_copy_params(const GptTrain *s, float *dst, size_t n);

#endif
