/* The negative-sampling kernels' copies against each other on small fixed data: the AVX-512
 * kernels (sgns_avx512.h, where the CPU has them) against the portable ones, and the portable
 * HogBatch step against its definition written as dots and axpys. Odd dims (masked tails),
 * repeated output rows and a context word twice in the window are included. */
#include "model/train/sgns.h"
#include "model/train/sgns_avx512.h"
#include "tests/test.h"
#include <math.h>
#include <string.h>

enum { STRIDE = 144, ROWS = 9, M = 7, N = 6 };

static float sig[SGNS_TABLE_SIZE + 1];

/* Fixed pseudo-random values in [-0.5, 0.5) / 2 from an LCG: the same data on every run. */
static void fill(float *x, int count, uint64_t seed)
{
    for (int i = 0; i < count; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        x[i] = (float)((double)(seed >> 40) / 16777216.0 - 0.5) * 0.5f;
    }
}

/* Largest |a - b| relative to max(|b|, 1e-3) over count floats. */
static double rel_diff(const float *a, const float *b, int count)
{
    double worst = 0;
    for (int i = 0; i < count; i++) {
        double d = fabs((double)a[i] - b[i]) / fmax(fabs((double)b[i]), 1e-3);
        worst = fmax(worst, d);
    }
    return worst;
}

/* Outputs 2 and 5 repeat (a negative drawn twice), context row 1 appears twice (in[1], in[4]). */
static const int32_t targets[N] = {3, 2, 7, 2, 0, 5};

/* The targets' rows of U. */
static void rows_of(float *U, float *out[N])
{
    for (int k = 0; k < N; k++)
        out[k] = U + targets[k] * STRIDE;
}

/* The two kernels' results agree to rounding: sums of <= 128 products of values < 0.25 each
 * rounded at 6e-8 relative, so 1e-5 relative (over max(|x|, 1e-3)) is ~100 roundings; a
 * sigmoid-table index that flips on such a difference would show as a 3e-3 x alpha jump, and
 * on this fixed data none does. A wrong row or a missing term is off by ~alpha x 0.06. */
#define TOL 1e-5

#ifdef SGNS512_BUILT
TEST(avx512_ns_step_matches_portable)
{
    if (!sgns512_usable(100))
        SKIP("this CPU has no AVX-512F");
    sgns_init_table(sig);
    const int dims[] = {1, 15, 16, 37, 100, 128};
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; t++) {
        int dim = dims[t];
        float U[ROWS * STRIDE], U2[ROWS * STRIDE], h[STRIDE], g1[STRIDE], g2[STRIDE];
        fill(U, ROWS * STRIDE, 1 + (uint64_t)dim);
        fill(h, STRIDE, 99);
        fill(g1, STRIDE, 7);
        memcpy(U2, U, sizeof U);
        memcpy(g2, g1, sizeof g1);
        float *o1[N], *o2[N];
        rows_of(U, o1);
        rows_of(U2, o2);
        float l1 = sgns_ns_step_portable(h, g1, o1, N, dim, 0.05f, sig, 1);
        float l2 = sgns512_ns_step(h, g2, o2, N, dim, 0.05f, sig, 1);
        CHECK_NEAR(l2, l1, 1e-5 * fabs(l1));
        CHECKF(rel_diff(g2, g1, dim) <= TOL, "dim %d: grad differs by %g", dim, rel_diff(g2, g1, dim));
        CHECKF(rel_diff(U2, U, ROWS * STRIDE) <= TOL, "dim %d: outputs differ", dim);
        /* floats past dim (the row's padding) are never written */
        CHECK(!memcmp(g2 + dim, g1 + dim, sizeof(float) * (size_t)(STRIDE - dim)));
    }
}
#endif

/* One HogBatch step with in[] over X (rows 0..4 of X, row 1 twice). */
static float batch(int avx512, float *X, float *U, int dim, float *work)
{
    float *in[M] = {X, X + STRIDE, X + 2 * STRIDE, X + 3 * STRIDE, X + STRIDE,
                    X + 4 * STRIDE, X + 5 * STRIDE};
    float *out[N];
    rows_of(U, out);
#ifdef SGNS512_BUILT
    if (avx512)
        return sgns512_batch_step(in, M, out, N, dim, 0.05f, sig, work, 1);
#endif
    (void)avx512;
    return sgns_batch_step_portable(in, M, out, N, dim, 0.05f, sig, work, 1);
}
#ifdef SGNS512_BUILT

