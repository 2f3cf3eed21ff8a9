/* The open dialog (Ctrl+O; SDL2 has none): a typed path with Tab completion, the folder's
 * entries (folders first, each file classed by its content as vectors, a corpus or a
 * bookmark), a filter on those classes, recent files and a few places. Enter or a double-click
 * opens; Esc closes. While it is shown it is modal: the panels and the scene under it get no
 * input. UI thread. */
#ifndef EMBEDSCOPE_GUI_OPENDLG_H
#define EMBEDSCOPE_GUI_OPENDLG_H
#include "app/gui/core/app.h"

#define GUI_OPENDLG_PATH_ID "open path"

/* Shows the dialog in the last folder used (else the working folder), or hides it. */
void gui_opendlg_toggle(GuiApp *g);
bool gui_opendlg_shown(const GuiApp *g);
/* The dialog for this frame: drawn last, over everything, with the frame's input. */
void gui_opendlg_panel(GuiApp *g);
/* The listed folder ("" when never shown), for scripts and tests. */
const char *gui_opendlg_folder(const GuiApp *g);
void gui_opendlg_free(GuiApp *g);

#endif
