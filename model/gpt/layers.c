/* The transformer's layers for one sequence: see layers.h. Attention works on one head at a
 * time with its keys and values transposed to (head size, t), so every inner loop runs along
 * positions (long, contiguous) instead of along the head (8 floats in preset S). Any thread. */
#include "model/gpt/layers.h"
#include "model/base/kernels.h"
#include "model/gpt/kernels.h"
#include <math.h>
#include <string.h>

#define LN_EPS 1e-5f
#define GELU_S 0.7978845608028654f /* sqrt(2 / pi) */
#define GELU_A 0.044715f

#define AT(p, row, stride) ((p) + (long)(row) * (long)(stride))

KERNEL void gptl_embed_forward(float *out, const int32_t *tok, const float *wte, const float *wpe,
                               int t, int c)
{
    for (int i = 0; i < t; i++) {
        const float *e = AT(wte, tok[i], c), *p = AT(wpe, i, c);
        float *o = AT(out, i, c);
        for (int j = 0; j < c; j++)
            o[j] = e[j] + p[j];
    }
}

KERNEL void gptl_embed_backward(float *dwte, float *dwpe, const float *dout, const int32_t *tok,
                                int t, int c)
{
    for (int i = 0; i < t; i++) {
        const float *d = AT(dout, i, c);
        float *e = AT(dwte, tok[i], c), *p = AT(dwpe, i, c);
        for (int j = 0; j < c; j++) {
            e[j] += d[j];
            p[j] += d[j];
        }
    }
}

KERNEL void gptl_layernorm_forward(float *out, float *mean, float *rstd, const float *x,
                                   const float *w, const float *b, int t, int c)
{
    for (int i = 0; i < t; i++) {
        const float *xi = AT(x, i, c);
        float *o = AT(out, i, c);
        float m = 0, v = 0;
        for (int j = 0; j < c; j++)
            m += xi[j];
        m /= (float)c;
        for (int j = 0; j < c; j++)
            v += (xi[j] - m) * (xi[j] - m);
        float s = 1.0f / sqrtf(v / (float)c + LN_EPS);
        for (int j = 0; j < c; j++)
            o[j] = (xi[j] - m) * s * w[j] + b[j];
        mean[i] = m;
        rstd[i] = s;
    }
}

/* With n = (x - mean) rstd and g = dout * w: dx = rstd (g - mean(g) - n mean(g n)). */
KERNEL void gptl_layernorm_backward(float *dx, float *dw, float *db, const float *dout,
                                    const float *x, const float *w, const float *mean,
                                    const float *rstd, int t, int c)
{
    for (int i = 0; i < t; i++) {
        const float *xi = AT(x, i, c), *di = AT(dout, i, c);
        float *dxi = AT(dx, i, c);
        float m = mean[i], s = rstd[i], gm = 0, gnm = 0;
        for (int j = 0; j < c; j++) {
            float n = (xi[j] - m) * s, g = di[j] * w[j];
            gm += g;
            gnm += g * n;
        }
        gm /= (float)c;
        gnm /= (float)c;
        for (int j = 0; j < c; j++) {
            float n = (xi[j] - m) * s;
            db[j] += di[j];
            dw[j] += n * di[j];
            dxi[j] += s * (di[j] * w[j] - gm - n * gnm);
        }
    }
}

void gptl_linear_forward(float *out, const float *x, const float *w, const float *b, int t, int k,
                         int n)
{
    for (int i = 0; i < t; i++) {
        float *o = AT(out, i, n);
        if (b)
            memcpy(o, b, (size_t)n * sizeof *o);
        else
            memset(o, 0, (size_t)n * sizeof *o);
    }
    gptk_gemm(t, n, k, x, k, w, n, out, n);
}

KERNEL static void column_sums(float *db, const float *dout, int t, int n)
{
    for (int i = 0; i < t; i++) {
        const float *d = AT(dout, i, n);
        for (int j = 0; j < n; j++)
            db[j] += d[j];
    }
}

void gptl_linear_backward(float *dx, float *dw, float *db, const float *dout, const float *x,
                          const float *wt, float *xt, int t, int k, int n)
{
    gptk_gemm(t, k, n, dout, n, wt, k, dx, k);
    gptk_transpose(t, k, x, k, xt, t);
    gptk_gemm(k, n, t, xt, t, dout, n, dw, n);
    if (db)
        column_sums(db, dout, t, n);
}

KERNEL void gptl_gelu_forward(float *out, float *th, const float *x, int n)
{
    for (int i = 0; i < n; i++) {
        float v = x[i];
        th[i] = tanhf(GELU_S * (v + GELU_A * v * v * v));
        out[i] = 0.5f * v * (1.0f + th[i]);
    }
}

KERNEL void gptl_gelu_backward(float *dx, const float *dout, const float *x, const float *th,
                               int n)
{
    for (int i = 0; i < n; i++) {
        float v = x[i], tv = th[i];
        float d = 0.5f * (1.0f + tv) +
                  0.5f * v * (1.0f - tv * tv) * GELU_S * (1.0f + 3.0f * GELU_A * v * v);
        dx[i] += d * dout[i];
    }
}

