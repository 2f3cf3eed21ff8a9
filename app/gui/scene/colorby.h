/* What the points' colours say (K cycles it): the k-means cluster (the palette), the word's
 * frequency (log of its count, or of its rank for vectors loaded from a file, which are
 * ordered by frequency), or how far it moved at the last snapshot; the two numeric ones on
 * viridis (perceptually uniform, colour-blind-safe) with a colour bar as legend. UI thread. */
#ifndef EMBEDSCOPE_GUI_COLORBY_H
#define EMBEDSCOPE_GUI_COLORBY_H
#include "app/gui/core/app.h"

/* The next colouring (cluster -> frequency -> movement -> cluster); says which in the status. */
void gui_colorby_next(GuiApp *g);
/* Per-point colours for the scene's projection, or NULL for the cluster palette. Recomputed
 * when the colouring, the data or the snapshot changed. */
const uint32_t *gui_colorby_colors(GuiApp *g);
/* Its legend (a colour bar) at (x, y) of width w; returns the height used, 0 for clusters. */
float gui_colorby_legend(GuiApp *g, float x, float y, float w);
void gui_colorby_free(GuiApp *g);

#endif
