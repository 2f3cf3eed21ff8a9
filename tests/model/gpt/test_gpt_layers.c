/* The transformer's kernels and layers (model/gpt/kernels.c, layers.c) against references:
 * the blocked product against a triple loop, and every backward against central finite
 * differences of L = sum(out * R) for a random R. Inputs are float, so differences use
 * h = 1e-2 and a 1 % tolerance relative to the gradient's largest entry: the truncation error
 * h^2 f''' / 6 and float rounding (1e-7 |L| / h) are both far below it, while a missing or
 * wrong term is of the order of the gradient itself. Single-threaded. */
#include "model/gpt/kernels.h"
#include "model/gpt/layers.h"
#include "tests/model/gpt/fd.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>

#define TOL 1e-2
#define H 1e-2f

TEST(gemm_matches_a_triple_loop_on_ragged_shapes)
{
    int shapes[][3] = {{1, 1, 1}, {4, 16, 3}, {7, 37, 5}, {9, 33, 19}, {13, 96, 32}};
    uint64_t s = 1;
    for (size_t q = 0; q < sizeof shapes / sizeof shapes[0]; q++) {
        int m = shapes[q][0], n = shapes[q][1], k = shapes[q][2], lda = k + 3, ldc = n + 1;
        float *a = malloc(sizeof(float) * (size_t)(m * lda)), *b = malloc(sizeof(float) * (size_t)(k * n));
        float *c = malloc(sizeof(float) * (size_t)(m * ldc));
        double *ref = malloc(sizeof(double) * (size_t)(m * n));
        CHECK(a && b && c && ref);
        fill(a, m * lda, 1, &s);
        fill(b, k * n, 1, &s);
        fill(c, m * ldc, 1, &s);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double acc = c[i * ldc + j];
                for (int p = 0; p < k; p++)
                    acc += (double)a[i * lda + p] * b[p * n + j];
                ref[i * n + j] = acc;
            }
        gptk_gemm(m, n, k, a, lda, b, n, c, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) /* float sums of k <= 32 terms of size ~1 */
                CHECKF(fabs(c[i * ldc + j] - ref[i * n + j]) < 1e-5 * (k + 1),
                       "(%d,%d) of %dx%dx%d: %g vs %g", i, j, m, n, k, c[i * ldc + j], ref[i * n + j]);
        free(a), free(b), free(c), free(ref);
    }
}

TEST(transpose_and_dot)
{
    float src[5 * 19], dst[19 * 5];
    uint64_t s = 2;
    fill(src, 5 * 19, 1, &s);
    gptk_transpose(5, 19, src, 19, dst, 5);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 19; j++)
            CHECK(dst[j * 5 + i] == src[i * 19 + j]);
    for (int n = 0; n < 40; n++) {
        double ref = 0;
        for (int i = 0; i < n; i++)
            ref += (double)src[i] * src[i + 40];
        CHECK_NEAR(gptk_dot(src, src + 40, n), ref, 1e-5 * (n + 1));
    }
}

/* ---- one context for the layer checks: inputs, R, outputs ---------------------------------- */
typedef struct Ctx {
    int t, c, n, h;
    float *x, *w, *b, *r, *out, *s1, *s2, *scratch;
} Ctx;

static double dot_r(const Ctx *k, int n)
{
    double l = 0;
    for (int i = 0; i < n; i++)
        l += (double)k->out[i] * k->r[i];
    return l;
}

static double ln_loss(void *p)
{
    Ctx *k = p;
    gptl_layernorm_forward(k->out, k->s1, k->s2, k->x, k->w, k->b, k->t, k->c);
    return dot_r(k, k->t * k->c);
}

