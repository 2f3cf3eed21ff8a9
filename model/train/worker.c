/* The training threads: see worker.h. One sentence at a time: read ids, subsample, then for
 * each position draw a window and train CBOW, HogBatch skip-gram or word2vec.c's per-pair
 * skip-gram through the sgns kernels. Shared counters are published every COUNT_EVERY words;
 * a pause, a stop or a checkpoint's hold is noticed after the sentence under way. One
 * worker_main per trainer thread. */
#include "model/train/worker.h"
#include "model/base/clock.h"
#include "model/train/ids.h"
#include "model/train/steal.h"
#include "model/train/xorshift.h"
#include "model/vectors/embed.h"
#include <stdlib.h>
#include <string.h>

#define MAX_SENTENCE 1000      /* words per training sentence, as word2vec.c */
#define COUNT_EVERY 10000      /* words between updates of the shared counters */
#define CONTEXT_AHEAD 2        /* positions ahead that a context row is prefetched */
#define LOSS_EVERY 64          /* compute the loss on one trained position in this many */
/* With several threads, each keeps private copies of the syn1neg rows of the most frequent
 * words (ids 0..hot_n-1), with their values at the last merge: the noise distribution draws
 * them so often that, shared, their cache lines would move between the cores at nearly every
 * position. What a thread learnt on its copies is added to the shared rows every
 * HOT_MERGE_PER_ROW x hot_n trained positions, at least every HOT_MERGE_LEAST (hot_merge), so
 * a merge costs about as much per position whatever the number of rows. How many rows
 * (bench/README.md, "How many private rows CBOW keeps"):
 * - CBOW with a small model (syn0 and syn1neg together at most HOT_SMALL_MODEL) keeps as many
 *   as fit in HOT_BYTES: every row is then hot, and shared, nearly every access is another
 *   core's line. At 5,075 words 2,340 rows made the 2-thread run 10-11% faster than 64 (an
 *   Intel Xeon); on an AMD EPYC (Zen 5) 2,340 rows against 73 were 15% faster at 1,996 words,
 *   6% at 3,651 and 7-10% at 6,403. The demo world's 1,033 words are all private.
 * - CBOW with a larger model keeps HOT_CBOW_ROWS. There 2 MiB of copies and bases fill the
 *   core's L2 that the shared rows' reuse needs, and each merge streams 3 MiB through it: on
 *   the EPYC, 73 rows against 2,340 were 5% faster at 14,285 words and 6% at 61,561 (faster
 *   in 50 of 72 alternating pairs), at the same analogy accuracy; 36 rows were as fast as 73,
 *   146 half as much faster. (On the Xeon, 64 and 2,340 rows were equal at 61,561 words.)
 * - Skip-gram (HogBatch: m x n dots per position's outputs, so sharing costs it less) keeps
 *   HOT_SG_ROWS: with the 2 MiB budget its 61,561-word run was 1-3% slower; 256 rows against
 *   64 were faster in 11 of 16 alternating pairs, by 2.9% and 0.8% (the medians of two sets),
 *   at the same accuracy (analogy 25.46 against 25.36 over ten seeds); 1,024 were no faster
 *   than 64, and on the EPYC 64, 256 and 1,024 were equal. */
#define HOT_BYTES (2u << 20)
#define HOT_SMALL_MODEL (8u << 20)
#define HOT_CBOW_ROWS 64
#define HOT_SG_ROWS 256
#define HOT_MERGE_PER_ROW 16
#define HOT_MERGE_LEAST 1024
typedef struct Work {
    int32_t sen[MAX_SENTENCE];
    int32_t targets[TRAIN_MAX_NEGATIVE + 1]; /* the positive word, then the negatives */
    int32_t ahead[TRAIN_MAX_NEGATIVE + 1];   /* HogBatch, CBOW: the next position's, drawn early */
    int ahead_n, ahead_pos;                  /* their count, and their position (-1: none) */
    float *in_rows[2 * TRAIN_MAX_WINDOW];    /* HogBatch: the window's context rows of syn0 */
    float *outs[TRAIN_MAX_NEGATIVE + 1];     /* the targets' output rows (out_row) */
    /* (hot_n, stride) each: this thread's copies of the hottest syn1neg rows, and their values
     * at the last merge; hot_n is 0 for a thread alone. */
    float *hot, *hot_base;
    int hot_n, hot_every, hot_since; /* merge every hot_every positions; since the last one */
    float *neu1, *neu1e; /* (stride) hidden vector and its gradient */
    float *batch;        /* HogBatch scratch: SGNS_BATCH_WORK(2 window, negative + 1, dim) */
    float *buf;          /* the one allocation behind neu1, neu1e, hot, hot_base and batch */
    uint64_t rng;
    double decay;        /* the rate's fraction of alpha_base, as of this thread's last report */
    double loss_sum;
    uint64_t loss_n, pair_i;
    uint64_t since_count; /* words read since the shared counter was last updated */
} Work;

