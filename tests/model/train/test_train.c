/* Trainer: the negative-sampling and hierarchical-softmax steps against finite differences,
 * the noise distribution, determinism, the session controls, and balanced threads that read
 * every word once. */
#include "model/train/ckpt.h"
#include "model/train/noise.h"
#include "model/train/sgns.h"
#include "tests/test.h"
#include "model/train/train.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

/* L(h, U) = -log s(h.u0) - sum_k log s(-h.uk) in double precision. */
static double ns_loss(const float *h, const float *U, int stride, const int32_t *tg, int n, int dim)
{
    double L = 0;
    for (int d = 0; d < n; d++) {
        double f = 0;
        for (int j = 0; j < dim; j++)
            f += (double)h[j] * U[tg[d] * stride + j];
        L -= log(sigmoid(d == 0 ? f : -f));
    }
    return L;
}

TEST(ns_step_matches_finite_differences)
{
    enum { DIM = 24, STRIDE = 32, ROWS = 6 };
    float sig[SGNS_TABLE_SIZE + 1];
    sgns_init_table(sig);
    float h[STRIDE] = {0}, U[ROWS * STRIDE] = {0}, U0[ROWS * STRIDE];
    uint64_t s = 12345;
    for (int j = 0; j < DIM; j++)
        h[j] = (float)((double)((s = s * 6364136223846793005ull + 1) >> 40) / 16777216.0 - 0.5);
    for (int i = 0; i < ROWS * STRIDE; i++)
        U[i] = (i % STRIDE) < DIM ? (float)((double)((s = s * 6364136223846793005ull + 1) >> 40) / 16777216.0 - 0.5) : 0;
    memcpy(U0, U, sizeof U);
    int32_t tg[4] = {2, 0, 5, 3};
    float grad[STRIDE] = {0};
    float alpha = 1e-3f;
    float *out[4];
    for (int d = 0; d < 4; d++)
        out[d] = U + tg[d] * STRIDE;
    float loss = sgns_ns_step(h, grad, out, 4, DIM, alpha, sig, 1);
    double L = ns_loss(h, U0, STRIDE, tg, 4, DIM);
    /* The loss is computed exactly (log1p/exp), only rounded to float. */
    CHECK_NEAR(loss, L, 1e-5 * fabs(L) + 1e-6);
    /* grad must be -alpha dL/dh. The step uses the 1024-entry sigmoid table: its rounding
     * error is at most slope (1/4) x half a step (12/1024/2), ~1.5e-3 per term, so each
     * gradient component may be off by 4 terms x 1.5e-3 x |u| (<= 0.5) x alpha. */
    double eps = 1e-3;
    for (int j = 0; j < DIM; j++) {
        float hp[STRIDE], hm[STRIDE];
        memcpy(hp, h, sizeof hp);
        memcpy(hm, h, sizeof hm);
        hp[j] += (float)eps;
        hm[j] -= (float)eps;
        double dL = (ns_loss(hp, U0, STRIDE, tg, 4, DIM) - ns_loss(hm, U0, STRIDE, tg, 4, DIM)) /
                    (double)(hp[j] - hm[j]);
        CHECK_NEAR(grad[j], -alpha * dL, alpha * (4 * 1.5e-3 * 0.5 + 1e-4));
    }
    /* Output rows move by -alpha dL/du = g h. */
    for (int d = 0; d < 4; d++) {
        int r = tg[d];
        double f = 0;
        for (int j = 0; j < DIM; j++)
            f += (double)h[j] * U0[r * STRIDE + j];
        double g = ((d == 0 ? 1.0 : 0.0) - sigmoid(f)) * alpha;
        for (int j = 0; j < DIM; j++)
            CHECK_NEAR(U[r * STRIDE + j] - U0[r * STRIDE + j], g * h[j], alpha * 1.5e-3 * 0.5 + 1e-7);
    }
    CHECK(U[1 * STRIDE] == U0[1 * STRIDE]); /* untouched row */
}

/* The batched step is the sum of per-context losses with shared outputs:
 * L = sum_c [-log s(x_c.o0) - sum_k log s(-x_c.ok)], all gradients taken at the old values. */
