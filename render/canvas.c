/* Software rasteriser behind the draw list (see canvas.h). One thread per canvas, except that
 * canvas_points hands disjoint bands of rows to the pool's workers. */
#include "render/canvas.h"
#include "model/base/clock.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline float clampf(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }

/* dst = dst + (src - dst) * a / 256, two channels at a time. */
static inline void blend(uint32_t *d, uint32_t src, uint32_t a)
{
    if (a >= 255) {
        *d = src | 0xFF000000u;
        return;
    }
    if (a == 0)
        return;
    uint32_t dv = *d;
    uint32_t rb = dv & 0xFF00FF, g = dv & 0x00FF00;
    uint32_t srb = src & 0xFF00FF, sg = src & 0x00FF00;
    rb = ((srb * a + rb * (256 - a)) >> 8) & 0xFF00FF;
    g = ((sg * a + g * (256 - a)) >> 8) & 0x00FF00;
    *d = 0xFF000000u | rb | g;
}

static inline void plot(Canvas *c, int x, int y, uint32_t color, float cov)
{
    if (x < c->cx0 || x >= c->cx1 || y < c->cy0 || y >= c->cy1 || cov <= 0.f)
        return;
    uint32_t a = (uint32_t)(cov * (float)(color >> 24));
    blend(&c->px[(size_t)y * (size_t)c->pitch + (size_t)x], color, a > 255 ? 255 : a);
}

void canvas_clip(Canvas *c, int x, int y, int w, int h)
{
    if (w < 0) {
        c->cx0 = c->cy0 = 0;
        c->cx1 = c->w;
        c->cy1 = c->h;
        return;
    }
    c->cx0 = clampi(x, 0, c->w);
    c->cy0 = clampi(y, 0, c->h);
    c->cx1 = clampi(x + w, c->cx0, c->w);
    c->cy1 = clampi(y + h, c->cy0, c->h);
}

void canvas_clear(Canvas *c, uint32_t color)
{
    for (int y = 0; y < c->h; y++) {
        uint32_t *row = c->px + (size_t)y * (size_t)c->pitch;
        for (int x = 0; x < c->w; x++)
            row[x] = color | 0xFF000000u;
    }
}

void canvas_rect(Canvas *c, float x, float y, float w, float h, uint32_t color)
{
    int x0 = clampi((int)lrintf(x), c->cx0, c->cx1), x1 = clampi((int)lrintf(x + w), c->cx0, c->cx1);
    int y0 = clampi((int)lrintf(y), c->cy0, c->cy1), y1 = clampi((int)lrintf(y + h), c->cy0, c->cy1);
    uint32_t a = color >> 24;
    for (int yy = y0; yy < y1; yy++) {
        uint32_t *row = c->px + (size_t)yy * (size_t)c->pitch;
        for (int xx = x0; xx < x1; xx++)
            blend(&row[xx], color, a);
    }
}

void canvas_outline(Canvas *c, float x, float y, float w, float h, uint32_t color)
{
    canvas_rect(c, x, y, w, 1, color);
    canvas_rect(c, x, y + h - 1, w, 1, color);
    canvas_rect(c, x, y + 1, 1, h - 2, color);
    canvas_rect(c, x + w - 1, y + 1, 1, h - 2, color);
}

/* Walks the major axis; on each step covers the minor-axis span of the stroke, with
 * fractional coverage at both edges. */
