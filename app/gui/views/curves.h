/* The training-curves view (C): loss, words/s, learning rate, analogy accuracy and each pinned
 * analogy's expected answer (rank, cosine), one sample per published frame. UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_CURVES_H
#define EMBEDSCOPE_GUI_VIEWS_CURVES_H
#include "app/gui/core/app.h"

void gui_curves_draw(GuiApp *g, float x, float y, float w, float h);
/* Samples the frame on screen into views.curves. */
void gui_curves_sample(GuiApp *g);

#endif
