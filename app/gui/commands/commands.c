/* The one command table (see commands.h). UI thread. */
#include "app/ui/textbox.h"
#include "app/gui/commands/commands.h"
#include "app/gui/data/proj.h"
#include "app/gui/data/session.h"
#include "app/gui/data/train_ctl.h"
#include "app/gui/core/prefs.h"
#include "app/gui/panels/export.h"
#include "app/gui/panels/opendlg.h"
#include "app/gui/panels/search_box.h"
#include "app/gui/scene/colorby.h"
#include "app/gui/scene/scene.h"
#include "app/gui/select/camera.h"
#include "app/gui/select/match.h"
#include "app/gui/select/select.h"
#include "app/gui/views/views.h"
#include <stdio.h>
#include <string.h>

static void cmd_2d(GuiApp *g) { gui_set_2d(g, true); }
static void cmd_3d(GuiApp *g) { gui_set_2d(g, false); }
static void cmd_fewer(GuiApp *g) { gui_set_k(g, g->sel.k - 5); }
static void cmd_more(GuiApp *g) { gui_set_k(g, g->sel.k + 5); }
static void cmd_restart(GuiApp *g) { g->data.want_restart = true; }
static void cmd_screenshot(GuiApp *g) { g->want_screenshot = true; }
static void cmd_export(GuiApp *g) { g->show_export = !g->show_export; }
static void cmd_bookmark(GuiApp *g) { gui_export_run(g, GUI_EXPORT_BOOKMARK_SAVE); }
static void cmd_legend(GuiApp *g) { g->space.hide_legend = !g->space.hide_legend; }
static void cmd_space(GuiApp *g) { gui_set_view(g, GUI_VIEW_SPACE); }
static void cmd_table(GuiApp *g) { gui_set_view(g, GUI_VIEW_TABLE); }
static void cmd_positions(GuiApp *g) { gui_set_view(g, GUI_VIEW_POSITIONS); }
static void cmd_curves(GuiApp *g) { gui_set_view(g, GUI_VIEW_CURVES); }
static void cmd_settings(GuiApp *g) { g->views.set.show = !g->views.set.show; }
static void cmd_help(GuiApp *g) { g->show_help = !g->show_help; }
static void cmd_search(GuiApp *g) { ui_focus(&g->ui, GUI_SEARCH_ID); }
static void cmd_quit(GuiApp *g) { g->quit = true; }

static void cmd_trails(GuiApp *g)
{
    GuiTrails *t = &g->space.trails;
    t->hidden = !t->hidden;
    gui_set_status(g, false, "word trails %s", t->hidden ? "hidden" : "shown");
}

static void labels_by(GuiApp *g, int d)
{
    Err e = {{0}};
    int px = g->label_px + d;
    if (px >= 8 && px <= 32 && win_set_label_px(&g->win, px, &e)) {
        g->label_px = px;
        gui_set_status(g, false, "labels %d px", px);
        g->prefs.s.label_px = px;
        gui_prefs_save(g);
    } else if (e.msg[0]) {
        gui_set_status(g, true, "%s", e.msg);
    }
}
static void cmd_labels_up(GuiApp *g) { labels_by(g, 1); }
static void cmd_labels_down(GuiApp *g) { labels_by(g, -1); }

/* Esc: cancels an open in progress, else clears the selection and closes the help. */
static void cmd_escape(GuiApp *g)
{
    if (g->data.opening) {
        gui_cancel_open(g);
        return;
    }
    gui_select(g, -1);
    if (g->match.mask) {
        gui_match_clear(g);
        gui_set_status(g, false, "spelling query cleared");
    }
    g->show_help = false;
}

