/* AVX-512 copies of the negative-sampling kernels of sgns.h, for dim <= SGNS512_MAX_DIM: the
 * hidden vector, its gradient and the sums stay in zmm registers over all targets, with FMA.
 * Same arguments and meaning as sgns_ns_step / sgns_batch_step; the results differ from the
 * portable kernels' by rounding only (another summation order, fused multiply-adds). Callers
 * check sgns512_usable first. Pure functions over caller-owned memory; any thread. */
#ifndef EMBEDSCOPE_SGNS_AVX512_H
#define EMBEDSCOPE_SGNS_AVX512_H
#include <stdbool.h>
#include <stdint.h>

#define SGNS512_MAX_DIM 128 /* 8 zmm registers a row */

/* True when this CPU has AVX-512F and dim fits (always false where the kernels are not built:
 * not x86-64, or not GCC/clang). */
bool sgns512_usable(int dim);

#if defined(__x86_64__) && defined(__GNUC__)
#define SGNS512_BUILT 1

float sgns512_ns_step(const float *h, float *grad, float *const *out, int n, int dim,
                      float alpha, const float *sig, int want_loss);

float sgns512_batch_step(float *const *in, int m, float *const *out, int n, int dim,
                         float alpha, const float *sig, float *work, int want_loss);
#endif

#endif
