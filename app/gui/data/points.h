/* Every word's displayed position: a new frame's coordinates centred and scaled to unit RMS
 * radius (so the camera's framing holds while the cloud grows), interpolated from the previous
 * positions over a short animation, so points drift instead of jumping. UI thread. */
#ifndef EMBEDSCOPE_GUI_DATA_POINTS_H
#define EMBEDSCOPE_GUI_DATA_POINTS_H
#include "app/gui/core/app.h"

bool gui_points_alloc(GuiApp *g, int64_t rows);
void gui_points_free(GuiApp *g);
/* The held frame is new: its positions become the animation's target (the first frame is
 * shown at once and homes the camera). */
void gui_points_new_snapshot(GuiApp *g);
/* Advances the interpolation; true while the points move. */
bool gui_points_animate(GuiApp *g);
/* Displayed position of word i (z = 0 in 2D). */
vec3s gui_pos(const GuiApp *g, int64_t i);
/* Smoothstep easing of t in [0, 1]. */
float gui_smooth(float t);

#endif