typedef enum { EPOCH_DONE, EPOCH_STOPPED, EPOCH_FAILED } EpochEnd;

uint64_t worker_words_done(const Trainer *t)
{
    uint64_t w = 0;
    for (int i = 0; i < t->nthreads; i++)
        w += atomic_load_explicit(&t->ts[i].words, memory_order_relaxed);
    return w;
}

double worker_decay(const Trainer *t, uint64_t done)
{
    double total = (double)t->d.iter * (double)t->vocab.total + 1.0;
    double f = 1.0 - (double)done * t->nranks / total;
    return f < 1e-4 ? 1e-4 : f;
}

double worker_alpha(const Trainer *t, uint64_t done)
{
    return atomic_load_explicit(&t->alpha_base, memory_order_relaxed) * worker_decay(t, done);
}

/* The decay after the words counted so far: one thread alone decays by its own count, so its
 * schedule cannot depend on timing. */
static double thread_decay(const ThreadState *ts)
{
    const Trainer *t = ts->t;
    return worker_decay(t, t->d.deterministic ? atomic_load_explicit(&ts->words, memory_order_relaxed)
                                              : worker_words_done(t));
}

/* The rate of the next step. */
static inline float step_alpha(const Trainer *t, const Work *w)
{
    return (float)(atomic_load_explicit(&t->alpha_base, memory_order_relaxed) * w->decay);
}

/* Between two sentences: from here on the thread's steps read the rate last set. The
 * generation is read with acquire order (seq_cst), after which the relaxed reads of
 * alpha_base in step_alpha see that rate or a later one. */
static void rate_seen(Trainer *t, ThreadState *ts)
{
    atomic_store_explicit(&ts->rate_seen, atomic_load(&t->rate_gen), memory_order_relaxed);
}

static inline float *row(const Trainer *t, int32_t word)
{
    return t->syn0 + (int64_t)word * t->stride;
}

/* Asks for every cache line of a row that is about to be read and written. */
static inline void prefetch_row(const float *r, int dim)
{
    for (int j = 0; j < dim; j += 16) /* one 64-byte line = 16 floats */
        __builtin_prefetch(r + j, 1, 3);
}

/* The output row of word: this thread's copy of a hot row, else the shared syn1neg row. */
static inline float *out_row(const Trainer *t, const Work *w, int32_t word)
{
    return (word < w->hot_n ? w->hot : t->syn1neg) + (int64_t)word * t->stride;
}

/* The rows of w->targets[0..n) into w->outs. */
static void out_rows(const Trainer *t, Work *w, int n)
{
    for (int k = 0; k < n; k++)
        w->outs[k] = out_row(t, w, w->targets[k]);
}

/* The shared hot rows as this thread's copies, and as the values its next merge subtracts. */
static void hot_load(const Trainer *t, Work *w)
{
    size_t n = (size_t)w->hot_n * (size_t)t->stride;
    memcpy(w->hot, t->syn1neg, n * sizeof(float));
    memcpy(w->hot_base, t->syn1neg, n * sizeof(float));
    w->hot_since = 0;
}

/* Adds what this thread's hot copies learnt since the last merge to the shared rows, and
 * takes the result, which holds the other threads' merged updates too, as the new copies.
 * The shared rows are updated Hogwild-style, as every other row is. Called between
 * sentences, and before a thread parks for a checkpoint or a synchronisation of ranks, so
 * that what they read has every thread's updates. */
