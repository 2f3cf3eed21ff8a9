/* The learned position table's helper thread and its frames (see poslearn.h). The UI thread
 * calls the controls; the helper thread runs learn_main and everything it calls; the fields
 * of PosLearn under "mu" are shared, the others belong to the helper thread. */
#include "app/gui/views/poslearn.h"
#include "app/gui/core/bgprio.h"
#include "model/base/clock.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 3         /* the UI's frame, the latest, the one being built */
#define IDLE_MS 1000    /* the helper's longest sleep: each snapshot wakes it (on_publish) */

struct PosLearn {
    void (*wake)(void *);
    void *ctx;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* under mu */
    bool quit, want_config, want_launch, want_reset;
    bool published;             /* a snapshot came out since the helper last looked */
    bool busy;                  /* a configure or reset runs, or its first frame is not out */
    GptTrainDesc cfg;
    char cfg_text[1024];
    GptTrain *cur;              /* replaced and freed by the helper only; the UI calls the
                                   light controls on it under mu */
    char msg[400];
    bool has_msg, msg_error;
    int held, latest;           /* slots, -1 for none */
    PosLearnFrame slot[SLOTS];
    /* the helper thread's */
    uint64_t run, seq;
    char text[1024];            /* of cur */
    GptEstimate est;
    const GptSnap *last;        /* the snapshot seen last */
    bool pending;               /* seen but not built yet */
    bool first;                 /* the next frame is a new session's first */
    double last_build;          /* ms */
    PosLearnSample *hist;       /* (POSLEARN_HISTORY) */
    int nhist;
    float hist_every;           /* steps between kept samples: doubles at each thinning */
    bool told_error;            /* the session's training error was said */
};

static void say(PosLearn *l, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(PosLearn *l, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&l->mu);
    vsnprintf(l->msg, sizeof l->msg, fmt, ap);
    l->has_msg = true;
    l->msg_error = error;
    pthread_mutex_unlock(&l->mu);
    va_end(ap);
    l->wake(l->ctx);
}

static void new_run(PosLearn *l)
{
    l->run++;
    l->nhist = 0;
    l->hist_every = 1;
    l->last = NULL;
    l->pending = true;
    l->last_build = 0; /* the step-0 table is built at once */
    l->told_error = false;
}

