/* Live thread: copy -> PCA -> clusters -> knn index -> publish (see live.h). The snapshots are the
 * slots of a Pub: this thread fills one the UI cannot see, the UI reads the one it acquired. */
#include "model/analysis/live.h"
#include "model/analysis/kmeans.h"
#include "model/analysis/liveeval.h"
#include "model/analysis/pca.h"
#include "model/analysis/publish.h"
#include "model/base/clock.h"
#include "model/vectors/embed.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TICK_MS 250
#define LAYOUT_REST_MS 1000 /* the longest rest between two snapshots while a layout is wanted */

struct Live {
    Trainer *trainer;          /* or */
    const Embeddings *table;
    const Vocab *vocab;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, poke;
    LiveSnapshot snaps[PUB_SLOTS];
    Pub pub;               /* which snapshot the UI holds, which is the latest */
    void (*on_publish)(void *);
    void *ctx;
    char err[256];         /* under mu */
    /* analysis thread only */
    float *vec;            /* (rows, stride) */
    int64_t rows;
    int dim, stride;
    Pca pca;
    Kmeans km;
    uint64_t last_words;
    bool last_moving;      /* the trainer was training (progress_moving) at the last snapshot */
    char *questions;       /* the question set to load on first use, NULL: none */
    LiveEval eval;
    uint64_t eval_words;   /* words_done of the snapshot last evaluated */
    LiveLayout lay;
    uint64_t lay_made_for; /* the request (lay_gen) the held layout was made for */
    Pool *pool;            /* for layouts of fixed vectors (a trainer has the cores) */
    /* under mu */
    LiveLayoutDesc lay_want;
    uint64_t lay_gen;      /* bumped by live_set_layout: a layout of an older one is cancelled */
    LiveLayoutProgress lay_prog;
};

static void snap_free(LiveSnapshot *f)
{
    free(f->layout);
    free(f->xyz);
    free(f->cluster);
    knn_deinit(&f->knn);
    memset(f, 0, sizeof *f);
}

static bool snap_alloc(LiveSnapshot *f, int64_t rows, Err *e)
{
    if (f->xyz && f->rows == rows)
        return true;
    snap_free(f);
    f->xyz = malloc((size_t)rows * 3 * sizeof *f->xyz);
    f->cluster = calloc((size_t)rows, sizeof *f->cluster);
    if (!f->xyz || !f->cluster) {
        snap_free(f);
        return err_set(e, "analysis: out of memory for %lld points", (long long)rows);
    }
    f->rows = rows;
    return true;
}

/* Cluster ids and a legend (each cluster's most central frequent words). */
static bool cluster(Live *a, LiveSnapshot *f, Err *e)
{
    if (!kmeans_update(&a->km, a->vec, a->rows, a->dim, a->stride, e))
        return false;
    const Vocab *v = a->vocab;
    f->nclusters = a->km.k < LIVE_MAX_CLUSTERS ? a->km.k : LIVE_MAX_CLUSTERS;
    for (int64_t i = 0; i < f->rows; i++)
        f->cluster[i] = (int16_t)(a->km.assign[i] % LIVE_MAX_CLUSTERS);
    for (int c = 0; c < LIVE_MAX_CLUSTERS && c < f->nclusters; c++) {
        const int64_t *lab = kmeans_label(&a->km, c);
        size_t len = 0;
        f->legend[c][0] = 0;
        f->cluster_size[c] = a->km.size[c];
        for (int j = 0; j < a->km.desc.label_words && lab[j] >= 0 && lab[j] < v->size; j++) {
            int n = snprintf(f->legend[c] + len, sizeof f->legend[c] - len, "%s%s", j ? ", " : "",
                             vocab_word(v, lab[j]));
            if (n < 0 || (size_t)n >= sizeof f->legend[c] - len)
                break;
            len += (size_t)n;
        }
    }
    return true;
}

