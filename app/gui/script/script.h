/* Scripted sessions (--script FILE, or - for stdin): one verb per line drives the real window
 * (see the list at the top of script.c). UI thread. */
#ifndef EMBEDSCOPE_GUI_SCRIPT_H
#define EMBEDSCOPE_GUI_SCRIPT_H
#include "app/gui/core/app.h"

/* Loads and checks every line (errors name the line); NULL with e set on failure. */
GuiScript *gui_script_load(const char *path, Err *e);
void gui_script_destroy(GuiScript *s);
/* Runs lines until one has to wait for frames; false when the script failed (message printed)
 * with *exit_code set. */
bool gui_script_step(GuiApp *g, GuiScript *s, int *exit_code);
bool gui_script_done(const GuiScript *s);
/* The script is waiting for training or time (the loop may block for events meanwhile). */
bool gui_script_waiting(const GuiScript *s);

#endif
