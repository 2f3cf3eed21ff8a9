/* Per-point scene work on a pool (see screen.h). Rows are cut into contiguous chunks; each
 * step that depends on the order of rows (the depth sort, picking ties) combines the chunks in
 * row order, which is what makes the result independent of the thread count. UI thread. */
#include "render/screen.h"
#include <math.h>
#include <string.h>

typedef struct ScreenJob {
    Screen *p;
    const ScreenView *v;
    const float *xyz, *from, *to;
    float *cur;
    float s;
    const int16_t *cluster;
    int64_t rows;
    DrawPoint *pts;
    const DrawPoint *cpts;
    const float *depth;
    float *out_depth;
    DrawPoint *sorted;
    float lo, k;              /* depth sort: bucket of d is SLOT(d) */
    float x, y, radius;       /* pick */
    int64_t best[SCREEN_MAX_CHUNKS];
    float best_d[SCREEN_MAX_CHUNKS];
} ScreenJob;

void screen_init(Screen *p, Pool *pool, int chunks)
{
    p->pool = pool;
    if (chunks <= 0)
        chunks = 4 * pool_threads(pool);
    p->nchunks = chunks < SCREEN_MAX_CHUNKS ? chunks : SCREEN_MAX_CHUNKS;
}

static void rows_of(const ScreenJob *j, int chunk, int64_t *lo, int64_t *hi)
{
    *lo = j->rows * chunk / j->p->nchunks;
    *hi = j->rows * (chunk + 1) / j->p->nchunks;
}

void screen_point(const ScreenView *v, const float *xyz, const int16_t *cluster, int64_t i, bool dim,
                DrawPoint *pts, float *depth)
{
    const mat4s m = v->m;
    const float *q = &xyz[i * 3];
    float px = q[0], py = q[1], pz = v->two_d ? 0.f : q[2];
    float cx = m.m00 * px + m.m10 * py + m.m20 * pz + m.m30;
    float cy = m.m01 * px + m.m11 * py + m.m21 * pz + m.m31;
    float cw = m.m03 * px + m.m13 * py + m.m23 * pz + m.m33;
    DrawPoint *d = &pts[i];
    if (!(cw > 1e-6f)) {
        depth[i] = -1.f;
        d->x = d->y = -1e6f;
        return;
    }
    depth[i] = cw;
    d->x = (cx / cw * 0.5f + 0.5f) * v->vw;
    d->y = (0.5f - cy / cw * 0.5f) * v->vh;
    float r = v->base * v->scale, a = 230.f;
    if (!v->two_d) {
        /* nearer points are larger and brighter: depth cue without sorting */
        float k = v->dist / cw;
        r *= fminf(fmaxf(k, 0.55f), 1.8f);
        a *= fminf(fmaxf(0.35f + 0.65f * k, 0.3f), 1.f);
    }
    int c = cluster[i], slot = c >= 0 ? c : 0;
    if (slot >= v->npalette) /* a division per point otherwise */
        slot %= v->npalette;
    uint32_t col = v->colors ? v->colors[i] : v->palette[slot];
    if (v->focus && dim)
        a *= 0.28f;
    else if (v->hover_cluster >= 0 && c != v->hover_cluster)
        a *= 0.2f;
    d->radius = r;
    d->color = (col & 0xFFFFFF) | (uint32_t)a << 24;
}

static void project_task(void *ctx, int chunk)
{
    ScreenJob *j = ctx;
    ScreenChunk *ch = &j->p->chunk[chunk];
    int64_t lo, hi;
    rows_of(j, chunk, &lo, &hi);
    float dlo = INFINITY, dhi = 0;
    uint32_t visible = 0;
    for (int64_t i = lo; i < hi; i++) {
        screen_point(j->v, j->xyz, j->cluster, i, true, j->pts, j->out_depth);
        if (j->v->keep && !j->v->keep[i])
            j->out_depth[i] = 0;
        float d = j->out_depth[i];
        if (d > 0) { /* not fminf / fmaxf: GCC calls libm's for them, 2 calls a point */
            dlo = d < dlo ? d : dlo;
            dhi = d > dhi ? d : dhi;
            visible++;
        }
    }
    ch->lo = dlo;
    ch->hi = dhi;
    ch->visible = visible;
}

void screen_points(Screen *p, const ScreenView *v, const float *xyz, const int16_t *cluster,
                 int64_t rows, DrawPoint *pts, float *depth)
{
    ScreenJob j = {.p = p, .v = v, .xyz = xyz, .cluster = cluster, .rows = rows, .pts = pts,
                 .out_depth = depth};
    pool_run(p->pool, project_task, &j, p->nchunks);
}

#define SLOT(j, d) \
    (SCREEN_DEPTH_BUCKETS - 1 - ((int)(((d) - (j)->lo) * (j)->k) & (SCREEN_DEPTH_BUCKETS - 1)))

