/* The window's remembered settings (app/desk/settings.h) as the window uses them: read once at
 * start, written whenever something remembered changes (a file opened, the hint dismissed, the
 * label size, the open dialog's folder). A bad file or a failed write is reported once in the
 * status line and on stderr, then the window goes on with defaults. UI thread. */
#ifndef EMBEDSCOPE_GUI_PREFS_H
#define EMBEDSCOPE_GUI_PREFS_H
#include "app/gui/core/app.h"

/* Reads the settings file ($XDG_CONFIG_HOME/embedscope/settings). A corrupt one is replaced
 * at once by the defaults, so it is reported on this launch only. */
void gui_prefs_load(GuiApp *g);
/* Writes the settings (atomically); a failure is reported once per run. */
void gui_prefs_save(GuiApp *g);
/* A file was opened: it goes first in the recent list ("@world" and the like are not files). */
void gui_prefs_opened(GuiApp *g, const char *path);
/* Data is on screen: a settings problem reported before it is shown again, once. */
void gui_prefs_shown(GuiApp *g);
/* A recent file could not be opened: it leaves the list. */
void gui_prefs_forget(GuiApp *g, const char *path);

#endif