TEST(layernorm_backward_matches_differences)
{
    enum { T = 5, C = 8 };
    float x[T * C], w[C], b[C], r[T * C], out[T * C], mean[T], rstd[T];
    float dx[T * C] = {0}, dw[C] = {0}, db[C] = {0};
    uint64_t s = 3;
    fill(x, T * C, 1, &s), fill(w, C, 1, &s), fill(b, C, 1, &s), fill(r, T * C, 1, &s);
    Ctx k = {.t = T, .c = C, .x = x, .w = w, .b = b, .r = r, .out = out, .s1 = mean, .s2 = rstd};
    ln_loss(&k);
    gptl_layernorm_backward(dx, dw, db, r, x, w, mean, rstd, T, C);
    CHECK(fd_error(ln_loss, &k, x, dx, NULL, T * C, H, 1e-3) < TOL);
    CHECK(fd_error(ln_loss, &k, w, dw, NULL, C, H, 1e-3) < TOL);
    CHECK(fd_error(ln_loss, &k, b, db, NULL, C, H, 1e-3) < TOL);
}

static double linear_loss(void *p)
{
    Ctx *k = p;
    gptl_linear_forward(k->out, k->x, k->w, k->b, k->t, k->c, k->n);
    return dot_r(k, k->t * k->n);
}

TEST(linear_backward_matches_differences)
{
    /* 37 columns: a full 16-wide block, another, and a ragged edge; 9 rows: two 4-row blocks
     * and one left over */
    enum { T = 9, K = 19, N = 37 };
    float *x = malloc(sizeof(float) * T * K), *w = malloc(sizeof(float) * K * N), b[N];
    float *r = malloc(sizeof(float) * T * N), *out = malloc(sizeof(float) * T * N);
    float *wt = malloc(sizeof(float) * N * K), *xt = malloc(sizeof(float) * K * T);
    float *dx = calloc(T * K, sizeof(float)), *dw = calloc(K * N, sizeof(float)), db[N] = {0};
    CHECK(x && w && r && out && wt && xt && dx && dw);
    uint64_t s = 4;
    fill(x, T * K, 1, &s), fill(w, K * N, 0.3, &s), fill(b, N, 1, &s), fill(r, T * N, 1, &s);
    Ctx k = {.t = T, .c = K, .n = N, .x = x, .w = w, .b = b, .r = r, .out = out};
    linear_loss(&k);
    gptk_transpose(K, N, w, N, wt, K);
    gptl_linear_backward(dx, dw, db, r, x, wt, xt, T, K, N);
    CHECK(fd_error(linear_loss, &k, x, dx, NULL, T * K, H, 1e-3) < TOL);
    CHECK(fd_error(linear_loss, &k, w, dw, NULL, K * N, H, 1e-3) < TOL);
    CHECK(fd_error(linear_loss, &k, b, db, NULL, N, H, 1e-3) < TOL);
    free(x), free(w), free(r), free(out), free(wt), free(xt), free(dx), free(dw);
}

static double gelu_loss(void *p)
{
    Ctx *k = p;
    gptl_gelu_forward(k->out, k->s1, k->x, k->n);
    return dot_r(k, k->n);
}

TEST(gelu_backward_matches_differences_and_known_values)
{
    enum { N = 64 };
    float x[N], r[N], out[N], th[N], dx[N] = {0};
    uint64_t s = 5;
    fill(x, N, 2, &s), fill(r, N, 1, &s);
    x[0] = 0, x[1] = 1, x[2] = -1;
    Ctx k = {.n = N, .x = x, .r = r, .out = out, .s1 = th};
    gelu_loss(&k);
    /* GPT-2's tanh form: gelu(1) = 0.841192, gelu(-1) = -0.158808 */
    CHECK(out[0] == 0);
    CHECK_NEAR(out[1], 0.8411920, 1e-6);
    CHECK_NEAR(out[2], -0.1588080, 1e-6);
    gptl_gelu_backward(dx, r, x, th, N);
    CHECK(fd_error(gelu_loss, &k, x, dx, NULL, N, H, 1e-3) < TOL);
}

static double attn_loss(void *p)
{
    Ctx *k = p;
    gptl_attention_forward(k->out, k->s1, k->x, k->scratch, k->t, k->c, k->h);
    return dot_r(k, k->t * k->c);
}

