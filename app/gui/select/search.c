/* The search box's logic (see search.h). UI thread. */
#include "app/gui/select/search.h"
#include "app/gui/select/camera.h"
#include "app/gui/select/match.h"
#include "app/gui/select/pins.h"
#include "app/gui/select/select.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* " (did you mean a, b, c?)": words sharing the longest prefix with an unknown word. */
static void suggest(const GuiApp *g, const char *w, char *out, size_t cap)
{
    const Vocab *v = gui_vocab(g);
    for (size_t n = strlen(w); n >= 2; n--) {
        int found = 0;
        size_t len = 0;
        for (int64_t i = 0; i < v->size && found < 3; i++) {
            const char *c = vocab_word(v, i);
            if (strncmp(c, w, n))
                continue;
            int k = snprintf(out + len, cap - len, "%s%s", found ? ", " : " (did you mean ", c);
            if (k < 0 || (size_t)k >= cap - len)
                break;
            len += (size_t)k;
            found++;
        }
        if (found) {
            snprintf(out + len, cap - len, "?)");
            return;
        }
        out[0] = 0;
    }
}

static void search_error(GuiApp *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void search_error(GuiApp *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->search.error, sizeof g->search.error, fmt, ap);
    va_end(ap);
    gui_set_status(g, true, "%s", g->search.error);
}

/* Enter in the search box: one word selects it, an expression is evaluated and pinned. */
void gui_search_submit(GuiApp *g)
{
    Expr x;
    Err e = {{0}};
    char ex[sizeof g->search.text];
    const char *text = gui_pin_expr(g->search.text, ex, sizeof ex); /* "... = word": expected answer */
    g->search.error[0] = 0;
    if (!g->data.snap) {
        search_error(g, "no snapshot yet: wait for training to start");
        return;
    }
    if (gui_match_is_query(text)) { /* /RE/ or ~TEXT: words by their spelling */
        if (!gui_match_run(g, text, &e))
            search_error(g, "%s", e.msg);
        return;
    }
    if (!text[0] && g->match.mask) { /* an empty Enter clears the spelling query */
        gui_match_clear(g);
        gui_set_status(g, false, "spelling query cleared");
        return;
    }
    if (!expr_parse(text, &x, &e)) {
        search_error(g, "bad expression: %s", e.msg);
        return;
    }
    if (!expr_resolve(&x, gui_vocab(g), &e)) {
        char hint[160] = "";
        if (x.nterms == 1)
            suggest(g, x.terms[0].word, hint, sizeof hint);
        search_error(g, "%s%s", e.msg, hint);
        return;
    }
    if (x.nterms == 1 && x.terms[0].sign > 0) {
        gui_select(g, x.terms[0].index);
        gui_fit_selection(g);
        return;
    }
    static float q[EMB_MAX_DIM];
    ExprQuery eq;
    if (!expr_build(&x, &g->data.snap->knn, q, &eq, &e)) {
        search_error(g, "%s", e.msg);
        return;
    }
    gui_pin_expression(g, g->search.text, true);
}

void gui_complete(GuiApp *g)
{
    g->search.ncompletions = 0;
    g->search.completion = 0;
    const char *s = g->search.text;
    size_t n = strlen(s);
    if (!n || strpbrk(s, " +-") || s[0] == '/' || s[0] == '~')
        return;
    const Vocab *v = gui_vocab(g);
    for (int64_t i = 0; i < v->size && g->search.ncompletions < GUI_MAX_COMPLETIONS; i++) {
        const char *w = vocab_word(v, i);
        if (!strncmp(w, s, n) && w[n])
            g->search.completions[g->search.ncompletions++] = i;
    }
}

void gui_complete_take(GuiApp *g, int i)
{
    GuiSearch *s = &g->search;
    if (i < 0 || i >= s->ncompletions)
        return;
    snprintf(s->text, sizeof s->text, "%s", gui_word(g, s->completions[i]));
    gui_complete(g);
}

void gui_history_push(GuiApp *g)
{
    GuiSearch *s = &g->search;
    if (s->text[0] && (!s->nhistory || strcmp(s->history[s->nhistory - 1], s->text))) {
        if (s->nhistory == GUI_SEARCH_HISTORY) {
            memmove(s->history[0], s->history[1], sizeof s->history[0] * (GUI_SEARCH_HISTORY - 1));
            s->nhistory--;
        }
        memcpy(s->history[s->nhistory++], s->text, strlen(s->text) + 1); /* both 256 bytes */
    }
    s->recall = s->nhistory;
}

bool gui_history_step(GuiApp *g, int dir)
{
    GuiSearch *s = &g->search;
    int to = s->recall + dir;
    if (to < 0 || to > s->nhistory || s->recall > s->nhistory)
        return false;
    s->recall = to;
    if (to < s->nhistory)
        memcpy(s->text, s->history[to], strlen(s->history[to]) + 1); /* both 256 bytes */
    else
        s->text[0] = 0;
    s->error[0] = 0;
    return true;
}
