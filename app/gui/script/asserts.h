/* Script verbs that check the window: assert_panel, assert_no_panel, assert_panel_any,
 * assert_status, assert_label, assert_labels, assert_selected, assert_answer, assert_differ,
 * assert_trail, assert_rows, assert_source, assert_region_label, wait_regions, assert_density. UI thread. */
#ifndef EMBEDSCOPE_GUI_SCRIPT_ASSERTS_H
#define EMBEDSCOPE_GUI_SCRIPT_ASSERTS_H
#include "app/gui/script/line.h"

/* NULL-terminated. */
extern const ScriptVerb script_assert_verbs[];

#endif
