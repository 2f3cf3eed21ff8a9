/* The transformer session's step barrier: n threads meet, and it can be called off, so a
 * session whose k-th thread fails to start can release the k - 1 already waiting
 * (pthread_barrier_t cannot). Mutex and condition variable: what ThreadSanitizer understands.
 * The n threads of one session use it; gptb_abort from any thread. */
#ifndef EMBEDSCOPE_GPT_BARRIER_H
#define EMBEDSCOPE_GPT_BARRIER_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct GptBarrier {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n, waiting;
    uint64_t round;
    bool aborted;
} GptBarrier;

void gptb_init(GptBarrier *b, int n);
void gptb_deinit(GptBarrier *b);
/* Waits until n threads have called it this round. false when the barrier was called off:
 * the caller must leave. Everything written before the call is visible after it. */
bool gptb_wait(GptBarrier *b);
void gptb_abort(GptBarrier *b);

#endif
