/* bench_tsne: the t-SNE pipeline of bench/tsne.sh, end to end on one vector file:
 *   bench_tsne VECTORS N OUT.tsv [--threads T] [--perplexity P] [--iters I] [--dims D]
 *              [--theta X] [--init pca|random] [--seed S]
 * loads the file's first N rows (the N most frequent words), builds the exact cosine kNN graph
 * (k = min(N - 1, 3 * perplexity + 1), as scikit-learn's n_neighbors), computes the PCA start,
 * runs tsne_optimize on a pool of T threads (default 2) and writes "word\tx\ty[\tz]" rows
 * atomically. Prints the time of each phase on stdout, progress on stderr. Main thread plus
 * the pool. */
#include "model/analysis/pca.h"
#include "model/base/atomicfile.h"
#include "model/base/clock.h"
#include "model/base/pool.h"
#include "model/files/vecfile.h"
#include "model/layout/tsne.h"
#include "model/vectors/knn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CPU seconds of the whole process (every thread). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct Opts {
    const char *vectors, *out;
    int64_t n;
    int threads, iters, dims;
    double perplexity, theta;
    bool random_init;
    uint64_t seed;
} Opts;

static int usage(void)
{
    fprintf(stderr, "usage: bench_tsne VECTORS N OUT.tsv [--threads T] [--perplexity P] "
                    "[--iters I] [--dims D] [--theta X] [--init pca|random] [--seed S]\n");
    return 2;
}

static bool parse(int argc, char **argv, Opts *o)
{
    if (argc < 4)
        return false;
    *o = (Opts){argv[1], argv[3], atoll(argv[2]), 2, 1000, 2, 30, 0.5, false, 1};
    for (int a = 4; a + 1 < argc; a += 2) {
        const char *k = argv[a], *v = argv[a + 1];
        if (!strcmp(k, "--threads")) o->threads = atoi(v);
        else if (!strcmp(k, "--perplexity")) o->perplexity = atof(v);
        else if (!strcmp(k, "--iters")) o->iters = atoi(v);
        else if (!strcmp(k, "--dims")) o->dims = atoi(v);
        else if (!strcmp(k, "--theta")) o->theta = atof(v);
        else if (!strcmp(k, "--init")) o->random_init = !strcmp(v, "random");
        else if (!strcmp(k, "--seed")) o->seed = strtoull(v, NULL, 10);
        else return false;
    }
    return o->n >= 2 && o->threads >= 1 && (argc - 4) % 2 == 0;
}

/* The exact kNN graph: each pool task takes blocks of queries through knn_query_batch (every
 * row scanned by a block of queries while it sits in cache), excluding the query itself. */
typedef struct KnnJob {
    const KnnIndex *ix;
    int64_t n;
    int k, ntasks;
    int32_t *idx;
    float *dist;
    bool failed;
} KnnJob;

enum { QBLOCK = 64 };

static void knn_task(void *ctx, int task)
{
    KnnJob *j = ctx;
    const KnnIndex *ix = j->ix;
    float *qs = malloc(sizeof(float) * QBLOCK * (size_t)ix->dim);
    Neighbour *nb = malloc(sizeof(Neighbour) * QBLOCK * (size_t)j->k);
    int counts[QBLOCK];
    int64_t self[QBLOCK];
    int64_t nblocks = (j->n + QBLOCK - 1) / QBLOCK;
    for (int64_t b = task; qs && nb && b < nblocks; b += j->ntasks) {
        int64_t a = b * QBLOCK, nq = j->n - a < QBLOCK ? j->n - a : QBLOCK;
        for (int64_t q = 0; q < nq; q++) {
            memcpy(qs + q * ix->dim, knn_row(ix, a + q), sizeof(float) * (size_t)ix->dim);
            self[q] = a + q;
        }
        if (!knn_query_batch(ix, j->n, qs, (int)nq, j->k, self, 1, nb, counts)) {
            j->failed = true;
            break;
        }
        for (int64_t q = 0; q < nq; q++)
            for (int c = 0; c < j->k; c++) {
                bool have = c < counts[q];
                const Neighbour *x = &nb[q * j->k + c];
                j->idx[(a + q) * j->k + c] = have ? (int32_t)x->index : -1;
                j->dist[(a + q) * j->k + c] = have ? 1 - x->score : 0;
            }
    }
    if (!qs || !nb)
        j->failed = true;
    free(qs);
    free(nb);
}

/* PCA start: the first dims components of the (spherized) vectors. On one thread: pca.c splits
 * its passes into one chunk per pool thread, which changes the rounding, and the start should
 * not depend on --threads (the rest of the pipeline does not). */
