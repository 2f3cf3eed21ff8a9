/* Training sessions: see train.h. Each thread reads its own shard of the corpus each epoch and
 * updates the shared matrices without locks (Hogwild, as word2vec.c and gensim do); the
 * progress counters are C11 atomics and the control flags are under one mutex. */
#include "model/train/train.h"
#include "model/train/noise.h"
#include "model/base/rng.h"
#include "model/train/sgns.h"
#include "model/text/world.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SENTENCE 1000      /* words per training sentence, as word2vec.c */
#define MAX_CODE 40            /* Huffman code length bound (word2vec.c) */
#define COUNT_EVERY 10000      /* words between updates of the shared counters */
#define LOSS_EVERY 16          /* compute the loss on one trained pair in this many */

typedef struct ThreadState {
    Trainer *t;
    int id;
    pthread_t thread;
    int started;
    /* Written by the owning thread only; read by trainer_progress. Padded apart to avoid
     * false sharing between the threads' hot counters. */
    _Alignas(64) _Atomic uint64_t words;   /* words read (before subsampling) */
    _Atomic int epoch;
    _Atomic double loss_sum;
    _Atomic uint64_t loss_n;
    char pad[64];
} ThreadState;

struct Trainer {
    TrainDesc d;
    const Corpus *corpus;
    Vocab vocab;
    int dim, stride;
    float *syn0;     /* (V, stride) input vectors: what users see. Row i is vocab word i. */
    float *syn1neg;  /* (V, stride) output vectors for negative sampling, zero-initialised */
    float *syn1;     /* (V, stride) inner-node vectors for hierarchical softmax */
    int32_t *points; /* (V, MAX_CODE) Huffman inner nodes per word */
    uint8_t *codes;  /* (V, MAX_CODE) Huffman branch bits */
    uint8_t *codelen;
    uint32_t *keep;  /* (V) subsampling: keep word i when rand32 < keep[i] */
    Noise noise;
    float sig[SGNS_TABLE_SIZE + 1];
    ThreadState *ts;
    int nthreads;

    _Atomic double alpha_base;  /* starting alpha; trainer_set_alpha overrides it */
    _Atomic double alpha_now;
    _Atomic int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int paused;        /* under mu */
    int running;       /* under mu: threads not yet joined */
    int active;        /* under mu: threads still training */
    double t_start, t_paused_total, t_pause_began, t_end; /* under mu; monotonic seconds */
    Err thread_err;    /* first error from a thread, under mu */
    int has_err;
};

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* xorshift64*: a fast per-thread generator; state must be non-zero. */
static inline uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ull;
}


/* word2vec.c's Huffman tree over the (sorted) counts, for hierarchical softmax. */
static bool build_huffman(Trainer *t, Err *e)
{
    int64_t V = t->vocab.size;
    uint64_t *count = malloc((size_t)(2 * V + 1) * sizeof *count);
    int64_t *parent = malloc((size_t)(2 * V + 1) * sizeof *parent);
    uint8_t *binary = calloc((size_t)(2 * V + 1), 1);
    t->points = malloc((size_t)V * MAX_CODE * sizeof *t->points);
    t->codes = malloc((size_t)V * MAX_CODE);
    t->codelen = malloc((size_t)V);
    if (!count || !parent || !binary || !t->points || !t->codes || !t->codelen) {
        free(count), free(parent), free(binary);
        return err_set(e, "out of memory for the Huffman tree");
    }
    for (int64_t a = 0; a < V; a++)
        count[a] = t->vocab.counts[a];
    for (int64_t a = V; a < 2 * V; a++)
        count[a] = UINT64_MAX / 4;
    int64_t pos1 = V - 1, pos2 = V;
    for (int64_t a = 0; a < V - 1; a++) {
        int64_t m[2];
        for (int k = 0; k < 2; k++) {
            if (pos1 >= 0 && count[pos1] < count[pos2])
                m[k] = pos1--;
            else
                m[k] = pos2++;
        }
        count[V + a] = count[m[0]] + count[m[1]];
        parent[m[0]] = V + a;
        parent[m[1]] = V + a;
        binary[m[1]] = 1;
    }
    bool ok = true;
    for (int64_t a = 0; a < V && ok; a++) {
        int64_t b = a, i = 0;
        uint8_t code[MAX_CODE];
        int64_t point[MAX_CODE];
        while (b != 2 * V - 2) {
            if (i >= MAX_CODE) {
                ok = err_set(e, "Huffman code longer than %d bits", MAX_CODE);
                break;
            }
            code[i] = binary[b];
            point[i] = b;
            i++;
            b = parent[b];
        }
        t->codelen[a] = (uint8_t)i;
        int32_t *pt = t->points + a * MAX_CODE;
        uint8_t *cd = t->codes + a * MAX_CODE;
        pt[0] = (int32_t)(V - 2);
        for (int64_t k = 0; k < i; k++) {
            cd[i - k - 1] = code[k];
            pt[i - k] = (int32_t)(point[k] - V);
        }
    }
    free(count), free(parent), free(binary);
    return ok;
}

