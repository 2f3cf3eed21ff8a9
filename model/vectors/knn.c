/* Exact cosine search: see knn.h. Rows are scanned in blocks that stay in L2 while a kernel
 * writes their dot products with the query into a small score buffer; a k-element min-heap
 * keeps the best so far, so a query costs one pass over the matrix and no sort of V scores. */
#include "model/vectors/knn.h"
#include "model/vectors/embed.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define KNN_X86 1
#endif

/* Rows per block: 256 rows of 304 floats are ~300 KB, inside a typical L2, so the three
 * passes of 3CosMul read main memory once. */
#define BLOCK 256

typedef void (*ScanFn)(const float *rows, int64_t n, int stride, const float *q, float *out);

/* Portable kernel: 16 independent sums match the 64-byte row padding and let the compiler keep
 * them in vector registers without -ffast-math. */
static void scan_c(const float *rows, int64_t n, int stride, const float *q, float *out)
{
    for (int64_t r = 0; r < n; r++) {
        const float *x = rows + r * stride;
        float acc[16] = {0};
        for (int j = 0; j < stride; j += 16)
            for (int t = 0; t < 16; t++)
                acc[t] += x[j + t] * q[j + t];
        float s = 0;
        for (int t = 0; t < 16; t++)
            s += acc[t];
        out[r] = s;
    }
}

#ifdef KNN_X86
__attribute__((target("avx2,fma"))) static void scan_avx2(const float *rows, int64_t n,
                                                           int stride, const float *q,
                                                           float *out)
{
    for (int64_t r = 0; r < n; r++) {
        const float *x = rows + r * stride;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        for (int j = 0; j < stride; j += 16) {
            a0 = _mm256_fmadd_ps(_mm256_load_ps(x + j), _mm256_load_ps(q + j), a0);
            a1 = _mm256_fmadd_ps(_mm256_load_ps(x + j + 8), _mm256_load_ps(q + j + 8), a1);
        }
        __m256 s8 = _mm256_add_ps(a0, a1);
        __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
        s4 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
        s4 = _mm_add_ss(s4, _mm_shuffle_ps(s4, s4, 1));
        out[r] = _mm_cvtss_f32(s4);
    }
}
#endif

static ScanFn pick_scan(void)
{
#if defined(KNN_X86) && !defined(KNN_FORCE_PORTABLE) /* the latter: to test scan_c on x86 */
    if (knn_uses_avx2())
        return scan_avx2;
#endif
    return scan_c;
}