void canvas_line(Canvas *c, float x0, float y0, float x1, float y1, float width, uint32_t color)
{
    float dx = x1 - x0, dy = y1 - y0;
    if (!isfinite(dx) || !isfinite(dy))
        return;
    bool steep = fabsf(dy) > fabsf(dx);
    if (steep) {
        float t = x0; x0 = y0; y0 = t;
        t = x1; x1 = y1; y1 = t;
        t = dx; dx = dy; dy = t;
    }
    if (x0 > x1) {
        float t = x0; x0 = x1; x1 = t;
        t = y0; y0 = y1; y1 = t;
        dx = -dx;
        dy = -dy;
    }
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f)
        return;
    float grad = dx > 1e-6f ? dy / dx : 0.f;
    float half = 0.5f * width * len / fmaxf(dx, 1e-6f);
    int lo = steep ? c->cy0 : c->cx0, hi = steep ? c->cy1 : c->cx1;
    int xs = clampi((int)floorf(x0), lo - 1, hi), xe = clampi((int)ceilf(x1), lo - 1, hi);
    for (int x = xs; x <= xe; x++) {
        float fx = (float)x + 0.5f;
        float endcov = clampf(fminf(fx - x0 + 0.5f, x1 - fx + 0.5f), 0.f, 1.f);
        if (endcov <= 0.f)
            continue;
        float yc = y0 + grad * (fx - x0);
        float ya = yc - half, yb = yc + half;
        for (int y = (int)floorf(ya); y <= (int)floorf(yb); y++) {
            float cov = fminf((float)y + 1.f, yb) - fmaxf((float)y, ya);
            cov = clampf(cov, 0.f, 1.f) * endcov;
            if (steep)
                plot(c, y, x, color, cov);
            else
                plot(c, x, y, color, cov);
        }
    }
}

/* Filled triangle; coverage from the distance to the nearest edge (about 1 pixel of AA). */
static void triangle(Canvas *c, const float p[3][2], uint32_t color)
{
    float minx = fminf(p[0][0], fminf(p[1][0], p[2][0])), maxx = fmaxf(p[0][0], fmaxf(p[1][0], p[2][0]));
    float miny = fminf(p[0][1], fminf(p[1][1], p[2][1])), maxy = fmaxf(p[0][1], fmaxf(p[1][1], p[2][1]));
    if (!isfinite(minx + maxx + miny + maxy))
        return;
    float area = (p[1][0] - p[0][0]) * (p[2][1] - p[0][1]) - (p[2][0] - p[0][0]) * (p[1][1] - p[0][1]);
    float sgn = area < 0 ? -1.f : 1.f;
    float nx[3], ny[3], d[3];
    for (int i = 0; i < 3; i++) {
        const float *a = p[i], *b = p[(i + 1) % 3];
        float ex = b[0] - a[0], ey = b[1] - a[1], l = sqrtf(ex * ex + ey * ey);
        if (l < 1e-6f)
            return;
        nx[i] = -ey / l * sgn;
        ny[i] = ex / l * sgn;
        d[i] = -(nx[i] * a[0] + ny[i] * a[1]);
    }
    int x0 = clampi((int)floorf(minx), c->cx0, c->cx1), x1 = clampi((int)ceilf(maxx) + 1, c->cx0, c->cx1);
    int y0 = clampi((int)floorf(miny), c->cy0, c->cy1), y1 = clampi((int)ceilf(maxy) + 1, c->cy0, c->cy1);
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            float fx = (float)x + 0.5f, fy = (float)y + 0.5f, m = 1e9f;
            for (int i = 0; i < 3; i++)
                m = fminf(m, nx[i] * fx + ny[i] * fy + d[i]);
            plot(c, x, y, color, clampf(m + 0.5f, 0.f, 1.f));
        }
}

void canvas_arrow(Canvas *c, float x0, float y0, float x1, float y1, float width, uint32_t color)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (!(len > 1e-3f))
        return;
    float ux = dx / len, uy = dy / len;
    float head = fminf(6.f + 3.f * width, len * 0.6f), hw = head * 0.5f;
    float bx = x1 - ux * head, by = y1 - uy * head;
    canvas_line(c, x0, y0, bx + ux * 0.5f, by + uy * 0.5f, width, color);
    float p[3][2] = {{x1, y1}, {bx - uy * hw, by + ux * hw}, {bx + uy * hw, by - ux * hw}};
    triangle(c, p, color);
}

/* Disc stamps: coverage masks for radii in quarter-pixel steps, built on first use. */
#define STAMP_MAXR 12
#define STAMP_STEPS (STAMP_MAXR * 4)
#define STAMP_SIZE (2 * STAMP_MAXR + 3)
static uint8_t stamps[STAMP_STEPS + 1][STAMP_SIZE * STAMP_SIZE];
static int8_t spans[STAMP_STEPS + 1][STAMP_SIZE][2]; /* non-zero columns [lo, hi) of each row */
static bool stamps_ready;

