/* Writes what tests/gpt/torch_ref.py compares with PyTorch: a model's initial parameters, one
 * batch drawn from @world, our mean loss and gradients, and the parameters after one AdamW step.
 *     gpt_dump LEN DIM LAYERS HEADS BATCH gpt2|torch OUT
 * OUT: one JSON line (shapes, tensor table, settings), then little-endian float32 params,
 * int32 tokens (batch x (len + 1)), float64 loss, float32 gradients, float32 params after
 * the step. Single-threaded test tool. */
#include "model/base/rng.h"
#include "model/gpt/adamw.h"
#include "model/gpt/model.h"
#include "model/gpt/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LR 1e-3

static bool dump(FILE *f, const GptModel *m, const int32_t *tok, int batch, double loss,
                 const float *grad, const float *after, const GptAdamWDesc *o)
{
    const GptDesc *d = &m->desc;
    fprintf(f, "{\"vocab\": %d, \"len\": %d, \"dim\": %d, \"layers\": %d, \"heads\": %d, "
            "\"batch\": %d, \"nparams\": %zu, \"lr\": %g, \"beta1\": %g, \"beta2\": %g, "
            "\"eps\": %g, \"weight_decay\": %g, \"tensors\": [", d->vocab, d->max_len, d->dim,
            d->layers, d->heads, batch, m->nparams, LR, o->beta1, o->beta2, o->eps,
            o->weight_decay);
    for (int i = 0; i < m->ntensors; i++) {
        GptTensor t = gptm_tensor(m, i);
        fprintf(f, "%s{\"name\": \"%s\", \"rows\": %d, \"cols\": %d, \"offset\": %zu, "
                "\"decay\": %s}", i ? ", " : "", t.name, t.rows, t.cols, t.offset,
                t.decay ? "true" : "false");
    }
    fprintf(f, "]}\n");
    size_t n = m->nparams, nt = (size_t)batch * (size_t)(d->max_len + 1);
    return fwrite(m->params, sizeof(float), n, f) == n && fwrite(tok, sizeof(int32_t), nt, f) == nt &&
           fwrite(&loss, sizeof loss, 1, f) == 1 && fwrite(grad, sizeof(float), n, f) == n &&
           fwrite(after, sizeof(float), n, f) == n;
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: gpt_dump LEN DIM LAYERS HEADS BATCH gpt2|torch OUT\n");
        return 2;
    }
    Err e = {0};
    GptText text;
    if (!gptc_load(&text, "@world", &e)) {
        fprintf(stderr, "gpt_dump: %s\n", e.msg);
        return 1;
    }
    GptDesc d = {.vocab = text.vocab, .max_len = atoi(argv[1]), .dim = atoi(argv[2]),
                 .layers = atoi(argv[3]), .heads = atoi(argv[4]), .seed = 7,
                 .init = !strcmp(argv[6], "torch") ? GPT_INIT_TORCH : GPT_INIT_GPT2};
    int batch = atoi(argv[5]);
    GptModel m;
    GptWork w;
    if (batch < 1 || !gptm_init(&m, &d, &e) || !gptm_work_init(&w, &m, &e)) {
        fprintf(stderr, "gpt_dump: %s\n", batch < 1 ? "bad batch" : e.msg);
        return 1;
    }
    size_t n = m.nparams, row = (size_t)d.max_len + 1;
    int32_t *tok = malloc((size_t)batch * row * sizeof *tok);
    float *grad = calloc(n, sizeof(float)), *mo = calloc(n, sizeof(float)),
          *vo = calloc(n, sizeof(float)), *after = malloc(n * sizeof(float));
    if (!tok || !grad || !mo || !vo || !after)
        return 1;
    GptWeights g;
    gptm_point(&m, grad, &g);
    uint64_t rng = 11;
    double loss = 0;
    float scale = (float)(1.0 / ((double)batch * d.max_len));
    for (int b = 0; b < batch; b++) {
        memcpy(tok + (size_t)b * row, text.tok + gptc_sample(&text, d.max_len, &rng),
               row * sizeof *tok);
        loss += gptm_forward(&m, &w, tok + (size_t)b * row);
        gptm_backward(&m, &w, tok + (size_t)b * row, scale, &g);
    }
    loss *= scale;
    memcpy(after, m.params, n * sizeof(float));
    GptAdamWDesc o = gpto_desc_defaults(NULL);
    for (int i = 0; i < m.ntensors; i++) {
        GptTensor t = gptm_tensor(&m, i);
        size_t cnt = (size_t)t.rows * (size_t)t.cols;
        gpto_update(&o, after + t.offset, grad + t.offset, mo + t.offset, vo + t.offset, cnt, 1,
                    LR, t.decay);
    }
    FILE *f = fopen(argv[7], "wb");
    bool ok = f && dump(f, &m, tok, batch, loss, grad, after, &o);
    ok = f && fclose(f) == 0 && ok;
    if (!ok)
        fprintf(stderr, "gpt_dump: cannot write %s\n", argv[7]);
    free(tok), free(grad), free(mo), free(vo), free(after);
    gptm_work_deinit(&w);
    gptm_deinit(&m);
    gptc_deinit(&text);
    return ok ? 0 : 1;
}
