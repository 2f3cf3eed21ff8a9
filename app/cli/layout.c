/* `embedscope layout`: load the vectors, build the kNN graph and run UMAP or t-SNE
 * (model/layout/), or project on PCA axes (model/analysis/pca.h, as `export --coords`), and write one row per word
 * in the file's order. --json adds the timings, the graph's recall against exact neighbours
 * of a sample, and the layout's 10-NN preservation and trustworthiness on 1,000 sampled words
 * (model/layout/layoutq.h); --score measures a coordinates file made elsewhere the same way.
 * Progress goes to stderr. Main thread, with a pool of --threads. */
#include "app/args.h"
#include "app/cli/coords.h"
#include "app/cli/layout.h"
#include "app/cli/regions.h"
#include "app/cli/vectors.h"
#include "model/analysis/pca.h"
#include "model/base/clock.h"
#include "model/files/export.h"
#include "model/layout/knnexact.h"
#include "model/layout/layoutq.h"
#include "model/layout/pcainit.h"
#include "model/layout/sampled.h"
#include "model/layout/tsne.h"
#include "model/layout/umap.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define QUALITY_K 10       /* the measure: 10-NN preservation */
#define QUALITY_SAMPLE 1000
#define RECALL_SAMPLE 1000

typedef struct LayoutArgs {
    const char *in, *output, *score, *method, *regions;
    long long dims, neighbors, epochs, seed, threads, max_words, sample, refine;
    double min_dist, perplexity;
    int json;
} LayoutArgs;

typedef struct Report { /* what --json prints */
    double t_load, t_graph, t_layout, t_quality;
    KnnGraphStats gs;
    double recall;
    UmapStats us;
    bool no_graph;   /* a sampled layout without --refine-epochs: no graph of every row */
    SampledStats ss; /* --sample: the sample and the placement */
    double t_placed; /* --sample: seconds to the placed layout */
    int tsne_k, tsne_iters;
    double tsne_kl;
    LayoutQuality q;
    int64_t rows;
    int dim;
} Report;

static void usage(FILE *f)
{
    fprintf(f, "usage: embedscope layout VECTORS --output FILE [options]\n"
               "       embedscope layout VECTORS --score FILE [--json]\n"
               "  --output FILE     coordinates, one row per word in the file's order; .csv gives CSV, else TSV\n"
               "  --score FILE      measure a coordinates file (same columns) instead of making one\n"
               "  --method umap|tsne|pca the layout [umap]\n"
               "  --dims 2|3        coordinates [2]\n"
               "  --neighbors N     graph neighbours per word [15]\n"
               "  --min-dist X      UMAP: how tightly neighbours may pack, 0..spread [0.1]\n"
               "  --epochs N        UMAP epochs [200; 500 below 10,000 words]; t-SNE iterations [1000]\n"
               "  --perplexity X    t-SNE: effective neighbours per word [30]; its graph has 3 X\n"
               "  --seed N          graph and layout seed [1]; one thread gives the same file every run\n"
               "  --threads N       threads [every core]\n"
               "  --max-words N     keep the N most frequent words (the first N rows)\n"
               "  --sample N        UMAP of N words (the most frequent half, a random half of the rest),\n"
               "                    every other word placed at the weighted mean of its nearest sample words\n"
               "  --refine-epochs N after --sample: the full graph, then N epochs from the placed layout [0]\n"
               "  --regions FILE    the layout's dense regions named by their typical words, TSV:\n"
               "                    region, x, y (its density peak), size, prominence, words\n"
               "  --json            one JSON object on stdout: times, graph recall@neighbours on 1,000\n"
               "                    words against exact search, 10-NN preservation and trustworthiness\n");
}

static bool takes_value(const char *f)
{
    static const char *const names[] = {"--output", "--score", "--method", "--dims",
                                        "--neighbors", "--neighbours", "--min-dist", "--epochs",
                                        "--seed", "--threads", "--max-words", "--perplexity",
                                        "--regions", "--sample", "--refine-epochs"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(f, names[i]))
            return true;
    return false;
}

