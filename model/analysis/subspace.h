/* Dense linear algebra on a small block of vectors in double precision, the solver behind
 * pca.c: symmetric eigen-decomposition (cyclic Jacobi), Gram-Schmidt, the Rayleigh-Ritz step
 * of block subspace iteration and the Procrustes rotation that keeps axes steady. Pure
 * functions on caller-owned arrays: any thread. */
#ifndef EMBEDSCOPE_SUBSPACE_H
#define EMBEDSCOPE_SUBSPACE_H

#define SUBSPACE_MAX 16 /* vectors in a block (the sizes of the small matrices on the stack) */

/* a . b over n doubles. */
double subspace_dot(const double *a, const double *b, int n);

/* Symmetric eigen-decomposition by cyclic Jacobi: a is (n, n) row-major, destroyed. Eigenvalues
 * descending in val, eigenvectors as rows of vec ((n, n)). Also the reference for tests. */
void subspace_sym_eigen(double *a, int n, double *val, double *vec);

/* Orthonormalises the rows of b ((n, dim), n <= dim) in place; a row that depends on the
 * earlier ones is replaced by a unit vector, so the result is always an orthonormal basis. */
void subspace_orthonormalise(double *b, int n, int dim);

/* One Rayleigh-Ritz step. w ((nb, dim)) is C Q for the block q ((nb, qstride) floats,
 * orthonormal rows, nb <= SUBSPACE_MAX); writes the Ritz basis (orthonormal rows of basis,
 * (nb, dim)) ordered by decreasing variance, its variance estimates var (nb) and each row's
 * residual ||C v - theta v|| relative to its scale (nb). */
void subspace_ritz(const double *w, const float *q, int qstride, int nb, int dim, double *basis,
                   double *var, double *residual);

/* Rotates rows [g0, g1) of basis ((.., dim)) towards the same rows of prev by the orthogonal
 * Procrustes solution (a group of one is a sign flip) and rotates their variances var with
 * them. g1 - g0 <= SUBSPACE_MAX; work holds (g1 - g0, dim) doubles. */
void subspace_align(double *basis, double *var, const double *prev, int g0, int g1, int dim,
                    double *work);

#endif
