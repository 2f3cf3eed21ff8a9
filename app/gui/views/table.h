/* The lookup-table view (T): nn.Embedding's weight matrix as a heatmap, one row per word (or,
 * for the learned GPT of the Positions view, per position of wpe or byte of wte), scrollable,
 * with typed indices looked up as emb(torch.tensor([...])) returns them. Values come from
 * published frames, never a trainer. UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_TABLE_H
#define EMBEDSCOPE_GUI_VIEWS_TABLE_H
#include "app/gui/core/app.h"

void gui_table_draw(GuiApp *g, float x, float y, float w, float h);
/* Shows the word vectors, wpe or wte; false (e set) for wpe and wte before a learned table. */
bool gui_table_set_source(GuiApp *g, GuiTableSource src, Err *e);
/* The learned byte table (wte) as the data on screen, one point per byte (named "a", "space",
 * "\\n", "0xNN"), in the Space view: the vowels, digits and punctuation group as it learns.
 * False (status says why) when there is none yet. */
bool gui_table_wte_to_space(GuiApp *g);
/* Typed indices ("0 2 5"); false (views.table.pick_error set) for a bad or out-of-range one. */
bool gui_table_set_indices(GuiApp *g, const char *text);
/* Checksum of the raw vectors of the frame on screen (script marks). */
uint64_t gui_snapshot_checksum(const GuiApp *g);

#endif
