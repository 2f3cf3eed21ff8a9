/* The live layout across snapshots: a first layout from scratch separates blobs, a refinement
 * after the vectors move a little starts from it and moves points less than starting again
 * would, a cancelled one keeps what was held, and the shapes it refuses. */
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

/* Share of rows whose nearest other row in the layout is of the same blob. */
static double same_blob(const float *xyz)
{
    int good = 0;
    for (int64_t i = 0; i < ROWS; i++) {
        double best = INFINITY;
        int64_t arg = -1;
        for (int64_t k = 0; k < ROWS; k++) {
            if (k == i)
                continue;
            double dx = xyz[i * 3] - xyz[k * 3], dy = xyz[i * 3 + 1] - xyz[k * 3 + 1], d = dx * dx + dy * dy;
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

TEST(refined_layouts_drift_and_cancel_keeps_the_last)
{
    static float vec[ROWS * DIM];
    KnnIndex ix = {0};
    Err e = {{0}};
    CHECK(blobs(&ix, vec, 0, &e));
    LiveLayout L;
    livelay_init(&L);
    LiveLayoutDesc d = {.kind = LIVELAY_UMAP, .epochs = 150, .seed = 5};
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
    /* from scratch on the same vectors (another seed) the points land elsewhere */
    LiveLayout cold;
    livelay_init(&cold);
    LiveLayoutDesc d2 = d;
    d2.seed = 6;
    CHECK(livelay_update(&cold, &ix, &d2, NULL, NULL, NULL, &e));
    double warm_move = 0, cold_move = 0;
    for (int64_t i = 0; i < ROWS * 3; i++) {
        warm_move += fabs(L.xyz[i] - first[i]);
        cold_move += fabs(cold.xyz[i] - first[i]);
    }
    CHECKF(warm_move < 0.5 * cold_move, "warm %.1f cold %.1f", warm_move, cold_move);
    /* cancelled: the held layout stays */
    memcpy(first, L.xyz, ROWS * 3 * sizeof *first);
    CHECK(!livelay_update(&L, &ix, &d, NULL, stop_now, NULL, &e) && !strcmp(e.msg, "cancelled"));
    CHECK(L.valid && L.builds == 2 && !memcmp(first, L.xyz, ROWS * 3 * sizeof *first));
    CHECK(!livelay_update(&L, &ix, &(LiveLayoutDesc){0}, NULL, NULL, NULL, &e) && strstr(e.msg, "kind"));
    free(first);
    livelay_deinit(&cold);
    livelay_deinit(&L);
    knn_deinit(&ix);
}
