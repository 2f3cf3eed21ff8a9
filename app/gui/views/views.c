/* View tabs, shortcuts and the per-frame bookkeeping of the teaching views (see gui_views.h):
 * the tab strip at the top centre, the area each view draws into, the first-launch hint.
 * UI thread. */
#include "app/gui/views/views.h"
#include "app/gui/core/prefs.h"
#include "app/gui/data/train_ctl.h"
#include "app/gui/views/curves.h"
#include "app/gui/views/posview.h"
#include "app/gui/views/table.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[GUI_VIEW_COUNT] = {"space", "table", "positions", "curves"};
static const char *const tabs[GUI_VIEW_COUNT] = {"Space  V", "Table  T", "Positions  O",
                                                 "Curves  C"};

const char *gui_view_name(GuiView v) { return v < GUI_VIEW_COUNT ? names[v] : "?"; }

GuiView gui_view_by_name(const char *s)
{
    for (int i = 0; i < GUI_VIEW_COUNT; i++)
        if (!strcmp(s, names[i]))
            return (GuiView)i;
    return GUI_VIEW_COUNT;
}

void gui_views_init(GuiApp *g)
{
    GuiViews *v = &g->views;
    Err e = {{0}};
    if (!curves_init(&v->curves, 0, &e))
        gui_set_status(g, true, "%s", e.msg);
    v->pos.want = posenc_desc_defaults(NULL);
    snprintf(v->pos.len_text, sizeof v->pos.len_text, "%d", v->pos.want.max_len);
    snprintf(v->pos.dim_text, sizeof v->pos.dim_text, "%d", v->pos.want.dim);
    static const int64_t probes[3] = {5, 6, 100};
    for (int i = 0; i < 3; i++) {
        v->pos.probe[i] = probes[i];
        snprintf(v->pos.probe_text[i], sizeof v->pos.probe_text[i], "%lld", (long long)probes[i]);
    }
    v->hint = true;
}

void gui_views_deinit(GuiApp *g)
{
    GuiViews *v = &g->views;
    curves_deinit(&v->curves);
    gui_posview_free(g);
    free(v->table.img);
    free(v->table.strip);
    memset(v, 0, sizeof *v);
}

void gui_set_view(GuiApp *g, GuiView view)
{
    if (view >= GUI_VIEW_COUNT)
        return;
    g->views.view = view;
    g->views.hint = false;
    if (view == GUI_VIEW_POSITIONS && !g->views.pos.job)
        gui_posview_request(g);
    static const char *const what[GUI_VIEW_COUNT] = {
        "embedding space",
        "lookup table: the weight matrix, one row per word (type indices to look rows up)",
        "positional embeddings: PCA path and position x position cosine similarity",
        "training curves",
    };
    gui_set_status(g, false, "%s", what[view]);
}

void gui_views_new_snapshot(GuiApp *g)
{
    GuiViews *v = &g->views;
    if (g->data.snap && g->data.snap->seq < v->curves_seq) { /* a new session or a restart */
        curves_clear(&v->curves);
        v->curves_eval = 0;
    }
    if (g->data.snap)
        v->curves_seq = g->data.snap->seq;
    gui_curves_sample(g);
}

/* The tabs' labels and widths; returns their total width. */
static float tab_labels(GuiApp *g, char label[GUI_VIEW_COUNT][32], float w[GUI_VIEW_COUNT])
{
    float sc = g->win.scale, total = 0;
    for (int i = 0; i < GUI_VIEW_COUNT; i++) {
        snprintf(label[i], sizeof label[i], "%s%s%s", g->views.view == (GuiView)i ? "[ " : "",
                 tabs[i], g->views.view == (GuiView)i ? " ]" : "");
        w[i] = (float)ui_text_w(&g->ui, label[i]) + 20 * sc;
        total += w[i] + (i ? 4 * sc : 0);
    }
    return total;
}

