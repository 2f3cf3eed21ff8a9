/* Training sessions: see train.h. This file holds the session's life cycle, its controls,
 * progress and copies of the vectors; worker.c holds the threads' loop. Each thread reads its
 * own shard of the corpus each epoch and updates the shared matrices without locks (Hogwild,
 * as word2vec.c and gensim do); the progress counters are C11 atomics and the control flags
 * are under one mutex. Any thread may call these functions. */
#include "model/train/train.h"
#include "model/base/clock.h"
#include "model/base/rng.h"
#include "model/train/trainer_state.h"
#include "model/train/worker.h"
#include "model/train/xorshift.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* syn0, and syn1neg / syn1 when negative sampling / hierarchical softmax are on. syn0 starts
 * uniform in [-r, r), r = TRAIN_INIT_RANGE / sqrt(dim); syn1neg and syn1 at zero. With
 * syn1neg at zero a row's first gradients are products of the two matrices, so training
 * first has to grow out of the start's small scale, and a short run spends a share of its
 * epochs on that: word2vec.c's r = 0.5 / dim and gensim 4's 1 / dim (0.005 and 0.01 at dim
 * 100) leave CBOW at 3 epochs 2.3 analogy points below this range, and 4.7 at dim 300 (1/dim
 * against 0.8/sqrt(dim); bench/README.md, "The start's range"). From a seeded stream, so
 * single-thread runs reproduce bit for bit. */
#define TRAIN_INIT_RANGE 0.8

float trainer_init_range(int dim) { return (float)(TRAIN_INIT_RANGE / sqrt(dim > 0 ? (double)dim : 1.0)); }

static bool alloc_matrices(Trainer *t, Err *e)
{
    const TrainDesc *d = &t->d;
    int64_t V = t->vocab.size;
    if ((uint64_t)V > SIZE_MAX / sizeof(float) / (size_t)t->stride)
        return err_set(e, "%lld x %d vectors do not fit in memory", (long long)V, d->dim);
    size_t bytes = (size_t)V * (size_t)t->stride * sizeof(float);
    t->syn0 = emb_aligned_alloc(bytes);
    if (!t->syn0 || (d->negative > 0 && !(t->syn1neg = emb_aligned_alloc(bytes))) ||
        (d->hs && !(t->syn1 = emb_aligned_alloc(bytes))))
        return err_set(e, "out of memory for %lld x %d vectors", (long long)V, d->dim);
    uint64_t rs = rng_mix(d->seed) | 1;
    float r = trainer_init_range(d->dim);
    for (int64_t i = 0; i < V; i++) {
        float *row = t->syn0 + i * t->stride;
        for (int j = 0; j < d->dim; j++)
            row[j] = ((float)(xorshift_next(&rs) >> 40) / 8388608.0f - 1.0f) * r;
    }
    return true;
}

/* Subsampling's keep thresholds. word2vec.c keeps a word with probability
 * (sqrt(f/s) + 1) * s / f, f = count/total and s the sample threshold. */
static bool make_keep(Trainer *t, Err *e)
{
    int64_t V = t->vocab.size;
    t->keep = malloc((size_t)V * sizeof *t->keep);
    if (!t->keep)
        return err_set(e, "out of memory");
    double total = (double)t->vocab.total;
    for (int64_t i = 0; i < V; i++) {
        double p = 1.0;
        if (t->d.sample > 0) {
            double st = t->d.sample * total, cn = (double)t->vocab.counts[i];
            p = (sqrt(cn / st) + 1.0) * st / cn;
        }
        t->keep[i] = p >= 1.0 ? UINT32_MAX : (uint32_t)(p * 4294967296.0);
    }
    return true;
}

