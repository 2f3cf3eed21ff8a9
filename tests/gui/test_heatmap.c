/* Heatmap pieces without a window: DRAW_IMAGE's nearest-neighbour scaling and clipping, the
 * colour maps and their legend, and the line-plot widget of the training curves. */
#include "render/canvas.h"
#include "render/colormap.h"
#include "render/draw.h"
#include "tests/test.h"
#include "app/ui/ui.h"
#include "app/ui/plot.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint32_t px_at(const Canvas *c, int x, int y) { return c->px[y * c->pitch + x] & 0xFFFFFF; }

static int fixed_width(void *ctx, int font, const char *s, size_t len)
{
    (void)ctx, (void)font, (void)s;
    return 7 * (int)len;
}

TEST(image_scales_nearest_and_clips)
{
    static uint32_t buf[40 * 30];
    Canvas c = {.px = buf, .w = 40, .h = 30, .pitch = 40};
    canvas_clip(&c, 0, 0, -1, -1);
    canvas_clear(&c, 0);
    /* 2 x 2 image: red green / blue white, drawn 4x larger at (4, 2) */
    const uint32_t img[4] = {DRAW_RGB(255, 0, 0), DRAW_RGB(0, 255, 0), DRAW_RGB(0, 0, 255),
                             DRAW_RGB(255, 255, 255)};
    DrawList *d = malloc(sizeof *d);
    CHECK(d);
    draw_clear(d);
    draw_image(d, 4, 2, 8, 8, img, 2, 2);
    draw_image(d, 0, 0, 8, 8, NULL, 2, 2); /* ignored */
    CHECK(d->ncmds == 1 && d->cmds[0].kind == DRAW_IMAGE && d->cmds[0].img == img);
    canvas_play(&c, d);
    CHECK(px_at(&c, 4, 2) == 0xFF0000 && px_at(&c, 7, 5) == 0xFF0000);
    CHECK(px_at(&c, 8, 2) == 0x00FF00 && px_at(&c, 11, 5) == 0x00FF00);
    CHECK(px_at(&c, 4, 6) == 0x0000FF && px_at(&c, 11, 9) == 0xFFFFFF);
    CHECK(px_at(&c, 3, 2) == 0 && px_at(&c, 12, 9) == 0 && px_at(&c, 11, 10) == 0);
    /* clipped by the current clip, and huge rectangles stay in bounds (ASan checks) */
    canvas_clear(&c, 0);
    draw_clear(d);
    draw_clip(d, 0, 0, 6, 30);
    draw_image(d, 4, 2, 8, 8, img, 2, 2);
    draw_noclip(d);
    draw_image(d, -1e6f, -1e6f, 2e6f, 2e6f, img, 2, 2);
    canvas_play(&c, d);
    CHECK(px_at(&c, 39, 29) == 0xFFFFFF);
    canvas_clear(&c, 0);
    draw_clear(d);
    draw_clip(d, 0, 0, 6, 30);
    draw_image(d, 4, 2, 8, 8, img, 2, 2);
    canvas_play(&c, d);
    CHECK(px_at(&c, 5, 2) == 0xFF0000 && px_at(&c, 6, 2) == 0);
    /* half-transparent pixels blend */
    canvas_clear(&c, 0);
    const uint32_t half = DRAW_RGBA(255, 255, 255, 128);
    canvas_image(&c, 0, 0, 4, 4, &half, 1, 1);
    uint32_t p = px_at(&c, 1, 1);
    CHECK((p & 255) >= 126 && (p & 255) <= 129);
    free(d);
}

