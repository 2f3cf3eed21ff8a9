/* Words by their spelling (see match.h). UI thread. */
#include "app/gui/select/match.h"
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool gui_match_is_query(const char *t)
{
    size_t n = strlen(t);
    return (n >= 3 && t[0] == '/' && t[n - 1] == '/') || (n >= 2 && t[0] == '~');
}

void gui_match_clear(GuiApp *g)
{
    GuiMatch *m = &g->match;
    free(m->mask);
    memset(m, 0, sizeof *m);
    m->generation = g->data.generation + 1; /* changed: the scene projects again */
}

bool gui_match_run(GuiApp *g, const char *text, Err *e)
{
    GuiMatch *m = &g->match;
    const Vocab *v = gui_vocab(g);
    if (m->mask && !strcmp(m->text, text) && m->rows == v->size && m->data_gen == g->data.generation) {
        m->filter = !m->filter; /* the same query again: hide the others, or show them again */
        m->generation++;
        gui_set_status(g, false, "%s: %lld words match; the others are %s (Enter again: %s)", text,
                       (long long)m->n, m->filter ? "hidden" : "dimmed", m->filter ? "show them" : "hide them");
        return true;
    }
    regex_t re;
    size_t n = strlen(text);
    bool is_re = text[0] == '/';
    char pat[sizeof m->text];
    snprintf(pat, sizeof pat, "%.*s", (int)(is_re ? n - 2 : n - 1), text + 1);
    if (is_re) {
        int rc = regcomp(&re, pat, REG_EXTENDED | REG_ICASE | REG_NOSUB);
        if (rc) {
            char why[160];
            regerror(rc, &re, why, sizeof why);
            return err_set(e, "bad regular expression /%s/: %s", pat, why);
        }
    }
    uint8_t *mask = calloc((size_t)(v->size ? v->size : 1), 1);
    if (!mask) {
        if (is_re)
            regfree(&re);
        return err_set(e, "out of memory for %lld words", (long long)v->size);
    }
    int64_t count = 0;
    for (int64_t i = 0; i < v->size; i++) {
        const char *w = vocab_word(v, i);
        bool hit = is_re ? regexec(&re, w, 0, NULL, 0) == 0 : strcasestr(w, pat) != NULL;
        mask[i] = hit;
        count += hit;
    }
    if (is_re)
        regfree(&re);
    free(m->mask);
    uint64_t gen = m->generation + 1;
    memset(m, 0, sizeof *m);
    m->mask = mask;
    m->rows = v->size;
    m->n = count;
    m->generation = gen;
    m->data_gen = g->data.generation;
    snprintf(m->text, sizeof m->text, "%s", text);
    gui_set_status(g, count == 0, "%s: %lld of %lld words match%s", text, (long long)count,
                   (long long)v->size, count ? " (Enter again hides the others; Esc clears)" : "");
    return true;
}
