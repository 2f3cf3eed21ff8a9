/* The Barnes-Hut 2^d-tree (see bhtree.h): Morton keys, a radix sort, the preorder cells built
 * from the sorted keys, and the forward walk that sums the repulsion on a group of points.
 * Build on one thread; walks from any number of threads. */
#include "model/layout/bhtree.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void bhtree_init(BhTree *t) { memset(t, 0, sizeof *t); }

void bhtree_deinit(BhTree *t)
{
    free(t->cells);
    free(t->leaf_of);
    free(t->order);
    free(t->keys);
    free(t->scratch);
    bhtree_init(t);
}

static bool grow(BhTree *t, int64_t n)
{
    if (n <= t->ncap)
        return true;
    BhCell *cells = realloc(t->cells, (size_t)(2 * n) * sizeof *cells);
    if (cells)
        t->cells = cells;
    int32_t **arr[3] = {&t->leaf_of, &t->order, &t->scratch};
    bool ok = cells != NULL;
    for (int a = 0; a < 3 && ok; a++) {
        int32_t *p = realloc(*arr[a], (size_t)n * sizeof *p);
        ok = p != NULL;
        if (ok)
            *arr[a] = p;
    }
    uint64_t *keys = ok ? realloc(t->keys, (size_t)(2 * n) * sizeof *keys) : NULL;
    if (!keys)
        return false;
    t->keys = keys;
    t->ncap = n;
    return true;
}

/* The bits of x (below 2^31, 2^21) spread to every 2nd (3rd) bit. */
static uint64_t spread2(uint64_t x)
{
    x &= 0x7fffffffu;
    x = (x | x << 16) & 0x0000ffff0000ffffull;
    x = (x | x << 8) & 0x00ff00ff00ff00ffull;
    x = (x | x << 4) & 0x0f0f0f0f0f0f0f0full;
    x = (x | x << 2) & 0x3333333333333333ull;
    x = (x | x << 1) & 0x5555555555555555ull;
    return x;
}

static uint64_t spread3(uint64_t x)
{
    x &= 0x1fffffu;
    x = (x | x << 32) & 0x001f00000000ffffull;
    x = (x | x << 16) & 0x001f0000ff0000ffull;
    x = (x | x << 8) & 0x100f00f00f00f00full;
    x = (x | x << 4) & 0x10c30c30c30c30c3ull;
    x = (x | x << 2) & 0x1249249249249249ull;
    return x;
}

/* Morton keys of the points in the bounding square (cube) of the layout, widened a little so
 * that every point falls inside; *width receives its width. */
static void morton(BhTree *t, const double *y, int64_t n, int dims, double *width)
{
    double lo[BHTREE_MAX_DIMS], hi[BHTREE_MAX_DIMS], w = 0;
    for (int k = 0; k < dims; k++)
        lo[k] = hi[k] = y[k];
    for (int64_t i = 1; i < n; i++)
        for (int k = 0; k < dims; k++) {
            double v = y[i * dims + k];
            lo[k] = v < lo[k] ? v : lo[k];
            hi[k] = v > hi[k] ? v : hi[k];
        }
    double scale = 0;
    for (int k = 0; k < dims; k++) {
        w = hi[k] - lo[k] > w ? hi[k] - lo[k] : w;
        scale = fabs(lo[k]) > scale ? fabs(lo[k]) : scale;
        scale = fabs(hi[k]) > scale ? fabs(hi[k]) : scale;
    }
    w = w * (1 + 1e-9) + scale * 1e-12 + 1e-300;
    const int levels = BHTREE_LEVELS(dims);
    const double cells = (double)(1ull << levels), top = cells - 1;
    for (int64_t i = 0; i < n; i++) {
        uint64_t key = 0;
        for (int k = 0; k < dims; k++) {
            double u = (y[i * dims + k] - lo[k]) / w * cells;
            uint64_t q = (uint64_t)(u < 0 ? 0 : u > top ? top : u);
            key |= (dims == 2 ? spread2(q) : spread3(q)) << k;
        }
        t->keys[i] = key;
        t->order[i] = (int32_t)i;
    }
    *width = w;
}

/* Stable LSD radix sort of (keys, order), 8 bits a pass, over the bits the keys use. */
static void sort_keys(BhTree *t, int64_t n, int bits)
{
    uint64_t *k0 = t->keys, *k1 = t->keys + n;
    int32_t *o0 = t->order, *o1 = t->scratch;
    for (int shift = 0; shift < bits; shift += 8) {
        int64_t count[257] = {0};
        for (int64_t i = 0; i < n; i++)
            count[(k0[i] >> shift & 0xff) + 1]++;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (int64_t i = 0; i < n; i++) {
            int64_t at = count[k0[i] >> shift & 0xff]++;
            k1[at] = k0[i];
            o1[at] = o0[i];
        }
        uint64_t *kt = k0;
        k0 = k1;
        k1 = kt;
        int32_t *ot = o0;
        o0 = o1;
        o1 = ot;
    }
    if (k0 != t->keys) { /* an odd number of passes */
        memcpy(t->keys, k0, (size_t)n * sizeof *k0);
        memcpy(t->order, o0, (size_t)n * sizeof *o0);
    }
}

typedef struct Build {
    BhTree *t;
    const double *y;
    int dims, levels;
} Build;

/* The cell of the sorted points [s, e), whose keys agree above `level` (their cell at level
 * `level` - 1 has width `width`); returns its index. Levels where all the points fall in one
 * child are skipped, so every internal cell has two or more children. Recursion depth <=
 * levels + 1. */