TEST(colormaps_are_ordered)
{
    uint32_t lo = cmap_color(CMAP_DIVERGING, 0), mid = cmap_color(CMAP_DIVERGING, 0.5f),
             hi = cmap_color(CMAP_DIVERGING, 1);
    CHECK((lo & 255) > (lo >> 16 & 255));   /* blue below 0 */
    CHECK((hi >> 16 & 255) > (hi & 255));   /* red above */
    CHECK((mid >> 16 & 255) > 240 && (mid >> 8 & 255) > 240 && (mid & 255) > 240);
    CHECK(cmap_color(CMAP_DIVERGING, -3) == lo && cmap_color(CMAP_DIVERGING, 7) == hi);
    /* viridis gets brighter along the map */
    int prev = -1;
    for (int i = 0; i <= 10; i++) {
        uint32_t c = cmap_color(CMAP_SEQUENTIAL, (float)i / 10);
        int lum = (int)(2 * (c >> 16 & 255) + 5 * (c >> 8 & 255) + (c & 255));
        CHECK(lum > prev);
        prev = lum;
    }
    float m[2][3] = {{-1, 0, 1}, {NAN, 0.5f, -5}};
    uint32_t out[2 * 4];
    memset(out, 0, sizeof out);
    cmap_fill(out, 4, &m[0][0], 2, 3, 3, CMAP_DIVERGING, -1, 1);
    CHECK(out[0] == lo && out[2] == hi && out[6] == lo && out[3] == 0 && out[7] == 0);
    CHECK((out[1] & 0xFFFFFF) == (mid & 0xFFFFFF) || abs((int)(out[1] & 255) - (int)(mid & 255)) < 8);
    CHECK(out[4] == cmap_color(CMAP_DIVERGING, NAN));
}

TEST(legend_labels_min_zero_max)
{
    DrawList *d = malloc(sizeof *d);
    CHECK(d);
    draw_clear(d);
    float h = cmap_legend(d, CMAP_DIVERGING, -0.25f, 0.25f, 10, 10, 200, 12, fixed_width, NULL, 16,
                          DRAW_RGB(200, 200, 200));
    CHECK(h == 12 + 3 + 16);
    CHECK(draw_has_text(d, "-0.25") && draw_has_text(d, "0.25") && draw_has_text(d, "0"));
    for (size_t i = 0; i < d->ncmds; i++)
        if (d->cmds[i].kind == DRAW_TEXT) /* labels stay under the bar */
            CHECK(d->cmds[i].x0 >= 10 && d->cmds[i].x0 + 7.f * (float)d->cmds[i].text_len <= 210.5f);
    draw_clear(d);
    cmap_legend(d, CMAP_SEQUENTIAL, 0, 511, 0, 0, 100, 8, fixed_width, NULL, 16, 0);
    CHECK(draw_has_text(d, "511") && draw_has_text(d, "256"));
    free(d);
}

TEST(plot_draws_series_and_skips_nan)
{
    DrawList *d = malloc(sizeof *d);
    CHECK(d);
    Ui ui;
    ui_init(&ui, d, fixed_width, NULL, 16);
    UiInput in = {0};
    draw_clear(d);
    ui_begin(&ui, &in);
    double xs[5] = {0, 1000, 2000, 3000, 4000}, ys[5] = {0.1, NAN, 0.3, NAN, 0.45};
    ui_plot(&ui, 10, 10, 300, 120, xs, ys, 5, &(UiPlot){.title = "accuracy", .fmt = "%.2f",
                                                         .x_unit = "words", .from_zero = true});
    ui_end(&ui);
    CHECK(draw_has_text(d, "accuracy") && draw_has_text(d, "0.45") && draw_has_text(d, "0.00"));
    CHECK(draw_has_text(d, "4.0k words"));
    int lines = 0;
    for (size_t i = 0; i < d->ncmds; i++) {
        const DrawCmd *c = &d->cmds[i];
        if (c->kind != DRAW_LINE)
            continue;
        lines++;
        CHECK(c->x0 >= 10 && c->x1 <= 310 && c->y0 >= 10 && c->y1 <= 130);
    }
    CHECK(lines == 2); /* three finite points joined */
    CHECK(ui_over(&ui, 50, 50));
    /* empty and flat series draw without dividing by zero */
    draw_clear(d);
    ui_begin(&ui, &in);
    ui_plot(&ui, 0, 0, 200, 100, xs, ys, 0, &(UiPlot){.title = "loss"});
    double flat[2] = {2, 2};
    ui_plot(&ui, 0, 100, 200, 100, xs, flat, 2, &(UiPlot){.title = "rate", .invert = true});
    ui_end(&ui);
    CHECK(draw_has_text(d, "no data yet"));
    for (size_t i = 0; i < d->ncmds; i++)
        CHECK(isfinite(d->cmds[i].y0) && isfinite(d->cmds[i].y1));
    free(d);
}
