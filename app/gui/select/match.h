/* Finding words by their spelling: a search-box query `/RE/` (a POSIX extended regular
 * expression, case-insensitive) or `~TEXT` (words containing TEXT) marks every matching word:
 * the scene dims the others and labels the matches first; Enter again on the same query hides
 * the others (and again shows them); Esc or an empty Enter clears it. UI thread. */
#ifndef EMBEDSCOPE_GUI_MATCH_H
#define EMBEDSCOPE_GUI_MATCH_H
#include "app/gui/core/app.h"

/* Is text a spelling query (`/RE/`, `~TEXT`) rather than words or an expression? */
bool gui_match_is_query(const char *text);
/* Runs the query on the vocabulary shown; an error (a bad regular expression) is returned in
 * e and nothing changes. */
bool gui_match_run(GuiApp *g, const char *text, Err *e);
void gui_match_clear(GuiApp *g);
/* Is word i marked (false when no query is active)? */
static inline bool gui_match_has(const GuiApp *g, int64_t i)
{
    return g->match.mask && i >= 0 && i < g->match.rows && g->match.mask[i];
}

#endif
