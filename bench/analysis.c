/* bench_analysis: times the live analysis core on synthetic vectors of a given size, on one
 * thread unless --threads says otherwise (a Pool of that many): snapshot publish, PCA from
 * scratch and warm, PCA projection, one k-means iteration, a top-10 neighbour query. Prints one
 * `key=value` line (bench/analysis.sh turns them into a table). Single-threaded driver; "cpu"
 * figures are this thread's CPU time (clock_thread_cpu_ms), which a busy machine does not
 * inflate. */
#include "model/analysis/kmeans.h"
#include "model/analysis/pca.h"
#include "model/analysis/publish.h"
#include "model/base/clock.h"
#include "model/base/pool.h"
#include "model/vectors/embed.h"
#include "model/vectors/knn.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A published copy of the vectors, as the analysis thread makes one per tick. */
typedef struct Copy {
    float *vec;            /* (rows, stride) */
    float *norms;          /* (rows) */
} Copy;

/* L2 norm of every row. Not inlined, as when it was snapshot.c's snap_compute_norms: inlined
 * into publish_copy, gcc 12 made this loop about twice as slow (perf: 10% of the whole run in
 * main against 6% in the function), which moved the publish column by 7-12% at 1M rows. */
__attribute__((noinline)) static void row_norms(const float *vec, int64_t rows, int dim,
                                                int stride, float *norms)
{
    for (int64_t r = 0; r < rows; r++) {
        const float *x = vec + r * stride;
        double acc = 0;
        for (int i = 0; i < dim; i++)
            acc += (double)x[i] * x[i];
        norms[r] = (float)sqrt(acc);
    }
}