/* row[0..n) = softmax(row[0..n)) */
static void softmax_row(float *row, int n)
{
    float mx = row[0], sum = 0;
    for (int j = 1; j < n; j++)
        mx = row[j] > mx ? row[j] : mx;
    for (int j = 0; j < n; j++) {
        row[j] = expf(row[j] - mx);
        sum += row[j];
    }
    float inv = 1.0f / sum;
    for (int j = 0; j < n; j++)
        row[j] *= inv;
}

/* y[0..n) += a * x[0..n) */
static inline __attribute__((always_inline)) void axpy(float *y, float a, const float *x, int n)
{
    for (int j = 0; j < n; j++)
        y[j] += a * x[j];
}

KERNEL void gptl_attention_forward(float *out, float *att, const float *qkv, float *scratch, int t,
                                   int c, int h)
{
    int hs = c / h, c3 = 3 * c;
    float scale = 1.0f / sqrtf((float)hs);
    float *kt = scratch, *vt = scratch + (long)hs * t; /* (hs, t) each */
    for (int hd = 0; hd < h; hd++) {
        const float *q = qkv + hd * hs;
        gptk_transpose(t, hs, qkv + c + hd * hs, c3, kt, t);
        gptk_transpose(t, hs, qkv + 2 * c + hd * hs, c3, vt, t);
        for (int i = 0; i < t; i++) {
            float *row = AT(att, (long)hd * t + i, t);
            const float *qi = AT(q, i, c3);
            memset(row, 0, (size_t)(i + 1) * sizeof *row);
            for (int d = 0; d < hs; d++)
                axpy(row, qi[d] * scale, AT(kt, d, t), i + 1);
            softmax_row(row, i + 1);
            float *o = AT(out, i, c) + hd * hs;
            for (int d = 0; d < hs; d++)
                o[d] = gptk_dot(row, AT(vt, d, t), i + 1);
        }
    }
}

/* Per row i of head hd, with p its softmax row and s = q k / sqrt(hs):
 * dp = dout_i @ v^T, dv += p^T dout_i, ds = p (dp - p . dp), dq = ds k scale, dk += ds^T q scale. */
KERNEL void gptl_attention_backward(float *dqkv, const float *dout, const float *qkv,
                                    const float *att, float *scratch, int t, int c, int h)
{
    int hs = c / h, c3 = 3 * c;
    float scale = 1.0f / sqrtf((float)hs);
    long plane = (long)hs * t;
    float *kt = scratch, *vt = kt + plane, *dkt = vt + plane, *dvt = dkt + plane; /* (hs, t) */
    float *ds = dvt + plane;                                                       /* (t) */
    for (int hd = 0; hd < h; hd++) {
        const float *q = qkv + hd * hs;
        gptk_transpose(t, hs, qkv + c + hd * hs, c3, kt, t);
        gptk_transpose(t, hs, qkv + 2 * c + hd * hs, c3, vt, t);
        memset(dkt, 0, (size_t)(2 * plane) * sizeof *dkt);
        for (int i = 0; i < t; i++) {
            const float *p = AT(att, (long)hd * t + i, t), *qi = AT(q, i, c3);
            const float *di = AT(dout, i, c) + hd * hs;
            int n = i + 1;
            memset(ds, 0, (size_t)n * sizeof *ds);
            for (int d = 0; d < hs; d++) {
                axpy(ds, di[d], AT(vt, d, t), n);
                axpy(AT(dvt, d, t), di[d], p, n);
            }
            float pdp = gptk_dot(p, ds, n);
            for (int j = 0; j < n; j++)
                ds[j] = p[j] * (ds[j] - pdp);
            float *dq = AT(dqkv, i, c3) + hd * hs;
            for (int d = 0; d < hs; d++) {
                dq[d] = scale * gptk_dot(ds, AT(kt, d, t), n);
                axpy(AT(dkt, d, t), scale * qi[d], ds, n);
            }
        }
        gptk_transpose(hs, t, dkt, t, dqkv + c + hd * hs, c3);
        gptk_transpose(hs, t, dvt, t, dqkv + 2 * c + hd * hs, c3);
    }
}

double gptl_xent_forward(float *logits, const int32_t *target, int t, int v)
{
    double loss = 0;
    for (int i = 0; i < t; i++) {
        float *row = AT(logits, i, v);
        float mx = row[0];
        for (int j = 1; j < v; j++)
            mx = row[j] > mx ? row[j] : mx;
        double sum = 0;
        for (int j = 0; j < v; j++)
            sum += exp((double)(row[j] - mx));
        loss += log(sum) - (double)(row[target[i]] - mx);
        float inv = (float)(1.0 / sum);
        for (int j = 0; j < v; j++)
            row[j] = expf(row[j] - mx) * inv;
    }
    return loss;
}

void gptl_xent_backward(float *probs, const int32_t *target, float scale, int t, int v)
{
    for (int i = 0; i < t; i++) {
        float *row = AT(probs, i, v);
        row[target[i]] -= 1.0f;
        for (int j = 0; j < v; j++)
            row[j] *= scale;
    }
}
