/* word2vec inner kernels: see sgns.h. The portable loops are written so gcc vectorises them
 * at -O3; KERNEL (model/base/kernels.h) builds AVX-512, AVX2+FMA and SSE2 copies chosen at load
 * time, and the fixed eight-way summation in dot keeps every copy's results identical (ISO C
 * mode contracts no multiply-add into an FMA). sgns_avx512.c holds the register-resident
 * AVX-512 kernels, which round differently. Any thread. */
#include "model/train/sgns.h"
#include "model/base/kernels.h"
#include "model/train/sgns_avx512.h"
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

void sgns_init_table(float sig[SGNS_TABLE_SIZE + 1])
{
    for (int i = 0; i <= SGNS_TABLE_SIZE; i++) {
        double x = ((double)i / SGNS_TABLE_SIZE * 2.0 - 1.0) * SGNS_MAX_EXP;
        sig[i] = (float)(1.0 / (1.0 + exp(-x)));
    }
}

float sgns_sigmoid(const float *sig, float f) { return sigmoid_lookup(sig, f); }

static inline __attribute__((always_inline)) float dot(const float *a, const float *b, int n)
{
    /* Eight partial sums: vectorisable without -ffast-math and a fixed summation order. */
    float s[8] = {0};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++)
            s[j] += a[i + j] * b[i + j];
    float t = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    for (; i < n; i++)
        t += a[i] * b[i];
    return t;
}

static inline __attribute__((always_inline)) void axpy(float *restrict y, float a,
                                                        const float *restrict x, int n)
{
    for (int i = 0; i < n; i++)
        y[i] += a * x[i];
}

KERNEL float sgns_dot(const float *a, const float *b, int n) { return dot(a, b, n); }
KERNEL void sgns_axpy(float *y, float a, const float *x, int n) { axpy(y, a, x, n); }


bool sgns_uses_avx512(int dim)
{
    /* -1 unknown, 0 portable, 1 AVX-512: a benign race, every thread computes the same value */
    static _Atomic int level = -1;
    int l = atomic_load_explicit(&level, memory_order_relaxed);
    if (l < 0) {
        const char *env = getenv("EMBEDSCOPE_SIMD");
        l = !(env && !strcmp(env, "portable")) && sgns512_usable(SGNS512_MAX_DIM);
        atomic_store_explicit(&level, l, memory_order_relaxed);
    }
    return l && dim > 0 && dim <= SGNS512_MAX_DIM;
}

float sgns_ns_step(const float *h, float *grad, float *const *out, int n, int dim, float alpha,
                   const float *sig, int want_loss)
{
#ifdef SGNS512_BUILT
    if (sgns_uses_avx512(dim))
        return sgns512_ns_step(h, grad, out, n, dim, alpha, sig, want_loss);
#endif
    return sgns_ns_step_portable(h, grad, out, n, dim, alpha, sig, want_loss);
}

float sgns_batch_step(float *const *in, int m, float *const *out, int n, int dim, float alpha,
                      const float *sig, float *work, int want_loss)
{
#ifdef SGNS512_BUILT
    if (sgns_uses_avx512(dim))
        return sgns512_batch_step(in, m, out, n, dim, alpha, sig, work, want_loss);
#endif
    return sgns_batch_step_portable(in, m, out, n, dim, alpha, sig, work, want_loss);
}

KERNEL float sgns_ns_step_portable(const float *h, float *grad, float *const *out, int n,
                                   int dim, float alpha, const float *sig, int want_loss)
{
    float loss = 0;
    for (int d = 0; d < n; d++) {
        float label = d == 0 ? 1.0f : 0.0f;
        float f = dot(h, out[d], dim);
        if (want_loss)
            loss -= sigmoid_log(d == 0 ? f : -f);
        float g = (label - sgns_sigmoid(sig, f)) * alpha;
        axpy(grad, g, out[d], dim);
        axpy(out[d], g, h, dim);
    }
    return loss;
}

KERNEL float sgns_hs_step(const float *h, float *grad, float *syn1, int64_t stride,
                          const int32_t *points, const uint8_t *codes, int len, int dim,
                          float alpha, const float *sig, int want_loss)
{
    float loss = 0;
    for (int d = 0; d < len; d++) {
        float *out = syn1 + (int64_t)points[d] * stride;
        float f = dot(h, out, dim);
        float label = 1.0f - (float)codes[d];
        float g = (label - sgns_sigmoid(sig, f)) * alpha;
        if (want_loss)
            loss -= sigmoid_log(codes[d] ? -f : f);
        axpy(grad, g, out, dim);
        axpy(out, g, h, dim);
    }
    return loss;
}

KERNEL float sgns_batch_step_portable(float *const *in, int m, float *const *out, int n,
                                      int dim, float alpha, const float *sig, float *work,
                                      int want_loss)
{
    int64_t stride = SGNS_WORK_ROW(dim);
    float *dX = work;                     /* (m, stride) gradient for the input rows */
    float *dO = dX + (int64_t)m * stride; /* (n, stride) gradient for the output rows */
    float *G = dO + (int64_t)n * stride;  /* (m, n) */
    float loss = 0;
    for (int c = 0; c < m; c++)
        for (int k = 0; k < n; k++) {
            float f = dot(in[c], out[k], dim);
            if (want_loss)
                loss -= sigmoid_log(k == 0 ? f : -f);
            G[c * n + k] = ((k == 0 ? 1.0f : 0.0f) - sgns_sigmoid(sig, f)) * alpha;
        }
    for (int c = 0; c < m; c++) {
        float *dx = dX + (int64_t)c * stride;
        for (int j = 0; j < dim; j++)
            dx[j] = 0;
        for (int k = 0; k < n; k++)
            axpy(dx, G[c * n + k], out[k], dim);
    }
    for (int k = 0; k < n; k++) {
        float *dout = dO + (int64_t)k * stride;
        for (int j = 0; j < dim; j++)
            dout[j] = 0;
        for (int c = 0; c < m; c++)
            axpy(dout, G[c * n + k], in[c], dim);
    }
    for (int c = 0; c < m; c++)
        axpy(in[c], 1.0f, dX + (int64_t)c * stride, dim);
    for (int k = 0; k < n; k++)
        axpy(out[k], 1.0f, dO + (int64_t)k * stride, dim);
    return loss;
}
