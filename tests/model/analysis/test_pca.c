/* PCA (pca.c and its solver subspace.c) against references: planted covariances, a full Jacobi
 * eigen-decomposition of the sample covariance (computed here in double), orientation
 * stability and failure cases. Single-threaded, except the pool of threads_agree_with_one. */
#include "model/vectors/embed.h"
#include "model/analysis/pca.h"
#include "model/analysis/subspace.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double rng_gauss(uint64_t *s)
{
    double u = ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
    double v = ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* A random orthonormal (n, n) matrix (rows), by Gram-Schmidt of Gaussian rows. */
static void random_rotation(double *r, int n, uint64_t seed)
{
    for (int i = 0; i < n * n; i++)
        r[i] = rng_gauss(&seed);
    for (int j = 0; j < n; j++) {
        double *v = r + j * n;
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < j; i++) {
                double c = 0;
                for (int d = 0; d < n; d++)
                    c += r[i * n + d] * v[d];
                for (int d = 0; d < n; d++)
                    v[d] -= c * r[i * n + d];
            }
        double nrm = 0;
        for (int d = 0; d < n; d++)
            nrm += v[d] * v[d];
        for (int d = 0; d < n; d++)
            v[d] /= sqrt(nrm);
    }
}

/* rows x dim data with covariance R^T diag(lambda) R plus a mean offset, stride padded. */
static float *planted(int64_t rows, int dim, int stride, const double *lambda, const double *rot,
                      double offset, uint64_t seed)
{
    float *x = emb_aligned_alloc(sizeof(float) * (size_t)rows * (size_t)stride);
    double *g = malloc(sizeof(double) * (size_t)dim);
    for (int64_t r = 0; r < rows; r++) {
        for (int j = 0; j < dim; j++)
            g[j] = sqrt(lambda[j]) * rng_gauss(&seed);
        for (int d = 0; d < dim; d++) {
            double acc = offset * (d % 3 == 0 ? 1 : -0.5);
            for (int j = 0; j < dim; j++)
                acc += g[j] * rot[j * dim + d];
            x[r * stride + d] = (float)acc;
        }
    }
    free(g);
    return x;
}

/* Eigen-decomposition of the sample covariance of x (optionally of its unit rows), in double. */
static void reference_pca(const float *x, int64_t rows, int dim, int stride, bool spherize,
                          double *val, double *vec)
{
    double *mean = calloc((size_t)dim, sizeof(double));
    double *cov = calloc((size_t)dim * (size_t)dim, sizeof(double));
    double *z = malloc(sizeof(double) * (size_t)dim);
    for (int pass = 0; pass < 2; pass++)
        for (int64_t r = 0; r < rows; r++) {
            double n2 = 0;
            for (int d = 0; d < dim; d++)
                n2 += (double)x[r * stride + d] * x[r * stride + d];
            double inv = spherize ? 1 / sqrt(n2) : 1;
            for (int d = 0; d < dim; d++)
                z[d] = x[r * stride + d] * inv;
            if (pass == 0) {
                for (int d = 0; d < dim; d++)
                    mean[d] += z[d] / (double)rows;
            } else {
                for (int a = 0; a < dim; a++)
                    for (int b = 0; b < dim; b++)
                        cov[a * dim + b] += (z[a] - mean[a]) * (z[b] - mean[b]) / (double)rows;
            }
        }
    subspace_sym_eigen(cov, dim, val, vec);
    free(mean);
    free(cov);
    free(z);
}

static double absdot(const double *a, const double *b, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return fabs(s);
}

TEST(jacobi_recovers_known_matrix)
{
    enum { N = 12 };
    double rot[N * N], a[N * N], val[N], vec[N * N], lam[N];
    random_rotation(rot, N, 7);
    for (int i = 0; i < N; i++)
        lam[i] = 10.0 - i * 0.75 + (i == 5 ? -3.1 : 0); /* not sorted: 5 sits below 6 */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double acc = 0;
            for (int k = 0; k < N; k++)
                acc += rot[k * N + i] * lam[k] * rot[k * N + j];
            a[i * N + j] = acc;
        }
    subspace_sym_eigen(a, N, val, vec);
    for (int i = 0; i + 1 < N; i++)
        CHECK(val[i] >= val[i + 1]);
    /* each planted eigenpair appears; 1e-10 is ~1e5 ulps of values near 10 */
    for (int k = 0; k < N; k++) {
        int found = 0;
        for (int i = 0; i < N; i++)
            if (fabs(val[i] - lam[k]) < 1e-10 && absdot(vec + i * N, rot + k * N, N) > 1 - 1e-10)
                found = 1;
        CHECKF(found, "eigenpair %d (%g) not recovered", k, lam[k]);
    }
}

