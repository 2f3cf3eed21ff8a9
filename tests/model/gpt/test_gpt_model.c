/* The whole transformer (model/gpt/model.c): its backward against central finite differences
 * of the forward's loss for entries of every tensor (tied wte included), the init's
 * statistics, the estimate against what gptm_init allocates, and bad shapes refused with one
 * message. The forward is float: the loss is scaled to a mean, h = 1e-2, and the tolerance is 2 %
 * of each tensor's largest checked entry (float rounding of the summed loss is ~1e-6 / h and
 * the truncation error h^2 f''' / 6 is ~1e-4; a wrong term is of the order of the gradient).
 * Single-threaded. */
#include "model/gpt/model.h"
#include "tests/model/gpt/fd.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>

typedef struct ModelCtx {
    GptModel *m;
    GptWork *w;
    int32_t *tok;
} ModelCtx;

static double model_loss(void *p)
{
    ModelCtx *k = p;
    gptm_prepare(k->m); /* the nudged parameter reaches the transposes too */
    return gptm_forward(k->m, k->w, k->tok) / k->m->desc.max_len;
}

TEST(model_backward_matches_differences_in_every_tensor)
{
    GptDesc d = {.vocab = 11, .max_len = 9, .dim = 12, .layers = 2, .heads = 3, .seed = 5};
    GptModel m;
    GptWork w;
    Err e = {0};
    CHECK(gptm_init(&m, &d, &e));
    CHECK(gptm_work_init(&w, &m, &e));
    /* larger weights than the 0.02 init, so every path carries a gradient well above rounding */
    uint64_t s = 9;
    for (int i = 0; i < m.ntensors; i++) {
        GptTensor t = gptm_tensor(&m, i);
        int n = t.rows * t.cols;
        float *p = m.params + t.offset;
        for (int j = 0; j < n; j++)
            p[j] += (float)(0.3 * rng_gauss(&s));
    }
    gptm_prepare(&m);
    int32_t tok[10];
    for (int i = 0; i < 10; i++)
        tok[i] = (int32_t)((i * 7 + 3) % 11);
    float *grad = calloc(m.nparams, sizeof(float));
    CHECK(grad);
    GptWeights g;
    gptm_point(&m, grad, &g);
    gptm_forward(&m, &w, tok);
    gptm_backward(&m, &w, tok, 1.0f / 9, &g);
    ModelCtx k = {&m, &w, tok};
    for (int i = 0; i < m.ntensors; i++) {
        GptTensor t = gptm_tensor(&m, i);
        int n = t.rows * t.cols, idx[24], cnt = 0;
        for (int j = 0; j < n && cnt < 24; j += 1 + n / 24)
            idx[cnt++] = j;
        double err = fd_error(model_loss, &k, m.params + t.offset, grad + t.offset, idx, cnt,
                              1e-2f, 1e-4);
        CHECKF(err < 2e-2, "%s: relative error %.3g", t.name, err);
    }
    free(grad);
    gptm_work_deinit(&w);
    gptm_deinit(&m);
}

TEST(init_is_gpt2s_and_torch_init_changes_only_the_tables)
{
    GptDesc d = {.vocab = 64, .max_len = 256, .dim = 64, .layers = 2};
    GptModel a, b;
    Err e;
    CHECK(gptm_init(&a, &d, &e));
    d.init = GPT_INIT_TORCH;
    CHECK(gptm_init(&b, &d, &e));
    for (int i = 0; i < a.ntensors; i++) {
        GptTensor t = gptm_tensor(&a, i);
        size_t n = (size_t)t.rows * (size_t)t.cols;
        double ss = 0, sb = 0;
        for (size_t j = 0; j < n; j++)
            ss += (double)a.params[t.offset + j] * a.params[t.offset + j],
                sb += (double)b.params[t.offset + j] * b.params[t.offset + j];
        double std = sqrt(ss / (double)n), stdb = sqrt(sb / (double)n);
        /* 4096+ draws: the sample std is within a few % of the true one */
        if (i < 2) {
            CHECKF(fabs(std - 0.02) < 0.002 && fabs(stdb - 1.0) < 0.05, "%s %g %g", t.name, std, stdb);
        } else if (strstr(t.name, "projw")) {
            CHECKF(fabs(std - 0.01) < 0.001, "%s std %g, want 0.02 / sqrt(4)", t.name, std);
        } else if (t.decay) {
            CHECKF(fabs(std - 0.02) < 0.002, "%s std %g", t.name, std);
        } else {
            bool ln_w = strstr(t.name, ".w") != NULL;
            for (size_t j = 0; j < n; j++)
                CHECK(a.params[t.offset + j] == (ln_w ? 1.0f : 0.0f));
        }
        if (i >= 2) /* the same stream: everything but the tables is equal */
            CHECK(!memcmp(a.params + t.offset, b.params + t.offset, n * sizeof(float)));
    }
    gptm_deinit(&a);
    gptm_deinit(&b);
}