Trainer *trainer_create(const TrainDesc *desc, const Corpus *c, Vocab *v, Err *e)
{
    TrainDesc d = train_desc_defaults(desc);
    if (d.dim < 1 || d.dim > EMB_MAX_DIM || d.window < 1 || d.window > 1000 || d.iter < 1 ||
        d.threads < 1 || d.threads > 1024 || d.negative > 1000 || d.alpha < 0 ||
        (d.negative < 0 && !d.hs) || d.model < TRAIN_CBOW || d.model > TRAIN_SKIPGRAM) {
        err_set(e, "bad training settings (size %d, window %d, iter %d, threads %d, negative %d, hs %d)",
                d.dim, d.window, d.iter, d.threads, d.negative, d.hs);
        return NULL;
    }
    if (!v || v->size < 1 || v->size > INT32_MAX - 1) {
        err_set(e, "the vocabulary is empty or too large");
        return NULL;
    }
    Trainer *t = calloc(1, sizeof *t);
    if (!t) {
        err_set(e, "out of memory");
        return NULL;
    }
    t->d = d;
    t->corpus = c;
    t->vocab = *v;
    vocab_init(v);
    t->dim = d.dim;
    t->stride = emb_stride(d.dim);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    atomic_init(&t->alpha_base, d.alpha);
    atomic_init(&t->alpha_now, d.alpha);
    atomic_init(&t->stop, 0);
    int64_t V = t->vocab.size;
    size_t bytes = (size_t)V * (size_t)t->stride * sizeof(float);
    if ((uint64_t)V > SIZE_MAX / sizeof(float) / (size_t)t->stride) {
        err_set(e, "%lld x %d vectors do not fit in memory", (long long)V, d.dim);
        goto fail;
    }
    t->syn0 = emb_aligned_alloc(bytes);
    if (!t->syn0 || (d.negative > 0 && !(t->syn1neg = emb_aligned_alloc(bytes))) ||
        (d.hs && !(t->syn1 = emb_aligned_alloc(bytes)))) {
        err_set(e, "out of memory for %lld x %d vectors", (long long)V, d.dim);
        goto fail;
    }
    /* word2vec.c's initialisation: uniform in [-0.5/dim, 0.5/dim), from a seeded LCG-like
     * stream so single-thread runs reproduce bit for bit. */
    uint64_t rs = rng_mix(d.seed) | 1;
    for (int64_t i = 0; i < V; i++) {
        float *row = t->syn0 + i * t->stride;
        for (int j = 0; j < d.dim; j++)
            row[j] = ((float)(rng_next(&rs) >> 40) / 16777216.0f - 0.5f) / (float)d.dim;
    }
    if (d.negative > 0 && !noise_init(&t->noise, t->vocab.counts, V, 0.75, e))
        goto fail;
    if (d.hs && !build_huffman(t, e))
        goto fail;
    t->keep = malloc((size_t)V * sizeof *t->keep);
    if (!t->keep) {
        err_set(e, "out of memory");
        goto fail;
    }
    double total = (double)t->vocab.total;
    for (int64_t i = 0; i < V; i++) {
        double p = 1.0;
        if (d.sample > 0) {
            /* word2vec.c: keep with probability (sqrt(f/s) + 1) * s / f, f = count/total */
            double st = d.sample * total, cn = (double)t->vocab.counts[i];
            p = (sqrt(cn / st) + 1.0) * st / cn;
        }
        t->keep[i] = p >= 1.0 ? UINT32_MAX : (uint32_t)(p * 4294967296.0);
    }
    sgns_init_table(t->sig);
    t->nthreads = d.threads;
    t->ts = aligned_alloc(64, sizeof(ThreadState) * (size_t)d.threads);
    if (!t->ts) {
        err_set(e, "out of memory");
        goto fail;
    }
    memset(t->ts, 0, sizeof(ThreadState) * (size_t)d.threads);
    for (int i = 0; i < d.threads; i++) {
        t->ts[i].t = t;
        t->ts[i].id = i;
        atomic_init(&t->ts[i].words, 0);
        atomic_init(&t->ts[i].epoch, 0);
        atomic_init(&t->ts[i].loss_sum, 0.0);
        atomic_init(&t->ts[i].loss_n, 0);
    }
    return t;
fail:
    trainer_destroy(t);
    return NULL;
}

