/* Bookmarks in the window: the view on screen (data source, camera, 2D/3D, selection, pinned
 * expressions, label size, k, training settings) saved to a small text file
 * (model/files/bookmark.h) and restored, opening its data first when it is not what is on
 * screen. UI thread. */
#ifndef EMBEDSCOPE_GUI_BOOKMARK_H
#define EMBEDSCOPE_GUI_BOOKMARK_H
#include "app/gui/core/app.h"

/* The view on screen as a bookmark (no file). */
void gui_bookmark_capture(GuiApp *g, struct Bookmark *b);
bool gui_bookmark_save(GuiApp *g, const char *path, Err *e);
/* Opens path (vectors) again in the background and puts the view on screen back on it when it
 * is shown (camera, selection, pins), without a "bookmark restored" message: following a file
 * that another program replaces. False (status set) when it cannot start. */
bool gui_bookmark_reopen(GuiApp *g, const char *path);
/* Restores path; open_source: open its data when it is not the data on screen (the view is
 * then applied by gui_bookmark_poll once that data is shown). */
bool gui_bookmark_load(GuiApp *g, const char *path, bool open_source, Err *e);
void gui_bookmark_poll(GuiApp *g);

#endif