static void bounds(LiveSnapshot *f)
{
    double m[3] = {0, 0, 0}, r2 = 0;
    for (int64_t i = 0; i < f->rows; i++)
        for (int j = 0; j < 3; j++)
            m[j] += f->xyz[i * 3 + j];
    for (int j = 0; j < 3; j++)
        m[j] /= (double)(f->rows ? f->rows : 1);
    for (int64_t i = 0; i < f->rows; i++)
        for (int j = 0; j < 3; j++) {
            double d = f->xyz[i * 3 + j] - m[j];
            r2 += d * d;
        }
    for (int j = 0; j < 3; j++)
        f->centre[j] = (float)m[j];
    f->radius = (float)sqrt(r2 / (double)(f->rows ? f->rows : 1));
    if (!(f->radius > 1e-9f))
        f->radius = 1.f;
}

typedef struct LayCtx {
    Live *a;
    uint64_t gen;
} LayCtx;

static bool lay_progress(void *ctx, const char *stage, double fraction)
{
    LayCtx *c = ctx;
    pthread_mutex_lock(&c->a->mu);
    bool go = !c->a->stop && c->a->lay_gen == c->gen;
    snprintf(c->a->lay_prog.stage, sizeof c->a->lay_prog.stage, "%s", stage);
    c->a->lay_prog.fraction = fraction;
    pthread_mutex_unlock(&c->a->mu);
    return go;
}

/* A trainer's vectors are worth a layout once 2% of the first epoch is trained: before, they
 * are nearly their random start, whose graph NN-descent converges on slowly (58 s on the
 * benchmark's 61,561 words) for a picture of noise. */
static bool trained_enough(const LiveSnapshot *f)
{
    uint64_t epoch_words = f->prog.epochs > 0 ? f->prog.words_total / (uint64_t)f->prog.epochs : 0;
    return (f->prog.words_done > 0 && f->prog.words_done * 50 >= epoch_words) || f->prog.finished ||
           f->prog.stopped;
}

/* The run is training: its vectors will change again. */
static bool progress_moving(const TrainProgress *p)
{
    return !p->finished && !p->stopped && !p->paused;
}

/* The layout asked for, of f's index, into f (the previous one kept when it fails). */
static void layout(Live *a, LiveSnapshot *f)
{
    pthread_mutex_lock(&a->mu);
    LiveLayoutDesc want = a->lay_want;
    LayCtx ctx = {a, a->lay_gen};
    bool wait = want.kind != LIVELAY_NONE && a->trainer && !trained_enough(f);
    a->lay_prog.busy = want.kind != LIVELAY_NONE;
    if (wait) {
        snprintf(a->lay_prog.stage, sizeof a->lay_prog.stage, "waiting for training");
        a->lay_prog.fraction = f->prog.words_total
                                   ? (double)f->prog.words_done * 50 * f->prog.epochs / (double)f->prog.words_total
                                   : 0;
    }
    pthread_mutex_unlock(&a->mu);
    f->layout_kind = LIVELAY_NONE;
    if (want.kind == LIVELAY_NONE || wait)
        return;
    /* while the trainer runs, a big table's UMAP stays sampled (livelayout.h): a refresh of the
     * sample and a placement take ~1 s where the full graph's step took ~8 s and moved the
     * points ~25% (bench/README.md, "Live layouts") */
    want.moving = a->trainer && progress_moving(&f->prog);
    Err e = {{0}};
    bool ok = livelay_update(&a->lay, &f->knn, &want, a->pool, lay_progress, &ctx, &e);
    if (ok && !f->layout && !(f->layout = malloc((size_t)f->rows * 3 * sizeof *f->layout)))
        ok = err_set(&e, "layout: out of memory");
    if (ok)
        a->lay_made_for = ctx.gen;
    pthread_mutex_lock(&a->mu);
    a->lay_prog.busy = false;
    /* a sampled layout is finished by the first update of vectors that stopped moving: a fixed
     * table makes no new snapshot by itself, so ask for one (a run that stops makes one: see
     * thread_main) */
    if (ok && a->lay.placed && !want.moving)
        a->poke = true;
    if (!ok && strcmp(e.msg, "cancelled"))
        snprintf(a->lay_prog.error, sizeof a->lay_prog.error, "%s", e.msg);
    else if (ok)
        a->lay_prog.error[0] = 0;
    pthread_mutex_unlock(&a->mu);
    if (!a->lay.valid || !f->layout)
        return;
    memcpy(f->layout, a->lay.xyz, (size_t)f->rows * 3 * sizeof *f->layout);
    f->layout_kind = a->lay.have.kind;
    f->layout_dims = a->lay.have.dims;
    f->layout_builds = a->lay.builds;
    f->layout_warm = a->lay.warm;
    f->layout_sampled = a->lay.placed;
    f->layout_ms = a->lay.ms;
    f->layout_moved = a->lay.moved;
    f->layout_graph_ms = a->lay.graph_ms;
    f->layout_epochs = a->lay.epochs;
    f->layout_request = a->lay_made_for;
}

