/* Snapshot publisher: buffer reuse and limits single-threaded, then stress runs (a fake writer
 * and the real trainer) with readers checking that every snapshot they hold is internally
 * consistent and never changes while held. Meant to run under ThreadSanitizer too. */
#include "model/text/corpus.h"
#include "model/analysis/snapshot.h"
#include "tests/test.h"
#include "model/train/train.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double checksum(const Snapshot *s)
{
    double sum = 0;
    for (int64_t r = 0; r < s->rows; r++)
        for (int i = 0; i < s->dim; i++)
            sum += s->vec[r * s->stride + i] * (double)(1 + (r * 31 + i) % 7);
    return sum;
}

/* Norms as snap_compute_norms computes them, bit for bit. */
static bool norms_match(const Snapshot *s)
{
    for (int64_t r = 0; r < s->rows; r++) {
        double acc = 0;
        for (int i = 0; i < s->dim; i++)
            acc += (double)s->vec[r * s->stride + i] * s->vec[r * s->stride + i];
        if (s->norms[r] != (float)sqrt(acc))
            return false;
    }
    return true;
}

static void fill_const(Snapshot *s, float v)
{
    for (int64_t r = 0; r < s->rows; r++)
        for (int i = 0; i < s->dim; i++)
            s->vec[r * s->stride + i] = v;
    snap_compute_norms(s);
}

TEST(publish_acquire_release)
{
    Err e = {0};
    SnapPub *p = snap_pub_create(0, &e);
    CHECK(p && snap_acquire(p) == NULL && snap_latest_seq(p) == 0);
    Snapshot *s = snap_pub_begin(p, 10, 20, &e);
    CHECKF(s, "%s", e.msg);
    CHECK(s->rows == 10 && s->dim == 20 && s->stride == 32 && s->group[9] == -1);
    fill_const(s, 2);
    CHECK(snap_acquire(p) == NULL); /* nothing is visible before publish */
    snap_pub_publish(p, s);
    CHECK(snap_latest_seq(p) == 1);
    const Snapshot *a = snap_acquire(p);
    CHECK(a == s && a->seq == 1 && a->norms[3] == (float)sqrt(4.0 * 20));
    CHECK(a->vec[5 * 32 + 25] == 0); /* padding */
    snap_release(p, a);
    snap_release(p, NULL);
    /* a cancelled buffer is not published */
    Snapshot *c = snap_pub_begin(p, 10, 20, &e);
    CHECK(c && c != s);
    snap_pub_cancel(p, c);
    CHECK(snap_latest_seq(p) == 1);
    snap_pub_destroy(p);
    snap_pub_destroy(NULL);
    CHECK(!snap_pub_create(1, &e) && strstr(e.msg, "buffers"));
    CHECK(!snap_pub_create(SNAP_MAX_BUFFERS + 1, &e));
}

/* A held snapshot never changes, however many publications follow; memory stays bounded. */
TEST(held_snapshots_are_not_reused)
{
    Err e = {0};
    SnapPub *p = snap_pub_create(3, &e);
    Snapshot *s = snap_pub_begin(p, 50, 8, &e);
    fill_const(s, 1);
    snap_pub_publish(p, s);
    const Snapshot *held = snap_acquire(p);
    double sum = checksum(held);
    for (int k = 2; k < 40; k++) {
        Snapshot *w = snap_pub_begin(p, 50, 8, &e);
        CHECKF(w, "publication %d: %s", k, e.msg);
        CHECK(w != held);
        fill_const(w, (float)k);
        snap_pub_publish(p, w);
    }
    CHECK(checksum(held) == sum && held->seq == 1 && norms_match(held));
    CHECK(snap_pub_buffers(p) <= 3);
    /* with two distinct snapshots held and one latest... the third buffer is the latest, so
     * all three are busy: begin must refuse rather than overwrite */
    const Snapshot *latest = snap_acquire(p);
    CHECK(latest != held && latest->seq == 39);
    Snapshot *w = snap_pub_begin(p, 50, 8, &e);
    CHECK(w != NULL); /* third buffer: neither held nor latest */
    fill_const(w, 40);
    snap_pub_publish(p, w);                 /* now: held (seq 1), latest held (39), latest (40) */
    const Snapshot *third = snap_acquire(p);
    CHECK(third->seq == 40);
    CHECK(snap_pub_begin(p, 50, 8, &e) == NULL && strstr(e.msg, "held by readers"));
    snap_release(p, held);
    Snapshot *again = snap_pub_begin(p, 50, 8, &e);
    CHECK(again == (Snapshot *)held); /* the released buffer is the one reused */
    snap_pub_cancel(p, again);
    snap_release(p, latest);
    snap_release(p, third);
    snap_pub_destroy(p);
}

