/* Checkpoints: a deterministic run checkpointed mid-way (in memory and through the file) and
 * resumed ends bit-identical to the run that was never interrupted, for CBOW, HogBatch
 * skip-gram and per-pair skip-gram with hierarchical softmax; a stopped run resumes exactly;
 * two threads resume with no word lost or read twice; damaged files are refused with one line
 * naming the file and the fault. */
#include "model/text/corpus.h"
#include "model/train/ckpt.h"
#include "model/train/train.h"
#include "tests/model/files/vecfixture.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static char corpus_path[300], ckpt_path[300], bad_path[300];

/* ~20k words over 300 word types (skewed: type i*i/300 of a uniform i) in sentences of 5-20
 * words, from a fixed LCG: a 3-epoch run is 60k words, six 10k-word reports for one thread,
 * small enough for ThreadSanitizer (about 10x slower) and with room for the pause steps. */
static bool setup(void)
{
    if (corpus_path[0])
        return true;
    snprintf(corpus_path, sizeof corpus_path, "%s", tmp_path("corpus.txt"));
    snprintf(ckpt_path, sizeof ckpt_path, "%s", tmp_path("run.ckpt"));
    snprintf(bad_path, sizeof bad_path, "%s", tmp_path("bad.ckpt"));
    FILE *f = fopen(corpus_path, "w");
    if (!f)
        return false;
    uint64_t s = 99;
    for (int words = 0; words < 20000;) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        int len = 5 + (int)(s >> 60);
        for (int i = 0; i < len; i++, words++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            int w = (int)((s >> 33) % 300);
            fprintf(f, "%sw%d", i ? " " : "", w * w / 300);
        }
        fputc('\n', f);
    }
    return fclose(f) == 0;
}

static Trainer *fresh(TrainDesc d, Corpus *c)
{
    Err e = {0};
    Vocab v;
    vocab_init(&v);
    Trainer *t = NULL;
    if (setup() && corpus_open(c, corpus_path, &e) &&
        corpus_count(c, &v, 1, 0, NULL, NULL, &e))
        t = trainer_create(&d, c, &v, &e);
    if (!t)
        fprintf(stderr, "    trainer: %s\n", e.msg);
    vocab_deinit(&v);
    return t;
}

/* syn0 of a finished run (rows x stride floats, malloc'd). */
static float *vectors(const Trainer *t, size_t *n)
{
    Embeddings m;
    emb_init(&m);
    Err e;
    if (!trainer_export(t, &m, &e))
        return NULL;
    *n = (size_t)(m.rows * m.stride);
    float *out = malloc(*n * sizeof(float));
    if (out)
        memcpy(out, m.vec, *n * sizeof(float));
    emb_deinit(&m);
    return out;
}

static float *run_through(TrainDesc d, size_t *n)
{
    Corpus c;
    Trainer *t = fresh(d, &c);
    Err e;
    float *v = t && trainer_start(t, &e) ? (trainer_wait(t), vectors(t, n)) : NULL;
    trainer_destroy(t);
    corpus_close(&c);
    return v;
}

/* Lets a paused run train until its word count moves (a report, every ~10k words), then
 * pauses it again: it stops at its next report. */
static void step(Trainer *t)
{
    uint64_t before = trainer_progress(t).words_done;
    trainer_resume(t);
    for (;;) {
        TrainProgress p = trainer_progress(t);
        if (p.words_done != before || p.finished)
            break;
        usleep(100);
    }
    trainer_pause(t);
}

static float *resume_from(const Ckpt *k, size_t *n, uint64_t *words)
{
    Corpus c;
    Err e = {0};
    Trainer *t = NULL;
    float *v = NULL;
    if (corpus_open(&c, corpus_path, &e) && (t = ckpt_trainer(k, &c, &e)) && trainer_start(t, &e)) {
        trainer_wait(t);
        v = vectors(t, n);
        *words = trainer_progress(t).words_done;
    }
    if (!v)
        fprintf(stderr, "    resume: %s\n", e.msg);
    trainer_destroy(t);
    corpus_close(&c);
    return v;
}

static const TrainDesc models[3] = {
    {.model = TRAIN_CBOW, .dim = 16, .iter = 3, .min_count = 1, .deterministic = 1, .seed = 5},
    {.model = TRAIN_SKIPGRAM, .dim = 16, .iter = 3, .min_count = 1, .deterministic = 1, .seed = 5},
    {.model = TRAIN_SKIPGRAM, .batch = -1, .hs = 1, .dim = 8, .iter = 3, .min_count = 1,
     .deterministic = 1, .seed = 6},
};

