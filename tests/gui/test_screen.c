/* The scene's per-point work on a pool (render/pool.c, app/render/screen.c, canvas_points): every
 * task runs once, and projection, depth order, picking and banded splatting give the same bits
 * as the one-thread path and as the loops they replaced (kept here as references). */
#include "render/cam.h"
#include "render/canvas.h"
#include "render/screen.h"
#include "model/base/pool.h"
#include "tests/test.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* ---- the pool ---- */

typedef struct Tally {
    atomic_int runs[64];
} Tally;

static void tally_task(void *ctx, int task)
{
    Tally *t = ctx;
    atomic_fetch_add(&t->runs[task], 1);
}

TEST(pool_runs_every_task_exactly_once)
{
    for (int threads = 0; threads <= 4; threads++) {
        Pool *p = threads ? pool_create(threads) : NULL;
        CHECK(!threads || p);
        CHECK(pool_threads(p) == (threads ? threads : 1));
        for (int job = 0; job < 300; job++) {
            Tally t;
            int n = job % 64;
            for (int i = 0; i < 64; i++)
                atomic_init(&t.runs[i], 0);
            pool_run(p, tally_task, &t, n);
            for (int i = 0; i < 64; i++)
                CHECK(atomic_load(&t.runs[i]) == (i < n));
        }
        pool_destroy(p);
    }
    pool_destroy(NULL);
    Pool *p = pool_create(0); /* online CPUs */
    CHECK(p && pool_threads(p) >= 1 && pool_threads(p) <= POOL_MAX_THREADS);
    pool_destroy(p);
}

/* ---- projection and depth order ---- */

static uint64_t rng = 88172645463325252ull;
static float frand(void) /* [0, 1) */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (float)(rng >> 40) / (float)(1 << 24);
}

static const uint32_t pal[4] = {DRAW_RGB(230, 159, 0), DRAW_RGB(86, 180, 233),
                                DRAW_RGB(0, 158, 115), DRAW_RGB(240, 228, 66)};

typedef struct Cloud {
    int64_t rows;
    float *xyz;
    int16_t *cl;
    DrawPoint *pts, *sorted;
    float *depth;
} Cloud;

static bool cloud_init(Cloud *c, int64_t rows)
{
    c->rows = rows;
    c->xyz = malloc((size_t)rows * 3 * sizeof(float));
    c->cl = malloc((size_t)rows * sizeof(int16_t));
    c->pts = malloc((size_t)rows * sizeof(DrawPoint));
    c->sorted = malloc((size_t)rows * sizeof(DrawPoint));
    c->depth = malloc((size_t)rows * sizeof(float));
    if (!c->xyz || !c->cl || !c->pts || !c->sorted || !c->depth)
        return false;
    for (int64_t i = 0; i < rows; i++) {
        for (int j = 0; j < 3; j++) /* some rows behind the eye (dist 1.2 from a radius-2 cloud) */
            c->xyz[i * 3 + j] = (frand() - 0.5f) * 4.f;
        if (i % 97 == 0) /* duplicates: equal depths and equal pick distances */
            memcpy(&c->xyz[i * 3], c->xyz, 3 * sizeof(float));
        c->cl[i] = (int16_t)((int)(frand() * 7.f) - 1);
    }
    return true;
}

static void cloud_deinit(Cloud *c)
{
    free(c->xyz);
    free(c->cl);
    free(c->pts);
    free(c->sorted);
    free(c->depth);
}

/* The one-thread depth order that gui_scene.c had before the pool. */
static size_t reference_order(bool two_d, const DrawPoint *pts, const float *depth, int64_t rows,
                              DrawPoint *sorted)
{
    static uint32_t bucket[SCREEN_DEPTH_BUCKETS + 1];
    float lo = INFINITY, hi = 0;
    size_t n = 0;
    for (int64_t i = 0; i < rows; i++)
        if (depth[i] > 0) {
            lo = fminf(lo, depth[i]);
            hi = fmaxf(hi, depth[i]);
        }
    if (!(hi >= lo))
        return 0;
    if (two_d || hi - lo < 1e-9f) {
        for (int64_t i = rows - 1; i >= 0; i--)
            if (depth[i] > 0)
                sorted[n++] = pts[i];
        return n;
    }
    float k = (float)(SCREEN_DEPTH_BUCKETS - 1) / (hi - lo);
#define SLOT(d) (SCREEN_DEPTH_BUCKETS - 1 - ((int)(((d) - lo) * k) & (SCREEN_DEPTH_BUCKETS - 1)))
    memset(bucket, 0, sizeof bucket);
    for (int64_t i = 0; i < rows; i++)
        if (depth[i] > 0)
            bucket[SLOT(depth[i]) + 1]++;
    for (int b = 1; b <= SCREEN_DEPTH_BUCKETS; b++)
        bucket[b] += bucket[b - 1];
    for (int64_t i = 0; i < rows; i++)
        if (depth[i] > 0)
            sorted[bucket[SLOT(depth[i])]++] = pts[i];
#undef SLOT
    return bucket[SCREEN_DEPTH_BUCKETS - 1];
}

