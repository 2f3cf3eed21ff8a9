/* The Barnes-Hut 2^d-tree (see bhtree.h): insertion in index order into a node array that
 * keeps its capacity between builds, and the stack walk that sums the repulsion on one point.
 * Build on one thread; queries from any number of threads. */
#include "model/layout/bhtree.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void bhtree_init(BhTree *t) { memset(t, 0, sizeof *t); }

void bhtree_deinit(BhTree *t)
{
    free(t->nodes);
    free(t->cells);
    free(t->leaf_of);
    free(t->next);
    free(t->order);
    bhtree_init(t);
}

static void node_clear(BhNode *nd)
{
    memset(nd, 0, sizeof *nd);
    nd->child = -1;
    nd->point = -1;
}

/* Room for `more` nodes; false when out of memory or past the int32 indices. */
static bool reserve(BhTree *t, int32_t more)
{
    if (t->nnodes <= t->cap - more)
        return true;
    int64_t want = (int64_t)t->cap * 2 + more;
    if (want > INT32_MAX)
        want = INT32_MAX;
    if (want - t->nnodes < more)
        return false;
    BhNode *nodes = realloc(t->nodes, (size_t)want * sizeof *nodes);
    if (!nodes)
        return false;
    t->nodes = nodes;
    t->cap = (int32_t)want;
    return true;
}

static int which_child(const BhNode *nd, const double *p, int dims)
{
    int c = 0;
    for (int k = 0; k < dims; k++)
        if (p[k] >= nd->center[k])
            c |= 1 << k;
    return c;
}

/* Turns leaf `node` into an internal node and moves its points (one point, or a chain of
 * points at one position) into the child that holds them. */
static bool split(BhTree *t, int32_t node, const double *y, int dims)
{
    int nchild = 1 << dims;
    if (!reserve(t, nchild))
        return false;
    int32_t first = t->nnodes;
    t->nnodes += nchild;
    BhNode *nd = &t->nodes[node];
    double quarter = nd->half / 2;
    for (int c = 0; c < nchild; c++) {
        BhNode *ch = &t->nodes[first + c];
        node_clear(ch);
        ch->half = quarter;
        for (int k = 0; k < dims; k++)
            ch->center[k] = nd->center[k] + ((c >> k & 1) ? quarter : -quarter);
    }
    int32_t head = nd->point;
    BhNode *ch = &t->nodes[first + which_child(nd, y + (int64_t)head * dims, dims)];
    ch->point = head;
    ch->count = nd->count;
    memcpy(ch->com, nd->com, sizeof ch->com);
    nd->child = first;
    nd->point = -1;
    return true;
}