TEST(batch_step_matches_finite_differences)
{
    enum { DIM = 20, STRIDE = 32, M = 3, N = 4, ROWS = 6 };
    float sig[SGNS_TABLE_SIZE + 1];
    sgns_init_table(sig);
    float X[M * STRIDE] = {0}, X0[M * STRIDE], U[ROWS * STRIDE] = {0}, U0[ROWS * STRIDE];
    for (int i = 0; i < M * STRIDE; i++)
        X[i] = (i % STRIDE) < DIM ? (float)sin(i * 0.91) * 0.5f : 0;
    for (int i = 0; i < ROWS * STRIDE; i++)
        U[i] = (i % STRIDE) < DIM ? (float)cos(i * 0.53) * 0.4f : 0;
    memcpy(X0, X, sizeof X);
    memcpy(U0, U, sizeof U);
    int32_t tg[N] = {1, 4, 0, 3};
    float *in[M] = {X, X + STRIDE, X + 2 * STRIDE};
    float work[(M + N) * STRIDE + M * N];
    float alpha = 1e-3f;
    float *out[N];
    for (int k = 0; k < N; k++)
        out[k] = U + tg[k] * STRIDE;
    float loss = sgns_batch_step(in, M, out, N, DIM, alpha, sig, work, 1);
    double L = 0;
    for (int c = 0; c < M; c++)
        L += ns_loss(X0 + c * STRIDE, U0, STRIDE, tg, N, DIM);
    CHECK_NEAR(loss, L, 1e-5 * fabs(L));
    /* Each input row moves by -alpha dL/dx_c (finite differences in double), within the
     * sigmoid table's error (see ns_step_matches_finite_differences): N terms x 1.5e-3 x 0.4. */
    for (int c = 0; c < M; c++)
        for (int j = 0; j < DIM; j++) {
            float xp[STRIDE], xm[STRIDE];
            memcpy(xp, X0 + c * STRIDE, sizeof xp);
            memcpy(xm, X0 + c * STRIDE, sizeof xm);
            xp[j] += 1e-3f;
            xm[j] -= 1e-3f;
            double dL = (ns_loss(xp, U0, STRIDE, tg, N, DIM) - ns_loss(xm, U0, STRIDE, tg, N, DIM)) /
                        (double)(xp[j] - xm[j]);
            CHECK_NEAR(X[c * STRIDE + j] - X0[c * STRIDE + j], -alpha * dL, alpha * (N * 1.5e-3 * 0.4 + 1e-4));
        }
    /* Each output row moves by -alpha dL/do_k = sum_c g_ck x_c. */
    for (int k = 0; k < N; k++)
        for (int j = 0; j < DIM; j++) {
            double want = 0;
            for (int c = 0; c < M; c++) {
                double f = 0;
                for (int q = 0; q < DIM; q++)
                    f += (double)X0[c * STRIDE + q] * U0[tg[k] * STRIDE + q];
                want += ((k == 0 ? 1.0 : 0.0) - sigmoid(f)) * alpha * X0[c * STRIDE + j];
            }
            CHECK_NEAR(U[tg[k] * STRIDE + j] - U0[tg[k] * STRIDE + j], want, alpha * M * 1.5e-3 * 0.5 + 1e-7);
        }
    CHECK(U[2 * STRIDE] == U0[2 * STRIDE]); /* not a target */
}

