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

/* Float min and max for finite values: GCC calls libm for fminf and fmaxf (no
 * -ffinite-math-only), six calls a grid cell in the contour pass; these are one minss / maxss. */
static inline float minf(float a, float b) { return a < b ? a : b; }
static inline float maxf(float a, float b) { return a > b ? a : b; }

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
    free(d->cells);
    free(d->acc);
    free(d->line);
    free(d->ring);
    free(d->img);
    free(d->seg);
    free(d->head);
    free(d->next);
    memset(d, 0, sizeof *d);
}

/* Room for gw x gh cells of nch floats and the blur's scratch; buffers grow, never shrink. */
static bool reserve(Density *d, int gw, int gh, int nch)
{
    size_t cells = (size_t)gw * (size_t)gh, line = ((size_t)(gw > gh ? gw : gh) + 1) * (size_t)nch;
    if (cells * (size_t)nch > d->cap) {
        float *c = realloc(d->cells, cells * (size_t)nch * sizeof *c);
        if (!c)
            return false;
        d->cells = c;
        d->cap = cells * (size_t)nch;
    }
    if (cells > d->img_cap) {
        uint32_t *img = realloc(d->img, cells * sizeof *img);
        if (!img)
            return false;
        d->img = img;
        d->img_cap = cells;
    }
    if (line > d->line_cap) {
        float *l = realloc(d->line, line * sizeof *l);
        float *acc = l ? realloc(d->acc, line * sizeof *acc) : NULL;
        if (l)
            d->line = l;
        if (!acc)
            return false;
        d->acc = acc;
        d->line_cap = line;
    }
    return true;
}

/* Room for the cell lists of cells cells and n points; false leaves the index off. */
static bool reserve_index(Density *d, size_t cells, size_t n)
{
    if (cells > d->head_cap) {
        int32_t *h = realloc(d->head, cells * sizeof *h);
        if (!h)
            return false;
        d->head = h;
        d->head_cap = cells;
    }
    if (n > d->next_cap) {
        int32_t *q = realloc(d->next, (n ? n : 1) * sizeof *q);
        if (!q)
            return false;
        d->next = q;
        d->next_cap = n;
    }
    return true;
}

int64_t density_pick(const Density *d, const DrawPoint *pts, const float *depth, float x, float y,
                     float radius)
{
    if (!d->indexed || !d->gw || !d->gh || !(x - radius >= 0.f && y - radius >= 0.f &&
                                             x + radius < (float)d->w && y + radius < (float)d->h))
        return -2;
    float inv = 1.f / (float)d->desc.cell, bd = radius * radius;
    /* the binning's own cell formula, monotonic in x and y: every point within radius is in
     * one of these cells */
    int x0 = (int)((x - radius) * inv), x1 = (int)((x + radius) * inv);
    int y0 = (int)((y - radius) * inv), y1 = (int)((y + radius) * inv);
    x1 = x1 < d->gw ? x1 : d->gw - 1;
    y1 = y1 < d->gh ? y1 : d->gh - 1;
    int64_t best = -1;
    for (int cy = y0; cy <= y1; cy++)
        for (int cx = x0; cx <= x1; cx++)
            for (int32_t i = d->head[(size_t)cy * (size_t)d->gw + (size_t)cx]; i >= 0; i = d->next[i]) {
                float dx = pts[i].x - x, dy = pts[i].y - y, dd = dx * dx + dy * dy;
                if (dd < bd || (dd == bd && best >= 0 &&
                                (depth[i] < depth[best] || (depth[i] == depth[best] && i < best)))) {
                    bd = dd;
                    best = i;
                }
            }
    return best;
}

