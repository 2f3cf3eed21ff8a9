/* Immediate-mode widgets over a DrawList (see ui.h). UI thread only. */
#include "app/ui/ui.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ui_init(Ui *ui, DrawList *dl, UiTextWidth tw, void *ctx, int line_h)
{
    memset(ui, 0, sizeof *ui);
    ui->dl = dl;
    ui->text_width = tw;
    ui->text_ctx = ctx;
    ui->line_h = line_h;
    ui->pad = 8;
    ui->theme = (UiTheme){
        .panel = DRAW_RGBA(24, 27, 33, 236), .border = DRAW_RGB(52, 58, 70),
        .text = DRAW_RGB(222, 226, 232), .dim = DRAW_RGB(140, 148, 160),
        .accent = DRAW_RGB(86, 180, 233), .field = DRAW_RGB(14, 16, 20),
        .field_focus = DRAW_RGB(10, 12, 15), .button = DRAW_RGB(44, 50, 62),
        .button_hot = DRAW_RGB(62, 72, 90), .error = DRAW_RGB(240, 120, 100),
    };
}

uint32_t ui_id(const char *label, uint32_t seed)
{
    uint32_t h = seed ? seed : 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)label; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h ? h : 1;
}

void ui_begin(Ui *ui, const UiInput *in)
{
    ui->in = *in;
    memset(ui->key_used, 0, sizeof ui->key_used);
    ui->nrects = 0;
    ui->hot = 0;
    if (in->pressed[0])
        ui->active = 0;
}

void ui_end(Ui *ui)
{
    /* A click outside every widget drops the keyboard focus. */
    if (ui->in.pressed[0] && !ui->active)
        ui->focus = 0;
}

bool ui_over(const Ui *ui, float x, float y)
{
    for (int i = 0; i < ui->nrects; i++) {
        const float *r = ui->rects[i];
        if (x >= r[0] && y >= r[1] && x < r[0] + r[2] && y < r[1] + r[3])
            return true;
    }
    return false;
}

/* Panels in descending area. */
static int larger_first(const void *a, const void *b)
{
    const float *p = a, *q = b;
    float x = p[2] * p[3], y = q[2] * q[3];
    return (x < y) - (x > y);
}

void ui_free_rect(const Ui *ui, float vw, float vh, float r[4])
{
    float q[UI_MAX_RECTS][4], f[4] = {0, 0, vw, vh}; /* f: x0 y0 x1 y1 */
    int n = ui->nrects;
    memcpy(q, ui->rects, (size_t)n * sizeof q[0]);
    qsort(q, (size_t)n, sizeof q[0], larger_first);
    for (int i = 0; i < n; i++) {
        float x0 = q[i][0], y0 = q[i][1], x1 = x0 + q[i][2], y1 = y0 + q[i][3];
        if ((q[i][2] >= 0.9f * vw && q[i][3] >= 0.9f * vh) || x1 <= f[0] || x0 >= f[2] || y1 <= f[1] ||
            y0 >= f[3])
            continue; /* a modal, or already outside */
        /* the free area each cut leaves: right of the panel, left of it, below it, above it */
        float w = f[2] - f[0], h = f[3] - f[1];
        float keep[4] = {(f[2] - x1) * h, (x0 - f[0]) * h, (f[3] - y1) * w, (y0 - f[1]) * w};
        static const int slot[4] = {0, 2, 1, 3}; /* the cut moves f's left, right, top or bottom */
        float edge[4] = {x1, x0, y1, y0};
        int side = 0;
        for (int k = 1; k < 4; k++)
            side = keep[k] > keep[side] ? k : side;
        f[slot[side]] = edge[side];
    }
    if (f[2] - f[0] < vw / 4 || f[3] - f[1] < vh / 4)
        f[0] = f[1] = 0, f[2] = vw, f[3] = vh;
    r[0] = f[0], r[1] = f[1], r[2] = f[2] - f[0], r[3] = f[3] - f[1];
}

bool ui_key(Ui *ui, UiKey k)
{
    for (int i = 0; i < ui->in.nkeys; i++)
        if (ui->in.keys[i] == k && !ui->key_used[i]) {
            ui->key_used[i] = true;
            return true;
        }
    return false;
}

int ui_text_w(const Ui *ui, const char *s)
{
    return ui->text_width(ui->text_ctx, 0, s, strlen(s));
}

void ui_claim(Ui *ui, float x, float y, float w, float h)
{
    if (ui->nrects < UI_MAX_RECTS) {
        float *r = ui->rects[ui->nrects++];
        r[0] = x;
        r[1] = y;
        r[2] = w;
        r[3] = h;
    }
}

/* The panel background is drawn at ui_panel_end, when the height is known, so it is put in
 * the list before the widgets by reserving a command slot now. */