TEST(hs_step_matches_finite_differences)
{
    enum { DIM = 16, STRIDE = 16, ROWS = 5 };
    float sig[SGNS_TABLE_SIZE + 1];
    sgns_init_table(sig);
    float h[STRIDE], U[ROWS * STRIDE], U0[ROWS * STRIDE];
    for (int j = 0; j < DIM; j++)
        h[j] = (float)sin(j * 1.7) * 0.4f;
    for (int i = 0; i < ROWS * STRIDE; i++)
        U[i] = (float)cos(i * 0.37) * 0.3f;
    memcpy(U0, U, sizeof U);
    int32_t pts[3] = {4, 1, 2};
    uint8_t codes[3] = {0, 1, 1};
    float grad[STRIDE] = {0}, alpha = 1e-3f;
    /* L = -sum log s((1 - 2 code) h.u) */
    double L = 0;
    for (int d = 0; d < 3; d++) {
        double f = 0;
        for (int j = 0; j < DIM; j++)
            f += (double)h[j] * U0[pts[d] * STRIDE + j];
        L -= log(sigmoid(codes[d] ? -f : f));
    }
    float loss = sgns_hs_step(h, grad, U, STRIDE, pts, codes, 3, DIM, alpha, sig, 1);
    CHECK_NEAR(loss, L, 1e-5 * fabs(L));
    for (int j = 0; j < DIM; j++) {
        double dL = 0;
        for (int d = 0; d < 3; d++) {
            double f = 0;
            for (int k = 0; k < DIM; k++)
                f += (double)h[k] * U0[pts[d] * STRIDE + k];
            double label = 1.0 - codes[d];
            dL -= (label - sigmoid(f)) * U0[pts[d] * STRIDE + j];
        }
        /* table error as above: 3 terms x 1.5e-3 x |u| <= 0.3 */
        CHECK_NEAR(grad[j], -alpha * dL, alpha * (3 * 1.5e-3 * 0.3 + 1e-6));
    }
}

TEST(noise_matches_unigram_075)
{
    uint64_t counts[6] = {1000, 400, 100, 50, 10, 1};
    Noise z;
    Err e = {0};
    CHECK(noise_init(&z, counts, 6, 0.75, &e));
    double p[6], sum = 0;
    for (int i = 0; i < 6; i++)
        sum += p[i] = pow((double)counts[i], 0.75);
    int hist[6] = {0};
    uint64_t s = 88172645463325252ull;
    const int N = 2000000;
    for (int i = 0; i < N; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        int k = noise_draw(&z, s * 0x2545F4914F6CDD1Dull);
        CHECK(k >= 0 && k < 6);
        hist[k]++;
    }
    for (int i = 0; i < 6; i++) {
        double want = p[i] / sum, got = (double)hist[i] / N;
        /* 5 binomial standard deviations: sqrt(p(1-p)/N) <= 3.6e-4 at N = 2e6 */
        CHECK_NEAR(got, want, 5 * sqrt(want * (1 - want) / N) + 1e-6);
    }
    noise_deinit(&z);
}

static char corpus_path[64];

static void make_corpus(void)
{
    if (corpus_path[0] && access(corpus_path, R_OK) == 0)
        return;
    snprintf(corpus_path, sizeof corpus_path, "/tmp/es_train_XXXXXX");
    close(mkstemp(corpus_path));
    FILE *f = fopen(corpus_path, "w");
    const char *a[] = {"red", "green", "blue", "yellow"}, *b[] = {"one", "two", "three", "four"};
    uint64_t s = 7;
    for (int i = 0; i < 4000; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        const char **set = (s >> 33) & 1 ? a : b;
        for (int j = 0; j < 8; j++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            fprintf(f, "%s%s", j ? " " : "", set[(s >> 40) % 4]);
        }
        fputc('\n', f);
    }
    fclose(f);
}

static Trainer *make_trainer(TrainDesc d, Corpus *c)
{
    make_corpus();
    Err e = {0};
    if (!corpus_open(c, corpus_path, &e))
        return NULL;
    Vocab v;
    vocab_init(&v);
    if (!corpus_count(c, &v, 1, 0, NULL, NULL, &e))
        return NULL;
    Trainer *t = trainer_create(&d, c, &v, &e);
    vocab_deinit(&v);
    return t;
}

static float *train_once(TrainDesc d, int64_t *n)
{
    Corpus c;
    Trainer *t = make_trainer(d, &c);
    if (!t)
        return NULL;
    Err e = {0};
    if (!trainer_start(t, &e))
        return NULL;
    trainer_wait(t);
    Embeddings m;
    emb_init(&m);
    trainer_export(t, &m, &e);
    *n = m.rows * m.stride;
    float *out = malloc((size_t)*n * sizeof(float));
    memcpy(out, m.vec, (size_t)*n * sizeof(float));
    emb_deinit(&m);
    trainer_destroy(t);
    corpus_close(&c);
    return out;
}

