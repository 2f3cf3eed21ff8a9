/* Font discovery (fontconfig) and the glyph atlas (SDL2_ttf). Main thread. */
#include "render/font.h"
#include <SDL.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>

bool font_find(const char *pattern, char *path, size_t cap, Err *e)
{
    bool ok = false;
    FcPattern *pat = NULL, *match = NULL;
    if (!FcInit())
        return err_set(e, "fontconfig: cannot initialise (searching for '%s'); use --font FILE",
                       pattern);
    pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat)
        goto fail;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    match = FcFontMatch(NULL, pat, &res);
    FcChar8 *file = NULL;
    FcChar8 *fmt = NULL;
    if (!match || FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch || !file)
        goto fail;
    /* fontconfig falls back to any font; only TrueType/OpenType outlines work with SDL_ttf. */
    fmt = (FcChar8 *)strrchr((const char *)file, '.');
    if (!fmt || (strcasecmp((const char *)fmt, ".ttf") && strcasecmp((const char *)fmt, ".otf")))
        goto fail;
    if (strlen((const char *)file) >= cap)
        goto fail;
    strcpy(path, (const char *)file);
    ok = true;
fail:
    if (!ok)
        err_set(e, "no TrueType font found: fontconfig searched for '%s' (install "
                   "fonts-dejavu-core, or pass --font FILE.ttf)", pattern);
    if (match)
        FcPatternDestroy(match);
    if (pat)
        FcPatternDestroy(pat);
    FcFini(); /* fontconfig is used once at start-up; free its caches (LeakSanitizer) */
    return ok;
}

int font_utf8(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    int n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 0;
    if (n == 0 || (size_t)n > len) {
        *cp = '?';
        return 1;
    }
    uint32_t c = u[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = '?';
            return 1;
        }
        c = c << 6 | (u[i] & 0x3F);
    }
    *cp = c;
    return n;
}

static const FontGlyph *glyph(const Font *f, uint32_t cp)
{
    if (cp < FONT_FIRST || cp > FONT_LAST || !f->glyphs[cp].advance)
        cp = '?';
    return &f->glyphs[cp];
}

int font_width(const Font *f, const char *s, size_t len)
{
    int w = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += (size_t)font_utf8(s + i, len - i, &cp);
        w += glyph(f, cp)->advance;
    }
    return w;
}

/* Renders one code point and appends its alpha to f->cover. */
static bool add_glyph(Font *f, TTF_Font *tf, uint32_t cp, Err *e)
{
    int minx, maxx, miny, maxy, adv;
    if (!TTF_GlyphIsProvided32(tf, cp) || TTF_GlyphMetrics32(tf, cp, &minx, &maxx, &miny, &maxy, &adv))
        return true;
    char s[5] = {0};
    if (cp < 0x80) {
        s[0] = (char)cp;
    } else {
        s[0] = (char)(0xC0 | cp >> 6);
        s[1] = (char)(0x80 | (cp & 0x3F));
    }
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *g = TTF_RenderUTF8_Blended(tf, s, white);
    if (!g) /* zero-width glyphs (soft hyphen...) render nothing: not an error */
        return true;
    SDL_Surface *c = SDL_ConvertSurfaceFormat(g, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(g);
    if (!c)
        return err_set(e, "font: converting glyph: %s", SDL_GetError());
    size_t need = (size_t)c->w * (size_t)c->h;
    uint8_t *nc = realloc(f->cover, f->cover_len + need);
    if (!nc) {
        SDL_FreeSurface(c);
        return err_set(e, "font: out of memory for the glyph atlas");
    }
    f->cover = nc;
    FontGlyph *fg = &f->glyphs[cp];
    fg->off = (uint32_t)f->cover_len;
    fg->w = c->w;
    fg->h = c->h;
    fg->advance = adv;
    for (int y = 0; y < c->h; y++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)c->pixels + y * c->pitch);
        for (int x = 0; x < c->w; x++)
            f->cover[f->cover_len + (size_t)y * (size_t)c->w + (size_t)x] = (uint8_t)(row[x] >> 24);
    }
    f->cover_len += need;
    SDL_FreeSurface(c);
    return true;
}

bool font_load(Font *f, const char *path, int px, Err *e)
{
    memset(f, 0, sizeof *f);
    if (!TTF_WasInit() && TTF_Init() != 0)
        return err_set(e, "font: SDL_ttf init: %s", TTF_GetError());
    TTF_Font *tf = TTF_OpenFont(path, px);
    if (!tf)
        return err_set(e, "%s: cannot open font: %s", path, TTF_GetError());
    TTF_SetFontHinting(tf, TTF_HINTING_LIGHT);
    f->px = px;
    f->height = TTF_FontHeight(tf);
    f->ascent = TTF_FontAscent(tf);
    bool ok = true;
    for (uint32_t cp = FONT_FIRST; cp <= FONT_LAST && ok; cp++)
        ok = add_glyph(f, tf, cp, e);
    TTF_CloseFont(tf);
    if (ok && !f->glyphs['?'].advance)
        ok = err_set(e, "%s: font has no '?' glyph", path);
    if (!ok)
        font_deinit(f);
    return ok;
}

void font_deinit(Font *f)
{
    free(f->cover);
    memset(f, 0, sizeof *f);
}
