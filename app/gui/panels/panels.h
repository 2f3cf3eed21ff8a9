/* The panels around the scene: the right column (training progress and buttons, or what was
 * loaded, or the file being opened; the training controls; neighbours; exports; pinned
 * expressions), the cluster legend, the status line, the search box, and the view tabs.
 * UI thread. */
#ifndef EMBEDSCOPE_GUI_PANELS_H
#define EMBEDSCOPE_GUI_PANELS_H
#include "app/gui/core/app.h"

/* Every panel of this frame, into g->overlay (the help screen is drawn by commands/help.c). */
void gui_panels(GuiApp *g);

#endif