TEST(deterministic_runs_are_bit_identical)
{
    for (int model = TRAIN_CBOW; model <= TRAIN_SKIPGRAM + 2; model++) {
        /* 3: skip-gram per pair with hierarchical softmax, 4: skip-gram per pair */
        TrainDesc d = {.model = model > TRAIN_SKIPGRAM ? TRAIN_SKIPGRAM : (TrainModel)model,
                       .hs = model == 3, .batch = model > TRAIN_SKIPGRAM ? -1 : 0, .dim = 20,
                       .iter = 2, .min_count = 1, .deterministic = 1, .seed = 42};
        int64_t n1 = 0, n2 = 0;
        float *a = train_once(d, &n1), *b = train_once(d, &n2);
        CHECK(a && b && n1 == n2 && n1 > 0);
        CHECK(!memcmp(a, b, (size_t)n1 * sizeof(float)));
        d.seed = 43;
        float *c = train_once(d, &n2);
        CHECK(c && memcmp(a, c, (size_t)n1 * sizeof(float)) != 0);
        free(a), free(b), free(c);
    }
}

static double cosine(const float *a, const float *b, int n)
{
    double ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < n; i++)
        ab += a[i] * b[i], aa += a[i] * a[i], bb += b[i] * b[i];
    return ab / sqrt(aa * bb + 1e-30);
}

/* Words that share contexts end up closer than words that never do. */
TEST(training_learns_the_two_groups)
{
    for (int model = TRAIN_CBOW; model <= TRAIN_SKIPGRAM + 1; model++) {
        Corpus c;
        /* 3: skip-gram with word2vec.c's per-pair updates */
        TrainDesc d = {.model = model > TRAIN_SKIPGRAM ? TRAIN_SKIPGRAM : (TrainModel)model,
                       .batch = model > TRAIN_SKIPGRAM ? -1 : 0, .dim = 16, .iter = 5, .min_count = 1, .threads = 2, .sample = -1, .window = 3};
        Trainer *t = make_trainer(d, &c);
        CHECK(t);
        Err e = {0};
        CHECK(trainer_start(t, &e));
        trainer_wait(t);
        Embeddings m;
        emb_init(&m);
        CHECK(trainer_export(t, &m, &e));
        const Vocab *v = &m.vocab;
        /* Centre the vectors first: all eight words share a common direction (they are the
         * only words), which says nothing about the groups. */
        float mean[16] = {0};
        for (int64_t i = 0; i < m.rows; i++)
            for (int j = 0; j < m.dim; j++)
                mean[j] += emb_row(&m, i)[j] / (float)m.rows;
        for (int64_t i = 0; i < m.rows; i++)
            for (int j = 0; j < m.dim; j++)
                emb_row(&m, i)[j] -= mean[j];
        const char *words[8] = {"red", "green", "blue", "yellow", "one", "two", "three", "four"};
        int64_t id[8];
        for (int i = 0; i < 8; i++) {
            id[i] = vocab_find(v, words[i], strlen(words[i]));
            CHECK(id[i] >= 0);
        }
        double same = 0, cross = 0;
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++) {
                if (i == j)
                    continue;
                double cs = cosine(emb_row(&m, id[i]), emb_row(&m, id[j]), m.dim);
                if (i / 4 == j / 4)
                    same += cs / 24;
                else
                    cross += cs / 32;
            }
        CHECKF(same > cross + 0.3, "model %d: same %.3f cross %.3f", model, same, cross);
        TrainProgress p = trainer_progress(t);
        CHECK(p.finished && p.words_done == 5 * v->total && p.loss > 0);
        emb_deinit(&m);
        trainer_destroy(t);
        corpus_close(&c);
    }
}

