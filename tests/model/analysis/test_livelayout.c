/* The live layout across snapshots: a first layout from scratch separates blobs, a refinement
 * after the vectors move a little starts from it and moves points less than starting again
 * would, a cancelled one keeps what was held, and the shapes it refuses; the same for t-SNE
 * and in 3D; a refinement's epochs follow its time budget; other parameters start afresh. */
#include "model/analysis/livelayout.h"
#include "tests/test.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { ROWS = 400, DIM = 16, BLOBS = 4 };

static uint64_t rs = 0x9E3779B97F4A7C15ull;
static double urand(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (double)(rs >> 11) / 9007199254740992.0;
}

/* BLOBS tight groups around random centres; jitter > 0 moves every row a little. */
static bool blobs(KnnIndex *ix, float *vec, double jitter, Err *e)
{
    static float centre[BLOBS][DIM];
    static bool made;
    if (!made) {
        for (int b = 0; b < BLOBS; b++)
            for (int j = 0; j < DIM; j++)
                centre[b][j] = (float)(urand() * 2 - 1);
        made = true;
    }
    for (int64_t i = 0; i < ROWS; i++)
        for (int j = 0; j < DIM; j++)
            vec[i * DIM + j] = centre[i % BLOBS][j] + (float)((urand() - 0.5) * (0.15 + jitter));
    return knn_build(ix, vec, ROWS, DIM, DIM, e);
}

/* Every coordinate moved by up to +-amount: the rows stay near where they were (blobs() draws
 * them afresh). */
static bool nudge(KnnIndex *ix, float *vec, double amount, Err *e)
{
    for (int64_t i = 0; i < ROWS * DIM; i++)
        vec[i] += (float)((urand() - 0.5) * 2 * amount);
    return knn_build(ix, vec, ROWS, DIM, DIM, e);
}

/* Share of rows whose nearest other row in the layout (x, y and z) is of the same blob. */
static double same_blob(const float *xyz)
{
    int good = 0;
    for (int64_t i = 0; i < ROWS; i++) {
        double best = INFINITY;
        int64_t arg = -1;
        for (int64_t k = 0; k < ROWS; k++) {
            if (k == i)
                continue;
            double dx = xyz[i * 3] - xyz[k * 3], dy = xyz[i * 3 + 1] - xyz[k * 3 + 1],
                   dz = xyz[i * 3 + 2] - xyz[k * 3 + 2], d = dx * dx + dy * dy + dz * dz;
            if (d < best) {
                best = d;
                arg = k;
            }
        }
        good += arg % BLOBS == i % BLOBS;
    }
    return (double)good / ROWS;
}

static bool stop_now(void *ctx, const char *stage, double f)
{
    (void)ctx, (void)stage, (void)f;
    return false;
}

/* Distance of L's layout from first over that of a layout from scratch of the same vectors
 * with another seed: well below 1 when L was refined from first. */
static double warm_over_cold(const LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *d, const float *first)
{
    LiveLayout cold;
    livelay_init(&cold);
    LiveLayoutDesc d2 = *d;
    d2.seed = d->seed + 1;
    Err e = {{0}};
    double w = 0, c = 0;
    if (livelay_update(&cold, ix, &d2, NULL, NULL, NULL, &e))
        for (int64_t i = 0; i < ROWS * 3; i++) {
            w += fabs(L->xyz[i] - first[i]);
            c += fabs(cold.xyz[i] - first[i]);
        }
    livelay_deinit(&cold);
    return c > 0 ? w / c : INFINITY;
}

static double sum_abs_z(const float *xyz)
{
    double z = 0;
    for (int64_t i = 0; i < ROWS; i++)
        z += fabs(xyz[i * 3 + 2]);
    return z;
}

/* A cancelled update fails with "cancelled" and keeps the held layout. */
static bool cancel_keeps(LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *d)
{
    float *held = malloc(ROWS * 3 * sizeof *held);
    Err e = {{0}};
    uint64_t builds = L->builds;
    if (!held)
        return false;
    memcpy(held, L->xyz, ROWS * 3 * sizeof *held);
    bool ok = !livelay_update(L, ix, d, NULL, stop_now, NULL, &e) && !strcmp(e.msg, "cancelled") && L->valid &&
              L->builds == builds && !memcmp(held, L->xyz, ROWS * 3 * sizeof *held);
    free(held);
    return ok;
}

