/* Word trails: where each selected word's point was over the last snapshots (a ring of every
 * word's positions, so a word selected now shows its past at once); scene.c draws them as
 * fading lines. UI thread. */
#ifndef EMBEDSCOPE_GUI_TRAILS_H
#define EMBEDSCOPE_GUI_TRAILS_H
#include "app/gui/core/app.h"

#define GUI_TRAIL_MAX 16       /* snapshots a trail keeps at most */

/* A new frame's targets (g->points.to) join the ring. */
void gui_trails_record(GuiApp *g);
void gui_trails_free(GuiApp *g);
/* Positions of word i over the kept snapshots, oldest first, into xyz ((n, 3), n <= 16). */
int gui_trail(const GuiApp *g, int64_t i, float *xyz);

#endif
