/* The search box at the top left: typing shows prefix completions (Up/Down, Tab, click),
 * Enter selects a word or pins an expression (select/search.c), errors show under it.
 * UI thread. */
#ifndef EMBEDSCOPE_GUI_SEARCH_BOX_H
#define EMBEDSCOPE_GUI_SEARCH_BOX_H
#include "app/gui/core/app.h"

#define GUI_SEARCH_ID "search"  /* the box's UI id: "/" focuses it */

void gui_search_box(GuiApp *g);
/* Where the panels under the box may start: below its error line while one is shown (it is
 * drawn last, over them), else top (the tabs' bottom, gui_views_top). */
float gui_search_box_below(const GuiApp *g, float top);

#endif
