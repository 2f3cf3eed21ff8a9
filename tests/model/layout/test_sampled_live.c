/* The live layout's sampled start (model/analysis/livelayout.c with sampled.h): above
 * sample_above rows the first update is a sampled layout with a graph of every row seeded from
 * the sample; the next ones are ordinary refinements with bounded graph passes, whose recall
 * climbs while the points move little; a cancel in the first keeps the placed layout, to be
 * refined by the next; other parameters start sampled again; t-SNE and small tables are not
 * sampled. */
#include "model/analysis/livelayout.h"
#include "model/layout/knnexact.h"
#include "tests/model/layout/blobs.h"
#include "tests/test.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { N = 3000, DIM = 30, NB = 6 };

/* Mean distance of rows to their blob's centre over the mean distance between centres, in the
 * held layout (x, y of rows of 3): well under 1 while the blobs are apart. */
static double spread_ratio(const float *xyz, int64_t n)
{
    double c[NB][2] = {{0}}, within = 0, between = 0;
    for (int64_t i = 0; i < n; i++)
        for (int k = 0; k < 2; k++)
            c[i % NB][k] += xyz[i * 3 + k] / (double)(n / NB);
    for (int64_t i = 0; i < n; i++)
        within += hypot(xyz[i * 3] - c[i % NB][0], xyz[i * 3 + 1] - c[i % NB][1]) / (double)n;
    for (int a = 0; a < NB; a++)
        for (int b = a + 1; b < NB; b++)
            between += hypot(c[a][0] - c[b][0], c[a][1] - c[b][1]) / (NB * (NB - 1) / 2);
    return within / between;
}

static int cancels;
static bool cancel_once(void *ctx, const char *stage, double f)
{
    (void)ctx, (void)stage, (void)f;
    if (cancels > 0) {
        cancels--;
        return false;
    }
    return true;
}

TEST(sampled_start_then_bounded_refinements)
{
    KnnIndex ix = {0};
    CHECK(blobs_index(&ix, N, DIM, NB, 0.6, 4));
    LiveLayout L;
    livelay_init(&L);
    Err e = {0};
    Pool *pool = pool_create(2);
    /* exact_rows -1: refined by NN-descent, as a big table's graph is (3,000 rows would be
     * solved exactly) */
    LiveLayoutDesc d = {.kind = LIVELAY_UMAP, .epochs = 60, .sample_above = 2000, .sample_rows = 600,
                        .exact_rows = -1};
    CHECK(livelay_update(&L, &ix, &d, pool, NULL, NULL, &e));
    CHECK(L.valid && L.placed && !L.warm && L.builds == 1 && L.graph.n == N);
    double r1 = spread_ratio(L.xyz, N), recall[4];
    CHECK(knnexact_recall_sample(&L.graph, &ix, 300, 1, pool, &recall[0], &e));
    /* a cancel in the first refinement keeps the placed layout and its flag */
    float *held = malloc((size_t)N * 3 * sizeof *held);
    memcpy(held, L.xyz, (size_t)N * 3 * sizeof *held);
    cancels = 1;
    CHECK(!livelay_update(&L, &ix, &d, pool, cancel_once, NULL, &e) && !strcmp(e.msg, "cancelled"));
    CHECK(L.placed && L.builds == 1 && !memcmp(held, L.xyz, (size_t)N * 3 * sizeof *held));
    double moved[4] = {0}, worst = 0;
    for (int k = 1; k < 4; k++) {
        CHECK(livelay_update(&L, &ix, &d, pool, NULL, NULL, &e));
        CHECK(!L.placed && L.warm && L.builds == 1 + (uint64_t)k && L.graph.n == N);
        /* the first is bounded (two passes at most) whatever the sample's graph cost; later
         * ones go by the last refinement's time, and on 3,000 rows a full refine fits */
        CHECKF(k > 1 || (L.graph_passes >= 1 && L.graph_passes <= 2), "%d passes", L.graph_passes);
        CHECK(knnexact_recall_sample(&L.graph, &ix, 300, 1, pool, &recall[k], &e));
        moved[k] = L.moved;
        worst = fmax(worst, L.moved);
    }
    double r2 = spread_ratio(L.xyz, N);
    fprintf(stderr, "    within/between: placed %.3f, after 3 refinements %.3f; moved %.2f%%, %.2f%%, "
            "%.2f%% of the extent; graph recall %.3f, %.3f, %.3f, %.3f\n", r1, r2, 100 * moved[1],
            100 * moved[2], 100 * moved[3], recall[0], recall[1], recall[2], recall[3]);
    CHECKF(r1 < 0.25 && r2 < 0.25, "%.3f %.3f", r1, r2);
    CHECKF(recall[3] > recall[1] && recall[1] > recall[0], "%.3f %.3f %.3f", recall[0], recall[1], recall[3]);
    /* warm steps from the placed positions, not a layout from scratch */
    CHECKF(worst < 0.1, "moved %.3f", worst);
    /* another min_dist starts sampled again */
    d.min_dist = 0.3;
    CHECK(livelay_update(&L, &ix, &d, pool, NULL, NULL, &e) && L.placed && !L.warm && L.graph.n == N);
    free(held);
    pool_destroy(pool);
    livelay_deinit(&L);
    knn_deinit(&ix);
}

TEST(small_tables_are_not_sampled)
{
    KnnIndex ix = {0};
    CHECK(blobs_index(&ix, 1500, DIM, NB, 0.6, 4));
    LiveLayout L;
    livelay_init(&L);
    Err e = {0};
    LiveLayoutDesc d = {.kind = LIVELAY_UMAP, .epochs = 30, .sample_above = 2000};
    CHECK(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e) && !L.placed && L.graph.n == 1500);
    d.sample_above = -1;
    d.epochs = 31;
    CHECK(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e) && !L.placed && L.graph.n == 1500);
    /* t-SNE is never sampled */
    LiveLayoutDesc t = {.kind = LIVELAY_TSNE, .epochs = 20, .perplexity = 5, .sample_above = 1000};
    CHECK(livelay_update(&L, &ix, &t, NULL, NULL, NULL, &e) && !L.placed && L.graph.n == 1500);
    livelay_deinit(&L);
    knn_deinit(&ix);
}
