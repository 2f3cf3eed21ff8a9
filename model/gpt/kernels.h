/* The dense loops under the small transformer (model/gpt/): a blocked matrix product that
 * accumulates, a transpose, and a dot product with independent partial sums, each built for
 * AVX-512, AVX2 and SSE2 (KERNEL). Everything is row-major with explicit row strides, so a
 * head's columns inside a wider matrix need no copy. Pure functions over caller-owned
 * storage: any thread. */
#ifndef EMBEDSCOPE_GPT_KERNELS_H
#define EMBEDSCOPE_GPT_KERNELS_H

/* c (m, n) += a (m, k) @ b (k, n); lda, ldb, ldc are row strides in floats. The sum over k runs
 * in order 0..k-1 for every element, so the result does not depend on the blocking. */
void gptk_gemm(int m, int n, int k, const float *a, int lda, const float *b, int ldb, float *c,
               int ldc);
/* dst (cols, rows) with stride ldd = src (rows, cols) with stride lds, transposed. */
void gptk_transpose(int rows, int cols, const float *src, int lds, float *dst, int ldd);
/* sum a[i] * b[i] over i < n, in 16 interleaved partial sums (so it vectorises without
 * -ffast-math) added in a fixed order: the same inputs always give the same bits. */
float gptk_dot(const float *a, const float *b, int n);

#endif