static uint64_t words_done(const Trainer *t)
{
    uint64_t w = 0;
    for (int i = 0; i < t->nthreads; i++)
        w += atomic_load_explicit(&t->ts[i].words, memory_order_relaxed);
    return w;
}

static double current_alpha(Trainer *t, uint64_t done)
{
    double total = (double)t->d.iter * (double)t->vocab.total + 1.0;
    double base = atomic_load_explicit(&t->alpha_base, memory_order_relaxed);
    double a = base * (1.0 - (double)done / total);
    if (a < base * 1e-4)
        a = base * 1e-4;
    return a;
}

/* Blocks while paused; returns false when asked to stop. */
static bool check_pause(Trainer *t)
{
    if (atomic_load_explicit(&t->stop, memory_order_relaxed))
        return false;
    pthread_mutex_lock(&t->mu);
    while (t->paused && !atomic_load(&t->stop))
        pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
    return !atomic_load_explicit(&t->stop, memory_order_relaxed);
}

typedef struct Work {
    int32_t sen[MAX_SENTENCE];
    int32_t targets[1001];
    float *neu1, *neu1e; /* (stride) hidden vector and its gradient */
    float *batch;        /* HogBatch scratch: (2 window + negative + 1) * stride + m * n */
    float *in_rows[2 * 1000];
    uint64_t rng;
    double loss_sum;
    uint64_t loss_n, pair_i;
} Work;

/* targets[0] = word, then d.negative noise words (never word itself). Returns the count. */
static int draw_targets(Trainer *t, Work *w, int32_t word)
{
    int n = 1;
    w->targets[0] = word;
    /* A vocabulary of one word has nothing to contrast with. */
    if (t->vocab.size < 2)
        return 1;
    while (n <= t->d.negative) {
        int32_t tg = noise_draw(&t->noise, rng_next(&w->rng));
        if (tg == word)
            continue; /* as word2vec.c: a draw of the positive word is dropped */
        w->targets[n++] = tg;
    }
    return n;
}

