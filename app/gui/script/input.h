/* Script verbs that replay a person's input as SDL events: type, clear, key, click_word,
 * click, click_legend, drag, wheel, resize, drop, screenshot, echo, quit. UI thread. */
#ifndef EMBEDSCOPE_GUI_SCRIPT_INPUT_H
#define EMBEDSCOPE_GUI_SCRIPT_INPUT_H
#include "app/gui/script/line.h"

/* NULL-terminated. */
extern const ScriptVerb script_input_verbs[];
/* Advances a press/move/release gesture by one frame. */
void script_gesture_frame(GuiApp *g, GuiScript *s);

#endif
