/* AdamW: see adamw.h. The bias corrections are computed once per call in double; the
 * per-element arithmetic is float, as torch's. Any thread. */
#include "model/gpt/adamw.h"
#include "model/base/kernels.h"
#include <math.h>

GptAdamWDesc gpto_desc_defaults(const GptAdamWDesc *in)
{
    GptAdamWDesc d = in ? *in : (GptAdamWDesc){0};
    if (d.beta1 == 0)
        d.beta1 = 0.9;
    if (d.beta2 == 0)
        d.beta2 = 0.95;
    if (d.eps == 0)
        d.eps = 1e-8;
    if (d.weight_decay == 0)
        d.weight_decay = 0.1;
    return d;
}

KERNEL void gpto_update(const GptAdamWDesc *d, float *p, const float *g, float *m, float *v,
                        size_t n, int64_t step, double lr, int decay)
{
    float b1 = (float)d->beta1, b2 = (float)d->beta2;
    double c1 = 1.0 - pow(d->beta1, (double)step), c2 = 1.0 - pow(d->beta2, (double)step);
    float step_size = (float)(lr / c1), rc2 = (float)(1.0 / sqrt(c2)), eps = (float)d->eps;
    float shrink = decay && d->weight_decay > 0 ? (float)(1.0 - lr * d->weight_decay) : 1.0f;
    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1.0f - b1) * g[i];
        v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
        p[i] = p[i] * shrink - step_size * m[i] / (sqrtf(v[i]) * rc2 + eps);
    }
}
