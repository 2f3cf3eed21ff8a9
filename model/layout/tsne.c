/* t-SNE's optimiser (see tsne.h): per iteration, the tree over the layout, then the
 * attractive (sparse P) and repulsive (tree or exact) forces as pool tasks over fixed blocks of
 * points, then sklearn's gains-and-momentum step on the caller's thread. */
#include "model/layout/tsne.h"
#include "model/base/rng.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Blocks of points per force pass: fixed, so that the sum of Z (and so every bit of the
 * result) does not depend on how many threads the pool has. */
enum { FORCE_TASKS = 64 };

TsneDesc tsne_desc_defaults(const TsneDesc *d)
{
    TsneDesc o = d ? *d : (TsneDesc){0};
    if (o.dims == 0) o.dims = 2;
    if (o.perplexity == 0) o.perplexity = 30;
    if (o.iterations == 0) o.iterations = o.warm ? 100 : 1000;
    if (o.exaggeration_iters == 0) o.exaggeration_iters = 250;
    if (o.exaggeration == 0) o.exaggeration = 12;
    if (o.theta == 0) o.theta = 0.5;
    if (o.momentum == 0) o.momentum = 0.5;
    if (o.final_momentum == 0) o.final_momentum = 0.8;
    if (o.min_gain == 0) o.min_gain = 0.01;
    if (o.seed == 0) o.seed = 1;
    if (o.progress_every == 0) o.progress_every = 50;
    return o;
}

static bool check_desc(const TsneDesc *d, Err *e)
{
    if (d->dims != 2 && d->dims != 3)
        return err_set(e, "t-SNE: dims %d (2 or 3)", d->dims);
    if (d->iterations < 0 || d->exaggeration_iters < 0 || d->progress_every < 0)
        return err_set(e, "t-SNE: iterations %d, exaggeration_iters %d, progress_every %d "
                       "(want >= 0)", d->iterations, d->exaggeration_iters, d->progress_every);
    if (!(d->exaggeration > 0) || !isfinite(d->exaggeration) || !(d->learning_rate >= 0) ||
        !isfinite(d->learning_rate))
        return err_set(e, "t-SNE: exaggeration %g, learning rate %g (want > 0, >= 0)",
                       d->exaggeration, d->learning_rate);
    if (!(d->theta > 0 || d->theta == TSNE_THETA_EXACT) || !isfinite(d->theta))
        return err_set(e, "t-SNE: theta %g (want > 0, or TSNE_THETA_EXACT)", d->theta);
    if (!(d->momentum >= 0 && d->momentum < 1) ||
        !(d->final_momentum >= 0 && d->final_momentum < 1) || !(d->min_gain > 0))
        return err_set(e, "t-SNE: momentum %g, final momentum %g, min gain %g (want [0, 1), "
                       "[0, 1), > 0)", d->momentum, d->final_momentum, d->min_gain);
    return true;
}

bool tsne_init(Tsne *t, const TsneDesc *d, const TsneGraph *g, Err *e)
{
    memset(t, 0, sizeof *t);
    t->desc = tsne_desc_defaults(d);
    if (!check_desc(&t->desc, e) || !tsne_affinity_check(g, e))
        return false;
    t->n = g->n;
    t->dims = t->desc.dims;
    if (t->desc.learning_rate == 0) {
        double lr = (double)g->n / t->desc.exaggeration / 4;
        t->desc.learning_rate = lr > 50 ? lr : 50;
    }
    float *cond = malloc((size_t)(g->n * g->k > 0 ? g->n * g->k : 1) * sizeof *cond);
    if (!cond)
        return err_set(e, "t-SNE: out of memory for %lld x %d affinities", (long long)g->n, g->k);
    int64_t capped = 0;
    bool ok = tsne_affinity_rows(g, t->desc.perplexity, t->desc.pool, cond, &capped, e) &&
              tsne_affinity_symmetric(g, cond, &t->p, e);
    free(cond);
    if (!ok) {
        memset(t, 0, sizeof *t);
        return false;
    }
    t->p.capped = capped;
    bhtree_init(&t->tree);
    return true;
}

void tsne_deinit(Tsne *t)
{
    tsne_affinity_free(&t->p);
    bhtree_deinit(&t->tree);
    free(t->y); /* one block: y, grad, update, gains, rep */
    memset(t, 0, sizeof *t);
}

static bool buffers(Tsne *t, Err *e)
{
    if (t->y)
        return true;
    size_t nd = (size_t)t->n * (size_t)t->dims;
    t->y = malloc(5 * nd * sizeof *t->y);
    if (!t->y)
        return err_set(e, "t-SNE: out of memory for the layout of %lld points", (long long)t->n);
    t->grad = t->y + nd;
    t->update = t->grad + nd;
    t->gains = t->update + nd;
    t->rep = t->gains + nd;
    return true;
}