static void hot_merge(const Trainer *t, Work *w)
{
    /* One pass that adds, and writes the sum back to both copies, where the add and a
     * hot_load after it read the shared rows three times (the padding past dim stays zero in
     * all three). Merging a quarter as often made CBOW's two threads 7% faster and cost 0.9
     * analogy points; this pass gained ~1% (bench/README.md, "The hot rows' merge interval"). */
    for (int r = 0; r < w->hot_n; r++) {
        int64_t o = (int64_t)r * t->stride;
        float *restrict s = t->syn1neg + o, *restrict p = w->hot + o, *restrict b = w->hot_base + o;
        for (int j = 0; j < t->dim; j++) {
            float v = s[j] + (p[j] - b[j]);
            s[j] = v;
            p[j] = v;
            b[j] = v;
        }
    }
    w->hot_since = 0;
}

/* Marks a row of syn0 (out = false) or syn1neg updated, for the ranks' synchronisation; only
 * rows past touch_from are tracked, the frequent ones are synchronised every time anyway. */
static inline void touch(const Trainer *t, int32_t word, bool out)
{
    if (t->touched && word >= t->touch_from)
        atomic_store_explicit(&t->touched[word - t->touch_from +
                                          (out ? t->vocab.size - t->touch_from : 0)],
                              1, memory_order_relaxed);
}

/* out[0] = word, then d.negative noise words (never word itself). Returns the count. */
static int draw_into(const Trainer *t, Work *w, int32_t word, int32_t *out)
{
    int n = 1;
    out[0] = word;
    /* A vocabulary of one word has nothing to contrast with. */
    if (t->vocab.size < 2)
        return 1;
    while (n <= t->d.negative) {
        int32_t tg = noise_draw(&t->noise, xorshift_next(&w->rng));
        if (tg == word)
            continue; /* as word2vec.c: a draw of the positive word is dropped */
        out[n++] = tg;
        touch(t, tg, true);
    }
    return n;
}

static int draw_targets(const Trainer *t, Work *w, int32_t word)
{
    return draw_into(t, w, word, w->targets);
}

/* The outputs (HogBatch, CBOW) for position pos of a sentence of len words: the ones drawn one position
 * early, if any; then the next position's are drawn and their rows prefetched, so that their
 * cache misses overlap this position's arithmetic instead of stalling the next one. The
 * random stream is read in a fixed order (this position's draws before the next one's), so a
 * seeded one-thread run stays deterministic; ahead_pos is reset at each sentence, where a
 * checkpoint may stop the thread. */
static int early_targets(const Trainer *t, Work *w, int pos, int len)
{
    int n;
    if (w->ahead_pos == pos) {
        n = w->ahead_n;
        memcpy(w->targets, w->ahead, (size_t)n * sizeof *w->targets);
    } else {
        n = draw_targets(t, w, w->sen[pos]);
    }
    w->ahead_pos = -1;
    if (pos + 1 < len) {
        w->ahead_n = draw_into(t, w, w->sen[pos + 1], w->ahead);
        w->ahead_pos = pos + 1;
        for (int k = 0; k < w->ahead_n; k++)
            prefetch_row(out_row(t, w, w->ahead[k]), t->dim);
    }
    return n;
}

/* Hidden vector h predicts word: accumulates the gradient for h into w->neu1e. drawn: the
 * count of targets already in w->targets (early_targets), 0 to draw them here. */
static void train_pair_output(Trainer *t, Work *w, const float *h, int32_t word, int drawn)
{
    const TrainDesc *d = &t->d;
    float alpha = step_alpha(t, w);
    int want_loss = (++w->pair_i % LOSS_EVERY) == 0;
    float loss = 0;
    if (d->hs)
        loss += sgns_hs_step(h, w->neu1e, t->syn1, t->stride,
                             t->tree.points + (int64_t)word * HUFFMAN_MAX_CODE,
                             t->tree.codes + (int64_t)word * HUFFMAN_MAX_CODE,
                             t->tree.codelen[word], t->dim, alpha, t->sig, want_loss);
    if (d->negative > 0) {
        int n = drawn ? drawn : draw_targets(t, w, word);
        out_rows(t, w, n);
        loss += sgns_ns_step(h, w->neu1e, w->outs, n, t->dim, alpha, t->sig, want_loss);
    }
    if (want_loss) {
        w->loss_sum += loss;
        w->loss_n++;
    }
}