static int64_t reference_pick(const DrawPoint *pts, const float *depth, int64_t rows, float x,
                              float y, float radius)
{
    int64_t best = -1;
    float bd = radius * radius;
    for (int64_t i = 0; i < rows; i++) {
        if (depth[i] <= 0)
            continue;
        float dx = pts[i].x - x, dy = pts[i].y - y, d = dx * dx + dy * dy;
        if (d < bd || (d == bd && best >= 0 && depth[i] < depth[best])) {
            bd = d;
            best = i;
        }
    }
    return best;
}

static ScreenView view(const Cam *cam, bool two_d, bool focus)
{
    return (ScreenView){.m = cam_matrix(cam), .vw = (float)cam->vw, .vh = (float)cam->vh,
                      .scale = 1.f, .dist = cam->dist, .base = 1.6f, .two_d = two_d,
                      .focus = focus, .hover_cluster = focus ? -1 : 2, .palette = pal,
                      .npalette = 4};
}

TEST(proj_gives_the_one_thread_bits)
{
    static Screen one, many, odd; /* 128 KiB each */
    Cloud a, b;
    int64_t rows = 60001;
    CHECK(cloud_init(&a, rows) && cloud_init(&b, rows));
    Pool *pool = pool_create(4);
    CHECK(pool);
    screen_init(&one, NULL, 1);
    screen_init(&many, pool, 0);
    screen_init(&odd, pool, 7);
    CHECK(many.nchunks == 16);
    Cam cam;
    cam_init(&cam, 1280, 800);
    cam_home(&cam, glms_vec3_zero(), 1.f);
    cam_orbit(&cam, 600, 400, 700, 330);
    cam.dist = 1.2f;
    for (int two_d = 0; two_d < 2; two_d++)
        for (int focus = 0; focus < 2; focus++) {
            cam_set_2d(&cam, two_d);
            ScreenView v = view(&cam, two_d, focus);
            /* hidden points keep their old radius and colour: start both sides equal */
            memset(a.pts, 0, (size_t)rows * sizeof(DrawPoint));
            screen_points(&one, &v, a.xyz, a.cl, rows, a.pts, a.depth);
            size_t na = screen_order(&one, two_d, a.pts, a.depth, rows, a.sorted);
            size_t nr = reference_order(two_d, a.pts, a.depth, rows, b.sorted);
            CHECKF(na == nr && na > 1000 && (two_d ? na == (size_t)rows : na < (size_t)rows),
                   "%zu %zu %d", na, nr, two_d);
            CHECK(!memcmp(a.sorted, b.sorted, na * sizeof(DrawPoint)));
            Screen *pooled[2] = {&many, &odd};
            for (int k = 0; k < 2; k++) {
                memset(b.pts, 0, (size_t)rows * sizeof(DrawPoint));
                screen_points(pooled[k], &v, a.xyz, a.cl, rows, b.pts, b.depth);
                CHECK(!memcmp(a.pts, b.pts, (size_t)rows * sizeof(DrawPoint)));
                CHECK(!memcmp(a.depth, b.depth, (size_t)rows * sizeof(float)));
                size_t nb = screen_order(pooled[k], two_d, b.pts, b.depth, rows, b.sorted);
                CHECK(nb == na);
                CHECK(!memcmp(a.sorted, b.sorted, na * sizeof(DrawPoint)));
            }
            for (int q = 0; q < 200; q++) {
                /* half the queries on a projected point: exact ties among the duplicates */
                int64_t r = (int64_t)(frand() * (float)rows);
                float x = q % 2 ? a.pts[r].x : frand() * 1280.f, y = q % 2 ? a.pts[r].y : frand() * 800.f;
                int64_t want = reference_pick(a.pts, a.depth, rows, x, y, 8.f);
                CHECK(screen_pick(&many, a.pts, a.depth, rows, x, y, 8.f) == want);
                CHECK(screen_pick(&odd, a.pts, a.depth, rows, x, y, 8.f) == want);
            }
        }
    /* one undimmed point is what screen_points gives without focus, hover aside */
    ScreenView v = view(&cam, false, true);
    screen_point(&v, a.xyz, a.cl, 5, false, a.pts, a.depth);
    CHECK((a.pts[5].color >> 24) > 0);
    pool_destroy(pool);
    cloud_deinit(&a);
    cloud_deinit(&b);
}

/* A keep mask (a spelling query hiding the other words) removes points from the order and
 * from picking, on any pool, and leaves the kept ones as they were. */
