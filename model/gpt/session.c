/* The transformer's training session: see session.h. Each step has three phases between
 * barriers: the first thread (the leader) obeys the controls and draws the batch; every thread
 * runs forward and backward over its groups of sequences, each group into its own gradient;
 * every thread sums one range of the parameters' gradients (group 0's, then 1's, ...) and
 * applies AdamW to it; then the leader refreshes the transposes, accounts and publishes. The
 * groups are fixed by the batch size alone and summed in a fixed order, so a run repeats bit
 * for bit for a seed whatever the number of threads. The barriers order every write of a phase
 * before the reads of the next. Controls go through one mutex; progress is atomics. */
#include "model/gpt/session.h"
#include "model/gpt/barrier.h"
#include "model/base/clock.h"
#include "model/base/rng.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECENT 50      /* steps in the progress loss */
#define SLOTS 3        /* snapshots: the reader's, the latest, the one being filled */
#define SMOOTH_EVERY 10

typedef struct Worker {
    GptTrain *s;
    int id, g0, g1; /* gradient groups [g0, g1) */
    pthread_t thread;
    bool started;
    GptWork work;
} Worker;

struct GptTrain {
    GptTrainDesc d;
    GptText text;
    GptModel model;
    GptTensor *tensors;   /* (model.ntensors) */
    float *m, *v;         /* AdamW moments, (nparams) each */
    Worker *w;
    int nthreads, ngroups;
    float *grads;         /* (ngroups, nparams): group g sums sequences [g B / G, (g+1) B / G) */
    double *group_loss;   /* (ngroups) summed loss of each group, this step */
    GptBarrier bar;
    size_t *offsets;      /* (batch) window starts of this step */
    uint64_t rng;
    int quit_now;         /* the leader's verdict for this step, read after the barrier */
    pthread_mutex_t mu;   /* guards the controls below */
    pthread_cond_t cv;
    bool threads_up, paused, stop_req, finished, has_err;
    int64_t budget;       /* steps allowed while paused */
    Err err;
    _Atomic double lr;
    _Atomic int64_t step, smooth_step;
    _Atomic double elapsed, loss, smooth_seconds;
    /* the leader's own */
    double recent[RECENT];
    int nrecent;
    float *curve_step, *curve_loss;
    int ncurve;
    int64_t stride, bucket_n;
    double bucket_sum, last_pub;
    /* Snapshots change hands as model/analysis/publish.h's triple buffer does, but by two
     * indices under a short lock: model/gpt may not include model/analysis. */
    pthread_mutex_t pub_mu;
    int held, latest;     /* slots, -1 for none */
    GptSnap slot[SLOTS];
};

GptTrainDesc gptt_desc_defaults(const GptTrainDesc *in)
{
    GptTrainDesc d = in ? *in : (GptTrainDesc){0};
    d.model = gptm_desc_defaults(&d.model);
    d.opt = gpto_desc_defaults(&d.opt);
    if (!d.batch)
        d.batch = 8;
    if (d.lr == 0)
        d.lr = 3e-3;
    if (!d.threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        d.threads = n < 1 ? 1 : n > 64 ? 64 : (int)n;
    }
    if (d.batch > 0 && d.threads > gptm_grad_groups(d.batch))
        d.threads = gptm_grad_groups(d.batch);
    if (!d.curve_points)
        d.curve_points = 512;
    if (d.publish_ms == 0)
        d.publish_ms = 50;
    return d;
}

static bool check_desc(const GptTrainDesc *d, const GptText *t, Err *e)
{
    if (d->batch < 1 || d->batch > 1 << 20)
        return err_set(e, "batch %d: want 1 .. %d", d->batch, 1 << 20);
    if (d->threads < 1 || d->threads > 256)
        return err_set(e, "%d threads: want 1 .. 256", d->threads);
    if (!(d->lr > 0) || !isfinite(d->lr))
        return err_set(e, "learning rate %g: want a positive number", d->lr);
    if (d->max_steps < 0 || d->max_seconds < 0 || d->curve_points < 2 || d->curve_points > 1 << 20)
        return err_set(e, "negative step or time limit, or a curve not of 2 .. %d points", 1 << 20);
    if (!gptm_check(&d->model, e))
        return false;
    if (t->n < (size_t)d->model.max_len + 1)
        return err_set(e, "%s: %zu tokens, shorter than the context length %d + 1", t->name,
                       t->n, d->model.max_len);
    GptEstimate est;
    return gptm_estimate(&d->model, d->batch, d->threads, &est, e) &&
           gptm_fits(&est, &d->model, d->threads, e);
}

