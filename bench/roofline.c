/* The roofline of the word trainer on this machine (bench/roofline.sh runs it): the peak FMA
 * rate of the widest vector unit, read and read-write bandwidth from L2-sized and DRAM-sized
 * arrays, the rate of random row updates from matrices shaped like syn0/syn1neg, and, from a
 * pass over a corpus, the FLOPs and bytes per trained word of the skip-gram (HogBatch) and
 * CBOW kernels as model/train/sgns.c and worker.c execute them. Single-threaded main plus
 * measurement threads that share nothing. */
#include "model/base/err.h"
#include "model/text/corpus.h"
#include "model/text/vocab.h"
#include "model/train/ids.h"
#include "model/train/xorshift.h"
#include "model/vectors/embed.h"
#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NACC 12            /* independent FMA chains: > latency (4) x ports (2) */
#define MIN_SECONDS 0.25   /* each measurement repeats until it has run this long */
#define REPEATS 5          /* best of: the machine is shared, the best is the least disturbed */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- peak FMA ---------------------------------------------------------------------------- */

/* Returns the FLOPs done: iters x NACC FMAs of `lanes` floats, 2 FLOPs each. */
__attribute__((target("avx512f"))) static double fma512(long iters)
{
    __m512 a[NACC], m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
    for (int k = 0; k < NACC; k++)
        a[k] = _mm512_set1_ps((float)k);
    for (long i = 0; i < iters; i++)
        for (int k = 0; k < NACC; k++)
            a[k] = _mm512_fmadd_ps(a[k], m, c);
    float s = 0, out[16];
    for (int k = 0; k < NACC; k++) {
        _mm512_storeu_ps(out, a[k]);
        s += out[k % 16];
    }
    __asm__ volatile("" ::"x"(s)); /* keep the chains alive */
    return (double)iters * NACC * 16 * 2;
}

__attribute__((target("avx2,fma"))) static double fma256(long iters)
{
    __m256 a[NACC], m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
    for (int k = 0; k < NACC; k++)
        a[k] = _mm256_set1_ps((float)k);
    for (long i = 0; i < iters; i++)
        for (int k = 0; k < NACC; k++)
            a[k] = _mm256_fmadd_ps(a[k], m, c);
    float s = 0, out[8];
    for (int k = 0; k < NACC; k++) {
        _mm256_storeu_ps(out, a[k]);
        s += out[k % 8];
    }
    __asm__ volatile("" ::"x"(s));
    return (double)iters * NACC * 8 * 2;
}

/* One measurement thread's job; every kind reads only its own fields. */
typedef enum { JOB_FMA512, JOB_FMA256, JOB_READ, JOB_RW, JOB_ROWS } JobKind;
typedef struct Job {
    JobKind kind;
    long iters;          /* FMA loop trips, or passes over the array */
    float *x, *y;        /* (n) arrays; rows: the matrices (nrows x stride) */
    size_t n;
    const int32_t *picks; /* rows: row indices to update, npicks of them */
    size_t npicks;
    int stride, dim;
    double work;         /* out: FLOPs, bytes or rows done */
    double seconds;      /* out */
} Job;

__attribute__((noinline)) static float sum_read(const float *x, size_t n)
{
    float s[16] = {0};
    for (size_t i = 0; i + 16 <= n; i += 16)
        for (size_t j = 0; j < 16; j++)
            s[j] += x[i + j];
    float t = 0;
    for (int j = 0; j < 16; j++)
        t += s[j];
    return t;
}

__attribute__((noinline)) static void axpy_rw(float *restrict y, const float *restrict x,
                                              size_t n, float a)
{
    for (size_t i = 0; i < n; i++)
        y[i] += a * x[i];
}

/* The kernels' access to one output row: a dot with a hidden vector, then out += g h (what
 * sgns_ns_step does per target), on rows picked in advance so the draws are not timed. */