TEST(proj_keep_mask_hides_points)
{
    static Screen one, many;
    Cloud a, b;
    int64_t rows = 20000;
    CHECK(cloud_init(&a, rows) && cloud_init(&b, rows));
    uint8_t *keep = malloc((size_t)rows);
    CHECK(keep);
    for (int64_t i = 0; i < rows; i++)
        keep[i] = i % 3 == 0;
    Pool *pool = pool_create(3);
    screen_init(&one, NULL, 1);
    screen_init(&many, pool, 0);
    Cam cam;
    cam_init(&cam, 1280, 800);
    cam_home(&cam, glms_vec3_zero(), 1.f);
    cam_set_2d(&cam, true);
    ScreenView v = view(&cam, true, false);
    screen_points(&one, &v, a.xyz, a.cl, rows, a.pts, a.depth);
    size_t all = screen_order(&one, true, a.pts, a.depth, rows, a.sorted);
    v.keep = keep;
    screen_points(&many, &v, a.xyz, a.cl, rows, b.pts, b.depth);
    size_t kept = screen_order(&many, true, b.pts, b.depth, rows, b.sorted);
    CHECKF(all == (size_t)rows && kept == (size_t)(rows + 2) / 3, "%zu of %zu", kept, all);
    for (int64_t i = 0; i < rows; i++) {
        CHECK(keep[i] ? b.depth[i] == a.depth[i] : b.depth[i] == 0);
        if (keep[i])
            CHECK(!memcmp(&a.pts[i], &b.pts[i], sizeof a.pts[i]));
    }
    /* a hidden point is never picked, even under the cursor */
    CHECK(screen_pick(&many, b.pts, b.depth, rows, a.pts[1].x, a.pts[1].y, 0.5f) != 1);
    free(keep);
    pool_destroy(pool);
    cloud_deinit(&a);
    cloud_deinit(&b);
}

TEST(proj_lerp_matches_the_loop)
{
    enum { N = 30001 };
    static float from[N], to[N], cur[N];
    for (int i = 0; i < N; i++) {
        from[i] = frand() * 10.f - 5.f;
        to[i] = frand() * 10.f - 5.f;
    }
    Pool *pool = pool_create(3);
    static Screen p;
    screen_init(&p, pool, 0);
    screen_lerp(&p, cur, from, to, N, 0.37f);
    for (int i = 0; i < N; i++)
        CHECK(cur[i] == from[i] + (to[i] - from[i]) * 0.37f);
    pool_destroy(pool);
}

/* ---- splatting in bands ---- */

TEST(canvas_points_in_bands_gives_the_one_thread_pixels)
{
    enum { W = 640, H = 480, N = 120000 };
    uint32_t *want = malloc(W * H * sizeof *want), *got = malloc(W * H * sizeof *got);
    DrawPoint *pts = malloc(N * sizeof *pts);
    CHECK(want && got && pts);
    for (int i = 0; i < N; i++) {
        /* a dense middle, strays off every edge, some huge radii and a few NaNs */
        float s = i % 3 ? 0.25f : 1.4f;
        pts[i].x = W * (0.5f + (frand() - 0.5f) * s);
        pts[i].y = H * (0.5f + (frand() - 0.5f) * s);
        pts[i].radius = i % 50 ? 0.5f + frand() * 4.f : frand() * 20.f;
        pts[i].color = (uint32_t)(frand() * 16777216.f) | (uint32_t)(40 + (int)(frand() * 215.f)) << 24;
        if (i % 1009 == 0)
            pts[i].y = NAN;
    }
    Pool *pool = pool_create(4);
    CHECK(pool);
    CanvasSplat splat = {.pool = pool};
    static const int clips[3][4] = {{0, 0, -1, -1}, {37, 51, 400, 300}, {0, 100, W, 70}};
    for (int k = 0; k < 3; k++) {
        Canvas a = {.px = want, .w = W, .h = H, .pitch = W};
        Canvas b = {.px = got, .w = W, .h = H, .pitch = W, .splat = &splat};
        canvas_clip(&a, 0, 0, -1, -1);
        canvas_clip(&b, 0, 0, -1, -1);
        canvas_clear(&a, DRAW_RGB(17, 19, 24));
        canvas_clear(&b, DRAW_RGB(17, 19, 24));
        canvas_clip(&a, clips[k][0], clips[k][1], clips[k][2], clips[k][3]);
        canvas_clip(&b, clips[k][0], clips[k][1], clips[k][2], clips[k][3]);
        for (int i = 0; i < N; i++)
            canvas_disc(&a, pts[i].x, pts[i].y, pts[i].radius, pts[i].color);
        canvas_points(&b, pts, N);
        CHECK(!memcmp(want, got, W * H * sizeof *want));
    }
    CHECK(splat.cap > 0); /* the banded path ran */
    canvas_splat_deinit(&splat);
    pool_destroy(pool);
    free(want);
    free(got);
    free(pts);
}
