/* UMAP (see umap.h): parameters and the a, b fit, the start, and the SGD of umap-learn's
 * optimize_layout_euclidean (move the tail too, gradients clipped to [-4, 4], the learning
 * rate decaying linearly). The edges are split into one contiguous range per thread; each
 * epoch is one pool job. Coordinates are relaxed C11 atomics while several threads run them:
 * Hogwild without data races, and on x86 the same plain loads and stores. */
#include "model/layout/umap.h"
#include "model/base/kernels.h"
#include "model/base/rng.h"
#include "model/layout/fuzzy.h"
#include "model/layout/pcainit.h"
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define CLIP 4.0f          /* umap-learn's gradient clip */
#define INIT_SCALE 10.0    /* a cold start spans [0, 10] on each axis, as umap-learn */
#define INIT_NOISE 1e-4    /* noise added to the PCA start: no two rows start on one spot */

UmapDesc umap_desc_defaults(const UmapDesc *d, int64_t n)
{
    UmapDesc r = d ? *d : (UmapDesc){0};
    if (!r.dims)
        r.dims = 2;
    if (r.min_dist == 0)
        r.min_dist = 0.1;
    else if (r.min_dist < 0)
        r.min_dist = 0;
    if (r.spread == 0)
        r.spread = 1.0;
    if (!r.epochs)
        r.epochs = n <= 10000 ? 500 : 200;
    if (r.learning_rate == 0)
        r.learning_rate = 1.0;
    if (!r.negative_sample_rate)
        r.negative_sample_rate = 5;
    if (r.repulsion == 0)
        r.repulsion = 1.0;
    if (!r.seed)
        r.seed = 1;
    return r;
}

static double ab_target(double x, double min_dist, double spread)
{
    return x < min_dist ? 1.0 : exp(-(x - min_dist) / spread);
}

/* Sum of squared residuals of 1 / (1 + a x^2b) on the 300 points, and J^T J, J^T r. */
static double ab_cost(double a, double b, double min_dist, double spread, double jtj[3],
                      double jtr[2])
{
    double cost = 0;
    memset(jtj, 0, 3 * sizeof *jtj);
    memset(jtr, 0, 2 * sizeof *jtr);
    for (int i = 0; i < 300; i++) {
        double x = 3 * spread * i / 299.0; /* numpy.linspace(0, 3 spread, 300) */
        double u = x > 0 ? pow(x, 2 * b) : 0;
        double f = 1 / (1 + a * u);
        double r = f - ab_target(x, min_dist, spread);
        double da = -u * f * f, db = x > 0 ? -a * u * 2 * log(x) * f * f : 0;
        cost += r * r;
        jtj[0] += da * da;
        jtj[1] += da * db;
        jtj[2] += db * db;
        jtr[0] += da * r;
        jtr[1] += db * r;
    }
    return cost;
}

bool umap_fit_ab(double min_dist, double spread, double *a, double *b, Err *e)
{
    if (!(spread > 0) || !(min_dist >= 0) || min_dist > spread || !isfinite(spread))
        return err_set(e, "umap: min_dist %g and spread %g (want 0 <= min_dist <= spread)",
                       min_dist, spread);
    double pa = 1, pb = 1, lambda = 1e-3, jtj[3], jtr[2];
    double cost = ab_cost(pa, pb, min_dist, spread, jtj, jtr);
    for (int it = 0; it < 200 && lambda < 1e12; it++) {
        /* (J^T J + lambda diag) step = -J^T r */
        double m00 = jtj[0] * (1 + lambda), m11 = jtj[2] * (1 + lambda), m01 = jtj[1];
        double det = m00 * m11 - m01 * m01;
        if (!(fabs(det) > 0))
            break;
        double sa = -(m11 * jtr[0] - m01 * jtr[1]) / det;
        double sb = -(m00 * jtr[1] - m01 * jtr[0]) / det;
        double na = pa + sa, nb = pb + sb, njtj[3], njtr[2];
        if (!(na > 0 && nb > 0)) {
            lambda *= 10;
            continue;
        }
        double ncost = ab_cost(na, nb, min_dist, spread, njtj, njtr);
        if (ncost < cost) {
            bool done = cost - ncost < 1e-14 * (1 + cost);
            pa = na, pb = nb, cost = ncost, lambda *= 0.3;
            memcpy(jtj, njtj, sizeof jtj);
            memcpy(jtr, njtr, sizeof jtr);
            if (done)
                break;
        } else {
            lambda *= 10;
        }
    }
    *a = pa;
    *b = pb;
    return true;
}