/* One option with its value; false (after saying why) on a bad value. */
static bool option(LayoutArgs *a, const char *f, const char *v)
{
    if (!strcmp(f, "--output"))
        a->output = v;
    else if (!strcmp(f, "--score"))
        a->score = v;
    else if (!strcmp(f, "--method")) {
        if (strcmp(v, "umap") && strcmp(v, "tsne") && strcmp(v, "pca")) {
            fprintf(stderr, "embedscope layout: --method is umap, tsne or pca, not '%s'\n", v);
            return false;
        }
        a->method = v;
    } else if (!strcmp(f, "--dims"))
        return args_int(f, v, 2, 3, &a->dims);
    else if (!strcmp(f, "--neighbors") || !strcmp(f, "--neighbours"))
        return args_int(f, v, 2, KNNGRAPH_MAX_K, &a->neighbors);
    else if (!strcmp(f, "--min-dist"))
        return args_double(f, v, 0, 1, &a->min_dist);
    else if (!strcmp(f, "--epochs"))
        return args_int(f, v, 1, 100000, &a->epochs);
    else if (!strcmp(f, "--perplexity"))
        return args_double(f, v, 1, 80, &a->perplexity);
    else if (!strcmp(f, "--seed"))
        return args_int(f, v, 1, INT64_MAX, &a->seed);
    else if (!strcmp(f, "--threads"))
        return args_int(f, v, 1, POOL_MAX_THREADS, &a->threads);
    else if (!strcmp(f, "--max-words"))
        return args_int(f, v, 1, 1LL << 40, &a->max_words);
    else if (!strcmp(f, "--regions"))
        a->regions = v;
    else if (!strcmp(f, "--sample"))
        return args_int(f, v, 1, INT32_MAX, &a->sample);
    else if (!strcmp(f, "--refine-epochs"))
        return args_int(f, v, 1, 100000, &a->refine);
    return true;
}

/* 0: run; 1: help printed; 2: usage error (already reported). */
static int parse(int argc, char **argv, LayoutArgs *a)
{
    *a = (LayoutArgs){.method = "umap", .dims = 2, .neighbors = 15, .min_dist = 0.1, .seed = 1,
                      .perplexity = 30};
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "-h") || !strcmp(f, "--help")) {
            usage(stdout);
            return 1;
        }
        if (!strcmp(f, "--json")) {
            a->json = 1;
            continue;
        }
        if (f[0] != '-') {
            if (a->in) {
                fprintf(stderr, "embedscope layout: unexpected argument '%s'\n", f);
                return 2;
            }
            a->in = f;
            continue;
        }
        if (!takes_value(f)) {
            fprintf(stderr, "embedscope layout: unknown option %s\n", f);
            usage(stderr);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "embedscope layout: %s needs a value (see --help)\n", f);
            return 2;
        }
        if (!option(a, f, argv[++i]))
            return 2;
    }
    if ((a->sample || a->refine) && strcmp(a->method, "umap")) {
        fprintf(stderr, "embedscope layout: --sample and --refine-epochs are for --method umap\n");
        return 2;
    }
    if (a->refine && !a->sample) {
        fprintf(stderr, "embedscope layout: --refine-epochs refines a --sample layout\n");
        return 2;
    }
    if (!a->in || (!a->output == !a->score)) {
        fprintf(stderr, "embedscope layout: give VECTORS and one of --output or --score\n");
        usage(stderr);
        return 2;
    }
    return 0;
}

/* Progress on stderr: a line per stage at every tenth. */
typedef struct Progress {
    const char *stage;
    int tenth;
} Progress;

static bool progress(void *ctx, const char *stage, double f)
{
    Progress *p = ctx;
    if (!p->stage || strcmp(p->stage, stage)) {
        p->stage = stage;
        p->tenth = -1;
    }
    int t = (int)(f * 10 + 1e-9);
    if (t > p->tenth) {
        p->tenth = t;
        fprintf(stderr, "embedscope layout: %s %d%%\n", stage, t * 10);
    }
    return true;
}

