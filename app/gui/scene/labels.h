/* Word labels without overlaps: the hovered, selected and pinned words first (forced, placed
 * on whichever side is free), then neighbours, then words by frequency while room is left,
 * on a grid of 4-pixel cells that also keeps them off the panels and the axes. UI thread. */
#ifndef EMBEDSCOPE_GUI_LABELS_H
#define EMBEDSCOPE_GUI_LABELS_H
#include "app/gui/core/app.h"

/* Chooses g->space.labels / label_box for the points projected this frame. */
void gui_labels_choose(GuiApp *g);

#endif
