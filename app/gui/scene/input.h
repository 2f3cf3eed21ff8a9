/* Mouse gestures on the embedding space: left drag rotates (2D: pans), right or shift drag
 * pans, the wheel zooms to the cursor, a click selects (ctrl: adds), a double click frames;
 * hovering picks the word under the cursor. UI thread. */
#ifndef EMBEDSCOPE_GUI_SCENE_INPUT_H
#define EMBEDSCOPE_GUI_SCENE_INPUT_H
#include "app/gui/core/app.h"

/* Camera and picking from this frame's input (g->ui.in); the panels have claimed their
 * rectangles first. */
void gui_scene_input(GuiApp *g);

#endif