/* CBOW: the mean of the context rows [lo, hi] (without pos) predicts the word at pos. */
static void train_cbow(Trainer *t, Work *w, int pos, int lo, int hi, int len)
{
    int dim = t->dim, cw = 0;
    memset(w->neu1, 0, (size_t)dim * sizeof(float));
    for (int c = lo; c <= hi; c++) {
        if (c == pos)
            continue;
        sgns_axpy(w->neu1, 1.0f, row(t, w->sen[c]), dim);
        cw++;
    }
    if (!cw)
        return;
    float inv = 1.0f / (float)cw;
    for (int j = 0; j < dim; j++)
        w->neu1[j] *= inv;
    memset(w->neu1e, 0, (size_t)dim * sizeof(float));
    int drawn = t->d.negative > 0 ? early_targets(t, w, pos, len) : 0;
    train_pair_output(t, w, w->neu1, w->sen[pos], drawn);
    for (int c = lo; c <= hi; c++)
        if (c != pos)
            sgns_axpy(row(t, w->sen[c]), 1.0f, w->neu1e, dim);
}

/* HogBatch skip-gram: every context row of the window shares one draw of negatives. */
static void train_batch(Trainer *t, Work *w, int pos, int lo, int hi, int len)
{
    int m = 0;
    for (int c = lo; c <= hi; c++)
        if (c != pos)
            w->in_rows[m++] = row(t, w->sen[c]);
    if (!m)
        return;
    int n = early_targets(t, w, pos, len);
    out_rows(t, w, n);
    float alpha = step_alpha(t, w);
    int want_loss = (++w->pair_i % LOSS_EVERY) == 0;
    float loss = sgns_batch_step(w->in_rows, m, w->outs, n, t->dim, alpha, t->sig, w->batch,
                                 want_loss);
    if (want_loss) {
        w->loss_sum += loss / (float)m;
        w->loss_n++;
    }
}

/* word2vec.c's skip-gram: each context row in turn predicts the word at pos. */
static void train_pairs(Trainer *t, Work *w, int pos, int lo, int hi)
{
    int dim = t->dim;
    for (int c = lo; c <= hi; c++) {
        if (c == pos)
            continue;
        float *h = row(t, w->sen[c]);
        memset(w->neu1e, 0, (size_t)dim * sizeof(float));
        train_pair_output(t, w, h, w->sen[pos], 0);
        sgns_axpy(h, 1.0f, w->neu1e, dim);
    }
}

static void train_sentence(Trainer *t, Work *w, int len)
{
    const TrainDesc *d = &t->d;
    w->ahead_pos = -1;
    for (int pos = 0; t->touched && pos < len; pos++)
        touch(t, w->sen[pos], false), touch(t, w->sen[pos], true); /* as inputs, as positives */
    for (int pos = 0; pos < len; pos++) {
        /* The row that enters the widest window two positions from now: a position's context
         * is all in cache but for that one word, whose miss this overlaps with the work of
         * the next two (4% of skip-gram's time, 1% of CBOW's, bench/README.md). */
        if (pos + d->window + CONTEXT_AHEAD < len)
            prefetch_row(row(t, w->sen[pos + d->window + CONTEXT_AHEAD]), t->dim);
        int b = (int)(xorshift_next(&w->rng) % (uint64_t)d->window);
        int lo = pos - (d->window - b), hi = pos + (d->window - b);
        if (lo < 0)
            lo = 0;
        if (hi >= len)
            hi = len - 1;
        if (d->model == TRAIN_CBOW)
            train_cbow(t, w, pos, lo, hi, len);
        else if (d->batch > 0 && d->negative > 0 && !d->hs)
            train_batch(t, w, pos, lo, hi, len);
        else
            train_pairs(t, w, pos, lo, hi);
    }
}

/* Reads the next sentence into w->sen: one line's words after subsampling, at most
 * MAX_SENTENCE. Returns its length (*eof set at the end of the shard), or -1 on a read error. */