void ui_panel_begin(Ui *ui, float x, float y, float w)
{
    ui->px = x;
    ui->py = y;
    ui->pw = w;
    ui->cy = y + ui->pad;
    ui->panel_bg = ui->dl->ncmds;
    draw_rect(ui->dl, x, y, w, 0, ui->theme.panel);
    draw_outline(ui->dl, x, y, w, 0, ui->theme.border);
}

float ui_panel_end(Ui *ui)
{
    float h = ui->cy - ui->py + ui->pad - 4;
    /* the background rect and frame were pushed at panel_bg (unless the list was full) */
    for (size_t i = ui->panel_bg; i < ui->panel_bg + 2 && i < ui->dl->ncmds; i++)
        ui->dl->cmds[i].h = h;
    ui_claim(ui, ui->px, ui->py, ui->pw, h);
    return h;
}

void ui_space(Ui *ui, float h) { ui->cy += h; }

/* Bytes of s that start its next line within w pixels: the most whole words that fit, at
 * least one word (a word wider than w is clipped by the caller). */
static size_t wrap_at(const Ui *ui, const char *s, size_t n, float w)
{
    size_t end = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ' ')
            continue;
        bool fits = (float)ui->text_width(ui->text_ctx, 0, s, i) <= w;
        if (!fits && end)
            break;
        end = i;
        if (!fits || i == n)
            break;
    }
    return end ? end : n;
}

void ui_label(Ui *ui, const char *s, uint32_t color)
{
    float w = ui->pw - 2 * ui->pad;
    size_t n = strlen(s);
    draw_clip(ui->dl, ui->px, ui->py, ui->pw - ui->pad, 1e5f);
    do { /* wrapped at spaces: a hint must not run out of its panel */
        size_t k = wrap_at(ui, s, n, w);
        draw_text(ui->dl, 0, ui->px + ui->pad, ui->cy, s, k, color);
        ui->cy += (float)ui->line_h + 2;
        while (k < n && s[k] == ' ')
            k++;
        s += k;
        n -= k;
    } while (n > 0);
    draw_noclip(ui->dl);
}

size_t ui_fit(const Ui *ui, const char *s, float w)
{
    size_t n = strlen(s);
    if ((float)ui->text_width(ui->text_ctx, 0, s, n) <= w)
        return n;
    float room = w - (float)ui->text_width(ui->text_ctx, 0, "...", 3);
    size_t lo = 0, hi = n; /* the longest prefix that fits lies in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if ((float)ui->text_width(ui->text_ctx, 0, s, mid) <= room)
            lo = mid;
        else
            hi = mid;
    }
    while (lo > 0 && ((unsigned char)s[lo] & 0xc0) == 0x80) /* not inside a UTF-8 character */
        lo--;
    return lo;
}

bool ui_text_cut(Ui *ui, float x, float y, const char *s, float w, uint32_t color)
{
    size_t n = ui_fit(ui, s, w), len = strlen(s);
    draw_text(ui->dl, 0, x, y, s, n, color);
    if (n < len)
        draw_text(ui->dl, 0, x + (float)ui->text_width(ui->text_ctx, 0, s, n), y, "...", 3, color);
    return n < len;
}

void ui_row(Ui *ui, const char *left, const char *right, uint32_t color)
{
    float rw = (float)ui_text_w(ui, right), gap = rw > 0 ? 8 : 0;
    ui_text_cut(ui, ui->px + ui->pad, ui->cy, left, ui->pw - 2 * ui->pad - rw - gap, color);
    draw_text(ui->dl, 0, ui->px + ui->pw - ui->pad - rw, ui->cy, right, strlen(right), ui->theme.dim);
    ui->cy += (float)ui->line_h + 2;
}

static bool inside(const Ui *ui, float x, float y, float w, float h)
{
    return ui->in.mx >= x && ui->in.my >= y && ui->in.mx < x + w && ui->in.my < y + h;
}

int ui_button(Ui *ui, const char *label, float x, float y, float w, float h)
{
    uint32_t id = ui_id(label, 0);
    bool over = inside(ui, x, y, w, h);
    int res = 0;
    if (over) {
        ui->hot = id;
        if (ui->in.pressed[0])
            ui->active = id;
        if (ui->in.released[0])
            res = UI_SUBMITTED;
    }
    draw_rect(ui->dl, x, y, w, h, over ? ui->theme.button_hot : ui->theme.button);
    draw_outline(ui->dl, x, y, w, h, ui->theme.border);
    float tw = (float)ui_text_w(ui, label);
    draw_text(ui->dl, 0, x + (w - tw) * 0.5f, y + (h - (float)ui->line_h) * 0.5f, label,
              strlen(label), ui->theme.text);
    ui_claim(ui, x, y, w, h);
    return res;
}

void ui_progress(Ui *ui, float x, float y, float w, float h, double frac, uint32_t color)
{
    if (!(frac >= 0))
        frac = 0;
    if (frac > 1)
        frac = 1;
    draw_rect(ui->dl, x, y, w, h, ui->theme.field);
    draw_rect(ui->dl, x, y, (float)(w * frac), h, color);
}
