/* Per-point screen work for a big cloud, split over a Pool: projecting every word to the screen
 * (position, radius, colour, depth), ordering the visible points far to near, interpolating
 * positions and picking. The results are the same bits whatever the number of threads, so a
 * test can compare them with the one-thread path. UI thread (the pool's workers run parts). */
#ifndef EMBEDSCOPE_SCREEN_H
#define EMBEDSCOPE_SCREEN_H
#include "render/draw.h"
#include "model/base/pool.h"
#include <cglm/struct.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCREEN_MAX_CHUNKS 32
#define SCREEN_DEPTH_BUCKETS 1024

/* Everything a point's pixels depend on besides its position and cluster. */
typedef struct ScreenView {
    mat4s m;                  /* view-projection (cam_matrix) */
    float vw, vh;             /* viewport, pixels */
    float scale;              /* output pixels per logical pixel */
    float dist;               /* camera distance: the size and brightness cue in 3D */
    float base;               /* point radius in logical pixels before the depth cue */
    bool two_d;               /* z is ignored and points keep word order */
    bool focus;               /* something is selected: dim every point (undim the few
                                 highlighted ones with screen_point) */
    int hover_cluster;        /* legend row under the mouse (the others dim), -1 */
    const uint32_t *palette;  /* (npalette) cluster colours */
    int npalette;
    const uint8_t *keep;      /* (rows) 0 hides a point (depth 0: not drawn, not picked);
                                 NULL keeps all */
    const uint32_t *colors;   /* (rows) each point's colour (its alpha ignored) instead of its
                                 cluster's; NULL: the palette */
} ScreenView;

typedef struct ScreenChunk {
    float lo, hi;             /* depth range of the chunk's visible points */
    uint32_t visible;
    uint32_t at[SCREEN_DEPTH_BUCKETS]; /* per depth bucket: count, then where the next goes */
} ScreenChunk;

typedef struct Screen {
    Pool *pool;               /* borrowed; NULL: everything on the caller */
    int nchunks;              /* rows are cut into this many contiguous chunks */
    ScreenChunk chunk[SCREEN_MAX_CHUNKS];
} Screen;

/* chunks <= 0: four per pool thread. */
void screen_init(Screen *p, Pool *pool, int chunks);

/* pts[i] and depth[i] (clip w; <= 0: behind the eye, hidden) for every row; xyz (rows, 3). */
void screen_points(Screen *p, const ScreenView *v, const float *xyz, const int16_t *cluster,
                 int64_t rows, DrawPoint *pts, float *depth);
/* The same for one row; dim: dimmed as an unrelated word when v->focus. */
void screen_point(const ScreenView *v, const float *xyz, const int16_t *cluster, int64_t i, bool dim,
                DrawPoint *pts, float *depth);
/* The visible points into sorted: far to near in 3D (a stable counting sort on depth, 1024
 * buckets), reversed word order in 2D (rare words first, frequent ones on top). Returns their
 * number. Uses the depth ranges of the last screen_points. */
size_t screen_order(Screen *p, bool two_d, const DrawPoint *pts, const float *depth, int64_t rows,
                  DrawPoint *sorted);
/* cur = from + (to - from) * s, n floats. */
void screen_lerp(Screen *p, float *cur, const float *from, const float *to, size_t n, float s);
/* The visible point nearest (x, y) within radius (ties: the nearer in depth, then the lower
 * row), or -1. */
int64_t screen_pick(Screen *p, const DrawPoint *pts, const float *depth, int64_t rows, float x,
                  float y, float radius);

#endif
