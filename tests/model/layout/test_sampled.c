/* The sample-first UMAP (model/layout/sampled.h) and its query forest (knnquery.h): queries
 * find most of the exact cosine neighbours; 20,000 rows of Gaussian blobs in 50 dimensions laid
 * out from a sample of 2,000 keep the placed rows with their own blob; the refine from the
 * placed layout keeps them apart and leaves the full graph; a cancel in any stage returns at
 * once and leaves the output alone; tables of 1-3 rows, samples larger than the table, one
 * thread run twice gives the same bytes; placing again after a small change of the vectors,
 * with the neighbours each row was placed from kept, moves the placed rows less. */
#include "model/base/clock.h"
#include "model/layout/knnexact.h"
#include "model/layout/knnquery.h"
#include "model/layout/sampled.h"
#include "tests/model/layout/blobs.h"
#include "tests/test.h"
#include <math.h>
#include <string.h>

/* 8 blobs, noise 0.5 per coordinate against unit-variance centres (within-blob cosine ~0.8,
 * between ~0), as test_umap's */
enum { N = 20000, DIM = 50, NB = 8, SAMPLE = 2000, EPOCHS = 100 };

static bool finite_all(const float *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return false;
    return true;
}

/* Share of the placed rows (all but the first SAMPLE / 2, which are all sampled) at under half
 * the distance to their own blob's centre in the 2D layout (the mean of its rows, row r in
 * blob r % NB) than to any other blob's. A random placement, one from the wrong rows or one
 * at the mean of every position scores near 0. */
static double placed_purity(const float *y, int64_t n)
{
    double c[NB][2] = {{0}}, cnt[NB] = {0};
    for (int64_t i = 0; i < n; i++) {
        c[i % NB][0] += y[i * 2];
        c[i % NB][1] += y[i * 2 + 1];
        cnt[i % NB]++;
    }
    for (int b = 0; b < NB; b++)
        for (int k = 0; k < 2; k++)
            c[b][k] /= cnt[b] > 0 ? cnt[b] : 1;
    int64_t pure = 0;
    for (int64_t i = SAMPLE / 2; i < n; i++) {
        double own = 0, other = INFINITY;
        for (int b = 0; b < NB; b++) {
            double d = hypot(y[i * 2] - c[b][0], y[i * 2 + 1] - c[b][1]);
            if (b == i % NB)
                own = d;
            else
                other = fmin(other, d);
        }
        pure += own < 0.5 * other;
    }
    return (double)pure / (double)(n - SAMPLE / 2);
}

TEST(query_finds_exact_neighbours)
{
    /* a forest over the first 4,000 rows, queried by the other 1,000 */
    KnnIndex ix = {0}, base = {0};
    CHECK(blobs_index(&ix, 5000, DIM, 20, 0.8, 5));
    Err e = {0};
    float *x = emb_aligned_alloc((size_t)4000 * (size_t)ix.stride * sizeof *x);
    memcpy(x, ix.unit, (size_t)4000 * (size_t)ix.stride * sizeof *x);
    CHECK(knn_build(&base, x, 4000, DIM, ix.stride, &e));
    KnnGraph g;
    knngraph_init(&g);
    CHECK(knngraph_build(&g, &base, &(KnnGraphDesc){.k = 15}, NULL, &e));
    KnnQueryForest f = {0};
    CHECK(knnquery_build(&f, &base, &g, 6, 32, 1, NULL, &e));
    KnnQueryScratch sc;
    CHECK(knnquery_scratch_init(&sc, &f));
    int64_t found = 0, want = 0;
    for (int64_t r = 4000; r < 5000; r++) {
        int32_t idx[10];
        float dist[10];
        Neighbour ex[10];
        int m = knnquery_search(&f, &sc, knn_row(&ix, r), NULL, 0, 10, 0, idx, dist);
        int me = knn_query(&base, knn_row(&ix, r), 10, NULL, 0, ex);
        CHECK(m == 10 && me == 10);
        for (int j = 0; j < m; j++) {
            CHECK(j == 0 || dist[j - 1] <= dist[j]);
            double dot = 0;
            for (int c = 0; c < DIM; c++)
                dot += (double)knn_row(&ix, r)[c] * knn_row(&base, idx[j])[c];
            CHECK_NEAR(dist[j], 1 - dot, 1e-5); /* float sums of 50 products of unit rows */
        }
        for (int a = 0; a < me; a++)
            for (int b = 0; b < m; b++)
                found += ex[a].index == idx[b];
        want += me;
    }
    double recall = (double)found / (double)want;
    double per_query = (double)sc.evals / 1000;
    fprintf(stderr, "    recall@10 %.3f, %.0f distances per query (of 4,000 rows)\n", recall, per_query);
    /* measured 0.945 at 206 distances a query; 6 leaves alone (no graph walk) find far fewer */
    CHECKF(recall > 0.9, "recall %.3f", recall);
    CHECKF(per_query < 2000, "%.0f distances per query", per_query);
    knnquery_scratch_deinit(&sc);
    knnquery_deinit(&f);
    knngraph_deinit(&g);
    knn_deinit(&base);
    knn_deinit(&ix);
    free(x);
}