/* In the order of the help screen. */
static const GuiBinding bindings[GUI_CMD_COUNT] = {
    [GUI_CMD_2D] = {GUI_CMD_2D, "2", "2 / 3", "2d", "2D or 3D view", cmd_2d},
    [GUI_CMD_3D] = {GUI_CMD_3D, "3", "", "3d", NULL, cmd_3d},
    [GUI_CMD_FRAME] = {GUI_CMD_FRAME, "f", "F", "frame", "frame the selection / analogy (or double-click)", gui_fit_selection},
    [GUI_CMD_RESET_VIEW] = {GUI_CMD_RESET_VIEW, "r", "R", "reset_view", "reset the view", gui_reset_view},
    [GUI_CMD_PAUSE] = {GUI_CMD_PAUSE, " ", "space", "pause", "pause / resume training", gui_toggle_pause},
    [GUI_CMD_STEP] = {GUI_CMD_STEP, "n", "N", "step", "train one step, then pause", gui_step},
    [GUI_CMD_RESTART] = {GUI_CMD_RESTART, "", NULL, "reset", NULL, cmd_restart},
    [GUI_CMD_SEARCH] = {GUI_CMD_SEARCH, "/", NULL, "search", "search (Tab completes, Enter selects or evaluates)", cmd_search},
    [GUI_CMD_FEWER] = {GUI_CMD_FEWER, "[", "[ / ]", "fewer", "fewer / more neighbours", cmd_fewer},
    [GUI_CMD_MORE] = {GUI_CMD_MORE, "]", "", "more", NULL, cmd_more},
    [GUI_CMD_LABELS_UP] = {GUI_CMD_LABELS_UP, "+=", "+ / -", "bigger", "label size", cmd_labels_up},
    [GUI_CMD_LABELS_DOWN] = {GUI_CMD_LABELS_DOWN, "-", "", "smaller", NULL, cmd_labels_down},
    [GUI_CMD_SCREENSHOT] = {GUI_CMD_SCREENSHOT, "p", "P", "screenshot", "screenshot", cmd_screenshot},
    [GUI_CMD_EXPORT] = {GUI_CMD_EXPORT, "e", "E", "export", "export panel", cmd_export},
    [GUI_CMD_BOOKMARK] = {GUI_CMD_BOOKMARK, "b", "B", "bookmark", "save a bookmark", cmd_bookmark},
    [GUI_CMD_LEGEND] = {GUI_CMD_LEGEND, "l", "L", "legend", "cluster legend", cmd_legend},
    [GUI_CMD_TRAILS] = {GUI_CMD_TRAILS, "w", "W", "trails", "word trails", cmd_trails},
    [GUI_CMD_PROJECTION] = {GUI_CMD_PROJECTION, "x", "X", "projection", "projection: PCA / custom axes / UMAP / t-SNE", gui_proj_next},
    [GUI_CMD_COLOR] = {GUI_CMD_COLOR, "k", "K", "color", "colour by cluster / frequency / movement / metadata", gui_colorby_next},
    [GUI_CMD_DENSITY] = {GUI_CMD_DENSITY, "d", "D", "density", "big clouds: auto / density image / every point", gui_density_next},
    [GUI_CMD_VIEW_SPACE] = {GUI_CMD_VIEW_SPACE, "v", "V", "view_space", "embedding space", cmd_space},
    [GUI_CMD_VIEW_TABLE] = {GUI_CMD_VIEW_TABLE, "t", "T", "view_table", "lookup table", cmd_table},
    [GUI_CMD_VIEW_POSITIONS] = {GUI_CMD_VIEW_POSITIONS, "o", "O", "view_positions", "positional embeddings", cmd_positions},
    [GUI_CMD_VIEW_CURVES] = {GUI_CMD_VIEW_CURVES, "c", "C", "view_curves", "training curves", cmd_curves},
    [GUI_CMD_SETTINGS] = {GUI_CMD_SETTINGS, "s", "S", "settings", "training controls (learning rate, step, reset, new settings)", cmd_settings},
    [GUI_CMD_OPEN] = {GUI_CMD_OPEN, "", "Ctrl+O", "open", "open a file: vectors, a corpus, a bookmark; recent files", gui_opendlg_toggle, 'o'},
    [GUI_CMD_QUIT] = {GUI_CMD_QUIT, "", "Ctrl+Q", NULL, "quit", cmd_quit, 'q'},
    [GUI_CMD_HELP] = {GUI_CMD_HELP, "h?", "H or ?", "help", "this help", cmd_help},
    [GUI_CMD_ESCAPE] = {GUI_CMD_ESCAPE, "", "Esc", "escape", "clear the selection (or cancel an open in progress)", cmd_escape},
};

