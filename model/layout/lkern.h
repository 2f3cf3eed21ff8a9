/* The inner loops of the layout code that read vectors: dot products of one unit row with a
 * gathered list of rows, built per CPU by KERNEL (model/base/kernels.h). Pure functions over
 * read-only inputs; any thread. */
#ifndef EMBEDSCOPE_LKERN_H
#define EMBEDSCOPE_LKERN_H
#include <stdint.h>

/* Dot product of two rows of stride floats (a multiple of 16; padding columns are 0). */
float lkern_dot(const float *a, const float *b, int stride);
/* out[t] = dot(q, base + ids[t] * stride) for t < n: the rows are gathered one by one, so the
 * kernel stays in one call for a whole candidate list. */
void lkern_dots(const float *base, int stride, const float *q, const int32_t *ids, int n,
                float *out);
/* out[r] = dot(q, base + r * stride) for r < n: a contiguous block of rows. */
void lkern_scan(const float *base, int stride, const float *q, int64_t n, float *out);

#endif