bool knn_uses_avx2(void)
{
#ifdef KNN_X86
    /* no __builtin_cpu_init(): libgcc runs it at startup, and calling it from several query
     * threads would be a (benign) data race that ThreadSanitizer reports */
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

bool knn_build(KnnIndex *ix, const float *vec, int64_t rows, int dim, int stride, Err *e)
{
    if (rows < 0 || dim <= 0 || dim > EMB_MAX_DIM || stride < dim)
        return err_set(e, "knn: bad matrix shape %lld x %d (stride %d)", (long long)rows, dim,
                       stride);
    int ustride = emb_stride(dim);
    if ((uint64_t)rows > SIZE_MAX / sizeof(float) / (size_t)ustride)
        return err_set(e, "knn: matrix of %lld x %d is too large", (long long)rows, dim);
    float *unit = emb_aligned_alloc((size_t)rows * (size_t)ustride * sizeof(float));
    float *norm = calloc((size_t)rows + 1, sizeof *norm);
    if (!unit || !norm) {
        free(unit);
        free(norm);
        return err_set(e, "knn: out of memory for %lld x %d vectors", (long long)rows, dim);
    }
    for (int64_t i = 0; i < rows; i++) {
        const float *src = vec + i * (int64_t)stride;
        float *dst = unit + i * (int64_t)ustride;
        double ss = 0;
        for (int j = 0; j < dim; j++)
            ss += (double)src[j] * src[j];
        if (!(ss > 0) || !isfinite(ss))
            continue; /* stays zero: a NaN row would poison every comparison */
        double inv = 1.0 / sqrt(ss);
        norm[i] = (float)sqrt(ss);
        for (int j = 0; j < dim; j++)
            dst[j] = (float)(src[j] * inv);
    }
    knn_deinit(ix);
    ix->unit = unit;
    ix->norm = norm;
    ix->rows = rows;
    ix->dim = dim;
    ix->stride = ustride;
    return true;
}

void knn_deinit(KnnIndex *ix)
{
    if (!ix)
        return;
    free(ix->unit);
    free(ix->norm);
    memset(ix, 0, sizeof *ix);
}

/* Min-heap on (score, -index): the root is the worst kept neighbour. */
typedef struct Heap {
    Neighbour *h;
    int n, k;
} Heap;

static int worse(Neighbour x, Neighbour y)
{
    return x.score < y.score || (x.score == y.score && x.index > y.index);
}

static void sift_down(Neighbour *h, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && worse(h[l], h[m]))
            m = l;
        if (r < n && worse(h[r], h[m]))
            m = r;
        if (m == i)
            return;
        Neighbour t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static int excluded(int64_t i, const int64_t *ex, int nex)
{
    for (int t = 0; t < nex; t++)
        if (ex[t] == i)
            return 1;
    return 0;
}

static void heap_offer(Heap *hp, int64_t i, float s, const int64_t *ex, int nex)
{
    Neighbour c = {i, s};
    if (hp->n == hp->k && !worse(hp->h[0], c))
        return;
    if (s != s || excluded(i, ex, nex))
        return;
    if (hp->n < hp->k) {
        int j = hp->n++;
        hp->h[j] = c;
        while (j > 0 && worse(hp->h[j], hp->h[(j - 1) / 2])) {
            Neighbour t = hp->h[j];
            hp->h[j] = hp->h[(j - 1) / 2];
            hp->h[(j - 1) / 2] = t;
            j = (j - 1) / 2;
        }
    } else {
        hp->h[0] = c;
        sift_down(hp->h, hp->n, 0);
    }
}

/* Sorts the heap in place into best-first order and returns its size. */
static int heap_finish(Heap *hp)
{
    int n = hp->n;
    for (int end = n - 1; end > 0; end--) {
        Neighbour t = hp->h[0];
        hp->h[0] = hp->h[end];
        hp->h[end] = t;
        sift_down(hp->h, end, 0);
    }
    return n;
}

static int64_t clamp_limit(const KnnIndex *ix, int64_t limit)
{
    return (limit <= 0 || limit > ix->rows) ? ix->rows : limit;
}

/* Writes q / |q| into u (stride floats, padding zero); false when q is zero or not finite. */
static bool unit_query(const KnnIndex *ix, const float *q, float *u)
{
    double ss = 0;
    for (int j = 0; j < ix->dim; j++)
        ss += (double)q[j] * q[j];
    if (!(ss > 0) || !isfinite(ss))
        return false;
    double inv = 1.0 / sqrt(ss);
    for (int j = 0; j < ix->dim; j++)
        u[j] = (float)(q[j] * inv);
    for (int j = ix->dim; j < ix->stride; j++)
        u[j] = 0;
    return true;
}

int knn_query_restrict(const KnnIndex *ix, int64_t limit, const float *q, int k,
                       const int64_t *exclude, int nexclude, Neighbour *out)
{
    if (!ix->unit || k <= 0)
        return 0;
    limit = clamp_limit(ix, limit);
    float *u = emb_aligned_alloc((size_t)ix->stride * sizeof(float));
    if (!u)
        return 0;
    int n = 0;
    if (unit_query(ix, q, u)) {
        ScanFn scan = pick_scan();
        Heap hp = {out, 0, (int64_t)k < limit ? k : (int)limit};
        float s[BLOCK];
        for (int64_t r0 = 0; r0 < limit && hp.k > 0; r0 += BLOCK) {
            int64_t nb = limit - r0 < BLOCK ? limit - r0 : BLOCK;
            scan(knn_row(ix, r0), nb, ix->stride, u, s);
            for (int64_t t = 0; t < nb; t++)
                heap_offer(&hp, r0 + t, s[t], exclude, nexclude);
        }
        n = heap_finish(&hp);
    }
    free(u);
    return n;
}

int knn_query(const KnnIndex *ix, const float *q, int k, const int64_t *exclude, int nexclude,
              Neighbour *out)
{
    return knn_query_restrict(ix, ix->rows, q, k, exclude, nexclude, out);
}

bool knn_query_batch(const KnnIndex *ix, int64_t limit, const float *qs, int nq, int k,
                     const int64_t *exclude, int nexclude, Neighbour *out, int *counts)
{
    if (nq <= 0)
        return true;
    memset(counts, 0, (size_t)nq * sizeof *counts);
    if (!ix->unit || k <= 0)
        return true;
    limit = clamp_limit(ix, limit);
    float *u = emb_aligned_alloc((size_t)nq * (size_t)ix->stride * sizeof(float));
    Heap *hp = calloc((size_t)nq, sizeof *hp);
    if (!u || !hp) {
        free(u);
        free(hp);
        return false;
    }
    int kk = (int64_t)k < limit ? k : (int)limit;
    for (int t = 0; t < nq; t++) {
        bool ok = unit_query(ix, qs + (int64_t)t * ix->dim, u + (int64_t)t * ix->stride);
        hp[t] = (Heap){out + (int64_t)t * k, 0, ok ? kk : 0};
    }
    ScanFn scan = pick_scan();
    float s[BLOCK];
    /* a quarter block keeps a block of rows (~75 KB at dim 300) in L2 next to the queries */
    const int64_t rb = BLOCK / 4;
    for (int64_t r0 = 0; r0 < limit; r0 += rb) {
        int64_t nb = limit - r0 < rb ? limit - r0 : rb;
        for (int t = 0; t < nq; t++) {
            if (!hp[t].k)
                continue;
            scan(knn_row(ix, r0), nb, ix->stride, u + (int64_t)t * ix->stride, s);
            const int64_t *ex = exclude ? exclude + (int64_t)t * nexclude : NULL;
            for (int64_t j = 0; j < nb; j++)
                heap_offer(&hp[t], r0 + j, s[j], ex, exclude ? nexclude : 0);
        }
    }
    for (int t = 0; t < nq; t++)
        counts[t] = heap_finish(&hp[t]);
    free(u);
    free(hp);
    return true;
}

/* 3CosMul over rows [0, limit): three dot products per row against unit a, b, c. */
static int cosmul_scan(const KnnIndex *ix, int64_t limit, const int64_t abc[3], int k,
                       Neighbour *out)
{
    const float eps = 1e-3f; /* Levy & Goldberg 2014, section 6 */
    ScanFn scan = pick_scan();
    Heap hp = {out, 0, (int64_t)k < limit ? k : (int)limit};
    float sa[BLOCK], sb[BLOCK], sc[BLOCK];
    for (int64_t r0 = 0; r0 < limit && hp.k > 0; r0 += BLOCK) {
        int64_t nb = limit - r0 < BLOCK ? limit - r0 : BLOCK;
        const float *rows = knn_row(ix, r0);
        scan(rows, nb, ix->stride, knn_row(ix, abc[0]), sa);
        scan(rows, nb, ix->stride, knn_row(ix, abc[1]), sb);
        scan(rows, nb, ix->stride, knn_row(ix, abc[2]), sc);
        for (int64_t t = 0; t < nb; t++) {
            float ca = (1 + sa[t]) * 0.5f, cb = (1 + sb[t]) * 0.5f, cc = (1 + sc[t]) * 0.5f;
            heap_offer(&hp, r0 + t, cb * cc / (ca + eps), abc, 3);
        }
    }
    return heap_finish(&hp);
}

int knn_analogy_restrict(const KnnIndex *ix, int64_t limit, int64_t a, int64_t b, int64_t c,
                         int cosmul, int k, Neighbour *out, float *point)
{
    if (!ix->unit || a < 0 || b < 0 || c < 0 || a >= ix->rows || b >= ix->rows || c >= ix->rows)
        return 0;
    limit = clamp_limit(ix, limit);
    const float *ua = knn_row(ix, a), *ub = knn_row(ix, b), *uc = knn_row(ix, c);
    float *p = emb_aligned_alloc((size_t)ix->stride * sizeof(float));
    if (!p)
        return 0;
    for (int j = 0; j < ix->dim; j++)
        p[j] = ub[j] - ua[j] + uc[j];
    int n = 0;
    if (point) {
        float *u = emb_aligned_alloc((size_t)ix->stride * sizeof(float));
        if (u && unit_query(ix, p, u))
            memcpy(point, u, (size_t)ix->dim * sizeof(float));
        else if (u)
            memset(point, 0, (size_t)ix->dim * sizeof(float));
        free(u);
    }
    if (cosmul) {
        int64_t abc[3] = {a, b, c};
        n = k > 0 ? cosmul_scan(ix, limit, abc, k, out) : 0;
    } else {
        int64_t ex[3] = {a, b, c};
        n = knn_query_restrict(ix, limit, p, k, ex, 3, out);
    }
    free(p);
    return n;
}

int knn_analogy(const KnnIndex *ix, int64_t a, int64_t b, int64_t c, int cosmul, int k,
                Neighbour *out, float *point)
{
    return knn_analogy_restrict(ix, ix->rows, a, b, c, cosmul, k, out, point);
}

float knn_cosine(const KnnIndex *ix, int64_t i, int64_t j)
{
    if (!ix->unit || i < 0 || j < 0 || i >= ix->rows || j >= ix->rows)
        return 0;
    const float *x = knn_row(ix, i), *y = knn_row(ix, j);
    double s = 0;
    for (int t = 0; t < ix->dim; t++)
        s += (double)x[t] * y[t];
    return (float)s;
}
