/* The learned table's two plots (see poscurves.h): several series on shared axes, horizontal
 * reference lines (baselines, the smoothness threshold) and the smooth step. UI thread. */
#include "app/gui/views/poscurves.h"
#include "app/gui/views/poslearn.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_SEGMENTS 240 /* per series: the draw list holds a few thousand commands */

typedef struct Series {
    const float *x, *y;  /* point i at x[i * stride], y[i * stride] */
    int n, stride;
    uint32_t color;
    const char *name;
    double last;         /* shown in the legend */
} Series;

typedef struct Axes {
    float ax, ay, aw, ah;  /* the plot area, pixels */
    double x0, x1, y0, y1;
} Axes;

/* pixels of a value on each axis */
static float px(const Axes *a, double x)
{
    return a->ax + (float)((x - a->x0) / (a->x1 - a->x0)) * a->aw;
}

static float py(const Axes *a, double y)
{
    return a->ay + a->ah - (float)((y - a->y0) / (a->y1 - a->y0)) * a->ah;
}

/* Background, the legend line (each series' name and latest value in its colour), the y
 * range on the left and the steps under it. */
static Axes frame(Ui *ui, float x, float y, float w, float h, const Series *s, int ns,
                  double x1, double y0, double y1)
{
    float pad = ui->pad, lh = (float)ui->line_h;
    draw_rect(ui->dl, x, y, w, h, ui->theme.panel);
    draw_outline(ui->dl, x, y, w, h, ui->theme.border);
    float cx = x + pad;
    char t[96];
    draw_clip(ui->dl, x, y, w, lh + pad);
    for (int i = 0; i < ns; i++) {
        if (isfinite(s[i].last))
            snprintf(t, sizeof t, "%s %.3f", s[i].name, s[i].last);
        else
            snprintf(t, sizeof t, "%s -", s[i].name);
        draw_text(ui->dl, 0, cx, y + pad / 2, t, strlen(t), s[i].color);
        cx += (float)ui_text_w(ui, t) + 14;
    }
    draw_noclip(ui->dl);
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "%.2f", y0);
    snprintf(hi, sizeof hi, "%.2f", y1);
    float lw = (float)fmax(ui_text_w(ui, lo), ui_text_w(ui, hi)) + 6;
    Axes a = {x + pad + lw, y + lh + pad, w - 2 * pad - lw, h - 2 * lh - 1.5f * pad, 0, x1, y0, y1};
    if (a.aw < 8 || a.ah < 8)
        return a;
    draw_rect(ui->dl, a.ax, a.ay, 1, a.ah, ui->theme.border);
    draw_rect(ui->dl, a.ax, a.ay + a.ah - 1, a.aw, 1, ui->theme.border);
    draw_text(ui->dl, 0, a.ax - lw, a.ay - 2, hi, strlen(hi), ui->theme.dim);
    draw_text(ui->dl, 0, a.ax - lw, a.ay + a.ah - lh + 2, lo, strlen(lo), ui->theme.dim);
    draw_text(ui->dl, 0, a.ax, a.ay + a.ah + 1, "step 0", 6, ui->theme.dim);
    snprintf(t, sizeof t, "%.0f", x1);
    draw_text(ui->dl, 0, a.ax + a.aw - (float)ui_text_w(ui, t), a.ay + a.ah + 1, t, strlen(t),
              ui->theme.dim);
    return a;
}

static void series(Ui *ui, const Axes *a, const Series *s)
{
    int step = s->n > MAX_SEGMENTS ? (s->n + MAX_SEGMENTS - 1) / MAX_SEGMENTS : 1;
    float qx = 0, qy = 0;
    bool have = false;
    for (int i = 0; i < s->n; i += step) {
        int k = i + step >= s->n ? s->n - 1 : i; /* the last point is always drawn */
        double x = s->x[k * s->stride], y = s->y[k * s->stride];
        if (!isfinite(x) || !isfinite(y))
            continue;
        float nx = px(a, x), ny = py(a, fmin(fmax(y, a->y0), a->y1));
        if (have)
            draw_line(ui->dl, qx, qy, nx, ny, 1.5f, s->color);
        qx = nx, qy = ny, have = true;
    }
}

