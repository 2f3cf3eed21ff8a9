/* The explorer's analysis thread over a real trainer on the demo world: snapshots are published
 * in order, a held snapshot never changes while newer ones are published, and its contents are
 * sane (finite coordinates, cluster ids in range, an index over every word). */
#include "model/analysis/live.h"
#include "tests/test.h"
#include "tests/test_world.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static atomic_int wakeups;
static void on_publish(void *ctx)
{
    (void)ctx;
    atomic_fetch_add(&wakeups, 1);
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits up to 120 s (slow under sanitizers on a shared 2-core machine) for n publications. */
static bool wait_published(Live *a, uint64_t n)
{
    for (int i = 0; i < 12000 && live_published(a) < n; i++)
        sleep_ms(10);
    return live_published(a) >= n;
}

TEST(analysis_publishes_immutable_frames)
{
    Corpus c;
    Err e = {{0}};
    Trainer *t = test_world_trainer(&c, 16, 50, &e);
    CHECKF(t, "%s", e.msg);
    CHECKF(trainer_start(t, &e), "%s", e.msg);
    Live *a = live_create(&(LiveSource){.trainer = t}, on_publish, NULL, &e);
    CHECKF(a, "%s", e.msg);
    bool ok = wait_published(a, 1);
    const LiveSnapshot *f = live_acquire(a);
    int64_t rows = trainer_vocab(t)->size;
    float *copy = NULL;
    if (!ok || !f)
        goto done;
    CHECK(f->rows == rows);
    /* each snapshot carries the run's progress: a slot's first use once cleared it */
    uint64_t total = trainer_progress(t).words_total;
    CHECK(total > 0 && f->prog.words_total == total);
    CHECK(f->knn.rows == rows && f->knn.dim == 16);
    CHECK(f->nclusters >= 2 && f->nclusters <= LIVE_MAX_CLUSTERS);
    for (int64_t i = 0; i < rows * 3; i++)
        CHECK(isfinite(f->xyz[i]));
    for (int64_t i = 0; i < rows; i++)
        CHECK(f->cluster[i] >= 0 && f->cluster[i] < f->nclusters);
    CHECK(f->explained[0] >= f->explained[1] && f->explained[1] >= f->explained[2]);
    CHECK(f->explained[0] > 0 && f->explained[0] + f->explained[1] + f->explained[2] <= 1.0 + 1e-9);
    uint64_t seq = f->seq;
    copy = malloc((size_t)rows * 3 * sizeof *copy);
    CHECK(copy);
    memcpy(copy, f->xyz, (size_t)rows * 3 * sizeof *copy);
    /* two more publications while we hold f: it must not change */
    CHECK(wait_published(a, live_published(a) + 2));
    CHECK(f->seq == seq);
    CHECK(!memcmp(copy, f->xyz, (size_t)rows * 3 * sizeof *copy));
    const LiveSnapshot *g = live_acquire(a);
    CHECK(g && g->seq > seq && g->prog.words_total == total);
    CHECK(atomic_load(&wakeups) >= 3);
    char err[256];
    live_error(a, err, sizeof err);
    CHECKF(!err[0], "%s", err);
done:
    free(copy);
    live_destroy(a);
    trainer_destroy(t);
    corpus_close(&c);
    CHECK(ok && f);
}

/* Fixed vectors (a loaded file): one snapshot, built from the table's own values, and a new one
 * only when poked; the snapshot's index gives the table back (unit * norm). */
TEST(analysis_of_a_fixed_table)
{
    Embeddings t;
    emb_init(&t);
    Err e = {{0}};
    CHECKF(emb_alloc(&t, 40, 5, &e), "%s", e.msg);
    for (int64_t i = 0; i < 40; i++) {
        char w[16];
        snprintf(w, sizeof w, "w%lld", (long long)i);
        CHECK(vocab_add(&t.vocab, w, strlen(w), (uint64_t)(100 - i), &e) == i);
        for (int j = 0; j < 5; j++)
            emb_row(&t, i)[j] = (float)((i % 4 == j) + 0.01 * (double)((i * 7 + j * 3) % 11));
    }
    Live *a = live_create(&(LiveSource){.table = &t}, on_publish, NULL, &e);
    CHECKF(a, "%s", e.msg);
    CHECK(!live_create(&(LiveSource){0}, NULL, NULL, &e)); /* neither source */
    bool ok = wait_published(a, 1);
    CHECK(ok);
    sleep_ms(600); /* more than two ticks: nothing new to analyse */
    CHECK(live_published(a) == 1);
    const LiveSnapshot *f = live_acquire(a);
    CHECK(f && f->rows == 40 && f->knn.rows == 40 && f->prog.words_done == 0);
    for (int64_t i = 0; f && i < 40; i++)
        for (int j = 0; j < 5; j++)
            CHECK_NEAR(knn_row(&f->knn, i)[j] * f->knn.norm[i], emb_row(&t, i)[j], 1e-6);
    live_poke(a);
    CHECK(wait_published(a, 2));
    live_destroy(a);
    emb_deinit(&t);
}

/* rows words w0, w1, ... (counts falling) of 8 dimensions along three directions, a little
 * noise; t is initialised here. */
static bool three_directions(Embeddings *t, int64_t rows, Err *e)
{
    emb_init(t);
    if (!emb_alloc(t, rows, 8, e))
        return false;
    for (int64_t i = 0; i < rows; i++) {
        char w[16];
        snprintf(w, sizeof w, "w%lld", (long long)i);
        if (vocab_add(&t->vocab, w, strlen(w), (uint64_t)(100000 - i), e) != i)
            return false;
        for (int j = 0; j < 8; j++)
            emb_row(t, i)[j] = (float)((i % 3 == j % 3) + 0.05 * (double)((i * 7 + j * 13) % 11));
    }
    return true;
}

/* A Live over a three_directions table of rows words (t, initialised here), its first
 * snapshot published; NULL (said on stderr) when it fails. */
static Live *table_analysed(Embeddings *t, int64_t rows)
{
    Err e = {{0}};
    Live *a = three_directions(t, rows, &e) ? live_create(&(LiveSource){.table = t}, on_publish, NULL, &e) : NULL;
    if (!a)
        fprintf(stderr, "    table: %s\n", e.msg);
    else if (!wait_published(a, 1)) {
        fprintf(stderr, "    table: no first snapshot\n");
        live_destroy(a);
        a = NULL;
    }
    return a;
}

/* live_set_layout: a fixed table is analysed again with a UMAP of its words, the snapshot
 * carries it (finite, 2D: z = 0), and asking for none stops it. */
TEST(analysis_makes_the_layout_asked_for)
{
    Embeddings t;
    enum { ROWS = 300 };
    Live *a = table_analysed(&t, ROWS);
    CHECK(a);
    const LiveSnapshot *f = live_acquire(a);
    CHECK(f && f->layout_kind == LIVELAY_NONE);
    live_set_layout(a, &(LiveLayoutDesc){.kind = LIVELAY_UMAP, .epochs = 60, .seed = 3});
    CHECK(wait_published(a, 2));
    f = live_acquire(a);
    CHECK(f && f->layout_kind == LIVELAY_UMAP && f->layout && f->layout_dims == 2 && f->layout_builds == 1);
    for (int64_t i = 0; i < ROWS; i++)
        CHECK(isfinite(f->layout[i * 3]) && isfinite(f->layout[i * 3 + 1]) && f->layout[i * 3 + 2] == 0);
    CHECK(!live_layout_progress(a).busy && !live_layout_progress(a).error[0]);
    /* the same rows again: a refinement, warm */
    live_poke(a);
    CHECK(wait_published(a, 3));
    f = live_acquire(a);
    CHECK(f && f->layout_kind == LIVELAY_UMAP && f->layout_builds == 2 && f->layout_warm);
    live_set_layout(a, NULL);
    CHECK(wait_published(a, 4));
    f = live_acquire(a);
    CHECK(f && f->layout_kind == LIVELAY_NONE);
    live_destroy(a);
    emb_deinit(&t);
}

/* A fixed table above sample_above starts sampled, and the full layout follows by itself: no
 * new vectors come to make another snapshot, so the analysis asks for one (it used to stay
 * sampled until something else poked it). */
TEST(a_sampled_start_of_a_fixed_table_is_finished)
{
    Embeddings t;
    enum { ROWS = 1500 };
    Live *a = table_analysed(&t, ROWS);
    CHECK(a);
    live_set_layout(a, &(LiveLayoutDesc){.kind = LIVELAY_UMAP, .epochs = 30, .sample_above = 1000,
                                         .sample_rows = 500, .exact_rows = -1});
    CHECK(wait_published(a, 2));
    const LiveSnapshot *f = live_acquire(a);
    CHECK(f && f->layout_kind == LIVELAY_UMAP && f->layout_builds == 1 && !f->layout_warm);
    CHECK(wait_published(a, 3)); /* nobody pokes */
    f = live_acquire(a);
    CHECK(f && f->layout_kind == LIVELAY_UMAP && f->layout_builds == 2 && f->layout_warm);
    live_destroy(a);
    emb_deinit(&t);
}

/* Waits up to 120 s for a snapshot whose layout satisfies want (sampled, warm), NULL if none. */
static const LiveSnapshot *wait_layout(Live *a, bool sampled, bool warm)
{
    for (int i = 0; i < 12000; i++) {
        const LiveSnapshot *f = live_acquire(a);
        if (f && f->layout_kind == LIVELAY_UMAP && f->layout_sampled == sampled && f->layout_warm == warm)
            return f;
        sleep_ms(10);
    }
    return NULL;
}

/* While a trainer runs, a big table's UMAP stays sampled: each snapshot refines the sample's
 * layout and places the rest again (warm, still sampled); once the run stops, the full graph's
 * layout follows by itself (no more snapshots would come). */
TEST(a_sampled_layout_follows_training_and_is_finished_when_it_stops)
{
    Corpus c;
    Err e = {{0}};
    Trainer *t = test_world_trainer(&c, 16, 100000, &e); /* runs until stopped */
    CHECKF(t, "%s", e.msg);
    int64_t rows = trainer_vocab(t)->size;
    CHECKF(trainer_start(t, &e), "%s", e.msg);
    Live *a = live_create(&(LiveSource){.trainer = t}, on_publish, NULL, &e);
    CHECKF(a, "%s", e.msg);
    live_set_layout(a, &(LiveLayoutDesc){.kind = LIVELAY_UMAP, .epochs = 30, .sample_above = rows / 2,
                                         .sample_rows = rows / 3, .exact_rows = -1});
    const LiveSnapshot *f = wait_layout(a, true, true);
    CHECK(f && f->prog.running && f->layout_builds >= 2);
    for (int64_t i = 0; f && i < rows; i++)
        CHECK(isfinite(f->layout[i * 3]) && isfinite(f->layout[i * 3 + 1]));
    trainer_stop(t);
    f = wait_layout(a, false, true);
    CHECK(f && f->prog.stopped);
    char err[256];
    live_error(a, err, sizeof err);
    CHECKF(!err[0], "%s", err);
    live_destroy(a);
    trainer_destroy(t);
    corpus_close(&c);
}
