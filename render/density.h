/* A density image of a big cloud: the projected points binned into a grid of screen cells, a
 * mass-preserving blur (three box passes, close to a Gaussian), a log tone map into colours
 * (viridis, or the points' own colours as a per-cell weighted mean so clusters still read) and
 * contour lines at a few density levels by marching squares. Pure: any thread, one Density per
 * thread; the same input gives the same bits. */
#ifndef EMBEDSCOPE_DENSITY_H
#define EMBEDSCOPE_DENSITY_H
#include "render/draw.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DENSITY_MAX_LEVELS 8

/* Zero means the default (density_desc_defaults shows them). */
typedef struct DensityDesc {
    int cell;             /* pixels per grid cell (3) */
    float sigma;          /* blur, in cells (2.5); < 0: no blur */
    int levels;           /* contour levels, at most DENSITY_MAX_LEVELS (4) */
    size_t max_segments;  /* contour segments kept, the rest counted in dropped (4000) */
    bool tint;            /* colour by the points' colours instead of viridis */
    bool index;           /* also list each cell's points, for density_pick */
} DensityDesc;
DensityDesc density_desc_defaults(void);

typedef struct DensitySeg {
    float x0, y0, x1, y1; /* pixels, y down */
    int level;            /* index into Density.level */
} DensitySeg;

typedef struct Density {
    DensityDesc desc;     /* in use: the defaults filled in */
    int w, h;             /* pixels covered by the grid */
    int gw, gh;           /* cells */
    int nch;              /* floats per cell: 1 (mass), or 4 with tint (mass, then the sums of
                             red, green and blue over the cell's points) */
    float *cells;         /* (gh, gw, nch) */
    size_t cap, img_cap, line_cap, ring_cap;
    float *line, *acc;    /* (line_cap) a row of the blur's passes */
    float *ring;          /* (ring_cap) the last spread rows of the vertical pass */
    size_t inside;        /* points binned (inside [0, w) x [0, h)) */
    float peak;           /* largest mass of a cell */
    uint32_t *img;        /* (gh, gw) 0xAARRGGBB after density_tone */
    DensitySeg *seg;      /* (nseg) after density_contours */
    size_t nseg, seg_cap, dropped;
    float level[DENSITY_MAX_LEVELS]; /* mass of each contour level, ascending */
    int nlevels;
    int32_t *head;        /* (gh, gw) first point of each cell, -1 (desc.index) */
    int32_t *next;        /* (n) the next point of the same cell, -1 */
    size_t head_cap, next_cap;
    bool indexed;         /* head and next describe the last density_bin */
} Density;

void density_deinit(Density *d);

/* Bins the points with finite coordinates inside [0, w) x [0, h) (alpha 0 ones too) and, when
 * depth is given, depth[i] > 0 (screen_points' hidden points fail) into cells of desc->cell
 * pixels, in order; desc NULL: defaults. False only when out of memory (d then holds an empty
 * grid). */
bool density_bin(Density *d, const DensityDesc *desc, const DrawPoint *pts, const float *depth,
                 size_t n, int w, int h);
/* The binned point nearest (x, y) within radius (d^2 < radius^2; ties: the smaller depth, then
 * the lower index), as a scan of every point with depth > 0 would find it, looking only at the
 * cells the radius reaches; -1 when none. -2 when it cannot tell: no index, or the cursor
 * within radius of the grid's edge (a point outside the grid could be nearer). */
int64_t density_pick(const Density *d, const DrawPoint *pts, const float *depth, float x, float y,
                     float radius);
/* Blurs every plane by desc.sigma cells; the total mass is kept (cells near the border spread
 * their mass over the cells that exist). Sets peak. */
void density_blur(Density *d);
/* img from the mass: t = log(1 + m) / log(1 + peak); empty cells transparent, alpha rising with
 * t up to opacity (0..1). */
void density_tone(Density *d, float opacity);
/* Closed contour lines (the grid is surrounded by empty cells) at desc.levels masses spread
 * evenly in the tone map's t between 0 and 1; segments through cell centres, in pixels. */
void density_contours(Density *d);

#endif