typedef struct ForceJob {
    const Tsne *t;
    const double *y;
    double theta;
    bool want_kl;
    double z[FORCE_TASKS];  /* sum of w_ij over the block's rows */
    double kl[FORCE_TASKS]; /* sum of P_ij (log P_ij + log(1 + d_ij^2)) over the block */
} ForceJob;

/* Row i's attraction sum_j P_ij w_ij (y_i - y_j) into t->grad (raw, not yet scaled). */
static double attract(const Tsne *t, const double *y, int64_t i, bool want_kl)
{
    const int dims = t->dims;
    const double *yi = y + i * dims;
    double acc[3] = {0}, kl = 0;
    for (int64_t s = t->p.rowptr[i]; s < t->p.rowptr[i + 1]; s++) {
        const double *yj = y + (int64_t)t->p.col[s] * dims;
        double diff[3], d2 = 0;
        for (int k = 0; k < dims; k++) {
            diff[k] = yi[k] - yj[k];
            d2 += diff[k] * diff[k];
        }
        double pij = t->p.val[s], pw = pij / (1 + d2);
        for (int k = 0; k < dims; k++)
            acc[k] += pw * diff[k];
        if (want_kl)
            kl += pij * (log(pij) + log1p(d2));
    }
    for (int k = 0; k < dims; k++)
        t->grad[i * dims + k] = acc[k];
    return kl;
}

/* The exact repulsion on row i: O(n). */
static double repulse_exact(const Tsne *t, const double *y, int64_t i, double *f)
{
    const int dims = t->dims;
    const double *yi = y + i * dims;
    double z = 0;
    for (int64_t j = 0; j < t->n; j++) {
        if (j == i)
            continue;
        double diff[3], d2 = 0;
        for (int k = 0; k < dims; k++) {
            diff[k] = yi[k] - y[j * dims + k];
            d2 += diff[k] * diff[k];
        }
        double w = 1 / (1 + d2);
        z += w;
        for (int k = 0; k < dims; k++)
            f[k] += w * w * diff[k];
    }
    return z;
}

static void force_task(void *ctx, int task)
{
    ForceJob *j = ctx;
    const Tsne *t = j->t;
    int64_t a = t->n * task / FORCE_TASKS, b = t->n * (task + 1) / FORCE_TASKS;
    double z = 0, kl = 0;
    for (int64_t i = a; i < b; i++) /* rows in order: P streams from memory */
        kl += attract(t, j->y, i, j->want_kl);
    if (j->theta == TSNE_THETA_EXACT) {
        for (int64_t i = a; i < b; i++) {
            double *f = t->rep + i * t->dims;
            for (int k = 0; k < t->dims; k++)
                f[k] = 0;
            z += repulse_exact(t, j->y, i, f);
        }
    } else {
        /* Points go in the tree's leaf order, in groups that share a walk (bhtree.h):
         * neighbours in the layout walk the same cells, which stay in cache. */
        double f[BHTREE_GROUP * 3], zs[BHTREE_GROUP];
        for (int64_t pos = a; pos < b; pos += BHTREE_GROUP) {
            int g = b - pos < BHTREE_GROUP ? (int)(b - pos) : BHTREE_GROUP;
            z += bhtree_repulse(&t->tree, j->y, pos, g, j->theta, f, zs);
            for (int m = 0; m < g; m++)
                memcpy(t->rep + (int64_t)t->tree.order[pos + m] * t->dims, f + m * t->dims,
                       sizeof(double) * (size_t)t->dims);
        }
    }
    j->z[task] = z;
    j->kl[task] = kl;
}

/* t->grad = the gradient of KL(P * exaggeration || Q) at t->y; *kl = KL(P || Q) when asked. */
static bool forces(Tsne *t, double exaggeration, double theta, double *kl, Err *e)
{
    if (theta != TSNE_THETA_EXACT && !bhtree_build(&t->tree, t->y, t->n, t->dims, e))
        return false;
    ForceJob job = {.t = t, .y = t->y, .theta = theta, .want_kl = kl != NULL};
    pool_run(t->desc.pool, force_task, &job, FORCE_TASKS);
    double z = 0, klsum = 0;
    for (int task = 0; task < FORCE_TASKS; task++) {
        z += job.z[task];
        klsum += job.kl[task];
    }
    /* dC/dy_i = 4 (sum_j P_ij w_ij (y_i - y_j) - sum_j w_ij^2 (y_i - y_j) / Z) */
    double inv_z = z > 0 ? 1 / z : 0;
    int64_t nd = t->n * t->dims;
    for (int64_t s = 0; s < nd; s++)
        t->grad[s] = 4 * (exaggeration * t->grad[s] - t->rep[s] * inv_z);
    if (kl)
        *kl = t->p.nnz > 0 && z > 0 ? klsum + log(z) : 0;
    return true;
}

static bool finite_all(const double *y, int64_t n)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++)
        s += y[i] * 0;
    return s == 0; /* NaN or Inf anywhere makes the sum NaN */
}

