/* One frame of the window: take the newest published frame, lay out the panels, run the
 * frame's commands and gestures, draw the scene layer (or reuse its cached pixels) and the
 * panels over it, present, and record the frame's times. UI thread. */
#ifndef EMBEDSCOPE_GUI_FRAME_H
#define EMBEDSCOPE_GUI_FRAME_H
#include "app/gui/core/app.h"

void gui_frame(GuiApp *g);

#endif
