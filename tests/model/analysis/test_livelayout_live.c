/* The live layout on the analysis thread over a real trainer (the demo world): asked for
 * before training starts, no layout is made of the random start (the progress says it waits
 * for training); once words are trained, snapshots carry a t-SNE in 3D made for that request,
 * then refinements of it. Under TSan too: the trainer, the analysis thread and this one. */
#include "model/analysis/live.h"
#include "tests/test.h"
#include "tests/test_world.h"
#include <math.h>
#include <string.h>
#include <time.h>

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The latest snapshot once ok(f) holds, waiting up to 180 s (sanitizers, a shared machine). */
static const LiveSnapshot *wait_for(Live *a, bool (*ok)(const LiveSnapshot *, uint64_t), uint64_t arg)
{
    for (int i = 0; i < 18000; i++) {
        const LiveSnapshot *f = live_acquire(a);
        if (f && ok(f, arg))
            return f;
        sleep_ms(10);
    }
    return NULL;
}

static bool has_request(const LiveSnapshot *f, uint64_t req) { return f->layout_request == req; }
static bool refined(const LiveSnapshot *f, uint64_t req) { return f->layout_request == req && f->layout_warm; }
static bool waiting(const LiveSnapshot *f, uint64_t seq) { return f->seq >= seq; }

TEST(no_layout_of_the_random_start_then_tsne_3d_refined)
{
    Corpus c;
    Err e = {{0}};
    Trainer *t = test_world_trainer(&c, 16, 50, &e);
    CHECKF(t, "%s", e.msg);
    Live *a = live_create(&(LiveSource){.trainer = t}, NULL, NULL, &e);
    CHECKF(a, "%s", e.msg);
    uint64_t req = live_set_layout(a, &(LiveLayoutDesc){.kind = LIVELAY_TSNE, .dims = 3, .perplexity = 5,
                                                         .epochs = 40, .warm_epochs = 10, .seed = 2});
    CHECK(req >= 1);
    /* the snapshot made after the request (live_set_layout pokes): words 0, no layout */
    const LiveSnapshot *f = wait_for(a, waiting, 2);
    CHECK(f && f->prog.words_done == 0 && f->layout_kind == LIVELAY_NONE && f->layout_request == 0);
    LiveLayoutProgress p = live_layout_progress(a);
    CHECKF(p.busy && strstr(p.stage, "waiting for training"), "busy %d stage '%s'", p.busy, p.stage);
    CHECKF(trainer_start(t, &e), "%s", e.msg);
    f = wait_for(a, has_request, req);
    CHECK(f);
    if (f) {
        CHECK(f->layout_kind == LIVELAY_TSNE && f->layout_dims == 3 && f->prog.words_done > 0 && f->layout);
        double z = 0;
        bool finite = true;
        for (int64_t i = 0; i < f->rows; i++) {
            z += fabs(f->layout[i * 3 + 2]);
            finite = finite && isfinite(f->layout[i * 3]) && isfinite(f->layout[i * 3 + 1]);
        }
        CHECK(finite && z > 0);
    }
    f = wait_for(a, refined, req);
    CHECK(f && f->layout_builds >= 2 && f->layout_moved >= 0 && f->layout_moved < 1 && f->layout_epochs >= 10);
    CHECK(!live_layout_progress(a).error[0]);
    trainer_stop(t);
    live_destroy(a);
    trainer_destroy(t);
    corpus_close(&c);
}
