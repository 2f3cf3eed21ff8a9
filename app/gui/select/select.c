/* The selection and its neighbours (see select.h). UI thread. */
#include "app/gui/select/select.h"
#include "app/gui/select/pins.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void gui_query_neighbours(GuiApp *g)
{
    g->sel.nnbrs = 0;
    if (g->sel.selected < 0 || !g->data.snap)
        return;
    const KnnIndex *ix = &g->data.snap->knn;
    /* with a cutoff: every neighbour above it, up to the most the panel lists */
    bool cut = g->sel.min_cos > -1.5f;
    int n = knn_query(ix, knn_row(ix, g->sel.selected), cut ? GUI_MAX_K : g->sel.k, &g->sel.selected, 1,
                      g->sel.nbrs);
    while (cut && n > 0 && g->sel.nbrs[n - 1].score < g->sel.min_cos)
        n--;
    g->sel.nnbrs = n;
}

bool gui_set_min_cos(GuiApp *g, const char *text)
{
    char *end;
    float c = strtof(text, &end);
    while (*end == ' ')
        end++;
    if (!text[0]) {
        g->sel.min_cos = -2.f;
    } else if (*end || !(c >= -1.f && c <= 1.f)) {
        gui_set_status(g, true, "cosine cutoff: '%s' is not a number in -1..1", text);
        return false;
    } else {
        g->sel.min_cos = c;
    }
    gui_query_neighbours(g);
    if (g->sel.min_cos > -1.5f)
        gui_set_status(g, false, "neighbours with cosine >= %.3g (at most %d)", (double)c, GUI_MAX_K);
    else
        gui_set_status(g, false, "top %d neighbours", g->sel.k);
    return true;
}

void gui_select(GuiApp *g, int64_t word)
{
    g->sel.selected = word;
    g->sel.nextra = 0;
    gui_query_neighbours(g);
    if (word >= 0)
        gui_set_status(g, false, "selected '%s' (#%lld by frequency)", gui_word(g, word),
                       (long long)word + 1);
}

/* ctrl-click: adds word to (or removes it from) the extra selection. */
void gui_select_toggle(GuiApp *g, int64_t word)
{
    if (g->sel.selected < 0) {
        gui_select(g, word);
        return;
    }
    for (int i = 0; i < g->sel.nextra; i++)
        if (g->sel.extra[i] == word) {
            g->sel.extra[i] = g->sel.extra[--g->sel.nextra];
            return;
        }
    if (word != g->sel.selected && g->sel.nextra < GUI_MAX_EXTRA)
        g->sel.extra[g->sel.nextra++] = word;
    gui_set_status(g, false, "%d words selected", g->sel.nextra + 1);
}

void gui_set_k(GuiApp *g, int k)
{
    g->sel.k = k < 5 ? 5 : k > GUI_MAX_K ? GUI_MAX_K : k;
    gui_query_neighbours(g);
    gui_set_status(g, false, "showing %d neighbours", g->sel.k);
}

/* On every new snapshot: neighbours and pinned answers follow the training; a pinned
 * analogy whose best answer changes says so in the status line. */
void gui_refresh_queries(GuiApp *g)
{
    gui_query_neighbours(g);
    for (int i = 0; i < g->sel.npins; i++) {
        GuiPin *p = &g->sel.pins[i];
        int64_t before = p->nans ? p->ans[0].index : -1;
        gui_pin_query(g, p);
        if (before >= 0 && p->nans && p->ans[0].index != before)
            gui_set_status(g, false, "%s: now %s (was %s)", p->text, gui_word(g, p->ans[0].index),
                           gui_word(g, before));
    }
}

bool gui_select_words(GuiApp *g, const char *list)
{
    char buf[256], unknown[160] = "";
    snprintf(buf, sizeof buf, "%s", list);
    int known = 0, missing = 0;
    size_t ul = 0;
    for (char *save = NULL, *w = strtok_r(buf, " ,;\t", &save); w; w = strtok_r(NULL, " ,;\t", &save)) {
        int64_t i = gui_find(g, w);
        if (i < 0) {
            missing++;
            int n = snprintf(unknown + ul, sizeof unknown - ul, "%s%s", ul ? ", " : "", w);
            ul = n > 0 && (size_t)n < sizeof unknown - ul ? ul + (size_t)n : ul;
            continue;
        }
        if (!known++)
            gui_select(g, i);
        else if (g->sel.nextra < GUI_MAX_EXTRA && i != g->sel.selected)
            g->sel.extra[g->sel.nextra++] = i;
    }
    if (missing)
        gui_set_status(g, !known, "%d words selected; not in the vocabulary: %s", known, unknown);
    else if (known)
        gui_set_status(g, false, "%d words selected", known);
    return known > 0;
}
