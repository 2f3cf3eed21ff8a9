/* The triple-buffer publisher: slot choice and sequence numbers single-threaded, then stress
 * runs (a fake writer and the real trainer) with a reader checking that every slot it holds is
 * internally consistent and never changes while newer ones are published. Meant to run under
 * ThreadSanitizer too. */
#include "model/analysis/publish.h"
#include "model/text/corpus.h"
#include "model/train/train.h"
#include "model/vectors/embed.h"
#include "tests/test.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A slot as a caller would keep it: a matrix and what the writer knew while copying it. */
typedef struct Frame {
    float *vec;            /* (rows, stride) */
    int64_t rows;
    int dim, stride;
    uint64_t lo, hi;       /* writer progress before and after the copy */
    uint64_t seq;
    double sum;            /* checksum taken by the writer */
} Frame;

static double checksum(const Frame *f)
{
    double sum = 0;
    for (int64_t r = 0; r < f->rows; r++)
        for (int i = 0; i < f->dim; i++)
            sum += f->vec[r * f->stride + i] * (double)(1 + (r * 31 + i) % 7);
    return sum;
}

static void fill_const(Frame *f, float v)
{
    for (int64_t r = 0; r < f->rows; r++)
        for (int i = 0; i < f->dim; i++)
            f->vec[r * f->stride + i] = v;
    f->sum = checksum(f);
}

static bool frames_alloc(Frame *fr, int64_t rows, int dim)
{
    bool ok = true;
    for (int i = 0; i < PUB_SLOTS; i++) {
        fr[i] = (Frame){.rows = rows, .dim = dim, .stride = emb_stride(dim)};
        fr[i].vec = emb_aligned_alloc(sizeof(float) * (size_t)rows * (size_t)fr[i].stride);
        ok = ok && fr[i].vec;
    }
    return ok;
}

static void frames_free(Frame *fr)
{
    for (int i = 0; i < PUB_SLOTS; i++)
        free(fr[i].vec);
}

TEST(begin_publish_acquire)
{
    Pub zero = {0}, p;
    pub_init(&p);
    uint64_t seq = 99;
    CHECK(pub_seq(&zero) == 0 && pub_acquire(&zero, &seq) == -1 && seq == 0);
    CHECK(pub_seq(&p) == 0 && pub_acquire(&p, NULL) == -1);
    int s = pub_begin(&p, &seq);
    CHECK(s >= 0 && s < PUB_SLOTS && seq == 1);
    CHECK(pub_acquire(&p, NULL) == -1); /* nothing is visible before publish */
    /* a slot begun and not published reserves nothing: the same one comes back */
    CHECK(pub_begin(&p, NULL) == s && pub_seq(&p) == 0);
    CHECK(pub_publish(&p, s) == 1 && pub_seq(&p) == 1);
    CHECK(pub_acquire(&p, &seq) == s && seq == 1);
    int t = pub_begin(&p, &seq);
    CHECK(t != s && seq == 2); /* held and latest */
    CHECK(pub_publish(&p, t) == 2);
    int u = pub_begin(&p, NULL);
    CHECK(u != s && u != t); /* s held, t latest */
    CHECK(pub_acquire(&p, &seq) == t && seq == 2);
    CHECK(pub_begin(&p, NULL) != t); /* t both held and latest: two slots free */
    /* acquiring again without a new publication keeps the same slot */
    CHECK(pub_acquire(&p, &seq) == t && seq == 2 && pub_seq(&p) == 2);
}

/* A held slot never changes, however many publications follow, and it is the first to be
 * reused once the reader lets go of it. */