/* Help lines that are not keys. */
static const char *const hints[] = {
    "left drag: rotate (2D: pan)    right drag / shift: pan    wheel: zoom to the cursor",
    "click: select a word    ctrl-click: add a word    double-click: frame it",
    "Ctrl+O, or drop a text file (train on it) or a vectors file onto the window, to open it",
    "expressions: king - man + woman    cat dog    -cold",
    "king - man + woman = queen: the curves follow queen's rank",
    "table: wheel scrolls, type indices (0 2 5) to look rows up",
    "positions: click the similarity map to probe two positions",
};

const GuiBinding *gui_binding(GuiCmd cmd) { return cmd < GUI_CMD_COUNT ? &bindings[cmd] : NULL; }

GuiCmd gui_cmd_by_key(char key)
{
    for (int i = 0; i < GUI_CMD_COUNT; i++)
        if (key && strchr(bindings[i].keys, key))
            return bindings[i].cmd;
    return GUI_CMD_COUNT;
}

GuiCmd gui_cmd_by_name(const char *name)
{
    for (int i = 0; i < GUI_CMD_COUNT; i++)
        if (bindings[i].name && !strcmp(bindings[i].name, name))
            return bindings[i].cmd;
    return GUI_CMD_COUNT;
}

GuiCmd gui_cmd_by_ctrl(char letter)
{
    for (int i = 0; i < GUI_CMD_COUNT; i++)
        if (letter && bindings[i].ctrl == letter)
            return bindings[i].cmd;
    return GUI_CMD_COUNT;
}

void gui_cmd_run(GuiApp *g, GuiCmd cmd)
{
    if (cmd < GUI_CMD_COUNT)
        bindings[cmd].run(g);
}

void gui_shortcut(GuiApp *g, char c)
{
    if (g->nshortcuts < (int)sizeof g->shortcuts)
        g->shortcuts[g->nshortcuts++] = c;
}

void gui_run_shortcuts(GuiApp *g)
{
    if (g->ui.focus || g->typing)
        return;
    if (ui_key(&g->ui, UI_KEY_ESCAPE)) {
        bool opening = g->data.opening != NULL;
        cmd_escape(g);
        if (opening)
            return;
    }
    for (int i = 0; i < g->nshortcuts; i++) {
        GuiCmd c = gui_cmd_by_key(g->shortcuts[i]);
        gui_cmd_run(g, c);
        if (c == GUI_CMD_SEARCH) { /* what follows is typed into the box */
            g->nshortcuts = 0;
            return;
        }
    }
}

int gui_help_keys(void)
{
    int n = 0;
    for (int i = 0; i < GUI_CMD_COUNT; i++)
        n += bindings[i].help != NULL;
    return n;
}

const char *gui_help_key(int i, char *buf, size_t cap)
{
    buf[0] = 0;
    for (int k = 0; k < GUI_CMD_COUNT; k++) {
        const GuiBinding *b = &bindings[k];
        if (b->help && i-- == 0) {
            snprintf(buf, cap, "%s: %s", b->shown ? b->shown : b->keys, b->help);
            break;
        }
    }
    return buf;
}

int gui_help_hints(void) { return (int)(sizeof hints / sizeof hints[0]); }

const char *gui_help_hint(int i) { return i >= 0 && i < gui_help_hints() ? hints[i] : ""; }
