/* Training on many processes: see dist.h. A synchronisation: (1) with the threads held, each
 * rank swaps its touched flags for zeros and the ranks OR them together, which is also where
 * the ranks wait for each other; (2) the rows to send are the frequent ones and every row some
 * rank touched; (3) still held, each rank packs its delta (model - reference) of those rows;
 * (4) the deltas are summed over the ranks (MPI_Allreduce) while the threads run on; (5) held
 * again, each rank adds the other ranks' part (sum - own delta) to its model and the sum to
 * its reference. Holding through (1) keeps the ranks in step: a rank that ran on while
 * waiting for a slower one trained on an ever staler model (measured: 22.0-22.4% on the
 * analogies against 23.7-24.0% held, bench corpus, 2 ranks).
 * A row no rank touched has no delta and keeps its flag clear; a row touched after (1) keeps
 * its flag for the next round. Main thread only. */
#include "model/train/dist.h"
#include "model/base/clock.h"
#include "model/train/trainer_state.h"
#include "model/train/worker.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#ifdef EMBEDSCOPE_MPI
#include <mpi.h>
#endif

#define DEFAULT_EVERY 50000 /* words of one rank between synchronisations */
/* Every FULL_EVERY-th synchronisation (and the last) also sends the rarer rows that some rank
 * touched; the others send only the frequent rows, the ones whose staleness costs accuracy. */
#define FULL_EVERY 2
/* A row is frequent when its word is expected this many times per interval. */
#define FREQUENT_PER_INTERVAL 1.0

/* Open MPI, MPICH and PMIx-based launchers set one of these in every rank's environment. */
static const char *launcher_size(void)
{
    const char *s = getenv("OMPI_COMM_WORLD_SIZE");
    return s ? s : getenv("PMI_SIZE");
}

#ifdef EMBEDSCOPE_MPI
bool dist_available(void) { return true; }

bool dist_init(Dist *d, int *argc, char ***argv, Err *e)
{
    memset(d, 0, sizeof *d);
    d->nranks = 1;
    if (!launcher_size())
        return true; /* not under mpirun: no MPI at all, as in a build without it */
    int provided = 0;
    /* MPI calls come from the main thread only, while the trainer threads compute */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return err_set(e, "MPI_Init_thread failed");
    d->mpi = true;
    MPI_Comm_rank(MPI_COMM_WORLD, &d->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &d->nranks);
    return true;
}

static void finalize(Dist *d)
{
    if (d->mpi)
        MPI_Finalize();
}

static void allreduce_u64(uint64_t *v, int n, bool max)
{
    MPI_Allreduce(MPI_IN_PLACE, v, n, MPI_UINT64_T, max ? MPI_MAX : MPI_MIN, MPI_COMM_WORLD);
}

/* Waits for a non-blocking collective, sleeping 0.2 ms between tests: a blocking MPI call
 * spins a core while it waits for the slowest rank, the core this rank's trainer threads need. */
