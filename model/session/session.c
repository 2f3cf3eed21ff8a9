/* The loader thread of a session (see session.h). Its progress reaches the UI through the
 * publisher (model/analysis/publish.h), its result through the join. */
#include "model/session/session.h"
#include "model/analysis/publish.h"
#include "model/base/clock.h"
#include "model/files/sniff.h"
#include "model/files/vecfile.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct SessionOpen {
    char path[1024];
    SessionKind kind;
    TrainDesc train;
    int64_t max_words;
    void (*wake)(void *);
    void *ctx;
    pthread_t thread;
    atomic_bool cancel, done;
    /* progress: prog is the writer's working copy (the loader thread, or the pool worker that
     * counts shard 0: never both at once), published into slots for the UI thread */
    SessionProgress prog;
    Pub pub;
    SessionProgress slots[PUB_SLOTS];
    double start, last_wake;
    /* result: written by the thread, read after the join */
    bool ok;
    Session out;
    Err err;
};

/* The writer's working copy becomes what the UI reads next. */
static void publish(SessionOpen *o)
{
    int s = pub_begin(&o->pub, NULL);
    o->slots[s] = o->prog;
    pub_publish(&o->pub, s);
}

void session_free(Session *s)
{
    trainer_destroy(s->trainer);
    if (s->corpus) {
        corpus_close(s->corpus);
        free(s->corpus);
    }
    if (s->table) {
        emb_deinit(s->table);
        free(s->table);
    }
    memset(s, 0, sizeof *s);
}

/* The rule is sniff.h's, written down there with the format rules. */
SessionKind session_sniff(const char *path)
{
    return sniff_path(path) == SNIFF_VECTORS ? SESSION_VECTORS : SESSION_CORPUS;
}

static void set_phase(SessionOpen *o, const char *phase, double fraction)
{
    snprintf(o->prog.phase, sizeof o->prog.phase, "%s", phase);
    o->prog.fraction = fraction;
    o->prog.eta = -1;
    publish(o);
    if (o->wake)
        o->wake(o->ctx);
}

/* corpus_count's progress: words so far and the fraction of the file read. */
static bool on_count(void *ctx, uint64_t words, double fraction)
{
    SessionOpen *o = ctx;
    double t = clock_s(), el = t - o->start;
    o->prog.words = words;
    o->prog.fraction = fraction;
    o->prog.elapsed = el;
    o->prog.eta = fraction > 0.01 ? el / fraction - el : -1;
    publish(o);
    if (o->wake && t - o->last_wake > 0.1) {
        o->last_wake = t;
        o->wake(o->ctx);
    }
    return !atomic_load(&o->cancel);
}

static bool open_corpus(SessionOpen *o, Err *e)
{
    Session *s = &o->out;
    s->corpus = calloc(1, sizeof *s->corpus);
    if (!s->corpus)
        return err_set(e, "out of memory");
    if (!corpus_open(s->corpus, o->path, e)) {
        free(s->corpus);
        s->corpus = NULL;
        return false;
    }
    TrainDesc d = train_desc_for_corpus(s->corpus, &o->train);
    Vocab v;
    vocab_init(&v);
    set_phase(o, "counting words", 0);
    Pool *pool = pool_create(d.threads); /* NULL (no threads to be had): counts on this one */
    CorpusIds ids; /* what the count read: the trainer's first epoch replays it */
    bool counted = corpus_count_ids(s->corpus, &v, (uint64_t)d.min_count, d.max_vocab,
                                    d.threads, pool, on_count, o, &ids, e);
    pool_destroy(pool);
    if (!counted) {
        vocab_deinit(&v);
        return false;
    }
    if (v.size < 2) {
        int64_t n = v.size;
        corpus_ids_free(&ids);
        vocab_deinit(&v);
        return err_set(e, "%s: only %lld words occur at least %d times; nothing to show", o->path,
                       (long long)n, d.min_count);
    }
    int64_t words = v.size;
    uint64_t total = v.total;
    set_phase(o, "initialising the vectors", -1);
    s->trainer = trainer_create(&d, s->corpus, &v, e);
    vocab_deinit(&v);
    if (s->trainer)
        trainer_adopt_ids(s->trainer, &ids);
    corpus_ids_free(&ids);
    if (!s->trainer)
        return false;
    snprintf(s->summary, sizeof s->summary, "%lld words (%llu tokens), %s, dim %d", (long long)words,
             (unsigned long long)total,
             trainer_desc(s->trainer)->model == TRAIN_CBOW ? "CBOW" : "skip-gram",
             trainer_desc(s->trainer)->dim);
    return true;
}

