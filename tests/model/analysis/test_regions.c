/* Dense regions of a 2D layout: planted Gaussian blobs over a thin uniform background are found
 * once each, at their centres, with their members; one blob gives one region; one point, all
 * points on one spot and bad input give clear answers. */
#include "model/analysis/regions.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double unit(uint64_t *s) { return ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0; }

static double gauss(uint64_t *s) { return sqrt(-2 * log(unit(s))) * cos(6.283185307179586 * unit(s)); }

enum { NB = 4, NOISE = 300 };
static const double centre[NB][2] = {{0, 0}, {10, 1}, {3, 9}, {-6, 7}};
static const double spread[NB] = {1.0, 1.4, 0.8, 1.1};
static const int count[NB] = {1200, 900, 500, 300};

/* Blob members first (blob b's rows together), then NOISE uniform points over the box; rows of
 * stride 3, z a large value regions must ignore. Returns the rows. */
static int64_t make(float *xy, int *truth)
{
    uint64_t s = 11;
    int64_t n = 0;
    for (int b = 0; b < NB; b++)
        for (int i = 0; i < count[b]; i++, n++) {
            xy[n * 3] = (float)(centre[b][0] + spread[b] * gauss(&s));
            xy[n * 3 + 1] = (float)(centre[b][1] + spread[b] * gauss(&s));
            xy[n * 3 + 2] = 1e6f;
            truth[n] = b;
        }
    for (int i = 0; i < NOISE; i++, n++) {
        xy[n * 3] = (float)(-10 + 24 * unit(&s));
        xy[n * 3 + 1] = (float)(-5 + 18 * unit(&s));
        xy[n * 3 + 2] = -1e6f;
        truth[n] = -1;
    }
    return n;
}

TEST(blobs_are_found_once_each_with_their_members)
{
    static float xy[(1200 + 900 + 500 + 300 + NOISE) * 3];
    static int truth[1200 + 900 + 500 + 300 + NOISE];
    int64_t rows = make(xy, truth);
    Regions r = {0};
    Err e = {{0}};
    CHECKF(regions_find(&r, xy, rows, 3, NULL, &e), "%s", e.msg);
    CHECKF(r.n == NB, "%d regions", r.n);
    CHECK(r.rows == rows);
    int of_blob[NB];
    for (int b = 0; b < NB; b++) { /* the region whose peak is at blob b's centre */
        of_blob[b] = -1;
        for (int k = 0; k < r.n; k++) {
            /* a cell is 1/128 of the ~26-wide extent and the blur moves a peak by noise only:
             * within half the blob's spread */
            double dx = r.region[k].x - centre[b][0], dy = r.region[k].y - centre[b][1];
            if (sqrt(dx * dx + dy * dy) < 0.5 * spread[b]) {
                CHECKF(of_blob[b] < 0, "blob %d has two peaks", b);
                of_blob[b] = k;
            }
        }
        CHECKF(of_blob[b] >= 0, "blob %d has no peak", b);
    }
    for (int k = 1; k < r.n; k++)
        CHECK(r.region[k - 1].prominence >= r.region[k].prominence);
    int64_t right[NB] = {0}, sizes[NB] = {0};
    for (int64_t i = 0; i < rows; i++) {
        CHECK(r.member[i] >= -1 && r.member[i] < r.n);
        if (r.member[i] >= 0)
            sizes[r.member[i]]++;
        if (truth[i] >= 0 && r.member[i] == of_blob[truth[i]])
            right[truth[i]]++;
    }
    for (int b = 0; b < NB; b++) {
        /* the basins split where the density is lowest, 2.5 to 4 spreads out; a blob's tail
         * beyond that (a few %) or under the floor may go elsewhere */
        CHECKF(right[b] >= count[b] * 9 / 10, "blob %d: %lld of %d", b, (long long)right[b],
               count[b]);
        CHECK(sizes[of_blob[b]] == r.region[of_blob[b]].size);
    }
    regions_deinit(&r);
}

TEST(one_blob_is_one_region)
{
    static float xy[2000 * 2];
    uint64_t s = 5;
    for (int i = 0; i < 2000; i++)
        xy[i * 2] = (float)gauss(&s), xy[i * 2 + 1] = (float)(3 * gauss(&s));
    Regions r = {0};
    Err e = {{0}};
    CHECKF(regions_find(&r, xy, 2000, 2, NULL, &e), "%s", e.msg);
    CHECKF(r.n == 1, "%d regions", r.n);
    CHECK(fabs(r.region[0].x) < 0.5 && fabs(r.region[0].y) < 1.5);
    CHECK(r.region[0].size > 1900);
    regions_deinit(&r);
}

TEST(one_point_and_one_spot)
{
    float xy[3 * 2] = {2, 3, 2, 3, 2, 3};
    Regions r = {0};
    Err e = {{0}};
    CHECK(regions_find(&r, xy, 1, 2, NULL, &e));
    CHECK(r.n == 1 && r.region[0].x == 2 && r.region[0].y == 3 && r.region[0].size == 1);
    CHECK(r.member[0] == 0);
    CHECK(regions_find(&r, xy, 3, 2, NULL, &e)); /* replaces the previous result */
    CHECK(r.n == 1 && r.region[0].size == 3 && r.member[2] == 0 && r.rows == 3);
    regions_deinit(&r);
    regions_deinit(&r); /* twice is fine */
}

TEST(bad_input_keeps_the_result)
{
    float xy[4] = {0, 1, NAN, 2};
    Regions r = {0};
    Err e = {{0}};
    CHECK(regions_find(&r, xy, 1, 2, NULL, &e));
    CHECK(!regions_find(&r, xy, 2, 2, NULL, &e));
    CHECKF(strstr(e.msg, "point 1") != NULL, "%s", e.msg);
    CHECK(r.n == 1 && r.rows == 1);
    CHECK(!regions_find(&r, xy, 2, 1, NULL, &e));
    CHECK(!regions_find(&r, NULL, 2, 2, NULL, &e));
    CHECK(!regions_find(&r, xy, 0, 2, NULL, &e));
    regions_deinit(&r);
}

TEST(defaults)
{
    RegionsDesc d = regions_desc_defaults(NULL, 61561);
    CHECK(d.grid == 128 && d.sigma == 0 && d.smooth == 0.3 && d.prominence == 0.05);
    CHECK(d.min_size == 61);
    CHECK(d.max_regions == 64 && d.floor == 0.02);
    d = regions_desc_defaults(&(RegionsDesc){.grid = 3, .sigma = -1}, 10);
    CHECK(d.grid == 8 && d.sigma == 0 && d.min_size == 10 && d.noise == 3);
    d = regions_desc_defaults(&(RegionsDesc){.noise = -1}, 10);
    CHECK(regions_desc_defaults(&d, 10).noise == -1); /* off stays off */
}
