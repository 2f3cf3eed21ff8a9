/* Pinned expressions: `king - man + woman` (an analogy, drawn as arrows) or any sum of words,
 * evaluated again on every new frame; "EXPR = WORD" names the expected answer, whose rank the
 * curves follow. At most GUI_MAX_PINS; a new one pushes out the oldest. UI thread. */
#ifndef EMBEDSCOPE_GUI_PINS_H
#define EMBEDSCOPE_GUI_PINS_H
#include "app/gui/core/app.h"
#include <stddef.h>

/* Pins an expression (evaluated on every snapshot); fly: move the camera to it. */
void gui_pin_expression(GuiApp *g, const char *text, bool fly);
/* Evaluates pin p on the frame on screen. */
void gui_pin_query(GuiApp *g, GuiPin *p);
/* Removes pin i. */
void gui_unpin(GuiApp *g, int i);
/* A pin's text "EXPR = WORD": the expression part (in buf, or text itself without '=') and
 * the expected answer's row (-1 when none or unknown). */
const char *gui_pin_expr(const char *text, char *buf, size_t cap);
int64_t gui_pin_expect(const GuiApp *g, const char *text);

#endif