TEST(alpha_zero_freezes_vectors_and_controls_work)
{
    Corpus c;
    TrainDesc d = {.model = TRAIN_SKIPGRAM, .dim = 16, .iter = 50, .min_count = 1, .threads = 2};
    Trainer *t = make_trainer(d, &c);
    CHECK(t);
    trainer_set_alpha(t, 0);
    Err e = {0};
    Embeddings a, b;
    emb_init(&a);
    emb_init(&b);
    CHECK(trainer_export(t, &a, &e));
    CHECK(trainer_start(t, &e));
    trainer_pause(t);
    TrainProgress p = trainer_progress(t);
    CHECK(p.paused);
    trainer_resume(t);
    trainer_stop(t);
    p = trainer_progress(t);
    CHECK(p.finished && p.stopped && p.words_done < p.words_total);
    CHECK(trainer_export(t, &b, &e));
    CHECK(!memcmp(a.vec, b.vec, (size_t)a.rows * (size_t)a.stride * sizeof(float)));
    emb_deinit(&a);
    emb_deinit(&b);
    trainer_destroy(t);
    corpus_close(&c);
    unlink(corpus_path);
}

/* Polls the trainer until cond holds or 120 s pass (a sanitizer build trains slowly). */
#define UNTIL(t, p, cond)                                                            \
    do {                                                                             \
        for (int ms_ = 0; ms_ < 120000; ms_++) {                                     \
            p = trainer_progress(t);                                                 \
            if ((cond) || p.finished)                                                \
                break;                                                               \
            nanosleep(&(struct timespec){0, 1000 * 1000}, NULL);                     \
        }                                                                            \
    } while (0)

