/* A software canvas: anti-aliased rects, lines, arrows, discs and atlas text splatted into one
 * 0xAARRGGBB pixel buffer, which the window uploads as a single streaming texture. On a
 * machine without a GPU this beats SDL's per-quad renderers by an order of magnitude.
 * Main thread (or any one thread per canvas); canvas_points lends bands of it to a pool. */
#ifndef EMBEDSCOPE_CANVAS_H
#define EMBEDSCOPE_CANVAS_H
#include "render/draw.h"
#include "render/font.h"
#include "model/base/pool.h"
#include <stdint.h>

/* Scratch for splatting many points on a pool (canvas_points): the points are grouped by
 * horizontal bands of the canvas and each band is splatted by one thread in the points' order,
 * so every pixel gets the same blends in the same order as the one-thread loop. Owned by the
 * caller (zero-initialised, then canvas_splat_deinit); a Canvas borrows it. */
#define CANVAS_MAX_BANDS 64
#define CANVAS_MAX_CHUNKS 32
typedef struct CanvasSplat {
    Pool *pool;         /* borrowed; NULL: one thread */
    uint32_t *idx;      /* (cap) point indices grouped by band, grown, never shrunk */
    size_t cap;
    uint32_t count[CANVAS_MAX_CHUNKS][CANVAS_MAX_BANDS + 1]; /* per chunk of points, per band */
    double last_ms;     /* the calling thread's CPU ms in the last canvas_points (where a
                           frame's time goes) */
} CanvasSplat;
void canvas_splat_deinit(CanvasSplat *s);

typedef struct Canvas {
    uint32_t *px;       /* (h, pitch) pixels, opaque */
    int w, h, pitch;    /* pitch in pixels */
    int cx0, cy0, cx1, cy1; /* clip, half-open */
    const Font *fonts[2];   /* 0: UI, 1: labels */
    CanvasSplat *splat;     /* borrowed, or NULL: DRAW_POINTS on one thread */
} Canvas;

void canvas_clip(Canvas *c, int x, int y, int w, int h); /* w < 0: whole canvas */
void canvas_clear(Canvas *c, uint32_t color);
void canvas_rect(Canvas *c, float x, float y, float w, float h, uint32_t color);
void canvas_outline(Canvas *c, float x, float y, float w, float h, uint32_t color);
void canvas_line(Canvas *c, float x0, float y0, float x1, float y1, float width, uint32_t color);
void canvas_arrow(Canvas *c, float x0, float y0, float x1, float y1, float width, uint32_t color);
void canvas_disc(Canvas *c, float x, float y, float r, uint32_t color);
/* canvas_disc of pts[0..n) in order; in bands on c->splat's pool when it is set. */
void canvas_points(Canvas *c, const DrawPoint *pts, size_t n);
void canvas_circle(Canvas *c, float x, float y, float r, uint32_t color);
void canvas_text(Canvas *c, const Font *f, float x, float y, const char *s, size_t len,
                 uint32_t color);
/* px ((ph, pw) pixels) scaled nearest-neighbour into the rectangle, blended by their alpha. */
void canvas_image(Canvas *c, float x, float y, float w, float h, const uint32_t *px, int pw, int ph);
/* Plays every command of d in order. */
void canvas_play(Canvas *c, const DrawList *d);

#endif
