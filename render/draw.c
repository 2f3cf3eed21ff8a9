/* Building the draw list (see draw.h). UI thread. */
#include "render/draw.h"
#include <string.h>

void draw_clear(DrawList *d)
{
    d->ncmds = 0;
    d->text_len = 0;
    d->dropped = 0;
}

static DrawCmd *push(DrawList *d, DrawKind k, uint32_t color)
{
    if (d->ncmds >= DRAW_MAX_CMDS) {
        d->dropped++;
        return NULL;
    }
    DrawCmd *c = &d->cmds[d->ncmds++];
    memset(c, 0, sizeof *c);
    c->kind = k;
    c->color = color;
    return c;
}

static void box(DrawList *d, DrawKind k, float x, float y, float w, float h, uint32_t color)
{
    DrawCmd *c = push(d, k, color);
    if (c) {
        c->x0 = x;
        c->y0 = y;
        c->w = w;
        c->h = h;
    }
}

void draw_rect(DrawList *d, float x, float y, float w, float h, uint32_t color)
{
    box(d, DRAW_RECT, x, y, w, h, color);
}

void draw_outline(DrawList *d, float x, float y, float w, float h, uint32_t color)
{
    box(d, DRAW_OUTLINE, x, y, w, h, color);
}

void draw_clip(DrawList *d, float x, float y, float w, float h)
{
    box(d, DRAW_CLIP, x, y, w, h, 0);
}

void draw_noclip(DrawList *d)
{
    box(d, DRAW_CLIP, 0, 0, -1, -1, 0);
}

void draw_circle(DrawList *d, float x, float y, float r, uint32_t color)
{
    box(d, DRAW_CIRCLE, x, y, r, r, color);
}

void draw_text(DrawList *d, int font, float x, float y, const char *s, size_t len, uint32_t color)
{
    if (len > DRAW_MAX_TEXT - d->text_len) {
        d->dropped++;
        return;
    }
    DrawCmd *c = push(d, DRAW_TEXT, color);
    if (!c)
        return;
    c->x0 = x;
    c->y0 = y;
    c->font = font;
    c->text_off = (uint32_t)d->text_len;
    c->text_len = (uint32_t)len;
    memcpy(d->text + d->text_len, s, len);
    d->text_len += len;
}

static void seg(DrawList *d, DrawKind k, float x0, float y0, float x1, float y1, float width,
                uint32_t color)
{
    DrawCmd *c = push(d, k, color);
    if (c) {
        c->x0 = x0;
        c->y0 = y0;
        c->x1 = x1;
        c->y1 = y1;
        c->w = width;
    }
}

void draw_line(DrawList *d, float x0, float y0, float x1, float y1, float width, uint32_t color)
{
    seg(d, DRAW_LINE, x0, y0, x1, y1, width, color);
}

void draw_arrow(DrawList *d, float x0, float y0, float x1, float y1, float width, uint32_t color)
{
    seg(d, DRAW_ARROW, x0, y0, x1, y1, width, color);
}

void draw_points(DrawList *d, const DrawPoint *pts, size_t n)
{
    DrawCmd *c = push(d, DRAW_POINTS, 0);
    if (c) {
        c->pts = pts;
        c->npts = n;
    }
}

void draw_image(DrawList *d, float x, float y, float w, float h, const uint32_t *px, int pw, int ph)
{
    if (!px || pw <= 0 || ph <= 0)
        return;
    DrawCmd *c = push(d, DRAW_IMAGE, 0);
    if (c) {
        c->x0 = x;
        c->y0 = y;
        c->w = w;
        c->h = h;
        c->img = px;
        c->img_w = pw;
        c->img_h = ph;
    }
}

bool draw_has_text(const DrawList *d, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i < d->ncmds; i++) {
        const DrawCmd *c = &d->cmds[i];
        if (c->kind != DRAW_TEXT || c->text_len < n)
            continue;
        const char *t = draw_cmd_text(d, c);
        for (size_t j = 0; j + n <= c->text_len; j++)
            if (!memcmp(t + j, needle, n))
                return true;
    }
    return false;
}