/* begin + copy (as trainer_copy_rows does) + norms + publish; slots allocated on first use */
static bool publish_copy(Pub *pub, Copy *slots, const float *live, int64_t rows, int dim,
                         int stride)
{
    Copy *c = &slots[pub_begin(pub, NULL)];
    size_t n = (size_t)rows * (size_t)stride;
    if (!c->vec && !(c->vec = emb_aligned_alloc(sizeof(float) * n)))
        return false;
    if (!c->norms && !(c->norms = malloc(sizeof(float) * (size_t)rows)))
        return false;
    memcpy(c->vec, live, sizeof(float) * n);
    row_norms(c->vec, rows, dim, stride, c->norms);
    pub_publish(pub, (int)(c - slots));
    return true;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

/* Roughly Gaussian (sum of four uniforms, variance 1): shape is irrelevant for timing. */
static float noise(uint64_t *s)
{
    uint64_t r = rng(s);
    float a = (float)(r & 0xffff) + (float)((r >> 16) & 0xffff) + (float)((r >> 32) & 0xffff) +
              (float)(r >> 48);
    return (a / 65536.0f - 2.0f) * 1.7320508f;
}

/* Word-vector-like data: 50 topic directions plus anisotropic noise (variance decaying over
 * coordinates), so PCA has a spectrum to find and k-means has clusters. */
static void synth(float *x, int64_t rows, int dim, int stride, uint64_t seed)
{
    enum { TOPICS = 50 };
    float *topic = malloc(sizeof(float) * TOPICS * (size_t)dim);
    float *scale = malloc(sizeof(float) * (size_t)dim);
    uint64_t s = seed | 1;
    for (int i = 0; i < TOPICS * dim; i++)
        topic[i] = noise(&s);
    for (int i = 0; i < dim; i++)
        scale[i] = 0.3f / (1.0f + (float)i / 10.0f);
    for (int64_t r = 0; r < rows; r++) {
        const float *t = topic + (rng(&s) % TOPICS) * (uint64_t)dim;
        float *row = x + r * stride;
        for (int i = 0; i < dim; i++)
            row[i] = 0.5f * t[i] + scale[i] * noise(&s) * 3;
    }
    free(topic);
    free(scale);
}

/* The matrix every step reads, and where the steps run. */
typedef struct Input {
    const float *vec;      /* (rows, stride) */
    int64_t rows;
    int dim, stride;
    Pool *pool;
} Input;

static bool fail(const char *what)
{
    fprintf(stderr, "bench_analysis: %s\n", what);
    return false;
}

/* PCA from scratch, then warm refreshes and projections; prints its keys, keeps explained. */
static bool time_pca(const Input *in, double explained[3])
{
    Err e = {0};
    Pca pca;
    pca_init(&pca, &(PcaDesc){.k = 3, .pool = in->pool});
    float *xyz = malloc(sizeof(float) * 3 * (size_t)in->rows);
    double t0 = clock_ms();
    if (!xyz || !pca_update(&pca, in->vec, in->rows, in->dim, in->stride, &e)) {
        free(xyz);
        pca_deinit(&pca);
        return fail(xyz ? e.msg : "out of memory");
    }
    double t_cold = clock_ms() - t0;
    int cold_passes = pca.passes;
    double t_warm[7], c_warm[7], t_proj[3];
    for (int r = 0; r < 7; r++) {
        double c0 = clock_thread_cpu_ms();
        t0 = clock_ms();
        pca_update(&pca, in->vec, in->rows, in->dim, in->stride, &e);
        t_warm[r] = clock_ms() - t0;
        c_warm[r] = clock_thread_cpu_ms() - c0;
    }
    for (int r = 0; r < 3; r++) {
        t0 = clock_ms();
        pca_project(&pca, in->vec, in->rows, in->dim, in->stride, NULL, 3, xyz, &e);
        t_proj[r] = clock_ms() - t0;
    }
    printf(" pca_cold_ms=%.1f pca_cold_passes=%d pca_warm_ms=%.2f pca_warm_cpu_ms=%.2f "
           "pca_project_ms=%.2f",
           t_cold, cold_passes, median(t_warm, 7), median(c_warm, 7), median(t_proj, 3));
    for (int j = 0; j < 3; j++)
        explained[j] = pca.explained[j];
    free(xyz);
    pca_deinit(&pca);
    return true;
}

/* k-means seeding (with two Lloyd iterations), then single iterations. */
static bool time_kmeans(const Input *in)
{
    Err e = {0};
    Kmeans km;
    kmeans_init(&km, &(KmeansDesc){.pool = in->pool, .iters = 2});
    double t0 = clock_ms();
    if (!kmeans_update(&km, in->vec, in->rows, in->dim, in->stride, &e)) {
        kmeans_deinit(&km);
        return fail(e.msg);
    }
    double t_kseed = clock_ms() - t0;
    double t_kit[3];
    for (int r = 0; r < 3; r++) {
        t0 = clock_ms();
        kmeans_step(&km, in->vec, in->rows, in->dim, in->stride, &e);
        t_kit[r] = clock_ms() - t0;
    }
    printf(" kmeans_k=%d kmeans_seed_ms=%.1f kmeans_iter_ms=%.2f", km.k, t_kseed,
           median(t_kit, 3));
    kmeans_deinit(&km);
    return true;
}

/* The cosine index build, then top-10 queries of random rows. */
static bool time_knn(const Input *in, int queries)
{
    Err e = {0};
    KnnIndex ix = {0};
    double t0 = clock_ms();
    if (!knn_build(&ix, in->vec, in->rows, in->dim, in->stride, &e))
        return fail(e.msg);
    double t_build = clock_ms() - t0;
    double *t_q = malloc(sizeof(double) * (size_t)queries);
    double *c_q = malloc(sizeof(double) * (size_t)queries);
    if (!t_q || !c_q) {
        free(t_q), free(c_q), knn_deinit(&ix);
        return fail("out of memory");
    }
    Neighbour nb[11];
    uint64_t s = 99;
    for (int q = 0; q < queries; q++) {
        int64_t row = (int64_t)(rng(&s) % (uint64_t)in->rows);
        double c0 = clock_thread_cpu_ms();
        t0 = clock_ms();
        knn_query(&ix, in->vec + row * in->stride, 10, &row, 1, nb);
        t_q[q] = clock_ms() - t0;
        c_q[q] = clock_thread_cpu_ms() - c0;
    }
    printf(" knn_build_ms=%.2f knn_query_ms=%.3f knn_query_cpu_ms=%.3f knn_avx2=%d", t_build,
           median(t_q, queries), median(c_q, queries), (int)knn_uses_avx2());
    free(t_q);
    free(c_q);
    knn_deinit(&ix);
    return true;
}

int main(int argc, char **argv)
{
    int64_t rows = 100000;
    int dim = 300, threads = 1, queries = 20;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--rows"))
            rows = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--dim"))
            dim = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads"))
            threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--queries"))
            queries = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "usage: bench_analysis [--rows V] [--dim D] [--threads T] [--queries Q]\n");
            return 2;
        }
    }
    if (rows < 100 || rows > 100000000 || dim < 2 || dim > EMB_MAX_DIM || threads < 1 ||
        queries < 1 || queries > 10000) {
        fprintf(stderr, "bench_analysis: bad sizes\n");
        return 2;
    }
    int stride = emb_stride(dim);
    float *live = emb_aligned_alloc(sizeof(float) * (size_t)rows * (size_t)stride);
    Pool *pool = threads > 1 ? pool_create(threads) : NULL;
    Pub pub;
    pub_init(&pub);
    Copy slots[PUB_SLOTS] = {{0}};
    if (!live || (threads > 1 && !pool)) {
        fprintf(stderr, "bench_analysis: out of memory\n");
        return 1;
    }
    threads = pool_threads(pool); /* at most POOL_MAX_THREADS */
    synth(live, rows, dim, stride, 12345);

    double t_pub[5];
    for (int r = 0; r < 5; r++) {
        double t0 = clock_ms();
        if (!publish_copy(&pub, slots, live, rows, dim, stride))
            return !fail("out of memory");
        t_pub[r] = clock_ms() - t0;
    }
    Input in = {slots[pub_acquire(&pub, NULL)].vec, rows, dim, stride, pool};
    double explained[3];
    printf("rows=%lld dim=%d threads=%d publish_ms=%.2f", (long long)rows, dim, threads,
           median(t_pub, 5));
    bool ok = time_pca(&in, explained) && time_kmeans(&in) && time_knn(&in, queries);
    if (ok)
        printf(" explained=%.3f,%.3f,%.3f", explained[0], explained[1], explained[2]);
    printf("\n");
    for (int i = 0; i < PUB_SLOTS; i++) {
        free(slots[i].vec);
        free(slots[i].norms);
    }
    pool_destroy(pool);
    free(live);
    return ok ? 0 : 1;
}
