/* The small transformer: see model.h. Parameters, their init, the transposes, and one
 * sequence's forward and backward pass over the layers of layers.c. Forward and backward read
 * the model and write only the caller's GptWork and gradient: any thread, many at once. */
#include "model/gpt/model.h"
#include "model/base/rng.h"
#include "model/gpt/kernels.h"
#include "model/gpt/layers.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PER_LAYER 12 /* tensors of a block */

GptDesc gptm_desc_defaults(const GptDesc *in)
{
    GptDesc d = in ? *in : (GptDesc){0};
    if (!d.max_len)
        d.max_len = 128;
    if (!d.dim)
        d.dim = 32;
    if (!d.layers)
        d.layers = 1;
    if (!d.heads)
        d.heads = 4;
    if (!d.seed)
        d.seed = 1;
    return d;
}

bool gptm_preset(char name, GptDesc *out)
{
    if (name == 'S' || name == 's')
        *out = (GptDesc){.max_len = 128, .dim = 32, .layers = 1, .heads = 4};
    else if (name == 'M' || name == 'm')
        *out = (GptDesc){.max_len = 256, .dim = 64, .layers = 2, .heads = 4};
    else
        return false;
    return true;
}

bool gptm_check(const GptDesc *d, Err *e)
{
    if (d->vocab < 2 || d->vocab > GPT_MAX_VOCAB)
        return err_set(e, "vocabulary of %d tokens: want 2 .. %d", d->vocab, GPT_MAX_VOCAB);
    if (d->max_len < 1 || d->max_len > GPT_MAX_LEN)
        return err_set(e, "context length %d: want 1 .. %d", d->max_len, GPT_MAX_LEN);
    if (d->dim < 1 || d->dim > GPT_MAX_DIM)
        return err_set(e, "dim %d: want 1 .. %d", d->dim, GPT_MAX_DIM);
    if (d->layers < 1 || d->layers > GPT_MAX_LAYERS)
        return err_set(e, "%d layers: want 1 .. %d", d->layers, GPT_MAX_LAYERS);
    if (d->heads < 1 || d->dim % d->heads)
        return err_set(e, "%d heads do not divide dim %d", d->heads, d->dim);
    if (d->init != GPT_INIT_GPT2 && d->init != GPT_INIT_TORCH)
        return err_set(e, "unknown init %d", (int)d->init);
    /* one sequence's widest activation is indexed with int */
    if ((int64_t)d->max_len * 4 * d->dim > INT_MAX || (int64_t)d->max_len * d->vocab > INT_MAX)
        return err_set(e, "context %d x dim %d is too large for one sequence", d->max_len, d->dim);
    return true;
}

static const struct {
    const char *name;
    int rows, cols; /* in units of dim: -1 is 1 (a vector) */
    bool decay;
} layer_tensors[PER_LAYER] = {
    {"ln1.w", -1, 1, false},  {"ln1.b", -1, 1, false}, {"qkvw", 1, 3, true},
    {"qkvb", -1, 3, false},   {"projw", 1, 1, true},   {"projb", -1, 1, false},
    {"ln2.w", -1, 1, false},  {"ln2.b", -1, 1, false}, {"fcw", 1, 4, true},
    {"fcb", -1, 4, false},    {"fcprojw", 4, 1, true}, {"fcprojb", -1, 1, false},
};

