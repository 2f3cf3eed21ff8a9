/* Incremental PCA: see pca.h. One pass computes W = C Q for the block Q without forming the
 * covariance C: per row z (optionally unit-normalised, shifted by the previous mean), t = Q z and
 * W += z t^T; the shift is corrected exactly afterwards, so the data is read once per pass.
 * Called from one analysis thread; passes are split into one chunk of rows per thread of
 * desc.pool and run there (the small solves are in subspace.c). */
#include "model/analysis/pca.h"
#include "model/analysis/subspace.h"
#include "model/base/kernels.h"
#include "model/base/rng.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LANES 16        /* floats per vector chunk: one 64-byte line */
#define FLUSH_ROWS 256  /* rows summed in float before adding into double */

PcaDesc pca_desc_defaults(const PcaDesc *d)
{
    PcaDesc r = d ? *d : (PcaDesc){0};
    if (r.k <= 0)
        r.k = 3;
    if (r.k > PCA_MAX_K)
        r.k = PCA_MAX_K;
    if (r.oversample <= 0)
        r.oversample = 3;
    if (r.k + r.oversample > PCA_MAX_BLOCK)
        r.oversample = PCA_MAX_BLOCK - r.k;
    if (r.warm_passes <= 0)
        r.warm_passes = 1;
    if (r.cold_passes <= 0)
        r.cold_passes = 30;
    if (r.tol <= 0)
        r.tol = 1e-4;
    if (r.group_gap <= 0)
        r.group_gap = 0.1;
    if (r.seed == 0)
        r.seed = 1;
    return r;
}

void pca_init(Pca *p, const PcaDesc *d)
{
    memset(p, 0, sizeof *p);
    p->desc = pca_desc_defaults(d);
    p->moved = -1;
}

static void free_storage(Pca *p)
{
    free(p->mean);
    free(p->basis);
    free(p->qf);
    free(p->mu0);
    free(p->fscratch);
    free(p->dscratch);
    free(p->work);
    p->mean = p->basis = p->dscratch = p->work = NULL;
    p->qf = p->mu0 = p->fscratch = NULL;
}

void pca_deinit(Pca *p)
{
    if (!p)
        return;
    free_storage(p);
    memset(p, 0, sizeof *p);
}

void pca_reset(Pca *p) { p->have_basis = false; }

/* ---- the pass over the data ---- */

typedef struct PassJob {
    const Pca *p;
    const float *vec;
    int64_t stride, r0, r1;
    float *f;    /* (block + 2, dpad): y partials, z, s partial */
    double *d;   /* (block + 1, dim) + 1: y, s, sum |z|^2 */
} PassJob;

KERNEL static float dot_pad(const float *a, const float *b, int n)
{
    float acc[LANES] = {0};
    for (int i = 0; i < n; i += LANES)
        for (int l = 0; l < LANES; l++)
            acc[l] += a[i + l] * b[i + l];
    float s = 0;
    for (int l = 0; l < LANES; l++)
        s += acc[l];
    return s;
}

/* Sum of squares of n floats, no padding assumed. */
KERNEL static float sumsq(const float *x, int n)
{
    float acc[LANES] = {0};
    int i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int l = 0; l < LANES; l++)
            acc[l] += x[i + l] * x[i + l];
    for (; i < n; i++)
        acc[0] += x[i] * x[i];
    float s = 0;
    for (int l = 0; l < LANES; l++)
        s += acc[l];
    return s;
}

static void flush(const Pca *p, float *f, double *d)
{
    int dim = p->dim, dpad = p->dpad, nb = p->block;
    for (int j = 0; j <= nb; j++) { /* row nb of each is the sum of z */
        float *fj = f + (int64_t)(j == nb ? nb + 1 : j) * dpad;
        double *dj = d + (int64_t)j * dim;
        for (int i = 0; i < dim; i++)
            dj[i] += fj[i];
        memset(fj, 0, sizeof(float) * (size_t)dpad);
    }
}