TEST(held_slots_are_not_reused)
{
    Frame fr[PUB_SLOTS];
    CHECK(frames_alloc(fr, 50, 8));
    Pub p;
    pub_init(&p);
    int s = pub_begin(&p, NULL);
    fill_const(&fr[s], 1);
    pub_publish(&p, s);
    int held = pub_acquire(&p, NULL);
    CHECK(held == s);
    double sum = checksum(&fr[held]);
    int last = -1;
    for (int k = 2; k < 40; k++) {
        uint64_t seq;
        int w = pub_begin(&p, &seq);
        CHECKF(w != held && w != last, "publication %d took slot %d", k, w);
        CHECK(seq == (uint64_t)k);
        fill_const(&fr[w], (float)k);
        fr[w].seq = seq;
        CHECK(pub_publish(&p, w) == seq);
        last = w;
    }
    CHECK(checksum(&fr[held]) == sum && fr[held].sum == sum);
    uint64_t seq;
    int latest = pub_acquire(&p, &seq);
    CHECK(latest == last && seq == 39 && fr[latest].seq == 39 && fr[latest].vec[0] == 39);
    /* the reader let go of `held`: within two publications the writer takes it again */
    int w = pub_begin(&p, NULL);
    CHECK(w != latest);
    if (w != held) {
        pub_publish(&p, w);
        w = pub_begin(&p, NULL);
    }
    CHECK(w == held);
    frames_free(fr);
}

/* ---- stress ----
 * A publisher thread copies a changing matrix into slots and publishes them while a reader
 * acquires, checks, holds and checks again. Frames carry what the publisher knew (lo, hi) and
 * a checksum; a publisher that handed out a held slot, published half-filled slots or mixed
 * slots up would fail one of the reader's checks.
 *
 * Fake writer: it sweeps the matrix again and again, writing the sweep number k into every
 * entry, and announces "sweep k complete" (release) after each. The publisher notes the
 * completed sweep before (lo) and after (hi) its copy, so every copied entry must lie in
 * [lo, hi + 1] (entries use release stores and acquire loads, so seeing a value of sweep j
 * implies seeing "j - 1 complete").
 * Real trainer: hi is the words done after the copy, which never decreases. */

enum { ROWS = 200, DIM = 24 };

typedef struct Shared {
    Pub pub;
    Frame fr[PUB_SLOTS];
    atomic_int stop, failures, checked;
    int publications;
    long hold_ns;          /* how long the reader holds a frame; 0: a short spin */
    _Atomic float *m;      /* fake writer: (ROWS, DIM) */
    atomic_ullong done;    /* fake writer: sweeps completed */
    const Trainer *t;      /* or the real trainer */
} Shared;

static void publish(Shared *sh, Frame *f, uint64_t seq)
{
    f->sum = checksum(f);
    f->seq = seq;
    pub_publish(&sh->pub, (int)(f - sh->fr));
    sh->publications++;
}

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
    for (int n = 0; n < 3000 && !atomic_load(&sh->failures); n++) {
        uint64_t seq;
        Frame *f = &sh->fr[pub_begin(&sh->pub, &seq)];
        f->lo = atomic_load_explicit(&sh->done, memory_order_acquire);
        for (int r = 0; r < ROWS; r++)
            for (int i = 0; i < DIM; i++)
                f->vec[r * f->stride + i] =
                    atomic_load_explicit(&sh->m[r * DIM + i], memory_order_acquire);
        f->hi = atomic_load_explicit(&sh->done, memory_order_acquire) + 1;
        publish(sh, f, seq);
    }
    atomic_store(&sh->stop, 1);
    return NULL;
}

static void *train_publisher(void *arg)
{
    Shared *sh = arg;
    for (int n = 0; n < 60 && !atomic_load(&sh->failures); n++) {
        uint64_t seq;
        Frame *f = &sh->fr[pub_begin(&sh->pub, &seq)];
        /* progress after the copy, as live.c does: the words cover every update copied */
        trainer_copy_rows(sh->t, f->vec, f->stride);
        f->hi = trainer_progress(sh->t).words_done;
        publish(sh, f, seq);
        struct timespec d = {0, 2000000};
        nanosleep(&d, NULL);
    }
    atomic_store(&sh->stop, 1);
    return NULL;
}