/* the vector loader's progress: the fraction of the file read */
static bool on_load(void *ctx, double fraction)
{
    return on_count(ctx, 0, fraction);
}

static bool open_vectors(SessionOpen *o, Err *e)
{
    Session *s = &o->out;
    s->table = calloc(1, sizeof *s->table);
    if (!s->table)
        return err_set(e, "out of memory");
    emb_init(s->table);
    set_phase(o, "loading vectors", 0);
    VecInfo info;
    VecLoadDesc d = {.path = o->path, .max_words = o->max_words, .progress = on_load, .ctx = o};
    if (!vecfile_load(&d, s->table, &info, e))
        return false;
    if (s->table->rows < 2)
        return err_set(e, "%s: %lld vectors; need at least 2 to show", o->path,
                       (long long)s->table->rows);
    char note[160];
    const char *dups = vecfile_duplicates_note(&info, note, sizeof note);
    snprintf(s->summary, sizeof s->summary, "%lld vectors of dim %d (%s%s%s%s)%s%s",
             (long long)s->table->rows, s->table->dim, vecfile_format_name(info.format),
             info.metadata ? " + metadata.tsv" : "", info.compressed ? ", gzip" : "",
             info.limited ? ", first rows only" : "", dups ? "; " : "", dups ? dups : "");
    return true;
}

static void *thread_main(void *arg)
{
    SessionOpen *o = arg;
    SessionKind k = o->kind ? o->kind : session_sniff(o->path);
    snprintf(o->out.source, sizeof o->out.source, "%s", o->path);
    o->ok = k == SESSION_VECTORS ? open_vectors(o, &o->err) : open_corpus(o, &o->err);
    if (!o->ok)
        session_free(&o->out);
    o->prog.done = true;
    o->prog.elapsed = clock_s() - o->start;
    publish(o);
    atomic_store(&o->done, true);
    if (o->wake)
        o->wake(o->ctx);
    return NULL;
}

SessionOpen *session_open_start(const SessionOpenDesc *d, void (*wake)(void *), void *ctx, Err *e)
{
    if (!d->path || !d->path[0]) {
        err_set(e, "nothing to open: empty path");
        return NULL;
    }
    if (strlen(d->path) >= sizeof ((SessionOpen *)0)->path) {
        err_set(e, "path too long (%zu bytes)", strlen(d->path));
        return NULL;
    }
    SessionOpen *o = calloc(1, sizeof *o);
    if (!o) {
        err_set(e, "out of memory");
        return NULL;
    }
    snprintf(o->path, sizeof o->path, "%s", d->path);
    o->kind = d->kind;
    o->train = d->train;
    o->max_words = d->max_words;
    o->wake = wake;
    o->ctx = ctx;
    o->start = clock_s();
    o->prog.fraction = -1;
    o->prog.eta = -1;
    snprintf(o->prog.phase, sizeof o->prog.phase, "opening");
    pub_init(&o->pub);
    publish(o); /* before the thread starts: the UI always has a record to read */
    if (pthread_create(&o->thread, NULL, thread_main, o) != 0) {
        free(o);
        err_set(e, "cannot start a loader thread");
        return NULL;
    }
    return o;
}

SessionProgress session_open_progress(SessionOpen *o)
{
    SessionProgress p = o->slots[pub_acquire(&o->pub, NULL)];
    if (!p.done)
        p.elapsed = clock_s() - o->start;
    return p;
}

const char *session_open_path(const SessionOpen *o) { return o->path; }

bool session_open_finish(SessionOpen *o, bool cancel, Session *out, Err *e)
{
    if (cancel)
        atomic_store(&o->cancel, true);
    pthread_join(o->thread, NULL);
    bool ok = o->ok;
    if (ok)
        *out = o->out;
    else if (e)
        *e = o->err;
    free(o);
    return ok;
}
