/* Spherical k-means: see kmeans.h. Rows are compared by cosine; a centroid is the normalised
 * sum of its members' unit vectors. Passes over the rows are split into one chunk per thread of
 * desc.pool, each with its own sums, added in chunk order (reproducible for a given thread
 * count). Called from one analysis thread. */
#include "model/analysis/kmeans.h"
#include "model/analysis/typical.h"
#include "model/base/kernels.h"
#include "model/base/rng.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LANES 16

KmeansDesc kmeans_desc_defaults(const KmeansDesc *d)
{
    KmeansDesc r = d ? *d : (KmeansDesc){0};
    if (r.k < 0)
        r.k = 0;
    if (r.k > KMEANS_MAX_K)
        r.k = KMEANS_MAX_K;
    if (r.iters <= 0)
        r.iters = 20;
    if (r.iters < 2)
        r.iters = 2;
    if (r.tol <= 0)
        r.tol = 1e-3;
    if (r.label_words <= 0)
        r.label_words = 3;
    if (r.label_words > KMEANS_MAX_LABEL)
        r.label_words = KMEANS_MAX_LABEL;
    if (r.label_floor < 0)
        r.label_floor = 0;
    if (r.seed == 0)
        r.seed = 1;
    return r;
}

int kmeans_default_k(int64_t rows)
{
    if (rows <= 1)
        return 1;
    double k = floor(sqrt((double)rows / 2) + 0.5);
    if (k > 30)
        k = 30;
    if (k < 1)
        k = 1;
    return (int)k;
}

void kmeans_init(Kmeans *km, const KmeansDesc *d)
{
    memset(km, 0, sizeof *km);
    km->desc = kmeans_desc_defaults(d);
}

void kmeans_deinit(Kmeans *km)
{
    if (!km)
        return;
    free(km->centroids);
    free(km->assign);
    free(km->size);
    free(km->labels);
    free(km->fit);
    free(km->sums);
    memset(km, 0, sizeof *km);
}

void kmeans_reset(Kmeans *km) { km->have = false; }

/* ---- kernels ---- */

KERNEL static float dot_n(const float *a, const float *b, int n)
{
    float acc[LANES] = {0};
    int i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int l = 0; l < LANES; l++)
            acc[l] += a[i + l] * b[i + l];
    for (; i < n; i++)
        acc[0] += a[i] * b[i];
    float s = 0;
    for (int l = 0; l < LANES; l++)
        s += acc[l];
    return s;
}

typedef struct Job {
    Kmeans *km;
    const float *vec;
    int64_t stride, r0, r1;
    double *sums;        /* (k, dim + 1): member unit-vector sums and counts */
    int64_t changed;
    double cos_sum;
} Job;

KERNEL static void assign_rows(Job *j)
{
    Kmeans *km = j->km;
    int dim = km->dim, k = km->k, dpad = km->dpad;
    for (int64_t r = j->r0; r < j->r1; r++) {
        const float *x = j->vec + r * j->stride;
        float n2 = dot_n(x, x, dim);
        float inv = n2 > 0 ? 1 / sqrtf(n2) : 0;
        int best = 0;
        float bestv = -INFINITY;
        for (int c = 0; c < k; c++) {
            float v = dot_n(x, km->centroids + (int64_t)c * dpad, dim);
            if (v > bestv) {
                bestv = v;
                best = c;
            }
        }
        /* cosine to own centroid; 2 (never a cosine) marks zero rows: no label, no reseed */
        km->fit[r] = inv > 0 ? bestv * inv : 2;
        j->cos_sum += inv > 0 ? bestv * inv : 0;
        if (km->assign[r] != best)
            j->changed++;
        km->assign[r] = best;
        double *s = j->sums + (int64_t)best * (dim + 1);
        for (int i = 0; i < dim; i++)
            s[i] += x[i] * inv;
        s[dim] += 1;
    }
}

static void assign_task(void *jobs, int t) { assign_rows((Job *)jobs + t); }

