/* A software canvas: anti-aliased rects, lines, arrows, discs and atlas text splatted into one
 * 0xAARRGGBB pixel buffer, which the window uploads as a single streaming texture. On a
 * machine without a GPU this beats SDL's per-quad renderers by an order of magnitude.
 * Main thread (or any one thread per canvas). */
#ifndef EMBEDSCOPE_CANVAS_H
#define EMBEDSCOPE_CANVAS_H
#include "draw.h"
#include "font.h"
#include <stdint.h>

typedef struct Canvas {
    uint32_t *px;       /* (h, pitch) pixels, opaque */
    int w, h, pitch;    /* pitch in pixels */
    int cx0, cy0, cx1, cy1; /* clip, half-open */
    const Font *fonts[2];   /* 0: UI, 1: labels */
} Canvas;

void canvas_clip(Canvas *c, int x, int y, int w, int h); /* w < 0: whole canvas */
void canvas_clear(Canvas *c, uint32_t color);
void canvas_rect(Canvas *c, float x, float y, float w, float h, uint32_t color);
void canvas_frame(Canvas *c, float x, float y, float w, float h, uint32_t color);
void canvas_line(Canvas *c, float x0, float y0, float x1, float y1, float width, uint32_t color);
void canvas_arrow(Canvas *c, float x0, float y0, float x1, float y1, float width, uint32_t color);
void canvas_disc(Canvas *c, float x, float y, float r, uint32_t color);
void canvas_circle(Canvas *c, float x, float y, float r, uint32_t color);
void canvas_text(Canvas *c, const Font *f, float x, float y, const char *s, size_t len,
                 uint32_t color);
/* Plays every command of d in order. */
void canvas_play(Canvas *c, const DrawList *d);

#endif
