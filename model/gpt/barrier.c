/* The session's step barrier: see barrier.h. A round counter tells the threads of one round
 * from those of the next, so a fast thread that comes back for the next round cannot release
 * the slow ones of this round twice. Any of the session's threads. */
#include "model/gpt/barrier.h"

void gptb_init(GptBarrier *b, int n)
{
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    b->n = n, b->waiting = 0, b->round = 0, b->aborted = false;
}

void gptb_deinit(GptBarrier *b)
{
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
}

bool gptb_wait(GptBarrier *b)
{
    pthread_mutex_lock(&b->mu);
    uint64_t round = b->round;
    if (++b->waiting == b->n) {
        b->waiting = 0;
        b->round++;
        pthread_cond_broadcast(&b->cv);
    }
    while (round == b->round && !b->aborted)
        pthread_cond_wait(&b->cv, &b->mu);
    bool ok = !b->aborted;
    pthread_mutex_unlock(&b->mu);
    return ok;
}

void gptb_abort(GptBarrier *b)
{
    pthread_mutex_lock(&b->mu);
    b->aborted = true;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}
