/* UMAP: the a, b fit against umap-learn's values, the fuzzy set's smoothing and symmetry,
 * Gaussian blobs in 50 dimensions kept apart, bit-identical runs on one thread, Hogwild on
 * several (meant for ThreadSanitizer too), a warm start that moves points less than a cold
 * one, and tables of 1, 2 and 3 rows, duplicates, zero vectors and bad parameters. */
#include "model/layout/fuzzy.h"
#include "model/layout/knngraph.h"
#include "model/layout/layoutq.h"
#include "model/layout/umap.h"
#include "tests/model/layout/blobs.h"
#include "tests/test.h"
#include <math.h>
#include <string.h>

/* 8 blobs of 75 rows in 50 dimensions; noise 0.5 per coordinate against unit-variance
 * centres keeps them apart by cosine (within-blob cosine ~0.8, between ~0). */
enum { N = 600, DIM = 50, NB = 8, K = 15, EPOCHS = 150 };

typedef struct Setup {
    KnnIndex ix;
    KnnGraph g;
} Setup;

static bool setup(Setup *s, double noise, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    knngraph_init(&s->g);
    Err e;
    return blobs_index(&s->ix, N, DIM, NB, noise, seed) &&
           knngraph_build(&s->g, &s->ix, &(KnnGraphDesc){.k = K}, NULL, &e);
}

static void teardown(Setup *s)
{
    knngraph_deinit(&s->g);
    knn_deinit(&s->ix);
}

/* Ratio of the mean distance of rows to their blob's centre to the mean distance between
 * blob centres: well under 1 when the blobs are apart. */
static double blob_ratio(const float *y, int n, int nb)
{
    double c[NB][2] = {{0}}, within = 0, between = 0;
    for (int i = 0; i < n; i++)
        for (int d = 0; d < 2; d++)
            c[i % nb][d] += (double)y[i * 2 + d] / (n / nb);
    for (int i = 0; i < n; i++)
        within += hypot(y[i * 2] - c[i % nb][0], y[i * 2 + 1] - c[i % nb][1]) / n;
    for (int a = 0; a < nb; a++)
        for (int b = a + 1; b < nb; b++)
            between += hypot(c[a][0] - c[b][0], c[a][1] - c[b][1]) / (nb * (nb - 1) / 2);
    return within / between;
}

/* Share of rows whose 10 nearest in the layout are all in their own blob. */
static double pure_neighbourhoods(const float *y, int n, int nb)
{
    int pure = 0;
    for (int i = 0; i < n; i++) {
        float best[10];
        int lab[10], have = 0;
        for (int j = 0; j < n; j++) {
            if (j == i)
                continue;
            float d = hypotf(y[i * 2] - y[j * 2], y[i * 2 + 1] - y[j * 2 + 1]);
            if (have == 10 && d >= best[9])
                continue;
            int t = have < 10 ? have++ : 9;
            while (t > 0 && best[t - 1] > d) {
                best[t] = best[t - 1];
                lab[t] = lab[t - 1];
                t--;
            }
            best[t] = d;
            lab[t] = j % nb;
        }
        int ok = 1;
        for (int t = 0; t < 10; t++)
            ok &= lab[t] == i % nb;
        pure += ok;
    }
    return (double)pure / n;
}

static bool all_finite(const float *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return false;
    return true;
}

TEST(fit_ab_as_umap_learn)
{
    double a, b;
    Err e = {0};
    CHECK(umap_fit_ab(0.1, 1.0, &a, &b, &e));
    /* umap.umap_.find_ab_params(1.0, 0.1) = (1.5769434603, 0.8950608781) with scipy's
     * curve_fit; two least-squares solvers agree to ~1e-4 */
    CHECK_NEAR(a, 1.5769, 1e-3);
    CHECK_NEAR(b, 0.8951, 1e-3);
    CHECK(umap_fit_ab(0.5, 1.0, &a, &b, &e));
    CHECK_NEAR(a, 0.5830, 2e-3); /* find_ab_params(1.0, 0.5) = (0.5830, 1.3341) */
    CHECK_NEAR(b, 1.3341, 2e-3);
    CHECK(!umap_fit_ab(2, 1, &a, &b, &e) && strstr(e.msg, "min_dist"));
    CHECK(!umap_fit_ab(0.1, NAN, &a, &b, &e));
}

