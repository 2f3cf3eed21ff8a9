/* What the window shows and the threads behind it: installing an opened session (a trainer
 * over a corpus, or fixed vectors) with its analysis thread, opening files in the background,
 * restarting training, taking the newest published frame and reporting background errors.
 * UI thread. */
#ifndef EMBEDSCOPE_GUI_DATA_SESSION_H
#define EMBEDSCOPE_GUI_DATA_SESSION_H
#include "app/gui/core/app.h"

/* Opens a corpus or vectors file in the background (SESSION_AUTO: by content); the session on
 * screen stays until it is ready. False (message in the status line) when one is already being
 * opened. */
bool gui_open(GuiApp *g, const char *path, SessionKind kind);
/* Shows vectors made in memory (t: heap, moved in, freed on failure too) as fixed vectors named
 * name, in place of the data on screen (the learned byte table in the Space view). */
bool gui_show_table(GuiApp *g, Embeddings *t, const char *name, Err *e);
/* Installs a finished open (or reports its error); nothing when none has finished. */
void gui_open_poll(GuiApp *g);
/* Stops the open in progress (the session on screen stays). */
void gui_cancel_open(GuiApp *g);
/* A new random init, same vocabulary and settings; false (e set) leaves no trainer. */
bool gui_restart_training(GuiApp *g, Err *e);
/* Takes the newest published frame; true when it is new (the points, views and queries then
 * follow it). Starts a trainer whose random init has just been shown. */
bool gui_take_snapshot(GuiApp *g);
/* Errors of the background threads go to the status line, once each. */
void gui_poll_errors(GuiApp *g);
/* Stops every background thread and frees the session (at exit). */
void gui_data_free(GuiApp *g);

#endif
