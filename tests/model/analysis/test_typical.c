/* Typical words of groups: on planted blobs that share a common direction (as trained vectors
 * do), with frequent generic words near the global mean and rare words off on their own, the
 * names are the blobs' own words; centrality alone or no frequency floor would pick the others.
 * Edge cases: one row, identical rows, empty groups, zero rows, bad input. */
#include "model/analysis/typical.h"
#include "tests/test.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double gauss(uint64_t *s)
{
    double u = ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
    double v = ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* Rows: NGEN generic words (most frequent), NB * PER blob words interleaved, NB * NRARE rare
 * words last. A vector is u + its blob's part + noise, u the direction all but the rare share. */
enum { NB = 5, PER = 60, NGEN = 20, NRARE = 4, D = 30, S = 32 };
enum { ROWS = NGEN + NB * PER + NB * NRARE, FLOOR = NGEN + NB * PER };

typedef enum { GENERIC, BLOB, RARE } Kind;

static Kind kind_of(int64_t r) { return r < NGEN ? GENERIC : r < FLOOR ? BLOB : RARE; }

/* Fills x and the true group of each row (a generic word joins the blob it leans to). */
static void make(float *x, int32_t *group)
{
    uint64_t s = 7;
    double dir[NB + 1][D]; /* dir[NB] is u */
    for (int b = 0; b <= NB; b++) {
        double n2 = 0;
        for (int d = 0; d < D; d++) {
            dir[b][d] = gauss(&s);
            n2 += dir[b][d] * dir[b][d];
        }
        for (int d = 0; d < D; d++)
            dir[b][d] /= sqrt(n2);
    }
    for (int64_t r = 0; r < ROWS; r++) {
        Kind k = kind_of(r);
        int b = k == GENERIC ? (int)(r % NB) : k == BLOB ? (int)((r - NGEN) % NB)
                                                          : (int)((r - FLOOR) % NB);
        /* the blob's weight and the noise's norm: generic words lean a little to a blob,
         * blob words are well inside theirs, rare words lie on its direction without the
         * shared one (as barely trained vectors do: nearer to nothing else) */
        double w = k == GENERIC ? 0.45 : 0.8, noise = k == GENERIC ? 0.1 : k == BLOB ? 0.8 : 0.02;
        double shared = k == RARE ? 0 : 1;
        for (int d = 0; d < D; d++)
            x[r * S + d] = (float)(shared * dir[NB][d] + w * dir[b][d] + noise * gauss(&s) / sqrt(D));
        for (int d = D; d < S; d++)
            x[r * S + d] = 99.f; /* padding past dim is never read */
        group[r] = b;
    }
}

static float X[ROWS * S];
static int32_t G[ROWS];

static void fixture(void)
{
    static bool made;
    if (!made)
        make(X, G);
    made = true;
}

static int count_kind(const int64_t *names, int n, Kind k)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += names[i] >= 0 && kind_of(names[i]) == k;
    return c;
}

TEST(names_are_the_blobs_own_words)
{
    fixture();
    int64_t names[NB * 4];
    Err e = {{0}};
    CHECKF(typical_name(X, ROWS, D, S, G, NB, &(TypicalDesc){.words = 4, .floor_rows = FLOOR},
                        names, &e), "%s", e.msg);
    for (int b = 0; b < NB; b++)
        for (int i = 0; i < 4; i++) {
            int64_t r = names[b * 4 + i];
            CHECKF(r >= 0 && kind_of(r) == BLOB && G[r] == b, "group %d name %d is row %lld",
                   b, i, (long long)r);
        }
}

/* The fixture tells the methods apart: what the score and the floor each guard against. */
TEST(centrality_alone_or_no_floor_would_not)
{
    fixture();
    int64_t names[NB * 4];
    Err e = {{0}};
    CHECK(typical_name(X, ROWS, D, S, G, NB, &(TypicalDesc){.words = 4, .floor_rows = FLOOR,
                       .other = -1}, names, &e));
    CHECKF(count_kind(names, NB * 4, GENERIC) >= NB, "centrality chose %d generic words",
           count_kind(names, NB * 4, GENERIC));
    CHECK(typical_name(X, ROWS, D, S, G, NB, &(TypicalDesc){.words = 4, .floor_rows = ROWS},
                       names, &e));
    CHECKF(count_kind(names, NB * 4, RARE) >= NB, "without a floor %d rare words",
           count_kind(names, NB * 4, RARE));
}