/* 0 when f is consistent; else a code saying which check failed. */
static int check_frame(const Shared *sh, const Frame *f)
{
    if (!sh->t && (f->rows != ROWS || f->dim != DIM))
        return 1;
    for (int r = 0; !sh->t && r < ROWS; r++)
        for (int i = 0; i < DIM; i++) {
            float v = f->vec[r * f->stride + i];
            if (v < (float)f->lo || v > (float)f->hi)
                return 2;
        }
    if (checksum(f) != f->sum)
        return 3;
    return 0;
}

static void *reader(void *arg)
{
    Shared *sh = arg;
    uint64_t last_seq = 0, last_hi = 0;
    while (!atomic_load(&sh->stop)) {
        uint64_t seq;
        int s = pub_acquire(&sh->pub, &seq);
        if (s < 0)
            continue;
        const Frame *f = &sh->fr[s];
        int bad = seq < last_seq || f->seq != seq || f->hi < last_hi ? 4 : check_frame(sh, f);
        last_seq = seq, last_hi = f->hi;
        if (sh->hold_ns) { /* hold it while publications go on */
            struct timespec d = {0, sh->hold_ns};
            nanosleep(&d, NULL);
        } else {
            for (volatile int spin = 0; spin < 20000; spin++)
                ;
        }
        if (!bad && checksum(f) != f->sum)
            bad = 5;
        if (bad) {
            fprintf(stderr, "    frame seq %llu failed check %d\n", (unsigned long long)seq, bad);
            atomic_fetch_add(&sh->failures, 1);
        }
        atomic_fetch_add(&sh->checked, 1);
    }
    return NULL;
}

/* Runs the reader, the publisher and (without a trainer) the fake writer to the end. */
static void run(Shared *sh, void *(*publisher_fn)(void *))
{
    pthread_t tw, tp, tr;
    if (!sh->t)
        CHECK(pthread_create(&tw, NULL, writer, sh) == 0);
    CHECK(pthread_create(&tr, NULL, reader, sh) == 0);
    CHECK(pthread_create(&tp, NULL, publisher_fn, sh) == 0);
    pthread_join(tp, NULL);
    pthread_join(tr, NULL);
    if (!sh->t)
        pthread_join(tw, NULL);
}

TEST(stress_fake_writer)
{
    Shared sh = {0};
    pub_init(&sh.pub);
    sh.m = calloc(ROWS * DIM, sizeof *sh.m);
    CHECK(sh.m && frames_alloc(sh.fr, ROWS, DIM));
    run(&sh, publisher);
    printf("    %d publications, %d frames checked, %d sweeps\n", sh.publications,
           atomic_load(&sh.checked), (int)atomic_load(&sh.done));
    CHECK(atomic_load(&sh.failures) == 0);
    CHECK(atomic_load(&sh.checked) > 10 && sh.publications > 100);
    CHECK(pub_seq(&sh.pub) == (uint64_t)sh.publications);
    /* the check itself catches a corrupted frame (so passing above means something) */
    int s = pub_acquire(&sh.pub, NULL);
    CHECK(s >= 0 && check_frame(&sh, &sh.fr[s]) == 0);
    sh.fr[s].vec[7] += 1;
    CHECK(check_frame(&sh, &sh.fr[s]) != 0);
    frames_free(sh.fr);
    free(sh.m);
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
    Shared sh = {.t = t, .hold_ns = 1000000};
    pub_init(&sh.pub);
    CHECK(frames_alloc(sh.fr, trainer_vocab(t)->size, trainer_dim(t)));
    run(&sh, train_publisher);
    trainer_stop(t);
    printf("    %d trainer publications, %d checked\n", sh.publications,
           atomic_load(&sh.checked));
    CHECK(atomic_load(&sh.failures) == 0 && sh.publications > 10 &&
          atomic_load(&sh.checked) > 5);
    frames_free(sh.fr);
    trainer_destroy(t);
    vocab_deinit(&v);
    corpus_close(&c);
}