typedef struct Blobs {
    KnnIndex ix;
    float *y;
} Blobs;

static bool blobs(Blobs *b, int64_t n)
{
    memset(b, 0, sizeof *b); /* knn_build replaces (frees) the index it is given */
    b->y = malloc((size_t)n * 3 * sizeof *b->y);
    return b->y && blobs_index(&b->ix, n, DIM, NB, 0.5, 3);
}

static void blobs_free(Blobs *b)
{
    knn_deinit(&b->ix);
    free(b->y);
}

TEST(placed_rows_stay_with_their_blob)
{
    Blobs b;
    CHECK(blobs(&b, N));
    Err e = {0};
    SampledStats st;
    Pool *pool = pool_create(2);
    double t0 = clock_ms();
    CHECK(sampled_layout(&b.ix, &(SampledDesc){.sample = SAMPLE, .epochs = EPOCHS, .pool = pool}, b.y, &st, &e));
    double ms = clock_ms() - t0;
    CHECK(st.sample == SAMPLE && st.placed == N - SAMPLE && finite_all(b.y, N * 2));
    double pure = placed_purity(b.y, N);
    fprintf(stderr, "    placed rows nearer their own blob %.3f; %.0f ms (graph %.0f, UMAP %.0f, placing %.0f), "
            "%.0f distances per placed row\n", pure, ms, st.graph_ms, st.umap_ms, st.place_ms,
            (double)st.place_evals / (double)st.placed);
    /* measured 0.997: the blobs are apart by cosine, so a placed row's sample neighbours are
     * all of its blob; placing from the wrong rows, or at the wrong rows' positions, mixes them */
    CHECKF(pure > 0.95, "pure %.3f", pure);
    pool_destroy(pool);
    blobs_free(&b);
}

TEST(refine_keeps_blobs_and_builds_the_full_graph)
{
    enum { M = N / 4 }; /* the full graph is this test's cost (seconds under the sanitizers) */
    Blobs b;
    CHECK(blobs(&b, M));
    Err e = {0};
    Pool *pool = pool_create(2);
    SampledDesc d = {.sample = SAMPLE, .epochs = EPOCHS, .pool = pool};
    CHECK(sampled_layout(&b.ix, &d, b.y, NULL, &e));
    KnnGraph g;
    knngraph_init(&g);
    SampledStats st;
    CHECK(sampled_refine(&g, &b.ix, &d, 20, 0.5, b.y, &st, &e));
    CHECK(g.n == M && g.k == 15 && st.umap.epochs == 20 && finite_all(b.y, M * 2));
    double pure = placed_purity(b.y, M), recall;
    CHECK(knnexact_recall_sample(&g, &b.ix, 200, 1, pool, &recall, &e));
    fprintf(stderr, "    after 20 epochs on the full graph: pure %.3f, graph recall %.3f\n", pure, recall);
    CHECKF(pure > 0.95, "pure %.3f", pure);
    /* NN-descent's recall on these blobs is ~0.95-0.99 (test_knngraph); within a blob the
     * noise is isotropic, so exact neighbours are barely nearer than the rest */
    CHECKF(recall > 0.8, "recall %.3f", recall);
    knngraph_deinit(&g);
    pool_destroy(pool);
    blobs_free(&b);
}

/* Cancels the first time the named stage (a prefix) reports, and notes when. */
typedef struct Cancel {
    const char *stage;
    double at_ms;
    int calls;
} Cancel;

static bool cancel_at(void *ctx, const char *stage, double f)
{
    (void)f;
    Cancel *c = ctx;
    c->calls++;
    if (strncmp(stage, c->stage, strlen(c->stage)))
        return true;
    if (!c->at_ms)
        c->at_ms = clock_ms();
    return false;
}