static int read_sentence(const Trainer *t, Work *w, IdSource *src, bool *eof, Err *e)
{
    int n = 0;
    for (;;) {
        int32_t id = ids_next(src, e);
        if (id == IDS_ERROR)
            return -1;
        if (id == IDS_EOF) {
            *eof = true;
            return n;
        }
        if (id == IDS_EOS) {
            if (n)
                return n;
            continue;
        }
        w->since_count++;
        if (t->keep[id] != UINT32_MAX && (uint32_t)xorshift_next(&w->rng) >= t->keep[id])
            continue;
        w->sen[n++] = id;
        if (n == MAX_SENTENCE)
            return n;
    }
}

/* Where the thread stands after a sentence: the checkpoint's view of it. eof: the shard of
 * this epoch is used up, so the thread would start the next one. */
static void save_pos(ThreadState *ts, const Work *w, const IdSource *src, int epoch, bool eof)
{
    TrainPos *p = &ts->pos;
    p->epoch = eof ? epoch + 1 : epoch;
    p->at = eof ? 0 : src->at;
    p->rng = w->rng;
    p->words = atomic_load_explicit(&ts->words, memory_order_relaxed);
    p->since_count = w->since_count;
    p->pair_i = w->pair_i;
    p->loss_sum = w->loss_sum;
    p->loss_n = w->loss_n;
    p->pub_loss_sum = atomic_load_explicit(&ts->loss_sum, memory_order_relaxed);
    p->pub_loss_n = atomic_load_explicit(&ts->loss_n, memory_order_relaxed);
}

/* Blocks while paused or held for a checkpoint; returns false when asked to stop. Called only
 * between sentences, so a held or stopped thread has no sentence half-trained and its saved
 * place (save_pos) continues exactly. */
static bool wait_point(Trainer *t, ThreadState *ts, Work *w, const IdSource *src,
                       int epoch, bool eof)
{
    pthread_mutex_lock(&t->mu);
    bool parked = false;
    while ((t->paused || t->holding) && !atomic_load(&t->stop)) {
        if (!parked) { /* a parked thread trains nothing at any rate */
            atomic_store(&ts->training, 0);
            parked = true;
        }
        if (t->holding && ts->held_gen != t->hold_gen) {
            hot_merge(t, w);
            save_pos(ts, w, src, epoch, eof);
            ts->held_gen = t->hold_gen;
            t->held++;
            pthread_cond_broadcast(&t->cv);
        }
        pthread_cond_wait(&t->cv, &t->mu);
    }
    if (parked) {
        rate_seen(t, ts);
        atomic_store(&ts->training, 1);
    }
    bool go = !atomic_load(&t->stop);
    if (!go) {
        hot_merge(t, w);
        save_pos(ts, w, src, epoch, eof); /* a stopped run can still be checkpointed */
    }
    pthread_mutex_unlock(&t->mu);
    return go;
}

/* Publishes the thread's word count and loss, moves the learning rate on and waits out a
 * pause or a hold. False when asked to stop. */
static bool report(ThreadState *ts, Work *w, const IdSource *src, int epoch, bool eof)
{
    Trainer *t = ts->t;
    atomic_fetch_add_explicit(&ts->words, w->since_count, memory_order_relaxed);
    w->since_count = 0;
    if (w->loss_n) {
        atomic_store_explicit(&ts->loss_sum, w->loss_sum / (double)w->loss_n, memory_order_relaxed);
        atomic_store_explicit(&ts->loss_n, w->loss_n, memory_order_relaxed);
        /* An exponential moving mean: halve the weight of the past every report. */
        w->loss_sum *= 0.5;
        w->loss_n = (w->loss_n + 1) / 2;
    }
    w->decay = thread_decay(ts);
    rate_seen(t, ts);
    return wait_point(t, ts, w, src, epoch, eof);
}

/* Trains src to its end. The counters are published, and pauses, holds and stops answered,
 * after a sentence is trained: between two sentences the thread's whole state is in
 * TrainPos. When balancing, a sentence is read under steal_mu: another thread may be taking
 * the end of src. */
