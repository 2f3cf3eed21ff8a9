/* Pinned expressions (see pins.h). UI thread. */
#include "app/gui/select/pins.h"
#include "app/gui/select/camera.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *gui_pin_expr(const char *text, char *buf, size_t cap)
{
    const char *eq = strchr(text, '=');
    if (!eq)
        return text;
    size_t n = (size_t)(eq - text);
    while (n && isspace((unsigned char)text[n - 1]))
        n--;
    n = n < cap - 1 ? n : cap - 1;
    memcpy(buf, text, n);
    buf[n] = 0;
    return buf;
}

int64_t gui_pin_expect(const GuiApp *g, const char *text)
{
    const char *eq = strchr(text, '=');
    if (!eq)
        return -1;
    eq++;
    while (isspace((unsigned char)*eq))
        eq++;
    size_t n = strlen(eq);
    while (n && isspace((unsigned char)eq[n - 1]))
        n--;
    return n ? vocab_find(gui_vocab(g), eq, n) : -1;
}

void gui_pin_query(GuiApp *g, GuiPin *p)
{
    if (!g->data.snap)
        return;
    static float q[EMB_MAX_DIM];
    Expr x;
    Err e = {{0}};
    p->nans = 0;
    char ex[sizeof p->text];
    if (!expr_compile(gui_pin_expr(p->text, ex, sizeof ex), gui_vocab(g), &g->data.snap->knn, &x, q,
                      &p->q, &e)) {
        snprintf(p->err, sizeof p->err, "%s", e.msg);
        return;
    }
    p->err[0] = 0;
    p->nans = knn_query(&g->data.snap->knn, q, 10, p->q.exclude, p->q.nexclude, p->ans);
    p->seq = g->data.snap->seq;
}

void gui_pin_expression(GuiApp *g, const char *text, bool fly)
{
    for (int i = 0; i < g->sel.npins; i++)
        if (!strcmp(g->sel.pins[i].text, text)) {
            gui_set_status(g, false, "'%s' is already pinned", text);
            return;
        }
    if (g->sel.npins == GUI_MAX_PINS) {
        memmove(&g->sel.pins[0], &g->sel.pins[1], (GUI_MAX_PINS - 1) * sizeof g->sel.pins[0]);
        g->sel.npins--;
    }
    GuiPin *p = &g->sel.pins[g->sel.npins++];
    memset(p, 0, sizeof *p);
    snprintf(p->text, sizeof p->text, "%s", text);
    p->expect = gui_pin_expect(g, text);
    gui_pin_query(g, p);
    if (p->nans) {
        /* "a - b + c = d" names its expected answer: say what came first instead */
        if (strchr(text, '='))
            gui_set_status(g, false, "%s: top answer %s (%.3f)", text,
                           gui_word(g, p->ans[0].index), p->ans[0].score);
        else
            gui_set_status(g, false, "%s = %s (%.3f)", text, gui_word(g, p->ans[0].index),
                           p->ans[0].score);
        if (p->q.is_analogy && fly) {
            int64_t w[4] = {p->q.a, p->q.b, p->q.c, p->ans[0].index};
            gui_fly_to(g, w, 4);
        }
    }
}

void gui_unpin(GuiApp *g, int i)
{
    GuiSelection *s = &g->sel;
    if (i < 0 || i >= s->npins)
        return;
    memmove(&s->pins[i], &s->pins[i + 1], (size_t)(s->npins - i - 1) * sizeof s->pins[0]);
    s->npins--;
}
