/* AdamW (Loshchilov and Hutter), as torch.optim.AdamW computes it: decoupled weight decay
 * p -= lr * wd * p, then the bias-corrected Adam step. The moments live with the caller (one
 * block shaped like the parameters); an update may be split into disjoint ranges run by
 * different threads. Pure functions: any thread. */
#ifndef EMBEDSCOPE_GPT_ADAMW_H
#define EMBEDSCOPE_GPT_ADAMW_H
#include <stddef.h>
#include <stdint.h>

/* Zero means default (gpto_desc_defaults). */
typedef struct GptAdamWDesc {
    double beta1;        /* 0.9 */
    double beta2;        /* 0.95: nanoGPT's and GPT-3's, steadier than torch's 0.999 on tiny batches */
    double eps;          /* 1e-8 */
    double weight_decay; /* 0.1 (nanoGPT), on the ranges the caller marks; < 0 means none */
} GptAdamWDesc;

GptAdamWDesc gpto_desc_defaults(const GptAdamWDesc *d);

/* Step number step (1, 2, ...) with learning rate lr over elements [0, n) of p, given the
 * gradient g and moments m, v (all of n floats, zero before step 1). decay: apply weight
 * decay to these elements. */
void gpto_update(const GptAdamWDesc *d, float *p, const float *g, float *m, float *v, size_t n,
                 int64_t step, double lr, int decay);

#endif