TEST(fuzzy_strengths_sum_and_symmetry)
{
    const float d[5] = {0.1f, 0.2f, 0.25f, 0.4f, 0.8f};
    double sigma, rho;
    fuzzy_smooth_row(d, 5, 0.3, &sigma, &rho);
    double sum = 0;
    for (int j = 0; j < 5; j++)
        sum += d[j] > rho ? exp(-(d[j] - rho) / sigma) : 1;
    CHECK_NEAR(rho, 0.1, 1e-7);
    CHECK_NEAR(sum, log2(5), 1e-5); /* the binary search's tolerance */
    /* a row of duplicates: every strength 1, sigma positive */
    const float z[3] = {0, 0, 0};
    fuzzy_smooth_row(z, 3, 0.3, &sigma, &rho);
    CHECK(rho == 0 && sigma > 0 && isfinite(sigma));
    Setup s;
    CHECK(setup(&s, 0.5, 3));
    FuzzyGraph f = {0};
    Err e = {0};
    CHECK(fuzzy_build(&f, &s.g, K, NULL, &e));
    CHECK(f.n == N && f.nnz >= N * K && f.nnz <= 2 * N * K);
    for (int64_t i = 0; i < N; i++)
        for (int64_t t = f.start[i]; t < f.start[i + 1]; t++) {
            int32_t j = f.col[t];
            CHECK(j != i && f.w[t] > 0 && f.w[t] <= 1);
            CHECK(t == f.start[i] || f.col[t - 1] < j);
            /* the transposed entry holds the same strength (a + b - ab is symmetric) */
            int64_t u = f.start[j];
            while (u < f.start[j + 1] && f.col[u] != i)
                u++;
            CHECK(u < f.start[j + 1] && f.w[u] == f.w[t]);
        }
    fuzzy_deinit(&f);
    teardown(&s);
}

TEST(separates_blobs_in_50_dimensions)
{
    Setup s;
    CHECK(setup(&s, 0.5, 3));
    float *y = malloc(N * 2 * sizeof *y);
    Err e = {0};
    UmapStats st;
    CHECK(umap_layout(&s.g, &s.ix, &(UmapDesc){.epochs = EPOCHS}, y, &st, &e));
    CHECK(all_finite(y, N * 2));
    double ratio = blob_ratio(y, N, NB), pure = pure_neighbourhoods(y, N, NB);
    LayoutQuality q;
    CHECK(layoutq_measure(&s.ix, y, 2, 10, N, 1, NULL, &q, &e));
    fprintf(stderr, "    within/between %.3f, pure 10-NN %.3f, 10-NN preservation %.3f, "
            "trustworthiness %.3f, %lld edges\n", ratio, pure, q.preservation,
            q.trustworthiness, (long long)st.edges);
    /* measured 0.028 / 1.00 / 0.287 / 0.965. The PCA start alone gives preservation 0.178
     * (trustworthiness 0.943), the run without repulsion (gamma 1e-6) 0.149 (0.952); a wrong
     * gradient collapses or scatters the blobs (ratio and purity). Within a blob the noise is
     * isotropic, so no layout keeps much more than the blob. */
    CHECKF(ratio < 0.2, "within/between %.3f", ratio);
    CHECKF(pure > 0.95, "pure %.3f", pure);
    CHECKF(q.preservation > 0.23 && q.trustworthiness > 0.955, "%.3f %.3f", q.preservation,
           q.trustworthiness);
    CHECK(st.epochs == EPOCHS && fabs(st.a - 1.5769) < 1e-3);
    free(y);
    teardown(&s);
}

TEST(one_thread_bit_identical)
{
    Setup s;
    CHECK(setup(&s, 0.5, 3));
    float *y1 = malloc(N * 3 * sizeof *y1), *y2 = malloc(N * 3 * sizeof *y2);
    Err e = {0};
    Pool *p1 = pool_create(1);
    UmapDesc d = {.dims = 3, .epochs = 100, .seed = 42, .pool = p1};
    CHECK(umap_layout(&s.g, &s.ix, &d, y1, NULL, &e));
    d.pool = NULL;
    CHECK(umap_layout(&s.g, &s.ix, &d, y2, NULL, &e));
    CHECK(!memcmp(y1, y2, N * 3 * sizeof *y1));
    d.seed = 43;
    CHECK(umap_layout(&s.g, &s.ix, &d, y2, NULL, &e));
    CHECK(memcmp(y1, y2, N * 3 * sizeof *y1));
    CHECK(all_finite(y1, N * 3) && all_finite(y2, N * 3));
    pool_destroy(p1);
    free(y1);
    free(y2);
    teardown(&s);
}

