/* The Barnes-Hut 2^d-tree of t-SNE (a quadtree in 2D, an octree in 3D): built from the layout
 * once per iteration, then asked for the repulsive force on each point, which it approximates
 * by the centre of mass of every cell that is small as seen from the point (width / distance
 * < theta). Building belongs to one thread; a built tree is read-only, so any number of threads
 * may query it at once (t-SNE's pool tasks do). */
#ifndef EMBEDSCOPE_BHTREE_H
#define EMBEDSCOPE_BHTREE_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stdint.h>

#define BHTREE_MAX_DIMS 3
/* Levels of the tree: a point's cell at each level is read from its Morton key, 31 bits per
 * coordinate in 2D and 21 in 3D (62, 63 bits). Points whose keys are equal (closer than the
 * root's width / 2^31, 2^21) share a leaf and act as one body, so equal points cannot split
 * cells forever. */
#define BHTREE_LEVELS(dims) ((dims) == 2 ? 31 : 21)
/* Points that share one walk (bhtree_repulse): neighbours in leaf order, whose walks nearly
 * coincide, so the walk's branches and loads are paid once for all of them. */
#define BHTREE_GROUP 16

/* A cell as the walk reads it: cells in depth-first preorder, so a cell's subtree is cells
 * [c + 1, end) and the walk moves forward through memory without a stack. Only non-empty
 * cells with two or more children are kept (a chain of one-child cells becomes its last,
 * smallest cell), so there are fewer than 2n. */
typedef struct BhCell {
    double com[BHTREE_MAX_DIMS]; /* centre of mass */
    double width2;               /* squared width of the cell's square (cube) */
    int32_t end;                 /* one past the cell's last descendant; c + 1 for a leaf */
    int32_t count;               /* points in the cell */
} BhCell;

typedef struct BhTree {
    int dims;         /* 2 or 3 */
    int64_t n;        /* points of the last build */
    BhCell *cells;    /* [0] is the root */
    int32_t ncells;
    int32_t *leaf_of; /* (n) the cell of each point's leaf */
    int32_t *order;   /* (n) the points leaf by leaf in preorder (Morton order): points near in
                       * the layout are near in it */
    uint64_t *keys;   /* (2n) Morton keys in order, then the sort's scratch */
    int32_t *scratch; /* (n) the sort's scratch */
    int64_t ncap;     /* points the arrays hold */
} BhTree;

void bhtree_init(BhTree *t);
void bhtree_deinit(BhTree *t);

/* Builds the tree over y ((n, dims) doubles, finite), reusing the memory of the previous
 * build: Morton keys in the bounding square (cube) of the points, a stable radix sort (equal
 * keys stay in index order), then the cells from the sorted keys. The tree is a function of y
 * alone. False (tree empty) when out of memory or n does not fit the cell indices. */
bool bhtree_build(BhTree *t, const double *y, int64_t n, int dims, Err *e);

/* Repulsion on the points order[first .. first + count) of the last build (count 1 ..
 * BHTREE_GROUP; y as given to the build), which share one walk: for each such point i, member
 * m, f[m * dims ..] = sum_{j != i} w_ij^2 (y_i - y_j) and z[m] = sum_{j != i} w_ij, with
 * w_ij = 1 / (1 + |y_i - y_j|^2) and cells of width / distance < theta (for every member) taken
 * as one body at their centre of mass. Returns the sum of z. A cell that holds a member is
 * always opened, so theta only trades accuracy for time; theta 0 opens every cell (the exact
 * sum, except for points that share a leaf). Sharing the walk opens a few more cells than one
 * point alone would need, so a group is never less accurate than its members walked apart. */
double bhtree_repulse(const BhTree *t, const double *y, int64_t first, int count, double theta,
                      double *f, double *z);

#endif
