/* The positional-embeddings view (O): a position table's PCA path, its position x position
 * cosine map and distance probes, built on a worker thread. UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_POSVIEW_H
#define EMBEDSCOPE_GUI_VIEWS_POSVIEW_H
#include "app/gui/core/app.h"

void gui_posview_draw(GuiApp *g, float x, float y, float w, float h);
/* (Re)builds the table asked for in views.pos.want. */
void gui_posview_request(GuiApp *g);
/* Takes a finished build. */
void gui_posview_poll(GuiApp *g);
void gui_posview_free(GuiApp *g);

#endif