static bool make_threads(Trainer *t, Err *e)
{
    t->nthreads = t->d.threads;
    t->ts = aligned_alloc(64, sizeof(ThreadState) * (size_t)t->nthreads);
    if (!t->ts)
        return err_set(e, "out of memory");
    memset(t->ts, 0, sizeof(ThreadState) * (size_t)t->nthreads);
    for (int i = 0; i < t->nthreads; i++) {
        t->ts[i].t = t;
        t->ts[i].id = i;
        pthread_mutex_init(&t->ts[i].steal_mu, NULL);
        atomic_init(&t->ts[i].words, 0);
        atomic_init(&t->ts[i].epoch, 0);
        atomic_init(&t->ts[i].loss_sum, 0.0);
        atomic_init(&t->ts[i].loss_n, 0);
        atomic_init(&t->ts[i].rate_seen, 0);
        atomic_init(&t->ts[i].training, 0);
        /* each thread's own stream, a pure function of the seed and its index */
        t->ts[i].pos.rng = rng_mix(t->d.seed * UINT64_C(0x100000001b3) + (uint64_t)(i + 1)) | 1;
    }
    return true;
}

Trainer *trainer_create(const TrainDesc *desc, const Corpus *c, Vocab *v, Err *e)
{
    TrainDesc d = train_desc_defaults(desc);
    if (!train_desc_check(&d, e))
        return NULL;
    /* ids are int32_t in the workers, with negative values as markers */
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
    t->nranks = 1;
    t->vocab = *v;
    vocab_init(v);
    t->dim = d.dim;
    t->stride = emb_stride(d.dim);
    pthread_mutex_init(&t->mu, NULL);
    /* trainer_wait_for's timeout runs on the monotonic clock, as every other timing does */
    clock_cond_init(&t->cv);
    atomic_init(&t->alpha_base, d.alpha);
    atomic_init(&t->rate_gen, 0);
    atomic_init(&t->stop, 0);
    atomic_init(&t->taken, 0);
    atomic_init(&t->attn, 0);
    sgns_init_table(t->sig);
    if (!alloc_matrices(t, e) ||
        (d.negative > 0 && !noise_init(&t->noise, t->vocab.counts, t->vocab.size, 0.75, e)) ||
        (d.hs && !huffman_init(&t->tree, t->vocab.counts, t->vocab.size, e)) ||
        !make_keep(t, e) || !make_threads(t, e)) {
        trainer_destroy(t);
        return NULL;
    }
    return t;
}

