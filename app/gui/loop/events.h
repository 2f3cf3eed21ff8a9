/* SDL events into the UI's input (UiInput) and the frame's printable keys; a dropped file
 * opens it. UI thread. */
#ifndef EMBEDSCOPE_GUI_EVENTS_H
#define EMBEDSCOPE_GUI_EVENTS_H
#include "app/gui/core/app.h"
#include <SDL.h>

/* Translates one SDL event into g->in; true when it may change what is on screen. */
bool gui_on_event(GuiApp *g, const SDL_Event *ev);
/* Clears the one-frame parts of the input after a frame used them. */
void gui_input_consumed(GuiApp *g);

#endif
