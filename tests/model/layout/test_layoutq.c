/* Layout quality: a layout that is the vectors themselves keeps every neighbour (preservation
 * and trustworthiness 1), a random layout keeps about k / n, trustworthiness of a random
 * layout sits near 0.5 as its definition says, a sample estimates the full measure, and bad
 * shapes and NaN coordinates are refused. */
#include "model/layout/layoutq.h"
#include "model/base/rng.h"
#include "model/vectors/embed.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>

enum { N = 1500 };

/* N random unit vectors in 3D (stride 16): cosine order is the Euclidean order of the
 * points themselves, so they are their own perfect 3D layout. */
static bool sphere(KnnIndex *ix, float *xyz)
{
    float *x = emb_aligned_alloc(N * 16 * sizeof *x);
    uint64_t s = 17;
    for (int i = 0; i < N; i++) {
        double v[3], n = 0;
        for (int d = 0; d < 3; d++) {
            v[d] = rng_gauss(&s);
            n += v[d] * v[d];
        }
        for (int d = 0; d < 3; d++)
            x[i * 16 + d] = xyz[i * 3 + d] = (float)(v[d] / sqrt(n));
    }
    Err e;
    bool ok = knn_build(ix, x, N, 3, 16, &e);
    free(x);
    return ok;
}

TEST(identity_layout_keeps_everything)
{
    KnnIndex ix = {0};
    float *xyz = malloc(N * 3 * sizeof *xyz);
    CHECK(sphere(&ix, xyz));
    LayoutQuality q;
    Err e = {0};
    Pool *p = pool_create(2);
    CHECK(layoutq_measure(&ix, xyz, 3, 10, N, 1, p, &q, &e));
    /* on the unit sphere |x - y|^2 = 2 - 2 cos: the same order up to float rounding */
    CHECKF(q.preservation > 0.999 && q.trustworthiness > 0.9999, "%.5f %.5f", q.preservation,
           q.trustworthiness);
    CHECK(q.k == 10 && q.samples == N);
    pool_destroy(p);
    knn_deinit(&ix);
    free(xyz);
}

TEST(random_layout_keeps_chance)
{
    KnnIndex ix = {0};
    float *xyz = malloc(N * 3 * sizeof *xyz), *rnd = malloc(N * 2 * sizeof *rnd);
    CHECK(sphere(&ix, xyz));
    uint64_t s = 5;
    for (int i = 0; i < N * 2; i++)
        rnd[i] = (float)rng_uniform01(&s);
    LayoutQuality q, qs;
    Err e = {0};
    CHECK(layoutq_measure(&ix, rnd, 2, 10, N, 1, NULL, &q, &e));
    /* chance: 10 / 1499 = 0.0067; trustworthiness of a random map is ~0.5 (its ranks are
     * uniform over n, and the normalisation makes the mean penalty 1/2) */
    CHECKF(q.preservation < 0.02, "%.4f", q.preservation);
    CHECKF(fabs(q.trustworthiness - 0.5) < 0.03, "%.4f", q.trustworthiness);
    /* a 300-row sample of the identity layout agrees with the full measure */
    CHECK(layoutq_measure(&ix, xyz, 3, 10, 300, 9, NULL, &qs, &e));
    CHECK(qs.samples == 300 && qs.preservation > 0.99);
    CHECK(layoutq_measure(&ix, rnd, 2, 10, 300, 9, NULL, &qs, &e));
    CHECK(fabs(qs.trustworthiness - q.trustworthiness) < 0.03);
    knn_deinit(&ix);
    free(xyz);
    free(rnd);
}

TEST(refuses_bad_input)
{
    KnnIndex ix = {0};
    float *xyz = malloc(N * 3 * sizeof *xyz);
    CHECK(sphere(&ix, xyz));
    LayoutQuality q;
    Err e = {0};
    xyz[3 * 7 + 1] = NAN;
    CHECK(!layoutq_measure(&ix, xyz, 3, 10, N, 1, NULL, &q, &e));
    CHECKF(strstr(e.msg, "row 7") && strstr(e.msg, "not finite"), "%s", e.msg);
    CHECK(!layoutq_measure(&ix, xyz, 4, 10, N, 1, NULL, &q, &e));
    /* two rows: k is cut to 1, and the only neighbour is kept */
    KnnIndex two = {0};
    float x[32] = {1, 0}, y2[4] = {0, 0, 1, 1};
    x[16 + 1] = 1;
    CHECK(knn_build(&two, x, 2, 2, 16, &e));
    CHECK(layoutq_measure(&two, y2, 2, 10, 1000, 1, NULL, &q, &e));
    CHECK(q.k == 1 && q.preservation == 1);
    KnnIndex one = {0};
    CHECK(knn_build(&one, x, 1, 2, 16, &e));
    CHECK(!layoutq_measure(&one, y2, 2, 10, 1000, 1, NULL, &q, &e));
    knn_deinit(&one);
    knn_deinit(&two);
    knn_deinit(&ix);
    free(xyz);
}