/* One assign pass; the totals end up in km->sums (chunk 0's block). */
static void run_pass(Kmeans *km, const float *vec, int64_t rows, int stride)
{
    int nt = km->nthreads;
    int64_t ssz = (int64_t)km->k * (km->dim + 1);
    Job jobs[POOL_MAX_THREADS];
    for (int t = 0; t < nt; t++) {
        jobs[t] = (Job){km, vec, stride, rows * t / nt, rows * (t + 1) / nt,
                        km->sums + ssz * t, 0, 0};
        memset(jobs[t].sums, 0, sizeof(double) * (size_t)ssz);
    }
    pool_run(km->desc.pool, assign_task, jobs, nt);
    for (int t = 1; t < nt; t++) {
        for (int64_t i = 0; i < ssz; i++)
            jobs[0].sums[i] += jobs[t].sums[i];
        jobs[0].changed += jobs[t].changed;
        jobs[0].cos_sum += jobs[t].cos_sum;
    }
    km->changed = jobs[0].changed;
    km->mean_cos = rows > 0 ? jobs[0].cos_sum / (double)rows : 0;
    for (int c = 0; c < km->k; c++)
        km->size[c] = (int64_t)jobs[0].sums[(int64_t)c * (km->dim + 1) + km->dim];
}

/* ---- steps ---- */


static void set_centroid_row(Kmeans *km, int c, const float *x)
{
    float *dst = km->centroids + (int64_t)c * km->dpad;
    float n2 = dot_n(x, x, km->dim), inv = n2 > 0 ? 1 / sqrtf(n2) : 0;
    memset(dst, 0, sizeof(float) * (size_t)km->dpad);
    for (int i = 0; i < km->dim; i++)
        dst[i] = x[i] * inv;
}

#define SEED_SAMPLE 8192  /* rows the seeding looks at: seeds only need to be good starts */
#define SEED_RESTARTS 3    /* seedings tried on the sample; the tightest after Lloyd wins */
#define SEED_LLOYD 6       /* Lloyd iterations on the sample per seeding */

typedef struct Sample {
    int64_t m, nonzero;
    int64_t *idx;          /* (m) rows */
    float *inv;            /* (m) 1 / norm, 0 for zero rows */
    float *best, *cand, *keep; /* (m) cosines */
    int32_t *lab;          /* (m) */
    double *sums;          /* (k, dim) */
} Sample;

static void sample_free(Sample *s)
{
    free(s->idx), free(s->inv), free(s->best), free(s->cand), free(s->keep), free(s->lab);
    free(s->sums);
}

static bool sample_make(Sample *s, const Kmeans *km, const float *vec, int64_t rows, int stride,
                        uint64_t *rng)
{
    int64_t m = rows < SEED_SAMPLE ? rows : SEED_SAMPLE;
    size_t n = (size_t)m;
    *s = (Sample){.m = m};
    s->idx = malloc(sizeof(int64_t) * n);
    s->inv = malloc(sizeof(float) * n), s->best = malloc(sizeof(float) * n);
    s->cand = malloc(sizeof(float) * n), s->keep = malloc(sizeof(float) * n);
    s->lab = malloc(sizeof(int32_t) * n);
    s->sums = malloc(sizeof(double) * (size_t)km->k * (size_t)km->dim);
    if (!s->idx || !s->inv || !s->best || !s->cand || !s->keep || !s->lab || !s->sums) {
        sample_free(s);
        return false;
    }
    for (int64_t i = 0; i < m; i++) {
        s->idx[i] = m == rows ? i : (int64_t)(rng_uniform01(rng) * (double)rows);
        const float *x = vec + s->idx[i] * stride;
        float n2 = dot_n(x, x, km->dim);
        s->inv[i] = n2 > 0 ? 1 / sqrtf(n2) : 0;
        s->nonzero += n2 > 0;
    }
    return true;
}