TEST(attention_backward_matches_differences)
{
    enum { T = 7, C = 12, HEADS = 3 };
    float qkv[T * 3 * C], r[T * C], out[T * C], att[HEADS * T * T], dqkv[T * 3 * C];
    float scratch[4 * (C / HEADS) * T + T];
    uint64_t s = 6;
    fill(qkv, T * 3 * C, 1, &s), fill(r, T * C, 1, &s);
    Ctx k = {.t = T, .c = C, .h = HEADS, .x = qkv, .r = r, .out = out, .s1 = att, .scratch = scratch};
    attn_loss(&k);
    /* every softmax row sums to 1 and the first position attends only to itself */
    for (int h = 0; h < HEADS; h++)
        for (int i = 0; i < T; i++) {
            double sum = 0;
            for (int j = 0; j <= i; j++)
                sum += att[(h * T + i) * T + j];
            CHECK_NEAR(sum, 1.0, 1e-6);
        }
    for (int j = 0; j < C; j++)
        CHECK_NEAR(out[j], qkv[2 * C + j], 1e-6);
    memset(dqkv, 0x7f, sizeof dqkv); /* written, not added: garbage must not survive */
    gptl_attention_backward(dqkv, r, qkv, att, scratch, T, C, HEADS);
    CHECK(fd_error(attn_loss, &k, qkv, dqkv, NULL, T * 3 * C, H, 1e-3) < TOL);
}

typedef struct XentCtx {
    float *logits, *work;
    int32_t *target;
    int t, v;
} XentCtx;

static double xent_loss(void *p)
{
    XentCtx *k = p;
    memcpy(k->work, k->logits, sizeof(float) * (size_t)(k->t * k->v));
    return gptl_xent_forward(k->work, k->target, k->t, k->v);
}

TEST(xent_is_the_mean_negative_log_likelihood_and_its_gradient)
{
    enum { T = 4, V = 7 };
    float logits[T * V], work[T * V];
    int32_t target[T] = {0, 6, 3, 3};
    uint64_t s = 7;
    fill(logits, T * V, 2, &s);
    XentCtx k = {logits, work, target, T, V};
    double loss = xent_loss(&k), ref = 0;
    for (int i = 0; i < T; i++) {
        double z = 0;
        for (int j = 0; j < V; j++)
            z += exp((double)logits[i * V + j]);
        ref -= log(exp((double)logits[i * V + target[i]]) / z);
    }
    CHECK_NEAR(loss, ref, 1e-9 * T * V + 1e-6);
    gptl_xent_backward(work, target, 1.0f, T, V);
    float grad[T * V];
    memcpy(grad, work, sizeof grad);
    CHECK(fd_error(xent_loss, &k, logits, grad, NULL, T * V, H, 1e-3) < TOL);
    /* uniform logits: the loss of every row is log V */
    memset(logits, 0, sizeof logits);
    CHECK_NEAR(xent_loss(&k), T * log((double)V), 1e-5);
}

TEST(embedding_adds_rows_and_backward_scatters)
{
    enum { T = 3, C = 4, V = 5 };
    float wte[V * C], wpe[T * C], out[T * C], dwte[V * C] = {0}, dwpe[T * C] = {0}, d[T * C];
    int32_t tok[T] = {4, 1, 4};
    for (int i = 0; i < V * C; i++)
        wte[i] = (float)i;
    for (int i = 0; i < T * C; i++)
        wpe[i] = 100.0f * (float)i, d[i] = 1.0f;
    gptl_embed_forward(out, tok, wte, wpe, T, C);
    CHECK(out[0] == 16 && out[C + 1] == 5 + 500 && out[2 * C] == 16 + 800);
    gptl_embed_backward(dwte, dwpe, d, tok, T, C);
    CHECK(dwte[4 * C] == 2 && dwte[1 * C] == 1 && dwte[0] == 0 && dwpe[2 * C + 3] == 1);
}