TEST(estimate_counts_what_init_allocates)
{
    GptDesc d = {.vocab = 65};
    GptModel m;
    GptEstimate est;
    Err e;
    CHECK(gptm_init(&m, &d, &e));
    CHECK(gptm_estimate(&d, 8, 2, &est, &e));
    CHECK(est.params == m.nparams);
    /* preset S: 65*32 + 128*32 + 12*32*32 + 13*32 + 2*32 = 18944 */
    CHECK(m.nparams == 18944);
    GptTensor last = gptm_tensor(&m, m.ntensors - 1);
    CHECK(last.offset + (size_t)last.cols == m.nparams);
    CHECK(est.total_bytes > est.model_bytes && est.step_seconds > 0 && est.flops_per_token > 0);
    /* nn.Embedding(512, 768) with 12 heads: about 7.1M parameters in one layer plus tables */
    GptDesc big = {.vocab = 256, .max_len = 512, .dim = 768, .heads = 12};
    CHECK(gptm_estimate(&big, 8, 2, &est, &e));
    CHECK(est.params == (size_t)(256 * 768 + 512 * 768 + 12 * 768 * 768 + 13 * 768 + 2 * 768));
    gptm_deinit(&m);
}

TEST(bad_shapes_are_refused_with_one_message)
{
    GptModel m;
    Err e = {0};
    CHECK(!gptm_init(&m, &(GptDesc){.vocab = 10, .dim = 30, .heads = 4}, &e));
    CHECK(strstr(e.msg, "4 heads do not divide dim 30"));
    CHECK(!gptm_init(&m, &(GptDesc){.vocab = 10, .max_len = -1}, &e));
    CHECK(strstr(e.msg, "context length -1"));
    CHECK(!gptm_init(&m, &(GptDesc){.vocab = 1}, &e));
    CHECK(strstr(e.msg, "vocabulary"));
    /* 65536 positions x 8192 dims x 48 layers: terabytes, refused before any allocation */
    CHECK(!gptm_init(&m, &(GptDesc){.vocab = 256, .max_len = 65536, .dim = 8192, .layers = 48,
                                    .heads = 64}, &e));
    CHECKF(strstr(e.msg, "too large") || strstr(e.msg, "GiB"), "%s", e.msg);
    CHECK(!gptm_init(&m, &(GptDesc){.vocab = 256, .max_len = 4096, .dim = 8192, .layers = 48,
                                    .heads = 64}, &e));
    CHECKF(strstr(e.msg, "GiB, more than this machine's"), "%s", e.msg);
    CHECK(m.params == NULL);
}

TEST(presets)
{
    GptDesc d;
    CHECK(gptm_preset('S', &d) && d.dim == 32 && d.layers == 1 && d.heads == 4 && d.max_len == 128);
    CHECK(gptm_preset('M', &d) && d.dim == 64 && d.layers == 2 && d.max_len == 256);
    CHECK(!gptm_preset('X', &d));
    d = gptm_desc_defaults(NULL);
    CHECK(d.dim == 32 && d.layers == 1 && d.heads == 4 && d.max_len == 128 && d.init == GPT_INIT_GPT2);
}
