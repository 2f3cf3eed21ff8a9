/* Colour maps, image fill and legend: see colormap.h. Any thread. */
#include "render/colormap.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ColorBrewer RdBu (11 classes), from -1 (dark blue) to +1 (dark red). */
static const uint32_t rdbu[] = {
    0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
    0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b, 0x67001f,
};
/* viridis sampled at 9 evenly spaced points */
static const uint32_t viridis[] = {
    0x440154, 0x472c7a, 0x3b518b, 0x2c718e, 0x21908d, 0x27ad81, 0x5cc863, 0xaadc32, 0xfde725,
};

static uint32_t lerp_table(const uint32_t *tab, int n, float t)
{
    float f = t * (float)(n - 1);
    int i = (int)f;
    if (i >= n - 1)
        return 0xFF000000u | tab[n - 1];
    float u = f - (float)i;
    uint32_t a = tab[i], b = tab[i + 1], out = 0xFF000000u;
    for (int sh = 0; sh <= 16; sh += 8) {
        float ca = (float)(a >> sh & 255), cb = (float)(b >> sh & 255);
        out |= (uint32_t)lrintf(ca + (cb - ca) * u) << sh;
    }
    return out;
}

uint32_t cmap_color(CmapKind k, float t)
{
    if (!(t == t))
        return DRAW_RGB(128, 128, 128);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    if (k == CMAP_POINTS)
        t = 0.125f + 0.875f * t;
    if (k == CMAP_SEQUENTIAL || k == CMAP_POINTS)
        return lerp_table(viridis, (int)(sizeof viridis / sizeof viridis[0]), t);
    return lerp_table(rdbu, (int)(sizeof rdbu / sizeof rdbu[0]), t);
}

static const uint32_t okabe_ito[CMAP_CATEGORIES] = {
    0xe69f00, 0x56b4e9, 0x009e73, 0xf0e442, 0x0072b2, 0xd55e00, 0xcc79a7,
};

uint32_t cmap_category(int k)
{
    k %= CMAP_CATEGORIES;
    return 0xFF000000u | okabe_ito[k < 0 ? k + CMAP_CATEGORIES : k];
}

#define LUT 256

void cmap_fill(uint32_t *out, int out_pitch, const float *m, int rows, int cols, int m_stride,
               CmapKind k, float lo, float hi)
{
    uint32_t lut[LUT];
    for (int i = 0; i < LUT; i++)
        lut[i] = cmap_color(k, (float)i / (LUT - 1));
    float span = hi - lo, scale = span > 0 ? (float)(LUT - 1) / span : 0;
    uint32_t grey = cmap_color(k, NAN);
    for (int r = 0; r < rows; r++) {
        const float *src = m + (size_t)r * (size_t)m_stride;
        uint32_t *dst = out + (size_t)r * (size_t)out_pitch;
        for (int c = 0; c < cols; c++) {
            float v = src[c];
            if (!(v == v)) {
                dst[c] = grey;
                continue;
            }
            float f = (v - lo) * scale + 0.5f;
            int i = f <= 0 ? 0 : f >= LUT - 1 ? LUT - 1 : (int)f;
            dst[c] = lut[i];
        }
    }
}

static void label(DrawList *d, const char *s, float x, float y, float xmin, float xmax,
                  CmapTextWidth tw, void *ctx, uint32_t color, int align)
{
    float w = tw ? (float)tw(ctx, 0, s, strlen(s)) : 0;
    float lx = align < 0 ? x : align > 0 ? x - w : x - w / 2;
    lx = lx + w > xmax ? xmax - w : lx;
    lx = lx < xmin ? xmin : lx;
    draw_text(d, 0, lx, y, s, strlen(s), color);
}

float cmap_legend(DrawList *d, CmapKind k, float lo, float hi, float x, float y, float w, float h,
                  CmapTextWidth tw, void *ctx, int line_h, uint32_t text_color)
{
    /* one rect per few pixels: smooth enough, and a few dozen commands at most */
    int steps = (int)(w / 4);
    steps = steps < 8 ? 8 : steps > 96 ? 96 : steps;
    float sw = w / (float)steps;
    for (int i = 0; i < steps; i++)
        draw_rect(d, x + sw * (float)i, y, sw + 1, h, cmap_color(k, ((float)i + 0.5f) / (float)steps));
    draw_outline(d, x, y, w, h, DRAW_RGBA(255, 255, 255, 60));
    char a[32], b[32], mid[32];
    snprintf(a, sizeof a, "%.3g", lo);
    snprintf(b, sizeof b, "%.3g", hi);
    snprintf(mid, sizeof mid, "%.3g", k == CMAP_DIVERGING ? 0.0 : (lo + hi) / 2);
    float ty = y + h + 3;
    for (int i = 0; i < 3; i++)
        draw_rect(d, x + w * (float)i / 2 - (i == 2), y + h, 1, 3, text_color);
    label(d, a, x, ty, x, x + w, tw, ctx, text_color, -1);
    label(d, mid, x + w / 2, ty, x, x + w, tw, ctx, text_color, 0);
    label(d, b, x + w, ty, x, x + w, tw, ctx, text_color, 1);
    return h + 3 + (float)line_h;
}