static void reset_steps(Tsne *t)
{
    int64_t nd = t->n * t->dims;
    for (int64_t s = 0; s < nd; s++) {
        t->update[s] = 0;
        t->gains[s] = 1;
    }
}

/* sklearn's _gradient_descent step: gains grow by 0.2 where the gradient changed sign against
 * the last update and shrink by 0.8 elsewhere (delta-bar-delta), then a momentum step. */
static void step(Tsne *t, double momentum)
{
    const double lr = t->desc.learning_rate, min_gain = t->desc.min_gain;
    int64_t nd = t->n * t->dims;
    for (int64_t s = 0; s < nd; s++) {
        double g = t->grad[s], u = t->update[s], gain = t->gains[s];
        gain = u * g < 0 ? gain + 0.2 : gain * 0.8;
        gain = gain < min_gain ? min_gain : gain;
        t->gains[s] = gain;
        u = momentum * u - lr * gain * g;
        t->update[s] = u;
        t->y[s] += u;
    }
}

/* Standard deviation of column 0 of y ((n, dims) floats). */
static double col0_sd(const float *y, int64_t n, int dims)
{
    double mean = 0, var = 0;
    for (int64_t i = 0; i < n; i++)
        mean += y[i * dims];
    mean /= (double)n;
    for (int64_t i = 0; i < n; i++)
        var += ((double)y[i * dims] - mean) * ((double)y[i * dims] - mean);
    return sqrt(var / (double)n);
}

static bool load_y(Tsne *t, const float *y, Err *e)
{
    if (!buffers(t, e))
        return false;
    int64_t nd = t->n * t->dims;
    for (int64_t s = 0; s < nd; s++)
        t->y[s] = y[s];
    if (!finite_all(t->y, nd))
        return err_set(e, "t-SNE: the start coordinates are not all finite");
    return true;
}

bool tsne_optimize(Tsne *t, float *y, Err *e)
{
    const TsneDesc *d = &t->desc;
    t->iters_done = 0;
    t->cancelled = false;
    if (!load_y(t, y, e))
        return false;
    if (d->rescale > 0 || (d->rescale == 0 && !d->warm)) {
        double sd = col0_sd(y, t->n, t->dims);
        for (int64_t s = 0; sd > 0 && s < t->n * t->dims; s++)
            t->y[s] *= 1e-4 / sd;
    }
    reset_steps(t);
    int iters = d->iterations;
    int ex_iters = d->warm ? 0 : (d->exaggeration_iters < iters ? d->exaggeration_iters : iters);
    int64_t nd = t->n * t->dims;
    for (int it = 0; it < iters; it++) {
        if (d->cancel && atomic_load(d->cancel)) {
            t->cancelled = true;
            break;
        }
        if (it == ex_iters && it > 0)
            reset_steps(t); /* sklearn starts its second phase with fresh gains and updates */
        bool exag = it < ex_iters;
        bool report = it + 1 == iters ||
                      (d->progress && d->progress_every > 0 && (it + 1) % d->progress_every == 0);
        double kl = 0;
        if (!forces(t, exag ? d->exaggeration : 1, d->theta, report ? &kl : NULL, e))
            return false;
        step(t, exag ? d->momentum : d->final_momentum);
        if (!finite_all(t->y, nd))
            return err_set(e, "t-SNE: the layout stopped being finite at iteration %d "
                           "(learning rate %g)", it + 1, d->learning_rate);
        t->iters_done = it + 1;
        if (report) {
            t->kl = kl;
            if (d->progress && !d->progress(d->ctx, it + 1, iters, kl)) {
                t->cancelled = it + 1 < iters;
                break;
            }
        }
    }
    for (int64_t s = 0; s < nd; s++)
        y[s] = (float)t->y[s];
    return true;
}

bool tsne_gradient(Tsne *t, const float *y, double exaggeration, double theta, double *grad,
                   double *kl, Err *e)
{
    if (!(theta >= 0 || theta == TSNE_THETA_EXACT))
        return err_set(e, "t-SNE: theta %g (want >= 0, or TSNE_THETA_EXACT)", theta);
    if (!load_y(t, y, e) || !forces(t, exaggeration, theta, kl, e))
        return false;
    memcpy(grad, t->grad, (size_t)(t->n * t->dims) * sizeof *grad);
    return true;
}

void tsne_init_random(float *y, int64_t n, int dims, uint64_t seed)
{
    uint64_t s = rng_mix(seed);
    for (int64_t i = 0; i < n * dims; i++)
        y[i] = (float)(1e-4 * rng_gauss(&s));
}

void tsne_scale_init(float *y, int64_t n, int dims, double target)
{
    double sd = n > 1 ? col0_sd(y, n, dims) : 0;
    if (sd > 0)
        for (int64_t i = 0; i < n * dims; i++)
            y[i] = (float)(y[i] * target / sd);
}