TEST(hogwild_threads_separate_too)
{
    Setup s;
    CHECK(setup(&s, 0.5, 3));
    float *y = malloc(N * 2 * sizeof *y);
    Err e = {0};
    Pool *p = pool_create(3);
    UmapStats st;
    CHECK(umap_layout(&s.g, &s.ix, &(UmapDesc){.epochs = EPOCHS, .pool = p}, y, &st, &e));
    CHECK(st.threads == 3 && all_finite(y, N * 2));
    double pure = pure_neighbourhoods(y, N, NB);
    CHECKF(pure > 0.95 && blob_ratio(y, N, NB) < 0.2, "pure %.3f", pure);
    pool_destroy(p);
    free(y);
    teardown(&s);
}

/* Mean displacement between two layouts of the same rows, over the RMS radius of the first. */
static double moved(const float *a, const float *b, int n)
{
    double ca[2] = {0}, r2 = 0, dsum = 0;
    for (int i = 0; i < n; i++)
        for (int d = 0; d < 2; d++)
            ca[d] += (double)a[i * 2 + d] / n;
    for (int i = 0; i < n; i++) {
        r2 += (pow(a[i * 2] - ca[0], 2) + pow(a[i * 2 + 1] - ca[1], 2)) / n;
        dsum += hypot(a[i * 2] - b[i * 2], a[i * 2 + 1] - b[i * 2 + 1]) / n;
    }
    return dsum / sqrt(r2);
}

/* The vectors move a little (a new snapshot): a warm start from the old layout with 50
 * epochs at a quarter of the learning rate must stay much nearer the old layout than a cold
 * run does, and still keep the blobs apart. */
TEST(warm_start_moves_less_than_cold)
{
    Setup s0, s1;
    CHECK(setup(&s0, 0.5, 3));
    CHECK(setup(&s1, 0.55, 3)); /* same centres and draws, 10% more noise */
    float *y0 = malloc(N * 2 * sizeof *y0), *cold = malloc(N * 2 * sizeof *cold),
          *warm = malloc(N * 2 * sizeof *warm);
    Err e = {0};
    CHECK(umap_layout(&s0.g, &s0.ix, &(UmapDesc){.epochs = EPOCHS}, y0, NULL, &e));
    CHECK(umap_layout(&s1.g, &s1.ix, &(UmapDesc){.epochs = EPOCHS}, cold, NULL, &e));
    CHECK(umap_layout(&s1.g, &s1.ix,
                      &(UmapDesc){.epochs = 50, .learning_rate = 0.25, .init = y0}, warm, NULL,
                      &e));
    double mc = moved(y0, cold, N), mw = moved(y0, warm, N);
    fprintf(stderr, "    moved: cold %.3f, warm %.3f of the layout's radius\n", mc, mw);
    CHECKF(mw < mc / 3, "warm %.3f cold %.3f", mw, mc);
    CHECK(pure_neighbourhoods(warm, N, NB) > 0.95);
    free(y0);
    free(cold);
    free(warm);
    teardown(&s0);
    teardown(&s1);
}

static bool tiny(const float *rows, int n, int dim, float *y, Err *e)
{
    float x[8 * 16] = {0};
    for (int i = 0; i < n; i++)
        for (int j = 0; j < dim; j++)
            x[i * 16 + j] = rows[i * dim + j];
    KnnIndex ix = {0};
    KnnGraph g;
    knngraph_init(&g);
    bool ok = knn_build(&ix, x, n, dim, 16, e) &&
              knngraph_build(&g, &ix, &(KnnGraphDesc){.k = 15}, NULL, e) &&
              umap_layout(&g, &ix, &(UmapDesc){0}, y, NULL, e);
    knngraph_deinit(&g);
    knn_deinit(&ix);
    return ok;
}

TEST(tiny_tables_duplicates_and_zero_rows)
{
    /* rows 3 and 4 duplicate row 0; row 5 is zero */
    const float rows[6 * 3] = {1, 0, 0, 0, 1, 0, 0.6f, 0.8f, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0};
    float y[12];
    Err e = {0};
    for (int n = 1; n <= 6; n++) {
        memset(y, 0x7f, sizeof y);
        CHECKF(tiny(rows, n, 3, y, &e), "%d rows: %s", n, e.msg);
        CHECKF(all_finite(y, n * 2), "%d rows: not finite", n);
    }
    CHECK(tiny(rows, 1, 3, y, &e) && y[0] == 0 && y[1] == 0);
    /* two rows end apart, not on one spot */
    CHECK(tiny(rows, 2, 3, y, &e) && hypotf(y[0] - y[2], y[1] - y[3]) > 1e-3f);
}

