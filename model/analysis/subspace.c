/* Small dense solvers for the block PCA: see subspace.h. Everything is in double: the blocks
 * are at most SUBSPACE_MAX vectors, so these cost nothing next to a pass over the data.
 * Any thread (no state). */
#include "model/analysis/subspace.h"
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

double subspace_dot(const double *a, const double *b, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

void subspace_sym_eigen(double *a, int n, double *val, double *vec)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            vec[i * n + j] = i == j;
    /* Cyclic Jacobi: each rotation zeroes a[p][q]; converges quadratically. 60 sweeps is far
     * beyond what n <= a few hundred needs; the off-diagonal test ends it earlier. */
    for (int sweep = 0; sweep < 60; sweep++) {
        double off = 0, diag = 0;
        for (int i = 0; i < n; i++) {
            diag += a[i * n + i] * a[i * n + i];
            for (int j = i + 1; j < n; j++)
                off += a[i * n + j] * a[i * n + j];
        }
        if (off <= 1e-30 * diag || off == 0)
            break;
        for (int pi = 0; pi < n; pi++) {
            for (int qi = pi + 1; qi < n; qi++) {
                double apq = a[pi * n + qi];
                if (apq == 0)
                    continue;
                double app = a[pi * n + pi], aqq = a[qi * n + qi];
                double theta = (aqq - app) / (2 * apq);
                double t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (int r = 0; r < n; r++) { /* columns p, q */
                    double arp = a[r * n + pi], arq = a[r * n + qi];
                    a[r * n + pi] = c * arp - s * arq;
                    a[r * n + qi] = s * arp + c * arq;
                }
                for (int r = 0; r < n; r++) { /* rows p, q */
                    double apr = a[pi * n + r], aqr = a[qi * n + r];
                    a[pi * n + r] = c * apr - s * aqr;
                    a[qi * n + r] = s * apr + c * aqr;
                }
                for (int r = 0; r < n; r++) { /* eigenvectors are rows */
                    double vp = vec[pi * n + r], vq = vec[qi * n + r];
                    vec[pi * n + r] = c * vp - s * vq;
                    vec[qi * n + r] = s * vp + c * vq;
                }
            }
        }
    }
    for (int i = 0; i < n; i++)
        val[i] = a[i * n + i];
    for (int i = 0; i < n; i++) { /* selection sort, descending; n is small */
        int m = i;
        for (int j = i + 1; j < n; j++)
            if (val[j] > val[m])
                m = j;
        if (m != i) {
            double t = val[i];
            val[i] = val[m];
            val[m] = t;
            for (int r = 0; r < n; r++) {
                t = vec[i * n + r];
                vec[i * n + r] = vec[m * n + r];
                vec[m * n + r] = t;
            }
        }
    }
}

/* Modified Gram-Schmidt (twice, for orthogonality to rounding) of the rows of b ((n, dim));
 * a row that vanishes is replaced by the first unit vector e_i independent of the others, so
 * the result is always an orthonormal basis. */
void subspace_orthonormalise(double *b, int n, int dim)
{
    int next_e = 0;
    for (int j = 0; j < n; j++) {
        double *v = b + (int64_t)j * dim;
        double before = sqrt(subspace_dot(v, v, dim));
        for (int attempt = 0;; attempt++) {
            for (int pass = 0; pass < 2; pass++)
                for (int i = 0; i < j; i++) {
                    const double *u = b + (int64_t)i * dim;
                    double c = subspace_dot(u, v, dim);
                    for (int d = 0; d < dim; d++)
                        v[d] -= c * u[d];
                }
            double nrm = sqrt(subspace_dot(v, v, dim));
            /* lost more than 1 - 1e-10 of its length: numerically dependent */
            if (nrm > 1e-10 * before && nrm > 0 && isfinite(nrm)) {
                for (int d = 0; d < dim; d++)
                    v[d] /= nrm;
                break;
            }
            if (next_e >= dim || attempt > dim)
                break; /* cannot happen for n <= dim */
            memset(v, 0, sizeof(double) * (size_t)dim);
            v[next_e++] = 1;
            before = 1;
        }
    }
}

