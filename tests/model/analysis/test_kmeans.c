/* Spherical k-means: planted blobs on the sphere, id identity under warm restarts, labels,
 * degenerate data and failure cases. */
#include "model/vectors/embed.h"
#include "model/analysis/kmeans.h"
#include "model/analysis/typical.h"
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

static double rng_gauss(uint64_t *s)
{
    double u = ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
    double v = ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

enum { NB = 6, PER = 300, D = 40, S = 48 };

/* NB blobs of PER rows around random unit directions, rows interleaved (row r is in blob
 * r % NB), each row scaled by a random factor (cosine must not care), plus noise with norm
 * ~ noise * sqrt(D). */
static float *blobs(double noise, uint64_t seed, double *dirs)
{
    float *x = emb_aligned_alloc(sizeof(float) * NB * PER * S);
    uint64_t s = 1000;
    for (int b = 0; b < NB; b++) { /* fixed directions for every call */
        double n2 = 0;
        for (int d = 0; d < D; d++) {
            dirs[b * D + d] = rng_gauss(&s);
            n2 += dirs[b * D + d] * dirs[b * D + d];
        }
        for (int d = 0; d < D; d++)
            dirs[b * D + d] /= sqrt(n2);
    }
    for (int r = 0; r < NB * PER; r++) {
        double scale = 0.5 + 3 * (double)(rng_next(&seed) >> 11) / 9007199254740992.0;
        for (int d = 0; d < D; d++)
            x[r * S + d] = (float)(scale * (dirs[(r % NB) * D + d] + noise * rng_gauss(&seed)));
    }
    return x;
}

/* Every blob maps to one cluster and no two blobs share one; map[b] = its cluster. */
static bool pure(const Kmeans *km, int *map)
{
    for (int b = 0; b < NB; b++)
        map[b] = km->assign[b];
    for (int r = 0; r < NB * PER; r++)
        if (km->assign[r] != map[r % NB])
            return false;
    for (int a = 0; a < NB; a++)
        for (int b = a + 1; b < NB; b++)
            if (map[a] == map[b])
                return false;
    return true;
}

TEST(default_k)
{
    CHECK(kmeans_default_k(0) == 1 && kmeans_default_k(1) == 1 && kmeans_default_k(3) == 1);
    CHECK(kmeans_default_k(200) == 10);   /* sqrt(100) */
    CHECK(kmeans_default_k(1250) == 25);  /* sqrt(625) */
    CHECK(kmeans_default_k(10000) == 30); /* sqrt(5000) = 70.7, capped */
    KmeansDesc d = kmeans_desc_defaults(NULL);
    CHECK(d.k == 0 && d.iters == 20 && d.label_words == 3 && d.pool == NULL);
}

TEST(separates_planted_blobs)
{
    double dirs[NB * D];
    /* noise 0.12 per coordinate: noise norm ~0.76 against a unit direction, so members sit at
     * cosine ~0.8 of their direction while random directions in 40-d are ~0.16 apart */
    float *x = blobs(0.12, 7, dirs);
    Kmeans km;
    kmeans_init(&km, &(KmeansDesc){.k = NB});
    Err e = {0};
    CHECKF(kmeans_update(&km, x, NB * PER, D, S, &e), "%s", e.msg);
    int map[NB];
    CHECK(km.reseeded && km.k == NB);
    CHECK(pure(&km, map));
    for (int b = 0; b < NB; b++) {
        CHECK(km.size[map[b]] == PER);
        double c = 0; /* centroid ~ the planted direction */
        for (int d = 0; d < D; d++)
            c += km.centroids[map[b] * km.dpad + d] * dirs[b * D + d];
        CHECKF(c > 0.98, "blob %d centroid cos %g", b, c);
    }
    CHECK(km.mean_cos > 0.7 && km.mean_cos < 0.95);
    kmeans_deinit(&km);
    free(x);
}

TEST(warm_restart_keeps_ids)
{
    double dirs[NB * D];
    float *x = blobs(0.12, 7, dirs);
    Kmeans km;
    kmeans_init(&km, &(KmeansDesc){.k = NB, .seed = 5});
    Err e = {0};
    CHECK(kmeans_update(&km, x, NB * PER, D, S, &e));
    int map0[NB], map1[NB];
    CHECK(pure(&km, map0));
    /* a new sample of the same blobs (as training moves every vector) and a different seed:
     * a warm update must not draw seeds at all, so ids stay */
    free(x);
    x = blobs(0.12, 99, dirs);
    km.desc.seed = 12345;
    Pool *two = pool_create(2);
    km.desc.pool = two;      /* new scratch sizes, same centroids */
    km.desc.label_words = 5;
    CHECK(kmeans_update(&km, x, NB * PER, D, S, &e));
    CHECK(km.label_words == 5 && kmeans_label(&km, 0)[4] >= 0);
    CHECK(!km.reseeded && pure(&km, map1));
    for (int b = 0; b < NB; b++)
        CHECK(map0[b] == map1[b]);
    /* a cold run with that other seed finds the same partition, under its own ids */
    Kmeans cold;
    kmeans_init(&cold, &(KmeansDesc){.k = NB, .seed = 12345});
    CHECK(kmeans_update(&cold, x, NB * PER, D, S, &e));
    pool_destroy(two);
    CHECK(pure(&cold, map1));
    kmeans_deinit(&cold);
    kmeans_deinit(&km);
    free(x);
}

/* The labels are typical.h's names of the clusters (its own tests say what those are): members
 * above the frequency floor, most typical first. */
TEST(labels_are_typical_members)
{
    double dirs[NB * D];
    float *x = blobs(0.2, 3, dirs);
    Kmeans km;
    kmeans_init(&km, &(KmeansDesc){.k = NB, .label_floor = 20 * NB, .label_words = 4});
    Err e = {0};
    CHECK(kmeans_update(&km, x, NB * PER, D, S, &e));
    int64_t want[NB * 4];
    CHECK(typical_name(x, NB * PER, D, S, km.assign, NB,
                       &(TypicalDesc){.words = 4, .floor_rows = 20 * NB}, want, &e));
    for (int c = 0; c < NB; c++) {
        const int64_t *lab = kmeans_label(&km, c);
        for (int i = 0; i < 4; i++) {
            CHECK(lab[i] >= 0 && km.assign[lab[i]] == c && lab[i] < 20 * NB);
            CHECK(lab[i] == want[c * 4 + i]);
        }
    }
    kmeans_deinit(&km);
    free(x);
}

TEST(degenerate_data)
{
    /* 50 rows, only two distinct directions, some zero rows, k = 5: clusters may be empty at
     * first; the run must finish with sane centroids and every row accounted for */
    float *x = emb_aligned_alloc(sizeof(float) * 50 * 16);
    for (int r = 0; r < 50; r++) {
        if (r % 10 == 9)
            continue;
        x[r * 16 + (r % 2)] = (float)(1 + r);
    }
    Kmeans km;
    kmeans_init(&km, &(KmeansDesc){.k = 5});
    Err e = {0};
    CHECKF(kmeans_update(&km, x, 50, 16, 16, &e), "%s", e.msg);
    int64_t total = 0;
    for (int c = 0; c < 5; c++) {
        total += km.size[c];
        for (int d = 0; d < 16; d++)
            CHECK(isfinite(km.centroids[c * km.dpad + d]));
    }
    CHECK(total == 50);
    for (int r = 0; r < 50; r++) /* rows of the same direction share a cosine of 1 */
        if (r % 10 != 9)
            CHECK(fabsf(km.fit[r] - 1) < 1e-6f);
    for (int c = 0; c < 5; c++)
        for (int i = 0; i < 3; i++) {
            int64_t l = kmeans_label(&km, c)[i];
            CHECK(l == -1 || (l % 10 != 9 && km.assign[l] == c)); /* zero rows never label */
        }
    kmeans_deinit(&km);
    free(x);
}

TEST(threads_agree)
{
    double dirs[NB * D];
    float *x = blobs(0.3, 11, dirs); /* noisier: some rows sit between blobs */
    Kmeans a, b;
    Pool *three = pool_create(3);
    kmeans_init(&a, &(KmeansDesc){.k = 8});
    kmeans_init(&b, &(KmeansDesc){.k = 8, .pool = three});
    CHECK(pool_threads(three) == 3);
    Err e = {0};
    CHECK(kmeans_update(&a, x, NB * PER, D, S, &e) && kmeans_update(&b, x, NB * PER, D, S, &e));
    /* seeding reads per-row cosines only (no reduction), so both start from the same seeds;
     * later sums differ in the last bits, which could only flip a row sitting exactly on a
     * boundary: allow a handful */
    int diff = 0;
    for (int r = 0; r < NB * PER; r++)
        diff += a.assign[r] != b.assign[r];
    CHECKF(diff <= 3, "%d rows differ", diff);
    kmeans_deinit(&a);
    kmeans_deinit(&b);
    pool_destroy(three);
    free(x);
}

TEST(failures_keep_previous)
{
    double dirs[NB * D];
    float *x = blobs(0.12, 7, dirs);
    Kmeans km;
    kmeans_init(&km, &(KmeansDesc){.k = NB});
    Err e = {0};
    CHECK(!kmeans_step(&km, x, NB * PER, D, S, &e) && strstr(e.msg, "prior update"));
    CHECK(kmeans_update(&km, x, NB * PER, D, S, &e));
    int32_t *before = malloc(sizeof(int32_t) * NB * PER);
    memcpy(before, km.assign, sizeof(int32_t) * NB * PER);
    x[77 * S + 5] = NAN;
    CHECK(!kmeans_update(&km, x, NB * PER, D, S, &e) && strstr(e.msg, "row 77 column 5"));
    CHECK(memcmp(before, km.assign, sizeof(int32_t) * NB * PER) == 0 && km.have);
    CHECK(!kmeans_update(&km, x, 0, D, S, &e) && strstr(e.msg, "shape"));
    CHECK(!kmeans_update(&km, x, NB * PER, D, D - 1, &e));
    x[77 * S + 5] = 0;
    CHECK(kmeans_step(&km, x, NB * PER, D, S, &e));
    kmeans_deinit(&km);
    kmeans_deinit(NULL);
    free(before);
    free(x);
}