bool trainer_start(Trainer *t, Err *e)
{
    pthread_mutex_lock(&t->mu);
    if (t->running || t->t_start > 0) {
        pthread_mutex_unlock(&t->mu);
        return err_set(e, "training already started");
    }
    t->t_start = clock_s();
    if (t->paused)
        t->t_pause_began = t->t_start; /* paused before the start: no training time yet */
    t->running = 1;
    t->active = t->nthreads;
    pthread_mutex_unlock(&t->mu);
    for (int i = 0; i < t->nthreads; i++) {
        if (pthread_create(&t->ts[i].thread, NULL, worker_main, &t->ts[i]) != 0) {
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
    if (!t->paused && (t->active > 0 || t->t_start == 0)) {
        t->paused = 1;
        atomic_store(&t->attn, 1);
        t->t_pause_began = clock_s();
    }
    pthread_mutex_unlock(&t->mu);
}

void trainer_resume(Trainer *t)
{
    pthread_mutex_lock(&t->mu);
    if (t->paused) {
        t->paused = 0;
        atomic_store(&t->attn, t->holding);
        t->t_paused_total += clock_s() - t->t_pause_began;
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
    /* no thread reads another's recording any more: give the memory back before the caller
       copies the vectors out */
    for (int i = 0; i < t->nthreads; i++) {
        free(t->ts[i].kept);
        t->ts[i].kept = NULL;
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
    atomic_store(&t->attn, 1); /* noticed at the next sentence boundary */
    join_all(t);
}

void trainer_wait(Trainer *t)
{
    if (t)
        join_all(t);
}

bool trainer_set_balance(Trainer *t, bool on, Err *e)
{
    if (t->t_start > 0)
        return err_set(e, "the balance of a run is set before it starts");
    t->balance = on && t->nthreads > 1;
    return true;
}

bool trainer_wait_for(Trainer *t, double seconds)
{
    struct timespec ts = clock_deadline(CLOCK_MONOTONIC, seconds);
    pthread_mutex_lock(&t->mu);
    /* the condition is broadcast for pauses and holds too: wait again until the end or the
     * deadline */
    while (!(t->t_start > 0 && t->active == 0) &&
           pthread_cond_timedwait(&t->cv, &t->mu, &ts) == 0) {
    }
    bool ended = t->t_start > 0 && t->active == 0;
    pthread_mutex_unlock(&t->mu);
    return ended;
}

bool trainer_set_ranks(Trainer *t, int rank, int nranks, int64_t touch_from, Err *e)
{
    if (t->t_start > 0)
        return err_set(e, "the ranks of a run are set before it starts");
    if (nranks < 1 || rank < 0 || rank >= nranks ||
        (int64_t)nranks * t->nthreads > INT32_MAX / 2)
        return err_set(e, "bad rank %d of %d", rank, nranks);
    if (touch_from < 0 || touch_from > t->vocab.size)
        touch_from = t->vocab.size;
    free((void *)t->touched);
    t->touched = NULL;
    if (t->vocab.size > touch_from &&
        !(t->touched = calloc(2 * (size_t)(t->vocab.size - touch_from), 1)))
        return err_set(e, "out of memory");
    t->rank = rank;
    t->nranks = nranks;
    t->touch_from = touch_from;
    return true;
}

void trainer_adopt_ids(Trainer *t, CorpusIds *ids)
{
    /* thread i reads shard i of nthreads while there is one rank (checked as it starts) */
    bool fits = ids->nshards == t->nthreads && !t->corpus->builtin && t->t_start <= 0;
    for (int i = 0; i < ids->nshards; i++) {
        if (fits) {
            free(t->ts[i].given);
            t->ts[i].given = ids->ids[i];
            t->ts[i].given_n = ids->n[i];
            ids->ids[i] = NULL;
        }
    }
    corpus_ids_free(ids);
}

void trainer_set_alpha(Trainer *t, double alpha)
{
    atomic_store(&t->alpha_base, alpha < 0 ? t->d.alpha : alpha);
    atomic_fetch_add(&t->rate_gen, 1); /* after the store: see rate_seen in worker.c */
}

TrainProgress trainer_progress(const Trainer *tc)
{
    Trainer *t = (Trainer *)tc; /* the mutex is logically const */
    TrainProgress p = {0};
    p.words_done = worker_words_done(t);
    p.words_total = (uint64_t)t->d.iter * t->vocab.total / (uint64_t)t->nranks;
    p.alpha = worker_alpha(t, p.words_done);
    unsigned gen = atomic_load(&t->rate_gen);
    for (int i = 0; i < t->nthreads; i++)
        p.rate_pending += atomic_load(&t->ts[i].training) && atomic_load(&t->ts[i].rate_seen) != gen;
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
    double now = clock_s();
    if (t->t_start > 0) {
        double end = t->active == 0 ? t->t_end : t->paused ? t->t_pause_began : now;
        p.elapsed = end - t->t_start - t->t_paused_total;
    }
    p.elapsed += t->elapsed_before;
    p.running = t->active > 0;
    p.paused = t->paused;
    p.stopped = atomic_load(&t->stop) && !t->has_err;
    p.finished = t->t_start > 0 && t->active == 0;
    p.ranges_taken = atomic_load(&t->taken);
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
    huffman_deinit(&t->tree);
    free(t->keep);
    free((void *)t->touched);
    noise_deinit(&t->noise);
    for (int i = 0; t->ts && i < t->nthreads; i++) {
        free(t->ts[i].given); /* a thread that never started */
        free(t->ts[i].kept);
        pthread_mutex_destroy(&t->ts[i].steal_mu);
    }
    free(t->ts);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t);
}
