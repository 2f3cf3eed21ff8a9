/* What the points' colours say (K cycles it, and the arrows atop the colour legend): the
 * k-means cluster (the palette), the word's frequency (log of its count, or of its rank for
 * vectors loaded from a file, which are ordered by frequency), how far it moved at the last
 * snapshot, then each column of the metadata file loaded (data/metadata.h). Numeric ones are
 * drawn on viridis (perceptually uniform, colour-blind-safe) with a colour bar as legend;
 * categorical columns on Okabe & Ito's qualitative palette (render/colormap.h) with a legend
 * of value -> colour and the words of each. Clicking a legend entry marks its words (the
 * others dim), again hides the others, again shows all, through the spelling query's mask
 * (select/match.h), so Esc clears it too. Words without a metadata row are dark grey. UI
 * thread. */
#ifndef EMBEDSCOPE_GUI_COLORBY_H
#define EMBEDSCOPE_GUI_COLORBY_H
#include "app/gui/core/app.h"

/* The next colouring (cluster -> frequency -> movement -> each metadata column -> cluster);
 * says which in the status. */
void gui_colorby_next(GuiApp *g);
/* Colours by what: "cluster", "frequency", "movement", or a metadata column's name (optionally
 * after "metadata "); false (e names the columns there are) when there is no such colouring. */
bool gui_colorby_set(GuiApp *g, const char *what, Err *e);
/* The colouring shown: "cluster", ..., or the column's name. */
const char *gui_colorby_name(const GuiApp *g);
/* The metadata column coloured by, or NULL for the three built-in colourings. */
const MetaColumn *gui_colorby_column(const GuiApp *g);
/* Picks categorical legend entry k as a click on it does; false when there is none. */
bool gui_colorby_pick(GuiApp *g, int k);
/* Per-point colours for the scene's projection, or NULL for the cluster palette. Recomputed
 * when the colouring, the data or the snapshot changed. */
const uint32_t *gui_colorby_colors(GuiApp *g);
/* Its legend at (x, y) of width w; returns the height used, 0 for clusters. */
float gui_colorby_legend(GuiApp *g, float x, float y, float w);
void gui_colorby_free(GuiApp *g);

#endif
