/* TrainPos: where one trainer thread stands between two sentences (its epoch, how far into its
 * shard, its random stream, its counters), which is all a checkpoint needs besides the
 * matrices to continue the thread exactly. A plain value; the trainer and ckpt.c copy it
 * under the trainer's mutex. */
#ifndef EMBEDSCOPE_TRAINPOS_H
#define EMBEDSCOPE_TRAINPOS_H
#include <stdint.h>

typedef struct TrainPos {
    int epoch;            /* the epoch under way; TrainDesc.iter once the thread has finished */
    uint64_t at;          /* word ids and line ends of that epoch consumed (IdSource.at) */
    uint64_t rng;         /* the thread's xorshift64* state (never 0) */
    uint64_t words;       /* corpus words published in ThreadState.words */
    uint64_t since_count; /* words read since the last publication */
    uint64_t pair_i;      /* training steps so far (every LOSS_EVERY-th computes the loss) */
    double loss_sum;      /* the thread's moving loss: sum and count */
    uint64_t loss_n;
    double pub_loss_sum;  /* the loss last published in ThreadState */
    uint64_t pub_loss_n;
} TrainPos;

#endif