KERNEL static void pass_rows(PassJob *job)
{
    const Pca *p = job->p;
    int dim = p->dim, dpad = p->dpad, nb = p->block;
    float *y = job->f, *z = job->f + (int64_t)nb * dpad, *s = z + dpad;
    double *sumsq_z = job->d + (int64_t)(nb + 1) * dim;
    const float *mu = p->mu0;
    memset(job->f, 0, sizeof(float) * (size_t)(nb + 2) * (size_t)dpad);
    int pending = 0;
    float ssf = 0;
    for (int64_t r = job->r0; r < job->r1; r++) {
        const float *x = job->vec + r * job->stride;
        float inv = 1;
        if (p->spherize) {
            float n2 = sumsq(x, dim);
            inv = n2 > 0 ? 1 / sqrtf(n2) : 0;
        }
        for (int i = 0; i < dim; i++)
            z[i] = x[i] * inv - mu[i];
        float t[PCA_MAX_BLOCK];
        for (int j = 0; j < nb; j++)
            t[j] = dot_pad(z, p->qf + (int64_t)j * dpad, dpad);
        for (int j = 0; j < nb; j++) {
            float *yj = y + (int64_t)j * dpad, tj = t[j];
            for (int i = 0; i < dpad; i++)
                yj[i] += tj * z[i];
        }
        for (int i = 0; i < dpad; i++)
            s[i] += z[i];
        ssf += dot_pad(z, z, dpad);
        if (++pending == FLUSH_ROWS) {
            flush(p, y, job->d);
            *sumsq_z += ssf;
            ssf = 0;
            pending = 0;
        }
    }
    flush(p, y, job->d);
    *sumsq_z += ssf;
}

static void pass_task(void *jobs, int t) { pass_rows((PassJob *)jobs + t); }

/* Runs one pass; on return job 0's d holds the totals. The chunks are summed in chunk order
 * whichever thread ran them, so a result depends on the number of chunks only. */
static void run_pass(Pca *p, const float *vec, int64_t rows, int stride)
{
    int nt = p->nthreads;
    int64_t fsz = (int64_t)(p->block + 2) * p->dpad, dsz = (int64_t)(p->block + 1) * p->dim + 1;
    PassJob jobs[POOL_MAX_THREADS];
    for (int t = 0; t < nt; t++) {
        jobs[t] = (PassJob){p, vec, stride, rows * t / nt, rows * (t + 1) / nt,
                            p->fscratch + fsz * t, p->dscratch + dsz * t};
        memset(jobs[t].d, 0, sizeof(double) * (size_t)dsz);
    }
    pool_run(p->desc.pool, pass_task, jobs, nt);
    for (int t = 1; t < nt; t++)
        for (int64_t i = 0; i < dsz; i++)
            jobs[0].d[i] += jobs[t].d[i];
}

/* ---- one iteration: pass, then orthonormal ordered basis from W = C Q ---- */

/* Returns false on non-finite sums. Updates basis, var, residual, mean, total_var. */
static bool iterate(Pca *p, const float *vec, int64_t rows, int stride)
{
    int dim = p->dim, nb = p->block, dpad = p->dpad;
    run_pass(p, vec, rows, stride);
    const double *y = p->dscratch, *s = y + (int64_t)nb * dim;
    double n = (double)rows, ss = y[(int64_t)(nb + 1) * dim];
    double *dm = p->work + (int64_t)nb * dim; /* (dim) mean - mu0 */
    double dd = 0;
    for (int i = 0; i < dim; i++) {
        dm[i] = s[i] / n;
        dd += dm[i] * dm[i];
    }
    if (!isfinite(ss) || !isfinite(dd))
        return false;
    double *w = p->work; /* (nb, dim): W = C Q, columns of C Q as rows */
    for (int j = 0; j < nb; j++) {
        const float *q = p->qf + (int64_t)j * dpad;
        double c = 0;
        for (int i = 0; i < dim; i++)
            c += dm[i] * q[i];
        for (int i = 0; i < dim; i++)
            w[(int64_t)j * dim + i] = y[(int64_t)j * dim + i] / n - dm[i] * c;
    }
    for (int64_t i = 0; i < (int64_t)nb * dim; i++)
        if (!isfinite(w[i]))
            return false;
    subspace_ritz(w, p->qf, dpad, nb, dim, p->basis, p->var, p->residual);
    for (int i = 0; i < dim; i++)
        p->mean[i] = p->mu0[i] + dm[i];
    p->total_var = ss / n - dd;
    return true;
}

