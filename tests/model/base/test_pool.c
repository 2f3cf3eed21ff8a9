/* The pool as model/ borrows it: tasks' plain writes are visible to the caller when pool_run
 * returns, chunked sums match the one-thread loop bit for bit, and two threads fanning out at
 * once on two pools (the analysis thread and the UI thread) do not disturb each other. Meant
 * to run under ThreadSanitizer too. (Every-task-exactly-once is in tests/gui/test_proj.c.) */
#include "model/base/pool.h"
#include "tests/test.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

enum { N = 100003, CHUNKS = 7 };

typedef struct Job {
    const float *x;        /* (N) */
    double part[CHUNKS];   /* per-chunk sums, plain (not atomic) writes */
    int chunks;
} Job;

static void sum_task(void *ctx, int t)
{
    Job *j = ctx;
    int64_t r0 = (int64_t)N * t / j->chunks, r1 = (int64_t)N * (t + 1) / j->chunks;
    double s = 0;
    for (int64_t r = r0; r < r1; r++)
        s += j->x[r];
    j->part[t] = s;
}

/* The chunks' sums added in chunk order: what pca.c and kmeans.c do. */
static double chunked_sum(Pool *p, const float *x, int chunks)
{
    Job j = {.x = x, .chunks = chunks};
    pool_run(p, sum_task, &j, chunks);
    double s = 0;
    for (int t = 0; t < chunks; t++)
        s += j.part[t];
    return s;
}

static float *data(void)
{
    float *x = malloc(sizeof(float) * N);
    uint64_t s = 1;
    for (int i = 0; x && i < N; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        x[i] = (float)(s >> 40) / (float)(1u << 24) - 0.5f;
    }
    return x;
}

TEST(chunked_sums_do_not_depend_on_the_pool)
{
    float *x = data();
    CHECK(x);
    double ref = chunked_sum(NULL, x, CHUNKS);
    for (int threads = 1; threads <= 4; threads++) {
        Pool *p = pool_create(threads);
        CHECK(p && pool_threads(p) == threads);
        for (int rep = 0; rep < 50; rep++)
            CHECK(chunked_sum(p, x, CHUNKS) == ref);
        pool_destroy(p);
    }
    free(x);
}

typedef struct Fan {
    const float *x;
    double ref;
    int bad;
} Fan;

static void *fan_out(void *arg)
{
    Fan *f = arg;
    Pool *p = pool_create(2);
    for (int rep = 0; rep < 200; rep++)
        f->bad += chunked_sum(p, f->x, CHUNKS) != f->ref;
    pool_destroy(p);
    return NULL;
}

TEST(two_threads_on_two_pools)
{
    float *x = data();
    CHECK(x);
    double ref = chunked_sum(NULL, x, CHUNKS);
    Fan a = {x, ref, 0}, b = {x, ref, 0};
    pthread_t ta, tb;
    CHECK(pthread_create(&ta, NULL, fan_out, &a) == 0);
    CHECK(pthread_create(&tb, NULL, fan_out, &b) == 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK(a.bad == 0 && b.bad == 0);
    free(x);
}