bool density_bin(Density *d, const DensityDesc *desc, const DrawPoint *pts, const float *depth,
                 size_t n, int w, int h)
{
    d->desc = fill_desc(desc);
    d->nch = d->desc.tint ? 4 : 1;
    d->inside = 0;
    d->peak = 0.f;
    d->nseg = d->dropped = 0;
    d->nlevels = 0;
    int cell = d->desc.cell, nch = d->nch;
    w = w > 0 ? w : 0;
    h = h > 0 ? h : 0;
    int gw = (w + cell - 1) / cell, gh = (h + cell - 1) / cell;
    if (gw && gh && !reserve(d, gw, gh, nch)) {
        d->w = d->h = d->gw = d->gh = 0;
        return false;
    }
    d->w = w, d->h = h, d->gw = gw, d->gh = gh;
    memset(d->cells, 0, (size_t)gw * (size_t)gh * (size_t)nch * sizeof(float));
    float fw = (float)w, fh = (float)h, inv = 1.f / (float)cell;
    float *m = d->cells;
    size_t inside = 0;
    d->indexed = d->desc.index && n <= INT32_MAX && reserve_index(d, (size_t)gw * (size_t)gh, n);
    if (d->indexed)
        memset(d->head, 0xFF, (size_t)gw * (size_t)gh * sizeof *d->head); /* -1 */
    for (size_t i = 0; i < n; i++) {
        float x = pts[i].x, y = pts[i].y;
        if (!(x >= 0.f && x < fw && y >= 0.f && y < fh) || (depth && !(depth[i] > 0.f)))
            continue; /* NaN fails too */
        int cx = (int)(x * inv), cy = (int)(y * inv);
        cx = cx < gw ? cx : gw - 1; /* x * inv can round up to gw */
        cy = cy < gh ? cy : gh - 1;
        size_t at = (size_t)cy * (size_t)gw + (size_t)cx;
        float *c = m + at * (size_t)nch;
        c[0] += 1.f;
        if (d->indexed) { /* pushed in front: each cell lists its points last first */
            d->next[i] = d->head[at];
            d->head[at] = (int32_t)i;
        }
        if (nch == 4) {
            uint32_t col = pts[i].color;
            c[1] += (float)(col >> 16 & 255);
            c[2] += (float)(col >> 8 & 255);
            c[3] += (float)(col & 255);
        }
        inside++;
    }
    d->inside = inside;
    return true;
}

/* One box pass along a row of n cells of NCH floats: cell i is spread evenly over the cells
 * within r of it that exist (1 / count of them each), so nothing leaves the grid. a: (n, NCH)
 * scratch for the spread values. */
#define BOX_ROW(NCH)                                                                       \
    static void box_row##NCH(float *v, int n, int r, float *a)                             \
    {                                                                                      \
        float run[NCH] = {0};                                                              \
        for (int i = 0; i < n; i++) {                                                      \
            int lo = i - r < 0 ? 0 : i - r, hi = i + r >= n ? n - 1 : i + r;               \
            float s = 1.f / (float)(hi - lo + 1);                                          \
            for (int k = 0; k < NCH; k++)                                                  \
                a[i * NCH + k] = v[i * NCH + k] * s;                                       \
        }                                                                                  \
        for (int i = 0; i < r && i < n; i++)                                               \
            for (int k = 0; k < NCH; k++)                                                  \
                run[k] += a[i * NCH + k];                                                  \
        for (int j = 0; j < n; j++) {                                                      \
            int in = j + r < n ? (j + r) * NCH : -1, out = j > r ? (j - r - 1) * NCH : -1; \
            for (int k = 0; k < NCH; k++) {                                                \
                run[k] += in >= 0 ? a[in + k] : 0.f;                                       \
                run[k] -= out >= 0 ? a[out + k] : 0.f;                                     \
                v[j * NCH + k] = run[k] > 0.f ? run[k] : 0.f;                              \
            }                                                                              \
        }                                                                                  \
    }
BOX_ROW(1)
BOX_ROW(4)

/* The vertical pass a row at a time (cells are row-major), in one sweep per row: acc holds the
 * sums of the spread rows within r of the current one. Rows above the current one are
 * overwritten by then, so the last r + 1 spread rows are kept in a ring to leave the window
 * (row j - r - 1 leaves from the slot row j then takes). */