/* A dashed horizontal line at y, labelled at its right end, above it or (below) under it. */
static void hline(Ui *ui, const Axes *a, double y, uint32_t color, const char *label, bool below)
{
    if (!(y >= a->y0 && y <= a->y1))
        return;
    float yy = py(a, y);
    for (float x = a->ax; x < a->ax + a->aw; x += 10)
        draw_line(ui->dl, x, yy, fminf(x + 5, a->ax + a->aw), yy, 1.f, color);
    if (label)
        draw_text(ui->dl, 0, a->ax + a->aw - (float)ui_text_w(ui, label) - 4,
                  below ? yy + 1 : yy - (float)ui->line_h, label, strlen(label), color);
}

/* The step the table turned smooth, as a vertical line. */
static void smooth_mark(Ui *ui, const Axes *a, const PosLearnFrame *f)
{
    if (f->prog.smooth_step < 0 || a->x1 <= 0)
        return;
    float x = px(a, (double)f->prog.smooth_step);
    draw_line(ui->dl, x, a->ay, x, a->ay + a->ah, 1.f, DRAW_RGBA(120, 220, 140, 200));
    char t[48];
    snprintf(t, sizeof t, "smooth at %lld", (long long)f->prog.smooth_step);
    float tw = (float)ui_text_w(ui, t);
    draw_text(ui->dl, 0, x + tw + 4 < a->ax + a->aw ? x + 4 : x - tw - 4, a->ay + 2, t, strlen(t),
              DRAW_RGB(120, 220, 140));
}

static double last_of(const Series *s) { return s->n ? s->y[(s->n - 1) * s->stride] : NAN; }

static void loss_plot(Ui *ui, const PosLearnFrame *f, float x, float y, float w, float h, double x1)
{
    Series s = {f->curve_step, f->curve_loss, f->ncurve, 1, DRAW_RGB(230, 159, 0), "loss", 0};
    s.last = last_of(&s);
    double y0 = fmin(f->unigram_loss, f->bigram_loss), y1 = fmax(f->unigram_loss, f->bigram_loss);
    for (int i = 0; i < f->ncurve; i++)
        if (isfinite(f->curve_loss[i])) {
            y0 = fmin(y0, f->curve_loss[i]);
            y1 = fmax(y1, f->curve_loss[i]);
        }
    double m = 0.05 * (y1 - y0 + 1e-6);
    Axes a = frame(ui, x, y, w, h, &s, 1, x1, y0 - m, y1 + m);
    if (a.aw < 8 || a.ah < 8)
        return;
    char t[2][48];
    snprintf(t[0], sizeof t[0], "unigram %.3f", f->unigram_loss);
    snprintf(t[1], sizeof t[1], "bigram %.3f", f->bigram_loss);
    hline(ui, &a, f->unigram_loss, DRAW_RGB(150, 150, 160), t[0], false);
    hline(ui, &a, f->bigram_loss, DRAW_RGB(86, 180, 233), t[1], false);
    series(ui, &a, &s);
    smooth_mark(ui, &a, f);
}

static void table_plot(Ui *ui, const PosLearnFrame *f, float x, float y, float w, float h, double x1)
{
    const PosLearnSample *hs = f->hist;
    int st = (int)(sizeof *hs / sizeof(float));
    Series s[3] = {
        {&hs->step, &hs->adjacent, f->nhist, st, DRAW_RGB(240, 228, 66), "adjacent cos", 0},
        {&hs->step, &hs->far, f->nhist, st, DRAW_RGB(0, 114, 178), "far cos", 0},
        {&hs->step, &hs->pc1, f->nhist, st, DRAW_RGB(0, 158, 115), "PC1 share", 0},
    };
    for (int i = 0; i < 3; i++)
        s[i].last = last_of(&s[i]);
    Axes a = frame(ui, x, y, w, h, s, 3, x1, -1, 1);
    if (a.aw < 8 || a.ah < 8)
        return;
    hline(ui, &a, 0, DRAW_RGBA(120, 120, 130, 160), NULL, false);
    /* its label under it: the smooth step's label is at the top */
    hline(ui, &a, GPTP_ADJACENT_MIN, DRAW_RGBA(240, 228, 66, 110), "smooth: adjacent >= 0.5", true);
    for (int i = 0; i < 3; i++)
        series(ui, &a, &s[i]);
    smooth_mark(ui, &a, f);
}

void gui_poscurves_draw(GuiApp *g, float x, float y, float w, float h)
{
    const PosLearnFrame *f = g->views.pos.frame;
    if (!f)
        return;
    float gap = 10 * g->win.scale, pw = (w - gap) / 2;
    double x1 = fmax(1, (double)f->prog.step);
    loss_plot(&g->ui, f, x, y, pw, h, x1);
    table_plot(&g->ui, f, x + pw + gap, y, pw, h, x1);
}
