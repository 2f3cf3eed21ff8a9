/* knn: exact search against a naive double-precision scan, planted analogies, exclusion,
 * degenerate sizes, and a timing check at the target size (V=100k, dim=300). */
#include "model/vectors/embed.h"
#include "model/vectors/knn.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state = 88172645463325252ull;
static double urand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static float *random_matrix(int64_t rows, int dim, int stride)
{
    float *m = calloc((size_t)(rows * stride), sizeof(float));
    for (int64_t i = 0; i < rows; i++)
        for (int j = 0; j < dim; j++)
            m[i * stride + j] = (float)(urand() * 2 - 1);
    return m;
}

static double naive_cos(const float *x, const float *y, int dim)
{
    double d = 0, nx = 0, ny = 0;
    for (int j = 0; j < dim; j++) {
        d += (double)x[j] * y[j];
        nx += (double)x[j] * x[j];
        ny += (double)y[j] * y[j];
    }
    return (nx > 0 && ny > 0) ? d / sqrt(nx * ny) : 0;
}

/* Compares knn_query's top-k with a full double-precision scan. Float dot products differ
 * from double ones by ~1e-6 for unit vectors of dim <= 300, so ranks may swap only between
 * scores closer than 1e-5; scores themselves must agree to 1e-5. */
static void check_against_naive(int64_t rows, int dim, int stride, int k, int nq)
{
    float *m = random_matrix(rows, dim, stride);
    KnnIndex ix = {0};
    Err e;
    CHECK(knn_build(&ix, m, rows, dim, stride, &e));
    double *ref = malloc((size_t)rows * sizeof(double));
    Neighbour *out = malloc((size_t)k * sizeof(Neighbour));
    float *q = malloc((size_t)dim * sizeof(float));
    int fails = 0;
    for (int t = 0; t < nq && !fails; t++) {
        for (int j = 0; j < dim; j++)
            q[j] = (float)(urand() * 2 - 1) * 3; /* not unit length on purpose */
        for (int64_t i = 0; i < rows; i++)
            ref[i] = naive_cos(m + i * stride, q, dim);
        int n = knn_query(&ix, q, k, NULL, 0, out);
        if (n != (k < rows ? k : rows))
            fails++;
        for (int r = 0; r < n && !fails; r++) {
            /* the r-th score must equal the r-th largest reference score */
            int64_t greater = 0;
            for (int64_t i = 0; i < rows; i++)
                if (ref[i] > ref[out[r].index] + 1e-5)
                    greater++;
            if (greater > r || fabs(ref[out[r].index] - out[r].score) > 1e-5)
                fails++;
            if (r > 0 && out[r].score > out[r - 1].score)
                fails++;
        }
    }
    free(q);
    free(out);
    free(ref);
    free(m);
    knn_deinit(&ix);
    CHECKF(fails == 0, "%d mismatches against the naive scan", fails);
}

TEST(knn_matches_naive_scan)
{
    check_against_naive(1000, 37, 37, 10, 20);  /* odd dim, source stride == dim */
    check_against_naive(777, 300, 304, 25, 5);  /* rows not a multiple of the block */
    check_against_naive(5, 16, 16, 10, 3);      /* k > rows */
}

TEST(knn_exclusion_and_k_larger_than_rows)
{
    float m[4 * 16] = {0};
    m[0 * 16 + 0] = 1;               /* row 0: e0 */
    m[1 * 16 + 0] = 0.9f, m[1 * 16 + 1] = 0.1f;
    m[2 * 16 + 1] = 1;               /* row 2: e1 */
    /* row 3 stays zero */
    KnnIndex ix = {0};
    Err e;
    CHECK(knn_build(&ix, m, 4, 3, 16, &e));
    float q[3] = {2, 0, 0};
    Neighbour out[10];
    int n = knn_query(&ix, q, 10, NULL, 0, out);
    CHECK(n == 4);
    CHECK(out[0].index == 0 && out[1].index == 1 && out[2].index == 2 && out[3].index == 3);
    CHECK_NEAR(out[0].score, 1, 1e-6);
    /* orthogonal row and zero row both score 0: the tie goes to the lower index */
    CHECK(out[2].score == 0 && out[3].score == 0);
    int64_t ex[2] = {0, 2};
    n = knn_query(&ix, q, 10, ex, 2, out);
    CHECK(n == 2 && out[0].index == 1 && out[1].index == 3);
    n = knn_query(&ix, q, 1, ex, 2, out);
    CHECK(n == 1 && out[0].index == 1);
    /* restricted to the first 2 rows with row 0 excluded */
    n = knn_query_restrict(&ix, 2, q, 10, ex, 1, out);
    CHECK(n == 1 && out[0].index == 1);
    /* zero query: no direction, no answer */
    float z[3] = {0, 0, 0};
    CHECK(knn_query(&ix, z, 3, NULL, 0, out) == 0);
    CHECK(knn_query(&ix, q, 0, NULL, 0, out) == 0);
    CHECK_NEAR(knn_cosine(&ix, 0, 1), 0.9 / sqrt(0.82), 1e-6);
    knn_deinit(&ix);
    knn_deinit(&ix); /* idempotent */
}