static bool alloc_snaps(GptTrain *s, Err *e)
{
    size_t c = (size_t)s->model.desc.dim, cap = (size_t)s->d.curve_points;
    for (int i = 0; i < SLOTS; i++) {
        GptSnap *p = &s->slot[i];
        p->wpe = malloc((size_t)s->model.desc.max_len * c * sizeof(float));
        p->wte = malloc((size_t)s->model.desc.vocab * c * sizeof(float));
        p->curve_step = malloc(cap * sizeof(float));
        p->curve_loss = malloc(cap * sizeof(float));
        if (!p->wpe || !p->wte || !p->curve_step || !p->curve_loss)
            return err_set(e, "out of memory for snapshots");
    }
    s->curve_step = malloc(cap * sizeof(float));
    s->curve_loss = malloc(cap * sizeof(float));
    return s->curve_step && s->curve_loss ? true : err_set(e, "out of memory for the loss curve");
}

static bool alloc_workers(GptTrain *s, Err *e)
{
    size_t n = s->model.nparams;
    s->w = calloc((size_t)s->nthreads, sizeof *s->w);
    if (!s->w)
        return err_set(e, "out of memory");
    for (int i = 0; i < s->nthreads; i++) {
        Worker *w = &s->w[i];
        w->s = s;
        w->id = i;
        w->g0 = i * s->ngroups / s->nthreads;
        w->g1 = (i + 1) * s->ngroups / s->nthreads;
        if (!gptm_work_init(&w->work, &s->model, e))
            return false;
    }
    s->grads = calloc((size_t)s->ngroups * n, sizeof(float));
    s->group_loss = calloc((size_t)s->ngroups, sizeof(double));
    if (!s->grads || !s->group_loss)
        return err_set(e, "out of memory for %d gradients of %zu floats", s->ngroups, n);
    return true;
}

/* Progress from the atomics and the controls. */
GptProgress gptt_progress(const GptTrain *cs)
{
    GptTrain *s = (GptTrain *)cs; /* the mutex is logically const */
    GptProgress p = {0};
    p.step = atomic_load(&s->step);
    p.tokens = (uint64_t)p.step * (uint64_t)s->d.batch * (uint64_t)s->model.desc.max_len;
    p.elapsed = atomic_load(&s->elapsed);
    p.tokens_per_sec = p.elapsed > 0 ? (double)p.tokens / p.elapsed : 0;
    p.loss = atomic_load(&s->loss);
    p.lr = atomic_load(&s->lr);
    p.smooth_step = atomic_load(&s->smooth_step);
    p.smooth_seconds = atomic_load(&s->smooth_seconds);
    pthread_mutex_lock(&s->mu);
    p.running = s->threads_up && !s->finished && !s->stop_req;
    p.paused = s->paused;
    p.finished = s->finished;
    pthread_mutex_unlock(&s->mu);
    return p;
}

/* Leader (or a caller when no thread runs): fills a free slot and publishes it. */
static void publish(GptTrain *s)
{
    pthread_mutex_lock(&s->pub_mu);
    int slot = 0;
    while (slot == s->held || slot == s->latest) /* the reader can only take latest */
        slot++;
    pthread_mutex_unlock(&s->pub_mu);
    GptSnap *p = &s->slot[slot];
    const GptDesc *d = &s->model.desc;
    size_t c = (size_t)d->dim;
    p->progress = gptt_progress(s);
    p->rows = d->max_len, p->dim = d->dim, p->vocab = d->vocab;
    memcpy(p->wpe, s->model.w.wpe, (size_t)d->max_len * c * sizeof(float));
    memcpy(p->wte, s->model.w.wte, (size_t)d->vocab * c * sizeof(float));
    p->pos = gptp_measure(p->wpe, p->rows, p->dim, true);
    p->unigram_loss = s->text.unigram_loss;
    p->bigram_loss = s->text.bigram_loss;
    p->ncurve = s->ncurve;
    memcpy(p->curve_step, s->curve_step, (size_t)s->ncurve * sizeof(float));
    memcpy(p->curve_loss, s->curve_loss, (size_t)s->ncurve * sizeof(float));
    pthread_mutex_lock(&s->pub_mu);
    s->latest = slot;
    pthread_mutex_unlock(&s->pub_mu);
    if (s->d.on_publish)
        s->d.on_publish(s->d.publish_ctx);
    s->last_pub = clock_ms();
}