TEST(planted_covariance_recovered)
{
    enum { D = 20, S = 32 };
    const int64_t rows = 20000;
    double lam[D], rot[D * D];
    for (int j = 0; j < D; j++)
        lam[j] = j == 0 ? 25 : j == 1 ? 16 : j == 2 ? 9 : 1.0 / (j + 1);
    random_rotation(rot, D, 11);
    float *x = planted(rows, D, S, lam, rot, 3.0, 5);
    Pca p;
    pca_init(&p, &(PcaDesc){.k = 3, .spherize = -1});
    Err e = {0};
    CHECKF(pca_update(&p, x, rows, D, S, &e), "%s", e.msg);
    CHECK(p.converged && !p.spherize && p.moved == -1);
    /* sampling: a variance estimate from n Gaussian draws has relative sd sqrt(2/n) = 1%, so
     * 5% is 5 sd; eigenvector angle error ~ sqrt(l1 l2 / ((l1-l2)^2 n)) = 0.016 rad, so
     * |cos| > 0.995 (angle < 0.1 rad) leaves a wide margin */
    for (int j = 0; j < 3; j++) {
        CHECK_NEAR(p.var[j] / lam[j], 1.0, 0.05);
        CHECKF(absdot(p.basis + j * D, rot + j * D, D) > 0.995, "component %d", j);
    }
    double total = 0;
    for (int j = 0; j < D; j++)
        total += lam[j];
    CHECK_NEAR(p.total_var / total, 1.0, 0.05);
    CHECK_NEAR(p.explained[0], 25 / total, 0.05 * 25 / total);
    pca_deinit(&p);
    free(x);
}

/* Warm refreshes tracking data that drifts agree with a from-scratch Jacobi solution. */
TEST(warm_updates_match_jacobi)
{
    enum { D = 64, S = 64 }; /* dim >= 50: spherize on by default */
    const int64_t rows = 6000;
    double lam[D], rot[D * D], val[D], vec[D * D];
    for (int j = 0; j < D; j++)
        lam[j] = 8.0 / (j + 1) + 0.05;
    random_rotation(rot, D, 3);
    float *x = planted(rows, D, S, lam, rot, 1.0, 9);
    Pca p;
    pca_init(&p, &(PcaDesc){.k = 3, .warm_passes = 3, .tol = 1e-7});
    Err e = {0};
    CHECKF(pca_update(&p, x, rows, D, S, &e), "%s", e.msg);
    CHECK(p.spherize);
    uint64_t s = 99;
    for (int step = 0; step < 6; step++) { /* drift: a small random change to every entry */
        for (int64_t i = 0; i < rows * S; i++)
            if (i % S < D)
                x[i] += (float)(0.05 * rng_gauss(&s));
        CHECKF(pca_update(&p, x, rows, D, S, &e), "%s", e.msg);
        CHECK(p.moved >= 0);
    }
    /* two more warm refreshes on the final data converge the tracked subspace */
    CHECK(pca_update(&p, x, rows, D, S, &e) && pca_update(&p, x, rows, D, S, &e));
    reference_pca(x, rows, D, S, true, val, vec);
    /* float sums over 6000 rows: relative error ~ 1e-6; gaps here are > 30%, so the
     * eigenvectors are determined to ~ residual / gap; 1e-4 and 1e-4 leave room for both */
    for (int j = 0; j < 3; j++) {
        CHECK_NEAR(p.var[j] / val[j], 1.0, 1e-4);
        CHECKF(absdot(p.basis + j * D, vec + j * D, D) > 1 - 1e-4, "component %d: %.9f", j,
               absdot(p.basis + j * D, vec + j * D, D));
    }
    double total = 0;
    for (int j = 0; j < D; j++)
        total += val[j];
    CHECK_NEAR(p.total_var / total, 1.0, 1e-4);
    pca_deinit(&p);
    free(x);
}

static float max_abs_diff(const float *a, const float *b, size_t n)
{
    float m = 0;
    for (size_t i = 0; i < n; i++)
        m = fmaxf(m, fabsf(a[i] - b[i]));
    return m;
}

