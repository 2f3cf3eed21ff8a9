/* The training threads: each reads its shard of the corpus epoch by epoch, subsamples it and
 * trains every sentence on the shared matrices without locks (Hogwild). trainer_start starts
 * worker_main on each ThreadState; the schedule functions may be called from any thread. */
#ifndef EMBEDSCOPE_WORKER_H
#define EMBEDSCOPE_WORKER_H
#include "model/train/trainer_state.h"

/* pthread entry point; arg is the thread's ThreadState. Returns NULL. */
void *worker_main(void *arg);
/* Corpus words read so far by all threads (a relaxed sum of their counters). */
uint64_t worker_words_done(const Trainer *t);
/* The learning rate after `done` words: alpha_base decayed linearly to 1e-4 of it at the end
 * of the last epoch, as word2vec.c; worker_decay is the fraction of alpha_base. */
double worker_decay(const Trainer *t, uint64_t done);
double worker_alpha(const Trainer *t, uint64_t done);
/* Holds every running thread at its next point between two sentences (a paused thread where
 * it waits) and returns once all are held, each one's place in ts[i].pos; threads that ended
 * left theirs there too. Until worker_release nobody writes the matrices. False (released,
 * e filled) when a thread failed or the run was stopped meanwhile, or another hold is on.
 * Any thread but a trainer's. */
bool worker_hold(Trainer *t, Err *e);
void worker_release(Trainer *t);

#endif