void subspace_ritz(const double *w, const float *q, int qstride, int nb, int dim, double *basis,
                   double *var, double *residual)
{
    /* G = W W^T (= Q C^2 Q^T) orders the block; H = Q C Q^T gives Rayleigh quotients */
    double g[SUBSPACE_MAX * SUBSPACE_MAX], h[SUBSPACE_MAX * SUBSPACE_MAX];
    double gv[SUBSPACE_MAX * SUBSPACE_MAX], gval[SUBSPACE_MAX];
    for (int a = 0; a < nb; a++)
        for (int b = 0; b < nb; b++) {
            g[a * nb + b] = subspace_dot(w + (int64_t)a * dim, w + (int64_t)b * dim, dim);
            double hab = 0, hba = 0;
            for (int i = 0; i < dim; i++) {
                hab += (double)q[(int64_t)a * qstride + i] * w[(int64_t)b * dim + i];
                hba += (double)q[(int64_t)b * qstride + i] * w[(int64_t)a * dim + i];
            }
            h[a * nb + b] = (hab + hba) / 2;
        }
    subspace_sym_eigen(g, nb, gval, gv);
    for (int j = 0; j < nb; j++) {
        double sv = sqrt(gval[j] > 0 ? gval[j] : 0), theta = 0;
        for (int a = 0; a < nb; a++)
            for (int b = 0; b < nb; b++)
                theta += gv[j * nb + a] * h[a * nb + b] * gv[j * nb + b];
        double *u = basis + (int64_t)j * dim;
        for (int i = 0; i < dim; i++) {
            double acc = 0;
            for (int a = 0; a < nb; a++)
                acc += gv[j * nb + a] * w[(int64_t)a * dim + i];
            u[i] = acc;
        }
        var[j] = sv;
        /* residual of the Ritz vector v = Q^T g: ||C v - theta v|| with C v = u (before
         * normalising). Computed directly rather than as sqrt(|Cv|^2 - theta^2), whose
         * cancellation puts a floor of ~sqrt(float eps) under it. */
        double r2 = 0;
        for (int i = 0; i < dim; i++) {
            double v = 0;
            for (int a = 0; a < nb; a++)
                v += gv[j * nb + a] * q[(int64_t)a * qstride + i];
            r2 += (u[i] - theta * v) * (u[i] - theta * v);
        }
        /* relative to the component's own scale, floored at 1% of the top one: directions
         * with (nearly) no variance, as in rank-deficient data, need not converge to 1e-4 of
         * nothing */
        double scale = fmax(sv, 0.01 * sqrt(gval[0] > 0 ? gval[0] : 0));
        residual[j] = scale > 0 ? sqrt(r2) / scale : 0;
    }
    subspace_orthonormalise(basis, nb, dim);
}

/* Rotates the group [g0, g1) of new components towards the previous ones (prev, (k, dim)):
 * R = (M^T M)^(-1/2) M^T with M_ab = u_a . p_b is the orthogonal Procrustes solution; a
 * group of one is a sign flip. */
void subspace_align(double *basis, double *var, const double *prev, int g0, int g1, int dim,
                    double *work)
{
    int m = g1 - g0;
    double mm[SUBSPACE_MAX * SUBSPACE_MAX], mtm[SUBSPACE_MAX * SUBSPACE_MAX];
    double ev[SUBSPACE_MAX * SUBSPACE_MAX], val[SUBSPACE_MAX], r[SUBSPACE_MAX * SUBSPACE_MAX];
    for (int a = 0; a < m; a++)
        for (int b = 0; b < m; b++)
            mm[a * m + b] = subspace_dot(basis + (int64_t)(g0 + a) * dim,
                                         prev + (int64_t)(g0 + b) * dim, dim);
    for (int a = 0; a < m; a++)
        for (int b = 0; b < m; b++) {
            double acc = 0;
            for (int c = 0; c < m; c++)
                acc += mm[c * m + a] * mm[c * m + b];
            mtm[a * m + b] = acc;
        }
    subspace_sym_eigen(mtm, m, val, ev);
    bool full_rank = val[m - 1] > 1e-8;
    for (int a = 0; a < m; a++)
        for (int b = 0; b < m; b++) {
            double acc = 0;
            if (full_rank) { /* ((M^T M)^(-1/2) M^T)_ab */
                for (int c = 0; c < m; c++) {
                    double inv_sqrt = 0;
                    for (int e = 0; e < m; e++)
                        inv_sqrt += ev[e * m + a] * ev[e * m + c] / sqrt(val[e]);
                    acc += inv_sqrt * mm[b * m + c];
                }
            } else { /* the subspace turned away: keep the new vectors, fix signs only */
                acc = a == b ? (mm[a * m + a] < 0 ? -1 : 1) : 0;
            }
            r[a * m + b] = acc;
        }
    double *u = work; /* (m, dim) rotated rows */
    double rv[SUBSPACE_MAX];
    for (int a = 0; a < m; a++) {
        rv[a] = 0;
        for (int i = 0; i < dim; i++) {
            double acc = 0;
            for (int b = 0; b < m; b++)
                acc += r[a * m + b] * basis[(int64_t)(g0 + b) * dim + i];
            u[(int64_t)a * dim + i] = acc;
        }
        for (int b = 0; b < m; b++)
            rv[a] += r[a * m + b] * r[a * m + b] * var[g0 + b];
    }
    memcpy(basis + (size_t)g0 * (size_t)dim, u, sizeof(double) * (size_t)m * (size_t)dim);
    for (int a = 0; a < m; a++)
        var[g0 + a] = rv[a];
}
