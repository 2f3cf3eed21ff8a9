/* The projection panel of the right column (Space view): PCA, custom axes, UMAP or t-SNE.
 * Custom axes have their boxes (x: `man -> woman`, y: `bad -> good` or empty for the first
 * principal component of the rest); Enter in a box applies both. The neighbour layouts have
 * 2D / 3D, boxes for neighbours, min_dist or perplexity and epochs (Enter or apply rebuilds),
 * and a progress bar while one is made. UI thread. */
#ifndef EMBEDSCOPE_GUI_PROJPANEL_H
#define EMBEDSCOPE_GUI_PROJPANEL_H
#include "app/gui/core/app.h"

#define GUI_AXIS_X_ID "axis x"
#define GUI_AXIS_Y_ID "axis y"
#define GUI_LAY_NEIGHBORS_ID "layout neighbours"
#define GUI_LAY_SHAPE_ID "layout min_dist / perplexity"
#define GUI_LAY_EPOCHS_ID "layout epochs"

/* Draws it at (x, y) of width w; returns its height. */
float gui_projection_panel(GuiApp *g, float x, float y, float w);

#endif