static EpochEnd train_source(ThreadState *ts, Work *w, IdSource *src, int epoch, Err *e)
{
    Trainer *t = ts->t;
    bool eof = false;
    while (!eof) {
        if (t->balance)
            pthread_mutex_lock(&ts->steal_mu);
        int n = read_sentence(t, w, src, &eof, e);
        if (t->balance)
            pthread_mutex_unlock(&ts->steal_mu);
        if (n < 0)
            return EPOCH_FAILED;
        if (n > 1 || (n == 1 && t->d.model == TRAIN_SKIPGRAM))
            train_sentence(t, w, n);
        if (w->hot_n && (w->hot_since += n) >= w->hot_every)
            hot_merge(t, w);
        if (w->since_count >= COUNT_EVERY || eof) {
            if (!report(ts, w, src, epoch, eof))
                return EPOCH_STOPPED;
        } else if (atomic_load_explicit(&t->attn, memory_order_relaxed) &&
                   !wait_point(t, ts, w, src, epoch, eof)) {
            return EPOCH_STOPPED;
        }
    }
    return EPOCH_DONE;
}

/* skip: where a resumed thread starts in this epoch (0 otherwise). */
static EpochEnd run_epoch(ThreadState *ts, Work *w, IdSource *src, int epoch, uint64_t skip,
                          Err *e)
{
    Trainer *t = ts->t;
    atomic_store_explicit(&ts->epoch, epoch, memory_order_relaxed);
    if (!ids_open(src, t->rank * t->nthreads + ts->id, epoch, e) || !ids_skip(src, skip, e))
        return EPOCH_FAILED;
    steal_set_cur(ts, src);
    EpochEnd end = train_source(ts, w, src, epoch, e);
    steal_set_cur(ts, NULL);
    if (end == EPOCH_DONE)
        ids_close_epoch(src);
    return end;
}

/* Balancing: ranges taken from the other threads until none has enough left. */
static EpochEnd help_others(ThreadState *ts, Work *w, Err *e)
{
    EpochEnd end = EPOCH_DONE;
    IdSource view;
    while (end == EPOCH_DONE && !atomic_load(&ts->t->stop) && steal_take(ts, &view)) {
        steal_set_cur(ts, &view);
        end = train_source(ts, w, &view, ts->t->d.iter - 1, e);
        steal_set_cur(ts, NULL);
        ids_deinit(&view);
    }
    return end;
}

/* How many of the hottest syn1neg rows each thread keeps a copy of (the rule above HOT_BYTES):
 * none for a thread alone or without negative sampling, never more than the vocabulary. */
static int hot_rows(const Trainer *t)
{
    if (t->nthreads < 2 || t->d.negative <= 0)
        return 0;
    int64_t row_bytes = (int64_t)t->stride * (int64_t)sizeof(float), want = HOT_SG_ROWS;
    if (t->d.model == TRAIN_CBOW)
        want = 2 * (int64_t)t->vocab.size * row_bytes <= HOT_SMALL_MODEL ? HOT_BYTES / (2 * row_bytes)
                                                                        : HOT_CBOW_ROWS;
    return (int)(t->vocab.size < want ? t->vocab.size : want);
}

/* from: where the thread starts (its random stream and counters): a fresh run's seeded
 * stream and zeros, or a resumed run's saved place. */
