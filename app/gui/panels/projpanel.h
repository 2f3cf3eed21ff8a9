/* The projection panel of the right column (Space view): PCA or custom axes, with the axes'
 * boxes (x: `man -> woman`, y: `bad -> good` or empty for the first principal component of the
 * rest); Enter in a box applies both. UI thread. */
#ifndef EMBEDSCOPE_GUI_PROJPANEL_H
#define EMBEDSCOPE_GUI_PROJPANEL_H
#include "app/gui/core/app.h"

#define GUI_AXIS_X_ID "axis x"
#define GUI_AXIS_Y_ID "axis y"

/* Draws it at (x, y) of width w; returns its height. */
float gui_projection_panel(GuiApp *g, float x, float y, float w);

#endif
