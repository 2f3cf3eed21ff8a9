/* The positional-embeddings view (O): a position table's PCA path, its position x position
 * cosine map and distance probes, built on a worker thread; the table is sinusoidal, random
 * or learned (the small GPT training in the background: posctl.h). UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_POSVIEW_H
#define EMBEDSCOPE_GUI_VIEWS_POSVIEW_H
#include "app/gui/core/app.h"

typedef enum GuiPosSource { GUI_POS_SINUSOIDAL = 0, GUI_POS_RANDOM, GUI_POS_LEARNED } GuiPosSource;

void gui_posview_draw(GuiApp *g, float x, float y, float w, float h);
/* (Re)builds the table asked for in views.pos.want; for the learned source, makes a session
 * when none is shown or on its way. */
void gui_posview_request(GuiApp *g);
/* Shows source src: a learned session already made goes on where it was. */
void gui_posview_choose(GuiApp *g, GuiPosSource src);
/* A setting by the script's name: pos_kind (sinusoidal, random, learned), pos_len, pos_dim,
 * and the learned table's (posctl.h). false (e set, nothing changed) for a bad value. */
bool gui_posview_set(GuiApp *g, const char *name, const char *val, Err *e);
/* The table on screen is v from now on (its images are made again). */
void gui_posview_show(GuiApp *g, const PosView *v);
/* Takes a finished build or a new learned frame. */
void gui_posview_poll(GuiApp *g);
void gui_posview_free(GuiApp *g);

#endif
