/* Which projection the points show (X cycles it): the live PCA (the analysis thread's), a
 * neighbour layout (UMAP or t-SNE, 2D or 3D, made and refined by the analysis thread), or
 * custom axes (the TensorBoard projector's custom projection, Parallax's semantic axes): x
 * along a direction between two words, `man -> woman`, y along another, `bad -> good`, or,
 * left empty, along the first principal component of what x leaves. The targets are centred
 * and scaled to unit RMS radius like the PCA's, so the camera's framing holds, and a change of
 * projection animates like a new snapshot. UI thread. */
#ifndef EMBEDSCOPE_GUI_DATA_PROJ_H
#define EMBEDSCOPE_GUI_DATA_PROJ_H
#include "app/gui/core/app.h"

/* Writes every word's target position, (rows, 3) floats, for the held snapshot. */
void gui_proj_targets(GuiApp *g, float *to);
/* Custom axes from their texts ("man -> woman", "woman", y may be ""), checked against the
 * vocabulary shown; on success the points move to them. False (e says why) changes nothing. */
bool gui_proj_set_axes(GuiApp *g, const char *x, const char *y, Err *e);
/* Tells the analysis thread which layout to make (after a projection change or a new
 * session). */
void gui_proj_request(GuiApp *g);
/* True when f carries the neighbour layout chosen (made for the last request; it is a
 * refinement of it, or a layout of other settings). */
bool gui_proj_layout_shown(const GuiApp *g, const LiveSnapshot *f);
/* The neighbour layout's dimensions and parameters (zero fields: defaults), checked; on
 * success the layout shown (UMAP unless t-SNE is) is made again with them, the old picture
 * kept until it is ready. False (e names the field) changes nothing. */
bool gui_proj_set_layout(GuiApp *g, const LiveLayoutDesc *d, Err *e);
/* The projection's short name ("pca", "axes", "umap", "tsne": bookmarks, scripts), and the kind
 * of a name (-1: none). */
const char *gui_proj_kind_name(GuiProjKind k);
int gui_proj_kind_of(const char *name);
/* Back to PCA, or on to the next projection (X). */
void gui_proj_set(GuiApp *g, GuiProjKind k);
void gui_proj_next(GuiApp *g);
/* The label of axis j (0 x, 1 y, 2 z) as the axes gizmo shows it. */
const char *gui_proj_axis_label(const GuiApp *g, int j, char *buf, size_t cap);
void gui_proj_free(GuiApp *g);

#endif