__attribute__((noinline)) static double rows_update(const Job *j, const float *h)
{
    double acc = 0;
    for (size_t p = 0; p < j->npicks; p++) {
        float *r = j->x + (int64_t)j->picks[p] * j->stride;
        float f = 0;
        for (int d = 0; d < j->dim; d++)
            f += r[d] * h[d];
        float g = 1e-6f * (f > 0 ? -1.0f : 1.0f);
        for (int d = 0; d < j->dim; d++)
            r[d] += g * h[d];
        acc += f;
    }
    return acc;
}

static void *job_run(void *arg)
{
    Job *j = arg;
    float h[512];
    for (int d = 0; d < 512; d++)
        h[d] = 0.01f * (float)(d % 7);
    volatile float sink = 0;
    double t0 = now();
    j->work = 0;
    for (long it = 0; it < j->iters; it++) {
        switch (j->kind) {
        case JOB_FMA512: j->work += fma512(1L << 20); break;
        case JOB_FMA256: j->work += fma256(1L << 20); break;
        case JOB_READ: sink += sum_read(j->x, j->n); j->work += 4.0 * (double)j->n; break;
        case JOB_RW: axpy_rw(j->y, j->x, j->n, 1e-7f); j->work += 12.0 * (double)j->n; break;
        case JOB_ROWS: sink += (float)rows_update(j, h); j->work += (double)j->npicks; break;
        }
    }
    j->seconds = now() - t0;
    (void)sink;
    return NULL;
}

/* Runs jobs[0..nt) at once, doubling their iterations until they last MIN_SECONDS, best of
 * REPEATS; returns the summed rate (work / s) over the threads. */
static double run_jobs(Job *jobs, int nt)
{
    long iters = 1;
    for (;;) {
        for (int i = 0; i < nt; i++)
            jobs[i].iters = iters;
        job_run(&jobs[0]);
        if (jobs[0].seconds >= MIN_SECONDS / 4 || iters > (1L << 40))
            break;
        iters *= 2;
    }
    iters = (long)ceil((double)iters * MIN_SECONDS / (jobs[0].seconds > 0 ? jobs[0].seconds : 1));
    double best = 0;
    for (int rep = 0; rep < REPEATS; rep++) {
        pthread_t th[8];
        for (int i = 0; i < nt; i++) {
            jobs[i].iters = iters;
            if (i > 0)
                pthread_create(&th[i], NULL, job_run, &jobs[i]);
        }
        job_run(&jobs[0]);
        for (int i = 1; i < nt; i++)
            pthread_join(th[i], NULL);
        double rate = 0;
        for (int i = 0; i < nt; i++)
            rate += jobs[i].work / jobs[i].seconds;
        if (rate > best)
            best = rate;
    }
    return best;
}