static void box_columns(Density *d, int r)
{
    size_t rowlen = (size_t)d->gw * (size_t)d->nch;
    int gh = d->gh;
    float *v = d->cells, *acc = d->acc, *ring = d->ring, *zero = d->line;
    memset(acc, 0, rowlen * sizeof *acc);
    memset(zero, 0, rowlen * sizeof *zero); /* the rows' scratch, free during this pass */
    for (int i = 0; i < r && i < gh; i++) {
        int lo = i - r < 0 ? 0 : i - r, hi = i + r >= gh ? gh - 1 : i + r;
        float s = 1.f / (float)(hi - lo + 1);
        for (size_t x = 0; x < rowlen; x++)
            acc[x] += v[(size_t)i * rowlen + x] * s;
    }
    for (int j = 0; j < gh; j++) {
        float *row = v + (size_t)j * rowlen, *slot = ring + (size_t)(j % (r + 1)) * rowlen;
        int i = j + r, lo = i - r, hi = i + r >= gh ? gh - 1 : i + r;
        float sin = i < gh ? 1.f / (float)(hi - lo + 1) : 0.f;
        const float *in = i < gh ? v + (size_t)i * rowlen : row; /* sin 0: adds nothing */
        int jlo = j - r < 0 ? 0 : j - r, jhi = j + r >= gh ? gh - 1 : j + r;
        float sj = 1.f / (float)(jhi - jlo + 1);
        const float *old = j > r ? slot : zero; /* the slot holds row j - r - 1, or nothing */
        for (size_t x = 0; x < rowlen; x++) {
            float a = acc[x] + in[x] * sin - old[x];
            slot[x] = row[x] * sj;
            acc[x] = a;
            row[x] = a > 0.f ? a : 0.f;
        }
    }
}

void density_blur(Density *d)
{
    int gw = d->gw, gh = d->gh, nch = d->nch;
    size_t cells = (size_t)gw * (size_t)gh;
    if (cells && d->desc.sigma > 0.f) {
        /* three box passes of width 2r + 1 have variance 3 ((2r + 1)^2 - 1) / 12 = sigma^2 */
        float s = d->desc.sigma;
        int r = (int)lrintf((sqrtf(4.f * s * s + 1.f) - 1.f) * 0.5f);
        r = r < 1 ? 1 : r;
        size_t ring = (size_t)gw * (size_t)nch * (size_t)(r + 1);
        if (ring > d->ring_cap) {
            float *q = realloc(d->ring, ring * sizeof *q);
            if (q) {
                d->ring = q;
                d->ring_cap = ring;
            }
        }
        if (ring <= d->ring_cap) /* else unblurred: a coarser image, never a wrong one */
            for (int pass = 0; pass < 3; pass++) {
                for (int y = 0; y < gh; y++) {
                    float *row = d->cells + (size_t)y * (size_t)gw * (size_t)nch;
                    if (nch == 4)
                        box_row4(row, gw, r, d->line);
                    else
                        box_row1(row, gw, r, d->line);
                }
                box_columns(d, r);
            }
    }
    float peak = 0.f;
    for (size_t i = 0; i < cells; i++)
        peak = d->cells[i * (size_t)nch] > peak ? d->cells[i * (size_t)nch] : peak;
    d->peak = peak;
}

void density_tone(Density *d, float opacity)
{
    size_t cells = (size_t)d->gw * (size_t)d->gh, nch = (size_t)d->nch;
    float norm = d->peak > 0.f ? 1.f / log1pf(d->peak) : 0.f;
    float amax = 255.f * (opacity < 0.f ? 0.f : opacity > 1.f ? 1.f : opacity);
    /* below this mass alpha rounds to 0: no log, no colour (most cells of a sparse view) */
    float empty = d->peak > 0.f ? expm1f(0.5f / fmaxf(amax, 1e-3f) / 3.f / norm) : INFINITY;
    uint32_t ramp[256]; /* viridis by t in 1/255 steps */
    if (!d->desc.tint)
        for (int k = 0; k < 256; k++)
            ramp[k] = cmap_color(CMAP_SEQUENTIAL, (float)k / 255.f) & 0xFFFFFFu;
    for (size_t i = 0; i < cells; i++) {
        const float *c = d->cells + i * nch;
        float m = c[0];
        if (!(m >= empty)) {
            d->img[i] = 0;
            continue;
        }
        float t = log1pf(m) * norm;
        /* alpha reaches full at a third of the range: the sparse fringe fades into the
         * background instead of ending at a hard edge */
        uint32_t a = (uint32_t)(amax * minf(1.f, 3.f * t) + 0.5f), rgb;
        if (nch == 4) {
            float f = (0.35f + 0.65f * t) / m; /* mean colour, brighter where denser */
            uint32_t r = (uint32_t)minf(255.f, c[1] * f + 0.5f);
            uint32_t g = (uint32_t)minf(255.f, c[2] * f + 0.5f);
            uint32_t b = (uint32_t)minf(255.f, c[3] * f + 0.5f);
            rgb = r << 16 | g << 8 | b;
        } else {
            rgb = ramp[(int)minf(255.f, t * 255.f + 0.5f)];
        }
        d->img[i] = a << 24 | rgb;
    }
}

