/* Layout kernels (see lkern.h). Sixteen independent partial sums match the 64-byte row
 * padding, so -O3 keeps them in vector registers without -ffast-math, in each KERNEL copy. */
#include "model/layout/lkern.h"
#include "model/base/kernels.h"

static inline float dot16(const float *a, const float *b, int stride)
{
    float acc[16] = {0};
    for (int j = 0; j < stride; j += 16)
        for (int t = 0; t < 16; t++)
            acc[t] += a[j + t] * b[j + t];
    float s = 0;
    for (int t = 0; t < 16; t++)
        s += acc[t];
    return s;
}

KERNEL float lkern_dot(const float *a, const float *b, int stride) { return dot16(a, b, stride); }

KERNEL void lkern_dots(const float *base, int stride, const float *q, const int32_t *ids, int n,
                       float *out)
{
    for (int t = 0; t < n; t++)
        out[t] = dot16(base + (int64_t)ids[t] * stride, q, stride);
}

KERNEL void lkern_scan(const float *base, int stride, const float *q, int64_t n, float *out)
{
    for (int64_t r = 0; r < n; r++)
        out[r] = dot16(base + r * stride, q, stride);
}