static void train_pair_output(Trainer *t, Work *w, const float *h, int32_t word)
{
    const TrainDesc *d = &t->d;
    float alpha = (float)atomic_load_explicit(&t->alpha_now, memory_order_relaxed);
    int want_loss = (++w->pair_i % LOSS_EVERY) == 0;
    float loss = 0;
    if (d->hs)
        loss += sgns_hs_step(h, w->neu1e, t->syn1, t->stride, t->points + (int64_t)word * MAX_CODE,
                             t->codes + (int64_t)word * MAX_CODE, t->codelen[word], t->dim, alpha,
                             t->sig, want_loss);
    if (d->negative > 0) {
        int n = draw_targets(t, w, word);
        loss += sgns_ns_step(h, w->neu1e, t->syn1neg, t->stride, w->targets, n, t->dim, alpha,
                             t->sig, want_loss);
    }
    if (want_loss) {
        w->loss_sum += loss;
        w->loss_n++;
    }
}

static void train_sentence(Trainer *t, Work *w, int len)
{
    const TrainDesc *d = &t->d;
    int dim = t->dim;
    for (int pos = 0; pos < len; pos++) {
        int32_t word = w->sen[pos];
        int b = (int)(rng_next(&w->rng) % (uint64_t)d->window);
        int lo = pos - (d->window - b), hi = pos + (d->window - b);
        if (lo < 0)
            lo = 0;
        if (hi >= len)
            hi = len - 1;
        if (d->model == TRAIN_CBOW) {
            memset(w->neu1, 0, (size_t)dim * sizeof(float));
            int cw = 0;
            for (int c = lo; c <= hi; c++) {
                if (c == pos)
                    continue;
                sgns_axpy(w->neu1, 1.0f, t->syn0 + (int64_t)w->sen[c] * t->stride, dim);
                cw++;
            }
            if (!cw)
                continue;
            float inv = 1.0f / (float)cw;
            for (int j = 0; j < dim; j++)
                w->neu1[j] *= inv;
            memset(w->neu1e, 0, (size_t)dim * sizeof(float));
            train_pair_output(t, w, w->neu1, word);
            for (int c = lo; c <= hi; c++)
                if (c != pos)
                    sgns_axpy(t->syn0 + (int64_t)w->sen[c] * t->stride, 1.0f, w->neu1e, dim);
        } else if (d->batch > 0 && d->negative > 0 && !d->hs) {
            int m = 0;
            for (int c = lo; c <= hi; c++)
                if (c != pos)
                    w->in_rows[m++] = t->syn0 + (int64_t)w->sen[c] * t->stride;
            if (!m)
                continue;
            int n = draw_targets(t, w, word);
            float alpha = (float)atomic_load_explicit(&t->alpha_now, memory_order_relaxed);
            int want_loss = (++w->pair_i % LOSS_EVERY) == 0;
            float loss = sgns_batch_step(w->in_rows, m, t->syn1neg, t->stride, w->targets, n, dim,
                                         alpha, t->sig, w->batch, want_loss);
            if (want_loss) {
                w->loss_sum += loss / (float)m;
                w->loss_n++;
            }
        } else {
            for (int c = lo; c <= hi; c++) {
                if (c == pos)
                    continue;
                float *h = t->syn0 + (int64_t)w->sen[c] * t->stride;
                memset(w->neu1e, 0, (size_t)dim * sizeof(float));
                train_pair_output(t, w, h, word);
                sgns_axpy(h, 1.0f, w->neu1e, dim);
            }
        }
    }
}

static void thread_fail(Trainer *t, const Err *e)
{
    pthread_mutex_lock(&t->mu);
    if (!t->has_err) {
        t->thread_err = *e;
        t->has_err = 1;
    }
    pthread_mutex_unlock(&t->mu);
    atomic_store(&t->stop, 1);
}

/* A thread's word ids for one epoch. The first epoch over a file tokenises and hashes every
 * word once and keeps the ids (IDS_EOS between lines); later epochs replay them, so hashing
 * leaves the training loop. Built-in corpora generate new text every epoch and are streamed;
 * a shard larger than the cache budget is streamed too. */
enum { IDS_EOS = -1, IDS_EOF = -2, IDS_ERROR = -3 };
#define IDS_CACHE_BUDGET ((size_t)1 << 30) /* bytes of ids over all threads */

