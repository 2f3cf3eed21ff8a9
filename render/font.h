/* Fonts: finding a TTF with fontconfig and rasterising a glyph atlas once with SDL2_ttf, so
 * text afterwards is a blit of 8-bit coverage. Main thread (SDL_ttf is not thread-safe). */
#ifndef EMBEDSCOPE_FONT_H
#define EMBEDSCOPE_FONT_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FONT_FIRST 32
#define FONT_LAST 255 /* Latin-1; other code points draw as '?' */

typedef struct FontGlyph {
    uint32_t off;        /* into Font.cover */
    int w, h;            /* coverage box, pixels */
    int advance;         /* pixels */
} FontGlyph;

typedef struct Font {
    int px;              /* requested point size */
    int height;          /* line height, pixels */
    int ascent;
    FontGlyph glyphs[FONT_LAST + 1];
    uint8_t *cover;      /* 8-bit coverage of every glyph, packed */
    size_t cover_len;
} Font;

/* Finds a font file for a fontconfig pattern such as "DejaVu Sans" into path. The error names
 * the pattern searched and says how to override it (--font FILE). */
bool font_find(const char *pattern, char *path, size_t cap, Err *e);
/* Loads path at px pixels (scaled by the display's density before calling) into f. */
bool font_load(Font *f, const char *path, int px, Err *e);
void font_deinit(Font *f);
/* Width in pixels of UTF-8 text s[0..len). */
int font_width(const Font *f, const char *s, size_t len);
/* Decodes one UTF-8 code point at s (len bytes left) into *cp; returns bytes used (>= 1), so
 * invalid bytes are skipped one at a time. */
int font_utf8(const char *s, size_t len, uint32_t *cp);

#endif