GptTensor gptm_tensor(const GptModel *m, int i)
{
    const GptDesc *d = &m->desc;
    int c = d->dim;
    GptTensor t = {0};
    size_t off = 0;
    size_t table = (size_t)d->vocab * (size_t)c, pos = (size_t)d->max_len * (size_t)c;
    size_t per_layer = 12 * (size_t)c * (size_t)c + 13 * (size_t)c;
    if (i == 0) {
        snprintf(t.name, sizeof t.name, "wte");
        t.rows = d->vocab, t.cols = c, t.decay = true;
    } else if (i == 1) {
        snprintf(t.name, sizeof t.name, "wpe");
        t.rows = d->max_len, t.cols = c, t.decay = true, off = table;
    } else if (i < 2 + PER_LAYER * d->layers) {
        int l = (i - 2) / PER_LAYER, k = (i - 2) % PER_LAYER;
        off = table + pos + (size_t)l * per_layer;
        for (int j = 0; j < k; j++) {
            int r = layer_tensors[j].rows;
            off += (size_t)(r < 0 ? 1 : r * c) * (size_t)(layer_tensors[j].cols * c);
        }
        snprintf(t.name, sizeof t.name, "h%d.%s", l, layer_tensors[k].name);
        t.rows = layer_tensors[k].rows < 0 ? 1 : layer_tensors[k].rows * c;
        t.cols = layer_tensors[k].cols * c;
        t.decay = layer_tensors[k].decay;
    } else {
        bool bias = i == 3 + PER_LAYER * d->layers;
        snprintf(t.name, sizeof t.name, bias ? "lnf.b" : "lnf.w");
        t.rows = 1, t.cols = c;
        off = table + pos + (size_t)d->layers * per_layer + (bias ? (size_t)c : 0);
    }
    t.offset = off;
    return t;
}

void gptm_point(const GptModel *m, float *block, GptWeights *w)
{
    memset(w, 0, sizeof *w);
    w->wte = block;
    w->wpe = block + gptm_tensor(m, 1).offset;
    for (int l = 0; l < m->desc.layers; l++) {
        float **p = &w->layer[l].ln1w; /* the struct lists the tensors in block order */
        for (int k = 0; k < PER_LAYER; k++)
            p[k] = block + gptm_tensor(m, 2 + l * PER_LAYER + k).offset;
    }
    w->lnfw = block + gptm_tensor(m, m->ntensors - 2).offset;
    w->lnfb = block + gptm_tensor(m, m->ntensors - 1).offset;
}

/* Activations of one sequence: per layer x, ln1, ln1 mean, rstd, qkv, att, atty, x2, ln2, ln2
 * mean, rstd, fch, tanh(fch's GELU argument), gelu(fch); then the last residual, lnf, its mean,
 * rstd and the logits. */
static size_t layer_floats(int t, int c, int h)
{
    return 20 * (size_t)t * (size_t)c + 4 * (size_t)t + (size_t)h * (size_t)t * (size_t)t;
}

static size_t work_floats(const GptDesc *d, size_t *act_end)
{
    size_t t = (size_t)d->max_len, c = (size_t)d->dim, v = (size_t)d->vocab;
    size_t wide = 4 * c > v ? 4 * c : v, hs = c / (size_t)d->heads;
    size_t act = (size_t)d->layers * layer_floats(d->max_len, d->dim, d->heads) + 2 * t * c +
                 2 * t + t * v;
    if (act_end)
        *act_end = act;
    return act + 2 * t * c + 8 * t * c + wide * t + 4 * hs * t + t;
}

int gptm_grad_groups(int batch) { return batch < GPT_GRAD_GROUPS ? batch : GPT_GRAD_GROUPS; }

bool gptm_estimate(const GptDesc *in, int batch, int threads, GptEstimate *out, Err *e)
{
    GptDesc d = gptm_desc_defaults(in);
    if (!gptm_check(&d, e))
        return false;
    if (batch < 1 || threads < 1)
        return err_set(e, "batch %d and threads %d must be at least 1", batch, threads);
    double c = d.dim, t = d.max_len, v = d.vocab, L = d.layers;
    double params = v * c + t * c + L * (12 * c * c + 13 * c) + 2 * c;
    double mats = L * 12 * c * c + v * c;
    *out = (GptEstimate){.params = (size_t)params};
    out->model_bytes = 4.0 * ((3 + gptm_grad_groups(batch)) * params + mats);
    out->thread_bytes = 4.0 * (double)work_floats(&d, NULL);
    out->total_bytes = out->model_bytes + threads * out->thread_bytes;
    double fwd = 2 * (L * 12 * c * c + c * v) + L * 2 * c * (t + 1);
    out->flops_per_token = 3 * fwd;
    int groups = gptm_grad_groups(batch), busy = threads < groups ? threads : groups;
    double tokens_per_thread = ceil((double)groups / busy) * ceil((double)batch / groups) * t;
    out->step_seconds = out->flops_per_token * tokens_per_thread / (GPT_EST_GFLOPS * 1e9);
    return true;
}

