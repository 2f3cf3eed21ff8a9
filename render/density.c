/* Density image and contours of a projected cloud (see density.h). Any thread, one Density per
 * thread; no pool, so the bits cannot depend on a thread count. */
#include "render/density.h"
#include "render/colormap.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

DensityDesc density_desc_defaults(void)
{
    return (DensityDesc){.cell = 3, .sigma = 2.5f, .levels = 4, .max_segments = 4000};
}

static DensityDesc fill_desc(const DensityDesc *in)
{
    DensityDesc def = density_desc_defaults(), d = in ? *in : def;
    if (d.cell <= 0)
        d.cell = def.cell;
    if (d.sigma == 0.f || !isfinite(d.sigma))
        d.sigma = def.sigma;
    if (d.levels <= 0)
        d.levels = def.levels;
    if (d.levels > DENSITY_MAX_LEVELS)
        d.levels = DENSITY_MAX_LEVELS;
    if (!d.max_segments)
        d.max_segments = def.max_segments;
    return d;
}

void density_deinit(Density *d)
{
    for (int p = 0; p < 4; p++)
        free(d->plane[p]);
    free(d->acc);
    free(d->tmp);
    free(d->ring);
    free(d->img);
    free(d->seg);
    memset(d, 0, sizeof *d);
}

static int planes(const Density *d) { return d->desc.tint ? 4 : 1; }

/* Room for gw x gh cells; buffers grow, never shrink. */
static bool reserve(Density *d, int gw, int gh)
{
    size_t cells = (size_t)gw * (size_t)gh, line = (size_t)(gw > gh ? gw : gh) + 1;
    if (cells > d->cap) {
        for (int p = 0; p < 4; p++) {
            float *q = realloc(d->plane[p], cells * sizeof *q);
            if (!q)
                return false;
            d->plane[p] = q;
        }
        uint32_t *img = realloc(d->img, cells * sizeof *img);
        if (!img)
            return false;
        d->img = img;
        d->cap = cells;
    }
    double *acc = realloc(d->acc, line * sizeof *acc);
    if (acc)
        d->acc = acc;
    float *tmp = realloc(d->tmp, line * sizeof *tmp);
    if (tmp)
        d->tmp = tmp;
    return acc && tmp;
}

bool density_bin(Density *d, const DensityDesc *desc, const DrawPoint *pts, size_t n, int w,
                 int h)
{
    d->desc = fill_desc(desc);
    d->inside = 0;
    d->peak = 0.f;
    d->nseg = d->dropped = 0;
    d->nlevels = 0;
    int cell = d->desc.cell;
    w = w > 0 ? w : 0;
    h = h > 0 ? h : 0;
    int gw = (w + cell - 1) / cell, gh = (h + cell - 1) / cell;
    if ((gw && gh && !reserve(d, gw, gh))) {
        d->w = d->h = d->gw = d->gh = 0;
        return false;
    }
    d->w = w, d->h = h, d->gw = gw, d->gh = gh;
    size_t cells = (size_t)gw * (size_t)gh;
    for (int p = 0; p < planes(d); p++)
        memset(d->plane[p], 0, cells * sizeof(float));
    float fw = (float)w, fh = (float)h, inv = 1.f / (float)cell;
    float *m = d->plane[0];
    for (size_t i = 0; i < n; i++) {
        float x = pts[i].x, y = pts[i].y;
        if (!(x >= 0.f && x < fw && y >= 0.f && y < fh)) /* NaN fails too */
            continue;
        int cx = (int)(x * inv), cy = (int)(y * inv);
        cx = cx < gw ? cx : gw - 1; /* x * inv can round up to gw */
        cy = cy < gh ? cy : gh - 1;
        size_t at = (size_t)cy * (size_t)gw + (size_t)cx;
        m[at] += 1.f;
        if (d->desc.tint) {
            uint32_t c = pts[i].color;
            d->plane[1][at] += (float)(c >> 16 & 255);
            d->plane[2][at] += (float)(c >> 8 & 255);
            d->plane[3][at] += (float)(c & 255);
        }
        d->inside++;
    }
    return true;
}

/* One box pass over n values, stride apart: value i is spread evenly over the cells within r of
 * it that exist, so nothing leaves the grid. */
static void box_line(float *v, size_t stride, int n, int r, float *a)
{
    for (int i = 0; i < n; i++) {
        int lo = i - r < 0 ? 0 : i - r, hi = i + r >= n ? n - 1 : i + r;
        a[i] = v[(size_t)i * stride] / (float)(hi - lo + 1);
    }
    double run = 0;
    for (int i = 0; i < r && i < n; i++)
        run += a[i];
    for (int j = 0; j < n; j++) {
        if (j + r < n)
            run += a[j + r];
        if (j - r - 1 >= 0)
            run -= a[j - r - 1];
        v[(size_t)j * stride] = run > 0 ? (float)run : 0.f;
    }
}