TEST(shapes_change_and_are_checked)
{
    Err e = {0};
    SnapPub *p = snap_pub_create(2, &e);
    Snapshot *s = snap_pub_begin(p, 4, 3, &e);
    fill_const(s, 1);
    snap_pub_publish(p, s);
    Snapshot *b = snap_pub_begin(p, 1000, 100, &e); /* bigger: storage grows */
    CHECKF(b, "%s", e.msg);
    CHECK(b->stride == 112 && b->rows == 1000);
    fill_const(b, 3);
    snap_pub_publish(p, b);
    Snapshot *c = snap_pub_begin(p, 2, 17, &e); /* smaller, other stride: padding zero */
    CHECK(c && c->stride == 32);
    for (int i = 17; i < 32; i++)
        CHECK(c->vec[i] == 0 && c->vec[32 + i] == 0);
    snap_pub_cancel(p, c);
    CHECK(!snap_pub_begin(p, -1, 3, &e) && strstr(e.msg, "bad shape"));
    CHECK(!snap_pub_begin(p, 3, 0, &e));
    CHECK(!snap_pub_begin(p, INT64_MAX / 2, 300, &e) && strstr(e.msg, "too large"));
    snap_pub_destroy(p);
}

/* ---- stress with a fake writer ----
 * The writer sweeps the matrix again and again, writing the sweep number k into every entry,
 * and announces "sweep k complete" (release) after each. The publisher notes the completed
 * sweep before (lo) and after (hi) its copy, so every copied entry must lie in [lo, hi + 1]
 * (entries use release stores and acquire loads, so seeing a value of sweep j implies seeing
 * "j - 1 complete"). Readers check each snapshot against its own lo/hi, its norms and its
 * checksum, hold it a while and check the checksum again: a publisher that reused a held
 * buffer, published half-filled buffers or mixed buffers up would fail one of these. */

enum { ROWS = 200, DIM = 24 };

typedef struct Shared {
    SnapPub *pub;
    _Atomic float *m;      /* (ROWS, DIM) */
    atomic_int stop;
    atomic_ullong done;    /* sweeps completed */
    atomic_int failures;
    atomic_int checked;
    int publications, skipped;
} Shared;

static void *writer(void *arg)
{
    Shared *sh = arg;
    for (unsigned long long k = 1; !atomic_load(&sh->stop); k++) {
        for (int i = 0; i < ROWS * DIM; i++)
            atomic_store_explicit(&sh->m[i], (float)k, memory_order_release);
        atomic_store_explicit(&sh->done, k, memory_order_release);
    }
    return NULL;
}

static void *publisher(void *arg)
{
    Shared *sh = arg;
    Err e = {0};
    for (int n = 0; n < 3000 && !atomic_load(&sh->failures); n++) {
        Snapshot *s = snap_pub_begin(sh->pub, ROWS, DIM, &e);
        if (!s) {
            sh->skipped++;
            continue;
        }
        s->step = atomic_load_explicit(&sh->done, memory_order_acquire); /* lo */
        for (int r = 0; r < ROWS; r++)
            for (int i = 0; i < DIM; i++)
                s->vec[r * s->stride + i] =
                    atomic_load_explicit(&sh->m[r * DIM + i], memory_order_acquire);
        s->words_done = atomic_load_explicit(&sh->done, memory_order_acquire) + 1; /* hi */
        snap_compute_norms(s);
        s->loss = checksum(s);
        snap_pub_publish(sh->pub, s);
        sh->publications++;
    }
    atomic_store(&sh->stop, 1);
    return NULL;
}

/* 0 when s is consistent; else a code saying which check failed. */
static int check_snapshot(const Snapshot *s)
{
    if (s->rows != ROWS || s->dim != DIM)
        return 1;
    for (int r = 0; r < ROWS; r++)
        for (int i = 0; i < DIM; i++) {
            float v = s->vec[r * s->stride + i];
            if (v < (float)s->step || v > (float)s->words_done)
                return 2;
        }
    if (!norms_match(s))
        return 3;
    if (checksum(s) != s->loss)
        return 4;
    return 0;
}

static void *reader(void *arg)
{
    Shared *sh = arg;
    uint64_t last = 0;
    while (!atomic_load(&sh->stop)) {
        const Snapshot *s = snap_acquire(sh->pub);
        if (!s)
            continue;
        int bad = s->seq < last ? 5 : check_snapshot(s);
        last = s->seq;
        for (volatile int spin = 0; spin < 20000; spin++) /* hold it while publications go on */
            ;
        if (!bad && checksum(s) != s->loss)
            bad = 6;
        if (bad) {
            fprintf(stderr, "    snapshot seq %llu failed check %d\n", (unsigned long long)s->seq,
                    bad);
            atomic_fetch_add(&sh->failures, 1);
        }
        atomic_fetch_add(&sh->checked, 1);
        snap_release(sh->pub, s);
    }
    return NULL;
}

