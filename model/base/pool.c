/* Persistent worker threads (see pool.h). A job is published under the mutex with a new
 * generation number; workers and the caller take tasks from an atomic counter. A worker joins
 * a job only while it is open: once the caller has run out of tasks it closes the job and waits
 * just for the workers inside it, so a worker that the scheduler has not woken yet (the cores
 * busy with trainers) never delays a frame; the caller has then simply done more tasks. */
#include "model/base/pool.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

struct Pool {
    pthread_mutex_t mu;
    pthread_cond_t wake;    /* a new job or stop */
    pthread_cond_t done;    /* busy reached 0 */
    pthread_t th[POOL_MAX_THREADS];
    int nworkers;
    /* the current job; written under mu before gen changes */
    uint64_t gen;
    PoolTask fn;
    void *ctx;
    int ntasks;
    bool open;              /* workers may still join the current job */
    int busy;               /* workers inside the current job */
    bool stop;
    atomic_int next;        /* next task to take */
};

static void take_tasks(Pool *p, PoolTask fn, void *ctx, int ntasks)
{
    for (int t; (t = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed)) < ntasks;)
        fn(ctx, t);
}

static void *worker(void *arg)
{
    Pool *p = arg;
    uint64_t seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->gen == seen)
            pthread_cond_wait(&p->wake, &p->mu);
        if (p->stop)
            break;
        seen = p->gen;
        if (!p->open)
            continue; /* woken too late: the caller already did every task */
        PoolTask fn = p->fn;
        void *ctx = p->ctx;
        int n = p->ntasks;
        p->busy++;
        pthread_mutex_unlock(&p->mu);
        take_tasks(p, fn, ctx, n);
        pthread_mutex_lock(&p->mu);
        if (--p->busy == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

Pool *pool_create(int threads)
{
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n : 1;
    }
    if (threads > POOL_MAX_THREADS)
        threads = POOL_MAX_THREADS;
    Pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    atomic_init(&p->next, 0);
    if (pthread_mutex_init(&p->mu, NULL) != 0)
        goto fail_mu;
    if (pthread_cond_init(&p->wake, NULL) != 0)
        goto fail_wake;
    if (pthread_cond_init(&p->done, NULL) != 0)
        goto fail_done;
    for (int i = 0; i < threads - 1; i++) {
        if (pthread_create(&p->th[i], NULL, worker, p) != 0)
            break; /* fewer workers is still a working pool */
        p->nworkers++;
    }
    if (threads > 1 && p->nworkers == 0) {
        pool_destroy(p);
        return NULL;
    }
    return p;
fail_done:
    pthread_cond_destroy(&p->wake);
fail_wake:
    pthread_mutex_destroy(&p->mu);
fail_mu:
    free(p);
    return NULL;
}

void pool_destroy(Pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nworkers; i++)
        pthread_join(p->th[i], NULL);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

int pool_threads(const Pool *p) { return p ? p->nworkers + 1 : 1; }

void pool_run(Pool *p, PoolTask fn, void *ctx, int ntasks)
{
    if (!p || p->nworkers == 0 || ntasks <= 1) {
        for (int t = 0; t < ntasks; t++)
            fn(ctx, t);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->ctx = ctx;
    p->ntasks = ntasks;
    p->open = true;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    p->gen++;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    take_tasks(p, fn, ctx, ntasks);
    pthread_mutex_lock(&p->mu);
    p->open = false;
    while (p->busy > 0)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}
