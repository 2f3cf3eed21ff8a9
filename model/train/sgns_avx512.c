/* AVX-512 negative-sampling kernels: see sgns_avx512.h. A row of dim floats is at most
 * SGNS512_MAX_DIM / 16 zmm registers, the last one masked; rows are loaded unaligned, so any
 * stride works. Built with target attributes (no -march), chosen at run time. Any thread. */
#include "model/train/sgns_avx512.h"
#include "model/train/sgns_work.h"
#include "model/train/sigmoid.h"

#ifdef SGNS512_BUILT
#include <immintrin.h>

#define NV (SGNS512_MAX_DIM / 16)
#define T512 __attribute__((target("avx512f")))
#define T512_INLINE static inline __attribute__((always_inline, target("avx512f")))

bool sgns512_usable(int dim)
{
    return dim > 0 && dim <= SGNS512_MAX_DIM && __builtin_cpu_supports("avx512f");
}

/* The shape of a row: nv registers, the last one holding dim % 16 floats (mask). */
typedef struct Shape512 {
    int nv;
    __mmask16 last;
} Shape512;

static Shape512 shape_of(int dim)
{
    int tail = dim % 16;
    return (Shape512){(dim + 15) / 16, (__mmask16)(tail ? (1u << tail) - 1 : 0xFFFFu)};
}

T512_INLINE __m512 ld(const float *p, int v, Shape512 s)
{
    return v < s.nv - 1 ? _mm512_loadu_ps(p + 16 * v) : _mm512_maskz_loadu_ps(s.last, p + 16 * v);
}

T512_INLINE void st(float *p, int v, Shape512 s, __m512 x)
{
    if (v < s.nv - 1)
        _mm512_storeu_ps(p + 16 * v, x);
    else
        _mm512_mask_storeu_ps(p + 16 * v, s.last, x);
}

/* Loads a row into r[0..nv); the registers past it are zeroed, never read. */
T512_INLINE void ld_row(__m512 r[NV], const float *p, Shape512 s)
{
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++)
        r[v] = v < s.nv ? ld(p, v, s) : _mm512_setzero_ps();
}

/* a . r over the row, from two interleaved sums so the FMA latency overlaps. */
T512_INLINE float dot_rows(const __m512 a[NV], const __m512 r[NV], Shape512 s)
{
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
#pragma GCC unroll 8
    for (int v = 0; v < NV; v += 2) {
        if (v < s.nv)
            s0 = _mm512_fmadd_ps(a[v], r[v], s0);
        if (v + 1 < s.nv)
            s1 = _mm512_fmadd_ps(a[v + 1], r[v + 1], s1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

/* The scaled error of one output: (label - sigmoid(f)) alpha, and the loss term. */
T512_INLINE float error_of(float f, int positive, float alpha, const float *sig, int want_loss,
                           float *loss)
{
    if (want_loss)
        *loss -= sigmoid_log(positive ? f : -f);
    return ((positive ? 1.0f : 0.0f) - sigmoid_lookup(sig, f)) * alpha;
}

T512 float sgns512_ns_step(const float *h, float *grad, float *const *out, int n, int dim,
                           float alpha, const float *sig, int want_loss)
{
    Shape512 s = shape_of(dim);
    __m512 hv[NV], gv[NV], ov[NV];
    ld_row(hv, h, s);
    ld_row(gv, grad, s);
    float loss = 0;
    for (int d = 0; d < n; d++) {
        ld_row(ov, out[d], s);
        float g = error_of(dot_rows(hv, ov, s), d == 0, alpha, sig, want_loss, &loss);
        __m512 gg = _mm512_set1_ps(g);
#pragma GCC unroll 8
        for (int v = 0; v < NV; v++)
            if (v < s.nv) {
                gv[v] = _mm512_fmadd_ps(gg, ov[v], gv[v]);
                st(out[d], v, s, _mm512_fmadd_ps(gg, hv[v], ov[v]));
            }
    }
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++)
        if (v < s.nv)
            st(grad, v, s, gv[v]);
    return loss;
}

/* dst[v] += sum_r w[r * wstep] rows[r][v] over the row, the sums in registers. */
T512_INLINE void add_combination(float *dst, const float *w, int wstep, float *const *rows,
                                 int nr, Shape512 s)
{
    __m512 acc[NV], x[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++)
        acc[v] = _mm512_setzero_ps();
    for (int r = 0; r < nr; r++) {
        __m512 g = _mm512_set1_ps(w[r * wstep]);
        ld_row(x, rows[r], s);
#pragma GCC unroll 8
        for (int v = 0; v < NV; v++)
            if (v < s.nv)
                acc[v] = _mm512_fmadd_ps(g, x[v], acc[v]);
    }
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++)
        if (v < s.nv)
            st(dst, v, s, _mm512_add_ps(ld(dst, v, s), acc[v]));
}

T512 float sgns512_batch_step(float *const *in, int m, float *const *out, int n, int dim,
                              float alpha, const float *sig, float *work, int want_loss)
{
    Shape512 s = shape_of(dim);
    int64_t stride = SGNS_WORK_ROW(dim);
    float *dX = work;                    /* (m, stride) gradient for the input rows */
    float *G = dX + (int64_t)m * stride; /* (m, n) */
    float loss = 0;
    __m512 xv[NV], dx[NV], ov[NV];
    /* One pass over the outputs per context row: its n dots, and G O into registers. */
    for (int c = 0; c < m; c++) {
        ld_row(xv, in[c], s);
#pragma GCC unroll 8
        for (int v = 0; v < NV; v++)
            dx[v] = _mm512_setzero_ps();
        for (int k = 0; k < n; k++) {
            ld_row(ov, out[k], s);
            float g = error_of(dot_rows(xv, ov, s), k == 0, alpha, sig, want_loss, &loss);
            G[c * n + k] = g;
            __m512 gg = _mm512_set1_ps(g);
#pragma GCC unroll 8
            for (int v = 0; v < NV; v++)
                if (v < s.nv)
                    dx[v] = _mm512_fmadd_ps(gg, ov[v], dx[v]);
        }
        float *d = dX + (int64_t)c * stride;
#pragma GCC unroll 8
        for (int v = 0; v < NV; v++)
            if (v < s.nv)
                st(d, v, s, dx[v]);
    }
    /* Each output row takes G^T X from the input rows, which have not moved yet. */
    for (int k = 0; k < n; k++)
        add_combination(out[k], G + k, n, in, m, s);
    for (int c = 0; c < m; c++) {
        ld_row(dx, dX + (int64_t)c * stride, s);
        ld_row(xv, in[c], s);
#pragma GCC unroll 8
        for (int v = 0; v < NV; v++)
            if (v < s.nv)
                st(in[c], v, s, _mm512_add_ps(xv[v], dx[v]));
    }
    return loss;
}

#else /* not built here: the portable kernels run */

bool sgns512_usable(int dim)
{
    (void)dim;
    return false;
}
#endif
