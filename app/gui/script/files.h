/* Script verbs for files: export_coords, export_projector, export_vectors, screenshot_scaled,
 * bookmark_save, bookmark_load. UI thread. */
#ifndef EMBEDSCOPE_GUI_SCRIPT_FILES_H
#define EMBEDSCOPE_GUI_SCRIPT_FILES_H
#include "app/gui/script/line.h"

/* NULL-terminated. */
extern const ScriptVerb script_file_verbs[];

#endif
