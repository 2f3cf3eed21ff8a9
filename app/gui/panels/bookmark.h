/* Bookmarks in the window: the view on screen (data source, camera, 2D/3D, selection, pinned
 * expressions, label size, k, training settings) saved to a small text file
 * (model/files/bookmark.h) and restored, opening its data first when it is not what is on
 * screen. UI thread. */
#ifndef EMBEDSCOPE_GUI_BOOKMARK_H
#define EMBEDSCOPE_GUI_BOOKMARK_H
#include "app/gui/core/app.h"

bool gui_bookmark_save(GuiApp *g, const char *path, Err *e);
/* Restores path; open_source: open its data when it is not the data on screen (the view is
 * then applied by gui_bookmark_poll once that data is shown). */
bool gui_bookmark_load(GuiApp *g, const char *path, bool open_source, Err *e);
void gui_bookmark_poll(GuiApp *g);

#endif