/* The step's batch loss into the progress mean and the curve (pairs merged when full). */
static void record_loss(GptTrain *s, int64_t step, double loss)
{
    s->recent[(step - 1) % RECENT] = loss;
    s->nrecent += s->nrecent < RECENT;
    double sum = 0;
    for (int i = 0; i < s->nrecent; i++)
        sum += s->recent[i];
    atomic_store(&s->loss, sum / s->nrecent);
    s->bucket_sum += loss;
    if (++s->bucket_n < s->stride)
        return;
    if (s->ncurve == s->d.curve_points) {
        for (int i = 0; i < s->ncurve / 2; i++) {
            s->curve_step[i] = s->curve_step[2 * i + 1];
            s->curve_loss[i] = 0.5f * (s->curve_loss[2 * i] + s->curve_loss[2 * i + 1]);
        }
        s->ncurve /= 2;
        s->stride *= 2; /* the bucket just closed spans the old stride: kept as one point */
    }
    s->curve_step[s->ncurve] = (float)step;
    s->curve_loss[s->ncurve++] = (float)(s->bucket_sum / (double)s->bucket_n);
    s->bucket_sum = 0;
    s->bucket_n = 0;
}

/* Step 0 of a fresh run: counters, curve, batches' stream, moments; the caller redraws or
 * has just drawn the parameters. */
static void reset_state(GptTrain *s)
{
    atomic_store(&s->step, 0);
    atomic_store(&s->smooth_step, -1);
    atomic_store(&s->smooth_seconds, NAN);
    atomic_store(&s->elapsed, 0.0);
    atomic_store(&s->loss, NAN);
    s->nrecent = s->ncurve = 0;
    s->stride = 1;
    s->bucket_n = 0;
    s->bucket_sum = 0;
    s->rng = rng_mix(s->model.desc.seed ^ 0x6261746368657321ull);
    memset(s->m, 0, s->model.nparams * sizeof(float));
    memset(s->v, 0, s->model.nparams * sizeof(float));
}