TEST(cancel_returns_at_once_in_every_stage)
{
    Blobs b;
    CHECK(blobs(&b, N));
    const char *stages[] = {"sample 2000 of 20000: graph", "sample 2000 of 20000: UMAP", "placing"};
    for (int s = 0; s < 3; s++) {
        Cancel c = {stages[s], 0, 0};
        for (int64_t i = 0; i < N * 2; i++)
            b.y[i] = 7.f;
        Err e = {0};
        CHECK(!sampled_layout(&b.ix, &(SampledDesc){.sample = SAMPLE, .epochs = EPOCHS, .progress = cancel_at,
                                                    .ctx = &c}, b.y, NULL, &e));
        double late = clock_ms() - c.at_ms;
        CHECKF(c.at_ms > 0 && !strcmp(e.msg, "cancelled"), "stage %s: %s", stages[s], e.msg);
        /* the cleanup only: under a second even under a sanitizer */
        CHECKF(late < 1000, "stage %s returned %.0f ms after the cancel", stages[s], late);
        for (int64_t i = 0; i < N * 2; i++)
            CHECK(b.y[i] == 7.f);
    }
    KnnGraph g;
    knngraph_init(&g);
    Cancel c = {"full graph of 20000 rows", 0, 0};
    Err e = {0};
    CHECK(!sampled_refine(&g, &b.ix, &(SampledDesc){.progress = cancel_at, .ctx = &c}, 20, 0.5, b.y, NULL, &e));
    CHECK(g.n == 0 && !strcmp(e.msg, "cancelled") && b.y[0] == 7.f);
    blobs_free(&b);
}

TEST(small_tables_and_big_samples)
{
    for (int n = 1; n <= 3; n++)
        for (int64_t sample = 1; sample <= 4; sample++) {
            Blobs b;
            CHECK(blobs(&b, n));
            Err e = {0};
            SampledStats st;
            CHECKF(sampled_layout(&b.ix, &(SampledDesc){.sample = sample}, b.y, &st, &e), "%d rows, sample %lld: %s",
                   n, (long long)sample, e.msg);
            CHECK(st.sample == (sample < n ? sample : n) && st.sample + st.placed == n);
            CHECK(finite_all(b.y, n * 2));
            blobs_free(&b);
        }
    /* a sample bigger than the table: the full UMAP, nothing placed */
    Blobs b;
    CHECK(blobs(&b, 600));
    Err e = {0};
    SampledStats st;
    CHECK(sampled_layout(&b.ix, &(SampledDesc){.sample = 1000, .epochs = 50}, b.y, &st, &e));
    CHECK(st.sample == 600 && st.placed == 0 && finite_all(b.y, 1200));
    CHECK(!sampled_layout(&b.ix, &(SampledDesc){.sample = -5}, b.y, &st, &e) && strstr(e.msg, "sample -5"));
    CHECK(!sampled_layout(&b.ix, &(SampledDesc){.dims = 4}, b.y, &st, &e) && strstr(e.msg, "dims 4"));
    blobs_free(&b);
}

TEST(one_thread_same_bytes)
{
    Blobs b;
    CHECK(blobs(&b, 5000));
    float *y2 = malloc(5000 * 3 * sizeof *y2);
    Err e = {0};
    SampledDesc d = {.sample = 500, .dims = 3, .epochs = 30, .seed = 9};
    CHECK(sampled_layout(&b.ix, &d, b.y, NULL, &e));
    CHECK(sampled_layout(&b.ix, &d, y2, NULL, &e));
    CHECK(!memcmp(b.y, y2, 5000 * 3 * sizeof *y2));
    d.seed = 10;
    CHECK(sampled_layout(&b.ix, &d, y2, NULL, &e));
    CHECK(memcmp(b.y, y2, 5000 * 3 * sizeof *y2));
    free(y2);
    blobs_free(&b);
}

/* Moves of the placed rows (those not in the sample, rows [SAMPLE / 2, n) less the rest of the
 * sample) between two placements a and b, (n, 2), over a's largest extent: the median, and
 * the share that moved more than 5% (jumps). */
static void placed_moves(const float *a, const float *b, const uint8_t *in_sample, int64_t n, double *median,
                         double *jumps)
{
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (int64_t i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            lo[k] = fmin(lo[k], a[i * 2 + k]);
            hi[k] = fmax(hi[k], a[i * 2 + k]);
        }
    double ext = fmax(hi[0] - lo[0], hi[1] - lo[1]);
    float *d = malloc((size_t)n * sizeof *d);
    int64_t m = 0, big = 0;
    for (int64_t i = 0; i < n; i++)
        if (!in_sample[i]) {
            d[m] = (float)(hypot(b[i * 2] - a[i * 2], b[i * 2 + 1] - a[i * 2 + 1]) / ext);
            big += d[m++] > 0.05f;
        }
    for (int64_t i = 1; i < m; i++) /* insertion sort: m is small */
        for (int64_t j = i; j > 0 && d[j - 1] > d[j]; j--) {
            float t = d[j];
            d[j] = d[j - 1];
            d[j - 1] = t;
        }
    *median = d[m / 2];
    *jumps = (double)big / (double)m;
    free(d);
}

