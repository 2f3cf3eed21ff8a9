/* Exports from the window: vectors, projected coordinates with clusters, projector files and
 * screenshots larger than the window, from the export panel (E) and the script. Everything
 * comes from the published frame (the UI thread never reads the trainer's matrices). Files
 * are written atomically; the outcome goes to the status line. UI thread. */
#ifndef EMBEDSCOPE_GUI_EXPORT_H
#define EMBEDSCOPE_GUI_EXPORT_H
#include "app/gui/core/app.h"

/* The export panel's buttons. */
typedef enum GuiExport {
    GUI_EXPORT_COORDS, GUI_EXPORT_PROJECTOR, GUI_EXPORT_VECTORS_TEXT, GUI_EXPORT_VECTORS_BINARY,
    GUI_EXPORT_SCREENSHOT_4X, GUI_EXPORT_BOOKMARK_SAVE, GUI_EXPORT_BOOKMARK_RESTORE,
    GUI_EXPORT_COUNT
} GuiExport;

bool gui_export_coords(GuiApp *g, const char *path, Err *e);
bool gui_export_projector(GuiApp *g, const char *dir, Err *e);
bool gui_export_vectors(GuiApp *g, const char *path, bool binary, Err *e);
/* The scene alone at factor (1..8) times the window's pixels, fonts rasterised for it. */
bool gui_screenshot_scaled(GuiApp *g, const char *path, int factor, Err *e);
/* One button's export into export_dir, reported in the status line. */
void gui_export_run(GuiApp *g, GuiExport what);
/* The panel at (x, y), width w; returns its height. */
float gui_export_panel(GuiApp *g, float x, float y, float w);

#endif
