/* bench_live_refine (bench/live_refine.sh): the window's live layout replayed offline on saved
 * snapshots of a trainer's vectors (successive `embedscope train -snapshot-every S` files),
 * to split each refresh's move into its causes. The first snapshot is laid out from scratch
 * as livelay_update does in the window (one thread, the window's defaults); then for each
 * next snapshot:
 *   real     the refinement to the new vectors: its median move (the window's layout_moved),
 *            the share of graph edges it changed and the graph's recall@k;
 *   same     the same refinement of a copy, on the previous (unchanged) vectors: the
 *            refinement's own move and graph churn (the layout noise plus the graph still
 *            converging);
 *   frozen   the same on unchanged vectors with the graph kept as it is: the SGD's noise;
 *   exact    the share of exact k-NN (cosine, 1,000 sampled rows) that changed between the
 *            two snapshots: how much the vectors' neighbourhoods really moved.
 * "same" and "frozen" run as many epochs as "real" did. At the end, 10-NN preservation
 * (layoutq, 2,000 rows) of the refined layout and of a fresh one of the last vectors.
 * Prints a Markdown table. Main thread only (pool NULL, as the window's analysis thread while
 * a trainer runs).
 *   bench_live_refine [--kind umap|tsne] [--dims 2|3] [--warm-epochs N] [--warm-rate X] [--still-rate X] [--budget-ms X] SNAPSHOT...
 */
#include "model/analysis/livelayout.h"
#include "model/base/clock.h"
#include "model/files/vecfile.h"
#include "model/layout/knnexact.h"
#include "model/layout/layoutq.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SAMPLE 1000 /* rows whose exact neighbours are compared between snapshots */

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool load(const char *path, Embeddings *m, KnnIndex *ix, Err *e)
{
    emb_deinit(m);
    knn_deinit(ix);
    return vecfile_load(&(VecLoadDesc){.path = path}, m, NULL, e) &&
           knn_build(ix, m->vec, m->rows, m->dim, m->stride, e);
}

/* A deep copy of L (graph and coordinates), to try a refinement without losing L; not of a
 * sampled layout (the replays lay out every row). */
static bool layout_clone(LiveLayout *dst, const LiveLayout *src)
{
    if (src->sample)
        return false;
    size_t nk = (size_t)src->graph.n * (size_t)src->graph.k, n3 = (size_t)src->rows * 3;
    *dst = *src;
    dst->prev_idx = NULL; /* scratch of the next refinement */
    dst->rate = NULL;
    dst->graph.idx = malloc(nk * sizeof(int32_t));
    dst->graph.dist = malloc(nk * sizeof(float));
    dst->xyz = malloc(n3 * sizeof(float));
    dst->work = malloc(n3 * sizeof(float));
    if (!dst->graph.idx || !dst->graph.dist || !dst->xyz || !dst->work) {
        livelay_deinit(dst);
        return false;
    }
    memcpy(dst->graph.idx, src->graph.idx, nk * sizeof(int32_t));
    memcpy(dst->graph.dist, src->graph.dist, nk * sizeof(float));
    memcpy(dst->xyz, src->xyz, n3 * sizeof(float));
    return true;
}

/* Share of b's edges that a's same row does not list. */
static double churn(const KnnGraph *a, const KnnGraph *b)
{
    int64_t changed = 0, total = 0;
    for (int64_t i = 0; i < b->n; i++)
        for (int s = 0; s < b->k; s++) {
            int32_t j = b->idx[i * b->k + s];
            if (j < 0)
                continue;
            bool found = false;
            for (int t = 0; t < a->k && !found; t++)
                found = a->idx[i * a->k + t] == j;
            changed += !found;
            total++;
        }
    return total ? (double)changed / (double)total : 0;
}

