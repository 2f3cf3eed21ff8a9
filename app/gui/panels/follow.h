/* Following a vectors file that another program replaces from time to time (`train
 * -snapshot-every`, an MPI run, another tool's periodic saves): the window looks at the file a
 * few times a second and, once a new version has stopped changing, reopens it in the
 * background and puts the camera, the selection and the pins back on it. `--follow FILE` and
 * the "follow" button of the vectors panel turn it on. UI thread. */
#ifndef EMBEDSCOPE_GUI_FOLLOW_H
#define EMBEDSCOPE_GUI_FOLLOW_H
#include "app/gui/core/app.h"

/* Follows path (the data on screen should be that file: its version now is taken as shown). */
void gui_follow_start(GuiApp *g, const char *path);
void gui_follow_stop(GuiApp *g);
/* Looks at the file (at most every GUI_FOLLOW_MS) and starts a reload when it was replaced;
 * true when something on screen may change. */
bool gui_follow_poll(GuiApp *g);

#define GUI_FOLLOW_MS 250

#endif