TEST(perturbed_starts_give_same_coordinates)
{
    enum { D = 30, S = 32 };
    const int64_t rows = 5000;
    double lam[D], rot[D * D];
    for (int j = 0; j < D; j++)
        lam[j] = 10.0 / (j + 1);
    random_rotation(rot, D, 21);
    float *x = planted(rows, D, S, lam, rot, 0.5, 2);
    float *c1 = malloc(sizeof(float) * (size_t)rows * 3), *c2 = malloc(sizeof(float) * (size_t)rows * 3);
    float *c3 = malloc(sizeof(float) * (size_t)rows * 3);
    Pca a, b, c;
    pca_init(&a, &(PcaDesc){.seed = 1, .tol = 1e-6, .cold_passes = 200});
    pca_init(&b, &(PcaDesc){.seed = 12345, .tol = 1e-6, .cold_passes = 200});
    pca_init(&c, &(PcaDesc){.warm_passes = 40, .tol = 1e-6});
    Err e = {0};
    CHECK(pca_update(&a, x, rows, D, S, &e) && pca_update(&b, x, rows, D, S, &e));
    /* c starts warm from the planted axes turned by a small random rotation */
    double start[3 * D];
    uint64_t s = 4;
    for (int i = 0; i < 3 * D; i++)
        start[i] = rot[i] + 0.2 * rng_gauss(&s);
    CHECKF(pca_set_basis(&c, start, 3, D, &e), "%s", e.msg);
    CHECKF(pca_update(&c, x, rows, D, S, &e), "%s", e.msg);
    CHECK(a.converged && b.converged && c.converged);
    CHECK(pca_project(&a, x, rows, D, S, NULL, 3, c1, &e));
    CHECK(pca_project(&b, x, rows, D, S, NULL, 3, c2, &e));
    CHECK(pca_project(&c, x, rows, D, S, NULL, 3, c3, &e));
    /* c aligned its signs to the perturbed planted axes, a and b chose canonical signs */
    for (int j = 0; j < 3; j++) {
        double sgn = 0;
        for (int i = 0; i < D; i++)
            sgn += a.basis[j * D + i] * c.basis[j * D + i];
        if (sgn < 0)
            for (int64_t r = 0; r < rows; r++)
                c3[r * 3 + j] = -c3[r * 3 + j];
    }
    /* coordinates are O(sqrt(10)); residual 1e-6 leaves axis errors ~ 1e-5, and float
     * projection adds ~1e-6: 1e-3 absolute is a generous bound that a wrong or swapped axis
     * (differences of order 1) cannot meet */
    CHECKF(max_abs_diff(c1, c2, (size_t)rows * 3) < 1e-3, "a vs b %g",
           max_abs_diff(c1, c2, (size_t)rows * 3));
    CHECKF(max_abs_diff(c1, c3, (size_t)rows * 3) < 1e-3, "a vs c %g",
           max_abs_diff(c1, c3, (size_t)rows * 3));
    pca_deinit(&a);
    pca_deinit(&b);
    pca_deinit(&c);
    free(x), free(c1), free(c2), free(c3);
}

TEST(orientation_is_kept)
{
    enum { D = 16, S = 16 };
    const int64_t rows = 8000;
    double lam[D], rot[D * D];
    for (int j = 0; j < D; j++)
        lam[j] = j < 2 ? 9 : 1.0 / (j + 1); /* PC1 and PC2 tie: any rotation of them is valid */
    random_rotation(rot, D, 8);
    Pca p;
    pca_init(&p, &(PcaDesc){.k = 3, .spherize = -1});
    Err e = {0};
    float *x = planted(rows, D, S, lam, rot, 0, 31);
    CHECK(pca_update(&p, x, rows, D, S, &e));
    /* flip the reference frame: warm refreshes must follow the flipped signs */
    double flipped[3 * D];
    for (int i = 0; i < 3 * D; i++)
        flipped[i] = -p.basis[i];
    CHECK(pca_set_basis(&p, flipped, 3, D, &e));
    for (int round = 0; round < 5; round++) {
        /* fresh samples of the same distribution: the PC1/PC2 plane is the same, but the sample
         * eigenvectors inside it spin freely from sample to sample */
        free(x);
        x = planted(rows, D, S, lam, rot, 0, 100 + (uint64_t)round);
        double prev[3 * D];
        memcpy(prev, p.basis, sizeof prev);
        CHECKF(pca_update(&p, x, rows, D, S, &e), "%s", e.msg);
        /* sampling noise moves the plane by ~ 1/sqrt(n) ~ 0.011 rad; a spin or flip moves
         * axes by O(1) */
        for (int j = 0; j < 3; j++) {
            double c = 0;
            for (int i = 0; i < D; i++)
                c += prev[j * D + i] * p.basis[j * D + i];
            CHECKF(c > 0.98, "round %d: axis %d turned (cos %g)", round, j, c);
        }
        CHECKF(p.moved < 0.05, "round %d moved %g", round, p.moved);
    }
    pca_deinit(&p);
    free(x);
}

