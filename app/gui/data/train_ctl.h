/* Controlling the training on screen: pause and resume, one step, the live learning rate,
 * and the settings that need a restart, edited as text against TrainParam's table
 * (model/train/train_desc.h) and applied by reopening the corpus. UI thread. */
#ifndef EMBEDSCOPE_GUI_TRAIN_CTL_H
#define EMBEDSCOPE_GUI_TRAIN_CTL_H
#include "app/gui/core/app.h"
#include "model/train/train_desc.h"

void gui_toggle_pause(GuiApp *g);
/* The learning rate from now on (decaying linearly to the end); false when out of [0, 10]. */
bool gui_set_lr(GuiApp *g, double lr);
/* Trains about one snapshot's worth of words, then pauses. */
void gui_step(GuiApp *g);
/* Called every frame: ends a step once its words are done. */
void gui_step_poll(GuiApp *g);

/* The settings panel's parameters, in its order (GUI_SETTINGS of them). */
const TrainParam *gui_setting(int i);
/* State of setting i's box: 0 empty or the value in use, 1 a new valid value, -1 not valid. */
int gui_setting_state(const GuiApp *g, int i);
/* Edits a setting by name ("model" or a TrainParam name such as "window"); false (e set) for
 * an unknown name or a bad value, which is then not kept. */
bool gui_settings_edit(GuiApp *g, const char *name, const char *value, Err *e);
/* True when the model or a setting differs from the run in use. */
bool gui_settings_changed(const GuiApp *g);
/* Restarts with the edited settings (reopening the corpus in the background). */
bool gui_settings_apply(GuiApp *g, Err *e);

#endif
