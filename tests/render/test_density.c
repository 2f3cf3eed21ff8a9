/* render/density.c: binning counts exactly the points inside, the blur keeps the mass, the
 * contours of one Gaussian blob are closed rings around it, empty and one-point clouds, and
 * the tint's per-cell mean colour, picking by cells the same as a scan of every point. */
#include "render/density.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static float frand(void) /* [0, 1) */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (float)(rng >> 40) / (float)(1 << 24);
}

static float gauss(void) /* Box-Muller, N(0, 1) */
{
    float u = frand() + 1e-7f, v = frand();
    return sqrtf(-2.f * logf(u)) * cosf(6.2831853f * v);
}

/* Channel ch (0 mass, 1-3 colour sums) of cell i. */
static float at(const Density *d, size_t i, int ch) { return d->cells[i * (size_t)d->nch + (size_t)ch]; }

static double total(const Density *d, int ch)
{
    double s = 0;
    for (size_t i = 0; i < (size_t)d->gw * (size_t)d->gh; i++)
        s += at(d, i, ch);
    return s;
}

TEST(bin_counts_the_points_inside)
{
    enum { N = 5000 };
    DrawPoint *p = calloc(N, sizeof *p);
    CHECK(p);
    for (int i = 0; i < N; i++) {
        /* a third outside the 200 x 120 window, on every side */
        p[i].x = frand() * 300.f - 50.f;
        p[i].y = frand() * 180.f - 30.f;
        p[i].color = DRAW_RGB(255, 0, 0);
    }
    p[0].x = NAN; /* never counted, never a crash */
    p[1].y = INFINITY;
    Density d = {0};
    DensityDesc desc = {.cell = 4};
    CHECK(density_bin(&d, &desc, p, NULL, N, 200, 120));
    CHECK(d.gw == 50 && d.gh == 30);
    size_t expect = 0;
    for (int i = 0; i < N; i++)
        expect += p[i].x >= 0 && p[i].x < 200 && p[i].y >= 0 && p[i].y < 120;
    CHECKF(d.inside == expect, "inside %zu, expected %zu", d.inside, expect);
    CHECK_NEAR(total(&d, 0), (double)expect, 0.0); /* integer counts in floats: exact */
    /* each cell holds the points whose pixel falls in it */
    size_t c = 0;
    for (int i = 0; i < N; i++)
        c += p[i].x >= 8 && p[i].x < 12 && p[i].y >= 4 && p[i].y < 8;
    CHECK_NEAR(at(&d, 1 * 50 + 2, 0), (double)c, 0.0);
    /* with depths: the hidden points (depth <= 0, as screen_points marks them) are left out */
    float *depth = malloc(N * sizeof *depth);
    CHECK(depth);
    size_t shown = 0;
    for (int i = 0; i < N; i++) {
        depth[i] = i % 3 ? 1.f : i % 2 ? 0.f : -1.f;
        shown += depth[i] > 0 && p[i].x >= 0 && p[i].x < 200 && p[i].y >= 0 && p[i].y < 120;
    }
    CHECK(density_bin(&d, &desc, p, depth, N, 200, 120));
    CHECK(d.inside == shown && shown < expect);
    CHECK_NEAR(total(&d, 0), (double)shown, 0.0);
    free(depth);
    density_deinit(&d);
    free(p);
}

TEST(blur_keeps_the_mass)
{
    enum { N = 3000 };
    DrawPoint *p = calloc(N, sizeof *p);
    CHECK(p);
    for (int i = 0; i < N; i++) {
        /* crowded against the corners and borders, where a naive blur loses mass */
        p[i].x = i % 3 ? frand() * 12.f : frand() * 300.f;
        p[i].y = i % 5 ? 299.f - frand() * 10.f : frand() * 300.f;
        p[i].color = DRAW_RGB(i % 256, 100, 200);
    }
    for (int s = 1; s <= 8; s *= 2) {
        Density d = {0};
        DensityDesc desc = {.cell = 3, .sigma = (float)s, .tint = true};
        CHECK(density_bin(&d, &desc, p, NULL, N, 300, 300));
        double m0 = total(&d, 0), r0 = total(&d, 1);
        float peak0 = 0;
        for (size_t i = 0; i < (size_t)d.gw * (size_t)d.gh; i++)
            peak0 = fmaxf(peak0, at(&d, i, 0));
        density_blur(&d);
        /* float sums of 3000 cells of blurred mass: rounding ~1e-7 relative per add */
        CHECK_NEAR(total(&d, 0), m0, m0 * 1e-4);
        CHECK_NEAR(total(&d, 1), r0, r0 * 1e-4);
        CHECK(d.peak > 0.f && d.peak < peak0); /* spread out, so the highest cell is lower */
        for (size_t i = 0; i < (size_t)d.gw * (size_t)d.gh; i++)
            CHECK(at(&d, i, 0) >= 0.f);
        density_deinit(&d);
    }
    free(p);
}

