/* The window: SDL2 window + software renderer + one streaming texture that a Canvas fills each
 * frame, the two fonts, and PNG screenshots of exactly what was shown. Main thread only. */
#ifndef EMBEDSCOPE_WINDOW_H
#define EMBEDSCOPE_WINDOW_H
#include "render/canvas.h"
#include "model/base/err.h"
#include "render/font.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct WinDesc {
    const char *title;
    int width, height;      /* logical size; 1280x800 */
    const char *font_path;  /* NULL: fontconfig's match for "DejaVu Sans" */
    int ui_px;              /* 14 */
    int label_px;           /* 12 */
    const char *renderer;   /* NULL: SDL's software renderer (fastest without a GPU); else an
                               SDL render driver name such as "opengl" for the final upload */
} WinDesc;

typedef struct Win {
    struct SDL_Window *window;
    struct SDL_Renderer *renderer;
    struct SDL_Texture *texture;
    int tex_w, tex_h;
    Canvas canvas;          /* the frame being drawn (pixels at output resolution) */
    uint32_t *pixels;
    float scale;            /* output pixels per logical (window) pixel: high-DPI */
    Font ui_font, label_font;
    char font_path[1024];
    int label_px;
} Win;

bool win_create(Win *w, const WinDesc *d, Err *e);
void win_destroy(Win *w);
/* Resizes the canvas to the current output size when it changed; returns the canvas. */
Canvas *win_begin(Win *w);
/* Uploads the canvas and presents it. */
void win_present(Win *w);
/* Saves the last drawn canvas as PNG (atomically: temp file then rename). */
bool win_screenshot(const Win *w, const char *path, Err *e);
/* Saves pixels ((height, pitch) 0x00RRGGBB) as PNG, atomically. */
bool win_save_png(const uint32_t *px, int width, int height, int pitch, const char *path, Err *e);
/* Changes the output pixels per logical pixel and re-rasterises both fonts for it (for renders
 * larger than the window); on failure the old scale and fonts stay. */
bool win_set_scale(Win *w, float scale, Err *e);
/* Re-rasterises the label font at px (logical) pixels. */
bool win_set_label_px(Win *w, int px, Err *e);

#endif
