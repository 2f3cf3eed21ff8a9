/* The view tabs (Space, Table, Positions, Curves), the area each teaching view draws into, the
 * per-frame bookkeeping of the views and the first-launch hint. UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_VIEWS_H
#define EMBEDSCOPE_GUI_VIEWS_VIEWS_H
#include "app/gui/core/app.h"

/* Shows view v (building the positional table when it is first shown). */
void gui_set_view(GuiApp *g, GuiView v);
const char *gui_view_name(GuiView v);
/* The view named s ("space", "table", ...), or GUI_VIEW_COUNT. */
GuiView gui_view_by_name(const char *s);
void gui_views_init(GuiApp *g);
void gui_views_deinit(GuiApp *g);
/* A new published frame is shown: curves sample, table image invalidated. */
void gui_views_new_snapshot(GuiApp *g);
/* Where the area under the top row(s) of controls starts (pixels, y down): one row of search
 * box and tabs, or two in a narrow window where the tabs drop under the search box. */
float gui_views_top(GuiApp *g);
/* The tab strip and the current view (when not SPACE), left of the right column at right_x. */
void gui_views_panels(GuiApp *g, float right_x);

#endif