static uint64_t rows_hash(const Trainer *t, float *buf, int stride, int64_t rows)
{
    trainer_copy_rows(t, buf, stride);
    uint64_t h = 1469598103934665603ull;
    const unsigned char *b = (const unsigned char *)buf;
    for (size_t i = 0; i < (size_t)rows * (size_t)stride * sizeof(float); i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

/* A rate set while the threads train: once rate_pending is 0 no step at the old rate is left,
 * so a rate of 0 freezes every row from there on (a step begun before the change and
 * descheduled, or a report that put the old rate back, would move one), and clearing it
 * moves them again. */
TEST(a_rate_set_mid_run_holds_once_no_thread_is_pending)
{
    Corpus c;
    TrainDesc d = {.model = TRAIN_SKIPGRAM, .dim = 16, .iter = 5000, .min_count = 1, .threads = 2};
    Trainer *t = make_trainer(d, &c);
    CHECK(t);
    Err e = {0};
    int64_t rows = trainer_vocab(t)->size;
    int stride = 16;
    float *buf = malloc((size_t)rows * (size_t)stride * sizeof(float));
    CHECK(buf);
    CHECKF(trainer_start(t, &e), "%s", e.msg);
    TrainProgress p;
    UNTIL(t, p, p.words_done >= 100000);
    CHECKF(!p.finished && p.rate_pending == 0, "words %llu, pending %d",
           (unsigned long long)p.words_done, p.rate_pending);
    for (int round = 0; round < 3; round++) {
        trainer_set_alpha(t, 0);
        UNTIL(t, p, p.rate_pending == 0);
        CHECKF(!p.finished && p.rate_pending == 0 && p.alpha == 0, "pending %d, alpha %g",
               p.rate_pending, p.alpha);
        uint64_t at = p.words_done, frozen = rows_hash(t, buf, stride, rows);
        UNTIL(t, p, p.words_done >= at + 100000);
        CHECKF(!p.finished && rows_hash(t, buf, stride, rows) == frozen,
               "round %d: rows moved between %llu and %llu words at rate 0", round,
               (unsigned long long)at, (unsigned long long)p.words_done);
        trainer_set_alpha(t, -1); /* the run's own rate again */
        UNTIL(t, p, p.rate_pending == 0);
        at = p.words_done;
        UNTIL(t, p, p.words_done >= at + 50000);
        CHECKF(!p.finished && p.alpha > 0 && rows_hash(t, buf, stride, rows) != frozen,
               "round %d: rows still at rate %g", round, p.alpha);
    }
    trainer_stop(t);
    free(buf);
    trainer_destroy(t);
    corpus_close(&c);
    unlink(corpus_path);
}

/* uniform in [-r, r), r = 0.8 / sqrt(dim) (see alloc_matrices in train.c): the bound holds and
 * the draws fill it */
TEST(initialisation_is_uniform_in_its_range)
{
    Corpus c;
    TrainDesc d = {.dim = 50, .min_count = 1, .threads = 1};
    Trainer *t = make_trainer(d, &c);
    CHECK(t);
    Embeddings m;
    emb_init(&m);
    Err e = {0};
    CHECK(trainer_export(t, &m, &e));
    float lo = 1, hi = -1;
    for (int64_t i = 0; i < m.rows; i++)
        for (int j = 0; j < m.dim; j++) {
            float x = emb_row(&m, i)[j];
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
    float r = trainer_init_range(50);
    CHECKF(fabsf(r - 0.8f / sqrtf(50)) < 1e-6f, "range %g", (double)r);
    CHECKF(lo >= -r && hi < r && hi - lo > 1.9f * r, "drawn from [%g, %g], range %g", (double)lo, (double)hi, (double)r);
    emb_deinit(&m);
    trainer_destroy(t);
    corpus_close(&c);
}

/* A corpus whose first half (by bytes, where the first of two shards ends) has four words a
 * line padded with blanks and whose second half 800 one-letter words a line, as many bytes:
 * the second thread has about two hundred times the
 * first's words, so the first is done long before the second even when a busy machine runs
 * it late (with twenty times, under a parallel test run it once came when the second had less
 * than STEAL_MIN left). */
static bool lopsided_corpus(char *path, size_t cap)
{
    snprintf(path, cap, "/tmp/es_lopsided_XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return false;
    for (int i = 0; i < 2000; i++) {
        for (int j = 0; j < 4; j++)
            fprintf(f, "%slong%02d", j ? " " : "", (i + j) % 10);
        fprintf(f, "%1570s\n", "");
    }
    for (int i = 0; i < 2000; i++) {
        for (int j = 0; j < 800; j++)
            fprintf(f, "%s%c", j ? " " : "", 'a' + (i * 7 + j * 3) % 26);
        fputc('\n', f);
    }
    return fclose(f) == 0;
}

/* With balancing, the thread done with its few words an epoch takes halves of what the other has
 * left, and still every word of every epoch is read exactly once; such a run refuses a hold. */
TEST(balanced_threads_read_every_word_once)
{
    char path[64];
    CHECK(lopsided_corpus(path, sizeof path));
    Corpus c;
    Err e = {0};
    CHECKF(corpus_open(&c, path, &e), "%s", e.msg);
    Vocab v;
    vocab_init(&v);
    CorpusIds ids;
    /* recorded while counting, so every epoch replays and can be shared */
    CHECKF(corpus_count_ids(&c, &v, 1, 0, 2, NULL, NULL, NULL, &ids, &e), "%s", e.msg);
    CHECK(ids.nshards == 2 && ids.n[1] > 100 * ids.n[0]);
    TrainDesc d = {.model = TRAIN_CBOW, .dim = 8, .iter = 2, .min_count = 1, .threads = 2};
    Trainer *t = trainer_create(&d, &c, &v, &e);
    CHECKF(t, "%s", e.msg);
    trainer_adopt_ids(t, &ids);
    CHECK(trainer_set_balance(t, true, &e));
    trainer_pause(t); /* both threads ready before either runs, so the first has a range to take */
    CHECK(trainer_start(t, &e));
    Ckpt k;
    ckpt_init(&k);
    CHECK(!ckpt_take(t, &k, &e) && strstr(e.msg, "balance"));
    ckpt_deinit(&k);
    trainer_resume(t);
    trainer_wait(t);
    TrainProgress p = trainer_progress(t);
    fprintf(stderr, "    %llu of %llu words read, %llu ranges taken\n", (unsigned long long)p.words_done,
            (unsigned long long)p.words_total, (unsigned long long)p.ranges_taken);
    CHECK(p.finished && p.words_done == p.words_total && p.ranges_taken > 0);
    CHECK(!trainer_set_balance(t, false, &e)); /* set before the start only */
    trainer_destroy(t);
    corpus_ids_free(&ids);
    vocab_deinit(&v);
    corpus_close(&c);
    unlink(path);
}
