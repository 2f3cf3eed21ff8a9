/* Dense regions of a 2D layout: see regions.h. The peaks come from a sweep of the grid's cells
 * from the densest down with a union-find (0-dimensional persistence): a cell with no denser
 * neighbour in the sweep starts a peak; where two peaks' areas meet, the lower one's
 * prominence is its height minus the meeting cell's, and a peak below the threshold hands its
 * cells to the one it met. Any thread: everything lives in the call's own allocations. */
#include "model/analysis/regions.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979
#define EXTENT_TAIL 0.005 /* points beyond these quantiles of x or y do not stretch the grid */

RegionsDesc regions_desc_defaults(const RegionsDesc *d, int64_t rows)
{
    RegionsDesc r = d ? *d : (RegionsDesc){0};
    if (r.grid <= 0)
        r.grid = 128;
    if (r.grid < 8)
        r.grid = 8;
    if (r.grid > 2048)
        r.grid = 2048;
    if (!(r.sigma > 0))
        r.sigma = 0;
    if (!(r.smooth > 0))
        r.smooth = 0.3;
    if (!(r.prominence > 0))
        r.prominence = 0.05;
    if (!(r.floor > 0))
        r.floor = 0.02;
    if (r.min_size <= 0)
        r.min_size = rows / 1000 > 10 ? rows / 1000 : 10;
    if (r.noise == 0) /* negative: off (kept negative, so defaults can be applied twice) */
        r.noise = 3;
    if (r.max_regions <= 0)
        r.max_regions = 64;
    return r;
}

void regions_deinit(Regions *r)
{
    if (!r)
        return;
    free(r->region);
    free(r->member);
    memset(r, 0, sizeof *r);
}

typedef struct Grid {
    int w, h, pad;
    double sigma;       /* blur, cells */
    double x0, y0, cs;  /* layout position of cell (0, 0)'s corner; cell size */
    double *d;          /* (h, w) density */
} Grid;

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* [lo, hi] of coordinate j without the EXTENT_TAIL tails. */
static bool extent(const float *xy, int64_t rows, int stride, int j, float *tmp, double r[2])
{
    for (int64_t i = 0; i < rows; i++)
        tmp[i] = xy[i * stride + j];
    qsort(tmp, (size_t)rows, sizeof *tmp, cmp_float);
    int64_t k = (int64_t)(EXTENT_TAIL * (double)rows);
    r[0] = tmp[k];
    r[1] = tmp[rows - 1 - k];
    return r[1] > r[0];
}

/* The cell of a point, or -1 outside the grid. */
static int64_t cell_of(const Grid *g, float x, float y)
{
    double cx = floor((x - g->x0) / g->cs), cy = floor((y - g->y0) / g->cs);
    if (!(cx >= 0 && cy >= 0 && cx < g->w && cy < g->h))
        return -1;
    return (int64_t)cy * g->w + (int64_t)cx;
}

/* Separable Gaussian blur of g->d in place (tmp: w * h doubles). */
static void blur(Grid *g, double sigma, double *tmp)
{
    int rad = (int)ceil(3 * sigma);
    double k[2 * 3 * 512 + 1], ks = 0;
    for (int i = -rad; i <= rad; i++)
        ks += k[i + rad] = exp(-0.5 * i * i / (sigma * sigma));
    for (int i = 0; i <= 2 * rad; i++)
        k[i] /= ks;
    for (int pass = 0; pass < 2; pass++) {
        const double *src = pass ? tmp : g->d;
        double *dst = pass ? g->d : tmp;
        for (int y = 0; y < g->h; y++)
            for (int x = 0; x < g->w; x++) {
                double s = 0;
                for (int i = -rad; i <= rad; i++) {
                    int xx = pass ? x : x + i, yy = pass ? y + i : y;
                    if (xx >= 0 && yy >= 0 && xx < g->w && yy < g->h)
                        s += k[i + rad] * src[(int64_t)yy * g->w + xx];
                }
                dst[(int64_t)y * g->w + x] = s;
            }
    }
}