static void load_float_basis(Pca *p)
{
    for (int j = 0; j < p->block; j++)
        for (int i = 0; i < p->dim; i++)
            p->qf[(int64_t)j * p->dpad + i] = (float)p->basis[(int64_t)j * p->dim + i];
    for (int i = 0; i < p->dim; i++)
        p->mu0[i] = (float)p->mean[i];
}

/* ---- orientation ---- */

/* Deterministic sign for a fresh basis: the largest-magnitude coordinate is positive. */
static void canonical_signs(Pca *p)
{
    for (int j = 0; j < p->block; j++) {
        double *u = p->basis + (int64_t)j * p->dim;
        int m = 0;
        for (int i = 1; i < p->dim; i++)
            if (fabs(u[i]) > fabs(u[m]) + 1e-12)
                m = i;
        if (u[m] < 0)
            for (int i = 0; i < p->dim; i++)
                u[i] = -u[i];
    }
}

/* Groups nearly-equal eigenvalues among the first k (their eigenvectors are not individually
 * determined, so only the subspace is kept steady) and aligns each group. */
static void align_to(Pca *p, const double *prev)
{
    int k = p->k;
    for (int g0 = 0; g0 < k;) {
        int g1 = g0 + 1;
        while (g1 < k && p->var[g1 - 1] - p->var[g1] <= p->desc.group_gap * p->var[g1 - 1])
            g1++;
        subspace_align(p->basis, p->var, prev, g0, g1, p->dim, p->work);
        g0 = g1;
    }
    subspace_orthonormalise(p->basis, p->block, p->dim);
}

static double moved_measure(const Pca *p, const double *prev, const double *prev_mean)
{
    double num = 0, den = 0;
    for (int j = 0; j < p->k; j++) {
        const double *u = p->basis + (int64_t)j * p->dim, *q = prev + (int64_t)j * p->dim;
        double du = 0, dmu = 0;
        for (int i = 0; i < p->dim; i++) {
            du += (u[i] - q[i]) * (u[i] - q[i]);
            dmu += (p->mean[i] - prev_mean[i]) * q[i];
        }
        num += p->var[j] * du + dmu * dmu;
        den += p->var[j];
    }
    return den > 0 ? sqrt(num / den) : 0;
}

/* ---- public ---- */

static bool ensure_storage(Pca *p, int dim, Err *e)
{
    int block = p->desc.k + p->desc.oversample;
    if (block > dim)
        block = dim;
    int k = p->desc.k < block ? p->desc.k : block;
    int nt = pool_threads(p->desc.pool);
    if (p->basis && p->dim == dim && p->block == block && p->k == k && p->nthreads == nt)
        return true;
    int dpad = (dim + LANES - 1) / LANES * LANES;
    size_t fsz = (size_t)(block + 2) * (size_t)dpad, dsz = (size_t)(block + 1) * (size_t)dim + 1;
    double *mean = calloc((size_t)dim, sizeof(double));
    double *basis = calloc((size_t)block * (size_t)dim, sizeof(double));
    double *work = calloc((size_t)(block + 1) * (size_t)dim, sizeof(double));
    double *dscr = calloc(dsz * (size_t)nt, sizeof(double));
    float *qf = aligned_alloc(64, sizeof(float) * (size_t)block * (size_t)dpad);
    float *mu0 = aligned_alloc(64, sizeof(float) * (size_t)dpad);
    float *fscr = aligned_alloc(64, sizeof(float) * fsz * (size_t)nt);
    if (!mean || !basis || !work || !dscr || !qf || !mu0 || !fscr) {
        free(mean), free(basis), free(work), free(dscr), free(qf), free(mu0), free(fscr);
        return err_set(e, "pca: out of memory for dim %d", dim);
    }
    memset(qf, 0, sizeof(float) * (size_t)block * (size_t)dpad);
    memset(mu0, 0, sizeof(float) * (size_t)dpad);
    free_storage(p);
    p->mean = mean, p->basis = basis, p->work = work, p->dscratch = dscr;
    p->qf = qf, p->mu0 = mu0, p->fscratch = fscr;
    p->dim = dim, p->block = block, p->k = k, p->dpad = dpad, p->nthreads = nt;
    p->have_basis = false;
    return true;
}