bool gptm_fits(const GptEstimate *est, const GptDesc *d, int threads, Err *e)
{
    double phys = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
    if (phys > 0 && est->total_bytes > phys)
        return err_set(e, "context %d x dim %d, %d layers on %d threads needs %.1f GiB, more "
                       "than this machine's %.1f GiB", d->max_len, d->dim, d->layers, threads,
                       est->total_bytes / 1073741824.0, phys / 1073741824.0);
    return true;
}

/* N(0, std) from the stream s */
static void fill_normal(float *p, size_t n, double std, uint64_t *s)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (float)(std * rng_gauss(s));
}

void gptm_reinit(GptModel *m, uint64_t seed)
{
    const GptDesc *d = &m->desc;
    uint64_t s = rng_mix(seed ^ 0x6770742d696e6974ull);
    double resid = 0.02 / sqrt(2.0 * d->layers);
    for (int i = 0; i < m->ntensors; i++) {
        GptTensor t = gptm_tensor(m, i);
        float *p = m->params + t.offset;
        size_t n = (size_t)t.rows * (size_t)t.cols;
        size_t len = strlen(t.name);
        bool table = i < 2, ln_weight = len > 2 && !strcmp(t.name + len - 2, ".w");
        if (table)
            fill_normal(p, n, d->init == GPT_INIT_TORCH ? 1.0 : 0.02, &s);
        else if (t.decay)
            fill_normal(p, n, strstr(t.name, "projw") ? resid : 0.02, &s);
        else
            for (size_t j = 0; j < n; j++)
                p[j] = ln_weight ? 1.0f : 0.0f;
    }
    gptm_prepare(m);
}

bool gptm_init(GptModel *m, const GptDesc *in, Err *e)
{
    memset(m, 0, sizeof *m);
    GptDesc d = gptm_desc_defaults(in);
    GptEstimate est;
    if (!gptm_estimate(&d, 1, 1, &est, e))
        return false;
    if (!gptm_fits(&est, &d, 1, e))
        return false;
    m->desc = d;
    m->nparams = est.params;
    m->ntensors = 4 + PER_LAYER * d.layers;
    size_t c = (size_t)d.dim, mats = (size_t)d.layers * 12 * c * c + (size_t)d.vocab * c;
    m->params = malloc(m->nparams * sizeof(float));
    m->wt = malloc(mats * sizeof(float));
    if (!m->params || !m->wt) {
        gptm_deinit(m);
        return err_set(e, "out of memory for %zu parameters", est.params);
    }
    gptm_point(m, m->params, &m->w);
    float *p = m->wt;
    m->wte_t = p;
    p += (size_t)d.vocab * c;
    for (int l = 0; l < d.layers; l++) {
        m->qkvw_t[l] = p, p += 3 * c * c;
        m->projw_t[l] = p, p += c * c;
        m->fcw_t[l] = p, p += 4 * c * c;
        m->fcprojw_t[l] = p, p += 4 * c * c;
    }
    gptm_reinit(m, d.seed);
    return true;
}

void gptm_deinit(GptModel *m)
{
    free(m->params);
    free(m->wt);
    memset(m, 0, sizeof *m);
}

