/* bench_layout_refine (built by bench/layout.sh with cc against the model library): on real
 * vectors, what refining the previous kNN graph costs against building one from scratch after
 * the vectors move. For each noise level the vectors get Gaussian noise of that sd per
 * coordinate (a stand-in for the moves between two snapshots of a live run); then a build and
 * a refine of the graph of the unmoved vectors, each with its recall@k against exact
 * neighbours of 1,000 sampled rows, distance evaluations, passes and wall / CPU time. Prints
 * a Markdown table. Single-threaded driver over a pool of --threads. */
#include "model/base/clock.h"
#include "model/base/rng.h"
#include "model/files/vecfile.h"
#include "model/layout/knnexact.h"
#include "model/layout/knngraph.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct Timed {
    KnnGraphStats st;
    double wall, cpu, recall;
} Timed;

static bool timed(KnnGraph *g, const KnnIndex *ix, const KnnGraphDesc *d, bool refine, Pool *p,
                  Timed *t, Err *e)
{
    double w0 = clock_s(), c0 = cpu_s();
    bool ok = refine ? knngraph_refine(g, ix, d, &t->st, e) : knngraph_build(g, ix, d, &t->st, e);
    t->wall = clock_s() - w0;
    t->cpu = cpu_s() - c0;
    return ok && knnexact_recall_sample(g, ix, 1000, 1, p, &t->recall, e);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_layout_refine VECTORS THREADS NOISE...\n");
        return 2;
    }
    Embeddings m;
    emb_init(&m);
    Err e = {0};
    if (!vecfile_load(&(VecLoadDesc){.path = argv[1]}, &m, NULL, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    Pool *pool = pool_create(atoi(argv[2]));
    KnnIndex ix0 = {0}, ix = {0};
    KnnGraph g0, g;
    knngraph_init(&g0);
    knngraph_init(&g);
    KnnGraphDesc d = {.pool = pool};
    Timed t0;
    if (!knn_build(&ix0, m.vec, m.rows, m.dim, m.stride, &e) || !timed(&g0, &ix0, &d, false, pool, &t0, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    printf("| noise sd | old graph recall | build: recall, distances, passes, wall (CPU) s | refine: recall, distances, passes, wall (CPU) s | refine / build distances |\n");
    printf("|---:|---:|---|---|---:|\n");
    float *moved = emb_aligned_alloc((size_t)m.rows * (size_t)m.stride * sizeof(float));
    for (int a = 3; a < argc && moved; a++) {
        double sd = atof(argv[a]);
        uint64_t s = 5;
        for (int64_t i = 0; i < m.rows * m.stride; i++)
            moved[i] = m.vec[i] + (i % m.stride < m.dim ? (float)(sd * rng_gauss(&s)) : 0.0f);
        Timed b, r;
        double old = 0;
        bool ok = knn_build(&ix, moved, m.rows, m.dim, m.stride, &e) &&
                  knnexact_recall_sample(&g0, &ix, 1000, 1, pool, &old, &e) &&
                  timed(&g, &ix, &d, false, pool, &b, &e);
        /* refine a copy of the unmoved graph */
        size_t nk = (size_t)g0.n * (size_t)g0.k;
        KnnGraph prev = {g0.n, g0.k, malloc(nk * sizeof(int32_t)), malloc(nk * sizeof(float))};
        if (ok && (!prev.idx || !prev.dist))
            ok = err_set(&e, "out of memory");
        if (ok) {
            memcpy(prev.idx, g0.idx, nk * sizeof(int32_t));
            memcpy(prev.dist, g0.dist, nk * sizeof(float));
        }
        ok = ok && timed(&prev, &ix, &d, true, pool, &r, &e);
        if (!ok) {
            fprintf(stderr, "%s\n", e.msg);
            return 1;
        }
        printf("| %g | %.4f | %.4f, %lld, %d, %.2f (%.2f) | %.4f, %lld, %d, %.2f (%.2f) | %.2f |\n", sd,
               old, b.recall, (long long)b.st.dist_evals, b.st.iters, b.wall, b.cpu, r.recall,
               (long long)r.st.dist_evals, r.st.iters, r.wall, r.cpu,
               (double)r.st.dist_evals / (double)b.st.dist_evals);
        knngraph_deinit(&prev);
        fflush(stdout);
    }
    free(moved);
    knngraph_deinit(&g0);
    knngraph_deinit(&g);
    knn_deinit(&ix0);
    knn_deinit(&ix);
    pool_destroy(pool);
    emb_deinit(&m);
    return 0;
}
