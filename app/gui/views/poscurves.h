/* The learned table's curves under the Positions view's panes: the loss against the text's
 * unigram and bigram losses, and the position table's mean adjacent cosine, mean far-pair
 * cosine and first component's share, against steps, with the step the table turned smooth
 * marked. Drawn from the learned frame held (views.pos.frame). UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_POSCURVES_H
#define EMBEDSCOPE_GUI_VIEWS_POSCURVES_H
#include "app/gui/core/app.h"

void gui_poscurves_draw(GuiApp *g, float x, float y, float w, float h);

#endif