static bool build(Live *a, LiveSnapshot *f, Err *e)
{
    double t0 = clock_ms();
    if (!a->vec && !(a->vec = emb_aligned_alloc((size_t)a->rows * (size_t)a->stride * sizeof(float))))
        return err_set(e, "analysis: out of memory for %lld x %d vectors", (long long)a->rows, a->dim);
    /* first: a slot's first use clears it, progress included */
    if (!snap_alloc(f, a->rows, e))
        return false;
    if (a->trainer) {
        /* progress after the copy: the words counted cover every update the copy holds (the
         * trainers report words in chunks), so curves never credit trained vectors to 0 words;
         * the count before it says which changes the copy surely holds (a learning rate set to
         * 0 before that count is seen in every row) */
        f->words_before = trainer_progress(a->trainer).words_done;
        trainer_copy_rows(a->trainer, a->vec, a->stride);
        f->prog = trainer_progress(a->trainer);
    } else {
        memset(&f->prog, 0, sizeof f->prog);
        f->words_before = 0;
        for (int64_t i = 0; i < a->rows; i++)
            memcpy(a->vec + i * a->stride, emb_row(a->table, i), (size_t)a->dim * sizeof(float));
    }
    if (!pca_update(&a->pca, a->vec, a->rows, a->dim, a->stride, e))
        return false;
    int ncomp = a->pca.k < 3 ? a->pca.k : 3;
    if (!pca_project(&a->pca, a->vec, a->rows, a->dim, a->stride, NULL, ncomp, f->xyz, e))
        return false;
    for (int j = 0; j < 3; j++)
        f->explained[j] = j < ncomp ? a->pca.explained[j] : 0;
    bounds(f);
    if (!cluster(a, f, e))
        return false;
    /* knn_build frees the snapshot's previous index when it succeeds */
    if (!knn_build(&f->knn, a->vec, a->rows, a->dim, a->stride, e))
        return false;
    layout(a, f);
    f->build_ms = clock_ms() - t0;
    f->accuracy = a->eval.accuracy;
    f->accuracy_words = a->eval_words;
    f->eval_runs = a->eval.runs;
    f->eval_ms = a->eval.last_ms;
    f->eval_answered = a->eval.answered;
    f->eval_questions = a->eval.questions;
    f->eval_file_questions = a->eval.file_questions;
    return true;
}

/* After publishing f: the analogy accuracy of its (read-only) index when the budget allows.
 * f cannot be recycled meanwhile, it is the latest snapshot and only this thread fills snapshots.
 * The result reaches the UI with the next snapshot. */
