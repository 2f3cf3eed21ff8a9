/* Colour maps for heatmaps: a diverging map for signed values (ColorBrewer RdBu, blue below 0,
 * white at 0, red above; safe for the common colour-vision deficiencies) and a sequential map
 * (viridis, perceptually uniform) for positions, plus filling an image from a float matrix and
 * a legend bar. Pure functions: any thread (the legend writes into the caller's DrawList). */
#ifndef EMBEDSCOPE_COLORMAP_H
#define EMBEDSCOPE_COLORMAP_H
#include "render/draw.h"
#include <stdint.h>

typedef enum CmapKind {
    CMAP_DIVERGING = 0, /* t in [0, 1]: 0 blue, 0.5 white, 1 red */
    CMAP_SEQUENTIAL = 1, /* t in [0, 1]: dark purple -> yellow */
    CMAP_POINTS = 2      /* viridis without its darkest eighth, for points on the dark
                            background, where the lowest purple vanishes */
} CmapKind;

/* Opaque colour at t (clamped to [0, 1]; NaN gives mid grey). */
uint32_t cmap_color(CmapKind k, float t);

/* Categories: Okabe & Ito's colour-blind-safe qualitative palette (orange, sky blue, bluish
 * green, yellow, blue, vermillion, reddish purple: told apart under the three common
 * dichromacies), without its black, which vanishes on the dark background. Category k wraps
 * around after CMAP_CATEGORIES. The greys are for the grouped rest and for no value. */
#define CMAP_CATEGORIES 7
uint32_t cmap_category(int k);
#define CMAP_OTHER DRAW_RGB(190, 190, 190)
#define CMAP_NONE DRAW_RGB(72, 76, 84)

/* out ((rows, cols) pixels, row stride out_pitch) = colour of each m ((rows, m_stride) floats)
 * value mapped linearly from [lo, hi] to [0, 1]. For the diverging map pass lo = -hi so white
 * is 0. */
void cmap_fill(uint32_t *out, int out_pitch, const float *m, int rows, int cols, int m_stride,
               CmapKind k, float lo, float hi);

typedef int (*CmapTextWidth)(void *ctx, int font, const char *s, size_t len);

/* Horizontal gradient bar at (x, y, w, h) with tick labels under it: lo at the left, the
 * middle value (0 for a diverging map) and hi at the right, printed with %.*g of digits.
 * tw measures text (font 0) so the labels stay inside the bar's width; returns the height
 * used (bar + labels) given the font's line height line_h. */
float cmap_legend(DrawList *d, CmapKind k, float lo, float hi, float x, float y, float w, float h,
                  CmapTextWidth tw, void *ctx, int line_h, uint32_t text_color);

#endif