static Work *work_create(const Trainer *t, const TrainPos *from)
{
    const TrainDesc *d = &t->d;
    int maxm = 2 * d->window, maxn = (d->negative > 0 ? d->negative : 0) + 1;
    int hot_n = hot_rows(t);
    size_t batch_floats = (size_t)SGNS_BATCH_WORK(maxm, maxn, t->dim);
    size_t hot_floats = (size_t)hot_n * (size_t)t->stride;
    Work *w = emb_aligned_alloc(sizeof(Work));
    float *buf = emb_aligned_alloc((2 * (size_t)t->stride + 2 * hot_floats + batch_floats) *
                                   sizeof(float));
    if (!w || !buf) {
        free(w);
        free(buf);
        return NULL;
    }
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->neu1 = buf;
    w->neu1e = buf + t->stride;
    w->hot = buf + 2 * t->stride;
    w->hot_base = w->hot + hot_floats;
    w->hot_n = hot_n;
    w->hot_every = HOT_MERGE_PER_ROW * hot_n > HOT_MERGE_LEAST ? HOT_MERGE_PER_ROW * hot_n : HOT_MERGE_LEAST;
    w->batch = w->hot_base + hot_floats;
    hot_load(t, w); /* zeros, a resumed run's rows, or what a thread started earlier merged */
    w->rng = from->rng;
    w->since_count = from->since_count;
    w->pair_i = from->pair_i;
    w->loss_sum = from->loss_sum;
    w->loss_n = from->loss_n;
    return w;
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

void *worker_main(void *arg)
{
    ThreadState *ts = arg;
    Trainer *t = ts->t;
    Err e = {0};
    /* written before the thread was created; only this thread writes it from now on */
    TrainPos start = ts->pos;
    Work *w = work_create(t, &start);
    EpochEnd end = w ? EPOCH_DONE : EPOCH_FAILED;
    if (w) /* a resumed thread goes on at the rate it was saved at */
        w->decay = thread_decay(ts);
    rate_seen(t, ts);
    atomic_store(&ts->training, 1);
    if (!w)
        err_set(&e, "out of memory in a training thread");
    IdSource src;
    ids_init(&src, t->corpus, &t->vocab, t->nthreads * t->nranks, t->d.seed);
    if (ts->given) {
        /* the count's shard i is this rank's thread i only when the process is alone */
        if (t->nranks == 1)
            ids_adopt(&src, ts->given, ts->given_n);
        else
            free(ts->given);
        ts->given = NULL;
    }
    for (int epoch = start.epoch; epoch < t->d.iter && end == EPOCH_DONE; epoch++)
        end = run_epoch(ts, w, &src, epoch, epoch == start.epoch ? start.at : 0, &e);
    if (end == EPOCH_DONE && t->balance)
        end = help_others(ts, w, &e);
    if (end == EPOCH_FAILED)
        thread_fail(t, &e);
    else if (end == EPOCH_DONE)
        atomic_store_explicit(&ts->epoch, t->d.iter, memory_order_relaxed);
    atomic_store(&ts->training, 0);
    pthread_mutex_lock(&t->mu);
    if (end == EPOCH_DONE) {
        hot_merge(t, w);
        save_pos(ts, w, &src, t->d.iter - 1, true);
    }
    if (--t->active == 0)
        t->t_end = clock_s();
    pthread_cond_broadcast(&t->cv); /* a hold waiting for this thread counts one fewer */
    pthread_mutex_unlock(&t->mu);
    if (t->balance) {
        /* ranges taken from this recording may still be read: the trainer frees it */
        pthread_mutex_lock(&ts->steal_mu);
        ts->kept = src.ids;
        src.ids = NULL;
        ts->ended = true;
        pthread_mutex_unlock(&ts->steal_mu);
    }
    ids_deinit(&src);
    if (w)
        free(w->buf);
    free(w);
    return NULL;
}

bool worker_hold(Trainer *t, Err *e)
{
    if (t->balance)
        return err_set(e, "a run whose threads balance their work cannot be held (a checkpoint "
                          "or a synchronisation of ranks)");
    pthread_mutex_lock(&t->mu);
    if (t->holding) {
        pthread_mutex_unlock(&t->mu);
        return err_set(e, "a checkpoint is already being taken");
    }
    t->holding = 1;
    t->held = 0;
    t->hold_gen++;
    atomic_store(&t->attn, 1);
    pthread_cond_broadcast(&t->cv); /* paused threads answer from where they wait */
    while (t->held < t->active && !atomic_load(&t->stop))
        pthread_cond_wait(&t->cv, &t->mu);
    bool ok = !t->has_err && (t->active == 0 || !atomic_load(&t->stop));
    if (!ok && t->has_err)
        err_set(e, "training failed: %s", t->thread_err.msg);
    else if (!ok)
        err_set(e, "training was stopped while the threads were being held");
    pthread_mutex_unlock(&t->mu);
    if (!ok)
        worker_release(t);
    return ok;
}

void worker_release(Trainer *t)
{
    pthread_mutex_lock(&t->mu);
    t->holding = 0;
    atomic_store(&t->attn, t->paused);
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
}
