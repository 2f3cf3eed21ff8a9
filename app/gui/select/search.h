/* The search box's logic: Enter selects a word or evaluates and pins an expression (with
 * "did you mean" suggestions for an unknown word), and prefix completion of a single word.
 * The box itself is drawn by panels/search_box.c. UI thread. */
#ifndef EMBEDSCOPE_GUI_SEARCH_H
#define EMBEDSCOPE_GUI_SEARCH_H
#include "app/gui/core/app.h"

/* Enter in the search box: one word selects it, an expression is evaluated and pinned. */
void gui_search_submit(GuiApp *g);
/* Completions of the box's text (a single word prefix) from the vocabulary, most frequent first. */
void gui_complete(GuiApp *g);
/* Completion i replaces the text. */
void gui_complete_take(GuiApp *g, int i);
/* Keeps the text submitted as the newest query of the history (not twice in a row). */
void gui_history_push(GuiApp *g);
/* Up (-1) or Down (+1) through the history: the text becomes that query (Down past the newest
 * empties it). False when there is nothing to go to. */
bool gui_history_step(GuiApp *g, int dir);

#endif
