/* A training session: word2vec skip-gram / CBOW with negative sampling (and optional
 * hierarchical softmax) over a Corpus, run by background threads. Any thread may call the
 * control and progress functions; trainer threads own the matrices (Hogwild among
 * themselves) and everyone else reads vectors only through trainer_copy_rows and
 * trainer_export. The settings (TrainDesc and its parameter table) are in train_desc.h. */
#ifndef EMBEDSCOPE_TRAIN_H
#define EMBEDSCOPE_TRAIN_H
#include "model/text/corpus.h"
#include "model/train/train_desc.h"
#include "model/vectors/embed.h"
#include "model/base/err.h"
#include "model/text/vocab.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct TrainProgress {
    uint64_t words_done;   /* corpus words read (before subsampling), all threads */
    uint64_t words_total;  /* iter * vocab.total */
    double words_per_sec;  /* recent rate (all threads) */
    double alpha;          /* current learning rate */
    /* threads that may still finish a step at the rate before the last trainer_set_alpha:
     * they have not passed a sentence boundary since (0 once the new rate holds everywhere) */
    int rate_pending;
    double loss;           /* running mean of -log sigmoid terms per trained pair */
    double elapsed;        /* seconds of training (pauses excluded) */
    int epoch;             /* 0-based epoch of the slowest thread */
    int epochs;
    int running, paused, finished, stopped;
    uint64_t ranges_taken; /* trainer_set_balance: ranges a thread took from another */
} TrainProgress;

typedef struct Trainer Trainer;

/* The bound r of syn0's start, uniform in [-r, r), for rows of dim floats (see train.c). */
float trainer_init_range(int dim);

/* Builds a session over corpus c with vocabulary v (moved into the trainer: v is left empty).
 * Allocates and randomly initialises the matrices; does not start threads. */
Trainer *trainer_create(const TrainDesc *d, const Corpus *c, Vocab *v, Err *e);
void trainer_destroy(Trainer *t); /* stops and joins first; NULL is fine */
bool trainer_start(Trainer *t, Err *e);
/* Each thread stops after the sentence under way. Before trainer_start: the threads start
 * paused, each after its first sentence. */
void trainer_pause(Trainer *t);
void trainer_resume(Trainer *t);
void trainer_stop(Trainer *t);  /* asks threads to stop and joins them */
void trainer_wait(Trainer *t);  /* joins until the run ends */
/* Waits until every thread has ended (true) or seconds have passed (false), whichever is
 * first: a front end's loop wakes at once when the run is over instead of sleeping on. */
bool trainer_wait_for(Trainer *t, double seconds);
/* True (and e filled) when a thread stopped on an error, e.g. a read error in the corpus. */
bool trainer_error(const Trainer *t, Err *e);
/* Before trainer_start: this process is rank `rank` of `nranks` that train one model together
 * (model/train/dist.h syncs them). Its threads read shards rank * threads + i of
 * nranks * threads, progress counts this rank's share, and the learning rate decays with the
 * ranks' combined progress (taken as nranks times this one's). Rows from touch_from on get a
 * touched flag for the synchronisation. */
bool trainer_set_ranks(Trainer *t, int rank, int nranks, int64_t touch_from, Err *e);
/* Before trainer_start: the ids that counting the corpus recorded (corpus_count_ids over the
 * vocabulary given to trainer_create, one shard per thread), so that the first epoch replays
 * them instead of tokenising the file again. Takes ids' arrays (ids is left empty). Unused
 * and freed when they do not fit this run: another number of shards, several ranks, a
 * resumed run, a built-in corpus. */
void trainer_adopt_ids(Trainer *t, CorpusIds *ids);
/* Before trainer_start: when on, a thread that has trained all its epochs takes over the second
 * half of what another thread has left of its epoch (when that one replays recorded ids), so
 * the threads end together instead of one finishing alone. A taken range's place is not in
 * any thread's TrainPos, so such a run cannot be held: checkpoints and ranks' synchronisations
 * fail with a message. For a front end that takes neither (the command line without
 * -checkpoint or mpirun). */
bool trainer_set_balance(Trainer *t, bool on, Err *e);
/* Overrides the learning rate from now on (decay continues from this value); < 0 clears.
 * Every step begun after the call uses it; steps under way finish at the old rate
 * (TrainProgress.rate_pending says when none is left). */
void trainer_set_alpha(Trainer *t, double alpha);
TrainProgress trainer_progress(const Trainer *t);
const TrainDesc *trainer_desc(const Trainer *t);  /* the values really in use */
const Vocab *trainer_vocab(const Trainer *t);
int trainer_dim(const Trainer *t);
/* Copies syn0 rows into dst ((rows, stride) floats). While threads run the copy is a Hogwild
 * read (each float is whole, rows may mix two updates). */
void trainer_copy_rows(const Trainer *t, float *dst, int stride);
/* Copies vocabulary and vectors into out (emb_init'ed or empty). */
bool trainer_export(const Trainer *t, Embeddings *out, Err *e);

#endif