TEST(avx512_batch_step_matches_portable)
{
    if (!sgns512_usable(100))
        SKIP("this CPU has no AVX-512F");
    sgns_init_table(sig);
    const int dims[] = {1, 15, 16, 37, 100, 128};
    static float work[(M + N) * STRIDE + M * N];
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; t++) {
        int dim = dims[t];
        float X[6 * STRIDE], X2[6 * STRIDE], U[ROWS * STRIDE], U2[ROWS * STRIDE];
        fill(X, 6 * STRIDE, 3 + (uint64_t)dim);
        fill(U, ROWS * STRIDE, 5 + (uint64_t)dim);
        memcpy(X2, X, sizeof X);
        memcpy(U2, U, sizeof U);
        float l1 = batch(0, X, U, dim, work), l2 = batch(1, X2, U2, dim, work);
        CHECK_NEAR(l2, l1, 1e-5 * fabs(l1));
        CHECKF(rel_diff(X2, X, 6 * STRIDE) <= TOL, "dim %d: inputs differ by %g", dim,
               rel_diff(X2, X, 6 * STRIDE));
        CHECKF(rel_diff(U2, U, ROWS * STRIDE) <= TOL, "dim %d: outputs differ by %g", dim,
               rel_diff(U2, U, ROWS * STRIDE));
    }
}

#endif

/* The portable HogBatch step is, bit for bit, its definition: F = X O^T through sgns_dot,
 * G = (labels - sigmoid(F)) alpha, dX = G O and dO = G^T X as axpys from zero in row order
 * (all from the old values), then the rows take them in order. */
TEST(portable_batch_step_is_its_definition)
{
    sgns_init_table(sig);
    static float work[(M + N) * STRIDE + M * N];
    const int dims[] = {5, 37, 100};
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; t++) {
        int dim = dims[t];
        float X[6 * STRIDE], X2[6 * STRIDE], U[ROWS * STRIDE], U2[ROWS * STRIDE];
        fill(X, 6 * STRIDE, 11 + (uint64_t)dim);
        fill(U, ROWS * STRIDE, 13 + (uint64_t)dim);
        memcpy(X2, X, sizeof X);
        memcpy(U2, U, sizeof U);
        batch(0, X, U, dim, work);
        float *in[M] = {X2, X2 + STRIDE, X2 + 2 * STRIDE, X2 + 3 * STRIDE, X2 + STRIDE,
                        X2 + 4 * STRIDE, X2 + 5 * STRIDE};
        static float G[M * N], dX[M * STRIDE], dO[N * STRIDE];
        memset(dX, 0, sizeof dX);
        memset(dO, 0, sizeof dO);
        for (int c = 0; c < M; c++)
            for (int k = 0; k < N; k++)
                G[c * N + k] = ((k == 0 ? 1.0f : 0.0f) -
                                sgns_sigmoid(sig, sgns_dot(in[c], U2 + targets[k] * STRIDE, dim))) *
                               0.05f;
        for (int c = 0; c < M; c++)
            for (int k = 0; k < N; k++)
                sgns_axpy(dX + c * STRIDE, G[c * N + k], U2 + targets[k] * STRIDE, dim);
        for (int k = 0; k < N; k++)
            for (int c = 0; c < M; c++)
                sgns_axpy(dO + k * STRIDE, G[c * N + k], in[c], dim);
        for (int c = 0; c < M; c++)
            sgns_axpy(in[c], 1.0f, dX + c * STRIDE, dim);
        for (int k = 0; k < N; k++)
            sgns_axpy(U2 + targets[k] * STRIDE, 1.0f, dO + k * STRIDE, dim);
        CHECKF(!memcmp(X, X2, sizeof X), "dim %d: input rows differ", dim);
        CHECKF(!memcmp(U, U2, sizeof U), "dim %d: output rows differ", dim);
    }
}