TEST(refined_layouts_drift_and_cancel_keeps_the_last)
{
    static float vec[ROWS * DIM];
    KnnIndex ix = {0};
    Err e = {{0}};
    CHECK(blobs(&ix, vec, 0, &e));
    LiveLayout L;
    livelay_init(&L);
    LiveLayoutDesc d = {.kind = LIVELAY_UMAP, .epochs = 150, .exact_rows = -1, .seed = 5}; /* NN-descent */
    CHECKF(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e), "%s", e.msg);
    CHECK(L.valid && !L.warm && L.builds == 1 && L.moved == 0);
    double q = same_blob(L.xyz);
    CHECKF(q > 0.95, "nearest in the layout is of the same blob for %.3f", q);
    float *first = malloc(ROWS * 3 * sizeof *first);
    CHECK(first);
    memcpy(first, L.xyz, ROWS * 3 * sizeof *first);
    /* the vectors move a little: refined, it stays close to where it was */
    CHECK(blobs(&ix, vec, 0.05, &e));
    CHECKF(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e), "%s", e.msg);
    CHECKF(L.warm && L.builds == 2 && L.moved > 0 && L.moved < 0.05, "warm %d moved %.4f", L.warm, L.moved);
    CHECK(same_blob(L.xyz) > 0.95);
    double r = warm_over_cold(&L, &ix, &d, first);
    CHECKF(r < 0.5, "refined / from scratch distance from the first layout %.2f", r);
    CHECK(cancel_keeps(&L, &ix, &d));
    CHECK(!livelay_update(&L, &ix, &(LiveLayoutDesc){0}, NULL, NULL, NULL, &e) && strstr(e.msg, "kind"));
    free(first);
    livelay_deinit(&L);
    knn_deinit(&ix);
}

/* Edges of b that a's same row does not list, over all of b's. */
static double edges_changed(const int32_t *a, const KnnGraph *b)
{
    int64_t changed = 0;
    for (int64_t i = 0; i < b->n * b->k; i++) {
        bool found = false;
        for (int t = 0; t < b->k && !found; t++)
            found = a[i / b->k * b->k + t] == b->idx[i];
        changed += !found;
    }
    return (double)changed / (double)(b->n * b->k);
}

/* A UMAP refinement on unchanged vectors: the graph keeps its edges (a candidate replaces one
 * only when closer) and the rows, whose neighbours did not change, take a tenth of the step:
 * they move far less than with the whole step, as every row did before (still_rate 1). */
TEST(unchanged_vectors_keep_the_graph_and_barely_move)
{
    static float vec[ROWS * DIM];
    KnnIndex ix = {0};
    Err e = {{0}};
    CHECK(blobs(&ix, vec, 0, &e));
    LiveLayout L, whole;
    livelay_init(&L);
    livelay_init(&whole);
    LiveLayoutDesc d = {.kind = LIVELAY_UMAP, .epochs = 150, .exact_rows = -1, .seed = 5, .warm_epochs = 10,
                        .budget_ms = 1e6}; /* NN-descent; 10 epochs for both */
    LiveLayoutDesc dw = d;
    dw.still_rate = 1;
    CHECKF(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e) && livelay_update(&whole, &ix, &dw, NULL, NULL, NULL, &e),
           "%s", e.msg);
    int32_t *before = malloc((size_t)ROWS * (size_t)L.graph.k * sizeof *before);
    CHECK(before);
    memcpy(before, L.graph.idx, (size_t)ROWS * (size_t)L.graph.k * sizeof *before);
    CHECKF(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e) && livelay_update(&whole, &ix, &dw, NULL, NULL, NULL, &e),
           "%s", e.msg);
    double changed = edges_changed(before, &L.graph);
    fprintf(stderr, "    unchanged vectors: edges changed %.4f, moved %.4f (whole step %.4f)\n", changed, L.moved,
            whole.moved);
    /* NN-descent on 400 rows is nearly exact: a refine finds few closer candidates */
    CHECKF(changed < 0.02, "edges changed %.4f", changed);
    CHECKF(L.warm && whole.warm && L.epochs == 10 && whole.epochs == 10 && L.moved < 0.5 * whole.moved,
           "moved %.4f, with the whole step %.4f", L.moved, whole.moved);
    CHECK(same_blob(L.xyz) > 0.95);
    free(before);
    livelay_deinit(&L);
    livelay_deinit(&whole);
    knn_deinit(&ix);
}