static float *fill(size_t n)
{
    float *x = emb_aligned_alloc(n * sizeof(float));
    if (!x) {
        fprintf(stderr, "roofline: out of memory for %zu floats\n", n);
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(i % 13) * 0.01f;
    return x;
}

/* Bandwidth in bytes/s of `kind` over arrays of `bytes` per array, on nt threads. */
static double bandwidth(JobKind kind, size_t bytes, int nt)
{
    Job jobs[8];
    size_t n = bytes / sizeof(float);
    for (int i = 0; i < nt; i++) {
        jobs[i] = (Job){.kind = kind, .n = n, .x = fill(n), .y = kind == JOB_RW ? fill(n) : NULL};
    }
    double r = run_jobs(jobs, nt);
    for (int i = 0; i < nt; i++) {
        free(jobs[i].x);
        free(jobs[i].y);
    }
    return r;
}

static double peak_fma(JobKind kind, int nt)
{
    Job jobs[8];
    for (int i = 0; i < nt; i++)
        jobs[i] = (Job){.kind = kind};
    return run_jobs(jobs, nt);
}

/* Row updates per second on nt threads, each over its own (rows x stride) matrix (the shape of
 * syn1neg), rows drawn in advance from weights^0.75 as the negatives are (uniform when
 * weights is NULL). */
static double row_rate(int64_t rows, int dim, const uint64_t *weights, int nt)
{
    enum { NPICKS = 1 << 20 };
    int stride = emb_stride(dim);
    double *cum = malloc((size_t)rows * sizeof *cum);
    int32_t *picks = malloc(NPICKS * sizeof *picks);
    if (!cum || !picks) {
        fprintf(stderr, "roofline: out of memory\n");
        exit(1);
    }
    double c = 0;
    for (int64_t i = 0; i < rows; i++)
        cum[i] = (c += weights ? pow((double)weights[i], 0.75) : 1.0);
    uint64_t rng = 88172645463325252ull;
    for (int p = 0; p < NPICKS; p++) {
        double u = (double)(xorshift_next(&rng) >> 11) / 9007199254740992.0 * c;
        int64_t lo = 0, hi = rows - 1;
        while (lo < hi) {
            int64_t mid = (lo + hi) / 2;
            if (cum[mid] < u)
                lo = mid + 1;
            else
                hi = mid;
        }
        picks[p] = (int32_t)lo;
    }
    Job jobs[8];
    for (int i = 0; i < nt; i++)
        jobs[i] = (Job){.kind = JOB_ROWS, .x = fill((size_t)rows * (size_t)stride),
                        .picks = picks, .npicks = NPICKS, .stride = stride, .dim = dim};
    double r = run_jobs(jobs, nt);
    for (int i = 0; i < nt; i++)
        free(jobs[i].x);
    free(cum);
    free(picks);
    return r;
}

/* ---- the kernels' work per trained word -------------------------------------------------- */

typedef struct Shape {
    double words;     /* in-vocabulary corpus words: what the trainer counts as trained */
    double positions; /* kept words (after subsampling) that get a training step */
    double ctx;       /* sum over those positions of the expected context rows m */
} Shape;

/* One pass over the corpus as one trainer thread reads it: subsampling with worker.c's rule
 * and sentences cut at 1000 kept words; for each position the context count m is averaged
 * exactly over the window's random shrink b in [0, window). */
static bool corpus_shape(const Corpus *c, const Vocab *v, int window, double sample, Shape *s,
                         Err *e)
{
    enum { MAXS = 1000 };
    uint32_t *keep = malloc((size_t)v->size * sizeof *keep);
    if (!keep)
        return err_set(e, "out of memory");
    for (int64_t i = 0; i < v->size; i++) {
        double st = sample * (double)v->total, cn = (double)v->counts[i];
        double p = sample > 0 ? (sqrt(cn / st) + 1.0) * st / cn : 1.0;
        keep[i] = p >= 1.0 ? UINT32_MAX : (uint32_t)(p * 4294967296.0);
    }
    IdSource src;
    ids_init(&src, c, v, 1, 1);
    bool ok = ids_open(&src, 0, 0, e);
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    int len = 0;
    memset(s, 0, sizeof *s);
    while (ok) {
        int32_t id = ids_next(&src, e);
        if (id == IDS_ERROR) {
            ok = false;
            break;
        }
        if (id >= 0) {
            s->words++;
            if (keep[id] == UINT32_MAX || (uint32_t)xorshift_next(&rng) < keep[id])
                len++;
            if (len < MAXS)
                continue;
        }
        /* a sentence of len kept words ends here */
        for (int pos = 0; pos < len; pos++) {
            double m = 0;
            for (int b = 0; b < window; b++) {
                int half = window - b, lo = pos - half, hi = pos + half;
                m += (double)((hi < len ? hi : len - 1) - (lo > 0 ? lo : 0));
            }
            if (m > 0) {
                s->positions++;
                s->ctx += m / window;
            }
        }
        len = 0;
        if (id == IDS_EOF)
            break;
    }
    ids_deinit(&src);
    free(keep);
    return ok;
}

/* FLOPs, row bytes and row fetches per position, from the loops of sgns.c and worker.c (every
 * axpy counts 2 FLOPs an element, even at a = 1: it runs as an FMA; the CBOW mean's scale 1), with m context rows, n = 1 + negative
 * output rows and D = dim. Row bytes count each row once read and once written back (the
 * kernels' traffic if no row stayed in cache). */
typedef struct Cost {
    const char *name;
    double flops, bytes, rows; /* per position */
} Cost;

static Cost cost_of(const char *model, double m, int n, int D)
{
    double row = 4.0 * D;
    if (!strcmp(model, "sg")) /* sgns_batch_step: m x n dots, G O, G^T X, then m + n axpys */
        return (Cost){"skip-gram (HogBatch)", 6 * m * n * D + 2 * (m + n) * D, 2 * row * (m + n), m + n};
    if (!strcmp(model, "sg-pairs")) /* m x sgns_ns_step over n targets, then h += neu1e */
        return (Cost){"skip-gram (per pair)", m * (6.0 * n * D + 2 * D), m * 2 * row * (1 + n),
                      m * (1 + n)};
    /* CBOW: m adds into neu1, a scale, sgns_ns_step over n, m adds of neu1e; the context rows
     * are read twice (sum, update) and written once */
    return (Cost){"CBOW", 4 * m * D + D + 6.0 * n * D, row * (3 * m + 2 * n), m + n};
}

typedef struct Achieved {
    char model[16];
    int threads;
    double wpc; /* trained words per CPU second (one core's rate) */
} Achieved;

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_roofline CORPUS [--dim D] [--window W] [--negative K] [--sample S]\n"
            "                      [--min-count C] [--achieved sg|sg-pairs|cbow:THREADS:WORDS_PER_CPU_S]...\n");
    exit(2);
}

