/* Positional-embedding view: locality of the sinusoidal table (pos 5 is nearer pos 6 than pos
 * 100), its smooth PCA path against a random table's cloud, the similarity matrix against the
 * probes, the size cap, a caller's table through the same path, and failures leaving the view
 * untouched. */
#include "model/analysis/posview.h"
#include "tests/test.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* mean distance between consecutive positions over the RMS radius of the projected cloud */
static double step_ratio(const PosView *v)
{
    double m[3] = {0, 0, 0}, r2 = 0, step = 0;
    int64_t n = v->table.rows;
    for (int64_t i = 0; i < n; i++)
        for (int j = 0; j < 3; j++)
            m[j] += v->xyz[i * 3 + j] / (double)n;
    for (int64_t i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < 3; j++) {
            double d = v->xyz[i * 3 + j] - m[j];
            r2 += d * d / (double)n;
            if (i > 0) {
                double dd = v->xyz[i * 3 + j] - v->xyz[(i - 1) * 3 + j];
                s += dd * dd;
            }
        }
        step += sqrt(s) / (double)(n - 1);
    }
    return step / sqrt(r2);
}

TEST(sinusoidal_neighbours_are_close)
{
    PosView v;
    posview_init(&v);
    Err e = {{0}};
    CHECKF(posview_build(&v, &(PosEncDesc){.kind = POSENC_SINUSOIDAL}, &e), "%s", e.msg);
    CHECK(v.desc.max_len == 512 && v.desc.dim == 768 && v.nsim == 512 && v.table.rows == 512);
    PosDist near = posview_distance(&v, 5, 6), far = posview_distance(&v, 5, 100);
    CHECKF(near.euclidean < far.euclidean, "|5-6| %.3f |5-100| %.3f", near.euclidean, far.euclidean);
    CHECKF(near.cosine > far.cosine, "cos 5,6 %.3f cos 5,100 %.3f", near.cosine, far.cosine);
    /* the matrix is float, the probe double: agree to float rounding over 768 terms */
    CHECK_NEAR(v.sim[5 * v.nsim + 6], near.cosine, 1e-4);
    CHECK_NEAR(v.sim[100 * v.nsim + 5], far.cosine, 1e-4);
    CHECK_NEAR(v.sim[7 * v.nsim + 7], 1.0, 1e-5);
    /* a smooth path: each step is a few percent of the cloud's radius (measured 0.012) */
    double r = step_ratio(&v);
    CHECKF(r < 0.15, "step / radius %.3f", r);
    CHECK(v.explained[0] > 0 && v.explained[0] >= v.explained[1] && v.explained[1] >= v.explained[2]);
    posview_deinit(&v);
}

TEST(random_table_is_a_cloud)
{
    PosView v;
    posview_init(&v);
    Err e = {{0}};
    CHECKF(posview_build(&v, &(PosEncDesc){.kind = POSENC_RANDOM, .max_len = 256, .dim = 256}, &e),
           "%s", e.msg);
    /* cosines of independent N(0,1) vectors in 256 dims have sd 1/16: 5 sd */
    PosDist near = posview_distance(&v, 5, 6);
    CHECKF(fabs(near.cosine) < 5.0 / 16, "cos %.3f", near.cosine);
    /* consecutive positions are as far apart as any two: steps of about the radius x sqrt 2
     * (measured 1.30) */
    double r = step_ratio(&v);
    CHECKF(r > 0.8, "step / radius %.3f", r);
    posview_deinit(&v);
}

TEST(similarity_is_capped_and_probes_clamp)
{
    PosView v;
    posview_init(&v);
    Err e = {{0}};
    CHECKF(posview_build(&v, &(PosEncDesc){.max_len = POSVIEW_MAX_SIM + 100, .dim = 8}, &e), "%s",
           e.msg);
    CHECK(v.nsim == POSVIEW_MAX_SIM && v.table.rows == POSVIEW_MAX_SIM + 100);
    PosDist a = posview_distance(&v, -5, 1e9), b = posview_distance(&v, 0, v.table.rows - 1);
    CHECK(a.euclidean == b.euclidean && a.cosine == b.cosine);
    PosDist self = posview_distance(&v, 3, 3);
    CHECK(self.euclidean == 0);
    posview_deinit(&v);
}

TEST(failure_leaves_view_untouched)
{
    PosView v;
    posview_init(&v);
    Err e = {{0}};
    CHECK(posview_build(&v, &(PosEncDesc){.max_len = 64, .dim = 16}, &e));
    float *sim = v.sim;
    CHECK(!posview_build(&v, &(PosEncDesc){.max_len = 1, .dim = 16}, &e));
    CHECK(e.msg[0] != 0);
    CHECK(!posview_build(&v, &(PosEncDesc){.max_len = 64, .dim = EMB_MAX_DIM + 1}, &e));
    CHECK(v.sim == sim && v.table.rows == 64 && v.desc.dim == 16);
    posview_deinit(&v);
    posview_deinit(&v); /* deinit twice is fine */
}

/* A caller's table goes through the same projection and similarity: the sinusoidal table
 * copied out and built again gives the same view, bit for bit. */
TEST(caller_table_matches_built_table)
{
    PosView a, b;
    posview_init(&a);
    posview_init(&b);
    Err e = {{0}};
    CHECKF(posview_build(&a, &(PosEncDesc){.max_len = 128, .dim = 32}, &e), "%s", e.msg);
    float *dense = malloc(128 * 32 * sizeof *dense);
    CHECK(dense);
    for (int i = 0; i < 128; i++)
        memcpy(dense + i * 32, emb_row(&a.table, i), 32 * sizeof *dense);
    CHECKF(posview_build_table(&b, dense, 128, 32, &e), "%s", e.msg);
    CHECK(b.from_table && !a.from_table);
    CHECK(b.desc.max_len == 128 && b.desc.dim == 32 && b.nsim == 128 && b.table.rows == 128);
    CHECK(memcmp(a.sim, b.sim, 128 * 128 * sizeof *a.sim) == 0);
    CHECK(memcmp(a.xyz, b.xyz, 128 * 3 * sizeof *a.xyz) == 0);
    PosDist near = posview_distance(&b, 5, 6), far = posview_distance(&b, 5, 100);
    CHECK(near.cosine > far.cosine);
    free(dense);
    posview_deinit(&a);
    posview_deinit(&b);
}

/* A diverged training's table (a NaN), one row, no columns: an error, the view kept. */
TEST(bad_caller_table_leaves_view_untouched)
{
    PosView v;
    posview_init(&v);
    Err e = {{0}};
    float t[3 * 4] = {0};
    for (int k = 0; k < 12; k++)
        t[k] = (float)(k % 5) - 2.f;
    CHECKF(posview_build_table(&v, t, 3, 4, &e), "%s", e.msg);
    float *sim = v.sim;
    t[6] = NAN;
    CHECK(!posview_build_table(&v, t, 3, 4, &e));
    CHECKF(strstr(e.msg, "row 1 column 2") != NULL, "%s", e.msg);
    CHECK(!posview_build_table(&v, t, 1, 4, &e));
    CHECK(!posview_build_table(&v, t, 3, 0, &e));
    CHECK(v.sim == sim && v.table.rows == 3 && v.desc.dim == 4 && v.from_table);
    posview_deinit(&v);
}
