/* Line plots for the training curves: see ui_plot.h. UI thread. */
#include "app/ui/plot.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PLOT_MAX_SEGMENTS 240 /* per plot: a few curves stay far below the draw list's cap */

static void fmt_x(char *buf, size_t cap, double v)
{
    if (fabs(v) >= 1e9) snprintf(buf, cap, "%.2fG", v / 1e9);
    else if (fabs(v) >= 1e6) snprintf(buf, cap, "%.2fM", v / 1e6);
    else if (fabs(v) >= 1e3) snprintf(buf, cap, "%.1fk", v / 1e3);
    else snprintf(buf, cap, "%.0f", v);
}

static void text_right(Ui *ui, float right, float y, const char *s, uint32_t color)
{
    draw_text(ui->dl, 0, right - (float)ui_text_w(ui, s), y, s, strlen(s), color);
}

/* The title, clipped so it never runs into the latest value. */
static void title(Ui *ui, const UiPlot *p, float x, float y, float room)
{
    draw_clip(ui->dl, x, y, room, (float)ui->line_h + ui->pad);
    draw_text(ui->dl, 0, x + ui->pad, y + ui->pad / 2, p->title, strlen(p->title), ui->theme.text);
    draw_noclip(ui->dl);
}

static bool finite_pt(const double *xs, const double *ys, int i)
{
    return isfinite(xs[i]) && isfinite(ys[i]);
}

void ui_plot(Ui *ui, float x, float y, float w, float h, const double *xs, const double *ys, int n,
             const UiPlot *p)
{
    const char *fmt = p->fmt ? p->fmt : "%.4g";
    uint32_t color = p->color ? p->color : ui->theme.accent;
    float lh = (float)ui->line_h, pad = ui->pad;
    draw_rect(ui->dl, x, y, w, h, ui->theme.panel);
    draw_outline(ui->dl, x, y, w, h, ui->theme.border);
    ui_claim(ui, x, y, w, h);
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0, last = NAN;
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (!finite_pt(xs, ys, i))
            continue;
        if (!count || xs[i] < x0) x0 = xs[i];
        if (!count || xs[i] > x1) x1 = xs[i];
        if (!count || ys[i] < y0) y0 = ys[i];
        if (!count || ys[i] > y1) y1 = ys[i];
        last = ys[i];
        count++;
    }
    char buf[64];
    if (!count) {
        title(ui, p, x, y, w);
        snprintf(buf, sizeof buf, "no data yet");
        draw_text(ui->dl, 0, x + pad, y + h / 2 - lh / 2, buf, strlen(buf), ui->theme.dim);
        return;
    }
    snprintf(buf, sizeof buf, fmt, last);
    text_right(ui, x + w - pad, y + pad / 2, buf, color);
    title(ui, p, x, y, w - (float)ui_text_w(ui, buf) - pad);
    if (p->from_zero) {
        y0 = fmin(y0, 0);
        y1 = fmax(y1, 0);
    }
    if (y1 - y0 < 1e-12 * fmax(1, fabs(y1))) { /* flat: centre the line */
        y0 -= 0.5 * fmax(fabs(y0), 1e-9);
        y1 += 0.5 * fmax(fabs(y1), 1e-9);
    }
    /* plot area: y labels on the left, the x range under it */
    char lo[32], hi[32];
    snprintf(hi, sizeof hi, fmt, p->invert ? y0 : y1);
    snprintf(lo, sizeof lo, fmt, p->invert ? y1 : y0);
    float lw = (float)fmax(ui_text_w(ui, lo), ui_text_w(ui, hi)) + 6;
    float ax = x + pad + lw, ay = y + lh + pad, aw = w - 2 * pad - lw, ah = h - 2 * lh - 1.5f * pad;
    if (aw < 8 || ah < 8)
        return;
    draw_rect(ui->dl, ax, ay, 1, ah, ui->theme.border);
    draw_rect(ui->dl, ax, ay + ah - 1, aw, 1, ui->theme.border);
    text_right(ui, ax - 4, ay - 2, hi, ui->theme.dim);
    text_right(ui, ax - 4, ay + ah - lh + 2, lo, ui->theme.dim);
    char xa[32], xb[96];
    fmt_x(xa, sizeof xa, x0);
    fmt_x(buf, sizeof buf, x1);
    snprintf(xb, sizeof xb, "%s%s%s", buf, p->x_unit ? " " : "", p->x_unit ? p->x_unit : "");
    draw_text(ui->dl, 0, ax, ay + ah + 1, xa, strlen(xa), ui->theme.dim);
    text_right(ui, ax + aw, ay + ah + 1, xb, ui->theme.dim);
    double sx = x1 > x0 ? (aw - 2) / (x1 - x0) : 0, sy = (ah - 2) / (y1 - y0);
    int step = count > PLOT_MAX_SEGMENTS ? (count + PLOT_MAX_SEGMENTS - 1) / PLOT_MAX_SEGMENTS : 1;
    float px = 0, py = 0;
    int seen = 0, drawn = 0;
    for (int i = 0; i < n; i++) {
        if (!finite_pt(xs, ys, i))
            continue;
        bool keep = seen % step == 0 || seen == count - 1;
        seen++;
        if (!keep)
            continue;
        double t = p->invert ? y1 - ys[i] : ys[i] - y0;
        float qx = ax + 1 + (float)((xs[i] - x0) * sx), qy = ay + ah - 2 - (float)(t * sy);
        if (x1 == x0)
            qx = ax + aw / 2;
        if (drawn)
            draw_line(ui->dl, px, py, qx, qy, 1.5f, color);
        if (count <= 40 || seen == count) /* sparse series (evaluations) show their points */
            draw_circle(ui->dl, qx, qy, 2.f, color);
        px = qx;
        py = qy;
        drawn++;
    }
}
