/* The word2vec inner kernels: dot/axpy over rows, the sigmoid table, and one negative-sampling
 * or hierarchical-softmax step for a hidden vector. Pure functions over caller-owned memory;
 * trainer threads call them concurrently on shared rows (Hogwild). */
#ifndef EMBEDSCOPE_SGNS_H
#define EMBEDSCOPE_SGNS_H
#include "model/train/sgns_work.h"
#include "model/train/sigmoid.h"
#include <stdbool.h>
#include <stdint.h>

/* sig[i] = sigmoid(-6 + 12 * i / SGNS_TABLE_SIZE), i in [0, SGNS_TABLE_SIZE]. */
void sgns_init_table(float sig[SGNS_TABLE_SIZE + 1]);
float sgns_sigmoid(const float *sig, float f);

float sgns_dot(const float *a, const float *b, int n);
void sgns_axpy(float *y, float a, const float *x, int n); /* y += a x */

/* Which kernels sgns_ns_step and sgns_batch_step run: the AVX-512 ones of sgns_avx512.h when
 * the CPU has AVX-512F and dim <= SGNS512_MAX_DIM, unless the environment variable
 * EMBEDSCOPE_SIMD=portable was set when first asked (read once, for a before/after); else the
 * portable ones (*_portable, multi-versioned for AVX2 and SSE2). */
bool sgns_uses_avx512(int dim);

/* The output rows of a step are given as pointers, out[0] the positive word's and out[1..n)
 * the negatives' (a row may repeat): rows of syn1neg, or a thread's private copy of a hot
 * row (worker.c). */

/* Negative sampling for hidden vector h (dim floats). For each output row, g = (label -
 * sigmoid(h . out)) * alpha; accumulates g * out into grad (= -alpha dL/dh, added to the
 * input rows by the caller) and adds g * h to out in place. Returns the loss -log sig(h.u0) -
 * sum log sig(-h.uk) when want_loss (else 0). */
float sgns_ns_step(const float *h, float *grad, float *const *out, int n, int dim, float alpha,
                   const float *sig, int want_loss);
float sgns_ns_step_portable(const float *h, float *grad, float *const *out, int n, int dim,
                            float alpha, const float *sig, int want_loss);

/* HogBatch skip-gram step (Ji et al. 2016): the m context rows in[c] all predict the same
 * output rows out[0..n) (positive first, then negatives shared by the whole window). With
 * F = X O^T (m x n) and G = (labels - sigmoid(F)) * alpha, adds G O to the input rows and
 * G^T X to the output rows, both computed from the values before the step, as two small
 * matrix products. work holds SGNS_BATCH_WORK(m, n, dim) floats. Returns the summed loss when
 * want_loss. */
float sgns_batch_step(float *const *in, int m, float *const *out, int n, int dim, float alpha,
                      const float *sig, float *work, int want_loss);
float sgns_batch_step_portable(float *const *in, int m, float *const *out, int n, int dim,
                               float alpha, const float *sig, float *work, int want_loss);

/* Hierarchical softmax along a word's Huffman path: points[i] are inner-node rows of syn1,
 * codes[i] the branch bits (label = 1 - code). Same accumulation as sgns_ns_step. */
float sgns_hs_step(const float *h, float *grad, float *syn1, int64_t stride,
                   const int32_t *points, const uint8_t *codes, int len, int dim, float alpha,
                   const float *sig, int want_loss);

#endif
