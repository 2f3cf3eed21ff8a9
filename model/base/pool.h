/* The one thread pool: persistent workers for data-parallel jobs (the UI thread's per-point
 * projection and splatting, the analysis thread's PCA and k-means passes, word counting by
 * shards). Created once and woken per job: no thread is made per call, and idle workers sleep
 * on a condition variable so the cores stay with the trainers. A pool is borrowed by one
 * thread at a time, which calls pool_run; the job's tasks run on the workers and on that
 * caller. Two threads that fan out at the same time use two pools. */
#ifndef EMBEDSCOPE_POOL_H
#define EMBEDSCOPE_POOL_H

#define POOL_MAX_THREADS 16

typedef struct Pool Pool;

/* One task of a job: task in [0, ntasks). Tasks of a job run concurrently and must write to
 * disjoint memory. */
typedef void (*PoolTask)(void *ctx, int task);

/* threads counts the caller: threads - 1 workers are started (1: none, everything runs on the
 * caller). threads <= 0: the online CPUs, at most POOL_MAX_THREADS. NULL when out of memory or
 * no thread could be started; a NULL pool is valid everywhere and runs tasks on the caller. */
Pool *pool_create(int threads);
void pool_destroy(Pool *p); /* joins the workers; NULL is fine */
/* Threads that run a job's tasks (1 for NULL). */
int pool_threads(const Pool *p);
/* Runs fn(ctx, 0 .. ntasks-1) across the pool; returns when every task has finished, with
 * their writes visible to the caller. */
void pool_run(Pool *p, PoolTask fn, void *ctx, int ntasks);

#endif