static void wait_for(MPI_Request *rq)
{
    for (int done = 0;;) {
        MPI_Test(rq, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        struct timespec ts = {0, 200 * 1000};
        nanosleep(&ts, NULL);
    }
}

static void allreduce_or(unsigned char *flags, int64_t n)
{
    for (int64_t at = 0; at < n; at += 1 << 30) {
        MPI_Request rq;
        MPI_Iallreduce(MPI_IN_PLACE, flags + at, (int)(n - at < (1 << 30) ? n - at : 1 << 30),
                       MPI_BYTE, MPI_BOR, MPI_COMM_WORLD, &rq);
        wait_for(&rq);
    }
}

static void allreduce_sum(const float *send, float *recv, int64_t n)
{
    for (int64_t at = 0; at < n; at += 1 << 28) {
        MPI_Request rq;
        MPI_Iallreduce(send + at, recv + at, (int)(n - at < (1 << 28) ? n - at : 1 << 28),
                       MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &rq);
        wait_for(&rq);
    }
}
#else
bool dist_available(void) { return false; }

bool dist_init(Dist *d, int *argc, char ***argv, Err *e)
{
    (void)argc, (void)argv;
    memset(d, 0, sizeof *d);
    d->nranks = 1;
    const char *n = launcher_size();
    if (n && atoi(n) > 1)
        return err_set(e, "started by mpirun with %s ranks, but this embedscope was built without "
                          "MPI (install openmpi-bin and libopenmpi-dev, then rebuild)", n);
    return true;
}

static void finalize(Dist *d) { (void)d; }
/* One rank: the reductions are the identity. */
static void allreduce_u64(uint64_t *v, int n, bool max) { (void)v, (void)n, (void)max; }
static void allreduce_or(unsigned char *flags, int64_t n) { (void)flags, (void)n; }
static void allreduce_sum(const float *send, float *recv, int64_t n)
{
    memcpy(recv, send, (size_t)n * sizeof(float));
}
#endif

void dist_deinit(Dist *d)
{
    free(d->ref);
    free(d->send);
    free(d->recv);
    free(d->rows[0]);
    free(d->rows[1]);
    free(d->flags);
    finalize(d);
    memset(d, 0, sizeof *d);
}

bool dist_same_vocab(Dist *d, const Vocab *v, Err *e)
{
    if (d->nranks == 1)
        return true;
    uLong crc = crc32(0L, Z_NULL, 0);
    for (int64_t i = 0; i < v->size; i++) {
        const char *w = vocab_word(v, i);
        crc = crc32(crc, (const Bytef *)w, (uInt)strlen(w) + 1);
        crc = crc32(crc, (const Bytef *)&v->counts[i], sizeof v->counts[i]);
    }
    uint64_t hi[3] = {(uint64_t)v->size, v->total, crc}, lo[3];
    memcpy(lo, hi, sizeof lo);
    allreduce_u64(hi, 3, true);
    allreduce_u64(lo, 3, false);
    if (memcmp(hi, lo, sizeof hi) != 0)
        return err_set(e, "the ranks counted different vocabularies (%llu..%llu words): do they "
                          "all read the same corpus file?", (unsigned long long)lo[0],
                       (unsigned long long)hi[0]);
    return true;
}

/* The matrices a run has, in the order they are packed: syn0, syn1neg, syn1. */
static int matrices(const Trainer *t, float *m[3])
{
    int n = 0;
    m[n++] = t->syn0;
    if (t->syn1neg)
        m[n++] = t->syn1neg;
    if (t->syn1)
        m[n++] = t->syn1;
    return n;
}

bool dist_attach(Dist *d, Trainer *t, uint64_t every, Err *e)
{
    d->every = every ? every : DEFAULT_EVERY;
    int64_t V = t->vocab.size;
    /* frequent rows are touched every time: flags would only cost */
    int64_t f = 0;
    while (f < V && (double)t->vocab.counts[f] * (double)d->every >=
                        FREQUENT_PER_INTERVAL * (double)t->vocab.total)
        f++;
    d->frequent = f;
    if (!trainer_set_ranks(t, d->rank, d->nranks, d->nranks > 1 ? f : V, e))
        return false;
    uint64_t share = (uint64_t)t->d.iter * t->vocab.total / (uint64_t)d->nranks;
    d->planned = d->nranks > 1 ? (int)(share / d->every) : 0;
    if (d->nranks == 1)
        return true;
    float *m[3];
    int nm = matrices(t, m);
    size_t floats = (size_t)V * (size_t)t->dim * (size_t)nm;
    d->ref = malloc(floats * sizeof(float));
    d->send = malloc(floats * sizeof(float));
    d->recv = malloc(floats * sizeof(float));
    d->rows[0] = malloc((size_t)V * sizeof *d->rows[0]);
    d->rows[1] = malloc((size_t)V * sizeof *d->rows[1]);
    d->flags = malloc(2 * (size_t)(V - f) + 1);
    if (!d->ref || !d->send || !d->recv || !d->rows[0] || !d->rows[1] || !d->flags)
        return err_set(e, "out of memory for the ranks' synchronisation (%zu MB)",
                       floats * 3 * sizeof(float) >> 20);
    for (int k = 0; k < nm; k++) /* every rank starts from the same seeded model */
        for (int64_t r = 0; r < V; r++)
            memcpy(d->ref + ((size_t)k * (size_t)V + (size_t)r) * (size_t)t->dim,
                   m[k] + r * t->stride, (size_t)t->dim * sizeof(float));
    return true;
}

/* The rows of syn0 and syn1neg to send this time: the frequent ones and those some rank
 * touched (negative samples touch most of syn1neg, context words far fewer rows of syn0).
 * The threads are held, so no flag is set between the swap and the packing.
 * syn1 (the hierarchical softmax's inner nodes, not words) is sent whole. Returns the rows. */
static int64_t pick_rows(Dist *d, Trainer *t, bool full)
{
    int64_t V = t->vocab.size, rare = full ? V - d->frequent : 0;
    for (int64_t j = 0; j < 2 * rare; j++)
        d->flags[j] = atomic_exchange_explicit(&t->touched[j], 0, memory_order_relaxed);
    allreduce_or(d->flags, 2 * rare);
    for (int m = 0; m < 2; m++) {
        d->nrows[m] = 0;
        for (int64_t r = 0; r < (full ? V : d->frequent); r++)
            if (r < d->frequent || d->flags[m * rare + r - d->frequent])
                d->rows[m][d->nrows[m]++] = (int32_t)r;
    }
    return d->nrows[0] + (t->syn1neg ? d->nrows[1] : 0);
}

/* Packs (add = false) model - reference of the rows into send, or adds (add = true) recv -
 * send to the model and recv to the reference. */
static void pass(Dist *d, Trainer *t, bool add)
{
    float *m[3];
    int nm = matrices(t, m), dim = t->dim;
    int64_t V = t->vocab.size;
    size_t at = 0;
    for (int k = 0; k < nm; k++) {
        bool whole = m[k] == t->syn1;
        const int32_t *rows = d->rows[m[k] == t->syn1neg];
        int64_t n = whole ? V : d->nrows[m[k] == t->syn1neg];
        for (int64_t i = 0; i < n; i++, at += (size_t)dim) {
            int64_t r = whole ? i : rows[i];
            float *x = m[k] + r * t->stride, *ref = d->ref + ((size_t)k * (size_t)V + (size_t)r) * (size_t)dim;
            float *s = d->send + at, *g = d->recv + at;
            for (int j = 0; j < dim; j++) {
                if (add) {
                    x[j] += g[j] - s[j];
                    ref[j] += g[j];
                } else {
                    s[j] = x[j] - ref[j];
                }
            }
        }
    }
}

static bool sync_once(Dist *d, Trainer *t, Err *e)
{
    double t0 = clock_s();
    bool full = (d->done + 1) % FULL_EVERY == 0 || d->done == d->planned;
    double h0 = clock_s();
    if (!worker_hold(t, e))
        return false;
    int64_t n = pick_rows(d, t, full);
    size_t floats = (size_t)n * (size_t)t->dim +
                    (t->syn1 ? (size_t)t->vocab.size * (size_t)t->dim : 0);
    pass(d, t, false);
    worker_release(t);
    double held = clock_s() - h0;
    allreduce_sum(d->send, d->recv, (int64_t)floats);
    h0 = clock_s();
    if (!worker_hold(t, e))
        return false;
    pass(d, t, true);
    worker_release(t);
    held += clock_s() - h0;
    double s = clock_s() - t0;
    d->done++;
    d->stats.syncs++;
    d->stats.rows += (double)n;
    d->stats.bytes += (double)floats * sizeof(float) + (full ? 2.0 * (double)(t->vocab.size - d->frequent) : 0);
    d->stats.full += full;
    d->stats.seconds += s;
    d->stats.held += held;
    if (s > d->stats.max_seconds)
        d->stats.max_seconds = s;
    return true;
}

bool dist_step(Dist *d, Trainer *t, Err *e)
{
    if (d->nranks == 1)
        return true;
    TrainProgress p = trainer_progress(t);
    if (p.finished)
        return dist_finish(d, t, e);
    if (d->done < d->planned &&
        (double)p.words_done >= (double)(d->done + 1) * (double)p.words_total / (d->planned + 1))
        return sync_once(d, t, e);
    return true;
}

bool dist_finish(Dist *d, Trainer *t, Err *e)
{
    if (d->nranks == 1)
        return true;
    while (d->done <= d->planned) /* the planned ones left, then the last */
        if (!sync_once(d, t, e))
            return false;
    return true;
}
