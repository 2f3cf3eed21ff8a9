/* The transformer's training session (model/gpt/session.c) and its text (text.c): bad input
 * refused before anything starts, runs that repeat bit for bit (one thread, and two), loss that
 * falls below the corpus's baselines, pause / step / reset, and the published snapshots. Small
 * models and short runs: well under a second each. Threads: the session's, driven from here. */
#include "model/gpt/session.h"
#include "model/gpt/posstats.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <time.h>

static const char *sample_text =
    "the cat sat on the mat. the dog sat on the log. a cat and a dog met on a mat.\n";

/* len bytes of sample_text repeated */
static bool load_text(GptText *t, size_t len, Err *e)
{
    uint8_t *buf = malloc(len);
    size_t n = strlen(sample_text);
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)sample_text[i % n];
    bool ok = gptc_from_bytes(t, "sample", buf, len, e);
    free(buf);
    return ok;
}

static GptTrainDesc small(int threads, int64_t steps)
{
    return (GptTrainDesc){.model = {.max_len = 16, .dim = 16, .heads = 2, .seed = 3},
                          .batch = 4, .threads = threads, .max_steps = steps, .lr = 1e-2};
}

static void sleep_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

TEST(text_baselines)
{
    GptText t;
    Err e;
    CHECK(gptc_from_bytes(&t, "ab", (const uint8_t *)"abababab", 8, &e));
    CHECK(t.vocab == 2 && t.byte_of[0] == 'a' && t.byte_of[1] == 'b' && t.n == 8);
    CHECK_NEAR(t.unigram_loss, log(2.0), 1e-12); /* a and b equally often */
    CHECK_NEAR(t.bigram_loss, 0.0, 1e-12);        /* b always follows a and a b */
    uint64_t rng = 1;
    for (int i = 0; i < 100; i++)
        CHECK(gptc_sample(&t, 4, &rng) <= 3); /* windows of 5 tokens in 8 */
    gptc_deinit(&t);
    CHECK(!gptc_from_bytes(&t, "e", (const uint8_t *)"", 0, &e) && strstr(e.msg, "empty"));
    CHECK(!gptc_from_bytes(&t, "one", (const uint8_t *)"aaaa", 4, &e) && strstr(e.msg, "one distinct"));
    CHECK(!gptc_load(&t, "/nonexistent/corpus.txt", &e) && strstr(e.msg, "/nonexistent/corpus.txt"));
    CHECK(!gptc_load(&t, "/tmp", &e) && strstr(e.msg, "not a regular file"));
}

TEST(world_text_loads)
{
    GptText t;
    Err e;
    CHECK(gptc_load(&t, "@world", &e));
    CHECK(t.n == GPTC_WORLD_BYTES && t.vocab > 10 && t.vocab < 100);
    CHECK(t.bigram_loss < t.unigram_loss && t.unigram_loss < log((double)t.vocab));
    gptc_deinit(&t);
}

TEST(bad_input_is_refused_before_anything_starts)
{
    GptText t;
    Err e = {0};
    CHECK(load_text(&t, 16, &e));
    GptTrainDesc d = small(1, 1);
    CHECK(!gptt_create(&d, &t, &e)); /* 16 tokens, context 16 needs 17 */
    CHECKF(strstr(e.msg, "16 tokens, shorter than the context length 16 + 1"), "%s", e.msg);
    CHECK(t.tok == NULL); /* moved in, freed */
    CHECK(load_text(&t, 1000, &e));
    d.model.heads = 3;
    CHECK(!gptt_create(&d, &t, &e) && strstr(e.msg, "3 heads do not divide dim 16"));
    CHECK(load_text(&t, 1000, &e));
    d = small(1, 1);
    d.lr = -1;
    CHECK(!gptt_create(&d, &t, &e) && strstr(e.msg, "learning rate"));
}

/* Trains steps steps and copies the tables and the loss out. */
static bool run(const GptTrainDesc *d, float *params, size_t n, double *loss)
{
    GptText t;
    Err e;
    if (!load_text(&t, 5000, &e))
        return false;
    GptTrain *s = gptt_create(d, &t, &e);
    bool ok = s && gptt_start(s, &e);
    if (ok) {
        gptt_wait(s);
        ok = gptt_copy_params(s, params, n);
        *loss = gptt_progress(s).loss;
    }
    gptt_destroy(s);
    return ok;
}

TEST(runs_repeat_bit_for_bit_on_one_two_or_three_threads)
{
    size_t n = 0;
    {
        GptText t;
        Err e;
        CHECK(load_text(&t, 5000, &e));
        GptTrainDesc d = small(1, 10);
        GptTrain *s = gptt_create(&d, &t, &e);
        CHECK(s);
        GptModel probe;
        GptDesc md = gptt_desc(s)->model;
        CHECK(gptm_init(&probe, &md, &e));
        n = probe.nparams;
        gptm_deinit(&probe);
        gptt_destroy(s);
    }
    float *a = malloc(n * sizeof(float)), *b = malloc(n * sizeof(float)), *c = malloc(n * sizeof(float));
    CHECK(a && b && c);
    double la, lb, lc;
    GptTrainDesc one = small(1, 12), two = small(2, 12), three = small(3, 12);
    CHECK(run(&one, a, n, &la) && run(&one, b, n, &lb));
    CHECK(!memcmp(a, b, n * sizeof(float)) && la == lb);
    /* the gradient groups depend on the batch only: any thread count sums the same way */
    CHECK(run(&two, b, n, &lb) && run(&three, c, n, &lc));
    CHECK(!memcmp(a, b, n * sizeof(float)) && la == lb);
    CHECK(!memcmp(a, c, n * sizeof(float)) && la == lc);
    /* another seed changes everything */
    one.model.seed = 4;
    CHECK(run(&one, b, n, &lb) && memcmp(a, b, n * sizeof(float)) && la != lb);
    free(a), free(b), free(c);
}