static void count_task(void *ctx, int chunk)
{
    ScreenJob *j = ctx;
    uint32_t *at = j->p->chunk[chunk].at;
    memset(at, 0, sizeof j->p->chunk[chunk].at);
    int64_t lo, hi;
    rows_of(j, chunk, &lo, &hi);
    for (int64_t i = lo; i < hi; i++)
        if (j->depth[i] > 0)
            at[SLOT(j, j->depth[i])]++;
}

static void scatter_task(void *ctx, int chunk)
{
    ScreenJob *j = ctx;
    uint32_t *at = j->p->chunk[chunk].at;
    int64_t lo, hi;
    rows_of(j, chunk, &lo, &hi);
    for (int64_t i = lo; i < hi; i++)
        if (j->depth[i] > 0)
            j->sorted[at[SLOT(j, j->depth[i])]++] = j->cpts[i];
}

/* 2D: chunk c's visible points, last row first, after those of the chunks above it. */
static void reverse_task(void *ctx, int chunk)
{
    ScreenJob *j = ctx;
    size_t at = 0;
    for (int c = j->p->nchunks - 1; c > chunk; c--)
        at += j->p->chunk[c].visible;
    int64_t lo, hi;
    rows_of(j, chunk, &lo, &hi);
    for (int64_t i = hi - 1; i >= lo; i--)
        if (j->depth[i] > 0)
            j->sorted[at++] = j->cpts[i];
}

size_t screen_order(Screen *p, bool two_d, const DrawPoint *pts, const float *depth, int64_t rows,
                  DrawPoint *sorted)
{
    ScreenJob j = {.p = p, .cpts = pts, .depth = depth, .rows = rows, .sorted = sorted};
    float lo = INFINITY, hi = 0;
    size_t n = 0;
    for (int c = 0; c < p->nchunks; c++) {
        lo = fminf(lo, p->chunk[c].lo);
        hi = fmaxf(hi, p->chunk[c].hi);
        n += p->chunk[c].visible;
    }
    if (!(hi >= lo))
        return 0;
    if (two_d || hi - lo < 1e-9f) {
        pool_run(p->pool, reverse_task, &j, p->nchunks);
        return n;
    }
    j.lo = lo;
    j.k = (float)(SCREEN_DEPTH_BUCKETS - 1) / (hi - lo);
    pool_run(p->pool, count_task, &j, p->nchunks);
    /* bucket by bucket (far first), chunk by chunk: rows keep their order within a bucket */
    uint32_t total = 0;
    for (int b = 0; b < SCREEN_DEPTH_BUCKETS; b++)
        for (int c = 0; c < p->nchunks; c++) {
            uint32_t k = p->chunk[c].at[b];
            p->chunk[c].at[b] = total;
            total += k;
        }
    pool_run(p->pool, scatter_task, &j, p->nchunks);
    return n;
}

static void lerp_task(void *ctx, int chunk)
{
    ScreenJob *j = ctx;
    int64_t lo, hi;
    rows_of(j, chunk, &lo, &hi);
    for (int64_t i = lo; i < hi; i++)
        j->cur[i] = j->from[i] + (j->to[i] - j->from[i]) * j->s;
}

void screen_lerp(Screen *p, float *cur, const float *from, const float *to, size_t n, float s)
{
    ScreenJob j = {.p = p, .cur = cur, .from = from, .to = to, .rows = (int64_t)n, .s = s};
    pool_run(p->pool, lerp_task, &j, p->nchunks);
}

/* Better: nearer the cursor, then nearer in depth (the lower row wins a full tie because it
 * comes first). */
static bool better(const float *depth, float d, int64_t i, float bd, int64_t best)
{
    return d < bd || (d == bd && best >= 0 && depth[i] < depth[best]);
}

static void pick_task(void *ctx, int chunk)
{
    ScreenJob *j = ctx;
    int64_t lo, hi, best = -1;
    rows_of(j, chunk, &lo, &hi);
    float bd = j->radius * j->radius;
    for (int64_t i = lo; i < hi; i++) {
        if (j->depth[i] <= 0)
            continue;
        float dx = j->cpts[i].x - j->x, dy = j->cpts[i].y - j->y, d = dx * dx + dy * dy;
        if (better(j->depth, d, i, bd, best)) {
            bd = d;
            best = i;
        }
    }
    j->best[chunk] = best;
    j->best_d[chunk] = bd;
}

int64_t screen_pick(Screen *p, const DrawPoint *pts, const float *depth, int64_t rows, float x,
                  float y, float radius)
{
    ScreenJob j = {.p = p, .cpts = pts, .depth = depth, .rows = rows, .x = x, .y = y,
                 .radius = radius};
    pool_run(p->pool, pick_task, &j, p->nchunks);
    int64_t best = -1;
    float bd = radius * radius;
    for (int c = 0; c < p->nchunks; c++)
        if (j.best[c] >= 0 && better(depth, j.best_d[c], j.best[c], bd, best)) {
            bd = j.best_d[c];
            best = j.best[c];
        }
    return best;
}