/* Sampling weight of a row whose best cosine to the seeds so far is b. k-means++ uses the
 * squared distance, 2 (1 - b) on the sphere; in high dimension cosines concentrate (a blob's
 * members sit at ~0.6 from each other but ~1 from other blobs), so the plain weight puts two
 * seeds in one blob too often: squaring it again sharpens the preference for uncovered rows. */
static double seed_weight(float b)
{
    double d = 1 - fminf(1, b);
    return d * d;
}

/* Greedy k-means++ (as scikit-learn's): each step draws 2 + ln k candidates by seed_weight and
 * keeps the one that lowers the potential sum(1 - best cos) most. Writes km->centroids. */
static void seed_once(Kmeans *km, const float *vec, int stride, Sample *s, uint64_t *rng)
{
    int64_t m = s->m;
    for (int64_t i = 0; i < m; i++)
        s->best[i] = -1;
    int tries = 2 + (int)log((double)km->k);
    float *cv = km->centroids + (int64_t)(km->k - 1) * km->dpad; /* scratch until the last */
    for (int c = 0; c < km->k; c++) {
        double total = 0;
        for (int64_t i = 0; i < m; i++)
            total += s->inv[i] > 0 ? seed_weight(s->best[i]) : 0;
        double best_pot = INFINITY;
        int64_t pick = -1;
        for (int t = 0; t < (c == 0 ? 1 : tries); t++) {
            int64_t r = -1;
            if (c == 0 || total <= 0) { /* uniform among non-zero rows */
                int64_t want = (int64_t)(rng_uniform01(rng) * (double)(s->nonzero ? s->nonzero : 1));
                for (int64_t i = 0; i < m && r < 0; i++)
                    if (s->inv[i] > 0 && want-- == 0)
                        r = i;
            } else {
                double u = rng_uniform01(rng) * total, acc = 0;
                for (int64_t i = 0; i < m && r < 0; i++) {
                    double w = s->inv[i] > 0 ? seed_weight(s->best[i]) : 0;
                    acc += w;
                    if (w > 0 && acc >= u)
                        r = i;
                }
            }
            if (r < 0)
                r = (c + t) % m; /* all rows zero or identical: any row */
            set_centroid_row(km, km->k - 1, vec + s->idx[r] * stride);
            double pot = 0;
            for (int64_t i = 0; i < m; i++) {
                s->cand[i] = s->inv[i] > 0 ? dot_n(vec + s->idx[i] * stride, cv, km->dim) * s->inv[i] : 0;
                pot += s->inv[i] > 0 ? 1 - fminf(1, fmaxf(s->best[i], s->cand[i])) : 0;
            }
            if (pot < best_pot) {
                best_pot = pot;
                pick = r;
                memcpy(s->keep, s->cand, sizeof(float) * (size_t)m);
            }
        }
        set_centroid_row(km, c, vec + s->idx[pick] * stride);
        for (int64_t i = 0; i < m; i++)
            s->best[i] = fmaxf(s->best[i], s->keep[i]);
    }
}

/* Lloyd on the sample from km->centroids (an empty cluster keeps its centroid); returns the
 * mean cosine of the sample rows to their centroids. */
static double sample_lloyd(Kmeans *km, const float *vec, int stride, Sample *s)
{
    int dim = km->dim, k = km->k;
    double score = 0;
    for (int it = 0; it < SEED_LLOYD; it++) {
        memset(s->sums, 0, sizeof(double) * (size_t)k * (size_t)dim);
        score = 0;
        for (int64_t i = 0; i < s->m; i++) {
            const float *x = vec + s->idx[i] * stride;
            int best = 0;
            float bv = -INFINITY;
            for (int c = 0; c < k; c++) {
                float v = dot_n(x, km->centroids + (int64_t)c * km->dpad, dim);
                if (v > bv)
                    bv = v, best = c;
            }
            score += bv * s->inv[i];
            for (int d = 0; d < dim; d++)
                s->sums[(int64_t)best * dim + d] += x[d] * s->inv[i];
        }
        for (int c = 0; c < k; c++) {
            double n2 = 0, *sc = s->sums + (int64_t)c * dim;
            for (int d = 0; d < dim; d++)
                n2 += sc[d] * sc[d];
            if (n2 > 0)
                for (int d = 0; d < dim; d++)
                    km->centroids[(int64_t)c * km->dpad + d] = (float)(sc[d] / sqrt(n2));
        }
    }
    return score / (double)s->m;
}