/* The tabs sit between the search box and the right column when they fit there; in a narrow
 * window they get a row of their own under the search box (so they never cover a panel). */
static bool tabs_on_top(GuiApp *g, float total)
{
    float sc = g->win.scale;
    return (float)g->cam.vw - 312 * sc - total - 12 * sc >= 384 * sc;
}

float gui_views_top(GuiApp *g)
{
    char label[GUI_VIEW_COUNT][32];
    float w[GUI_VIEW_COUNT], sc = g->win.scale, row = (float)g->ui.line_h + 22 * sc;
    return 12 * sc + row + (tabs_on_top(g, tab_labels(g, label, w)) ? 0 : row);
}

static void tab_strip(GuiApp *g)
{
    Ui *ui = &g->ui;
    float sc = g->win.scale, bh = (float)ui->line_h + 10, gap = 4 * sc, w[GUI_VIEW_COUNT];
    char label[GUI_VIEW_COUNT][32];
    float total = tab_labels(g, label, w), y = 12 * sc, x = 12 * sc;
    if (tabs_on_top(g, total)) { /* centred when there is room, else left of the right column */
        float right = (float)g->cam.vw - 312 * sc - total - 12 * sc;
        x = fminf(fmaxf(((float)g->cam.vw - total) / 2, 384 * sc), right);
    } else {
        y += (float)ui->line_h + 22 * sc;
    }
    for (int i = 0; i < GUI_VIEW_COUNT; i++) {
        if (g->views.view == (GuiView)i)
            draw_rect(ui->dl, x - 1, y - 1, w[i] + 2, bh + 2, ui->theme.accent);
        if (ui_button(ui, label[i], x, y, w[i], bh) & UI_SUBMITTED)
            gui_set_view(g, (GuiView)i);
        x += w[i] + gap;
    }
}

static void hint(GuiApp *g)
{
    Ui *ui = &g->ui;
    const char *s = "Tip: H or ? lists every key.  T: lookup table   O: positional embeddings   "
                    "C: training curves   S: training controls";
    float sc = g->win.scale, tw = (float)ui_text_w(ui, s), h = (float)ui->line_h + 12 * sc;
    float x = ((float)g->cam.vw - tw) / 2 - 12 * sc, y = (float)g->cam.vh - 2 * h - 16 * sc;
    draw_rect(ui->dl, x, y, tw + 24 * sc, h, DRAW_RGBA(30, 50, 70, 235));
    draw_outline(ui->dl, x, y, tw + 24 * sc, h, ui->theme.accent);
    draw_text(ui->dl, 0, x + 12 * sc, y + 6 * sc, s, strlen(s), ui->theme.text);
}

void gui_views_panels(GuiApp *g, float rx)
{
    GuiViews *v = &g->views;
    float sc = g->win.scale;
    gui_step_poll(g);
    gui_posview_poll(g);
    tab_strip(g);
    float x = 12 * sc, y = gui_views_top(g);
    float w = rx - 12 * sc - x, h = (float)g->cam.vh - y - (float)g->ui.line_h - 22 * sc;
    if (w > 80 && h > 80) {
        if (v->view == GUI_VIEW_TABLE)
            gui_table_draw(g, x, y, w, h);
        else if (v->view == GUI_VIEW_POSITIONS)
            gui_posview_draw(g, x, y, w, h);
        else if (v->view == GUI_VIEW_CURVES)
            gui_curves_draw(g, x, y, w, h);
    }
    /* the hint stays until the user does something */
    if (g->nshortcuts || g->ui.in.pressed[0] || g->ui.in.nkeys)
        v->hint = false;
    if (v->hint && g->perf.frames_drawn > 0 && !g->show_help) {
        hint(g);
        v->hint_shown = true;
    }
    /* dismissed once is seen: later launches do not show it */
    if (v->hint_shown && !v->hint && !g->prefs.s.hint_seen) {
        g->prefs.s.hint_seen = true;
        gui_prefs_save(g);
    }
}