/* Leader, before a step: waits while paused, decides whether to run it, draws the batch. */
static bool leader_control(GptTrain *s)
{
    int64_t step = atomic_load(&s->step);
    bool smooth = s->d.stop_when_smooth && atomic_load(&s->smooth_step) >= 0;
    bool limit = (s->d.max_steps && step >= s->d.max_steps) ||
                 (s->d.max_seconds > 0 && atomic_load(&s->elapsed) >= s->d.max_seconds) || smooth;
    pthread_mutex_lock(&s->mu);
    bool run = false;
    for (;;) {
        if (s->stop_req)
            break;
        if (limit) {
            s->finished = true;
            break;
        }
        if (!s->paused || s->budget > 0) {
            s->budget -= s->paused;
            run = true;
            break;
        }
        pthread_cond_wait(&s->cv, &s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    for (int b = 0; run && b < s->d.batch; b++)
        s->offsets[b] = gptc_sample(&s->text, s->model.desc.max_len, &s->rng);
    return run;
}

/* Leader, after a step's update. */
static void leader_finish(GptTrain *s, double t0)
{
    GptModel *m = &s->model;
    gptm_prepare(m);
    double loss = 0;
    for (int g = 0; g < s->ngroups; g++)
        loss += s->group_loss[g];
    loss /= (double)s->d.batch * m->desc.max_len;
    int64_t step = atomic_load(&s->step) + 1;
    atomic_store(&s->step, step);
    atomic_store(&s->elapsed, atomic_load(&s->elapsed) + (clock_ms() - t0) / 1e3);
    record_loss(s, step, loss);
    if (step % SMOOTH_EVERY == 0 && atomic_load(&s->smooth_step) < 0) {
        GptPosStats st = gptp_measure(m->w.wpe, m->desc.max_len, m->desc.dim, false);
        if (gptp_smooth(&st)) {
            atomic_store(&s->smooth_seconds, atomic_load(&s->elapsed));
            atomic_store(&s->smooth_step, step);
        }
    }
    pthread_mutex_lock(&s->mu);
    bool stepping = s->paused;
    if (!isfinite(loss)) {
        s->has_err = true;
        s->stop_req = true;
        err_set(&s->err, "the loss is %g at step %lld: lower the learning rate", loss,
                (long long)step);
    }
    pthread_mutex_unlock(&s->mu);
    if (stepping || clock_ms() - s->last_pub >= s->d.publish_ms)
        publish(s);
}

/* Sums range [lo, hi) of every group's gradient into group 0's, in group order, and applies
 * AdamW there. */
static void update_range(GptTrain *s, size_t lo, size_t hi, int64_t step, double lr)
{
    float *g0 = s->grads;
    for (int i = 0; i < s->model.ntensors; i++) {
        const GptTensor *t = &s->tensors[i];
        size_t a = t->offset, b = a + (size_t)t->rows * (size_t)t->cols;
        a = a > lo ? a : lo;
        b = b < hi ? b : hi;
        if (a >= b)
            continue;
        for (int k = 1; k < s->ngroups; k++) {
            const float *gk = s->grads + (size_t)k * s->model.nparams;
            for (size_t j = a; j < b; j++)
                g0[j] += gk[j];
        }
        gpto_update(&s->d.opt, s->model.params + a, g0 + a, s->m + a, s->v + a, b - a, step, lr,
                    t->decay);
    }
}

/* Forward and backward of group g's sequences into its own gradient. */
static void run_group(GptTrain *s, Worker *w, int g, float scale)
{
    GptModel *m = &s->model;
    float *grad = s->grads + (size_t)g * m->nparams;
    GptWeights gw;
    memset(grad, 0, m->nparams * sizeof(float));
    gptm_point(m, grad, &gw);
    double loss = 0;
    int b0 = (int)((int64_t)g * s->d.batch / s->ngroups);
    int b1 = (int)((int64_t)(g + 1) * s->d.batch / s->ngroups);
    for (int b = b0; b < b1; b++) {
        const int32_t *tok = s->text.tok + s->offsets[b];
        loss += gptm_forward(m, &w->work, tok);
        gptm_backward(m, &w->work, tok, scale, &gw);
    }
    s->group_loss[g] = loss;
}

static void *worker_main(void *arg)
{
    Worker *w = arg;
    GptTrain *s = w->s;
    GptModel *m = &s->model;
    int t = m->desc.max_len;
    float scale = (float)(1.0 / ((double)s->d.batch * t));
    size_t n = m->nparams, lo = n * (size_t)w->id / (size_t)s->nthreads,
           hi = n * (size_t)(w->id + 1) / (size_t)s->nthreads;
    for (;;) {
        double t0 = clock_ms();
        if (w->id == 0)
            s->quit_now = !leader_control(s);
        if (!gptb_wait(&s->bar) || s->quit_now)
            break;
        t0 = w->id == 0 ? clock_ms() : t0; /* pauses are not training time */
        for (int g = w->g0; g < w->g1; g++)
            run_group(s, w, g, scale);
        if (!gptb_wait(&s->bar))
            break;
        update_range(s, lo, hi, atomic_load(&s->step) + 1, atomic_load(&s->lr));
        if (!gptb_wait(&s->bar))
            break;
        if (w->id == 0)
            leader_finish(s, t0);
    }
    if (w->id == 0)
        publish(s);
    return NULL;
}

GptTrain *gptt_create(const GptTrainDesc *in, GptText *text, Err *e)
{
    GptText t = *text;
    memset(text, 0, sizeof *text);
    GptTrainDesc d = gptt_desc_defaults(in);
    d.model.vocab = t.vocab;
    GptTrain *s = NULL;
    if (!check_desc(&d, &t, e) || !(s = calloc(1, sizeof *s))) {
        if (!s && t.tok && e->msg[0] == 0)
            err_set(e, "out of memory");
        gptc_deinit(&t);
        return NULL;
    }
    s->d = d;
    s->text = t;
    s->nthreads = d.threads;
    s->ngroups = gptm_grad_groups(d.batch);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_mutex_init(&s->pub_mu, NULL);
    s->held = s->latest = -1;
    atomic_init(&s->lr, d.lr);
    atomic_init(&s->step, 0);
    atomic_init(&s->smooth_step, -1);
    atomic_init(&s->smooth_seconds, NAN);
    atomic_init(&s->elapsed, 0.0);
    atomic_init(&s->loss, NAN);
    bool ok = gptm_init(&s->model, &d.model, e);
    size_t n = s->model.nparams;
    if (ok) {
        s->tensors = malloc((size_t)s->model.ntensors * sizeof *s->tensors);
        s->m = malloc(n * sizeof(float));
        s->v = malloc(n * sizeof(float));
        s->offsets = malloc((size_t)d.batch * sizeof *s->offsets);
        ok = (s->tensors && s->m && s->v && s->offsets) || err_set(e, "out of memory");
    }
    ok = ok && alloc_workers(s, e) && alloc_snaps(s, e);
    if (!ok) {
        gptt_destroy(s);
        return NULL;
    }
    for (int i = 0; i < s->model.ntensors; i++)
        s->tensors[i] = gptm_tensor(&s->model, i);
    reset_state(s);
    publish(s);
    return s;
}

static void join_all(GptTrain *s)
{
    pthread_mutex_lock(&s->mu);
    bool up = s->threads_up;
    pthread_mutex_unlock(&s->mu);
    if (!up)
        return;
    for (int i = 0; i < s->nthreads; i++)
        if (s->w[i].started) {
            pthread_join(s->w[i].thread, NULL);
            s->w[i].started = false;
        }
    gptb_deinit(&s->bar);
    pthread_mutex_lock(&s->mu);
    s->threads_up = false;
    pthread_mutex_unlock(&s->mu);
}

bool gptt_start(GptTrain *s, Err *e)
{
    pthread_mutex_lock(&s->mu);
    bool up = s->threads_up;
    if (!up) {
        s->threads_up = true;
        s->stop_req = false;
        s->finished = false;
    }
    pthread_mutex_unlock(&s->mu);
    if (up)
        return err_set(e, "training is already running");
    gptb_init(&s->bar, s->nthreads);
    for (int i = 0; i < s->nthreads; i++) {
        if (pthread_create(&s->w[i].thread, NULL, worker_main, &s->w[i]) != 0) {
            pthread_mutex_lock(&s->mu);
            s->stop_req = true; /* a paused leader wakes and leaves */
            pthread_cond_broadcast(&s->cv);
            pthread_mutex_unlock(&s->mu);
            gptb_abort(&s->bar); /* the others leave at their next barrier */
            join_all(s);
            return err_set(e, "cannot start training thread %d", i);
        }
        s->w[i].started = true;
    }
    return true;
}

void gptt_pause(GptTrain *s)
{
    pthread_mutex_lock(&s->mu);
    s->paused = true;
    s->budget = 0;
    pthread_mutex_unlock(&s->mu);
}

void gptt_resume(GptTrain *s)
{
    pthread_mutex_lock(&s->mu);
    s->paused = false;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void gptt_step(GptTrain *s, int n)
{
    pthread_mutex_lock(&s->mu);
    if (s->paused && n > 0) {
        s->budget += n;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
}

void gptt_stop(GptTrain *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop_req = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    join_all(s);
}

void gptt_wait(GptTrain *s)
{
    if (s)
        join_all(s);
}

bool gptt_reset(GptTrain *s, Err *e)
{
    pthread_mutex_lock(&s->mu);
    bool was_running = s->threads_up && !s->finished && !s->stop_req;
    pthread_mutex_unlock(&s->mu);
    gptt_stop(s);
    pthread_mutex_lock(&s->mu);
    s->has_err = false;
    s->finished = false;
    pthread_mutex_unlock(&s->mu);
    gptm_reinit(&s->model, s->model.desc.seed);
    reset_state(s);
    publish(s);
    return was_running ? gptt_start(s, e) : true;
}

void gptt_set_lr(GptTrain *s, double lr)
{
    if (lr > 0 && isfinite(lr))
        atomic_store(&s->lr, lr);
}

const GptSnap *gptt_acquire(GptTrain *s)
{
    pthread_mutex_lock(&s->pub_mu);
    s->held = s->latest;
    pthread_mutex_unlock(&s->pub_mu);
    return s->held < 0 ? NULL : &s->slot[s->held];
}

bool gptt_error(const GptTrain *cs, Err *e)
{
    GptTrain *s = (GptTrain *)cs;
    pthread_mutex_lock(&s->mu);
    bool has = s->has_err;
    if (has && e)
        *e = s->err;
    pthread_mutex_unlock(&s->mu);
    return has;
}

const GptTrainDesc *gptt_desc(const GptTrain *s) { return &s->d; }
const GptText *gptt_text(const GptTrain *s) { return &s->text; }

bool gptt_copy_params(const GptTrain *cs, float *dst, size_t n)
{
    GptTrain *s = (GptTrain *)cs;
    pthread_mutex_lock(&s->mu);
    bool up = s->threads_up;
    pthread_mutex_unlock(&s->mu);
    if (up || n != s->model.nparams)
        return false;
    memcpy(dst, s->model.params, n * sizeof(float));
    return true;
}

void gptt_destroy(GptTrain *s)
{
    if (!s)
        return;
    gptt_stop(s);
    for (int i = 0; s->w && i < s->nthreads; i++) {
        gptm_work_deinit(&s->w[i].work);
    }
    free(s->w);
    free(s->grads);
    free(s->group_loss);
    for (int i = 0; i < SLOTS; i++) {
        free(s->slot[i].wpe);
        free(s->slot[i].wte);
        free(s->slot[i].curve_step);
        free(s->slot[i].curve_loss);
    }
    free(s->curve_step);
    free(s->curve_loss);
    free(s->tensors);
    free(s->m);
    free(s->v);
    free(s->offsets);
    gptm_deinit(&s->model);
    gptc_deinit(&s->text);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->pub_mu);
    free(s);
}