TEST(knn_nonfinite_rows_become_zero)
{
    float m[2 * 16] = {0};
    m[0] = NAN;
    m[16] = 1;
    KnnIndex ix = {0};
    Err e;
    CHECK(knn_build(&ix, m, 2, 2, 16, &e));
    CHECK(knn_row(&ix, 0)[0] == 0 && knn_row(&ix, 0)[1] == 0);
    CHECK(ix.norm[0] == 0 && ix.norm[1] == 1);
    CHECK(!knn_build(&ix, m, 2, 20, 16, &e)); /* stride < dim */
    CHECK(strstr(e.msg, "stride") != NULL);
    CHECK(ix.rows == 2); /* a failed build leaves the index as it was */
    knn_deinit(&ix);
}

/* The batched scan must give exactly what one query at a time gives (same kernel, same
 * order of summation), including per-query exclusions, a zero query and a row limit. */
TEST(knn_norms_give_the_source_back)
{
    float m[3 * 16] = {0};
    m[0] = 3, m[1] = -4;             /* norm 5 */
    m[16] = 0.001f, m[17] = 0.002f;  /* small */
    KnnIndex ix = {0};
    Err e;
    CHECK(knn_build(&ix, m, 3, 2, 16, &e));
    CHECK_NEAR(ix.norm[0], 5, 1e-6);
    CHECK(ix.norm[2] == 0); /* zero row */
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++)
            CHECK_NEAR(knn_row(&ix, i)[j] * ix.norm[i], m[i * 16 + j], 1e-6 * (1 + fabs(m[i * 16 + j])));
    knn_deinit(&ix);
}

TEST(knn_batch_equals_single_queries)
{
    enum { ROWS = 1000, DIM = 40, NQ = 7, K = 6 };
    float *m = random_matrix(ROWS, DIM, DIM);
    KnnIndex ix = {0};
    Err e;
    CHECK(knn_build(&ix, m, ROWS, DIM, DIM, &e));
    float qs[NQ * DIM];
    int64_t ex[NQ * 2];
    for (int t = 0; t < NQ; t++) {
        for (int j = 0; j < DIM; j++)
            qs[t * DIM + j] = t == 3 ? 0 : (float)(urand() - 0.5);
        ex[2 * t] = t * 10;
        ex[2 * t + 1] = 999 - t;
    }
    memcpy(qs, knn_row(&ix, 5), DIM * sizeof(float)); /* query 0 is row 5 itself */
    for (int64_t limit = 500; limit <= ROWS; limit += 500) {
        Neighbour out[NQ * K], one[K];
        int counts[NQ];
        CHECK(knn_query_batch(&ix, limit, qs, NQ, K, ex, 2, out, counts));
        for (int t = 0; t < NQ; t++) {
            int n = knn_query_restrict(&ix, limit, qs + t * DIM, K, ex + 2 * t, 2, one);
            CHECKF(n == counts[t], "query %d: %d vs %d", t, n, counts[t]);
            for (int r = 0; r < n; r++)
                CHECK(one[r].index == out[t * K + r].index && one[r].score == out[t * K + r].score);
        }
        CHECK(counts[3] == 0);
        CHECK(out[0].index == 5);
    }
    free(m);
    knn_deinit(&ix);
}