static bool check_shape(int64_t rows, int dim, int stride, const float *vec, Err *e)
{
    if (!vec || rows < 2 || dim <= 0 || dim > 100000 || stride < dim)
        return err_set(e, "pca: bad matrix shape %lld x %d (stride %d); need >= 2 rows",
                       (long long)rows, dim, stride);
    return true;
}

bool pca_update(Pca *p, const float *vec, int64_t rows, int dim, int stride, Err *e)
{
    if (!check_shape(rows, dim, stride, vec, e))
        return false;
    p->desc = pca_desc_defaults(&p->desc); /* the caller may have edited desc: re-clamp */
    bool sph = p->desc.spherize > 0 || (p->desc.spherize == 0 && dim >= 50);
    if (!ensure_storage(p, dim, e))
        return false;
    bool warm = p->have_basis && p->spherize == sph;
    size_t bsz = (size_t)p->block * (size_t)dim;
    double *saved = malloc(sizeof(double) * (bsz + (size_t)dim)); /* previous basis and mean */
    if (!saved)
        return err_set(e, "pca: out of memory");
    memcpy(saved, p->basis, sizeof(double) * bsz);
    memcpy(saved + bsz, p->mean, sizeof(double) * (size_t)dim);
    double sv_var[PCA_MAX_BLOCK], sv_res[PCA_MAX_BLOCK], sv_total = p->total_var;
    memcpy(sv_var, p->var, sizeof sv_var);
    memcpy(sv_res, p->residual, sizeof sv_res);
    if (!warm) {
        uint64_t st = p->desc.seed;
        for (size_t i = 0; i < bsz; i++)
            p->basis[i] = rng_gauss(&st);
        subspace_orthonormalise(p->basis, p->block, dim);
        memset(p->mean, 0, sizeof(double) * (size_t)dim);
    }
    p->spherize = sph;
    int maxp = warm ? p->desc.warm_passes : p->desc.cold_passes, done = 0;
    bool ok = true, conv = false;
    while (done < maxp && !conv) {
        load_float_basis(p);
        if (!(ok = iterate(p, vec, rows, stride)))
            break;
        done++;
        conv = true;
        for (int j = 0; j < p->k; j++)
            conv = conv && p->residual[j] <= p->desc.tol;
    }
    if (!ok) { /* restore: a failed update changes nothing */
        memcpy(p->basis, saved, sizeof(double) * bsz);
        memcpy(p->mean, saved + bsz, sizeof(double) * (size_t)dim);
        memcpy(p->var, sv_var, sizeof sv_var);
        memcpy(p->residual, sv_res, sizeof sv_res);
        p->total_var = sv_total;
        load_float_basis(p);
        free(saved);
        return err_set(e, "pca: vectors contain NaN or infinite values");
    }
    if (warm) {
        align_to(p, saved);
        p->moved = moved_measure(p, saved, saved + bsz);
    } else {
        canonical_signs(p);
        p->moved = -1;
    }
    for (int j = 0; j < p->block; j++)
        p->explained[j] = p->total_var > 0 ? p->var[j] / p->total_var : 0;
    load_float_basis(p);
    p->have_basis = true;
    p->converged = conv;
    p->passes = done;
    p->rows = rows;
    free(saved);
    return true;
}

