/* The selection: the selected word and its nearest neighbours (recomputed on every new frame,
 * so they follow the training), extra words chosen with ctrl-click, the number of neighbours
 * shown. UI thread. */
#ifndef EMBEDSCOPE_GUI_SELECT_H
#define EMBEDSCOPE_GUI_SELECT_H
#include "app/gui/core/app.h"

/* Selects word (-1: nothing); the neighbours and the status line follow. */
void gui_select(GuiApp *g, int64_t word);
/* ctrl-click: adds word to (or removes it from) the extra selection. */
void gui_select_toggle(GuiApp *g, int64_t word);
/* The selected word's k nearest neighbours in the frame on screen. */
void gui_query_neighbours(GuiApp *g);
/* Selects every word of a list ("cat dog horse", or pasted lines): the first is the selection,
 * the others extra words; unknown words are named in the status line. False when none is
 * known. */
bool gui_select_words(GuiApp *g, const char *list);
/* Shows k neighbours (clamped to 5..GUI_MAX_K). */
void gui_set_k(GuiApp *g, int k);
/* The neighbours' cosine cutoff as typed: "" none (the top k), else every neighbour with a
 * cosine at least this, up to GUI_MAX_K. False (status says why) for a bad number. */
bool gui_set_min_cos(GuiApp *g, const char *text);
/* On every new frame: neighbours and pinned answers follow the training; a pinned analogy
 * whose best answer changes says so in the status line. */
void gui_refresh_queries(GuiApp *g);

#endif