/* Every endpoint is shared by exactly two segments of the same level (bitwise: the crossings
 * are computed once per edge), i.e. the segments form closed rings. */
static bool closed(const DensitySeg *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int e = 0; e < 2; e++) {
            float x = e ? s[i].x1 : s[i].x0, y = e ? s[i].y1 : s[i].y0;
            int deg = 0;
            for (size_t j = 0; j < n; j++)
                deg += (s[j].x0 == x && s[j].y0 == y) + (s[j].x1 == x && s[j].y1 == y);
            if (deg != 2)
                return false;
        }
    return true;
}

/* Crossings of the horizontal ray from (x, y) to the right: odd when (x, y) is inside. */
static int crossings(const DensitySeg *s, size_t n, float x, float y)
{
    int c = 0;
    for (size_t i = 0; i < n; i++) {
        float y0 = s[i].y0, y1 = s[i].y1;
        if ((y0 > y) == (y1 > y))
            continue;
        float t = (y - y0) / (y1 - y0), cx = s[i].x0 + t * (s[i].x1 - s[i].x0);
        c += cx > x;
    }
    return c;
}

static size_t of_level(const Density *d, int l, DensitySeg *out)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nseg; i++)
        if (d->seg[i].level == l)
            out[n++] = d->seg[i];
    return n;
}

TEST(contours_of_a_blob_are_closed_rings_around_it)
{
    enum { N = 20000 };
    DrawPoint *p = calloc(N, sizeof *p);
    CHECK(p);
    for (int i = 0; i < N; i++) {
        p[i].x = 150.f + 20.f * gauss();
        p[i].y = 100.f + 20.f * gauss();
    }
    Density d = {0};
    CHECK(density_bin(&d, NULL, p, NULL, N, 300, 200));
    density_blur(&d);
    density_contours(&d);
    CHECK(d.nlevels == density_desc_defaults().levels);
    CHECK(d.nseg > 0 && d.dropped == 0);
    DensitySeg *ring = malloc(d.nseg * sizeof *ring);
    CHECK(ring);
    float last_r = 1e9f;
    for (int l = 0; l < d.nlevels; l++) {
        if (l)
            CHECK(d.level[l] > d.level[l - 1]);
        size_t n = of_level(&d, l, ring);
        CHECKF(n >= 8, "level %d: %zu segments", l, n);
        CHECKF(closed(ring, n), "level %d is not closed", l);
        /* one ring around the centre, nothing around a far corner */
        CHECK(crossings(ring, n, 150.f, 100.f) == 1);
        CHECK(crossings(ring, n, 5.f, 5.f) == 0);
        /* round: the sampled blob of 20k points is isotropic within a few percent, and the
         * ring's vertices sit on cell edges (3 px), so a 25% spread of radii is generous */
        float rmin = 1e9f, rmax = 0;
        for (size_t i = 0; i < n; i++) {
            float r = hypotf(ring[i].x0 - 150.f, ring[i].y0 - 100.f);
            rmin = fminf(rmin, r);
            rmax = fmaxf(rmax, r);
        }
        CHECKF(rmax < 1.25f * rmin, "level %d: radii %.1f..%.1f", l, rmin, rmax);
        CHECK(rmax < last_r); /* higher levels are inner rings */
        last_r = rmin;
    }
    free(ring);
    density_deinit(&d);
    free(p);
}

TEST(empty_and_one_point)
{
    Density d = {0};
    CHECK(density_bin(&d, NULL, NULL, NULL, 0, 120, 90));
    density_blur(&d);
    density_tone(&d, 1.f);
    density_contours(&d);
    CHECK(d.inside == 0 && d.peak == 0.f && d.nseg == 0 && d.nlevels == 0);
    for (size_t i = 0; i < (size_t)d.gw * (size_t)d.gh; i++)
        CHECK(d.img[i] == 0); /* transparent */
    /* a zero-sized window: no grid, no crash */
    CHECK(density_bin(&d, NULL, NULL, NULL, 0, 0, -5));
    CHECK(d.gw == 0 && d.gh == 0);
    density_blur(&d);
    density_tone(&d, 1.f);
    density_contours(&d);
    DrawPoint one = {.x = 60.5f, .y = 45.5f, .color = DRAW_RGB(0, 158, 115), .radius = 1};
    CHECK(density_bin(&d, &(DensityDesc){.tint = true}, &one, NULL, 1, 120, 90));
    density_blur(&d);
    density_tone(&d, 1.f);
    density_contours(&d);
    CHECK(d.inside == 1);
    CHECK_NEAR(total(&d, 0), 1.0, 1e-5);
    size_t c = (size_t)(45 / 3) * (size_t)d.gw + 60 / 3;
    CHECK(at(&d, c, 0) == d.peak);   /* the peak is where the point is */
    CHECK(d.img[c] >> 24 == 255);     /* drawn opaque there */
    CHECK((d.img[c] & 0xFFFFFF) == 0x009E73); /* a single point's own colour at full t */
    CHECK(d.img[0] >> 24 == 0);        /* far away: nothing */
    size_t n = d.nseg;
    DensitySeg *ring = malloc(n * sizeof *ring);
    CHECK(ring);
    for (int l = 0; l < d.nlevels; l++) {
        size_t k = of_level(&d, l, ring);
        CHECK(k >= 4 && closed(ring, k) && crossings(ring, k, 60.5f, 45.5f) == 1);
    }
    free(ring);
    density_deinit(&d);
}