bool pca_set_basis(Pca *p, const double *b, int n, int dim, Err *e)
{
    if (dim <= 0 || dim > 100000 || n < 0)
        return err_set(e, "pca: bad basis shape %d x %d", n, dim);
    p->desc = pca_desc_defaults(&p->desc);
    if (!ensure_storage(p, dim, e))
        return false;
    if (n > p->block)
        return err_set(e, "pca: basis of %d rows exceeds the block of %d", n, p->block);
    for (int64_t i = 0; i < (int64_t)n * dim; i++)
        if (!isfinite(b[i]))
            return err_set(e, "pca: basis has a non-finite value at row %zu column %zu",
                           (size_t)(i / dim), (size_t)(i % dim));
    memset(p->basis, 0, sizeof(double) * (size_t)p->block * (size_t)dim);
    memcpy(p->basis, b, sizeof(double) * (size_t)n * (size_t)dim);
    subspace_orthonormalise(p->basis, p->block, dim);
    p->spherize = p->desc.spherize > 0 || (p->desc.spherize == 0 && dim >= 50);
    load_float_basis(p);
    p->have_basis = true;
    return true;
}

typedef struct ProjJob {
    const Pca *p;
    const float *vec, *q[3];
    float mq[3];
    int64_t stride, r0, r1;
    int nc;
    float *out;
} ProjJob;

KERNEL static void project_rows(ProjJob *j)
{
    int dim = j->p->dim;
    for (int64_t r = j->r0; r < j->r1; r++) {
        const float *x = j->vec + r * j->stride;
        float inv = 1;
        if (j->p->spherize) {
            float n2 = sumsq(x, dim);
            inv = n2 > 0 ? 1 / sqrtf(n2) : 0;
        }
        float *o = j->out + r * 3;
        o[0] = o[1] = o[2] = 0;
        for (int c = 0; c < j->nc; c++) {
            float acc[LANES] = {0};
            const float *q = j->q[c];
            int i = 0;
            for (; i + LANES <= dim; i += LANES)
                for (int l = 0; l < LANES; l++)
                    acc[l] += x[i + l] * q[i + l];
            for (; i < dim; i++)
                acc[0] += x[i] * q[i];
            float s = 0;
            for (int l = 0; l < LANES; l++)
                s += acc[l];
            o[c] = s * inv - j->mq[c];
        }
    }
}

static void project_task(void *jobs, int t) { project_rows((ProjJob *)jobs + t); }

bool pca_project(const Pca *p, const float *vec, int64_t rows, int dim, int stride,
                 const int *comps, int ncomp, float *out, Err *e)
{
    static const int first3[3] = {0, 1, 2};
    if (!p->have_basis || p->dim != dim)
        return err_set(e, "pca: no components for dim %d yet", dim);
    if (!vec || rows < 0 || stride < dim || ncomp < 1 || ncomp > 3)
        return err_set(e, "pca: bad projection request (%lld rows, %d components)",
                       (long long)rows, ncomp);
    if (!comps)
        comps = first3;
    ProjJob base = {.p = p, .vec = vec, .stride = stride, .nc = ncomp, .out = out};
    for (int c = 0; c < ncomp; c++) {
        if (comps[c] < 0 || comps[c] >= p->k)
            return err_set(e, "pca: component %d out of range (have %d)", comps[c] + 1, p->k);
        base.q[c] = p->qf + (int64_t)comps[c] * p->dpad;
        base.mq[c] = dot_pad(p->mu0, base.q[c], p->dpad);
    }
    /* the projection is per row, so any split gives the same floats */
    int nt = pool_threads(p->desc.pool);
    ProjJob jobs[POOL_MAX_THREADS];
    for (int t = 0; t < nt; t++) {
        jobs[t] = base;
        jobs[t].r0 = rows * t / nt;
        jobs[t].r1 = rows * (t + 1) / nt;
    }
    pool_run(p->desc.pool, project_task, jobs, nt);
    return true;
}