typedef struct Sgd {
    _Atomic float *y;       /* (n, dims) */
    int32_t n;
    int dims, ntasks, epoch;
    const int32_t *head, *tail; /* (m) */
    const float *eps;       /* (m) epochs per positive sample */
    float *next, *next_neg; /* (m) epoch of the next positive and negative sample */
    float neg_rate, a, b, rep, att, alpha; /* rep: 2 gamma b; att: -2 a b */
    const float *rate;      /* (n) each row's share of the step, or NULL: all of it */
    uint64_t seed;
    int64_t chunk[POOL_MAX_THREADS + 1]; /* edge range of each task */
} Sgd;

/* Eight floats in GCC/clang vector extensions (one AVX register in the KERNEL clones, two SSE
 * registers in the baseline): a batch of negative samples below is computed in the lanes with
 * no branch, which plain loops did not get (gcc will not vectorise the selects without
 * -fno-trapping-math). Vectors never pass by value through a function (that changes the ABI
 * between the clones): macros and pointers. Lanes are IEEE single operations, so every clone
 * computes the same bits. */
typedef float F8 __attribute__((vector_size(32)));
typedef int32_t I8 __attribute__((vector_size(32)));
#define FS(v) ((F8){0} + (float)(v))
#define IS(v) ((I8){0} + (int32_t)(v))
#define SEL(m, a, b) ((F8)(((m) & (I8)(a)) | (~(m) & (I8)(b))))
#define CLIP8(g) SEL((g) > FS(CLIP), FS(CLIP), SEL((g) < FS(-CLIP), FS(-CLIP), (g)))

/* *px = *px^b for x > 0 as 2^(b log2 x), within 1e-5 relative of powf (5e-6 measured over x
 * in [1e-12, 1e6], b in [0.5, 2]) at a fraction of its cost (perf: powf was a quarter of a
 * run). log2: x = m 2^e with m in [sqrt(1/2), sqrt(2)) and ln m = 2 atanh(s),
 * s = (m - 1) / (m + 1), |s| < 0.172, by its series to s^9. 2^y: y = n + f with |f| <= 1/2,
 * e^(f ln 2) by its Taylor series to f^7, and n put in the exponent bits. */
static inline __attribute__((always_inline)) void fast_pow8(F8 *px, float b)
{
    F8 x = SEL(*px > FS(1e-30f), *px, FS(1e-30f));
    I8 u = (I8)x;
    I8 e = ((u >> 23) & IS(0xff)) - IS(127);
    F8 m = (F8)((u & IS(0x007fffff)) | IS(0x3f800000)); /* in [1, 2) */
    I8 hi = m > FS(1.41421356f);                        /* -1 where true */
    m = SEL(hi, m * FS(0.5f), m);
    e -= hi;
    F8 one = FS(1), sx = (m - one) / (m + one), s2 = sx * sx;
    F8 ln = FS(2) * sx *
            (one + s2 * (FS(1.0f / 3) + s2 * (FS(1.0f / 5) + s2 * (FS(1.0f / 7) + s2 * FS(1.0f / 9)))));
    F8 y = FS(b) * (__builtin_convertvector(e, F8) + ln * FS(1.44269504f));
    y = SEL(y < FS(120), SEL(y > FS(-120), y, FS(-120)), FS(120));
    /* round to nearest by truncating a positive number */
    I8 ni = __builtin_convertvector(y + FS(128.5f), I8) - IS(128);
    F8 f = (y - __builtin_convertvector(ni, F8)) * FS(0.693147181f);
    F8 p = one + f * (one + f * (FS(0.5f) + f * (FS(1.0f / 6) + f * (FS(1.0f / 24) +
           f * (FS(1.0f / 120) + f * (FS(1.0f / 720) + f * FS(1.0f / 5040)))))));
    *px = p * (F8)((ni + IS(127)) << 23);
}

static inline float ld(_Atomic float *p) { return atomic_load_explicit(p, memory_order_relaxed); }
static inline void st(_Atomic float *p, float v) { atomic_store_explicit(p, v, memory_order_relaxed); }

/* One positive sample of edge (j, k) and its nneg negative samples, all taken from the
 * positions before the step and summed, eight lanes at a time: lane 7 of the first batch is
 * the positive sample, the other lanes negative ones (umap-learn moves j after each sample;
 * one after another each waited on the last through pow and a division, and the run was
 * bound by that latency). Per sample the coefficient, the clip and the step are umap-learn's:
 * attraction -2ab d^2(b-1) / (a d^2b + 1), repulsion 2 gamma b / ((0.001 + d^2)(a d^2b + 1)). */