/* A parallelogram planted among random vectors: queen = king - man + woman exactly. */
TEST(knn_planted_analogy)
{
    enum { ROWS = 500, DIM = 50, STRIDE = 64 };
    float *m = random_matrix(ROWS, DIM, STRIDE);
    /* rows 10 (man), 11 (king), 12 (woman), 13 (queen); unit-length base vectors so the
     * 3CosAdd point b - a + c of unit vectors is exactly the queen direction */
    const float *bm = m, *bk = m + STRIDE, *bw = m + 2 * STRIDE;
    float base[3][DIM];
    for (int t = 0; t < 3; t++) {
        double n = 0;
        for (int j = 0; j < DIM; j++)
            n += (double)(t == 0 ? bm : t == 1 ? bk : bw)[j] * (t == 0 ? bm : t == 1 ? bk : bw)[j];
        for (int j = 0; j < DIM; j++)
            base[t][j] = (float)((t == 0 ? bm : t == 1 ? bk : bw)[j] / sqrt(n));
    }
    for (int j = 0; j < DIM; j++) {
        m[10 * STRIDE + j] = base[0][j] * 2; /* lengths differ on purpose */
        m[11 * STRIDE + j] = base[1][j];
        m[12 * STRIDE + j] = base[2][j] * 0.5f;
        m[13 * STRIDE + j] = (base[1][j] - base[0][j] + base[2][j]) * 7;
    }
    KnnIndex ix = {0};
    Err e;
    CHECK(knn_build(&ix, m, ROWS, DIM, STRIDE, &e));
    Neighbour out[5];
    float point[DIM];
    int n = knn_analogy(&ix, 10, 11, 12, 0, 5, out, point);
    CHECK(n == 5);
    CHECKF(out[0].index == 13, "got %lld", (long long)out[0].index);
    CHECK_NEAR(out[0].score, 1, 1e-5);
    for (int r = 0; r < n; r++)
        CHECK(out[r].index != 10 && out[r].index != 11 && out[r].index != 12);
    double pn = 0, pq = 0;
    for (int j = 0; j < DIM; j++) {
        pn += (double)point[j] * point[j];
        pq += (double)point[j] * knn_row(&ix, 13)[j];
    }
    CHECK_NEAR(pn, 1, 1e-5);
    CHECK_NEAR(pq, 1, 1e-5);
    n = knn_analogy(&ix, 10, 11, 12, 1, 5, out, NULL);
    CHECK(n == 5 && out[0].index == 13);
    /* 3CosMul score of the winner, recomputed from its definition */
    double ca = (1 + knn_cosine(&ix, 13, 10)) / 2, cb = (1 + knn_cosine(&ix, 13, 11)) / 2,
           cc = (1 + knn_cosine(&ix, 13, 12)) / 2;
    CHECK_NEAR(out[0].score, cb * cc / (ca + 1e-3), 1e-4);
    /* restricted to rows below 13, queen cannot be found */
    n = knn_analogy_restrict(&ix, 13, 10, 11, 12, 0, 5, out, NULL);
    CHECK(n == 5);
    for (int r = 0; r < n; r++)
        CHECK(out[r].index < 13);
    CHECK(knn_analogy(&ix, 10, 11, ROWS, 0, 5, out, NULL) == 0); /* out of range */
    free(m);
    knn_deinit(&ix);
}

/* The design's size, V = 100k, dim = 300: a query over 120 MB answers 10 rows. The speed
 * target (one query <= 10 ms on one core) is measured by bench/analysis.sh, not here: a timing
 * bound fails on a busy machine (it did, at load 9). */
TEST(knn_query_100k_by_300)
{
    enum { ROWS = 100000, DIM = 300 };
    /* filled in place (rows need not be unit length to time a scan), so the test holds one
     * 120 MB matrix rather than a source and its normalised copy */
    KnnIndex ix = {.rows = ROWS, .dim = DIM, .stride = emb_stride(DIM)};
    ix.unit = emb_aligned_alloc((size_t)ROWS * (size_t)ix.stride * sizeof(float));
    CHECK(ix.unit != NULL);
    for (int64_t i = 0; i < ROWS; i++)
        for (int j = 0; j < DIM; j++)
            ix.unit[i * ix.stride + j] = (float)(urand() - 0.5) * 0.1f;
    Neighbour out[10];
    double ms = 1e9; /* the fastest of 10: the machine is shared, contention only adds time */
    for (int r = 0; r < 10; r++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int n = knn_query(&ix, knn_row(&ix, r), 10, NULL, 0, out);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        CHECK(n == 10);
        double t = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        ms = t < ms ? t : ms;
    }
    printf("    knn: %.2f ms per query (V=%d, dim=%d, avx2=%d; informational)\n", ms, ROWS, DIM,
           knn_uses_avx2());
    knn_deinit(&ix);
}
