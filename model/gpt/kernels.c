/* The transformer's dense loops: see kernels.h. gptk_gemm is where training spends much of its
 * time: a 4 x 32 block of c lives in registers while k runs, loading each row of b once per
 * four rows of a. Any thread. */
#include "model/gpt/kernels.h"
#include "model/base/kernels.h"
#include <string.h>

#define MR 4  /* rows of c per block */
#define NR 32 /* columns of c per block: two AVX-512 registers (four AVX2 ones) */

/* 16 floats; GCC lowers the arithmetic to whatever the clone's target has */
typedef float v16 __attribute__((vector_size(64)));

/* unaligned moves, as macros: a function taking or returning a v16 would have an ABI that
 * differs between the clones */
#define LOAD16(v, p) memcpy(&(v), (p), sizeof(v16))
#define STORE16(p, v) memcpy((p), &(v), sizeof(v16))

/* One MR x NR block of c, full size: eight accumulators stay in registers while p runs, so
 * each row of b is loaded once per four rows of a. */
static inline __attribute__((always_inline)) void block(int k, const float *a, int lda,
                                                        const float *b, int ldb, float *c,
                                                        int ldc)
{
    v16 acc[MR][2];
    for (int r = 0; r < MR; r++) {
        LOAD16(acc[r][0], c + r * ldc);
        LOAD16(acc[r][1], c + r * ldc + 16);
    }
    for (int p = 0; p < k; p++) {
        const float *bp = b + (long)p * ldb;
        v16 b0, b1;
        LOAD16(b0, bp);
        LOAD16(b1, bp + 16);
        for (int r = 0; r < MR; r++) {
            float ar = a[r * lda + p];
            acc[r][0] += ar * b0;
            acc[r][1] += ar * b1;
        }
    }
    for (int r = 0; r < MR; r++) {
        STORE16(c + r * ldc, acc[r][0]);
        STORE16(c + r * ldc + 16, acc[r][1]);
    }
}

/* Rows i0.. of c over columns j0..j1 (the edges the blocks leave), row by row. */
static inline __attribute__((always_inline)) void edge(int rows, int j0, int j1, int k,
                                                       const float *a, int lda, const float *b,
                                                       int ldb, float *c, int ldc)
{
    for (int r = 0; r < rows; r++) {
        float *cr = c + (long)r * ldc;
        const float *ar = a + (long)r * lda;
        for (int p = 0; p < k; p++) {
            float av = ar[p];
            const float *bp = b + (long)p * ldb;
            for (int j = j0; j < j1; j++)
                cr[j] += av * bp[j];
        }
    }
}

KERNEL void gptk_gemm(int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                      float *c, int ldc)
{
    /* column panels outside, row blocks inside: a panel of b (k x 32, 96 KiB at k = 768) stays
     * in L2 while every row block of a passes over it, instead of all of b streaming from
     * memory once per four rows */
    int nfull = n - n % NR, mfull = m - m % MR;
    for (int j = 0; j < nfull; j += NR)
        for (int i = 0; i < mfull; i += MR)
            block(k, a + (long)i * lda, lda, b + j, ldb, c + (long)i * ldc + j, ldc);
    if (nfull < n)
        edge(mfull, nfull, n, k, a, lda, b, ldb, c, ldc);
    if (mfull < m)
        edge(m - mfull, 0, n, k, a + (long)mfull * lda, lda, b, ldb, c + (long)mfull * ldc, ldc);
}

KERNEL void gptk_transpose(int rows, int cols, const float *src, int lds, float *dst, int ldd)
{
    /* 16 x 16 tiles keep both sides in cache lines */
    for (int i0 = 0; i0 < rows; i0 += 16)
        for (int j0 = 0; j0 < cols; j0 += 16) {
            int i1 = i0 + 16 < rows ? i0 + 16 : rows, j1 = j0 + 16 < cols ? j0 + 16 : cols;
            for (int i = i0; i < i1; i++)
                for (int j = j0; j < j1; j++)
                    dst[(long)j * ldd + i] = src[(long)i * lds + j];
        }
}

KERNEL float gptk_dot(const float *a, const float *b, int n)
{
    float part[16] = {0};
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int j = 0; j < 16; j++)
            part[j] += a[i + j] * b[i + j];
    for (int j = 0; i < n; i++, j++)
        part[j] += a[i] * b[i];
    for (int w = 8; w >= 1; w /= 2)
        for (int j = 0; j < w; j++)
            part[j] += part[j + w];
    return part[0];
}