static inline __attribute__((always_inline)) void step(const Sgd *s, int32_t j, int32_t k,
                                                       float *cj, float *ck, int nneg,
                                                       uint64_t *rng, int dims)
{
    const I8 last = {0, 0, 0, 0, 0, 0, 0, -1};
    float gj[3] = {0}, gk[3] = {0};
    for (int p0 = 0, first = 1; first || p0 < nneg; first = 0) {
        int nb = nneg - p0 < 8 - first ? nneg - p0 : 8 - first;
        /* lanes filled as plain floats, then loaded whole: gcc spills and reloads the whole
         * vector for each lane written into one (callgrind: 12 instructions a lane) */
        float dl[3][8] = {{0}}, ql[8] = {0};
        for (int p = 0; p < nb; p++) {
            /* Lemire's multiply-shift maps 32 random bits onto [0, n) without a division */
            int32_t r = (int32_t)(((rng_splitmix(rng) >> 32) * (uint64_t)s->n) >> 32);
            float q = 0;
            for (int d = 0; d < dims; d++) {
                float t = cj[d] - ld(&s->y[(int64_t)r * dims + d]);
                dl[d][p] = t;
                q += t * t;
            }
            ql[p] = r == j ? 0 : q;
        }
        p0 += nb;
        if (first) {
            for (int d = 0; d < dims; d++) {
                dl[d][7] = cj[d] - ck[d];
                ql[7] += dl[d][7] * dl[d][7];
            }
        }
        F8 diff[3], d2;
        memcpy(diff, dl, sizeof diff);
        memcpy(&d2, ql, sizeof d2);
        /* the row itself, a row on the same spot and the unused lanes: no push */
        I8 live = d2 > FS(0);
        F8 x = SEL(live, d2, FS(1)), pw = x;
        fast_pow8(&pw, s->b);
        F8 den = FS(s->a) * pw + FS(1);
        F8 rep = FS(s->rep) / ((FS(0.001f) + x) * den);
        F8 att = FS(s->att) * (pw / x) / den;
        F8 c = SEL(live, SEL(first ? last : IS(0), att, rep), FS(0));
        for (int d = 0; d < dims; d++) {
            F8 g = c * diff[d];
            g = CLIP8(g);
            for (int p = 0; p < 7; p++)
                gj[d] += g[p];
            gj[d] += g[7];
            if (first)
                gk[d] -= g[7];
        }
    }
    float aj = s->rate ? s->alpha * s->rate[j] : s->alpha, ak = s->rate ? s->alpha * s->rate[k] : s->alpha;
    for (int d = 0; d < dims; d++) {
        cj[d] += gj[d] * aj;
        ck[d] += gk[d] * ak;
    }
}

/* One task's edges for one epoch. Always inlined with dims a constant (2 or 3), so the loops
 * over coordinates unroll and the positions stay in registers (callgrind: a third fewer
 * instructions than with dims read at run time). */
static inline __attribute__((always_inline)) void run_edges(Sgd *s, int t, int dims)
{
    uint64_t rng = rng_mix(s->seed ^ ((uint64_t)s->epoch << 20) ^ (uint64_t)t);
    float ep = (float)s->epoch;
    for (int64_t e = s->chunk[t]; e < s->chunk[t + 1]; e++) {
        if (s->next[e] > ep)
            continue;
        int32_t j = s->head[e], k = s->tail[e];
        _Atomic float *yj = s->y + (int64_t)j * dims, *yk = s->y + (int64_t)k * dims;
        float cj[3], ck[3];
        for (int d = 0; d < dims; d++) {
            cj[d] = ld(&yj[d]);
            ck[d] = ld(&yk[d]);
        }
        s->next[e] += s->eps[e];
        float eneg = s->eps[e] / s->neg_rate;
        int nneg = (int)((ep - s->next_neg[e]) / eneg);
        nneg = nneg > 0 ? nneg : 0;
        s->next_neg[e] += (float)nneg * eneg;
        step(s, j, k, cj, ck, nneg, &rng, dims);
        for (int d = 0; d < dims; d++) {
            st(&yk[d], ck[d]);
            st(&yj[d], cj[d]);
        }
    }
}

KERNEL static void sgd_task(void *ctx, int t)
{
    Sgd *s = ctx;
    if (s->dims == 2)
        run_edges(s, t, 2);
    else
        run_edges(s, t, 3);
}

