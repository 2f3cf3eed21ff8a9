/* The lookup-table view (T): nn.Embedding's weight matrix as a heatmap, one row per word,
 * scrollable, with typed indices looked up as emb(torch.tensor([...])) returns them. Values
 * come from the published frame (unit rows x norms), never the trainer. UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_TABLE_H
#define EMBEDSCOPE_GUI_VIEWS_TABLE_H
#include "app/gui/core/app.h"

void gui_table_draw(GuiApp *g, float x, float y, float w, float h);
/* Typed indices ("0 2 5"); false (views.table.pick_error set) for a bad or out-of-range one. */
bool gui_table_set_indices(GuiApp *g, const char *text);
/* Checksum of the raw vectors of the frame on screen (script marks). */
uint64_t gui_snapshot_checksum(const GuiApp *g);

#endif