static int32_t build_cell(const Build *b, int64_t s, int64_t e, int level, double width)
{
    BhTree *t = b->t;
    const uint64_t *keys = t->keys;
    const int dims = b->dims;
    const uint64_t mask = (1u << dims) - 1;
    bool leaf = keys[s] == keys[e - 1];
    while (!leaf && ((keys[s] >> (b->levels - 1 - level) * dims & mask) ==
                     (keys[e - 1] >> (b->levels - 1 - level) * dims & mask))) {
        level++;
        width /= 2;
    }
    int32_t c = t->ncells++;
    double com[BHTREE_MAX_DIMS] = {0};
    if (leaf) {
        for (int64_t r = s; r < e; r++) {
            t->leaf_of[t->order[r]] = c;
            for (int k = 0; k < dims; k++)
                com[k] += b->y[(int64_t)t->order[r] * dims + k];
        }
    } else {
        const int shift = (b->levels - 1 - level) * dims;
        for (int64_t a = s; a < e;) {
            int64_t z = a + 1;
            while (z < e && (keys[z] >> shift & mask) == (keys[a] >> shift & mask))
                z++;
            int32_t ch = build_cell(b, a, z, level + 1, width / 2);
            for (int k = 0; k < dims; k++)
                com[k] += t->cells[ch].com[k] * t->cells[ch].count;
            a = z;
        }
    }
    BhCell *cell = &t->cells[c];
    for (int k = 0; k < dims; k++)
        cell->com[k] = com[k] / (double)(e - s);
    cell->width2 = width * width;
    cell->count = (int32_t)(e - s);
    cell->end = t->ncells;
    return c;
}

bool bhtree_build(BhTree *t, const double *y, int64_t n, int dims, Err *e)
{
    t->ncells = 0;
    t->n = 0;
    t->dims = dims;
    if (dims < 2 || dims > BHTREE_MAX_DIMS || n < 1)
        return err_set(e, "bhtree: %lld points in %d dimensions (want n >= 1, dims 2 or 3)",
                       (long long)n, dims);
    if (n >= INT32_MAX / 2)
        return err_set(e, "bhtree: %lld points is more than the tree's indices hold", (long long)n);
    if (!grow(t, n))
        return err_set(e, "bhtree: out of memory for %lld points", (long long)n);
    double width;
    morton(t, y, n, dims, &width);
    sort_keys(t, n, BHTREE_LEVELS(dims) * dims);
    Build b = {t, y, dims, BHTREE_LEVELS(dims)};
    build_cell(&b, 0, n, 0, width);
    t->n = n;
    return true;
}

/* The walk, written once for both dimensions and group sizes: bhtree_repulse calls it with
 * constants so that the compiler unrolls and vectorises the loops over coordinates and members.
 * A cell is taken whole when it is a leaf (less the member itself, for its own leaf) or when
 * it is small as seen from every member and holds none of them; else the walk steps into it
 * (c + 1); taking it skips its subtree (c = end). Members come in leaf order, so their leaves
 * are ascending and [lo, hi] bounds them all: opening every cell that meets that range opens
 * at least the cells that hold a member. */
static inline double walk(const BhTree *t, const double *y, int64_t first, double theta,
                          double *f, double *zs, const int dims, const int g)
{
    const double theta2 = theta * theta;
    const int32_t *pts = t->order + first;
    const int32_t lo = t->leaf_of[pts[0]], hi = t->leaf_of[pts[g - 1]], ncells = t->ncells;
    double p[BHTREE_MAX_DIMS][BHTREE_GROUP], acc[BHTREE_MAX_DIMS][BHTREE_GROUP] = {{0}};
    double z[BHTREE_GROUP] = {0};
    int32_t self[BHTREE_GROUP];
    for (int m = 0; m < g; m++) {
        self[m] = t->leaf_of[pts[m]];
        for (int k = 0; k < dims; k++)
            p[k][m] = y[(int64_t)pts[m] * dims + k];
    }
    for (int32_t c = 0; c < ncells;) {
        const BhCell *cell = &t->cells[c];
        double diff[BHTREE_MAX_DIMS][BHTREE_GROUP], d2[BHTREE_GROUP], dmin = INFINITY;
        for (int m = 0; m < g; m++) {
            d2[m] = 0;
            for (int k = 0; k < dims; k++) {
                diff[k][m] = p[k][m] - cell->com[k];
                d2[m] += diff[k][m] * diff[k][m];
            }
            dmin = d2[m] < dmin ? d2[m] : dmin;
        }
        bool leaf = cell->end == c + 1;
        if (!leaf && (cell->width2 >= theta2 * dmin || (lo < cell->end && hi >= c))) {
            c++;
            continue;
        }
        for (int m = 0; m < g; m++) {
            double mass = cell->count - (leaf && self[m] == c);
            double w = 1 / (1 + d2[m]);
            z[m] += mass * w;
            double mw2 = mass * w * w;
            for (int k = 0; k < dims; k++)
                acc[k][m] += mw2 * diff[k][m];
        }
        c = cell->end;
    }
    double zsum = 0;
    for (int m = 0; m < g; m++) {
        for (int k = 0; k < dims; k++)
            f[m * dims + k] = acc[k][m];
        zs[m] = z[m];
        zsum += z[m];
    }
    return zsum;
}

double bhtree_repulse(const BhTree *t, const double *y, int64_t first, int count, double theta,
                      double *f, double *z)
{
    if (first < 0 || count < 1 || count > BHTREE_GROUP || first + count > t->n)
        return 0;
    if (count == BHTREE_GROUP)
        return t->dims == 2 ? walk(t, y, first, theta, f, z, 2, BHTREE_GROUP)
                            : walk(t, y, first, theta, f, z, 3, BHTREE_GROUP);
    return t->dims == 2 ? walk(t, y, first, theta, f, z, 2, count)
                        : walk(t, y, first, theta, f, z, 3, count);
}