static void build_stamps(void)
{
    for (int s = 1; s <= STAMP_STEPS; s++) {
        float r = (float)s / 4.f, ctr = (float)(STAMP_SIZE / 2) + 0.5f;
        for (int y = 0; y < STAMP_SIZE; y++)
            for (int x = 0; x < STAMP_SIZE; x++) {
                float dx = (float)x + 0.5f - ctr, dy = (float)y + 0.5f - ctr;
                float cov = clampf(r + 0.5f - sqrtf(dx * dx + dy * dy), 0.f, 1.f);
                stamps[s][y * STAMP_SIZE + x] = (uint8_t)(cov * 255.f);
            }
        for (int y = 0; y < STAMP_SIZE; y++) {
            int lo = STAMP_SIZE, hi = 0;
            for (int x = 0; x < STAMP_SIZE; x++)
                if (stamps[s][y * STAMP_SIZE + x]) {
                    lo = x < lo ? x : lo;
                    hi = x + 1;
                }
            spans[s][y][0] = (int8_t)(lo < hi ? lo : 0);
            spans[s][y][1] = (int8_t)(lo < hi ? hi : 0);
        }
    }
    stamps_ready = true;
}

/* Stamp index and half extent in pixels (covers r + 0.5 of anti-aliasing) of a disc. */
static inline int stamp_of(float r) { return clampi((int)lrintf(r * 4.f), 1, STAMP_STEPS); }
static inline int stamp_rad(int s) { return (s + 3) / 4 + 1; }

static inline bool disc_near(const Canvas *c, float x, float y)
{
    return x > -100.f && y > -100.f && x < (float)c->w + 100.f && y < (float)c->h + 100.f;
}

/* A disc under 1.45 px radius is drawn as a bilinear 2x2 splat carrying the disc's area (capped
 * at full coverage per pixel): 4 blends instead of a stamp's 9-13, which is most of a frame's
 * cost for a million points; at this size the two look alike. */
static void tiny_disc(Canvas *c, float x, float y, float r, uint32_t color)
{
    float fx = x - 0.5f, fy = y - 0.5f, area = 3.14159265f * r * r;
    if (!(fx > -2.f && fy > -2.f && fx < (float)c->cx1 + 1.f && fy < (float)c->cy1 + 1.f))
        return; /* off the canvas (or NaN) */
    int x0 = (int)floorf(fx), y0 = (int)floorf(fy);
    float ax = fx - (float)x0, ay = fy - (float)y0;
    float w[4] = {(1 - ax) * (1 - ay), ax * (1 - ay), (1 - ax) * ay, ax * ay};
    uint32_t alpha = color >> 24;
    for (int k = 0; k < 4; k++) {
        int px = x0 + (k & 1), py = y0 + (k >> 1);
        if (px < c->cx0 || px >= c->cx1 || py < c->cy0 || py >= c->cy1)
            continue;
        float cov = fminf(1.f, w[k] * area);
        uint32_t a = (uint32_t)(cov * (float)alpha + 0.5f);
        if (a)
            blend(&c->px[(size_t)py * (size_t)c->pitch + (size_t)px], color, a);
    }
}

void canvas_disc(Canvas *c, float x, float y, float r, uint32_t color)
{
    if (r < 1.45f) {
        tiny_disc(c, x, y, r, color);
        return;
    }
    if (!stamps_ready)
        build_stamps();
    int s = stamp_of(r), half = STAMP_SIZE / 2, rad = stamp_rad(s);
    if (!disc_near(c, x, y))
        return;
    int cx = (int)floorf(x), cy = (int)floorf(y);
    int ya = clampi(cy - rad, c->cy0, c->cy1), yb = clampi(cy + rad + 1, c->cy0, c->cy1);
    int xa = clampi(cx - rad, c->cx0, c->cx1), xb = clampi(cx + rad + 1, c->cx0, c->cx1);
    uint32_t alpha = color >> 24;
    const uint8_t *m = stamps[s];
    for (int yy = ya; yy < yb; yy++) {
        uint32_t *row = c->px + (size_t)yy * (size_t)c->pitch;
        int my = yy - cy + half;
        const uint8_t *mr = m + my * STAMP_SIZE;
        int sa = spans[s][my][0] + cx - half, sb = spans[s][my][1] + cx - half;
        int x0 = xa > sa ? xa : sa, x1 = xb < sb ? xb : sb;
        for (int xx = x0; xx < x1; xx++) {
            uint32_t v = mr[xx - cx + half];
            if (v)
                blend(&row[xx], color, (v * alpha + 255) >> 8);
        }
    }
}