/* ---- contours (marching squares over cell centres, the grid ringed by empty cells) ---- */

static inline float mass_at(const Density *d, int x, int y)
{
    if (x < 0 || y < 0 || x >= d->gw || y >= d->gh)
        return 0.f;
    return d->cells[((size_t)y * (size_t)d->gw + (size_t)x) * (size_t)d->nch];
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

static void add_seg(Density *d, int l, int x, int y, int e0, int e1)
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
    edge_point(d, d->level[l], x, y, e0, &s->x0, &s->y0);
    edge_point(d, d->level[l], x, y, e1, &s->x1, &s->y1);
    s->level = l;
}

/* Corner bits: top-left 8, top-right 4, bottom-right 2, bottom-left 1; -1 ends a case. Saddles
 * (5, 10) are resolved by the square's mean in contour_square. */
static const int8_t cases[16][2] = {
    {-1}, {3, 2}, {2, 1}, {3, 1}, {0, 1}, {-1}, {0, 2}, {0, 3},
    {0, 3}, {0, 2}, {-1}, {0, 1}, {3, 1}, {2, 1}, {3, 2}, {-1},
};

/* Level l's segments in the square with corners v (top-left, top-right, bottom-right,
 * bottom-left) and top-left vertex (x, y). */
static void contour_square(Density *d, int l, int x, int y, const float v[4])
{
    float lv = d->level[l];
    int k = (v[0] >= lv) << 3 | (v[1] >= lv) << 2 | (v[2] >= lv) << 1 | (v[3] >= lv);
    if (k == 0 || k == 15)
        return;
    if (k == 5 || k == 10) {
        bool mid = (v[0] + v[1] + v[2] + v[3]) * 0.25f >= lv;
        /* mid inside: the inside corners join and the outside ones are cut off */
        bool cut_tl = (k == 5) == mid;
        add_seg(d, l, x, y, 0, cut_tl ? 3 : 1);
        add_seg(d, l, x, y, cut_tl ? 2 : 3, cut_tl ? 1 : 2);
        return;
    }
    add_seg(d, l, x, y, cases[k][0], cases[k][1]);
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
        if (lv > 0.f && (!d->nlevels || lv > d->level[d->nlevels - 1]))
            d->level[d->nlevels++] = lv;
    }
    if (!d->nlevels)
        return;
    /* one sweep for every level: most squares are below the lowest level or above the highest
     * of their corners' range and are skipped after four loads */
    size_t nch = (size_t)d->nch, gw = (size_t)d->gw;
    for (int y = -1; y < d->gh; y++)
        for (int x = -1; x < d->gw; x++) {
            float v[4];
            if (x >= 0 && y >= 0 && x + 1 < d->gw && y + 1 < d->gh) {
                const float *c = d->cells + ((size_t)y * gw + (size_t)x) * nch;
                v[0] = c[0], v[1] = c[nch], v[2] = c[gw * nch + nch], v[3] = c[gw * nch];
            } else {
                v[0] = mass_at(d, x, y), v[1] = mass_at(d, x + 1, y);
                v[2] = mass_at(d, x + 1, y + 1), v[3] = mass_at(d, x, y + 1);
            }
            float lo = minf(minf(v[0], v[1]), minf(v[2], v[3]));
            float hi = maxf(maxf(v[0], v[1]), maxf(v[2], v[3]));
            for (int l = 0; l < d->nlevels && d->level[l] <= hi; l++)
                if (lo < d->level[l])
                    contour_square(d, l, x, y, v);
        }
}
