/* The small transformer language model: a GPT over the tokens of a corpus (bytes, see text.h)
 * with a token table wte (V, dim) tied to the output, a learned position table wpe (max_len,
 * dim) added to it, `layers` pre-LN blocks (h-head causal attention, GELU MLP of 4 * dim), a
 * final LayerNorm and the next token's cross-entropy. All parameters live in one block
 * (llm.c's layout idea); gradients and the optimiser's moments use the same layout.
 * A GptModel is written by one thread at a time (the session's optimiser step); forward and
 * backward only read it, so many threads run them at once, each with its own GptWork. */
#ifndef EMBEDSCOPE_GPT_MODEL_H
#define EMBEDSCOPE_GPT_MODEL_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GPT_MAX_LAYERS 48
#define GPT_MAX_LEN 65536     /* positions */
#define GPT_MAX_DIM 8192
#define GPT_MAX_VOCAB 65536

typedef enum GptInit {
    GPT_INIT_GPT2 = 0,  /* every matrix and both tables N(0, 0.02), residual projections
                           N(0, 0.02 / sqrt(2 layers)) as GPT-2 */
    GPT_INIT_TORCH = 1, /* the same, but wte and wpe N(0, 1): nn.Embedding's default */
} GptInit;

/* Zero means default (gptm_desc_defaults): preset S. */
typedef struct GptDesc {
    int vocab;     /* tokens: set from the corpus (no default) */
    int max_len;   /* positions, the context length: 128 */
    int dim;       /* 32 */
    int layers;    /* 1 */
    int heads;     /* 4; must divide dim */
    GptInit init;  /* GPT_INIT_GPT2 */
    uint64_t seed; /* 1 */
} GptDesc;

GptDesc gptm_desc_defaults(const GptDesc *d);
/* Preset 'S' (dim 32, 1 layer, 4 heads, context 128) or 'M' (dim 64, 2 layers, 4 heads,
 * context 256); false for another letter. */
bool gptm_preset(char name, GptDesc *out);
/* Checks a desc (defaults filled in): ranges, heads dividing dim. */
bool gptm_check(const GptDesc *d, Err *e);

/* One block's parameters, pointing into a parameter-shaped buffer. */
typedef struct GptLayerW {
    float *ln1w, *ln1b;    /* (dim) */
    float *qkvw, *qkvb;    /* (dim, 3 dim), (3 dim): columns q | k | v */
    float *projw, *projb;  /* (dim, dim), (dim) */
    float *ln2w, *ln2b;    /* (dim) */
    float *fcw, *fcb;      /* (dim, 4 dim), (4 dim) */
    float *fcprojw, *fcprojb; /* (4 dim, dim), (dim) */
} GptLayerW;

typedef struct GptWeights {
    float *wte;  /* (vocab, dim) */
    float *wpe;  /* (max_len, dim) */
    GptLayerW layer[GPT_MAX_LAYERS];
    float *lnfw, *lnfb; /* (dim) */
} GptWeights;

/* One tensor of the block, in block order (gptm_tensor). */
typedef struct GptTensor {
    char name[24];   /* "wte", "h0.qkvw", "lnf.b", ... */
    int rows, cols;  /* (rows, cols) row-major; vectors have rows 1 */
    size_t offset;   /* floats from the block's start */
    bool decay;      /* weight decay applies (matrices and tables, as nanoGPT) */
} GptTensor;

typedef struct GptModel {
    GptDesc desc;     /* defaults filled in */
    size_t nparams;
    int ntensors;     /* 4 + 12 layers */
    float *params;    /* (nparams) */
    GptWeights w;     /* into params */
    float *wt;        /* transposes for backward and the tied output, from gptm_prepare */
    float *wte_t;     /* (dim, vocab) */
    float *qkvw_t[GPT_MAX_LAYERS], *projw_t[GPT_MAX_LAYERS]; /* (3 dim, dim), (dim, dim) */
    float *fcw_t[GPT_MAX_LAYERS], *fcprojw_t[GPT_MAX_LAYERS]; /* (4 dim, dim), (dim, 4 dim) */
} GptModel;

/* Gradients of a batch are summed in min(batch, GPT_GRAD_GROUPS) groups fixed by the batch
 * alone (not by the threads), so the sum's rounding is the same on any number of threads;
 * a session runs at most that many threads. */
#define GPT_GRAD_GROUPS 16
int gptm_grad_groups(int batch);

/* What a model costs, before anything is allocated (the window shows it). */
typedef struct GptEstimate {
    size_t params;          /* floats */
    double model_bytes;     /* parameters, transposes, AdamW's two moments, a gradient per group */
    double thread_bytes;    /* per training thread: one sequence's activations and scratch */
    double total_bytes;     /* model + threads * thread */
    double flops_per_token; /* forward + backward, multiply-adds counted as 2 */
    double step_seconds;    /* batch * max_len tokens at GPT_EST_GFLOPS per thread */
} GptEstimate;

/* Sustained rate of training per thread, measured in CPU time on this project's AVX-512
 * machine (preset S and a 512 x 768 table both ran at 22 .. 26 GFLOP/s per thread: bench/README.md,
 * "Learned positions"): the basis of step_seconds. A busy or older machine is slower. */
#define GPT_EST_GFLOPS 20.0

/* Fills *out for d (defaults filled in, checked) trained with batch sequences on threads. */
bool gptm_estimate(const GptDesc *d, int batch, int threads, GptEstimate *out, Err *e);
/* false (e says how much is needed) when est.total_bytes exceed the machine's memory. */
bool gptm_fits(const GptEstimate *est, const GptDesc *d, int threads, Err *e);

/* Allocates and initialises the parameters (d checked, total_bytes checked against the
 * machine's memory). On failure m is zeroed and e says why. */
bool gptm_init(GptModel *m, const GptDesc *d, Err *e);
void gptm_deinit(GptModel *m);
/* Re-draws the parameters from desc.init and seed (the same values gptm_init made). */
void gptm_reinit(GptModel *m, uint64_t seed);
/* Points a table of tensors into a parameter-shaped block. */
void gptm_point(const GptModel *m, float *block, GptWeights *w);
/* Tensor i (0 .. ntensors-1) of the block. */
GptTensor gptm_tensor(const GptModel *m, int i);
/* Refreshes the transposes from the parameters: after every change to them. */
void gptm_prepare(GptModel *m);

/* One sequence's activations and backward scratch (one per thread). */
typedef struct GptWork {
    int t, c, v, h, layers;
    float *block;       /* everything below, one allocation */
    float *act;         /* per layer: see model.c */
    float *xl, *lnf, *lnf_m, *lnf_r, *logits;
    float *dres, *dln, *dbig, *dfcg, *xt, *ascratch;
    size_t floats;
} GptWork;

bool gptm_work_init(GptWork *w, const GptModel *m, Err *e);
void gptm_work_deinit(GptWork *w);
/* Forward of tok[0 .. max_len-1] predicting tok[1 .. max_len]: the summed cross-entropy (nats)
 * of the max_len predictions. Keeps what backward needs in w. */
double gptm_forward(const GptModel *m, GptWork *w, const int32_t *tok);
/* After gptm_forward on the same tok: adds scale * d(summed loss)/d(parameters) into grad
 * (a parameter-shaped buffer). */
void gptm_backward(const GptModel *m, GptWork *w, const int32_t *tok, float scale,
                   const GptWeights *grad);

#endif