/* The vertical pass a row at a time (the planes are row-major): acc holds the column sums of
 * the spread rows within r of the current one. */
static void box_columns(Density *d, float *v, int r)
{
    int gw = d->gw, gh = d->gh;
    double *acc = d->acc;
    memset(acc, 0, (size_t)gw * sizeof *acc);
    /* row i spreads over rows [lo, hi]; scale it once, in place, then slide */
    for (int i = 0; i < gh; i++) {
        int lo = i - r < 0 ? 0 : i - r, hi = i + r >= gh ? gh - 1 : i + r;
        float s = 1.f / (float)(hi - lo + 1);
        float *row = v + (size_t)i * (size_t)gw;
        for (int x = 0; x < gw; x++)
            row[x] *= s;
    }
    for (int i = 0; i < r && i < gh; i++)
        for (int x = 0; x < gw; x++)
            acc[x] += v[(size_t)i * (size_t)gw + (size_t)x];
    /* out row j needs spread rows j - r .. j + r, but rows above j are overwritten by then:
     * the last r + 1 spread rows are kept in a ring to leave the window */
    float *out = d->ring;
    for (int j = 0; j < gh; j++) {
        if (j + r < gh)
            for (int x = 0; x < gw; x++)
                acc[x] += v[(size_t)(j + r) * (size_t)gw + (size_t)x];
        if (j - r - 1 >= 0) {
            const float *old = out + (size_t)((j - r - 1) % (r + 1)) * (size_t)gw;
            for (int x = 0; x < gw; x++)
                acc[x] -= old[x];
        }
        float *keep = out + (size_t)(j % (r + 1)) * (size_t)gw, *row = v + (size_t)j * (size_t)gw;
        memcpy(keep, row, (size_t)gw * sizeof *keep);
        for (int x = 0; x < gw; x++)
            row[x] = acc[x] > 0 ? (float)acc[x] : 0.f;
    }
}

void density_blur(Density *d)
{
    int gw = d->gw, gh = d->gh;
    float peak = 0.f;
    if (gw && gh && d->desc.sigma > 0.f) {
        /* three box passes of width 2r + 1 have variance 3 ((2r + 1)^2 - 1) / 12 = sigma^2 */
        float s = d->desc.sigma;
        int r = (int)lrintf((sqrtf(4.f * s * s + 1.f) - 1.f) * 0.5f);
        r = r < 1 ? 1 : r;
        size_t ring = (size_t)gw * (size_t)(r + 1);
        if (ring > d->ring_cap) {
            float *q = realloc(d->ring, ring * sizeof *q);
            if (!q)
                goto peak; /* unblurred: a coarser image, never a wrong one */
            d->ring = q;
            d->ring_cap = ring;
        }
        for (int p = 0; p < planes(d); p++)
            for (int pass = 0; pass < 3; pass++) {
                for (int y = 0; y < gh; y++)
                    box_line(d->plane[p] + (size_t)y * (size_t)gw, 1, gw, r, d->tmp);
                box_columns(d, d->plane[p], r);
            }
    }
peak:;
    size_t cells = (size_t)gw * (size_t)gh;
    for (size_t i = 0; i < cells; i++)
        peak = d->plane[0][i] > peak ? d->plane[0][i] : peak;
    d->peak = peak;
}

void density_tone(Density *d, float opacity)
{
    size_t cells = (size_t)d->gw * (size_t)d->gh;
    float norm = d->peak > 0.f ? 1.f / log1pf(d->peak) : 0.f;
    float amax = 255.f * (opacity < 0.f ? 0.f : opacity > 1.f ? 1.f : opacity);
    for (size_t i = 0; i < cells; i++) {
        float m = d->plane[0][i], t = log1pf(m) * norm;
        /* alpha reaches full at a third of the range: the sparse fringe fades into the
         * background instead of ending at a hard edge */
        uint32_t a = (uint32_t)(amax * fminf(1.f, 3.f * t) + 0.5f);
        if (!a) {
            d->img[i] = 0;
            continue;
        }
        uint32_t rgb;
        if (d->desc.tint && m > 0.f) {
            float f = (0.35f + 0.65f * t) / m; /* mean colour, brighter where denser */
            uint32_t r = (uint32_t)fminf(255.f, d->plane[1][i] * f + 0.5f);
            uint32_t g = (uint32_t)fminf(255.f, d->plane[2][i] * f + 0.5f);
            uint32_t b = (uint32_t)fminf(255.f, d->plane[3][i] * f + 0.5f);
            rgb = r << 16 | g << 8 | b;
        } else {
            rgb = cmap_color(CMAP_SEQUENTIAL, t) & 0xFFFFFFu;
        }
        d->img[i] = a << 24 | rgb;
    }
}