/* ---- points in bands (canvas_points) ---- */

#define SPLAT_MIN_POINTS 20000 /* below this the pool's wake-ups cost more than they save */
#define SPLAT_MIN_BAND 32      /* rows: a disc (at most 27 rows) touches at most two bands */

typedef struct SplatJob {
    const Canvas *c;
    CanvasSplat *s;
    const DrawPoint *pts;
    size_t n;
    int nchunks, nbands, band_h;
    size_t start[CANVAS_MAX_BANDS + 1]; /* band b's indices are idx[start[b] .. start[b+1]) */
} SplatJob;

/* Bands [*b0, *b1] holding the rows canvas_disc would touch for p; false when none. */
static inline bool disc_bands(const SplatJob *j, const DrawPoint *p, int *b0, int *b1)
{
    const Canvas *c = j->c;
    if (!disc_near(c, p->x, p->y))
        return false;
    int rad = stamp_rad(stamp_of(p->radius)), cy = (int)floorf(p->y);
    int ya = clampi(cy - rad, c->cy0, c->cy1), yb = clampi(cy + rad + 1, c->cy0, c->cy1);
    if (ya >= yb)
        return false;
    *b0 = (ya - c->cy0) / j->band_h;
    *b1 = (yb - 1 - c->cy0) / j->band_h;
    return true;
}

static void chunk_range(const SplatJob *j, int chunk, size_t *lo, size_t *hi)
{
    *lo = j->n * (size_t)chunk / (size_t)j->nchunks;
    *hi = j->n * (size_t)(chunk + 1) / (size_t)j->nchunks;
}

static void count_task(void *ctx, int chunk)
{
    SplatJob *j = ctx;
    uint32_t *cnt = j->s->count[chunk];
    memset(cnt, 0, sizeof j->s->count[0]);
    size_t lo, hi;
    chunk_range(j, chunk, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        int b0, b1;
        if (disc_bands(j, &j->pts[i], &b0, &b1))
            for (int b = b0; b <= b1; b++)
                cnt[b]++;
    }
}

/* count[chunk][b] becomes where the chunk's first point of band b goes, so each band lists its
 * points in their original order. */
static void scatter_task(void *ctx, int chunk)
{
    SplatJob *j = ctx;
    uint32_t *at = j->s->count[chunk];
    size_t lo, hi;
    chunk_range(j, chunk, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        int b0, b1;
        if (disc_bands(j, &j->pts[i], &b0, &b1))
            for (int b = b0; b <= b1; b++)
                j->s->idx[at[b]++] = (uint32_t)i;
    }
}

static void band_task(void *ctx, int band)
{
    SplatJob *j = ctx;
    Canvas c = *j->c;
    c.cy0 = j->c->cy0 + band * j->band_h;
    c.cy1 = c.cy0 + j->band_h < j->c->cy1 ? c.cy0 + j->band_h : j->c->cy1;
    for (size_t k = j->start[band]; k < j->start[band + 1]; k++) {
        const DrawPoint *p = &j->pts[j->s->idx[k]];
        canvas_disc(&c, p->x, p->y, p->radius, p->color);
    }
}

/* Prefix sums over (band, chunk); false when the index buffer cannot grow. */
static bool plan_bands(SplatJob *j)
{
    size_t total = 0;
    for (int b = 0; b < j->nbands; b++) {
        j->start[b] = total;
        for (int k = 0; k < j->nchunks; k++) {
            uint32_t n = j->s->count[k][b];
            j->s->count[k][b] = (uint32_t)total;
            total += n;
        }
    }
    j->start[j->nbands] = total;
    if (total > UINT32_MAX)
        return false;
    if (total > j->s->cap) {
        size_t cap = total + total / 4;
        uint32_t *idx = realloc(j->s->idx, cap * sizeof *idx);
        if (!idx)
            return false;
        j->s->idx = idx;
        j->s->cap = cap;
    }
    return true;
}

