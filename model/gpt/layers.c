/* The transformer's layers for one sequence: see layers.h. Attention works on one head at a
 * time: scores come from the keys transposed to (head size, t), so they are computed along
 * positions (long, contiguous) rather than along the head (8 floats in preset S); the sums over
 * positions add whole head slices of rows. Any thread. */
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
        /* tanh(u) = 1 - 2 / (1 + e^2u): one expf, a third of tanhf's time here; off by at most
         * a few 1e-8 near 0, where gelu multiplies it by 0.5 x */
        th[i] = 1.0f - 2.0f / (1.0f + expf(2.0f * GELU_S * (v + GELU_A * v * v * v)));
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

/* Vectors of 16 and 8 floats; GCC lowers them to whatever the clone's target has. Moves are
 * macros: a function taking a vector would have an ABI that differs between the clones. */
typedef float v16 __attribute__((vector_size(64)));
typedef float v8 __attribute__((vector_size(32)));
#define LOADV(v, p) memcpy(&(v), (p), sizeof(v))
#define STOREV(p, v) memcpy((p), &(v), sizeof(v))
#define INLINE static inline __attribute__((always_inline))

/* row[j] = sum over d < hs of w[d] * m[d][j], for j < n; m is (hs, ld). Every element sums
 * in the order d = 0, 1, ...: the vector part and the tail agree. */
INLINE void combine_rows(float *row, const float *w, const float *m, int ld, int hs, int n)
{
    int j = 0;
    for (; j + 16 <= n; j += 16) {
        v16 acc = {0}, x;
        for (int d = 0; d < hs; d++) {
            LOADV(x, m + (long)d * ld + j);
            acc += w[d] * x;
        }
        STOREV(row + j, acc);
    }
    for (; j < n; j++) {
        float acc = 0;
        for (int d = 0; d < hs; d++)
            acc += w[d] * m[(long)d * ld + j];
        row[j] = acc;
    }
}

/* y[0..hs) += a * x[0..hs): one head's slice of a row */
INLINE void axpy_head(float *y, float a, const float *x, int hs)
{
    int d = 0;
    for (; d + 8 <= hs; d += 8) {
        v8 yv, xv;
        LOADV(yv, y + d);
        LOADV(xv, x + d);
        yv += a * xv;
        STOREV(y + d, yv);
    }
    for (; d < hs; d++)
        y[d] += a * x[d];
}

/* o[d] = sum over j < n of w[j] * m[j * ld + d], for d < hs: one head's slice of n rows,
 * weighted. Four partial sums in registers (j mod 4), added in a fixed order at the end. */
INLINE void weighted_rows(float *o, const float *w, const float *m, int ld, int hs, int n)
{
    int d = 0;
    for (; d + 8 <= hs; d += 8) {
        v8 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, x;
        const float *md = m + d;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            LOADV(x, md + (long)j * ld);
            a0 += w[j] * x;
            LOADV(x, md + (long)(j + 1) * ld);
            a1 += w[j + 1] * x;
            LOADV(x, md + (long)(j + 2) * ld);
            a2 += w[j + 2] * x;
            LOADV(x, md + (long)(j + 3) * ld);
            a3 += w[j + 3] * x;
        }
        for (; j < n; j++) {
            LOADV(x, md + (long)j * ld);
            a0 += w[j] * x;
        }
        a0 = (a0 + a1) + (a2 + a3);
        STOREV(o + d, a0);
    }
    for (; d < hs; d++) {
        float acc = 0;
        for (int j = 0; j < n; j++)
            acc += w[j] * m[(long)j * ld + d];
        o[d] = acc;
    }
}

/* Per head: scores of row i against keys 0..i from the keys transposed to (hs, t), so they
 * come out along positions; the output sums value rows weighted by the softmax. */
KERNEL void gptl_attention_forward(float *out, float *att, const float *qkv, float *scratch, int t,
                                   int c, int h)
{
    int hs = c / h, c3 = 3 * c;
    float scale = 1.0f / sqrtf((float)hs);
    float *kt = scratch, *qs = scratch + (long)hs * t; /* (hs, t), (hs) */
    for (int hd = 0; hd < h; hd++) {
        const float *q = qkv + hd * hs, *v = qkv + 2 * c + hd * hs;
        gptk_transpose(t, hs, qkv + c + hd * hs, c3, kt, t);
        for (int i = 0; i < t; i++) {
            float *row = AT(att, (long)hd * t + i, t), *o = AT(out, i, c) + hd * hs;
            const float *qi = AT(q, i, c3);
            for (int d = 0; d < hs; d++)
                qs[d] = qi[d] * scale;
            combine_rows(row, qs, kt, t, hs, i + 1);
            softmax_row(row, i + 1);
            weighted_rows(o, row, v, c3, hs, i + 1);
        }
    }
}

/* Per row i of head hd, with p its softmax row and s = q k / sqrt(hs):
 * dp = dout_i . v_j, dv_j += p_j dout_i, ds = p (dp - p . dp), dq_i = scale sum ds_j k_j,
 * dk_j += scale ds_j q_i. */
KERNEL void gptl_attention_backward(float *dqkv, const float *dout, const float *qkv,
                                    const float *att, float *scratch, int t, int c, int h)
{
    int hs = c / h, c3 = 3 * c;
    float scale = 1.0f / sqrtf((float)hs);
    float *vt = scratch, *ds = scratch + (long)hs * t; /* (hs, t), (t) */
    memset(dqkv, 0, (size_t)t * (size_t)c3 * sizeof *dqkv);
    for (int hd = 0; hd < h; hd++) {
        const float *q = qkv + hd * hs, *k = qkv + c + hd * hs;
        float *dq = dqkv + hd * hs, *dk = dqkv + c + hd * hs, *dv = dqkv + 2 * c + hd * hs;
        gptk_transpose(t, hs, qkv + 2 * c + hd * hs, c3, vt, t);
        for (int i = 0; i < t; i++) {
            const float *p = AT(att, (long)hd * t + i, t), *qi = AT(q, i, c3);
            const float *di = AT(dout, i, c) + hd * hs;
            int n = i + 1;
            combine_rows(ds, di, vt, t, hs, n);
            for (int j = 0; j < n; j++)
                axpy_head(AT(dv, j, c3), p[j], di, hs);
            float pdp = gptk_dot(p, ds, n);
            for (int j = 0; j < n; j++)
                ds[j] = p[j] * (ds[j] - pdp) * scale;
            weighted_rows(AT(dq, i, c3), ds, k, c3, hs, n);
            for (int j = 0; j < n; j++)
                axpy_head(AT(dk, j, c3), ds[j], qi, hs);
        }
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
        float picked = row[target[i]] - mx;
        for (int j = 0; j < v; j++) {
            row[j] = expf(row[j] - mx);
            sum += (double)row[j];
        }
        loss += log(sum) - (double)picked;
        float inv = (float)(1.0 / sum);
        for (int j = 0; j < v; j++)
            row[j] *= inv;
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