static bool pca_start(const Embeddings *m, int dims, float *y, Err *e)
{
    Pca p;
    pca_init(&p, &(PcaDesc){.k = dims});
    float *xyz = malloc(sizeof(float) * 3 * (size_t)m->rows);
    bool ok = xyz && pca_update(&p, m->vec, m->rows, m->dim, m->stride, e) &&
              pca_project(&p, m->vec, m->rows, m->dim, m->stride, NULL, dims, xyz, e);
    for (int64_t i = 0; ok && i < m->rows; i++)
        for (int k = 0; k < dims; k++)
            y[i * dims + k] = xyz[i * 3 + k];
    if (!xyz)
        err_set(e, "out of memory");
    free(xyz);
    pca_deinit(&p);
    return ok;
}

static bool save(const char *path, const Embeddings *m, const float *y, int dims, Err *e)
{
    AtomicFile af = {0};
    if (!af_open(&af, path, e))
        return false;
    for (int64_t i = 0; i < m->rows; i++) {
        fputs(vocab_word(&m->vocab, i), af.f);
        for (int k = 0; k < dims; k++)
            fprintf(af.f, "\t%.7g", (double)y[i * dims + k]);
        fputc('\n', af.f);
    }
    return af_commit(&af, e);
}

/* ctx: the clock_s() of the previous report. */
static bool progress(void *ctx, int iter, int iters, double kl)
{
    double *last = ctx, now = clock_s();
    fprintf(stderr, "  iteration %d/%d: KL %.4f (%.1f s)\n", iter, iters, kl, now - *last);
    *last = now;
    return true;
}

int main(int argc, char **argv)
{
    Opts o;
    if (!parse(argc, argv, &o))
        return usage();
    Err e = {{0}};
    Embeddings m;
    emb_init(&m);
    KnnIndex ix = {0};
    Tsne t = {0};
    Pool *pool = pool_create(o.threads);
    int32_t *idx = NULL;
    float *dist = NULL, *y = NULL;
    int rc = 1;
    double t0 = clock_s(), t1, t2, t3, t4, t5, last = 0;
    if (!vecfile_load(&(VecLoadDesc){.path = o.vectors, .max_words = o.n}, &m, NULL, &e))
        goto fail;
    int64_t n = m.rows;
    int k = (int)(3 * o.perplexity + 1) < n - 1 ? (int)(3 * o.perplexity + 1) : (int)(n - 1);
    t1 = clock_s();
    idx = malloc(sizeof(int32_t) * (size_t)(n * k));
    dist = malloc(sizeof(float) * (size_t)(n * k));
    y = malloc(sizeof(float) * (size_t)(n * o.dims));
    if (!idx || !dist || !y || !knn_build(&ix, m.vec, n, m.dim, m.stride, &e)) {
        err_prefix(&e, "kNN graph: ");
        goto fail;
    }
    KnnJob kj = {&ix, n, k, pool_threads(pool), idx, dist, false};
    pool_run(pool, knn_task, &kj, kj.ntasks);
    if (kj.failed) {
        err_set(&e, "kNN graph: out of memory");
        goto fail;
    }
    t2 = clock_s();
    if (o.random_init)
        tsne_init_random(y, n, o.dims, o.seed);
    else if (!pca_start(&m, o.dims, y, &e))
        goto fail;
    t3 = clock_s();
    TsneDesc d = {.dims = o.dims, .perplexity = o.perplexity, .iterations = o.iters,
                  .theta = o.theta, .pool = pool, .progress = progress, .ctx = &last,
                  .seed = o.seed};
    if (!tsne_init(&t, &d, &(TsneGraph){n, k, idx, dist}, &e))
        goto fail;
    t4 = last = clock_s();
    double c4 = cpu_s();
    if (!tsne_optimize(&t, y, &e))
        goto fail;
    t5 = clock_s();
    double c5 = cpu_s();
    if (!save(o.out, &m, y, o.dims, &e))
        goto fail;
    printf("rows=%lld k=%d nnz=%lld threads=%d iters=%d load_s=%.3f knn_s=%.3f init_s=%.3f "
           "affinities_s=%.3f optimize_s=%.3f optimize_cpu_s=%.3f total_s=%.3f kl=%.4f "
           "lr=%.1f\n", (long long)n, k, (long long)t.p.nnz, pool_threads(pool), t.iters_done,
           t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, c5 - c4, clock_s() - t0, t.kl,
           t.desc.learning_rate);
    rc = 0;
fail:
    if (rc)
        fprintf(stderr, "bench_tsne: %s\n", e.msg);
    tsne_deinit(&t);
    knn_deinit(&ix);
    emb_deinit(&m);
    pool_destroy(pool);
    free(idx);
    free(dist);
    free(y);
    return rc;
}