void gptm_prepare(GptModel *m)
{
    int c = m->desc.dim;
    gptk_transpose(m->desc.vocab, c, m->w.wte, c, m->wte_t, m->desc.vocab);
    for (int l = 0; l < m->desc.layers; l++) {
        const GptLayerW *w = &m->w.layer[l];
        gptk_transpose(c, 3 * c, w->qkvw, 3 * c, m->qkvw_t[l], c);
        gptk_transpose(c, c, w->projw, c, m->projw_t[l], c);
        gptk_transpose(c, 4 * c, w->fcw, 4 * c, m->fcw_t[l], c);
        gptk_transpose(4 * c, c, w->fcprojw, c, m->fcprojw_t[l], 4 * c);
    }
}

/* Pointers to layer l's activations inside w->act. */
typedef struct LayerAct {
    float *x, *ln1, *ln1m, *ln1r, *qkv, *att, *atty, *x2, *ln2, *ln2m, *ln2r, *fch, *fcth, *fcg;
} LayerAct;

static LayerAct layer_act(const GptWork *w, int l)
{
    size_t t = (size_t)w->t, c = (size_t)w->c;
    float *p = w->act + (size_t)l * layer_floats(w->t, w->c, w->h);
    LayerAct a;
    a.x = p, p += t * c;
    a.ln1 = p, p += t * c;
    a.ln1m = p, p += t;
    a.ln1r = p, p += t;
    a.qkv = p, p += 3 * t * c;
    a.att = p, p += (size_t)w->h * t * t;
    a.atty = p, p += t * c;
    a.x2 = p, p += t * c;
    a.ln2 = p, p += t * c;
    a.ln2m = p, p += t;
    a.ln2r = p, p += t;
    a.fch = p, p += 4 * t * c;
    a.fcth = p, p += 4 * t * c;
    a.fcg = p;
    return a;
}

bool gptm_work_init(GptWork *w, const GptModel *m, Err *e)
{
    const GptDesc *d = &m->desc;
    memset(w, 0, sizeof *w);
    size_t act = 0, n = work_floats(d, &act);
    w->block = calloc(n, sizeof(float));
    if (!w->block)
        return err_set(e, "out of memory for %zu floats of activations", n);
    w->floats = n;
    w->t = d->max_len, w->c = d->dim, w->v = d->vocab, w->h = d->heads, w->layers = d->layers;
    size_t t = (size_t)w->t, c = (size_t)w->c, v = (size_t)w->v;
    w->act = w->block;
    float *p = w->block + (size_t)d->layers * layer_floats(w->t, w->c, w->h);
    w->xl = p, p += t * c;
    w->lnf = p, p += t * c;
    w->lnf_m = p, p += t;
    w->lnf_r = p, p += t;
    w->logits = p, p += t * v;
    w->dres = p, p += t * c;
    w->dln = p, p += t * c;
    w->dbig = p, p += 4 * t * c;
    w->dfcg = p, p += 4 * t * c;
    w->xt = p, p += (4 * c > v ? 4 * c : v) * t;
    w->ascratch = p;
    return true;
}

void gptm_work_deinit(GptWork *w)
{
    free(w->block);
    memset(w, 0, sizeof *w);
}

/* out (n) = a + b */
static void add(float *out, const float *a, const float *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = a[i] + b[i];
}

double gptm_forward(const GptModel *m, GptWork *w, const int32_t *tok)
{
    int t = w->t, c = w->c, v = w->v, h = w->h;
    size_t tc = (size_t)t * (size_t)c;
    gptl_embed_forward(layer_act(w, 0).x, tok, m->w.wte, m->w.wpe, t, c);
    for (int l = 0; l < w->layers; l++) {
        LayerAct a = layer_act(w, l);
        const GptLayerW *p = &m->w.layer[l];
        float *next = l + 1 < w->layers ? layer_act(w, l + 1).x : w->xl;
        gptl_layernorm_forward(a.ln1, a.ln1m, a.ln1r, a.x, p->ln1w, p->ln1b, t, c);
        gptl_linear_forward(a.qkv, a.ln1, p->qkvw, p->qkvb, t, c, 3 * c);
        gptl_attention_forward(a.atty, a.att, a.qkv, w->ascratch, t, c, h);
        gptl_linear_forward(a.x2, a.atty, p->projw, p->projb, t, c, c);
        add(a.x2, a.x2, a.x, tc);
        gptl_layernorm_forward(a.ln2, a.ln2m, a.ln2r, a.x2, p->ln2w, p->ln2b, t, c);
        gptl_linear_forward(a.fch, a.ln2, p->fcw, p->fcb, t, c, 4 * c);
        gptl_gelu_forward(a.fcg, a.fcth, a.fch, 4 * t * c);
        gptl_linear_forward(next, a.fcg, p->fcprojw, p->fcprojb, t, 4 * c, c);
        add(next, next, a.x2, tc);
    }
    gptl_layernorm_forward(w->lnf, w->lnf_m, w->lnf_r, w->xl, m->w.lnfw, m->w.lnfb, t, c);
    gptl_linear_forward(w->logits, w->lnf, m->wte_t, NULL, t, c, v);
    return gptl_xent_forward(w->logits, tok + 1, t, v);
}