static bool same_point(const double *a, const double *b, int dims)
{
    for (int k = 0; k < dims; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

static bool insert(BhTree *t, const double *y, int32_t i, int dims)
{
    const double *p = y + (int64_t)i * dims;
    int32_t node = 0;
    for (int depth = 0;; depth++) {
        BhNode *nd = &t->nodes[node];
        if (nd->child < 0 && nd->count > 0 &&
            depth < BHTREE_MAX_DEPTH && !same_point(y + (int64_t)nd->point * dims, p, dims)) {
            if (!split(t, node, y, dims))
                return false;
            nd = &t->nodes[node]; /* split may have moved the array */
        }
        nd->count++;
        for (int k = 0; k < dims; k++)
            nd->com[k] += p[k];
        if (nd->child < 0) { /* an empty leaf, or one at the same position or the depth cap */
            t->next[i] = nd->point;
            nd->point = i;
            return true;
        }
        node = nd->child + which_child(nd, p, dims);
    }
}

/* The root: the bounding square (cube) of the points, widened a little so that every point
 * falls strictly inside. */
static void root_box(BhNode *root, const double *y, int64_t n, int dims)
{
    double lo[BHTREE_MAX_DIMS], hi[BHTREE_MAX_DIMS];
    for (int k = 0; k < dims; k++)
        lo[k] = hi[k] = y[k];
    for (int64_t i = 1; i < n; i++)
        for (int k = 0; k < dims; k++) {
            double v = y[i * dims + k];
            lo[k] = v < lo[k] ? v : lo[k];
            hi[k] = v > hi[k] ? v : hi[k];
        }
    double half = 0;
    for (int k = 0; k < dims; k++) {
        root->center[k] = lo[k] / 2 + hi[k] / 2;
        double h = hi[k] / 2 - lo[k] / 2;
        half = h > half ? h : half;
    }
    double scale = 0;
    for (int k = 0; k < dims; k++)
        scale = fabs(root->center[k]) > scale ? fabs(root->center[k]) : scale;
    root->half = half * (1 + 1e-9) + scale * 1e-12 + 1e-300;
}

/* Writes the non-empty subtree of build node `node` in preorder from cell t->ncells on; the
 * points of each leaf go to t->order in the same walk. Recursion depth <= BHTREE_MAX_DEPTH. */
static void emit(BhTree *t, int32_t node, int64_t *pos)
{
    const BhNode *nd = &t->nodes[node];
    int32_t c = t->ncells++;
    BhCell *cell = &t->cells[c];
    memcpy(cell->com, nd->com, sizeof cell->com);
    cell->width2 = 4 * nd->half * nd->half;
    cell->count = nd->count;
    if (nd->child < 0) {
        for (int32_t m = nd->point; m >= 0; m = t->next[m]) {
            t->leaf_of[m] = c;
            t->order[(*pos)++] = m;
        }
    } else {
        for (int k = 0; k < 1 << t->dims; k++)
            if (t->nodes[nd->child + k].count > 0)
                emit(t, nd->child + k, pos);
    }
    t->cells[c].end = t->ncells;
}

static bool grow_points(BhTree *t, int64_t n)
{
    if (n <= t->ncap)
        return true;
    int32_t **arr[3] = {&t->leaf_of, &t->next, &t->order};
    for (int a = 0; a < 3; a++) {
        int32_t *p = realloc(*arr[a], (size_t)n * sizeof *p);
        if (!p)
            return false;
        *arr[a] = p;
    }
    t->ncap = n;
    return true;
}

bool bhtree_build(BhTree *t, const double *y, int64_t n, int dims, Err *e)
{
    t->nnodes = t->ncells = 0;
    if (t->n != n)
        t->order_n = 0;
    t->n = 0;
    t->dims = dims;
    if (dims < 2 || dims > BHTREE_MAX_DIMS || n < 1)
        return err_set(e, "bhtree: %lld points in %d dimensions (want n >= 1, dims 2 or 3)",
                       (long long)n, dims);
    if (n >= INT32_MAX / 16)
        return err_set(e, "bhtree: %lld points is more than the tree's indices hold", (long long)n);
    if (!grow_points(t, n) || !reserve(t, 1))
        return err_set(e, "bhtree: out of memory for %lld points", (long long)n);
    t->nnodes = 1;
    node_clear(&t->nodes[0]);
    root_box(&t->nodes[0], y, n, dims);
    /* After a build of the same points, insert in its leaf order: successive insertions then
     * descend the same paths while they are in cache. */
    bool reorder = t->order_n == n;
    for (int64_t s = 0; s < n; s++)
        if (!insert(t, y, reorder ? t->order[s] : (int32_t)s, dims)) {
            t->order_n = 0;
            t->nnodes = 0;
            return err_set(e, "bhtree: out of memory at point %lld of %lld", (long long)s,
                           (long long)n);
        }
    for (int32_t m = 0; m < t->nnodes; m++) {
        BhNode *nd = &t->nodes[m];
        for (int k = 0; k < dims; k++)
            nd->com[k] = nd->count > 0 ? nd->com[k] / nd->count : 0;
    }
    if (t->cellcap < t->nnodes) {
        BhCell *cells = realloc(t->cells, (size_t)t->nnodes * sizeof *cells);
        if (!cells) {
            err_set(e, "bhtree: out of memory for %d cells", (int)t->nnodes);
            t->nnodes = 0;
            t->order_n = 0;
            return false;
        }
        t->cells = cells;
        t->cellcap = t->nnodes;
    }
    int64_t pos = 0;
    emit(t, 0, &pos);
    t->n = t->order_n = n;
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
