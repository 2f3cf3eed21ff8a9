/* The session's step barrier (model/gpt/barrier.c): rounds keep threads in step, and calling
 * it off releases a thread that waits for partners that will never come. Threads: this test's
 * own. */
#include "model/gpt/barrier.h"
#include "tests/test.h"
#include <stdatomic.h>

#define ROUNDS 2000

typedef struct Ctx {
    GptBarrier b;
    int slots[2]; /* each thread writes its own, reads the other's after the barrier */
    _Atomic int mismatches;
    bool result;
} Ctx;

static void *stepper(void *arg)
{
    Ctx *c = arg;
    for (int r = 1; r <= ROUNDS; r++) {
        c->slots[1] = r;
        gptb_wait(&c->b);
        if (c->slots[0] != r)
            atomic_fetch_add(&c->mismatches, 1);
        gptb_wait(&c->b); /* nobody writes round r + 1 before both have read round r */
    }
    return NULL;
}

TEST(rounds_keep_two_threads_in_step)
{
    Ctx c = {.mismatches = 0};
    gptb_init(&c.b, 2);
    pthread_t th;
    CHECK(pthread_create(&th, NULL, stepper, &c) == 0);
    int bad = 0;
    for (int r = 1; r <= ROUNDS; r++) {
        c.slots[0] = r;
        gptb_wait(&c.b);
        bad += c.slots[1] != r;
        gptb_wait(&c.b);
    }
    pthread_join(th, NULL);
    gptb_deinit(&c.b);
    CHECK(bad == 0 && atomic_load(&c.mismatches) == 0);
}

static void *lonely(void *arg)
{
    Ctx *c = arg;
    c->result = gptb_wait(&c->b);
    return NULL;
}

TEST(abort_releases_a_waiting_thread)
{
    Ctx c = {.result = true};
    gptb_init(&c.b, 3); /* three expected, one comes */
    pthread_t th;
    CHECK(pthread_create(&th, NULL, lonely, &c) == 0);
    gptb_abort(&c.b);
    pthread_join(th, NULL);
    CHECK(!c.result);
    CHECK(!gptb_wait(&c.b)); /* and any later wait returns at once */
    gptb_deinit(&c.b);
}
