/* The draw list: what the immediate-mode UI and the scene produce each frame and render/
 * plays back (rect, text, line, arrow, points, clip, image). Plain C, no SDL, so tests can build a
 * list and assert on it. Owned and used by one thread (the UI thread). */
#ifndef EMBEDSCOPE_DRAW_H
#define EMBEDSCOPE_DRAW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Colours are 0xAARRGGBB (straight alpha). */
#define DRAW_RGBA(r, g, b, a) \
    ((uint32_t)(a) << 24 | (uint32_t)(r) << 16 | (uint32_t)(g) << 8 | (uint32_t)(b))
#define DRAW_RGB(r, g, b) DRAW_RGBA(r, g, b, 255)

typedef enum {
    DRAW_RECT,    /* filled x0,y0 w,h */
    DRAW_OUTLINE,   /* 1-pixel outline of x0,y0 w,h */
    DRAW_TEXT,    /* baseline-free: top-left at x0,y0, font 0 (UI) or 1 (labels) */
    DRAW_LINE,    /* x0,y0 -> x1,y1, width pixels */
    DRAW_ARROW,   /* line with a head at x1,y1 */
    DRAW_POINTS,  /* pts[0..npts) */
    DRAW_CIRCLE,  /* outline centred at x0,y0, radius w */
    DRAW_CLIP,    /* sets the clip rectangle x0,y0 w,h (w < 0: none) */
    DRAW_IMAGE,   /* img (img_h, img_w) pixels scaled nearest-neighbour into x0,y0 w,h */
} DrawKind;

typedef struct DrawPoint {
    float x, y;     /* pixels, y down */
    uint32_t color;
    float radius;   /* pixels */
} DrawPoint;

typedef struct DrawCmd {
    DrawKind kind;
    uint32_t color;
    float x0, y0, x1, y1, w, h;
    int font;
    uint32_t text_off, text_len;   /* into DrawList.text */
    const DrawPoint *pts;          /* borrowed for the frame */
    size_t npts;
    const uint32_t *img;           /* 0xAARRGGBB, row-major, borrowed for the frame */
    int img_w, img_h;
} DrawCmd;

/* Fixed capacity: commands and text past it are dropped and counted, never an abort. */
#define DRAW_MAX_CMDS 8192
#define DRAW_MAX_TEXT (256 * 1024)

typedef struct DrawList {
    DrawCmd cmds[DRAW_MAX_CMDS];
    size_t ncmds;
    char text[DRAW_MAX_TEXT];
    size_t text_len;
    size_t dropped;  /* commands lost to the capacity this frame */
} DrawList;

void draw_clear(DrawList *d);
void draw_rect(DrawList *d, float x, float y, float w, float h, uint32_t color);
void draw_outline(DrawList *d, float x, float y, float w, float h, uint32_t color);
void draw_text(DrawList *d, int font, float x, float y, const char *s, size_t len, uint32_t color);
void draw_line(DrawList *d, float x0, float y0, float x1, float y1, float width, uint32_t color);
void draw_arrow(DrawList *d, float x0, float y0, float x1, float y1, float width, uint32_t color);
void draw_points(DrawList *d, const DrawPoint *pts, size_t n);
void draw_circle(DrawList *d, float x, float y, float r, uint32_t color);
void draw_clip(DrawList *d, float x, float y, float w, float h);
void draw_noclip(DrawList *d);
/* px ((ph, pw) pixels, 0xAARRGGBB) must stay unchanged until the list is played back. */
void draw_image(DrawList *d, float x, float y, float w, float h, const uint32_t *px, int pw, int ph);
/* Text of a DRAW_TEXT command (not NUL-terminated; length c->text_len). */
static inline const char *draw_cmd_text(const DrawList *d, const DrawCmd *c)
{
    return d->text + c->text_off;
}
/* True when some DRAW_TEXT command's text contains needle (tests and script asserts). */
bool draw_has_text(const DrawList *d, const char *needle);

#endif