/* The end of a layout with a graph: its recall for --json (when ok so far), then the graph freed. */
static bool graph_done(const LayoutArgs *a, KnnGraph *g, const KnnIndex *ix, Pool *pool, bool ok, Report *r,
                       Err *e)
{
    if (ok && a->json) {
        double t0 = clock_s();
        ok = knnexact_recall_sample(g, ix, RECALL_SAMPLE, (uint64_t)a->seed, pool, &r->recall, e);
        r->t_quality = clock_s() - t0;
    }
    knngraph_deinit(g);
    return ok;
}

static bool run_umap(const LayoutArgs *a, const KnnIndex *ix, Pool *pool, float *xy, Report *r,
                     Err *e)
{
    Progress pr = {0};
    KnnGraph g;
    knngraph_init(&g);
    double t0 = clock_s();
    KnnGraphDesc gd = {.k = (int)a->neighbors, .seed = (uint64_t)a->seed, .pool = pool,
                       .progress = progress, .ctx = &pr};
    bool ok = knngraph_build(&g, ix, &gd, &r->gs, e);
    r->t_graph = clock_s() - t0;
    t0 = clock_s();
    UmapDesc ud = {.dims = (int)a->dims, .min_dist = a->min_dist > 0 ? a->min_dist : -1,
                   .epochs = (int)a->epochs, .seed = (uint64_t)a->seed, .pool = pool,
                   .progress = progress, .ctx = &pr};
    ok = ok && umap_layout(&g, ix, &ud, xy, &r->us, e);
    r->t_layout = clock_s() - t0;
    return graph_done(a, &g, ix, pool, ok, r, e);
}

/* --sample: the sampled layout (sampled.h), then with --refine-epochs the full graph and UMAP
 * from the placed positions, as the window's first two layouts of a big table. */
static bool run_sampled(const LayoutArgs *a, const KnnIndex *ix, Pool *pool, float *xy, Report *r, Err *e)
{
    Progress pr = {0};
    SampledDesc sd = {.sample = a->sample, .dims = (int)a->dims, .neighbors = (int)a->neighbors,
                      .min_dist = a->min_dist > 0 ? a->min_dist : -1, .epochs = (int)a->epochs,
                      .seed = (uint64_t)a->seed, .pool = pool, .progress = progress, .ctx = &pr};
    double t0 = clock_s();
    bool ok = sampled_layout(ix, &sd, xy, &r->ss, e);
    r->t_placed = clock_s() - t0;
    r->gs = r->ss.graph;
    r->us = r->ss.umap;
    r->t_graph = r->ss.graph_ms / 1e3;
    r->t_layout = r->t_placed - r->t_graph;
    r->no_graph = !a->refine;
    if (!ok || !a->refine)
        return ok;
    KnnGraph g;
    knngraph_init(&g);
    SampledStats st;
    ok = sampled_refine(&g, ix, &sd, (int)a->refine, SAMPLED_REFINE_RATE, xy, &st, e);
    r->gs = st.graph;
    r->us = st.umap;
    r->t_graph += st.graph_ms / 1e3;
    r->t_layout += st.umap_ms / 1e3;
    return graph_done(a, &g, ix, pool, ok, r, e);
}

static bool tsne_progress(void *ctx, int iter, int iters, double kl)
{
    (void)kl;
    return progress(ctx, "tsne", iters ? (double)iter / iters : 1);
}

/* t-SNE as scikit-learn runs it (PCA start, early exaggeration, Barnes-Hut), on a graph of
 * 3 x perplexity neighbours (sklearn's choice), or all the others when there are fewer. */