void gptm_backward(const GptModel *m, GptWork *w, const int32_t *tok, float scale,
                   const GptWeights *g)
{
    int t = w->t, c = w->c, v = w->v, h = w->h;
    size_t tc = (size_t)t * (size_t)c, tc4 = 4 * tc;
    gptl_xent_backward(w->logits, tok + 1, scale, t, v);
    /* logits = lnf @ wte^T: dlnf = dlogits @ wte, dwte += dlogits^T @ lnf */
    memset(w->dln, 0, tc * sizeof(float));
    gptk_gemm(t, c, v, w->logits, v, m->w.wte, c, w->dln, c);
    gptk_transpose(t, v, w->logits, v, w->xt, t);
    gptk_gemm(v, c, t, w->xt, t, w->lnf, c, g->wte, c);
    memset(w->dres, 0, tc * sizeof(float));
    gptl_layernorm_backward(w->dres, g->lnfw, g->lnfb, w->dln, w->xl, m->w.lnfw, w->lnf_m,
                            w->lnf_r, t, c);
    for (int l = w->layers - 1; l >= 0; l--) {
        LayerAct a = layer_act(w, l);
        const GptLayerW *p = &m->w.layer[l], *gl = &g->layer[l];
        /* dres is d(block output); the residual passes it through to x2 and then x */
        memset(w->dfcg, 0, tc4 * sizeof(float));
        gptl_linear_backward(w->dfcg, gl->fcprojw, gl->fcprojb, w->dres, a.fcg, m->fcprojw_t[l],
                             w->xt, t, 4 * c, c);
        memset(w->dbig, 0, tc4 * sizeof(float));
        gptl_gelu_backward(w->dbig, w->dfcg, a.fch, a.fcth, 4 * t * c);
        memset(w->dln, 0, tc * sizeof(float));
        gptl_linear_backward(w->dln, gl->fcw, gl->fcb, w->dbig, a.ln2, m->fcw_t[l], w->xt, t, c,
                             4 * c);
        gptl_layernorm_backward(w->dres, gl->ln2w, gl->ln2b, w->dln, a.x2, p->ln2w, a.ln2m,
                                a.ln2r, t, c);
        memset(w->dfcg, 0, tc * sizeof(float)); /* d atty */
        gptl_linear_backward(w->dfcg, gl->projw, gl->projb, w->dres, a.atty, m->projw_t[l],
                             w->xt, t, c, c);
        gptl_attention_backward(w->dbig, w->dfcg, a.qkv, a.att, w->ascratch, t, c, h);
        memset(w->dln, 0, tc * sizeof(float));
        gptl_linear_backward(w->dln, gl->qkvw, gl->qkvb, w->dbig, a.ln1, m->qkvw_t[l], w->xt, t,
                             c, 3 * c);
        gptl_layernorm_backward(w->dres, gl->ln1w, gl->ln1b, w->dln, a.x, p->ln1w, a.ln1m,
                                a.ln1r, t, c);
    }
    gptl_embed_backward(g->wte, g->wpe, w->dres, tok, t, c);
}
