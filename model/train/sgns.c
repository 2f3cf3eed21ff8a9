/* word2vec inner kernels: see sgns.h. The loops are written so gcc vectorises them at -O3;
 * KERNEL (model/base/kernels.h) builds AVX-512, AVX2+FMA and SSE2 copies chosen at load time.
 * The fixed eight-way summation in dot keeps every copy's results identical. Any thread. */
#include "model/train/sgns.h"
#include "model/base/kernels.h"
#include <math.h>

void sgns_init_table(float sig[SGNS_TABLE_SIZE + 1])
{
    for (int i = 0; i <= SGNS_TABLE_SIZE; i++) {
        double x = ((double)i / SGNS_TABLE_SIZE * 2.0 - 1.0) * SGNS_MAX_EXP;
        sig[i] = (float)(1.0 / (1.0 + exp(-x)));
    }
}

float sgns_sigmoid(const float *sig, float f)
{
    if (f >= SGNS_MAX_EXP)
        return 1.0f;
    if (f <= -SGNS_MAX_EXP)
        return 0.0f;
    /* Round to the nearest table entry. */
    int i = (int)((f + SGNS_MAX_EXP) * (SGNS_TABLE_SIZE / (2.0f * SGNS_MAX_EXP)) + 0.5f);
    return sig[i];
}

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

static inline float log_sigmoid(float f)
{
    /* -log(1 + e^-f), stable for large |f| */
    return f > 0 ? -log1pf(expf(-f)) : f - log1pf(expf(f));
}

KERNEL float sgns_ns_step(const float *h, float *grad, float *syn1neg, int64_t stride,
                          const int32_t *targets, int n, int dim, float alpha, const float *sig,
                          int want_loss)
{
    float loss = 0;
    for (int d = 0; d < n; d++) {
        float *out = syn1neg + (int64_t)targets[d] * stride;
        float label = d == 0 ? 1.0f : 0.0f;
        float f = dot(h, out, dim);
        if (want_loss)
            loss -= log_sigmoid(d == 0 ? f : -f);
        float g = (label - sgns_sigmoid(sig, f)) * alpha;
        axpy(grad, g, out, dim);
        axpy(out, g, h, dim);
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
            loss -= log_sigmoid(codes[d] ? -f : f);
        axpy(grad, g, out, dim);
        axpy(out, g, h, dim);
    }
    return loss;
}

KERNEL float sgns_batch_step(float *const *in, int m, float *syn1neg, int64_t stride,
                             const int32_t *targets, int n, int dim, float alpha,
                             const float *sig, float *work, int want_loss)
{
    float *dX = work;                   /* (m, stride) gradient for the input rows */
    float *dO = dX + (int64_t)m * stride; /* (n, stride) gradient for the output rows */
    float *G = dO + (int64_t)n * stride;  /* (m, n) */
    float loss = 0;
    for (int c = 0; c < m; c++)
        for (int k = 0; k < n; k++) {
            float f = dot(in[c], syn1neg + (int64_t)targets[k] * stride, dim);
            if (want_loss)
                loss -= log_sigmoid(k == 0 ? f : -f);
            G[c * n + k] = ((k == 0 ? 1.0f : 0.0f) - sgns_sigmoid(sig, f)) * alpha;
        }
    for (int c = 0; c < m; c++) {
        float *dx = dX + (int64_t)c * stride;
        for (int j = 0; j < dim; j++)
            dx[j] = 0;
        for (int k = 0; k < n; k++)
            axpy(dx, G[c * n + k], syn1neg + (int64_t)targets[k] * stride, dim);
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
        axpy(syn1neg + (int64_t)targets[k] * stride, 1.0f, dO + (int64_t)k * stride, dim);
    return loss;
}