/* A run of d checkpointed twice on the way (k1 at its first sentence boundary, k2 at the
 * first report found in a later epoch: how many words a step trains depends on when the pause
 * lands, so a slow machine (ThreadSanitizer under load) needs more steps), then finished: its vectors in *b and its words in *total.
 * False when the run ended before k2 could be taken (the test's thread was starved of the CPU
 * for a whole epoch): the caller tries again. */
static bool interrupted_run(TrainDesc d, Ckpt *k1, Ckpt *k2, float **b, size_t *nb,
                            uint64_t *total)
{
    Corpus c;
    Trainer *t = fresh(d, &c);
    Err e = {0};
    if (t)
        trainer_pause(t); /* before the start: k1 comes after the first sentence */
    bool ok = t && trainer_start(t, &e);
    ok = ok && ckpt_take(t, k1, &e);
    for (int i = 0; ok && i < 2000; i++) {
        step(t);
        ok = ckpt_take(t, k2, &e);
        if (!ok || k2->threads[0].epoch > k1->threads[0].epoch || trainer_progress(t).finished)
            break;
    }
    trainer_resume(t);
    trainer_wait(t);
    *total = trainer_progress(t).words_done;
    *b = ok ? vectors(t, nb) : NULL;
    trainer_destroy(t);
    corpus_close(&c);
    if (!ok)
        fprintf(stderr, "    checkpoint: %s\n", e.msg);
    return ok && k2->words_done < *total;
}

TEST(resumed_runs_are_bit_identical)
{
    for (int m = 0; m < 3; m++) {
        size_t na = 0, nb = 0, n1 = 0, n2 = 0;
        float *a = run_through(models[m], &na), *b = NULL;
        CHECK(a && na > 0);
        Ckpt k1, k2;
        ckpt_init(&k1);
        ckpt_init(&k2);
        uint64_t total = 0;
        for (int tries = 0; tries < 3 && !interrupted_run(models[m], &k1, &k2, &b, &nb, &total); tries++)
            free(b), b = NULL;
        /* mid-run, the second in a later epoch than the first */
        CHECKF(k1.words_done > 0 && k1.words_done < k2.words_done && k2.words_done < total,
               "model %d: checkpoints at %llu and %llu of %llu words", m,
               (unsigned long long)k1.words_done, (unsigned long long)k2.words_done,
               (unsigned long long)total);
        CHECK(k2.threads[0].epoch > k1.threads[0].epoch);
        /* the matrices moved between them and after */
        size_t bytes = (size_t)(k1.rows * k1.stride) * sizeof(float);
        CHECK(bytes == na * sizeof(float) && memcmp(k1.syn0, k2.syn0, bytes) &&
              memcmp(k2.syn0, a, bytes));
        /* holding the threads changed nothing */
        CHECK(b && nb == na && !memcmp(a, b, na * sizeof(float)));
        /* k1 through the file, k2 straight from memory */
        Ckpt k1f;
        ckpt_init(&k1f);
        Err e = {0};
        CHECKF(ckpt_save(ckpt_path, &k1, &e) && ckpt_load(ckpt_path, &k1f, &e), "%s", e.msg);
        uint64_t w1 = 0, w2 = 0;
        float *r1 = resume_from(&k1f, &n1, &w1), *r2 = resume_from(&k2, &n2, &w2);
        CHECKF(r1 && n1 == na && !memcmp(a, r1, na * sizeof(float)), "model %d from the file", m);
        CHECKF(r2 && n2 == na && !memcmp(a, r2, na * sizeof(float)), "model %d from memory", m);
        CHECK(w1 == total && w2 == total);
        free(a), free(b), free(r1), free(r2);
        ckpt_deinit(&k1), ckpt_deinit(&k2), ckpt_deinit(&k1f);
    }
}

TEST(stopped_run_resumes_exactly)
{
    size_t na = 0, nr = 0;
    float *a = run_through(models[1], &na);
    Corpus c;
    Trainer *t = fresh(models[1], &c);
    Err e = {0};
    CHECK(a && t);
    trainer_pause(t);
    CHECK(trainer_start(t, &e));
    step(t);
    trainer_stop(t);
    Ckpt k;
    ckpt_init(&k);
    CHECKF(ckpt_take(t, &k, &e), "%s", e.msg);
    CHECK(k.words_done > 0 && k.words_done < trainer_progress(t).words_total);
    trainer_destroy(t);
    corpus_close(&c);
    uint64_t w = 0;
    float *r = resume_from(&k, &nr, &w);
    CHECK(r && nr == na && !memcmp(a, r, na * sizeof(float)));
    free(a), free(r);
    ckpt_deinit(&k);
}

