/* The window's run loop and its --stats report. UI thread. */
#ifndef EMBEDSCOPE_GUI_RUN_H
#define EMBEDSCOPE_GUI_RUN_H
#include "app/gui/core/app.h"

/* Runs until the window closes or the script ends; returns the exit code. */
int gui_run(GuiApp *g);
/* --stats: frame-time percentiles over the last frames and the trainer's rate. */
void gui_print_stats(GuiApp *g);

#endif