TEST(defaults)
{
    TypicalDesc d = typical_desc_defaults(NULL, 61561);
    CHECK(d.words == 3 && d.floor_rows == 61561 / 8 && d.other == 1);
    d = typical_desc_defaults(&(TypicalDesc){.words = 99, .other = -2}, 10);
    CHECK(d.words == TYPICAL_MAX_WORDS && d.floor_rows == 1000 && d.other == -2);
    TypicalDesc twice = typical_desc_defaults(&d, 10);
    CHECK(twice.other == d.other && twice.words == d.words && twice.floor_rows == d.floor_rows);
}

TEST(one_row_and_empty_groups)
{
    float x[4] = {1, 2, 3, 4};
    int32_t g[1] = {1};
    int64_t names[3 * 2];
    Err e = {{0}};
    CHECK(typical_name(x, 1, 4, 4, g, 3, &(TypicalDesc){.words = 2}, names, &e));
    CHECK(names[0] == -1 && names[1] == -1); /* group 0: empty */
    CHECK(names[2] == 0 && names[3] == -1);  /* group 1: its one row */
    CHECK(names[4] == -1 && names[5] == -1);
}

TEST(identical_rows_and_zero_rows)
{
    /* 10 rows on one direction, rows 3 and 7 zero, two groups: equal scores give the lower
     * (more frequent) rows, zero rows are never names */
    float x[10 * 3] = {0};
    int32_t g[10];
    for (int r = 0; r < 10; r++) {
        g[r] = r % 2;
        if (r != 3 && r != 7)
            x[r * 3] = 1, x[r * 3 + 1] = 2;
    }
    int64_t names[2 * 3];
    Err e = {{0}};
    CHECK(typical_name(x, 10, 3, 3, g, 2, &(TypicalDesc){.words = 3}, names, &e));
    const int64_t want[6] = {0, 2, 4, 1, 5, 9};
    for (int i = 0; i < 6; i++)
        CHECKF(names[i] == want[i], "name %d: row %lld", i, (long long)names[i]);
}

TEST(group_below_the_floor_takes_its_most_frequent)
{
    float x[8 * 2];
    int32_t g[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    for (int r = 0; r < 8; r++)
        x[r * 2] = (float)(r + 1), x[r * 2 + 1] = (float)(r % 3);
    int64_t names[2 * 2];
    Err e = {{0}};
    CHECK(typical_name(x, 8, 2, 2, g, 2, &(TypicalDesc){.words = 2, .floor_rows = 5}, names, &e));
    CHECK(names[0] >= 0 && names[0] < 4 && names[1] >= 0 && names[1] < 4);
    CHECK(names[2] == 4 && names[3] == 5); /* one member above the floor, then row 5 */
}

TEST(bad_input_says_where)
{
    float x[6] = {1, 0, 0, 1, NAN, 1};
    int32_t g[3] = {0, 1, 0};
    int64_t names[6];
    Err e = {{0}};
    CHECK(!typical_name(x, 3, 2, 2, g, 2, NULL, names, &e));
    CHECKF(strstr(e.msg, "row 2 column 0") != NULL, "%s", e.msg);
    x[4] = 0;
    g[1] = 2;
    CHECK(!typical_name(x, 3, 2, 2, g, 2, NULL, names, &e));
    CHECKF(strstr(e.msg, "row 1 has group 2") != NULL, "%s", e.msg);
    g[1] = 1;
    CHECK(!typical_name(x, 3, 2, 1, g, 2, NULL, names, &e)); /* stride < dim */
    CHECK(!typical_name(x, 0, 2, 2, g, 2, NULL, names, &e));
    CHECK(!typical_name(x, 3, 2, 2, g, 0, NULL, names, &e));
}