TEST(loss_falls_below_the_bigram_baseline)
{
    GptText t;
    Err e;
    CHECK(load_text(&t, 5000, &e));
    double bigram = t.bigram_loss, unigram = t.unigram_loss;
    GptTrainDesc d = small(2, 150);
    GptTrain *s = gptt_create(&d, &t, &e);
    CHECK(s && gptt_start(s, &e));
    gptt_wait(s);
    GptProgress p = gptt_progress(s);
    CHECK(p.step == 150 && p.finished && !p.running);
    CHECK(p.tokens == 150ull * 4 * 16 && p.tokens_per_sec > 0);
    /* a repeated 78-byte text: a 16-token context predicts most bytes exactly */
    CHECKF(p.loss < bigram && bigram < unigram, "loss %g bigram %g unigram %g", p.loss, bigram, unigram);
    const GptSnap *snap = gptt_acquire(s);
    CHECK(snap && snap->progress.step == 150 && snap->rows == 16 && snap->dim == 16);
    CHECK(snap->ncurve > 2 && snap->curve_step[snap->ncurve - 1] == 150);
    CHECK(snap->curve_loss[0] > snap->curve_loss[snap->ncurve - 1]);
    CHECK(isfinite(snap->pos.adjacent) && snap->pos.pc1 > 0 && snap->pos.pc1 <= 1);
    CHECK(snap->bigram_loss == bigram && snap->unigram_loss == unigram);
    gptt_destroy(s);
}

static void count_publish(void *ctx) { atomic_fetch_add((_Atomic int *)ctx, 1); }

TEST(pause_step_reset_and_snapshots)
{
    GptText t;
    Err e;
    CHECK(load_text(&t, 5000, &e));
    static _Atomic int published;
    GptTrainDesc d = small(2, 0);
    d.on_publish = count_publish;
    d.publish_ctx = (void *)&published;
    GptTrain *s = gptt_create(&d, &t, &e);
    CHECK(s);
    const GptSnap *first = gptt_acquire(s);
    CHECK(first && first->progress.step == 0 && isnan(first->progress.loss));
    CHECK(atomic_load(&published) == 1); /* the step-0 snapshot, from gptt_create */
    float wpe0[16 * 16];
    memcpy(wpe0, first->wpe, sizeof wpe0);
    gptt_pause(s);
    CHECK(gptt_start(s, &e));
    CHECK(!gptt_start(s, &e) && strstr(e.msg, "already running"));
    sleep_ms(30);
    CHECK(gptt_progress(s).step == 0 && gptt_progress(s).paused);
    gptt_step(s, 3);
    for (int i = 0; i < 500 && gptt_progress(s).step < 3; i++)
        sleep_ms(2);
    sleep_ms(20);
    CHECK(gptt_progress(s).step == 3);
    CHECK(atomic_load(&published) == 4); /* one after each single step */
    const GptSnap *after = gptt_acquire(s);
    CHECK(after && after->progress.step == 3 && memcmp(after->wpe, wpe0, sizeof wpe0));
    gptt_set_lr(s, 1e-3);
    CHECK(gptt_progress(s).lr == 1e-3);
    gptt_resume(s);
    for (int i = 0; i < 500 && gptt_progress(s).step < 20; i++)
        sleep_ms(2);
    CHECK(gptt_progress(s).step >= 20 && gptt_progress(s).running);
    CHECK(gptt_reset(s, &e));
    GptProgress p = gptt_progress(s);
    CHECK(p.step < 20); /* restarted from 0 and running again */
    gptt_stop(s);
    const GptSnap *z = NULL;
    gptt_pause(s);
    CHECK(gptt_reset(s, &e)); /* stopped: stays stopped, back at step 0 */
    z = gptt_acquire(s);
    CHECK(z && z->progress.step == 0 && !memcmp(z->wpe, wpe0, sizeof wpe0));
    gptt_destroy(s);
}

TEST(position_stats_of_known_tables)
{
    enum { R = 128, D = 4 };
    static float tab[R * D];
    for (int i = 0; i < R; i++) { /* a smooth quarter-turn: cosine falls with distance */
        double a = 1.5707963 * i / (R - 1);
        tab[i * D] = (float)cos(a), tab[i * D + 1] = (float)sin(a), tab[i * D + 2] = 0, tab[i * D + 3] = 0;
    }
    GptPosStats st = gptp_measure(tab, R, D, true);
    CHECK(st.adjacent > 0.99 && st.cos5_6 > 0.99 && gptp_smooth(&st));
    CHECK_NEAR(st.cos5_100, cos(1.5707963 * 95 / 127), 1e-5);
    CHECK_NEAR(st.far, cos(1.5707963 * 64 / 127), 1e-5);
    /* points on an arc of 90 degrees: most variance on the chord direction */
    CHECK(st.pc1 > 0.8 && st.pc1 < 1.0);
    for (int i = 0; i < R * D; i++) /* one axis only: all variance on PC1 */
        tab[i] = i % D == 0 ? (float)i : 0;
    st = gptp_measure(tab, R, D, true);
    CHECK_NEAR(st.pc1, 1.0, 1e-9);
    st = gptp_measure(tab, 50, D, false);
    CHECK(isnan(st.cos5_100) && isnan(st.pc1) && !gptp_smooth(&st));
}