static void splat(Canvas *c, const DrawPoint *pts, size_t n)
{
    CanvasSplat *s = c->splat;
    int threads = s ? pool_threads(s->pool) : 1, rows = c->cy1 - c->cy0;
    if (threads > 1 && n >= SPLAT_MIN_POINTS && n <= UINT32_MAX && rows >= 2 * SPLAT_MIN_BAND) {
        if (!stamps_ready)
            build_stamps(); /* before the workers read the stamps */
        SplatJob j = {.c = c, .s = s, .pts = pts, .n = n};
        j.nchunks = threads * 2 < CANVAS_MAX_CHUNKS ? threads * 2 : CANVAS_MAX_CHUNKS;
        /* several bands per thread, so a dense band does not leave the others idle */
        j.nbands = threads * 8 < CANVAS_MAX_BANDS ? threads * 8 : CANVAS_MAX_BANDS;
        j.band_h = (rows + j.nbands - 1) / j.nbands;
        if (j.band_h < SPLAT_MIN_BAND)
            j.band_h = SPLAT_MIN_BAND;
        j.nbands = (rows + j.band_h - 1) / j.band_h;
        pool_run(s->pool, count_task, &j, j.nchunks);
        if (plan_bands(&j)) {
            pool_run(s->pool, scatter_task, &j, j.nchunks);
            pool_run(s->pool, band_task, &j, j.nbands);
            return;
        }
    }
    for (size_t i = 0; i < n; i++)
        canvas_disc(c, pts[i].x, pts[i].y, pts[i].radius, pts[i].color);
}

void canvas_points(Canvas *c, const DrawPoint *pts, size_t n)
{
    double t0 = clock_thread_cpu_ms();
    splat(c, pts, n);
    if (c->splat)
        c->splat->last_ms = clock_thread_cpu_ms() - t0;
}

void canvas_splat_deinit(CanvasSplat *s)
{
    free(s->idx);
    s->idx = NULL;
    s->cap = 0;
}

void canvas_circle(Canvas *c, float x, float y, float r, uint32_t color)
{
    int x0 = clampi((int)floorf(x - r - 2), c->cx0, c->cx1), x1 = clampi((int)ceilf(x + r + 2), c->cx0, c->cx1);
    int y0 = clampi((int)floorf(y - r - 2), c->cy0, c->cy1), y1 = clampi((int)ceilf(y + r + 2), c->cy0, c->cy1);
    for (int yy = y0; yy < y1; yy++)
        for (int xx = x0; xx < x1; xx++) {
            float dx = (float)xx + 0.5f - x, dy = (float)yy + 0.5f - y;
            float d = fabsf(sqrtf(dx * dx + dy * dy) - r);
            plot(c, xx, yy, color, clampf(1.25f - d, 0.f, 1.f));
        }
}

void canvas_text(Canvas *c, const Font *f, float x, float y, const char *s, size_t len,
                 uint32_t color)
{
    if (!f || !f->cover)
        return;
    int px = (int)lrintf(x), py = (int)lrintf(y);
    uint32_t alpha = color >> 24;
    if (py >= c->cy1 || py + f->height <= c->cy0)
        return;
    for (size_t i = 0; i < len && px < c->cx1;) {
        uint32_t cp;
        i += (size_t)font_utf8(s + i, len - i, &cp);
        if (cp < FONT_FIRST || cp > FONT_LAST || !f->glyphs[cp].advance)
            cp = '?';
        const FontGlyph *g = &f->glyphs[cp];
        int ya = clampi(py, c->cy0, c->cy1), yb = clampi(py + g->h, c->cy0, c->cy1);
        int xa = clampi(px, c->cx0, c->cx1), xb = clampi(px + g->w, c->cx0, c->cx1);
        for (int yy = ya; yy < yb; yy++) {
            uint32_t *row = c->px + (size_t)yy * (size_t)c->pitch;
            const uint8_t *cov = f->cover + g->off + (size_t)(yy - py) * (size_t)g->w;
            for (int xx = xa; xx < xb; xx++) {
                uint32_t v = cov[xx - px];
                if (v)
                    blend(&row[xx], color, (v * alpha + 255) >> 8);
            }
        }
        px += g->advance;
    }
}