/* A warm start's row rates and its schedule: rows with no share of the step stay exactly
 * where they were while the others move; a short run that continues a long run's schedule
 * (sample_epochs) keeps the weak edges a run of its own length would drop. */
TEST(warm_row_rates_and_the_continued_schedule)
{
    Setup s;
    CHECK(setup(&s, 0.5, 3));
    float *y0 = malloc(N * 2 * sizeof *y0), *y = malloc(N * 2 * sizeof *y), *rate = malloc(N * sizeof *rate);
    CHECK(y0 && y && rate);
    Err e = {0};
    UmapStats cold, shortrun, continued;
    CHECK(umap_layout(&s.g, &s.ix, &(UmapDesc){.epochs = EPOCHS}, y0, &cold, &e));
    for (int i = 0; i < N; i++)
        rate[i] = i < N / 2 ? 0.f : 1.f;
    UmapDesc w = {.epochs = 5, .learning_rate = 0.1, .init = y0, .row_rate = rate, .sample_epochs = EPOCHS};
    CHECKF(umap_layout(&s.g, NULL, &w, y, &continued, &e), "%s", e.msg);
    CHECK(!memcmp(y, y0, N / 2 * 2 * sizeof *y)); /* a zero share: not a bit moved */
    CHECK(memcmp(y + N, y0 + N, N / 2 * 2 * sizeof *y));
    w.sample_epochs = 0;
    w.row_rate = NULL;
    CHECK(umap_layout(&s.g, NULL, &w, y, &shortrun, &e));
    CHECKF(continued.edges == cold.edges && shortrun.edges < cold.edges, "edges: cold %lld, continued %lld, "
           "5 epochs alone %lld", (long long)cold.edges, (long long)continued.edges, (long long)shortrun.edges);
    rate[7] = 2;
    w.row_rate = rate;
    CHECK(!umap_layout(&s.g, NULL, &w, y, NULL, &e) && strstr(e.msg, "row 7"));
    w.row_rate = NULL;
    w.sample_epochs = -1;
    CHECK(!umap_layout(&s.g, NULL, &w, y, NULL, &e) && strstr(e.msg, "sample epochs"));
    free(y0);
    free(y);
    free(rate);
    teardown(&s);
}

TEST(bad_parameters_and_start)
{
    Setup s;
    CHECK(setup(&s, 0.5, 3));
    float *y = malloc(N * 3 * sizeof *y);
    Err e = {0};
    CHECK(!umap_layout(&s.g, &s.ix, &(UmapDesc){.dims = 4}, y, NULL, &e) && strstr(e.msg, "dims"));
    CHECK(!umap_layout(&s.g, &s.ix, &(UmapDesc){.neighbors = K + 1}, y, NULL, &e) &&
          strstr(e.msg, "neighbours"));
    CHECK(!umap_layout(&s.g, &s.ix, &(UmapDesc){.min_dist = 3}, y, NULL, &e) &&
          strstr(e.msg, "min_dist"));
    CHECK(!umap_layout(&s.g, NULL, &(UmapDesc){0}, y, NULL, &e) && strstr(e.msg, "vectors"));
    float *init = calloc(N * 2, sizeof *init);
    init[2 * 17 + 1] = NAN;
    CHECK(!umap_layout(&s.g, NULL, &(UmapDesc){.init = init}, y, NULL, &e));
    CHECKF(strstr(e.msg, "row 17"), "%s", e.msg);
    free(init);
    free(y);
    teardown(&s);
}

static bool cancel_at(void *ctx, const char *stage, double f)
{
    (void)stage;
    (void)ctx;
    return f < 0.5;
}

TEST(cancel_leaves_output_alone)
{
    Setup s;
    CHECK(setup(&s, 0.5, 3));
    float *y = malloc(N * 2 * sizeof *y);
    for (int i = 0; i < N * 2; i++)
        y[i] = 7;
    Err e = {0};
    CHECK(!umap_layout(&s.g, &s.ix, &(UmapDesc){.epochs = 20, .progress = cancel_at}, y, NULL,
                       &e));
    CHECK(!strcmp(e.msg, "cancelled") && y[0] == 7 && y[N * 2 - 1] == 7);
    free(y);
    teardown(&s);
}
