/* The metadata columns the points can be coloured by (model/files/meta.h): a projector pair's
 * own metadata.tsv, `--metadata FILE`, a file dropped on the window or chosen in the open
 * dialog. Loaded on the UI thread (read whole, at most META_MAX_BYTES), matched to the words
 * shown (by row for the projector pair the labels came from, else by word), and dropped when
 * other data is installed. A failed load says why in the status line and changes nothing.
 * UI thread. */
#ifndef EMBEDSCOPE_GUI_DATA_METADATA_H
#define EMBEDSCOPE_GUI_DATA_METADATA_H
#include "app/gui/core/app.h"

/* Loads path for the data on screen, colours by its first column and says so (with the words
 * that have no row) in the status line. */
bool gui_metadata_load(GuiApp *g, const char *path);
/* After new data is installed: drops the old metadata, then loads the pending --metadata FILE,
 * or else a projector pair's metadata.tsv that has columns beyond the labels. Messages are
 * appended to the status line. */
void gui_metadata_installed(GuiApp *g);
/* Does the file look like metadata (a header of two or more fields, not numbers)? */
bool gui_metadata_sniff_file(const char *path);
/* The metadata of the data on screen, or NULL. */
const Meta *gui_metadata(const GuiApp *g);
void gui_metadata_free(GuiApp *g);

#endif