static bool check_desc(const UmapDesc *d, const KnnGraph *g, const KnnIndex *ix, Err *e)
{
    if (g->n < 1 || !g->idx || g->n > INT32_MAX)
        return err_set(e, "umap: a graph of %lld rows", (long long)g->n);
    if (d->dims < 2 || d->dims > 3)
        return err_set(e, "umap: dims %d (want 2 or 3)", d->dims);
    if (d->neighbors < 1 || d->neighbors > g->k)
        return err_set(e, "umap: %d neighbours from a graph of %d", d->neighbors, g->k);
    if (d->epochs < 1 || d->epochs > 100000 || d->sample_epochs < 0 || d->sample_epochs > 100000 ||
        !(d->learning_rate > 0) || !isfinite(d->learning_rate) || d->negative_sample_rate < 0 ||
        d->negative_sample_rate > 1000 || !(d->repulsion > 0) || !isfinite(d->repulsion) ||
        !(d->a >= 0) || !(d->b >= 0) || !isfinite(d->a) || !isfinite(d->b))
        return err_set(e, "umap: bad parameters (epochs %d, sample epochs %d, learning rate %g, "
                          "negative rate %d, repulsion %g, a %g, b %g)", d->epochs, d->sample_epochs,
                       d->learning_rate, d->negative_sample_rate, d->repulsion, d->a, d->b);
    for (int64_t i = 0; d->row_rate && i < g->n; i++)
        if (!(d->row_rate[i] >= 0 && d->row_rate[i] <= 1))
            return err_set(e, "umap: row %lld's share of the step is %g (want 0..1)", (long long)i,
                           (double)d->row_rate[i]);
    if (!d->init && (!ix || ix->rows != g->n))
        return err_set(e, "umap: a start needs the graph's %lld vectors", (long long)g->n);
    return true;
}

/* The start: the caller's coordinates, or PCA scaled as umap-learn's noisy_scale_coords and
 * then stretched to [0, 10] per axis. */
static bool start(const UmapDesc *d, const KnnIndex *ix, int64_t n, float *y, Err *e)
{
    int dims = d->dims;
    if (d->init) {
        for (int64_t i = 0; i < n * dims; i++)
            if (!isfinite(d->init[i]))
                return err_set(e, "umap: start coordinate %lld of row %lld is not finite",
                               (long long)(i % dims + 1), (long long)(i / dims));
        memcpy(y, d->init, (size_t)(n * dims) * sizeof *y);
        return true;
    }
    if (!pcainit_coords(ix, dims, d->seed, d->pool, y, e))
        return false;
    double amax = 0;
    for (int64_t i = 0; i < n * dims; i++)
        amax = fmax(amax, fabs(y[i]));
    double scale = amax > 0 ? INIT_SCALE / amax : 1;
    uint64_t s = rng_mix(d->seed ^ 0x1417u);
    for (int64_t i = 0; i < n * dims; i++)
        y[i] = (float)(y[i] * scale + INIT_NOISE * rng_gauss(&s));
    for (int c = 0; c < dims; c++) {
        double lo = INFINITY, hi = -INFINITY;
        for (int64_t i = 0; i < n; i++) {
            lo = fmin(lo, y[i * dims + c]);
            hi = fmax(hi, y[i * dims + c]);
        }
        double f = hi > lo ? INIT_SCALE / (hi - lo) : 1;
        for (int64_t i = 0; i < n; i++)
            y[i * dims + c] = (float)((y[i * dims + c] - lo) * f);
    }
    return true;
}

/* The fuzzy set's entries as edges, without those too weak to be sampled in a run of
 * d->sample_epochs (umap-learn drops w < max / epochs), with their epochs per sample max / w
 * and the epoch of their first positive and negative samples: one period in (umap-learn), or
 * a random phase of it for a warm start, as if the negatives of one period before were done. */