TEST(moved_measures_a_shift)
{
    enum { D = 10, S = 16 };
    const int64_t rows = 4000;
    double lam[D], rot[D * D];
    for (int j = 0; j < D; j++)
        lam[j] = 10.0 / (1 << j);
    random_rotation(rot, D, 5);
    float *x = planted(rows, D, S, lam, rot, 0, 3);
    Pca p;
    pca_init(&p, &(PcaDesc){.k = 3, .spherize = -1, .tol = 1e-8});
    Err e = {0};
    CHECK(pca_update(&p, x, rows, D, S, &e));
    /* shift every row by 2 along PC1: the frame's centre moves by 2, axes stay */
    double sum = p.var[0] + p.var[1] + p.var[2];
    for (int64_t r = 0; r < rows; r++)
        for (int d = 0; d < D; d++)
            x[r * S + d] += (float)(2 * p.basis[d]);
    CHECK(pca_update(&p, x, rows, D, S, &e));
    /* expected 2 / sqrt(sum of the three variances); the axes barely move (the data is the
     * same up to translation), so 2% covers the float rounding of the pass */
    CHECK_NEAR(p.moved, 2 / sqrt(sum), 0.02 * 2 / sqrt(sum));
    CHECK(pca_update(&p, x, rows, D, S, &e));
    CHECK(p.moved < 1e-3);
    pca_deinit(&p);
    free(x);
}

TEST(threads_agree_with_one)
{
    enum { D = 100, S = 112 };
    const int64_t rows = 3001;
    double lam[D], rot[D * D];
    for (int j = 0; j < D; j++)
        lam[j] = 5.0 / (j + 1);
    random_rotation(rot, D, 15);
    float *x = planted(rows, D, S, lam, rot, 0.3, 4);
    Pca a, b;
    /* a fixed number of passes, so both do the same arithmetic up to summation order */
    Pool *three = pool_create(3);
    CHECK(pool_threads(three) == 3);
    pca_init(&a, &(PcaDesc){.cold_passes = 8, .tol = 1e-12});
    pca_init(&b, &(PcaDesc){.pool = three, .cold_passes = 8, .tol = 1e-12});
    Err e = {0};
    CHECK(pca_update(&a, x, rows, D, S, &e) && pca_update(&b, x, rows, D, S, &e));
    CHECK(a.passes == 8 && b.passes == 8);
    /* only the grouping of float partial sums differs: relative ~1e-6 */
    for (int j = 0; j < 3; j++) {
        CHECK_NEAR(a.var[j] / b.var[j], 1.0, 1e-5);
        CHECK(absdot(a.basis + j * D, b.basis + j * D, D) > 1 - 1e-6);
    }
    pca_deinit(&a);
    pca_deinit(&b);
    pool_destroy(three);
    free(x);
}

TEST(failures_leave_state)
{
    enum { D = 8, S = 16 };
    double lam[D], rot[D * D];
    for (int j = 0; j < D; j++)
        lam[j] = 8 - j;
    random_rotation(rot, D, 1);
    float *x = planted(100, D, S, lam, rot, 0, 1);
    Pca p;
    pca_init(&p, NULL);
    Err e = {0};
    CHECK(!pca_update(&p, x, 1, D, S, &e) && strstr(e.msg, "rows"));
    CHECK(!pca_update(&p, x, 100, D, D - 1, &e));
    CHECK(!pca_project(&p, x, 100, D, S, NULL, 2, x, &e)); /* no basis yet */
    CHECK(pca_update(&p, x, 100, D, S, &e));
    double before[3 * D], var0 = p.var[0];
    memcpy(before, p.basis, sizeof before);
    x[5 * S + 3] = NAN;
    CHECK(!pca_update(&p, x, 100, D, S, &e) && strstr(e.msg, "NaN"));
    CHECK(memcmp(before, p.basis, sizeof before) == 0 && p.var[0] == var0);
    float out[300];
    CHECK(!pca_project(&p, x, 100, D, S, (int[]){0, 7}, 2, out, &e) && strstr(e.msg, "8"));
    CHECK(!pca_project(&p, x, 100, D, S, NULL, 4, out, &e));
    pca_deinit(&p);
    pca_deinit(NULL);
    free(x);
}

TEST(rank_deficient_data_converges)
{
    /* 3 rows span a 2-d affine plane: PC3 has no variance and must not hold up convergence */
    enum { D = 300, S = 304 };
    float *x = emb_aligned_alloc(sizeof(float) * 3 * S);
    for (int i = 0; i < D; i++) {
        x[i] = 1;
        x[S + i] = (float)i / D;
        x[2 * S + i] = -1;
    }
    Pca p;
    pca_init(&p, NULL);
    Err e = {0};
    CHECKF(pca_update(&p, x, 3, D, S, &e), "%s", e.msg);
    CHECKF(p.converged && p.passes <= 5, "%d passes", p.passes);
    /* two directions carry all the variance: float sums leave ~1e-7 elsewhere */
    CHECK_NEAR(p.explained[0] + p.explained[1], 1.0, 1e-5);
    CHECK(p.var[2] < 1e-5 * p.var[0]);
    float out[9];
    CHECK(pca_project(&p, x, 3, D, S, NULL, 3, out, &e));
    for (int c = 0; c < 3; c++) /* coordinates are centred */
        CHECK_NEAR(out[c] + out[3 + c] + out[6 + c], 0, 1e-5);
    pca_deinit(&p);
    free(x);
}
