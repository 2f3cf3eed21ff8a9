/* The layers of the small transformer, forward and backward, for one sequence of t tokens:
 * embedding sum, LayerNorm, GELU (tanh form, as GPT-2), causal multi-head attention and the
 * softmax cross-entropy of the next token. Backward functions add into parameter gradients
 * (summed over sequences) and write or add input gradients as each says. Shapes are in the
 * comments: (t, c) is t rows of c floats, row-major. Pure functions over caller-owned
 * storage: any thread. */
#ifndef EMBEDSCOPE_GPT_LAYERS_H
#define EMBEDSCOPE_GPT_LAYERS_H
#include <stdint.h>

/* out (t, c) = wte[tok[i]] + wpe[i]; wte (V, c), wpe (>= t, c). */
void gptl_embed_forward(float *out, const int32_t *tok, const float *wte, const float *wpe,
                        int t, int c);
/* dwte[tok[i]] += dout[i]; dwpe[i] += dout[i]. */
void gptl_embed_backward(float *dwte, float *dwpe, const float *dout, const int32_t *tok, int t,
                         int c);

/* out (t, c) = (x - mean) * rstd * w + b per row, eps 1e-5 (torch's); mean, rstd (t) kept
 * for backward. */
void gptl_layernorm_forward(float *out, float *mean, float *rstd, const float *x, const float *w,
                            const float *b, int t, int c);
/* dx += ..., dw += ..., db += ... from dout (t, c). */
void gptl_layernorm_backward(float *dx, float *dw, float *db, const float *dout, const float *x,
                             const float *w, const float *mean, const float *rstd, int t, int c);

/* out (t, n) = x (t, k) @ w (k, n) + b (n, or NULL). */
void gptl_linear_forward(float *out, const float *x, const float *w, const float *b, int t, int k,
                         int n);
/* dx (t, k) += dout @ wt, where wt (n, k) is w transposed; dw (k, n) += x^T @ dout, through
 * xt (k, t), scratch; db (n, or NULL) += column sums of dout. */
void gptl_linear_backward(float *dx, float *dw, float *db, const float *dout, const float *x,
                          const float *wt, float *xt, int t, int k, int n);

/* out (n) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))); th (n) keeps the tanh. */
void gptl_gelu_forward(float *out, float *th, const float *x, int n);
/* dx (n) += dout * gelu'(x), from x and the forward's th. */
void gptl_gelu_backward(float *dx, const float *dout, const float *x, const float *th, int n);

/* Causal self-attention of h heads over qkv (t, 3c) = [q | k | v], head j using columns
 * j*c/h .. (j+1)*c/h of each. out (t, c); att (h, t, t) keeps the softmax rows (entries
 * above the diagonal are not written); scratch (2 * c/h * t) floats. */
void gptl_attention_forward(float *out, float *att, const float *qkv, float *scratch, int t,
                            int c, int h);
/* dqkv (t, 3c) = the gradient from dout (t, c) (written, not added); scratch
 * (4 * c/h * t + t) floats. */
void gptl_attention_backward(float *dqkv, const float *dout, const float *qkv, const float *att,
                             float *scratch, int t, int c, int h);

/* logits (t, v) become probabilities; returns the sum over rows of -log p[target[i]]. */
double gptl_xent_forward(float *logits, const int32_t *target, int t, int v);
/* probs (t, v) become dloss/dlogits of scale * (that sum), in place. */
void gptl_xent_backward(float *probs, const int32_t *target, float scale, int t, int v);

#endif