/* Exact k nearest (the row excluded) of SAMPLE rows drawn evenly, into out (SAMPLE, k). */
static bool exact_nn(const KnnIndex *ix, int k, int64_t *out, Err *e)
{
    float *q = malloc((size_t)SAMPLE * (size_t)ix->dim * sizeof *q);
    int64_t *ex = malloc(SAMPLE * sizeof *ex);
    Neighbour *nb = malloc((size_t)SAMPLE * (size_t)k * sizeof *nb);
    int *cnt = malloc(SAMPLE * sizeof *cnt);
    bool ok = q && ex && nb && cnt;
    for (int s = 0; ok && s < SAMPLE; s++) {
        ex[s] = (int64_t)s * ix->rows / SAMPLE;
        memcpy(q + (size_t)s * (size_t)ix->dim, knn_row(ix, ex[s]), (size_t)ix->dim * sizeof *q);
    }
    ok = ok && knn_query_batch(ix, 0, q, SAMPLE, k, ex, 1, nb, cnt);
    for (int s = 0; ok && s < SAMPLE; s++)
        for (int t = 0; t < k; t++)
            out[s * k + t] = t < cnt[s] ? nb[s * k + t].index : -1;
    free(q);
    free(ex);
    free(nb);
    free(cnt);
    return ok || err_set(e, "out of memory");
}

static double nn_changed(const int64_t *a, const int64_t *b, int k)
{
    int64_t changed = 0;
    for (int s = 0; s < SAMPLE; s++)
        for (int t = 0; t < k; t++) {
            bool found = false;
            for (int u = 0; u < k && !found; u++)
                found = a[s * k + u] == b[s * k + t];
            changed += !found;
        }
    return (double)changed / (double)(SAMPLE * k);
}

/* A refinement of a copy of L on ix with the epochs L's real one took: its move and churn. */
static bool trial(const LiveLayout *L, const KnnIndex *ix, LiveLayoutDesc d, bool keep, double *moved,
                  double *ch, Err *e)
{
    LiveLayout c;
    if (!layout_clone(&c, L))
        return err_set(e, "out of memory");
    d.keep_graph = keep;
    d.warm_epochs = L->epochs;
    c.epoch_ms = 1e-9; /* all of warm_epochs; the budget, which picks the graph's pass, stays */
    bool ok = livelay_update(&c, ix, &d, NULL, NULL, NULL, e);
    *moved = c.moved;
    *ch = churn(&L->graph, &c.graph);
    livelay_deinit(&c);
    return ok;
}

static double preservation(const KnnIndex *ix, const LiveLayout *L, Err *e, bool *ok)
{
    LayoutQuality q;
    int dims = L->have.dims;
    float *xy = malloc((size_t)L->rows * (size_t)dims * sizeof *xy);
    *ok = *ok && xy;
    for (int64_t i = 0; *ok && i < L->rows; i++)
        for (int k = 0; k < dims; k++)
            xy[i * dims + k] = L->xyz[i * 3 + k];
    *ok = *ok && layoutq_measure(ix, xy, dims, 10, 2000, 1, NULL, &q, e);
    free(xy);
    return *ok ? q.preservation : -1;
}