typedef struct Cell {
    double d;
    int64_t i;
} Cell;

static int cmp_cell(const void *a, const void *b)
{
    const Cell *x = a, *y = b;
    if (x->d != y->d)
        return x->d > y->d ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int64_t find(int64_t *parent, int64_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

typedef struct Sweep {
    Cell *order;       /* (cells) densest first */
    int64_t *parent;   /* (cells) union-find; -1: not swept yet. A root is its area's peak */
    int64_t *owner;    /* (cells) the peak a cell was swept into */
    int64_t *heir;     /* (cells, for peaks) the peak it handed its cells to; itself if kept */
    double *prom;      /* (cells, for peaks) */
} Sweep;

/* The areas (their roots) of cell c's swept neighbours, each once; returns how many. */
static int neighbour_roots(const Grid *g, const Sweep *s, int64_t c, int64_t roots[8])
{
    int cx = (int)(c % g->w), cy = (int)(c / g->w), n = 0;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int x = cx + dx, y = cy + dy;
            if ((!dx && !dy) || x < 0 || y < 0 || x >= g->w || y >= g->h)
                continue;
            int64_t nb = (int64_t)y * g->w + x;
            if (s->parent[nb] < 0)
                continue;
            int64_t r = find(s->parent, nb);
            bool seen = false;
            for (int i = 0; i < n; i++)
                seen |= roots[i] == r;
            if (!seen)
                roots[n++] = r;
        }
    return n;
}

/* The sweep (see the top comment); cells below floor_d stay out (parent -1). */
static void sweep(const Grid *g, Sweep *s, double floor_d, double min_prom, double z)
{
    /* a blurred Poisson count of mean d has variance d / (4 pi sigma^2) (the sum of the
     * squared weights of a normalised 2D Gaussian): bumps of fewer than z of those are noise */
    double var1 = 1 / (4 * PI * g->sigma * g->sigma);
    int64_t cells = (int64_t)g->w * g->h;
    for (int64_t i = 0; i < cells; i++) {
        s->order[i] = (Cell){g->d[i], i};
        s->parent[i] = s->owner[i] = -1;
    }
    qsort(s->order, (size_t)cells, sizeof *s->order, cmp_cell);
    for (int64_t n = 0; n < cells; n++) {
        int64_t c = s->order[n].i, roots[8];
        if (g->d[c] < floor_d)
            break;
        int nr = neighbour_roots(g, s, c, roots);
        if (nr == 0) { /* a new peak */
            s->parent[c] = s->owner[c] = s->heir[c] = c;
            s->prom[c] = g->d[c];
            continue;
        }
        int64_t best = roots[0];
        for (int i = 1; i < nr; i++)
            if (g->d[roots[i]] > g->d[best] || (g->d[roots[i]] == g->d[best] && roots[i] < best))
                best = roots[i];
        s->parent[c] = s->owner[c] = best;
        /* every other area met here dies into the highest (the elder rule) */
        for (int i = 0; i < nr; i++) {
            int64_t r = roots[i];
            if (r == best)
                continue;
            s->prom[r] = g->d[r] - g->d[c];
            if (s->prom[r] < min_prom || s->prom[r] < z * sqrt((g->d[r] + g->d[c]) * var1))
                s->heir[r] = best;
            s->parent[r] = best;
        }
    }
}

/* The kept peak whose region a swept cell is in. */
static int64_t region_peak(const Sweep *s, int64_t c)
{
    int64_t p = s->owner[c];
    while (s->heir[p] != p)
        p = s->heir[p];
    return p;
}

typedef struct PeakRank {
    int64_t cell;
    double prom;
} PeakRank;

static int cmp_peak(const void *a, const void *b)
{
    const PeakRank *x = a, *y = b;
    if (x->prom != y->prom)
        return x->prom > y->prom ? -1 : 1;
    return (x->cell > y->cell) - (x->cell < y->cell);
}

static bool check(const float *xy, int64_t rows, int stride, Err *e)
{
    if (!xy || rows < 1 || stride < 2)
        return err_set(e, "regions: bad shape %lld points (stride %d)", (long long)rows, stride);
    for (int64_t i = 0; i < rows; i++)
        if (!isfinite(xy[i * stride]) || !isfinite(xy[i * stride + 1]))
            return err_set(e, "regions: point %lld is not finite", (long long)i);
    return true;
}

/* One region of every point, at their mean (one point, or all on one spot). */
static bool one_region(Regions *out, const float *xy, int64_t rows, int stride, Err *e)
{
    Region *r = calloc(1, sizeof *r);
    int32_t *m = calloc((size_t)rows, sizeof *m);
    if (!r || !m) {
        free(r), free(m);
        return err_set(e, "regions: out of memory for %lld points", (long long)rows);
    }
    double sx = 0, sy = 0;
    for (int64_t i = 0; i < rows; i++)
        sx += xy[i * stride], sy += xy[i * stride + 1];
    *r = (Region){(float)(sx / (double)rows), (float)(sy / (double)rows), (double)rows,
                  (double)rows, rows};
    regions_deinit(out);
    *out = (Regions){1, r, m, rows};
    return true;
}

/* Scott's rule in two dimensions: rows^(-1/6) x the RMS spread about the mean (per axis,
 * averaged) of the points inside the extent, so a far outlier does not widen the blur. */
static double scott(const float *xy, int64_t rows, int stride, const double ex[2],
                    const double ey[2])
{
    double sx = 0, sy = 0, sxx = 0, syy = 0;
    int64_t n = 0;
    for (int64_t i = 0; i < rows; i++) {
        double x = xy[i * stride], y = xy[i * stride + 1];
        if (x < ex[0] || x > ex[1] || y < ey[0] || y > ey[1])
            continue;
        sx += x, sy += y, sxx += x * x, syy += y * y, n++;
    }
    if (n < 2)
        return 0;
    double vx = sxx / (double)n - (sx / (double)n) * (sx / (double)n);
    double vy = syy / (double)n - (sy / (double)n) * (sy / (double)n);
    return pow((double)n, -1.0 / 6) * sqrt(fmax(0, (vx + vy) / 2));
}

/* The grid over the points' extent with pad cells of margin, and their histogram. */
static bool make_grid(Grid *g, const float *xy, int64_t rows, int stride, const RegionsDesc *d,
                      bool *flat)
{
    float *tmp = malloc(sizeof(float) * (size_t)rows);
    if (!tmp)
        return false;
    double ex[2], ey[2];
    bool wx = extent(xy, rows, stride, 0, tmp, ex), wy = extent(xy, rows, stride, 1, tmp, ey);
    free(tmp);
    *flat = !wx && !wy;
    if (*flat)
        return true;
    double span = fmax(ex[1] - ex[0], ey[1] - ey[0]);
    g->cs = span / d->grid;
    double h = d->sigma > 0 ? d->sigma : d->smooth * scott(xy, rows, stride, ex, ey);
    g->sigma = fmin(fmax(h / g->cs, 1), d->grid / 4.0);
    g->pad = (int)ceil(3 * g->sigma);
    g->w = (int)ceil((ex[1] - ex[0]) / g->cs) + 1 + 2 * g->pad;
    g->h = (int)ceil((ey[1] - ey[0]) / g->cs) + 1 + 2 * g->pad;
    g->x0 = ex[0] - g->pad * g->cs;
    g->y0 = ey[0] - g->pad * g->cs;
    g->d = calloc((size_t)g->w * (size_t)g->h, sizeof(double));
    if (!g->d)
        return false;
    for (int64_t i = 0; i < rows; i++) {
        int64_t c = cell_of(g, xy[i * stride], xy[i * stride + 1]);
        if (c >= 0)
            g->d[c] += 1;
    }
    return true;
}

/* The kept peaks with at least min_size members, most prominent first, into out. */
static bool collect(Regions *out, const Grid *g, const Sweep *s, const float *xy, int64_t rows,
                    int stride, const RegionsDesc *d, int64_t *count, int32_t *id, Err *e)
{
    int64_t cells = (int64_t)g->w * g->h, npeaks = 0;
    PeakRank *pk = malloc(sizeof *pk * (size_t)cells);
    int32_t *m = malloc(sizeof *m * (size_t)rows);
    Region *reg = NULL;
    if (!pk || !m)
        goto fail;
    memset(count, 0, sizeof *count * (size_t)cells);
    for (int64_t i = 0; i < rows; i++) {
        int64_t c = cell_of(g, xy[i * stride], xy[i * stride + 1]);
        if (c >= 0 && s->parent[c] >= 0)
            count[region_peak(s, c)]++;
    }
    for (int64_t c = 0; c < cells; c++) {
        id[c] = -1;
        /* a peak that met no other above the floor has its height as prominence, which the
         * noise test at the meetings never saw */
        bool noise = s->prom[c] < fmax(0, d->noise) * sqrt(g->d[c] / (4 * PI * g->sigma * g->sigma));
        if (s->parent[c] >= 0 && s->owner[c] == c && s->heir[c] == c && !noise &&
            count[c] >= d->min_size)
            pk[npeaks++] = (PeakRank){c, s->prom[c]};
    }
    qsort(pk, (size_t)npeaks, sizeof *pk, cmp_peak);
    int n = npeaks < d->max_regions ? (int)npeaks : d->max_regions;
    if (!(reg = calloc((size_t)(n ? n : 1), sizeof *reg)))
        goto fail;
    for (int r = 0; r < n; r++) {
        int64_t c = pk[r].cell;
        id[c] = r;
        reg[r] = (Region){(float)(g->x0 + ((double)(c % g->w) + 0.5) * g->cs),
                          (float)(g->y0 + ((double)(c / g->w) + 0.5) * g->cs), g->d[c], pk[r].prom,
                          count[c]};
    }
    for (int64_t i = 0; i < rows; i++) {
        int64_t c = cell_of(g, xy[i * stride], xy[i * stride + 1]);
        m[i] = c >= 0 && s->parent[c] >= 0 ? id[region_peak(s, c)] : -1;
    }
    free(pk);
    regions_deinit(out);
    *out = (Regions){n, reg, m, rows};
    return true;
fail:
    free(pk), free(m), free(reg);
    return err_set(e, "regions: out of memory for %lld points", (long long)rows);
}

bool regions_find(Regions *out, const float *xy, int64_t rows, int stride, const RegionsDesc *d,
                  Err *e)
{
    if (!check(xy, rows, stride, e))
        return false;
    RegionsDesc rd = regions_desc_defaults(d, rows);
    Grid g = {0};
    bool flat = false;
    if (!make_grid(&g, xy, rows, stride, &rd, &flat)) {
        free(g.d);
        return err_set(e, "regions: out of memory for %lld points", (long long)rows);
    }
    if (flat)
        return one_region(out, xy, rows, stride, e);
    size_t cells = (size_t)g.w * (size_t)g.h;
    Sweep s = {malloc(cells * sizeof(Cell)), malloc(cells * sizeof(int64_t)),
               malloc(cells * sizeof(int64_t)), malloc(cells * sizeof(int64_t)),
               malloc(cells * sizeof(double))};
    double *tmp = malloc(cells * sizeof(double));
    int64_t *count = malloc(cells * sizeof(int64_t));
    int32_t *id = malloc(cells * sizeof(int32_t));
    bool ok = s.order && s.parent && s.owner && s.heir && s.prom && tmp && count && id;
    if (ok) {
        blur(&g, g.sigma, tmp);
        double top = 0;
        for (size_t c = 0; c < cells; c++)
            top = fmax(top, g.d[c]);
        sweep(&g, &s, rd.floor * top, rd.prominence * top, fmax(0, rd.noise));
        ok = collect(out, &g, &s, xy, rows, stride, &rd, count, id, e);
    } else
        err_set(e, "regions: out of memory for a %d x %d grid", g.w, g.h);
    free(s.order), free(s.parent), free(s.owner), free(s.heir), free(s.prom);
    free(tmp), free(count), free(id), free(g.d);
    return ok;
}