/* Seeds km->centroids: SEED_RESTARTS greedy k-means++ seedings on a sample, each refined by
 * Lloyd on the sample; the one with the highest mean cosine wins (scikit-learn's n_init, made
 * cheap by the sample). Returns false when out of memory. */
static bool seed_centroids(Kmeans *km, const float *vec, int64_t rows, int stride)
{
    uint64_t rng = km->desc.seed;
    Sample s;
    size_t csz = sizeof(float) * (size_t)km->k * (size_t)km->dpad;
    float *keep = malloc(csz);
    if (!keep || !sample_make(&s, km, vec, rows, stride, &rng)) {
        free(keep);
        return false;
    }
    double best = -INFINITY;
    for (int rep = 0; rep < SEED_RESTARTS; rep++) {
        seed_once(km, vec, stride, &s, &rng);
        double score = sample_lloyd(km, vec, stride, &s);
        if (score > best) {
            best = score;
            memcpy(keep, km->centroids, csz);
        }
    }
    memcpy(km->centroids, keep, csz);
    free(keep);
    sample_free(&s);
    return true;
}

/* New centroids from the sums of the last assign pass; an empty cluster takes the row that
 * fits its own centroid worst (deterministic), so k stays k and ids stay. */
static void recentre(Kmeans *km, const float *vec, int64_t rows, int stride)
{
    int dim = km->dim;
    for (int c = 0; c < km->k; c++) {
        const double *s = km->sums + (int64_t)c * (dim + 1);
        double n2 = 0;
        for (int i = 0; i < dim; i++)
            n2 += s[i] * s[i];
        float *dst = km->centroids + (int64_t)c * km->dpad;
        if (n2 > 0) {
            double inv = 1 / sqrt(n2);
            for (int i = 0; i < dim; i++)
                dst[i] = (float)(s[i] * inv);
            continue;
        }
        int64_t worst = -1;
        for (int64_t r = 0; r < rows; r++)
            if (km->fit[r] < 1.5f && (worst < 0 || km->fit[r] < km->fit[worst]))
                worst = r;
        if (worst < 0)
            continue;
        km->fit[worst] = 2; /* not chosen twice */
        set_centroid_row(km, c, vec + worst * stride);
    }
}

/* Labels: each cluster's most typical members (typical.h: near its centroid, far from the
 * nearest other one, among the label_floor most frequent rows), so a legend reads as topics. */
static bool make_labels(Kmeans *km, const float *vec, int64_t rows, int stride, Err *e)
{
    TypicalDesc td = {.words = km->label_words, .floor_rows = km->desc.label_floor};
    return typical_name(vec, rows, km->dim, stride, km->assign, km->k, &td, km->labels, e);
}

/* ---- public ---- */

static bool check_input(const float *vec, int64_t rows, int dim, int stride, Err *e)
{
    if (!vec || rows < 1 || dim <= 0 || dim > 100000 || stride < dim)
        return err_set(e, "kmeans: bad matrix shape %lld x %d (stride %d)", (long long)rows, dim,
                       stride);
    for (int64_t r = 0; r < rows; r++)
        for (int i = 0; i < dim; i++)
            if (!isfinite(vec[r * stride + i]))
                return err_set(e, "kmeans: row %lld column %d is not finite", (long long)r, i);
    return true;
}

/* (Re)allocates for rows/k/dim/threads/label size; everything new is allocated before anything
 * is replaced. Centroids (and so cluster ids) survive unless k or dim change. */
