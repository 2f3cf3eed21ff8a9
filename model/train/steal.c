/* Balancing the threads' ends: see steal.h. */
#include "model/train/steal.h"
#include <time.h>

/* Balancing: another thread's range is split only while it has this many ids left (at 4M
 * words/s a thread, 5 ms of work): the last splits are not worth their cache misses */
#define STEAL_MIN 20000

/* The thread's source from now on (NULL: none), where a balancing thread can see it. */
void steal_set_cur(ThreadState *ts, IdSource *src)
{
    if (!ts->t->balance)
        return;
    pthread_mutex_lock(&ts->steal_mu);
    ts->cur = src;
    ts->began |= src != NULL;
    pthread_mutex_unlock(&ts->steal_mu);
}

/* The other thread with the most replayed ids left in its current source, into *best (NULL:
 * none), and how many; *late: some other thread has not begun reading yet. One lock at a
 * time, so two threads looking at each other cannot deadlock. */
static size_t most_left(ThreadState *ts, ThreadState **best, bool *late)
{
    Trainer *t = ts->t;
    size_t most = 0;
    *best = NULL;
    *late = false;
    for (int i = 0; i < t->nthreads; i++) {
        ThreadState *v = &t->ts[i];
        if (v == ts)
            continue;
        pthread_mutex_lock(&v->steal_mu);
        IdSource *c = v->cur;
        size_t left = c && c->state == IDS_REPLAYING && c->pos < c->end ? c->end - c->pos : 0;
        *late |= !v->began && !v->ended;
        pthread_mutex_unlock(&v->steal_mu);
        if (left > most) {
            most = left;
            *best = v;
        }
    }
    return most;
}

/* A thread done with its epochs: takes the second half of what the thread with the most left
 * has (ids_split) into view, a source over that thread's recording. False: nothing worth
 * taking. A thread that has not begun reading yet (started late, while a small shard was
 * trained through) is waited for: its whole shard is still to come. */
bool steal_take(ThreadState *ts, IdSource *view)
{
    Trainer *t = ts->t;
    ThreadState *best;
    bool late;
    size_t most;
    while ((most = most_left(ts, &best, &late)) < STEAL_MIN && late && !atomic_load(&t->stop))
        nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);
    if (most < STEAL_MIN)
        return false;
    size_t from = 0, to = 0;
    int32_t *ids = NULL;
    pthread_mutex_lock(&best->steal_mu);
    bool got = best->cur && ids_split(best->cur, STEAL_MIN, &from, &to);
    if (got)
        ids = best->cur->ids;
    pthread_mutex_unlock(&best->steal_mu);
    if (got) {
        ids_view(view, t->corpus, &t->vocab, ids, from, to);
        atomic_fetch_add(&t->taken, 1);
    }
    return got;
}