typedef struct IdSource {
    Trainer *t;
    CorpusReader r;
    int reading;      /* r is open */
    int32_t *ids;
    size_t n, cap, pos;
    int state;        /* 0 recording, 1 replaying, 2 streaming only */
} IdSource;

static bool ids_open(IdSource *s, int shard, int epoch, Err *e)
{
    Trainer *t = s->t;
    s->pos = 0;
    if (s->state == 1)
        return true;
    if (t->corpus->builtin)
        s->state = 2; /* a new stream every epoch: nothing to replay */
    if (!corpus_reader_open(&s->r, t->corpus, shard, t->nthreads, epoch, t->d.seed, e))
        return false;
    s->reading = 1;
    return true;
}

static void ids_push(IdSource *s, int32_t id)
{
    if (s->state != 0)
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : (size_t)1 << 16;
        size_t limit = IDS_CACHE_BUDGET / sizeof(int32_t) / (size_t)s->t->nthreads;
        int32_t *p = cap <= limit ? realloc(s->ids, cap * sizeof *p) : NULL;
        if (!p) {
            free(s->ids);
            s->ids = NULL;
            s->n = s->cap = 0;
            s->state = 2;
            return;
        }
        s->ids = p;
        s->cap = cap;
    }
    s->ids[s->n++] = id;
}

static int32_t ids_next(IdSource *s, Err *e)
{
    if (s->state == 1)
        return s->pos < s->n ? s->ids[s->pos++] : IDS_EOF;
    char tok[CORPUS_MAX_TOKEN + 1];
    size_t len;
    for (;;) {
        CorpusTok k = corpus_next(&s->r, tok, &len, e);
        if (k == CORPUS_ERROR)
            return IDS_ERROR;
        if (k == CORPUS_EOF)
            return IDS_EOF;
        if (k == CORPUS_EOS) {
            ids_push(s, IDS_EOS);
            return IDS_EOS;
        }
        int64_t id = vocab_find(&s->t->vocab, tok, len);
        if (id >= 0) {
            ids_push(s, (int32_t)id);
            return (int32_t)id;
        }
    }
}

/* End of an epoch: a complete recording is replayed from now on. */
static void ids_close_epoch(IdSource *s)
{
    if (s->reading) {
        corpus_reader_close(&s->r);
        s->reading = 0;
    }
    if (s->state == 0)
        s->state = 1;
}

static void ids_deinit(IdSource *s)
{
    if (s->reading)
        corpus_reader_close(&s->r);
    free(s->ids);
    memset(s, 0, sizeof *s);
}

