/* The live neighbour layout (see livelayout.h). The analysis thread. */
#include "model/analysis/livelayout.h"
#include "model/base/clock.h"
#include "model/layout/umap.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

LiveLayoutDesc livelay_desc_defaults(const LiveLayoutDesc *d)
{
    LiveLayoutDesc o = d ? *d : (LiveLayoutDesc){0};
    o.dims = o.dims == 3 ? 3 : 2;
    o.neighbors = o.neighbors > 0 ? o.neighbors : 15;
    o.min_dist = o.min_dist > 0 ? o.min_dist : 0.1;
    o.epochs = o.epochs > 0 ? o.epochs : 200;
    o.warm_epochs = o.warm_epochs > 0 ? o.warm_epochs : 40;
    o.seed = o.seed ? o.seed : 1;
    return o;
}

void livelay_init(LiveLayout *L)
{
    memset(L, 0, sizeof *L);
    knngraph_init(&L->graph);
}

void livelay_deinit(LiveLayout *L)
{
    knngraph_deinit(&L->graph);
    free(L->xyz);
    free(L->work);
    memset(L, 0, sizeof *L);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Median distance between the held layout and work, over the new layout's largest extent. */
static double median_move(const LiveLayout *L, int dims)
{
    float *d = malloc((size_t)L->rows * sizeof *d);
    if (!d)
        return NAN;
    float lo[3] = {INFINITY, INFINITY, INFINITY}, hi[3] = {-INFINITY, -INFINITY, -INFINITY};
    for (int64_t i = 0; i < L->rows; i++) {
        double s = 0;
        for (int k = 0; k < dims; k++) {
            float v = L->work[i * dims + k];
            double t = v - L->xyz[i * 3 + k];
            s += t * t;
            lo[k] = fminf(lo[k], v);
            hi[k] = fmaxf(hi[k], v);
        }
        d[i] = (float)sqrt(s);
    }
    qsort(d, (size_t)L->rows, sizeof *d, cmp_float);
    float ext = 0;
    for (int k = 0; k < dims; k++)
        ext = fmaxf(ext, hi[k] - lo[k]);
    double m = ext > 0 ? d[L->rows / 2] / ext : 0;
    free(d);
    return m;
}

bool livelay_update(LiveLayout *L, const KnnIndex *ix, const LiveLayoutDesc *d, Pool *pool,
                    LayoutProgressFn fn, void *ctx, Err *e)
{
    LiveLayoutDesc want = livelay_desc_defaults(d);
    if (want.kind != LIVELAY_UMAP)
        return err_set(e, "layout: unknown kind %d", (int)want.kind);
    double t0 = clock_ms();
    int dims = want.dims;
    bool warm = L->valid && L->rows == ix->rows && L->have.dims == dims &&
                L->have.neighbors == want.neighbors && L->have.min_dist == want.min_dist &&
                L->graph.n == ix->rows;
    if (L->rows != ix->rows || !L->xyz) {
        float *x = calloc((size_t)ix->rows * 3, sizeof *x), *w = malloc((size_t)ix->rows * 3 * sizeof *w);
        if (!x || !w) {
            free(x);
            free(w);
            return err_set(e, "layout: out of memory for %lld points", (long long)ix->rows);
        }
        free(L->xyz);
        free(L->work);
        L->xyz = x;
        L->work = w;
        L->rows = ix->rows;
        L->valid = false;
    }
    KnnGraphDesc gd = {.k = want.neighbors, .seed = want.seed, .pool = pool, .progress = fn, .ctx = ctx};
    KnnGraphStats gs = {0};
    bool ok = warm ? knngraph_refine(&L->graph, ix, &gd, &gs, e) : knngraph_build(&L->graph, ix, &gd, &gs, e);
    if (!ok)
        return false;
    if (warm) /* the held layout, in UMAP's (rows, dims) shape, is the start */
        for (int64_t i = 0; i < ix->rows; i++)
            for (int k = 0; k < dims; k++)
                L->work[i * dims + k] = L->xyz[i * 3 + k];
    UmapDesc ud = {.dims = dims, .neighbors = want.neighbors, .min_dist = want.min_dist,
                   .epochs = warm ? want.warm_epochs : want.epochs, .learning_rate = warm ? 0.25 : 0,
                   .init = warm ? L->work : NULL, .seed = want.seed, .pool = pool, .progress = fn,
                   .ctx = ctx};
    /* umap writes out only on success; with a warm start its init is read first, so the init
     * and the output may not share memory: lay out into the second half of work */
    float *out = warm ? malloc((size_t)ix->rows * (size_t)dims * sizeof *out) : L->work;
    if (!out)
        return err_set(e, "layout: out of memory for %lld points", (long long)ix->rows);
    ok = umap_layout(&L->graph, ix, &ud, out, NULL, e);
    if (ok && warm)
        memcpy(L->work, out, (size_t)ix->rows * (size_t)dims * sizeof *out);
    if (warm)
        free(out);
    if (!ok)
        return false;
    L->moved = warm ? median_move(L, dims) : 0;
    for (int64_t i = 0; i < ix->rows; i++)
        for (int k = 0; k < 3; k++)
            L->xyz[i * 3 + k] = k < dims ? L->work[i * dims + k] : 0.f;
    L->have = want;
    L->valid = true;
    L->warm = warm;
    L->builds++;
    L->ms = clock_ms() - t0;
    L->dist_evals = gs.dist_evals;
    return true;
}
