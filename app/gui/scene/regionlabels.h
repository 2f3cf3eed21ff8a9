/* Names over the cloud (issue #14): in a neighbour layout (UMAP, t-SNE) its dense regions
 * (model/analysis/regions.h) named by their typical words (typical.h), at their density peaks;
 * in the PCA and axes views the k-means clusters, by the legend's words, at their centres.
 * Bigger than word labels, on a dark plate, never overlapping; the most prominent first, so
 * fewer fit when zoomed out and more as the view zooms in. Regions are found on a worker
 * thread (one job at a time, on copies of the layout and the unit vectors) whenever a new
 * layout is on screen; the old names stay until the new ones are ready. UI thread, except the
 * job's thread in regionlabels.c. */
#ifndef EMBEDSCOPE_GUI_SCENE_REGIONLABELS_H
#define EMBEDSCOPE_GUI_SCENE_REGIONLABELS_H
#include "app/gui/core/app.h"

/* From gui_scene_draw, before the word labels are chosen: takes a finished job's names,
 * starts a job for a layout not named yet, then places and draws the names. */
void gui_region_labels_draw(GuiApp *g);
/* Changes when a job finishes or its names are taken, so the scene is drawn again (the scene
 * layer is cached by a key, render/layercache.h). */
uint64_t gui_region_labels_key(const GuiApp *g);
/* Marks the boxes drawn this frame in the word labels' occupancy grid (cells of grid pixels,
 * grid_w x grid_h, value used). */
void gui_region_labels_reserve(const GuiApp *g, uint8_t *cell, int grid_w, int grid_h, int grid,
                               uint8_t used);
/* Joins a running job and forgets the names (another data set, shutdown). */
void gui_region_labels_free(GuiApp *g);

#endif
