/* Camera moves that follow what the user looks at: flying to a set of words, framing the
 * selection (and then following it while training moves it), 2D or 3D, reset. UI thread. */
#ifndef EMBEDSCOPE_GUI_CAMERA_H
#define EMBEDSCOPE_GUI_CAMERA_H
#include "app/gui/core/app.h"

/* Flies the camera to frame words[0..n) (their centroid, radius to the farthest). */
void gui_fly_to(GuiApp *g, const int64_t *words, int n);
/* Frames the selection with its neighbours (then follows it), or the newest pinned analogy. */
void gui_fit_selection(GuiApp *g);
/* Advances a flight and the follow; true while flying. */
bool gui_fly_update(GuiApp *g);
/* After the projection on screen changed (GuiProj.reframe): flies to the selection with its
 * neighbours or the newest pinned analogy in their new places, else to the whole cloud. */
void gui_reframe(GuiApp *g);
void gui_set_2d(GuiApp *g, bool two_d);
void gui_reset_view(GuiApp *g);

#endif