static bool ensure(Kmeans *km, int64_t rows, int k, int dim, Err *e)
{
    int dpad = (dim + LANES - 1) / LANES * LANES, nt = pool_threads(km->desc.pool);
    int lw = km->desc.label_words;
    bool keep = km->centroids && km->k == k && km->dim == dim;
    if (keep && km->nthreads == nt && km->label_words == lw && rows <= km->cap_rows)
        return true;
    if ((uint64_t)rows > SIZE_MAX / 8 ||
        (uint64_t)k * (uint64_t)(dim + 1) > SIZE_MAX / 8 / (uint64_t)nt)
        return err_set(e, "kmeans: %lld rows x %d clusters is too large", (long long)rows, k);
    float *cent = keep ? km->centroids
                       : aligned_alloc(64, sizeof(float) * (size_t)k * (size_t)dpad);
    int32_t *assign = malloc(sizeof(int32_t) * (size_t)(rows ? rows : 1));
    float *fit = malloc(sizeof(float) * (size_t)(rows ? rows : 1));
    int64_t *size = calloc((size_t)k, sizeof(int64_t));
    int64_t *labels = malloc(sizeof(int64_t) * (size_t)k * (size_t)lw);
    double *sums = malloc(sizeof(double) * (size_t)k * (size_t)(dim + 1) * (size_t)nt);
    if (!cent || !assign || !fit || !size || !labels || !sums) {
        if (cent != km->centroids)
            free(cent);
        free(assign), free(fit), free(size), free(labels), free(sums);
        return err_set(e, "kmeans: out of memory for %lld rows", (long long)rows);
    }
    for (int64_t r = 0; r < rows; r++)
        assign[r] = keep && r < km->rows ? km->assign[r] : -1;
    for (int64_t i = 0; i < (int64_t)k * lw; i++)
        labels[i] = -1;
    if (!keep) {
        free(km->centroids);
        memset(cent, 0, sizeof(float) * (size_t)k * (size_t)dpad);
        km->have = false;
    }
    free(km->assign), free(km->fit), free(km->size), free(km->labels), free(km->sums);
    km->centroids = cent, km->assign = assign, km->fit = fit, km->size = size;
    km->labels = labels, km->sums = sums;
    km->k = k, km->dim = dim, km->dpad = dpad, km->nthreads = nt, km->cap_rows = rows;
    km->label_words = lw;
    return true;
}

bool kmeans_update(Kmeans *km, const float *vec, int64_t rows, int dim, int stride, Err *e)
{
    if (!check_input(vec, rows, dim, stride, e))
        return false;
    km->desc = kmeans_desc_defaults(&km->desc); /* the caller may have edited desc: re-clamp */
    int k = km->desc.k > 0 ? km->desc.k : kmeans_default_k(rows);
    if (k > rows)
        k = (int)rows;
    if (!ensure(km, rows, k, dim, e))
        return false;
    if (rows != km->rows)
        for (int64_t r = 0; r < rows; r++)
            km->assign[r] = -1;
    km->rows = rows;
    km->reseeded = !km->have;
    if (!km->have && !seed_centroids(km, vec, rows, stride))
        return err_set(e, "kmeans: out of memory for seeding");
    km->have = true;
    int it = 0;
    for (;;) {
        run_pass(km, vec, rows, stride);
        it++;
        bool conv = it > 1 && (double)km->changed <= km->desc.tol * (double)rows;
        if (conv || it >= km->desc.iters)
            break;
        recentre(km, vec, rows, stride);
    }
    km->iters = it;
    if (!make_labels(km, vec, rows, stride, e))
        return err_prefix(e, "kmeans labels: ");
    return true;
}

bool kmeans_step(Kmeans *km, const float *vec, int64_t rows, int dim, int stride, Err *e)
{
    if (!km->have || km->dim != dim || rows != km->rows || !vec || stride < dim)
        return err_set(e, "kmeans: step needs a prior update on %lld x %d rows", (long long)rows,
                       dim);
    run_pass(km, vec, rows, stride);
    recentre(km, vec, rows, stride);
    return true;
}