TEST(tint_is_the_mean_colour_and_segments_are_capped)
{
    enum { N = 4000 };
    DrawPoint *p = calloc(N, sizeof *p);
    CHECK(p);
    for (int i = 0; i < N; i++) { /* two blobs: orange on the left, blue on the right */
        bool left = i % 2;
        p[i].x = (left ? 60.f : 240.f) + 10.f * gauss();
        p[i].y = 100.f + 10.f * gauss();
        p[i].color = left ? DRAW_RGB(230, 159, 0) : DRAW_RGB(86, 180, 233);
    }
    Density d = {0};
    CHECK(density_bin(&d, &(DensityDesc){.tint = true}, p, NULL, N, 300, 200));
    density_blur(&d);
    density_tone(&d, 1.f);
    uint32_t l = d.img[(size_t)(100 / 3) * (size_t)d.gw + 60 / 3];
    uint32_t r = d.img[(size_t)(100 / 3) * (size_t)d.gw + 240 / 3];
    CHECK((l >> 16 & 255) > (l & 255));  /* orange: more red than blue */
    CHECK((r & 255) > (r >> 16 & 255));  /* blue */
    density_contours(&d);
    size_t all = d.nseg;
    CHECK(all > 20 && d.dropped == 0);
    d.desc.max_segments = 10;
    density_contours(&d);
    CHECK(d.nseg == 10 && d.dropped == all - 10);
    density_deinit(&d);
    free(p);
}

/* screen_pick's rule, as a plain scan: nearest within radius, then smaller depth, then lower
 * row. */
static int64_t scan_pick(const DrawPoint *p, const float *depth, size_t n, float x, float y, float r)
{
    int64_t best = -1;
    float bd = r * r;
    for (size_t i = 0; i < n; i++) {
        if (depth[i] <= 0)
            continue;
        float dx = p[i].x - x, dy = p[i].y - y, d = dx * dx + dy * dy;
        if (d < bd || (d == bd && best >= 0 && depth[i] < depth[best])) {
            bd = d;
            best = (int64_t)i;
        }
    }
    return best;
}

TEST(pick_by_cells_is_the_scan)
{
    enum { N = 30000 };
    DrawPoint *p = calloc(N, sizeof *p);
    float *depth = malloc(N * sizeof *depth);
    CHECK(p && depth);
    for (int i = 0; i < N; i++) {
        /* a third exact duplicates of an earlier point (full ties), some hidden, some off the
         * window (not binned, but never within the radius of an accepted cursor) */
        if (i > 10 && i % 3 == 0) {
            p[i] = p[i / 2];
            depth[i] = i % 2 ? depth[i / 2] : depth[i / 2] + 0.5f;
        } else {
            p[i].x = frand() * 340.f - 20.f;
            p[i].y = frand() * 240.f - 20.f;
            depth[i] = (float)(i % 4);  /* 0: hidden */
        }
    }
    Density d = {0};
    CHECK(density_bin(&d, &(DensityDesc){.cell = 4, .index = true}, p, depth, N, 300, 200));
    CHECK(d.indexed);
    int answered = 0;
    for (int k = 0; k < 3000; k++) {
        float x = frand() * 300.f, y = frand() * 200.f, r = 1.f + frand() * 9.f;
        if (k % 7 == 0) { /* on a point: distance 0, ties with its duplicates */
            int i = (int)(frand() * N);
            x = p[i].x, y = p[i].y;
        }
        int64_t got = density_pick(&d, p, depth, x, y, r);
        bool inside = x - r >= 0 && y - r >= 0 && x + r < 300 && y + r < 200;
        CHECK(inside ? got != -2 : got == -2);
        if (got == -2)
            continue;
        int64_t want = scan_pick(p, depth, N, x, y, r);
        CHECKF(got == want, "cursor %.2f %.2f r %.2f: %lld, the scan %lld", (double)x, (double)y,
               (double)r, (long long)got, (long long)want);
        answered++;
    }
    CHECK(answered > 1000);
    /* without the index it never answers */
    CHECK(density_bin(&d, &(DensityDesc){.cell = 4}, p, depth, N, 300, 200));
    CHECK(density_pick(&d, p, depth, 150.f, 100.f, 8.f) == -2);
    density_deinit(&d);
    free(p);
    free(depth);
}