static bool edges(const FuzzyGraph *f, const UmapDesc *d, Sgd *s, int64_t *m)
{
    bool phased = d->sample_epochs > 0;
    float per = (float)(phased ? d->sample_epochs : d->epochs), wmax = 0;
    for (int64_t t = 0; t < f->nnz; t++)
        wmax = f->w[t] > wmax ? f->w[t] : wmax;
    int64_t cnt = 0;
    for (int64_t t = 0; t < f->nnz; t++)
        cnt += f->w[t] >= wmax / per;
    int32_t *head = malloc((size_t)cnt * sizeof *head + 1);
    int32_t *tail = malloc((size_t)cnt * sizeof *tail + 1);
    float *eps = malloc((size_t)cnt * sizeof *eps + 1);
    s->next = malloc((size_t)cnt * sizeof *s->next + 1);
    s->next_neg = malloc((size_t)cnt * sizeof *s->next_neg + 1);
    s->head = head, s->tail = tail, s->eps = eps;
    if (!head || !tail || !eps || !s->next || !s->next_neg)
        return false;
    int64_t o = 0;
    for (int64_t i = 0; i < f->n; i++)
        for (int64_t t = f->start[i]; t < f->start[i + 1]; t++) {
            if (!(f->w[t] >= wmax / per))
                continue;
            head[o] = (int32_t)i;
            tail[o] = f->col[t];
            eps[o] = wmax / f->w[t];
            /* phase in [0, 1) from a hash of the seed and the edge: no shared generator */
            float u = phased ? (float)(rng_mix(d->seed ^ 0x9a5eu ^ ((uint64_t)o << 16)) >> 40) / 16777216.0f
                             : 1;
            s->next[o] = eps[o] * u;
            s->next_neg[o] = phased ? s->next[o] - eps[o] : eps[o] / s->neg_rate;
            o++;
        }
    *m = cnt;
    return true;
}

static void sgd_free(Sgd *s)
{
    free((void *)s->head);
    free((void *)s->tail);
    free((void *)s->eps);
    free(s->next);
    free(s->next_neg);
    free(s->y);
}

static bool run_epochs(Sgd *s, const UmapDesc *d, int64_t m, Err *e)
{
    s->ntasks = pool_threads(d->pool);
    for (int t = 0; t <= s->ntasks; t++)
        s->chunk[t] = m * t / s->ntasks;
    for (s->epoch = 0; s->epoch < d->epochs; s->epoch++) {
        s->alpha = (float)(d->learning_rate * (1.0 - (double)s->epoch / d->epochs));
        pool_run(d->pool, sgd_task, s, s->ntasks);
        if (d->progress && !d->progress(d->ctx, "umap", (s->epoch + 1.0) / d->epochs))
            return err_set(e, "cancelled");
    }
    return true;
}

bool umap_layout(const KnnGraph *g, const KnnIndex *ix, const UmapDesc *desc, float *out,
                 UmapStats *st, Err *e)
{
    UmapStats dummy;
    st = st ? st : &dummy;
    memset(st, 0, sizeof *st);
    UmapDesc d = umap_desc_defaults(desc, g->n);
    if (!d.neighbors)
        d.neighbors = g->k;
    if (!check_desc(&d, g, ix, e))
        return false;
    double a = d.a, b = d.b;
    if ((a == 0 || b == 0) && !umap_fit_ab(d.min_dist, d.spread, &a, &b, e))
        return false;
    *st = (UmapStats){a, b, 0, d.epochs, pool_threads(d.pool)};
    int64_t n = g->n;
    if (n == 1) { /* nothing to arrange */
        for (int c = 0; c < d.dims; c++)
            out[c] = d.init ? d.init[c] : 0;
        return true;
    }
    Sgd s = {0};
    s.n = (int32_t)n;
    s.dims = d.dims;
    s.neg_rate = d.negative_sample_rate > 0 ? (float)d.negative_sample_rate : 1e-30f;
    s.a = (float)a, s.b = (float)b, s.rep = (float)(2 * d.repulsion * b);
    s.att = (float)(-2 * a * b), s.seed = d.seed, s.rate = d.row_rate;
    FuzzyGraph f = {0};
    int64_t m = 0;
    float *y = malloc((size_t)(n * d.dims) * sizeof *y);
    bool ok = y ? true : err_set(e, "umap: out of memory for %lld rows", (long long)n);
    ok = ok && start(&d, ix, n, y, e) && fuzzy_build(&f, g, d.neighbors, d.pool, e);
    if (ok && !edges(&f, &d, &s, &m))
        ok = err_set(e, "umap: out of memory for %lld edges", (long long)f.nnz);
    fuzzy_deinit(&f);
    if (ok) {
        s.y = malloc((size_t)(n * d.dims) * sizeof *s.y);
        if (!s.y)
            ok = err_set(e, "umap: out of memory for %lld rows", (long long)n);
        for (int64_t i = 0; ok && i < n * d.dims; i++)
            atomic_init(&s.y[i], y[i]);
    }
    if (ok)
        ok = run_epochs(&s, &d, m, e);
    for (int64_t i = 0; ok && i < n * d.dims; i++)
        out[i] = atomic_load_explicit(&s.y[i], memory_order_relaxed);
    st->edges = m;
    free(y);
    sgd_free(&s);
    return ok;
}
