/* The help screen (H or ?): every line of the command table, centred over the window.
 * UI thread. */
#ifndef EMBEDSCOPE_GUI_HELP_H
#define EMBEDSCOPE_GUI_HELP_H
#include "app/gui/core/app.h"

void gui_help_panel(GuiApp *g);

#endif
