/* Script verbs for the points' colours: color_by (a colouring by name; `color` alone is K),
 * metadata (load a file), assert_color (the colouring and its kind), assert_color_legend (the
 * legend's entries), assert_color_entry (one entry's words). click_legend is with the other
 * clicks in input.c. UI thread. */
#ifndef EMBEDSCOPE_GUI_SCRIPT_COLORS_H
#define EMBEDSCOPE_GUI_SCRIPT_COLORS_H
#include "app/gui/script/line.h"

/* NULL-terminated. */
extern const ScriptVerb script_color_verbs[];

#endif
