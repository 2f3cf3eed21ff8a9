/* Script verbs for the teaching views and the live controls: view, set, apply, mark,
 * wait_after_mark, assert_vectors, assert_heatmap, assert_init, assert_model, wait_posview,
 * assert_posdist, wait_eval, assert_curves. UI thread. */
#ifndef EMBEDSCOPE_GUI_SCRIPT_VIEWS_H
#define EMBEDSCOPE_GUI_SCRIPT_VIEWS_H
#include "app/gui/script/line.h"

/* NULL-terminated. */
extern const ScriptVerb script_view_verbs[];

#endif
