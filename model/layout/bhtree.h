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
/* Levels below the root. Points closer than (box width) / 2^40 share a leaf and act as one
 * body: without a cap, two equal points would split cells forever. */
#define BHTREE_MAX_DEPTH 40
/* Points that share one walk (bhtree_repulse): neighbours in leaf order, whose walks nearly
 * coincide, so the walk's branches and loads are paid once for all of them. */
#define BHTREE_GROUP 16

/* A node while building. */
typedef struct BhNode {
    double com[BHTREE_MAX_DIMS];    /* sum of the positions while building, then their mean */
    double center[BHTREE_MAX_DIMS]; /* of the cell */
    double half;                    /* half the cell's width (cells are squares, cubes) */
    int32_t child;                  /* first of the 2^dims children, -1 for a leaf */
    int32_t count;                  /* points below this node */
    int32_t point;                  /* leaf: first point of its chain (BhTree.next), else -1 */
} BhNode;

/* A non-empty node as the walk reads it: cells in depth-first preorder, so a cell's subtree
 * is cells [c + 1, end) and the walk moves forward through memory without a stack. */
typedef struct BhCell {
    double com[BHTREE_MAX_DIMS]; /* centre of mass */
    double width2;               /* squared width of the cell */
    int32_t end;                 /* one past the cell's last descendant; c + 1 for a leaf */
    int32_t count;               /* points in the cell */
} BhCell;

typedef struct BhTree {
    int dims;         /* 2 or 3 */
    int64_t n;        /* points of the last build */
    BhNode *nodes;    /* build nodes, [0] is the root */
    int32_t nnodes, cap;
    BhCell *cells;    /* the walk's tree, [0] is the root */
    int32_t ncells, cellcap;
    int32_t *leaf_of; /* (n) the cell of each point's leaf */
    int32_t *next;    /* (n) the next point of the same leaf, -1 at the end of the chain */
    int32_t *order;   /* (n) the points leaf by leaf in preorder: near points are near in it */
    int64_t ncap;     /* capacity of leaf_of, next and order */
    int64_t order_n;  /* points in order from the last build (0: none); the next build of as
                       * many points inserts them in that order */
} BhTree;

void bhtree_init(BhTree *t);
void bhtree_deinit(BhTree *t);

/* Builds the tree over y ((n, dims) doubles, finite), reusing the memory of the previous build.
 * Points are inserted in index order, or in the previous build's order when it had n points
 * too. The cells are the same either way (to the rounding of their centres of mass), and a
 * sequence of builds is a function of the sequence of layouts. False (tree empty) when out
 * of memory or n does not fit the node indices. */
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
