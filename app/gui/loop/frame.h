/* One frame of the window: take the newest published snapshot, lay out the panels, run the
 * frame's commands and gestures, draw the scene layer (or reuse its cached pixels) and the
 * panels over it, present, and record the frame's times. UI thread. */
#ifndef EMBEDSCOPE_GUI_FRAME_H
#define EMBEDSCOPE_GUI_FRAME_H
#include "app/gui/core/app.h"

/* Draws one frame from the input gathered since the last one. Returns true when that input
 * had keys, text, clicks or the wheel: an immediate-mode frame acts on them while it lays
 * itself out (a key's command runs after the panels were drawn, a button's effect after the
 * button), so what it drew still shows the state before them, and the caller must draw one
 * more frame at once; an idle window would otherwise show a key's effect only at the next
 * event (issue #13). */
bool gui_frame(GuiApp *g);

#endif
