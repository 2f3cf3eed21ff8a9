/* Scaled image blits for DRAW_IMAGE (heatmaps): nearest-neighbour, so one matrix cell stays one
 * flat block of colour however the panel is sized. Separate from canvas.c, whose rasterisers
 * are tuned elsewhere. Same thread rules as canvas.h. */
#include "render/canvas.h"
#include <math.h>

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* dst = dst + (src - dst) * a / 256 (as canvas.c's blend). */
static inline uint32_t mix(uint32_t d, uint32_t s, uint32_t a)
{
    uint32_t rb = ((s & 0xFF00FF) * a + (d & 0xFF00FF) * (256 - a)) >> 8 & 0xFF00FF;
    uint32_t g = ((s & 0x00FF00) * a + (d & 0x00FF00) * (256 - a)) >> 8 & 0x00FF00;
    return 0xFF000000u | rb | g;
}

void canvas_image(Canvas *c, float x, float y, float w, float h, const uint32_t *px, int pw, int ph)
{
    if (!px || pw <= 0 || ph <= 0 || !(w > 0) || !(h > 0))
        return;
    int x0 = clampi((int)lrintf(x), c->cx0, c->cx1), x1 = clampi((int)lrintf(x + w), c->cx0, c->cx1);
    int y0 = clampi((int)lrintf(y), c->cy0, c->cy1), y1 = clampi((int)lrintf(y + h), c->cy0, c->cy1);
    /* source pixel under each destination pixel centre */
    double sx = (double)pw / w, sy = (double)ph / h;
    for (int yy = y0; yy < y1; yy++) {
        int r = clampi((int)(((double)yy + 0.5 - y) * sy), 0, ph - 1);
        const uint32_t *src = px + (size_t)r * (size_t)pw;
        uint32_t *row = c->px + (size_t)yy * (size_t)c->pitch;
        double fx = ((double)x0 + 0.5 - x) * sx;
        for (int xx = x0; xx < x1; xx++, fx += sx) {
            uint32_t s = src[clampi((int)fx, 0, pw - 1)], a = s >> 24;
            row[xx] = a >= 255 ? s : a ? mix(row[xx], s, a) : row[xx];
        }
    }
}
