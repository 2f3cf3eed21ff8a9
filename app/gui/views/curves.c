/* Training curves (C): loss, words/s, learning rate and analogy accuracy (evaluated in the
 * background on a 5% budget, see liveeval.h) against words seen, plus the rank and cosine of
 * each pinned analogy's expected answer ("king - man + woman = queen"). One sample per
 * published frame, kept in a Curves history. UI thread. */
#include "app/gui/views/curves.h"
#include "app/gui/select/pins.h"
#include "app/ui/plot.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rank (1 = best) and cosine of row want among the rows nearest to the pin's query, the
 * expression's own words excluded as in the answers. */
static void pin_rank(const GuiApp *g, const GuiPin *p, double *rank, double *cosv)
{
    static float q[EMB_MAX_DIM];
    char buf[256];
    Expr x;
    ExprQuery eq;
    Err e = {{0}};
    const KnnIndex *ix = &g->data.snap->knn;
    *rank = *cosv = NAN;
    if (p->expect < 0 || p->expect >= ix->rows ||
        !expr_compile(gui_pin_expr(p->text, buf, sizeof buf), gui_vocab(g), ix, &x, q, &eq, &e))
        return;
    double qq = 0;
    for (int j = 0; j < ix->dim; j++)
        qq += (double)q[j] * q[j];
    if (!(qq > 0))
        return;
    float target = 0;
    const float *u = knn_row(ix, p->expect);
    for (int j = 0; j < ix->dim; j++)
        target += u[j] * q[j];
    int64_t better = 0;
    for (int64_t i = 0; i < ix->rows; i++) {
        bool skip = i == p->expect;
        for (int k = 0; k < eq.nexclude && !skip; k++)
            skip = eq.exclude[k] == i;
        if (skip)
            continue;
        const float *r = knn_row(ix, i);
        float d = 0;
        for (int j = 0; j < ix->dim; j++)
            d += r[j] * q[j];
        better += d > target;
    }
    *rank = (double)(better + 1);
    *cosv = target / sqrt(qq);
}

void gui_curves_sample(GuiApp *g)
{
    GuiViews *v = &g->views;
    const LiveSnapshot *f = g->data.snap;
    if (!f || !g->data.trainer || !v->curves.s)
        return;
    CurveSample s = curves_sample();
    s.words = f->prog.words_done;
    s.elapsed = f->prog.elapsed;
    s.loss = f->prog.words_done ? f->prog.loss : NAN;
    s.wps = f->prog.words_done ? f->prog.words_per_sec : NAN;
    s.alpha = f->prog.words_done || f->prog.running ? f->prog.alpha : NAN;
    for (int i = 0; i < g->sel.npins && i < CURVES_MAX_PINS; i++)
        pin_rank(g, &g->sel.pins[i], &s.pin_rank[i], &s.pin_cos[i]);
    curves_push(&v->curves, &s);
    if (f->eval_runs > v->curves_eval) {
        /* the evaluation was made on an earlier frame: put it at that frame's sample */
        v->curves_eval = f->eval_runs;
        CurveSample *at = &v->curves.s[v->curves.n - 1];
        for (int i = v->curves.n - 1; i >= 0; i--)
            if (v->curves.s[i].words <= f->accuracy_words) {
                at = &v->curves.s[i];
                break;
            }
        at->accuracy = f->accuracy;
    }
}

static void plot(GuiApp *g, CurveField field, float x, float y, float w, float h, const UiPlot *p)
{
    static double xs[CURVES_DEFAULT_CAP], ys[CURVES_DEFAULT_CAP];
    const Curves *c = &g->views.curves;
    int n = c->n < CURVES_DEFAULT_CAP ? c->n : CURVES_DEFAULT_CAP;
    for (int i = 0; i < n; i++) {
        xs[i] = (double)c->s[i].words;
        ys[i] = curves_get(&c->s[i], field);
    }
    ui_plot(&g->ui, x, y, w, h, xs, ys, n, p);
}

void gui_curves_draw(GuiApp *g, float x, float y, float w, float h)
{
    Ui *ui = &g->ui;
    float sc = g->win.scale, gap = 10 * sc, lh = (float)ui->line_h;
    if (!g->data.trainer) {
        draw_rect(ui->dl, x, y, w, 3 * lh, ui->theme.panel);
        const char *s = "no training: these vectors were loaded from a file";
        draw_text(ui->dl, 0, x + 10 * sc, y + lh, s, strlen(s), ui->theme.dim);
        return;
    }
    const LiveSnapshot *f = g->data.snap;
    char acc[160];
    if (!f || !f->eval_runs)
        snprintf(acc, sizeof acc, "analogy accuracy%s", g->data.questions || !strcmp(g->data.sess.source, "@world")
                 ? " (first evaluation pending)" : ": no question set (--questions FILE)");
    else
        snprintf(acc, sizeof acc, "analogy accuracy (%lld of %lld questions, %.0f ms)",
                 (long long)f->eval_answered, (long long)f->eval_file_questions, f->eval_ms);
    int npin = 0;
    for (int i = 0; i < g->sel.npins && i < CURVES_MAX_PINS; i++)
        npin += g->sel.pins[i].expect >= 0;
    int rows = 2 + (npin > 0);
    float pw = (w - gap) / 2, ph = (h - gap * (float)(rows - 1)) / (float)rows;
    plot(g, CURVE_LOSS, x, y, pw, ph, &(UiPlot){.title = "loss (mean -log sigmoid per pair)",
         .fmt = "%.4f", .x_unit = "words", .color = DRAW_RGB(230, 159, 0)});
    plot(g, CURVE_WPS, x + pw + gap, y, pw, ph, &(UiPlot){.title = "words / s", .fmt = "%.0f",
         .x_unit = "words", .color = DRAW_RGB(0, 158, 115), .from_zero = true});
    y += ph + gap;
    plot(g, CURVE_ALPHA, x, y, pw, ph, &(UiPlot){.title = "learning rate", .fmt = "%.5f",
         .x_unit = "words", .color = DRAW_RGB(86, 180, 233), .from_zero = true});
    plot(g, CURVE_ACCURACY, x + pw + gap, y, pw, ph, &(UiPlot){.title = acc, .fmt = "%.3f",
         .x_unit = "words", .color = DRAW_RGB(204, 121, 167), .from_zero = true});
    if (!npin)
        return;
    y += ph + gap;
    /* one rank plot and one cosine plot per pin with an expected answer, side by side */
    float cw = (w - gap * (float)(2 * npin - 1)) / (float)(2 * npin);
    int k = 0;
    for (int i = 0; i < g->sel.npins && i < CURVES_MAX_PINS; i++) {
        const GuiPin *p = &g->sel.pins[i];
        if (p->expect < 0)
            continue;
        char t1[300], t2[300];
        snprintf(t1, sizeof t1, "rank of %s", gui_word(g, p->expect));
        snprintf(t2, sizeof t2, "cos(%s, %s)", gui_word(g, p->expect), p->text);
        float px = x + (float)(2 * k) * (cw + gap);
        plot(g, (CurveField)(CURVE_PIN_RANK + i), px, y, cw, ph, &(UiPlot){.title = t1,
             .fmt = "%.0f", .x_unit = "words", .invert = true, .color = DRAW_RGB(240, 228, 66)});
        plot(g, (CurveField)(CURVE_PIN_COS + i), px + cw + gap, y, cw, ph, &(UiPlot){.title = t2,
             .fmt = "%.3f", .x_unit = "words", .color = DRAW_RGB(240, 228, 66)});
        k++;
    }
}