static void evaluate(Live *a, const LiveSnapshot *f)
{
    if (a->questions) {
        Err e = {{0}};
        bool ok = !strcmp(a->questions, "@world") ? liveeval_load_world(&a->eval, &e)
                                                   : liveeval_load(&a->eval, a->questions, &e);
        free(a->questions);
        a->questions = NULL;
        if (!ok) {
            pthread_mutex_lock(&a->mu);
            snprintf(a->err, sizeof a->err, "questions: %s", e.msg);
            pthread_mutex_unlock(&a->mu);
            return;
        }
    }
    if (liveeval_step(&a->eval, a->vocab, &f->knn, clock_ms()))
        a->eval_words = f->prog.words_done;
    else if (a->eval.err[0]) {
        pthread_mutex_lock(&a->mu);
        if (!a->err[0])
            snprintf(a->err, sizeof a->err, "questions: %.200s", a->eval.err);
        pthread_mutex_unlock(&a->mu);
    }
}

static void *thread_main(void *arg)
{
    Live *a = arg;
    for (;;) {
        double t0 = clock_ms();
        /* a fixed table changes only when poked (last_words is then reset); a run, when it
         * trains more words or starts or stops training (a pause, the end: the layouts then
         * finish, livelayout.h, though no word changed) */
        TrainProgress p = a->trainer ? trainer_progress(a->trainer) : (TrainProgress){0};
        bool moving = a->trainer && progress_moving(&p);
        bool changed = p.words_done != a->last_words || moving != a->last_moving || !pub_seq(&a->pub);
        if (changed) {
            a->last_words = p.words_done;
            a->last_moving = moving;
            uint64_t seq;
            int slot = pub_begin(&a->pub, &seq);
            LiveSnapshot *f = &a->snaps[slot];
            Err e = {{0}};
            if (build(a, f, &e)) {
                f->seq = seq;
                pub_publish(&a->pub, slot);
                if (a->on_publish)
                    a->on_publish(a->ctx);
                evaluate(a, f);
            } else {
                pthread_mutex_lock(&a->mu);
                snprintf(a->err, sizeof a->err, "%s", e.msg);
                pthread_mutex_unlock(&a->mu);
            }
        }
        /* Big vocabularies take long to analyse: rest three times as long as the last build,
         * so this thread takes at most a quarter of a core from the trainers; half as long as
         * the build, at most LAYOUT_REST_MS, while a layout is wanted (two thirds of a core: a
         * refinement's budget is 1 s, so the layout may refresh every ~2.5 s on the benchmark's
         * 61,561 words: bench/README.md, "Live layouts"). */
        double spent = clock_ms() - t0, wait = TICK_MS - spent;
        pthread_mutex_lock(&a->mu);
        double rest = a->lay_want.kind != LIVELAY_NONE ? 0.5 : 3;
        pthread_mutex_unlock(&a->mu);
        if (changed && wait < rest * spent)
            wait = rest * spent;
        /* after a layout from scratch (a minute on big tables) the first refinement is due
         * soon: the refreshes are what the layout view is waited on for */
        if (rest < 1 && wait > LAYOUT_REST_MS)
            wait = LAYOUT_REST_MS;
        pthread_mutex_lock(&a->mu);
        if (wait > 0 && !a->stop && !a->poke) {
            struct timespec ts = clock_deadline(CLOCK_MONOTONIC, wait * 1e-3);
            pthread_cond_timedwait(&a->cv, &a->mu, &ts);
        }
        bool stop = a->stop;
        if (a->poke) {
            a->poke = false;
            a->last_words = (uint64_t)-1;
        }
        pthread_mutex_unlock(&a->mu);
        if (stop)
            break;
    }
    return NULL;
}