/* t-SNE in 3D: from scratch it separates the blobs and uses z; refined after the vectors are
 * nudged it stays far closer to where it was than a layout from scratch with another seed. */
TEST(tsne_3d_refines_warm)
{
    static float vec[ROWS * DIM];
    KnnIndex ix = {0};
    Err e = {{0}};
    CHECK(blobs(&ix, vec, 0, &e));
    LiveLayout L;
    livelay_init(&L);
    LiveLayoutDesc d = {.kind = LIVELAY_TSNE, .dims = 3, .perplexity = 10, .epochs = 150, .seed = 5};
    CHECKF(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e), "%s", e.msg);
    CHECK(L.valid && !L.warm && L.have.neighbors == 30 && L.have.dims == 3 && L.epochs == 150);
    double q = same_blob(L.xyz), z = sum_abs_z(L.xyz);
    CHECKF(q > 0.95 && z > 0, "same blob %.3f, sum |z| %.3f", q, z);
    float *first = malloc(ROWS * 3 * sizeof *first);
    CHECK(first);
    memcpy(first, L.xyz, ROWS * 3 * sizeof *first);
    CHECK(nudge(&ix, vec, 0.02, &e));
    d.warm_epochs = 30;
    d.budget_ms = 1e6; /* all 30 */
    CHECKF(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e), "%s", e.msg);
    CHECKF(L.warm && L.builds == 2 && L.epochs == 30 && L.moved > 0 && L.moved < 0.05, "warm %d epochs %d moved %.4f",
           L.warm, L.epochs, L.moved);
    CHECK(same_blob(L.xyz) > 0.95);
    double r = warm_over_cold(&L, &ix, &d, first);
    CHECKF(r < 0.5, "refined / from scratch distance from the first layout %.2f", r);
    CHECK(cancel_keeps(&L, &ix, &d));
    free(first);
    livelay_deinit(&L);
    knn_deinit(&ix);
}

/* A refinement's epochs and graph work: the least allowed when the budget is already spent
 * (one NN-descent pass with few candidates, once a refine has shown its time per pass), all of warm_epochs and a full refine when it is
 * ample; a change of kind, dimensions or shape starts afresh. */
TEST(refinements_follow_the_budget_and_parameters_start_afresh)
{
    static float vec[ROWS * DIM];
    KnnIndex ix = {0};
    Err e = {{0}};
    CHECK(blobs(&ix, vec, 0, &e));
    LiveLayout L;
    livelay_init(&L);
    LiveLayoutDesc d = {.kind = LIVELAY_UMAP, .dims = 3, .epochs = 60, .warm_epochs = 25, .budget_ms = 1e-3,
                        .exact_rows = -1};
    CHECKF(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e), "%s", e.msg);
    double z = sum_abs_z(L.xyz);
    CHECK(!L.warm && L.epochs == 60 && z > 0 && L.epoch_ms > 0);
    CHECKF(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e), "%s", e.msg);
    CHECKF(L.warm && L.epochs == 5, "warm %d epochs %d", L.warm, L.epochs);
    /* the budget is spent already: the next bounded refine runs one pass, not two */
    CHECKF(L.graph_passes >= 1 && L.graph_passes <= 2, "passes %d", L.graph_passes);
    CHECKF(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e), "%s", e.msg);
    CHECKF(L.warm && L.graph_passes == 1, "warm %d passes %d", L.warm, L.graph_passes);
    int64_t bounded = L.dist_evals; /* one NN-descent pass with few candidates */
    d.budget_ms = 1e6;
    CHECK(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e) && L.warm && L.epochs == 25);
    CHECKF(bounded < L.dist_evals, "bounded refine %lld distances, full %lld", (long long)bounded,
           (long long)L.dist_evals);
    d.min_dist = 0.3;
    CHECK(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e) && !L.warm && L.epochs == 60);
    d.dims = 2;
    CHECK(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e) && !L.warm && L.xyz[2] == 0.f);
    d.kind = LIVELAY_TSNE;
    d.epochs = 100;
    CHECK(livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e) && !L.warm && L.have.kind == LIVELAY_TSNE);
    CHECK(L.have.neighbors == 45 && L.have.perplexity == 15);
    livelay_deinit(&L);
    knn_deinit(&ix);
}