static void *thread_main(void *arg)
{
    ThreadState *ts = arg;
    Trainer *t = ts->t;
    const TrainDesc *d = &t->d;
    Work *w = emb_aligned_alloc(sizeof(Work));
    int maxm = 2 * d->window, maxn = (d->negative > 0 ? d->negative : 0) + 1;
    size_t batch_floats = (size_t)(maxm + maxn) * (size_t)t->stride + (size_t)maxm * (size_t)maxn;
    float *buf = emb_aligned_alloc((2 * (size_t)t->stride + batch_floats) * sizeof(float));
    Err e = {0};
    if (!w || !buf) {
        err_set(&e, "out of memory in a training thread");
        thread_fail(t, &e);
        goto done;
    }
    memset(w, 0, sizeof *w);
    w->neu1 = buf;
    w->neu1e = buf + t->stride;
    w->batch = buf + 2 * t->stride;
    w->rng = rng_mix(d->seed * 0x100000001b3ull + (uint64_t)ts->id + 1) | 1;
    uint64_t since_count = 0;
    IdSource src = {.t = t};
    for (int epoch = 0; epoch < d->iter; epoch++) {
        atomic_store_explicit(&ts->epoch, epoch, memory_order_relaxed);
        if (!ids_open(&src, ts->id, epoch, &e)) {
            thread_fail(t, &e);
            goto done;
        }
        int n = 0, eof = 0;
        while (!eof) {
            /* Read one sentence (or MAX_SENTENCE words of a longer line). */
            n = 0;
            for (;;) {
                int32_t id = ids_next(&src, &e);
                if (id == IDS_ERROR) {
                    ids_deinit(&src);
                    thread_fail(t, &e);
                    goto done;
                }
                if (id == IDS_EOF) {
                    eof = 1;
                    break;
                }
                if (id == IDS_EOS) {
                    if (n)
                        break;
                    continue;
                }
                since_count++;
                if (t->keep[id] != UINT32_MAX && (uint32_t)rng_next(&w->rng) >= t->keep[id])
                    continue;
                w->sen[n++] = id;
                if (n == MAX_SENTENCE)
                    break;
            }
            if (since_count >= COUNT_EVERY || eof) {
                atomic_fetch_add_explicit(&ts->words, since_count, memory_order_relaxed);
                since_count = 0;
                if (w->loss_n) {
                    atomic_store_explicit(&ts->loss_sum, w->loss_sum / (double)w->loss_n,
                                          memory_order_relaxed);
                    atomic_store_explicit(&ts->loss_n, w->loss_n, memory_order_relaxed);
                    /* An exponential moving mean: halve the weight of the past every report. */
                    w->loss_sum *= 0.5;
                    w->loss_n = (w->loss_n + 1) / 2;
                }
                uint64_t done = t->d.deterministic
                                    ? atomic_load_explicit(&ts->words, memory_order_relaxed)
                                    : words_done(t);
                atomic_store_explicit(&t->alpha_now, current_alpha(t, done), memory_order_relaxed);
                if (!check_pause(t)) {
                    ids_deinit(&src);
                    goto done;
                }
            }
            if (n > 1 || (n == 1 && t->d.model == TRAIN_SKIPGRAM))
                train_sentence(t, w, n);
        }
        ids_close_epoch(&src);
    }
    ids_deinit(&src);
    atomic_store_explicit(&ts->epoch, d->iter, memory_order_relaxed);
done:
    free(buf);
    free(w);
    pthread_mutex_lock(&t->mu);
    if (--t->active == 0)
        t->t_end = now_sec();
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

bool trainer_start(Trainer *t, Err *e)
{
    pthread_mutex_lock(&t->mu);
    if (t->running || t->t_start > 0) {
        pthread_mutex_unlock(&t->mu);
        return err_set(e, "training already started");
    }
    t->t_start = now_sec();
    t->running = 1;
    t->active = t->nthreads;
    pthread_mutex_unlock(&t->mu);
    for (int i = 0; i < t->nthreads; i++) {
        if (pthread_create(&t->ts[i].thread, NULL, thread_main, &t->ts[i]) != 0) {
            pthread_mutex_lock(&t->mu);
            t->active -= t->nthreads - i;
            pthread_mutex_unlock(&t->mu);
            trainer_stop(t);
            return err_set(e, "cannot start training thread %d", i);
        }
        t->ts[i].started = 1;
    }
    return true;
}

void trainer_pause(Trainer *t)
{
    pthread_mutex_lock(&t->mu);
    if (!t->paused && t->active > 0) {
        t->paused = 1;
        t->t_pause_began = now_sec();
    }
    pthread_mutex_unlock(&t->mu);
}

void trainer_resume(Trainer *t)
{
    pthread_mutex_lock(&t->mu);
    if (t->paused) {
        t->paused = 0;
        t->t_paused_total += now_sec() - t->t_pause_began;
        pthread_cond_broadcast(&t->cv);
    }
    pthread_mutex_unlock(&t->mu);
}

static void join_all(Trainer *t)
{
    for (int i = 0; i < t->nthreads; i++)
        if (t->ts[i].started) {
            pthread_join(t->ts[i].thread, NULL);
            t->ts[i].started = 0;
        }
    pthread_mutex_lock(&t->mu);
    t->running = 0;
    pthread_mutex_unlock(&t->mu);
}

void trainer_stop(Trainer *t)
{
    if (!t)
        return;
    atomic_store(&t->stop, 1);
    trainer_resume(t);
    join_all(t);
}

void trainer_wait(Trainer *t)
{
    if (t)
        join_all(t);
}

void trainer_set_alpha(Trainer *t, double alpha)
{
    atomic_store(&t->alpha_base, alpha < 0 ? t->d.alpha : alpha);
    atomic_store(&t->alpha_now, current_alpha(t, words_done(t)));
}

TrainProgress trainer_progress(const Trainer *tc)
{
    Trainer *t = (Trainer *)tc; /* the mutex is logically const */
    TrainProgress p = {0};
    p.words_done = words_done(t);
    p.words_total = (uint64_t)t->d.iter * t->vocab.total;
    p.alpha = atomic_load(&t->alpha_now);
    double ls = 0;
    int nl = 0;
    p.epoch = t->d.iter;
    for (int i = 0; i < t->nthreads; i++) {
        if (atomic_load(&t->ts[i].loss_n)) {
            ls += atomic_load(&t->ts[i].loss_sum);
            nl++;
        }
        int ep = atomic_load(&t->ts[i].epoch);
        if (ep < p.epoch)
            p.epoch = ep;
    }
    p.loss = nl ? ls / nl : 0;
    p.epochs = t->d.iter;
    pthread_mutex_lock(&t->mu);
    double now = now_sec();
    if (t->t_start > 0) {
        double end = t->active == 0 ? t->t_end : t->paused ? t->t_pause_began : now;
        p.elapsed = end - t->t_start - t->t_paused_total;
    }
    p.running = t->active > 0;
    p.paused = t->paused;
    p.stopped = atomic_load(&t->stop) && !t->has_err;
    p.finished = t->t_start > 0 && t->active == 0;
    pthread_mutex_unlock(&t->mu);
    p.words_per_sec = p.elapsed > 0 ? (double)p.words_done / p.elapsed : 0;
    if (p.epoch > p.epochs - 1 && !p.finished)
        p.epoch = p.epochs - 1;
    return p;
}

bool trainer_error(const Trainer *tc, Err *e)
{
    Trainer *t = (Trainer *)tc;
    pthread_mutex_lock(&t->mu);
    int has = t->has_err;
    if (has && e)
        *e = t->thread_err;
    pthread_mutex_unlock(&t->mu);
    return has;
}

const TrainDesc *trainer_desc(const Trainer *t) { return &t->d; }
const Vocab *trainer_vocab(const Trainer *t) { return &t->vocab; }
int trainer_dim(const Trainer *t) { return t->dim; }

void trainer_copy_rows(const Trainer *t, float *dst, int stride)
{
    int64_t V = t->vocab.size;
    int n = stride < t->stride ? stride : t->stride;
    for (int64_t i = 0; i < V; i++)
        memcpy(dst + i * stride, t->syn0 + i * t->stride, (size_t)n * sizeof(float));
}

bool trainer_export(const Trainer *t, Embeddings *out, Err *e)
{
    Embeddings m;
    emb_init(&m);
    if (!vocab_copy(&m.vocab, &t->vocab, e) || !emb_alloc(&m, t->vocab.size, t->dim, e)) {
        emb_deinit(&m);
        return false;
    }
    trainer_copy_rows(t, m.vec, m.stride);
    emb_deinit(out);
    *out = m;
    return true;
}

void trainer_destroy(Trainer *t)
{
    if (!t)
        return;
    trainer_stop(t);
    vocab_deinit(&t->vocab);
    free(t->syn0);
    free(t->syn1neg);
    free(t->syn1);
    free(t->points);
    free(t->codes);
    free(t->codelen);
    free(t->keep);
    noise_deinit(&t->noise);
    free(t->ts);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t);
}