static void print_machine(double *peak, double *bw_l2r, double *bw_l2w, double *bw_dr,
                          double *bw_dw, double *rows_u, double *rows_n, int avx512)
{
    printf("| roof | 1 core | 2 cores |\n|---|---:|---:|\n");
    printf("| peak FMA GFLOP/s (%s, %d chains) | %.1f | %.1f |\n", avx512 ? "AVX-512" : "AVX2",
           NACC, peak[0] / 1e9, peak[1] / 1e9);
    printf("| read GB/s, 256 KiB per core (L2) | %.1f | %.1f |\n", bw_l2r[0] / 1e9, bw_l2r[1] / 1e9);
    printf("| read-write GB/s (y += a x), 2 x 256 KiB per core (L2) | %.1f | %.1f |\n",
           bw_l2w[0] / 1e9, bw_l2w[1] / 1e9);
    printf("| read GB/s, 1 GiB per core (DRAM) | %.1f | %.1f |\n", bw_dr[0] / 1e9, bw_dr[1] / 1e9);
    printf("| read-write GB/s (y += a x), 2 x 512 MiB per core (DRAM) | %.1f | %.1f |\n",
           bw_dw[0] / 1e9, bw_dw[1] / 1e9);
    printf("| random row updates M/s (dot + axpy), uniform rows | %.1f | %.1f |\n",
           rows_u[0] / 1e6, rows_u[1] / 1e6);
    printf("| random row updates M/s (dot + axpy), rows ~ count^0.75 | %.1f | %.1f |\n\n",
           rows_n[0] / 1e6, rows_n[1] / 1e6);
}