/* The session's on_publish, from the thread that published: wakes the helper. */
static void published(void *ctx)
{
    PosLearn *l = ctx;
    pthread_mutex_lock(&l->mu);
    l->published = true;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

/* Loads the text and creates the session; it replaces the running one only then. */
static bool configure(PosLearn *l, const GptTrainDesc *want, const char *text)
{
    Err e = {{0}};
    GptText t;
    if (!gptc_load(&t, text, &e)) {
        say(l, true, "positions: %s; the table shown stays", e.msg);
        return false;
    }
    GptTrainDesc d = *want;
    d.on_publish = published;
    d.publish_ctx = l;
    GptTrain *n = gptt_create(&d, &t, &e);
    if (!n) {
        say(l, true, "positions: %s; the table shown stays", e.msg);
        return false;
    }
    const GptTrainDesc *in = gptt_desc(n);
    if (!gptm_estimate(&in->model, in->batch, in->threads, &l->est, &e))
        memset(&l->est, 0, sizeof l->est);
    pthread_mutex_lock(&l->mu);
    GptTrain *old = l->cur;
    l->cur = n;
    pthread_mutex_unlock(&l->mu);
    gptt_destroy(old);
    snprintf(l->text, sizeof l->text, "%s", text);
    new_run(l);
    const GptText *tx = gptt_text(n);
    say(l, false, "learned table %d x %d ready (%s: %zu bytes, %d distinct, %d thread%s): Start "
        "trains it", in->model.max_len, in->model.dim, text, tx->n, tx->vocab, in->threads,
        in->threads == 1 ? "" : "s");
    l->first = true;
    return true;
}

/* The measures of a new snapshot into the run's history, thinned to every other sample when
 * full so a long run keeps its whole shape. */
static void record(PosLearn *l, const GptSnap *sn)
{
    float step = (float)sn->progress.step;
    if (l->nhist && step - l->hist[l->nhist - 1].step < l->hist_every)
        return;
    if (l->nhist == POSLEARN_HISTORY) {
        for (int i = 0; i < POSLEARN_HISTORY / 2; i++)
            l->hist[i] = l->hist[2 * i + 1];
        l->nhist = POSLEARN_HISTORY / 2;
        l->hist_every *= 2;
    }
    const GptPosStats *p = &sn->pos;
    l->hist[l->nhist++] = (PosLearnSample){step, (float)p->adjacent, (float)p->far, (float)p->pc1,
                                           (float)p->cos5_6, (float)p->cos5_100};
}

static bool grow(void **p, int *cap, int n, size_t size)
{
    if (n <= *cap)
        return true;
    void *q = realloc(*p, (size_t)n * size);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

/* Fills frame f from the snapshot (the view first: a table that is not finite is refused). */
static bool fill(PosLearn *l, PosLearnFrame *f, const GptSnap *sn, const GptTrain *s, Err *e)
{
    if (!posview_build_table(&f->view, sn->wpe, sn->rows, sn->dim, e))
        return false;
    int nw = sn->vocab * sn->dim;
    if (!grow((void **)&f->wte, &f->cap_wte, nw, sizeof *f->wte) ||
        !grow((void **)&f->curve_step, &f->cap_step, sn->ncurve + 1, sizeof(float)) ||
        !grow((void **)&f->curve_loss, &f->cap_loss, sn->ncurve + 1, sizeof(float)) ||
        !grow((void **)&f->hist, &f->cap_hist, POSLEARN_HISTORY, sizeof *f->hist))
        return err_set(e, "out of memory for a frame");
    f->prog = sn->progress;
    f->pos = sn->pos;
    f->unigram_loss = sn->unigram_loss;
    f->bigram_loss = sn->bigram_loss;
    f->rows = sn->rows, f->dim = sn->dim, f->vocab = sn->vocab;
    memcpy(f->wte, sn->wte, (size_t)nw * sizeof *f->wte);
    memcpy(f->byte_of, gptt_text(s)->byte_of, sizeof f->byte_of);
    f->ncurve = sn->ncurve;
    memcpy(f->curve_step, sn->curve_step, (size_t)sn->ncurve * sizeof(float));
    memcpy(f->curve_loss, sn->curve_loss, (size_t)sn->ncurve * sizeof(float));
    f->nhist = l->nhist;
    memcpy(f->hist, l->hist, (size_t)l->nhist * sizeof *f->hist);
    f->desc = *gptt_desc(s);
    f->est = l->est;
    snprintf(f->text, sizeof f->text, "%s", l->text);
    f->text_tokens = gptt_text(s)->n;
    f->run = l->run;
    f->seq = ++l->seq;
    return true;
}

static void build(PosLearn *l, const GptSnap *sn, const GptTrain *s)
{
    pthread_mutex_lock(&l->mu);
    int k = 0;
    while (k == l->held || k == l->latest) /* the UI can only take the latest */
        k++;
    pthread_mutex_unlock(&l->mu);
    Err e = {{0}};
    l->pending = false;
    l->last_build = clock_ms();
    bool ok = fill(l, &l->slot[k], sn, s, &e);
    if (!ok)
        say(l, true, "positions: step %lld: %s", (long long)sn->progress.step, e.msg);
    pthread_mutex_lock(&l->mu);
    if (ok)
        l->latest = k;
    if (l->first) /* a new session's first frame settles its configure, shown or not */
        l->busy = l->want_config;
    l->first = false;
    pthread_mutex_unlock(&l->mu);
    if (ok)
        l->wake(l->ctx);
}

/* A look at the session: a new snapshot is recorded, and built once POSLEARN_BUILD_MS have
 * passed since the last build. Returns how long the helper may sleep (ms) unless woken. */
static double look(PosLearn *l, GptTrain *s)
{
    const GptSnap *sn = gptt_acquire(s);
    if (!sn)
        return IDLE_MS;
    if (sn != l->last) { /* a new one is never in the slot still held */
        l->last = sn;
        l->pending = true;
        record(l, sn);
    }
    Err e = {{0}};
    if (!l->told_error && gptt_error(s, &e)) {
        l->told_error = true;
        say(l, true, "positions: training stopped: %s (Reset starts again)", e.msg);
    }
    double left = POSLEARN_BUILD_MS - (clock_ms() - l->last_build);
    if (l->pending && left <= 0)
        build(l, sn, s);
    return l->pending ? left : IDLE_MS; /* a snapshot seen too soon is built when its time comes */
}

/* Launch: the threads run (paused ones wait for a step); a stopped run is joined first. */
static void launch(PosLearn *l, GptTrain *s)
{
    Err e = {{0}};
    if (gptt_progress(s).running)
        return;
    gptt_stop(s);
    if (!gptt_start(s, &e))
        say(l, true, "positions: %s", e.msg);
}

static void timed_wait(PosLearn *l, double ms)
{
    struct timespec ts = clock_deadline(CLOCK_MONOTONIC, ms * 1e-3);
    pthread_cond_timedwait(&l->cv, &l->mu, &ts);
}

static void *learn_main(void *arg)
{
    PosLearn *l = arg;
    (void)bgprio_lower(); /* and every thread it starts, as the window's other background threads */
    GptTrainDesc d;
    char text[sizeof l->cfg_text];
    pthread_mutex_lock(&l->mu);
    while (!l->quit) {
        GptTrain *s = l->cur;
        if (l->want_config) {
            l->want_config = false;
            l->busy = true;
            d = l->cfg;
            memcpy(text, l->cfg_text, sizeof text);
            pthread_mutex_unlock(&l->mu);
            bool ok = configure(l, &d, text);
            pthread_mutex_lock(&l->mu);
            l->busy = l->want_config || ok; /* ok: until its first frame is out */
            continue;
        }
        bool reset = l->want_reset && s, start = l->want_launch && s;
        l->want_reset = l->want_launch = false;
        pthread_mutex_unlock(&l->mu);
        Err e = {{0}};
        if (reset) {
            if (!gptt_reset(s, &e))
                say(l, true, "positions: %s", e.msg);
            new_run(l);
            l->first = true; /* settles the busy set by poslearn_reset */
        }
        if (start)
            launch(l, s);
        double wait = IDLE_MS;
        if (s)
            wait = look(l, s);
        pthread_mutex_lock(&l->mu);
        if (!l->quit && !l->want_config && !l->want_reset && !l->want_launch && !l->published)
            timed_wait(l, wait);
        l->published = false;
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

PosLearn *poslearn_create(void (*wake)(void *), void *ctx, Err *e)
{
    PosLearn *l = calloc(1, sizeof *l);
    if (!l || !(l->hist = malloc(POSLEARN_HISTORY * sizeof *l->hist))) {
        free(l);
        err_set(e, "positions: out of memory");
        return NULL;
    }
    l->wake = wake;
    l->ctx = ctx;
    l->held = l->latest = -1;
    l->hist_every = 1;
    for (int i = 0; i < SLOTS; i++)
        posview_init(&l->slot[i].view);
    pthread_mutex_init(&l->mu, NULL);
    clock_cond_init(&l->cv);
    if (pthread_create(&l->thread, NULL, learn_main, l) != 0) {
        pthread_mutex_destroy(&l->mu);
        pthread_cond_destroy(&l->cv);
        free(l->hist);
        free(l);
        err_set(e, "positions: cannot start a thread");
        return NULL;
    }
    return l;
}

void poslearn_destroy(PosLearn *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->mu);
    l->quit = true;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->thread, NULL);
    gptt_destroy(l->cur);
    for (int i = 0; i < SLOTS; i++) {
        PosLearnFrame *f = &l->slot[i];
        posview_deinit(&f->view);
        free(f->wte);
        free(f->curve_step);
        free(f->curve_loss);
        free(f->hist);
    }
    free(l->hist);
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
    free(l);
}

void poslearn_configure(PosLearn *l, const GptTrainDesc *d, const char *text)
{
    pthread_mutex_lock(&l->mu);
    l->cfg = *d;
    snprintf(l->cfg_text, sizeof l->cfg_text, "%s", text);
    l->want_config = l->busy = true;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

void poslearn_start(PosLearn *l)
{
    pthread_mutex_lock(&l->mu);
    if (l->cur) {
        gptt_resume(l->cur);
        l->want_launch = true;
        pthread_cond_signal(&l->cv);
    }
    pthread_mutex_unlock(&l->mu);
}

void poslearn_pause(PosLearn *l)
{
    pthread_mutex_lock(&l->mu);
    if (l->cur)
        gptt_pause(l->cur);
    pthread_mutex_unlock(&l->mu);
}

void poslearn_step(PosLearn *l, int n)
{
    pthread_mutex_lock(&l->mu);
    if (l->cur && n > 0) {
        if (!gptt_progress(l->cur).paused) /* a pause would drop the steps still to run */
            gptt_pause(l->cur);
        gptt_step(l->cur, n);
        l->want_launch = true;
        pthread_cond_signal(&l->cv);
    }
    pthread_mutex_unlock(&l->mu);
}

void poslearn_reset(PosLearn *l)
{
    pthread_mutex_lock(&l->mu);
    l->want_reset = l->cur != NULL;
    l->busy |= l->want_reset; /* until the new run's first frame */
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

void poslearn_set_lr(PosLearn *l, double lr)
{
    pthread_mutex_lock(&l->mu);
    if (l->cur)
        gptt_set_lr(l->cur, lr);
    pthread_mutex_unlock(&l->mu);
}

GptProgress poslearn_progress(PosLearn *l, bool *has)
{
    GptProgress p = {0};
    pthread_mutex_lock(&l->mu);
    *has = l->cur != NULL;
    if (l->cur)
        p = gptt_progress(l->cur);
    pthread_mutex_unlock(&l->mu);
    return p;
}

bool poslearn_busy(PosLearn *l)
{
    pthread_mutex_lock(&l->mu);
    bool b = l->busy;
    pthread_mutex_unlock(&l->mu);
    return b;
}

bool poslearn_fresh(PosLearn *l)
{
    pthread_mutex_lock(&l->mu);
    bool f = l->held == l->latest;
    pthread_mutex_unlock(&l->mu);
    return f;
}

const PosLearnFrame *poslearn_acquire(PosLearn *l)
{
    pthread_mutex_lock(&l->mu);
    l->held = l->latest;
    pthread_mutex_unlock(&l->mu);
    return l->held < 0 ? NULL : &l->slot[l->held];
}

bool poslearn_message(PosLearn *l, char *msg, size_t cap, bool *error)
{
    pthread_mutex_lock(&l->mu);
    bool has = l->has_msg;
    if (has) {
        snprintf(msg, cap, "%s", l->msg);
        *error = l->msg_error;
        l->has_msg = false;
    }
    pthread_mutex_unlock(&l->mu);
    return has;
}
