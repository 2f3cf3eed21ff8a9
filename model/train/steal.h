/* Balancing (Trainer.balance): a trainer thread done with its epochs takes the second half of
 * what another thread has left of a replayed epoch, so that the threads end together. The
 * threads publish the source they read under their steal_mu (steal_set_cur); the taker splits
 * it there (ids_split) and trains the range through a view of the other thread's recording. */
#ifndef EMBEDSCOPE_STEAL_H
#define EMBEDSCOPE_STEAL_H
#include "model/train/ids.h"
#include "model/train/trainer_state.h"
#include <stdbool.h>

/* The thread's source from now on (NULL: none), where a taker can see it; nothing unless
 * balancing. */
void steal_set_cur(ThreadState *ts, IdSource *src);
/* A thread done with its epochs: the second half of the range of the thread with the most
 * left, into view (ids_view). False: nothing worth taking. */
bool steal_take(ThreadState *ts, IdSource *view);

#endif