int main(int argc, char **argv)
{
    /* every row laid out from the first snapshot on: the replays measure the refinement of a
     * full layout, not the window's sampled one (livelayout.h) */
    LiveLayoutDesc d = {.kind = LIVELAY_UMAP, .sample_above = -1};
    int a = 1;
    for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
        if (!strcmp(argv[a], "--kind"))
            d.kind = !strcmp(argv[a + 1], "tsne") ? LIVELAY_TSNE : LIVELAY_UMAP;
        else if (!strcmp(argv[a], "--dims"))
            d.dims = atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "--warm-epochs")) /* the window's under load: 5 */
            d.warm_epochs = atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "--warm-rate"))
            d.warm_rate = atof(argv[a + 1]);
        else if (!strcmp(argv[a], "--still-rate")) /* 1: every row the whole step (as before) */
            d.still_rate = atof(argv[a + 1]);
        else if (!strcmp(argv[a], "--budget-ms")) /* 1e9: every graph refined to convergence */
            d.budget_ms = atof(argv[a + 1]);
    }
    if (argc - a < 2) {
        fprintf(stderr, "usage: bench_live_refine [--kind umap|tsne] [--dims 2|3] [--warm-epochs N] [--warm-rate X] [--still-rate X] [--budget-ms X] SNAPSHOT SNAPSHOT...\n");
        return 2;
    }
    Embeddings m;
    emb_init(&m);
    KnnIndex prev = {0}, cur = {0};
    Err e = {{0}};
    LiveLayout L;
    livelay_init(&L);
    double w0 = clock_s(), c0 = cpu_s();
    if (!load(argv[a], &m, &cur, &e) || !livelay_update(&L, &cur, &d, NULL, NULL, NULL, &e)) {
        fprintf(stderr, "%s: %s\n", argv[a], e.msg);
        return 1;
    }
    d = L.have;
    int k = d.neighbors;
    int64_t *nn_prev = malloc((size_t)SAMPLE * (size_t)k * sizeof *nn_prev);
    int64_t *nn_cur = malloc((size_t)SAMPLE * (size_t)k * sizeof *nn_cur);
    bool ok = nn_prev && nn_cur && exact_nn(&cur, k, nn_cur, &e);
    printf("first layout from scratch of %s: %lld rows, %.2f s (graph %.2f s)\n\n", argv[a], (long long)L.rows,
           L.ms / 1e3, L.graph_ms / 1e3);
    printf("| snapshot | exact %d-NN changed %% | real: moved %%, edges changed %%, recall, epochs, s (graph s) | "
           "same vectors: moved %%, edges changed %% | same, graph kept: moved %% |\n|---|---:|---|---|---:|\n", k);
    for (int s = a + 1; ok && s < argc; s++) {
        KnnIndex t = prev;
        prev = cur;
        cur = t;
        int64_t *u = nn_prev;
        nn_prev = nn_cur;
        nn_cur = u;
        LiveLayout before;
        double recall = 0, same_mv = 0, same_ch = 0, kept_mv = 0, kept_ch = 0;
        Embeddings old = m;
        emb_init(&m); /* prev's index is a copy: the old matrix may go */
        emb_deinit(&old);
        ok = load(argv[s], &m, &cur, &e) && exact_nn(&cur, k, nn_cur, &e) && layout_clone(&before, &L);
        if (!ok)
            break;
        ok = livelay_update(&L, &cur, &d, NULL, NULL, NULL, &e) &&
             knnexact_recall_sample(&L.graph, &cur, SAMPLE, 1, NULL, &recall, &e);
        before.epochs = L.epochs;
        ok = ok && trial(&before, &prev, d, false, &same_mv, &same_ch, &e) &&
             trial(&before, &prev, d, true, &kept_mv, &kept_ch, &e);
        if (ok)
            printf("| %s | %.2f | %.2f, %.2f, %.3f, %d, %.2f (%.2f) | %.2f, %.2f | %.2f |\n", argv[s],
                   100 * nn_changed(nn_prev, nn_cur, k), 100 * L.moved, 100 * churn(&before.graph, &L.graph),
                   recall, L.epochs, L.ms / 1e3, L.graph_ms / 1e3, 100 * same_mv, 100 * same_ch, 100 * kept_mv);
        livelay_deinit(&before);
        fflush(stdout);
    }
    if (ok) {
        LiveLayout fresh;
        livelay_init(&fresh);
        double pr = preservation(&cur, &L, &e, &ok);
        ok = ok && livelay_update(&fresh, &cur, &d, NULL, NULL, NULL, &e);
        double pf = preservation(&cur, &fresh, &e, &ok), rr = 0, rf = 0;
        ok = ok && knnexact_recall_sample(&L.graph, &cur, SAMPLE, 1, NULL, &rr, &e) &&
             knnexact_recall_sample(&fresh.graph, &cur, SAMPLE, 1, NULL, &rf, &e);
        if (ok)
            printf("\n10-NN preservation of the last vectors (2,000 rows): refined layout %.4f (its graph's recall "
                   "%.3f), fresh layout %.4f (%.3f)\n", pr, rr, pf, rf);
        livelay_deinit(&fresh);
    }
    if (!ok)
        fprintf(stderr, "bench_live_refine: %s\n", e.msg);
    printf("wall %.1f s, CPU %.1f s\n", clock_s() - w0, cpu_s() - c0);
    free(nn_prev);
    free(nn_cur);
    livelay_deinit(&L);
    knn_deinit(&prev);
    knn_deinit(&cur);
    emb_deinit(&m);
    return ok ? 0 : 1;
}