Live *live_create(const LiveSource *src, void (*on_publish)(void *), void *ctx, Err *e)
{
    if (!src->trainer == !src->table) {
        err_set(e, "analysis: needs a trainer or a table");
        return NULL;
    }
    Live *a = calloc(1, sizeof *a);
    if (!a) {
        err_set(e, "analysis: out of memory");
        return NULL;
    }
    a->trainer = src->trainer;
    a->table = src->table;
    a->vocab = a->trainer ? trainer_vocab(a->trainer) : &a->table->vocab;
    liveeval_init(&a->eval, NULL);
    const char *off = getenv("EMBEDSCOPE_CURVES_EVAL");
    if (src->questions && !(off && !strcmp(off, "0")) && !(a->questions = strdup(src->questions))) {
        err_set(e, "analysis: out of memory");
        free(a);
        return NULL;
    }
    a->on_publish = on_publish;
    a->ctx = ctx;
    pub_init(&a->pub);
    a->rows = a->vocab->size;
    a->dim = a->trainer ? trainer_dim(a->trainer) : a->table->dim;
    a->stride = emb_stride(a->dim);
    pthread_mutex_init(&a->mu, NULL);
    clock_cond_init(&a->cv);
    pca_init(&a->pca, &(PcaDesc){.k = 3});
    livelay_init(&a->lay);
    if (a->table) /* nothing trains: the layouts may have the cores */
        a->pool = pool_create(0);
    /* as many clusters as the palette has colours that colour-blind eyes tell apart */
    /* warm updates converge in a few Lloyd iterations; cap them to bound the cost */
    kmeans_init(&a->km, &(KmeansDesc){.k = LIVE_MAX_CLUSTERS, .label_words = 3, .iters = 8});
    if (a->rows < 2 || a->dim < 1) {
        err_set(e, "analysis: need at least 2 words to project (vocabulary has %lld)",
                (long long)a->rows);
        goto fail;
    }
    /* the copy buffer is allocated by the thread: zeroing a big one here would stall the UI */
    if (pthread_create(&a->thread, NULL, thread_main, a) != 0) {
        err_set(e, "analysis: cannot start its thread");
        goto fail;
    }
    a->started = true;
    return a;
fail:
    live_destroy(a);
    return NULL;
}

void live_destroy(Live *a)
{
    if (!a)
        return;
    if (a->started) {
        pthread_mutex_lock(&a->mu);
        a->stop = true;
        pthread_cond_signal(&a->cv);
        pthread_mutex_unlock(&a->mu);
        pthread_join(a->thread, NULL);
    }
    for (int i = 0; i < PUB_SLOTS; i++)
        snap_free(&a->snaps[i]);
    pca_deinit(&a->pca);
    kmeans_deinit(&a->km);
    livelay_deinit(&a->lay);
    pool_destroy(a->pool);
    liveeval_deinit(&a->eval);
    free(a->questions);
    free(a->vec);
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->cv);
    free(a);
}

const LiveSnapshot *live_acquire(Live *a)
{
    int slot = pub_acquire(&a->pub, NULL);
    return slot >= 0 ? &a->snaps[slot] : NULL;
}

uint64_t live_set_layout(Live *a, const LiveLayoutDesc *d)
{
    pthread_mutex_lock(&a->mu);
    a->lay_want = d ? *d : (LiveLayoutDesc){0};
    uint64_t gen = ++a->lay_gen;
    a->poke = true; /* a fixed table is analysed again, with the layout */
    pthread_cond_signal(&a->cv);
    pthread_mutex_unlock(&a->mu);
    return gen;
}

LiveLayoutProgress live_layout_progress(Live *a)
{
    pthread_mutex_lock(&a->mu);
    LiveLayoutProgress p = a->lay_prog;
    pthread_mutex_unlock(&a->mu);
    return p;
}

void live_poke(Live *a)
{
    pthread_mutex_lock(&a->mu);
    a->poke = true;
    pthread_cond_signal(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

uint64_t live_published(Live *a) { return pub_seq(&a->pub); }

void live_error(Live *a, char *buf, size_t cap)
{
    pthread_mutex_lock(&a->mu);
    snprintf(buf, cap, "%s", a->err);
    pthread_mutex_unlock(&a->mu);
}