/* A run of d started paused, so that each thread stops after its first sentence, and checkpointed
 * into k (initialised here) there; NULL on a failure, said on stderr. The run stays paused. */
static Trainer *first_sentences(TrainDesc d, Corpus *c, Ckpt *k)
{
    ckpt_init(k);
    Trainer *t = fresh(d, c);
    Err e = {0};
    if (t) {
        trainer_pause(t);
        if (!trainer_start(t, &e) || !ckpt_take(t, k, &e)) {
            fprintf(stderr, "    first sentences: %s\n", e.msg);
            trainer_destroy(t);
            corpus_close(c);
            t = NULL;
        }
    }
    return t;
}

/* With two threads each keeps private copies of the hottest output rows (worker.c; here the
 * whole vocabulary's fit the budget) and merges them every 1,024 positions or more. A hold
 * must merge them first: here each thread has trained one sentence (5-20 positions) when the
 * checkpoint is taken, so without that merge the shared rows would all still be the zeros
 * they start as. */
TEST(a_hold_merges_the_threads_hot_rows)
{
    TrainDesc d = {.model = TRAIN_CBOW, .dim = 8, .iter = 1, .min_count = 1, .threads = 2,
                   .negative = 5};
    Corpus c;
    Ckpt k;
    Trainer *t = first_sentences(d, &c, &k);
    CHECK(t);
    trainer_stop(t);
    trainer_destroy(t);
    corpus_close(&c);
    CHECK(k.syn1neg && k.rows >= 64);
    int moved = 0;
    for (int64_t i = 0; k.syn1neg && i < 64 * k.stride; i++)
        moved += k.syn1neg[i] != 0;
    CHECKF(moved > 0, "no hot row of syn1neg moved (%lld rows)", (long long)k.rows);
    ckpt_deinit(&k);
}

/* Two threads race (Hogwild), so only the bookkeeping can be exact: every corpus word of every
 * epoch is read once, whether or not the run stopped at a checkpoint on the way. Heavy
 * subsampling keeps the training (and ThreadSanitizer's work on the suppressed Hogwild races)
 * small; words are counted before subsampling. */
TEST(two_threads_resume_without_losing_words)
{
    TrainDesc d = {.model = TRAIN_SKIPGRAM, .dim = 8, .iter = 3, .min_count = 1, .threads = 2,
                   .sample = 1e-5};
    Corpus c;
    Err e = {0};
    /* (Stepping on to a later report cannot be timed here: subsampled this much, the run takes
     * a millisecond.) */
    Ckpt k;
    Trainer *t = first_sentences(d, &c, &k);
    CHECK(t);
    trainer_resume(t);
    trainer_wait(t);
    TrainProgress p = trainer_progress(t);
    CHECK(p.words_done == p.words_total);
    trainer_destroy(t);
    corpus_close(&c);
    CHECKF(k.nthreads == 2 && k.words_done > 0 && k.words_done < p.words_total, "checkpoint at %llu of %llu words", (unsigned long long)k.words_done, (unsigned long long)p.words_total);
    CHECKF(ckpt_save(ckpt_path, &k, &e), "%s", e.msg);
    Ckpt l;
    ckpt_init(&l);
    CHECKF(ckpt_load(ckpt_path, &l, &e), "%s", e.msg);
    size_t n = 0;
    uint64_t w = 0;
    float *r = resume_from(&l, &n, &w);
    CHECK(r && w == p.words_total);
    free(r);
    ckpt_deinit(&k), ckpt_deinit(&l);
}

/* ---- damaged files -------------------------------------------------------------------------- */

static bool spit(const void *b, size_t n)
{
    write_bytes(bad_path, b, n);
    return true;
}

static void put32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

/* After an edit of the payload: both checksums made right again, so the parser must judge. */
static void reseal(unsigned char *b, size_t n)
{
    put32(b + 24, (uint32_t)crc32(0, b + 32, (uInt)(n - 32)));
    put32(b + 28, (uint32_t)crc32(0, b, 28));
}

