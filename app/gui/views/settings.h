/* The training controls panel (S): learning rate (at once), pause / step / reset, and the
 * settings that need a restart beside the values in use. The actions are data/train_ctl.c.
 * UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_SETTINGS_H
#define EMBEDSCOPE_GUI_VIEWS_SETTINGS_H
#include "app/gui/core/app.h"

/* Draws the panel at (x, y), width w; returns its height. */
float gui_settings_panel(GuiApp *g, float x, float y, float w);

#endif