static bool run_tsne(const LayoutArgs *a, const KnnIndex *ix, Pool *pool, float *xy, Report *r,
                     Err *e)
{
    Progress pr = {0};
    KnnGraph g;
    knngraph_init(&g);
    int k = (int)fmin(fmin(3 * a->perplexity + 1, KNNGRAPH_MAX_K), (double)(ix->rows - 1));
    if (k < 1)
        return err_set(e, "t-SNE needs at least 2 words (%lld here)", (long long)ix->rows);
    double t0 = clock_s();
    KnnGraphDesc gd = {.k = k, .seed = (uint64_t)a->seed, .pool = pool, .progress = progress, .ctx = &pr};
    bool ok = knngraph_build(&g, ix, &gd, &r->gs, e);
    r->t_graph = clock_s() - t0;
    t0 = clock_s();
    Tsne t;
    memset(&t, 0, sizeof t);
    TsneDesc td = {.dims = (int)a->dims, .perplexity = a->perplexity, .iterations = (int)a->epochs,
                   .seed = (uint64_t)a->seed, .pool = pool, .progress = tsne_progress, .ctx = &pr};
    ok = ok && pcainit_coords(ix, (int)a->dims, (uint64_t)a->seed, pool, xy, e) &&
         tsne_init(&t, &td, &(TsneGraph){.n = g.n, .k = g.k, .idx = g.idx, .dist = g.dist}, e) &&
         tsne_optimize(&t, xy, e);
    r->t_layout = clock_s() - t0;
    r->tsne_k = k;
    r->tsne_iters = t.iters_done;
    r->tsne_kl = t.kl;
    tsne_deinit(&t);
    return graph_done(a, &g, ix, pool, ok, r, e);
}

/* The coordinates `export --coords` writes: PCA of the spherized rows. */
static bool run_pca(const LayoutArgs *a, const Embeddings *m, Pool *pool, float *xy, Report *r,
                    Err *e)
{
    Pca p;
    pca_init(&p, &(PcaDesc){.k = 3, .pool = pool, .seed = (uint64_t)a->seed});
    double t0 = clock_s();
    int comps[3] = {0, 1, 2};
    float *xyz = malloc((size_t)m->rows * 3 * sizeof *xyz);
    bool ok = xyz && pca_update(&p, m->vec, m->rows, m->dim, m->stride, e) &&
              pca_project(&p, m->vec, m->rows, m->dim, m->stride, comps,
                          m->dim >= a->dims ? (int)a->dims : m->dim, xyz, e);
    if (!xyz)
        err_set(e, "out of memory for %lld coordinates", (long long)m->rows);
    for (int64_t i = 0; ok && i < m->rows; i++)
        for (int c = 0; c < a->dims; c++)
            xy[i * a->dims + c] = xyz[i * 3 + c];
    r->t_layout = clock_s() - t0;
    free(xyz);
    pca_deinit(&p);
    return ok;
}

/* export_coords takes (rows, 3) coordinates. xy is then rounded as the file holds it, so the
 * --json quality is that of the file written: `--score` on it gives the same numbers (the
 * layout's k-th neighbours can swap under the 6-digit rounding). */
static bool write_output(const char *path, const char *method, const Vocab *v, float *xy,
                         int dims, Err *e)
{
    float *xyz = calloc((size_t)v->size * 3 + 1, sizeof *xyz);
    if (!xyz)
        return err_set(e, "out of memory for %lld coordinates", (long long)v->size);
    for (int64_t i = 0; i < v->size; i++)
        for (int c = 0; c < dims; c++)
            xyz[i * 3 + c] = xy[i * dims + c];
    /* columns umap1 umap2, tsne1 tsne2, or pc1 pc2 as `export --coords` names them */
    bool ok = export_coords(path, v, xyz, dims, strcmp(method, "pca") ? method : NULL, NULL, e);
    free(xyz);
    for (int64_t i = 0; ok && i < v->size * dims; i++)
        xy[i] = export_coord_as_written(xy[i]);
    return ok;
}