TEST(stress_fake_writer)
{
    Err e = {0};
    Shared sh = {0};
    sh.pub = snap_pub_create(4, &e);
    sh.m = calloc(ROWS * DIM, sizeof *sh.m);
    CHECK(sh.pub && sh.m);
    pthread_t tw, tp, tr[2];
    CHECK(pthread_create(&tw, NULL, writer, &sh) == 0);
    CHECK(pthread_create(&tr[0], NULL, reader, &sh) == 0);
    CHECK(pthread_create(&tr[1], NULL, reader, &sh) == 0);
    CHECK(pthread_create(&tp, NULL, publisher, &sh) == 0);
    pthread_join(tp, NULL);
    pthread_join(tr[0], NULL);
    pthread_join(tr[1], NULL);
    pthread_join(tw, NULL);
    printf("    %d publications, %d skipped, %d snapshots checked, %d sweeps\n", sh.publications,
           sh.skipped, atomic_load(&sh.checked), (int)atomic_load(&sh.done));
    CHECK(atomic_load(&sh.failures) == 0);
    CHECK(atomic_load(&sh.checked) > 10 && sh.publications > 100);
    CHECK(snap_pub_buffers(sh.pub) <= 4);
    /* the check itself catches a corrupted snapshot (so passing above means something) */
    const Snapshot *s = snap_acquire(sh.pub);
    CHECK(s && check_snapshot(s) == 0);
    Snapshot *w = (Snapshot *)s;
    w->vec[7] += 1;
    CHECK(check_snapshot(s) != 0);
    snap_release(sh.pub, s);
    snap_pub_destroy(sh.pub);
    free(sh.m);
}

/* ---- stress with the real trainer ---- */

typedef struct TrainShared {
    SnapPub *pub;
    const Trainer *t;
    atomic_int stop, failures, checked;
    int published;
} TrainShared;

static void *train_publisher(void *arg)
{
    TrainShared *ts = arg;
    Err e = {0};
    for (int n = 0; n < 60 && !atomic_load(&ts->failures); n++) {
        if (snap_publish_trainer(ts->pub, ts->t, &e))
            ts->published++;
        struct timespec d = {0, 2000000};
        nanosleep(&d, NULL);
    }
    atomic_store(&ts->stop, 1);
    return NULL;
}

static void *train_reader(void *arg)
{
    TrainShared *ts = arg;
    uint64_t last_seq = 0, last_words = 0;
    while (!atomic_load(&ts->stop)) {
        const Snapshot *s = snap_acquire(ts->pub);
        if (!s)
            continue;
        double sum = checksum(s);
        int bad = 0;
        if (s->seq < last_seq || s->words_done < last_words)
            bad = 1;
        else if (!s->vocab || s->rows != s->vocab->size || s->dim != 16)
            bad = 2;
        else if (!norms_match(s))
            bad = 3;
        last_seq = s->seq, last_words = s->words_done;
        struct timespec d = {0, 1000000};
        nanosleep(&d, NULL);
        if (!bad && checksum(s) != sum)
            bad = 4;
        if (bad) {
            fprintf(stderr, "    trainer snapshot seq %llu failed check %d\n",
                    (unsigned long long)s->seq, bad);
            atomic_fetch_add(&ts->failures, 1);
        }
        atomic_fetch_add(&ts->checked, 1);
        snap_release(ts->pub, s);
    }
    return NULL;
}

TEST(stress_trainer)
{
    Err e = {0};
    Corpus c;
    CHECKF(corpus_open(&c, "@world", &e), "%s", e.msg);
    Vocab v;
    vocab_init(&v);
    CHECKF(corpus_count(&c, &v, 5, 0, NULL, NULL, &e), "%s", e.msg);
    Trainer *t = trainer_create(&(TrainDesc){.dim = 16, .iter = 1, .threads = 2}, &c, &v, &e);
    CHECKF(t, "%s", e.msg);
    CHECKF(trainer_start(t, &e), "%s", e.msg);
    TrainShared ts = {.pub = snap_pub_create(3, &e), .t = t};
    pthread_t tp, tr;
    CHECK(pthread_create(&tr, NULL, train_reader, &ts) == 0);
    CHECK(pthread_create(&tp, NULL, train_publisher, &ts) == 0);
    pthread_join(tp, NULL);
    pthread_join(tr, NULL);
    trainer_stop(t);
    printf("    %d trainer publications, %d checked\n", ts.published, atomic_load(&ts.checked));
    CHECK(atomic_load(&ts.failures) == 0 && ts.published > 10 && atomic_load(&ts.checked) > 5);
    snap_pub_destroy(ts.pub);
    trainer_destroy(t);
    vocab_deinit(&v);
    corpus_close(&c);
}