/* ckpt_load of bad_path fails, leaves out alone, and its message names the file and has want. */
static bool refused(const char *want)
{
    Ckpt k;
    ckpt_init(&k);
    k.dim = 77;
    Err e = {{0}};
    bool loaded = ckpt_load(bad_path, &k, &e);
    bool ok = !loaded && k.dim == 77 && strstr(e.msg, bad_path) && strstr(e.msg, want) &&
              !strchr(e.msg, '\n');
    if (!ok)
        fprintf(stderr, "    want '%s', got '%s'\n", want, e.msg);
    ckpt_deinit(&k);
    return ok;
}

/* The first (or with last, the last) place of s in b: a section tag before the matrices is
 * found from the front, THRD (after them) from the back, so float bytes cannot be mistaken
 * for a tag. */
static unsigned char *find(unsigned char *b, size_t n, const char *s, bool last)
{
    size_t m = strlen(s);
    unsigned char *at = NULL;
    for (size_t i = 0; i + m <= n && !(at && !last); i++)
        if (!memcmp(b + i, s, m))
            at = b + i;
    return at;
}

/* A checkpoint of a CBOW run that has not started (a valid state too) in k; c stays open. */
static bool unstarted(Ckpt *k, Corpus *c)
{
    Trainer *t = fresh(models[0], c);
    Err e = {0};
    ckpt_init(k);
    bool ok = t && ckpt_take(t, k, &e);
    trainer_destroy(t);
    return ok;
}

TEST(damaged_checkpoints_are_refused)
{
    Corpus c;
    Ckpt k;
    Err e = {0};
    CHECK(unstarted(&k, &c) && ckpt_save(ckpt_path, &k, &e));
    corpus_close(&c);
    size_t n = 0;
    unsigned char *good = (unsigned char *)read_all(ckpt_path, &n), *b = malloc(n + 16);
    CHECK(good && b && n > 1000);

    CHECK(spit(good, 0) && refused("shorter than a checkpoint's header"));
    CHECK(spit(good, n / 2) && refused("truncated checkpoint"));
    CHECK(spit(good, n - 1) && refused("truncated checkpoint"));
    memcpy(b, good, n);
    memcpy(b + n, "extra", 5);
    CHECK(spit(b, n + 5) && refused("bytes after its end"));
    memcpy(b, good, n);
    b[n - 3] ^= 0x10; /* a bit of the last thread record */
    CHECK(spit(b, n) && refused("CRC-32"));
    memcpy(b, good, n);
    b[0] = 'X';
    CHECK(spit(b, n) && refused("not an embedscope checkpoint"));
    memcpy(b, good, n);
    b[8] = 2;
    CHECK(spit(b, n) && refused("corrupt checkpoint: the header"));
    reseal(b, n);
    CHECK(spit(b, n) && refused("checkpoint version 2; this build reads version 1"));

    /* sealed again, so only the parser can tell */
    memcpy(b, good, n);
    unsigned char *win = find(b, n, "window=5\n", false);
    CHECK(win);
    win[7] = 'x';
    reseal(b, n);
    CHECK(spit(b, n) && refused("bad value for window"));
    memcpy(b, good, n);
    unsigned char *vocb = find(b, n, "VOCB", false);
    CHECK(vocb);
    vocb[16 + 5] = 0x40; /* a word count of 2^40 + ... in a section of a few hundred bytes */
    reseal(b, n);
    CHECK(spit(b, n) && refused("word count out of range"));
    memcpy(b, good, n);
    unsigned char *mats = find(b, n, "MATS", false);
    CHECK(mats);
    memcpy(mats + 16 + 16, "\x00\x00\xc0\x7f", 4); /* syn0[0][0] = NaN */
    reseal(b, n);
    CHECK(spit(b, n) && refused("syn0 row 0 holds a value that is not finite"));
    memcpy(b, good, n);
    unsigned char *thrd = find(b, n, "THRD", true);
    CHECK(thrd);
    thrd[16] = 3; /* 3 threads where the settings say 1 */
    reseal(b, n);
    CHECK(spit(b, n) && refused("thread count"));
    unlink(bad_path);
    CHECK(refused("No such file"));
    free(good), free(b);
    ckpt_deinit(&k);
}

TEST(resume_refuses_another_corpus)
{
    Corpus c;
    Ckpt k;
    Err e = {0};
    CHECK(unstarted(&k, &c));
    k.corpus_bytes += 1;
    CHECK(!ckpt_trainer(&k, &c, &e) && strstr(e.msg, "the corpus has changed"));
    corpus_close(&c);
    Corpus w;
    CHECK(corpus_open(&w, "@world", &e));
    CHECK(!ckpt_trainer(&k, &w, &e) && strstr(e.msg, "not @world"));
    corpus_close(&w);
    ckpt_deinit(&k);
}