static void print_json(const LayoutArgs *a, const Report *r, int dims, bool graph)
{
    printf("{\"vectors\": ");
    args_json_string(stdout, a->in);
    printf(", \"rows\": %lld, \"dim\": %d, \"method\": ", (long long)r->rows, r->dim);
    args_json_string(stdout, a->score ? "scored" : a->method);
    printf(", \"dims\": %d, \"seconds\": {\"load\": %.3f, \"graph\": %.3f, \"layout\": %.3f, "
           "\"quality\": %.3f}", dims, r->t_load, r->t_graph, r->t_layout, r->t_quality);
    bool tsne = !strcmp(a->method, "tsne");
    if (a->sample && !a->score)
        printf(", \"sampled\": {\"sample\": %lld, \"placed\": %lld, \"seconds_to_placed\": %.3f, "
               "\"place_seconds\": %.3f, \"place_distances_per_row\": %.1f, \"refine_epochs\": %lld}",
               (long long)r->ss.sample, (long long)r->ss.placed, r->t_placed, r->ss.place_ms / 1e3,
               r->ss.placed ? (double)r->ss.place_evals / (double)r->ss.placed : 0.0, a->refine);
    if (graph && !r->no_graph)
        printf(", \"graph\": {\"k\": %lld, \"recall\": %.4f, \"recall_sample\": %d, "
               "\"passes\": %d, \"distances\": %lld}", tsne ? (long long)r->tsne_k : a->neighbors,
               r->recall, RECALL_SAMPLE, r->gs.iters, (long long)r->gs.dist_evals);
    if (graph && !tsne)
        printf(", \"umap\": {\"epochs\": %d, \"edges\": %lld, \"a\": %.4f, \"b\": %.4f, "
               "\"min_dist\": %g, \"threads\": %d}",
               r->us.epochs, (long long)r->us.edges, r->us.a, r->us.b, a->min_dist, r->us.threads);
    if (graph && tsne)
        printf(", \"tsne\": {\"perplexity\": %g, \"iterations\": %d, \"kl\": %.4f}", a->perplexity,
               r->tsne_iters, r->tsne_kl);
    printf(", \"quality\": {\"k\": %d, \"samples\": %lld, \"preservation\": %.4f, "
           "\"trustworthiness\": %.4f}}\n", r->q.k, (long long)r->q.samples, r->q.preservation,
           r->q.trustworthiness);
}

int cmd_layout(int argc, char **argv)
{
    LayoutArgs a;
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : rc;
    Err e = {0};
    Report r = {0};
    Embeddings m;
    emb_init(&m);
    KnnIndex ix = {0};
    Pool *pool = pool_create((int)a.threads);
    float *xy = NULL;
    int dims = (int)a.dims;
    double t0 = clock_s();
    bool ok = cli_load_vectors(&(VecLoadDesc){.path = a.in, .max_words = a.max_words}, &m, &e);
    if (ok && m.rows < 1)
        ok = err_set(&e, "%s: no vectors", a.in);
    ok = ok && knn_build(&ix, m.vec, m.rows, m.dim, m.stride, &e);
    r.t_load = clock_s() - t0;
    r.rows = m.rows;
    r.dim = m.dim;
    if (ok && a.score) {
        ok = cli_read_coords(a.score, &m.vocab, &dims, &xy, &e);
    } else if (ok) {
        xy = malloc((size_t)m.rows * (size_t)dims * sizeof *xy);
        if (!xy)
            ok = err_set(&e, "out of memory for %lld coordinates", (long long)m.rows);
        else if (!strcmp(a.method, "umap"))
            ok = a.sample ? run_sampled(&a, &ix, pool, xy, &r, &e) : run_umap(&a, &ix, pool, xy, &r, &e);
        else if (!strcmp(a.method, "tsne"))
            ok = run_tsne(&a, &ix, pool, xy, &r, &e);
        else
            ok = run_pca(&a, &m, pool, xy, &r, &e);
        ok = ok && write_output(a.output, a.method, &m.vocab, xy, dims, &e);
    }
    int nregions = 0;
    if (ok && a.regions)
        ok = cli_write_regions(a.regions, &m, xy, dims, &nregions, &e);
    if (ok && a.regions)
        fprintf(stderr, "embedscope layout: %d regions in %s\n", nregions, a.regions);
    if (ok && a.json && m.rows >= 2) {
        double tq = clock_s();
        ok = layoutq_measure(&ix, xy, dims, QUALITY_K, QUALITY_SAMPLE, (uint64_t)a.seed, pool,
                             &r.q, &e);
        r.t_quality += clock_s() - tq;
    }
    if (ok && a.json)
        print_json(&a, &r, dims, !a.score && strcmp(a.method, "pca"));
    if (!ok)
        fprintf(stderr, "embedscope layout: %s\n", e.msg);
    free(xy);
    knn_deinit(&ix);
    emb_deinit(&m);
    pool_destroy(pool);
    return ok ? 0 : 1;
}