/* ---- contours (marching squares over cell centres, the grid ringed by empty cells) ---- */

static inline float mass_at(const Density *d, int x, int y)
{
    if (x < 0 || y < 0 || x >= d->gw || y >= d->gh)
        return 0.f;
    return d->plane[0][(size_t)y * (size_t)d->gw + (size_t)x];
}

/* Where the level crosses the edge from vertex (ax, ay) to (bx, by), always called with a the
 * upper or left vertex, so the two squares sharing an edge get the same bits and the lines
 * close. */
static void cross(const Density *d, float lv, int ax, int ay, int bx, int by, float *x, float *y)
{
    float va = mass_at(d, ax, ay), vb = mass_at(d, bx, by);
    float t = (lv - va) / (vb - va), c = (float)d->desc.cell;
    t = t < 0.f ? 0.f : t > 1.f ? 1.f : t;
    *x = ((float)ax + 0.5f + t * (float)(bx - ax)) * c;
    *y = ((float)ay + 0.5f + t * (float)(by - ay)) * c;
}

/* Edges of the square with top-left vertex (x, y): 0 top, 1 right, 2 bottom, 3 left. */
static void edge_point(const Density *d, float lv, int x, int y, int e, float *px, float *py)
{
    switch (e) {
    case 0: cross(d, lv, x, y, x + 1, y, px, py); break;
    case 1: cross(d, lv, x + 1, y, x + 1, y + 1, px, py); break;
    case 2: cross(d, lv, x, y + 1, x + 1, y + 1, px, py); break;
    default: cross(d, lv, x, y, x, y + 1, px, py); break;
    }
}

static void add_seg(Density *d, float lv, int x, int y, int e0, int e1)
{
    if (d->nseg >= d->desc.max_segments) {
        d->dropped++;
        return;
    }
    if (d->nseg >= d->seg_cap) {
        size_t cap = d->seg_cap ? d->seg_cap * 2 : 1024;
        cap = cap < d->desc.max_segments ? cap : d->desc.max_segments;
        DensitySeg *s = realloc(d->seg, cap * sizeof *s);
        if (!s) {
            d->dropped++;
            return;
        }
        d->seg = s;
        d->seg_cap = cap;
    }
    DensitySeg *s = &d->seg[d->nseg++];
    edge_point(d, lv, x, y, e0, &s->x0, &s->y0);
    edge_point(d, lv, x, y, e1, &s->x1, &s->y1);
    s->level = d->nlevels - 1;
}

/* Corner bits: top-left 8, top-right 4, bottom-right 2, bottom-left 1; -1 ends a case. Saddles
 * (5, 10) are resolved by the square's mean in contour_square. */
static const int8_t cases[16][4] = {
    {-1}, {3, 2, -1}, {2, 1, -1}, {3, 1, -1}, {0, 1, -1}, {-1}, {0, 2, -1}, {0, 3, -1},
    {0, 3, -1}, {0, 2, -1}, {-1}, {0, 1, -1}, {3, 1, -1}, {2, 1, -1}, {3, 2, -1}, {-1},
};

static void contour_square(Density *d, float lv, int x, int y)
{
    float tl = mass_at(d, x, y), tr = mass_at(d, x + 1, y);
    float br = mass_at(d, x + 1, y + 1), bl = mass_at(d, x, y + 1);
    int k = (tl >= lv) << 3 | (tr >= lv) << 2 | (br >= lv) << 1 | (bl >= lv);
    if (k == 0 || k == 15)
        return;
    if (k == 5 || k == 10) {
        bool mid = (tl + tr + br + bl) * 0.25f >= lv;
        /* mid inside: the inside corners join and the outside ones are cut off */
        bool cut_tl = (k == 5) == mid;
        add_seg(d, lv, x, y, 0, cut_tl ? 3 : 1);
        add_seg(d, lv, x, y, cut_tl ? 2 : 3, cut_tl ? 1 : 2);
        return;
    }
    add_seg(d, lv, x, y, cases[k][0], cases[k][1]);
}

void density_contours(Density *d)
{
    d->nseg = d->dropped = 0;
    d->nlevels = 0;
    if (!(d->peak > 0.f) || !d->gw || !d->gh)
        return;
    float lp = log1pf(d->peak);
    for (int l = 0; l < d->desc.levels; l++) {
        float lv = expm1f(lp * (float)(l + 1) / (float)(d->desc.levels + 1));
        if (!(lv > 0.f))
            continue;
        d->level[d->nlevels++] = lv;
        for (int y = -1; y < d->gh; y++)
            for (int x = -1; x < d->gw; x++)
                contour_square(d, lv, x, y);
    }
}