static void print_kernels(const Shape *s, int D, int n, const Achieved *ach, int nach,
                          const double *peak, const double *bw_dw, const double *rows_n)
{
    double kept = s->positions / s->words, m = s->ctx / s->positions;
    printf("Corpus: %.0f trained (in-vocabulary) words per epoch, %.4f of them kept by "
           "subsampling and trained, %.3f context rows per trained position (window's "
           "shrink and sentence ends included), %d output rows (1 + negative), dim %d.\n\n",
           s->words, kept, m, n, D);
    printf("| kernel | FLOPs / word | row bytes / word | rows / word | FLOPs / byte |\n"
           "|---|---:|---:|---:|---:|\n");
    const char *models[] = {"sg", "sg-pairs", "cbow"};
    for (int i = 0; i < 3; i++) {
        Cost c = cost_of(models[i], m, n, D);
        printf("| %s | %.0f | %.0f | %.2f | %.2f |\n", c.name, c.flops * kept, c.bytes * kept,
               c.rows * kept, c.flops / c.bytes);
    }
    if (!nach)
        return;
    /* Per core: a T-thread run is held against the T-core roofs divided by T. */
    printf("\nPer core (a 2-thread run against half the 2-core roofs):\n\n"
           "| kernel | threads | words per CPU s | GFLOP/s | %% of FMA peak | GB/s of rows |"
           " %% of DRAM read-write | row updates M/s | %% of random-row rate |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < nach; i++) {
        Cost c = cost_of(ach[i].model, m, n, D);
        int k = ach[i].threads >= 2 ? 1 : 0;
        double f = c.flops * kept * ach[i].wpc, b = c.bytes * kept * ach[i].wpc;
        double r = c.rows * kept * ach[i].wpc;
        printf("| %s | %d | %.0fk | %.1f | %.1f%% | %.1f | %.1f%% | %.1f | %.1f%% |\n", c.name,
               ach[i].threads, ach[i].wpc / 1e3, f / 1e9, 100 * f / (peak[k] / (k + 1)),
               b / 1e9, 100 * b / (bw_dw[k] / (k + 1)), r / 1e6, 100 * r / (rows_n[k] / (k + 1)));
    }
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    const char *path = argv[1];
    int D = 100, window = 5, negative = 5, min_count = 5, nach = 0;
    double sample = 1e-4;
    Achieved ach[16];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            usage();
        i++;
        if (!strcmp(a, "--dim"))
            D = atoi(v);
        else if (!strcmp(a, "--window"))
            window = atoi(v);
        else if (!strcmp(a, "--negative"))
            negative = atoi(v);
        else if (!strcmp(a, "--sample"))
            sample = atof(v);
        else if (!strcmp(a, "--min-count"))
            min_count = atoi(v);
        else if (!strcmp(a, "--achieved") && nach < 16 &&
                 sscanf(v, "%15[^:]:%d:%lf", ach[nach].model, &ach[nach].threads,
                        &ach[nach].wpc) == 3)
            nach++;
        else
            usage();
    }
    if (D < 1 || D > 512 || window < 1 || negative < 0 || min_count < 1)
        usage();
    Err e = {0};
    Corpus c;
    Vocab v;
    vocab_init(&v);
    if (!corpus_open(&c, path, &e) ||
        !corpus_count(&c, &v, (uint64_t)min_count, 0, NULL, NULL, &e)) {
        fprintf(stderr, "roofline: %s: %s\n", path, e.msg);
        return 1;
    }
    Shape s;
    if (!corpus_shape(&c, &v, window, sample, &s, &e) || s.positions <= 0) {
        fprintf(stderr, "roofline: %s: %s\n", path, s.positions <= 0 ? "no trained words" : e.msg);
        return 1;
    }
    int avx512 = __builtin_cpu_supports("avx512f");
    if (!avx512 && !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
        fprintf(stderr, "roofline: needs AVX2 and FMA at least\n");
        return 1;
    }
    double peak[2], l2r[2], l2w[2], dr[2], dw[2], ru[2], rn[2];
    for (int k = 0; k < 2; k++) {
        int nt = k + 1;
        peak[k] = peak_fma(avx512 ? JOB_FMA512 : JOB_FMA256, nt);
        l2r[k] = bandwidth(JOB_READ, (size_t)256 << 10, nt);
        l2w[k] = bandwidth(JOB_RW, (size_t)256 << 10, nt);
        dr[k] = bandwidth(JOB_READ, (size_t)1 << 30, nt);
        dw[k] = bandwidth(JOB_RW, (size_t)512 << 20, nt);
        ru[k] = row_rate(v.size, D, NULL, nt);
        rn[k] = row_rate(v.size, D, v.counts, nt);
    }
    print_machine(peak, l2r, l2w, dr, dw, ru, rn, avx512);
    print_kernels(&s, D, negative + 1, ach, nach, peak, dw, rn);
    vocab_deinit(&v);
    corpus_close(&c);
    return 0;
}