/* dst = dst + (src - dst) * a / 256 (as blend, for opaque images). */
static inline uint32_t mix(uint32_t d, uint32_t s, uint32_t a)
{
    uint32_t rb = ((s & 0xFF00FF) * a + (d & 0xFF00FF) * (256 - a)) >> 8 & 0xFF00FF;
    uint32_t g = ((s & 0x00FF00) * a + (d & 0x00FF00) * (256 - a)) >> 8 & 0x00FF00;
    return 0xFF000000u | rb | g;
}

void canvas_image(Canvas *c, float x, float y, float w, float h, const uint32_t *px, int pw, int ph)
{
    if (!px || pw <= 0 || ph <= 0 || !(w > 0) || !(h > 0))
        return;
    int x0 = clampi((int)lrintf(x), c->cx0, c->cx1), x1 = clampi((int)lrintf(x + w), c->cx0, c->cx1);
    int y0 = clampi((int)lrintf(y), c->cy0, c->cy1), y1 = clampi((int)lrintf(y + h), c->cy0, c->cy1);
    /* source pixel under each destination pixel centre; the columns are the same on every row,
     * so they are worked out once (a full-window density image is a million pixels) */
    double sx = (double)pw / w, sy = (double)ph / h;
    enum { MAP = 4096 };
    int map[MAP];
    bool mapped = x1 - x0 <= MAP;
    double fx0 = ((double)x0 + 0.5 - x) * sx;
    if (mapped) {
        double fx = fx0;
        for (int xx = x0; xx < x1; xx++, fx += sx)
            map[xx - x0] = clampi((int)fx, 0, pw - 1);
    }
    for (int yy = y0; yy < y1; yy++) {
        int r = clampi((int)(((double)yy + 0.5 - y) * sy), 0, ph - 1);
        const uint32_t *src = px + (size_t)r * (size_t)pw;
        uint32_t *row = c->px + (size_t)yy * (size_t)c->pitch;
        double fx = fx0;
        for (int xx = x0; xx < x1; xx++, fx += sx) {
            uint32_t s = src[mapped ? map[xx - x0] : clampi((int)fx, 0, pw - 1)], a = s >> 24;
            if (a)
                row[xx] = a >= 255 ? s : mix(row[xx], s, a);
        }
    }
}


void canvas_play(Canvas *c, const DrawList *d)
{
    canvas_clip(c, 0, 0, -1, -1);
    for (size_t i = 0; i < d->ncmds; i++) {
        const DrawCmd *k = &d->cmds[i];
        switch (k->kind) {
        case DRAW_RECT: canvas_rect(c, k->x0, k->y0, k->w, k->h, k->color); break;
        case DRAW_OUTLINE: canvas_outline(c, k->x0, k->y0, k->w, k->h, k->color); break;
        case DRAW_TEXT:
            canvas_text(c, c->fonts[k->font ? 1 : 0], k->x0, k->y0, draw_cmd_text(d, k),
                        k->text_len, k->color);
            break;
        case DRAW_LINE: canvas_line(c, k->x0, k->y0, k->x1, k->y1, k->w, k->color); break;
        case DRAW_ARROW: canvas_arrow(c, k->x0, k->y0, k->x1, k->y1, k->w, k->color); break;
        case DRAW_POINTS: canvas_points(c, k->pts, k->npts); break;
        case DRAW_CIRCLE: canvas_circle(c, k->x0, k->y0, k->w, k->color); break;
        case DRAW_CLIP:
            canvas_clip(c, (int)lrintf(k->x0), (int)lrintf(k->y0), (int)lrintf(k->w), (int)lrintf(k->h));
            break;
        case DRAW_IMAGE: canvas_image(c, k->x0, k->y0, k->w, k->h, k->img, k->img_w, k->img_h); break;
        }
    }
}
