/* The embedding space: every word as a point at its displayed position, coloured by cluster,
 * neighbour lines, analogy arrows, labels (scene/labels.c), trails (scene/trails.c) and the
 * axes, projected on the UI pool (render/screen.c) only when something they depend on
 * changed; a big cloud zoomed out is a density image with contours (render/density.c). UI
 * thread. */
#ifndef EMBEDSCOPE_GUI_SCENE_H
#define EMBEDSCOPE_GUI_SCENE_H
#include "app/gui/core/app.h"

/* Makes the per-point buffers for the data on screen (again after an install); false when out
 * of memory (nothing is drawn then). */
bool gui_space_prepare(GuiApp *g);
void gui_space_free(GuiApp *g);
/* Points on screen and in painter's order; skipped when nothing they depend on changed. */
void gui_scene_project(GuiApp *g);
/* Draws the scene into g->scene. */
void gui_scene_draw(GuiApp *g);
/* The visible word nearest (x, y) within radius pixels, or -1. */
int64_t gui_scene_pick(const GuiApp *g, float x, float y, float radius);
/* Screen position of word i; false when it is behind the camera (it may lie outside the
 * window). */
bool gui_word_screen(const GuiApp *g, int64_t i, float *x, float *y);
/* NULL when word i's point is inside the window and not under a panel (its position in *x,
 * *y); else why not ("is not on screen", "is under a panel"). */
const char *gui_word_hidden(const GuiApp *g, int64_t i, float *x, float *y);
/* Everything the scene layer's pixels depend on besides animation (loop/frame.c caches them). */
void gui_scene_key(const GuiApp *g, GuiSceneKey *k);
/* D: the next GuiDensityMode (auto -> density -> points), said on the status line. */
void gui_density_next(GuiApp *g);
/* How much of the last projected frame was the density image: 0 every point drawn, 1 the image
 * alone, between: fading (scripts' assert_density). */
float gui_scene_density(const GuiApp *g);
/* Word i is related to the selection or a pinned analogy (drawn bright). */
bool gui_highlighted(const GuiApp *g, int64_t i);

#endif