/* The window places every row again from the refined sample at each snapshot while training
 * runs. Vectors that changed a little (here: noise of a thirtieth of the blobs' own) must move the
 * placed rows a little: with the neighbours each row was placed from kept as candidates
 * (sampled_place's from), a row keeps them until nearer ones come. Placed without them, each
 * placement's query trees (built on the changed sample) find a slightly different set, and
 * rows jump across their blob. The sample's layout is held fixed here, so only the placement
 * moves. */
TEST(placing_again_follows_a_small_change)
{
    enum { M = 8000, S = 1000 };
    KnnIndex ix = {0}, ix2 = {0}, sub = {0}, sub2 = {0};
    float *x = blobs_make(M, DIM, NB, 1.5, 3), *y0 = malloc(M * 2 * sizeof *y0);
    float *ya = malloc(M * 2 * sizeof *ya), *yb = malloc(M * 2 * sizeof *yb), *ys = malloc(S * 2 * sizeof *ys);
    int32_t *from = malloc((size_t)M * SAMPLED_PLACE_K * sizeof *from), *rows = sampled_choose(M, S, 1);
    uint8_t *in_sample = calloc(M, 1);
    CHECK(x && y0 && ya && yb && ys && from && rows && in_sample);
    int stride = emb_stride(DIM);
    float *x2 = emb_aligned_alloc((size_t)M * (size_t)stride * sizeof *x2);
    CHECK(x2);
    uint64_t s = rng_mix(77);
    for (int64_t i = 0; i < (int64_t)M * stride; i++)
        x2[i] = (i % stride) < DIM ? x[i] + (float)(0.05 * rng_gauss(&s)) : 0.f;
    Err e = {0};
    CHECK(knn_build(&ix, x, M, DIM, stride, &e) && knn_build(&ix2, x2, M, DIM, stride, &e));
    CHECK(sampled_sub_index(&sub, &ix, rows, S, &e) && sampled_sub_index(&sub2, &ix2, rows, S, &e));
    KnnGraph g, g2;
    knngraph_init(&g);
    knngraph_init(&g2);
    CHECK(knnexact_graph(&g, &sub, 15, NULL, NULL, NULL, &e) && knnexact_graph(&g2, &sub2, 15, NULL, NULL, NULL, &e));
    CHECKF(umap_layout(&g, &sub, &(UmapDesc){.dims = 2, .epochs = 100, .seed = 1}, ys, NULL, &e), "%s", e.msg);
    for (int i = 0; i < S; i++)
        in_sample[rows[i]] = 1;
    memset(from, 0xff, (size_t)M * SAMPLED_PLACE_K * sizeof *from);
    SampledDesc d = {.sample = S};
    CHECKF(sampled_place(&ix, &sub, &g, rows, ys, &d, from, y0, NULL, &e), "%s", e.msg);
    for (int64_t i = 0; i < M; i++)
        if (!in_sample[i])
            CHECK(from[i * SAMPLED_PLACE_K] >= 0 && from[i * SAMPLED_PLACE_K] < S);
    CHECK(sampled_place(&ix2, &sub2, &g2, rows, ys, &d, NULL, ya, NULL, &e));
    CHECK(sampled_place(&ix2, &sub2, &g2, rows, ys, &d, from, yb, NULL, &e));
    CHECK(finite_all(ya, M * 2) && finite_all(yb, M * 2));
    double med_a, jump_a, med_b, jump_b;
    placed_moves(y0, ya, in_sample, M, &med_a, &jump_a);
    placed_moves(y0, yb, in_sample, M, &med_b, &jump_b);
    fprintf(stderr, "    placed rows after a small change: median move %.2f%%, %.1f%% moved > 5%% without "
            "their neighbours kept; %.2f%%, %.1f%% with them\n", 100 * med_a, 100 * jump_a, 100 * med_b,
            100 * jump_b);
    /* measured (one thread, seeded): 0.25%, 9.3% without; 0.15%, 4.8% with. The benchmark's
     * vectors gain far more (bench/README.md, "Placed rows that jumped") */
    CHECKF(jump_b < 0.75 * jump_a && med_b < 0.8 * med_a, "%.4f %.4f, %.4f %.4f", med_a, jump_a, med_b, jump_b);
    knngraph_deinit(&g);
    knngraph_deinit(&g2);
    knn_deinit(&ix);
    knn_deinit(&ix2);
    knn_deinit(&sub);
    knn_deinit(&sub2);
    free(x);
    free(x2);
    free(y0);
    free(ya);
    free(yb);
    free(ys);
    free(from);
    free(rows);
    free(in_sample);
}
