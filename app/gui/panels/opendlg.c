/* The open dialog (see opendlg.h). UI thread. */
#include "app/gui/panels/opendlg.h"
#include "app/desk/browse.h"
#include "app/gui/core/prefs.h"
#include "app/gui/data/metadata.h"
#include "app/gui/data/session.h"
#include "app/gui/panels/bookmark.h"
#include "app/ui/textbox.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct GuiOpenDlg GuiOpenDlg;
struct GuiOpenDlg {
    bool shown;
    char base[BROWSE_MAX_PATH];  /* relative typed paths are read from here: the folder last
                                    gone to (a folder typed but not entered does not move it) */
    char path[BROWSE_MAX_PATH + 8]; /* the path field: a folder and its slash */
    BrowseList list;             /* the folder of what is typed */
    int *vis, nvis, vis_cap;     /* the rows shown: entry indices, -1 for ".." */
    BrowseFilter filter;
    bool hidden;                 /* show names starting with '.' */
    int highlight;               /* row of vis, -1 none */
    int scroll;                  /* first row drawn */
    char error[400];
    char note[160];
};

static const uint32_t kind_color[] = {
    [BROWSE_FOLDER] = DRAW_RGB(86, 180, 233), [BROWSE_VECTORS] = DRAW_RGB(0, 158, 115),
    [BROWSE_CORPUS] = DRAW_RGB(230, 159, 0), [BROWSE_BOOKMARK] = DRAW_RGB(204, 121, 167),
    [BROWSE_METADATA] = DRAW_RGB(240, 228, 66), [BROWSE_OTHER] = DRAW_RGB(120, 128, 140),
};

static GuiOpenDlg *get(GuiApp *g)
{
    if (!g->opendlg)
        g->opendlg = calloc(1, sizeof *g->opendlg);
    return g->opendlg;
}

bool gui_opendlg_shown(const GuiApp *g) { return g->opendlg && g->opendlg->shown; }

const char *gui_opendlg_folder(const GuiApp *g) { return g->opendlg ? g->opendlg->list.dir : ""; }

void gui_opendlg_free(GuiApp *g)
{
    if (!g->opendlg)
        return;
    browse_free(&g->opendlg->list);
    free(g->opendlg->vis);
    free(g->opendlg);
    g->opendlg = NULL;
}

/* dir + "/" + name, without doubling the root's slash. */
static void join(const char *dir, const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", strcmp(dir, "/") ? dir : "", name);
}

/* The typed text's last component (what the list is filtered by). */
static const char *typed_prefix(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The rows for the folder listed, the filter and what is typed after the last '/'. */
static void refilter(GuiOpenDlg *d)
{
    if (d->vis_cap < d->list.n + 1) {
        int *v = realloc(d->vis, (size_t)(d->list.n + 1) * sizeof *v);
        if (!v) {
            d->nvis = 0;
            return;
        }
        d->vis = v;
        d->vis_cap = d->list.n + 1;
    }
    const char *prefix = typed_prefix(d->path);
    d->nvis = 0;
    if (!prefix[0] && strcmp(d->list.dir, "/"))
        d->vis[d->nvis++] = -1;
    for (int i = 0; i < d->list.n; i++)
        if (browse_keep(&d->list.entries[i], d->filter, prefix))
            d->vis[d->nvis++] = i;
    /* something typed: Enter takes the first match; nothing typed: no row until one is chosen */
    d->highlight = prefix[0] && d->nvis ? 0 : -1;
    d->scroll = 0;
}

static bool list_folder(GuiOpenDlg *d, const char *abs)
{
    Err e = {{0}};
    BrowseDesc bd = {.show_hidden = d->hidden};
    if (!browse_list(&d->list, abs, &bd, &e)) {
        snprintf(d->error, sizeof d->error, "%s", e.msg);
        return false;
    }
    d->error[0] = 0;
    return true;
}

/* Goes to a folder (relative to the one listed): it is listed, the field shows it. */
static bool go(GuiOpenDlg *d, const char *folder)
{
    char abs[BROWSE_MAX_PATH];
    if (!browse_resolve(d->list.dir[0] ? d->list.dir : d->base, folder, abs, sizeof abs) ||
        !list_folder(d, abs))
        return false;
    snprintf(d->base, sizeof d->base, "%s", d->list.dir);
    snprintf(d->path, sizeof d->path, "%s%s", d->list.dir, strcmp(d->list.dir, "/") ? "/" : "");
    d->note[0] = 0;
    refilter(d);
    return true;
}

/* After an edit: the list follows the folder part of what is typed when it names one. */
static void follow_typed(GuiOpenDlg *d)
{
    char folder[BROWSE_MAX_PATH], abs[BROWSE_MAX_PATH];
    size_t n = (size_t)(typed_prefix(d->path) - d->path);
    snprintf(folder, sizeof folder, "%.*s", (int)n, d->path);
    if (browse_resolve(d->base, n ? folder : ".", abs, sizeof abs) && strcmp(abs, d->list.dir) &&
        browse_kind(abs) == BROWSE_FOLDER)
        list_folder(d, abs);
    d->note[0] = 0;
    refilter(d);
}

void gui_opendlg_toggle(GuiApp *g)
{
    GuiOpenDlg *d = get(g);
    if (!d) {
        gui_set_status(g, true, "out of memory for the open dialog");
        return;
    }
    if (d->shown) {
        d->shown = false;
        g->ui.focus = 0;
        return;
    }
    char cwd[BROWSE_MAX_PATH];
    if (!getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, "/");
    snprintf(d->base, sizeof d->base, "%s", cwd);
    d->list.dir[0] = 0;
    const char *last = g->prefs.s.last_folder;
    if (!(last[0] && go(d, last)) && !go(d, cwd))
        go(d, "/");
    d->shown = true;
    g->show_help = false;
    g->views.hint = false;
    ui_focus(&g->ui, GUI_OPENDLG_PATH_ID);
}

/* Opens a file the dialog names, by what it holds; true when the dialog's job is done. */
static bool open_file(GuiApp *g, GuiOpenDlg *d, const char *path)
{
    BrowseKind k = browse_kind(path);
    Err e = {{0}};
    if (k == BROWSE_FOLDER) { /* a folder is entered: the dialog stays */
        go(d, path);
        return false;
    }
    if (k == BROWSE_OTHER) {
        if (access(path, F_OK))
            snprintf(d->error, sizeof d->error, "%s: no such file", path);
        else
            snprintf(d->error, sizeof d->error, "%s: not a file embedscope reads (vectors, a text "
                     "corpus or a bookmark), or empty or unreadable", path);
        return false;
    }
    if (k == BROWSE_BOOKMARK) {
        if (!gui_bookmark_load(g, path, true, &e)) {
            snprintf(d->error, sizeof d->error, "%s", e.msg);
            return false;
        }
        gui_prefs_opened(g, path);
    } else if (k == BROWSE_METADATA) { /* colours the data shown (data/metadata.h) */
        if (!gui_vocab(g)->size || !gui_metadata_load(g, path)) {
            snprintf(d->error, sizeof d->error, "%s", gui_vocab(g)->size ? g->status.text :
                     "a metadata file colours the vectors shown: open the vectors first");
            return false;
        }
    } else if (!gui_open(g, path, k == BROWSE_VECTORS ? SESSION_VECTORS : SESSION_CORPUS)) {
        snprintf(d->error, sizeof d->error, "%s", g->status.text);
        return false;
    }
    char folder[BROWSE_MAX_PATH];
    snprintf(folder, sizeof folder, "%s", path);
    char *slash = strrchr(folder, '/');
    if (slash && slash != folder && folder[0] == '/' && (size_t)(slash - folder) < sizeof g->prefs.s.last_folder) {
        *slash = 0;
        memcpy(g->prefs.s.last_folder, folder, (size_t)(slash - folder) + 1);
        gui_prefs_save(g);
    }
    d->shown = false;
    g->ui.focus = 0;
    return true;
}

static void activate(GuiApp *g, GuiOpenDlg *d, int row)
{
    if (row < 0 || row >= d->nvis)
        return;
    if (d->vis[row] < 0) {
        go(d, "..");
        return;
    }
    char full[BROWSE_MAX_PATH + BROWSE_MAX_NAME];
    join(d->list.dir, d->list.entries[d->vis[row]].name, full, sizeof full);
    open_file(g, d, full);
}

/* Enter: the chosen row, else the typed path (a folder is entered, a file opened), else the
 * one entry that matches what is typed. */
static void submit(GuiApp *g, GuiOpenDlg *d)
{
    char abs[BROWSE_MAX_PATH];
    const char *prefix = typed_prefix(d->path);
    if (d->highlight >= 0 && (!prefix[0] || d->nvis > 1)) {
        activate(g, d, d->highlight);
        return;
    }
    if (!browse_resolve(d->base, d->path[0] ? d->path : ".", abs, sizeof abs)) {
        snprintf(d->error, sizeof d->error, "the path is too long");
        return;
    }
    if (!access(abs, F_OK))
        open_file(g, d, abs);
    else if (d->nvis == 1 && d->vis[0] >= 0)
        activate(g, d, 0);
    else
        snprintf(d->error, sizeof d->error, "%.360s: no such file or folder", abs);
}

static void complete(GuiApp *g, GuiOpenDlg *d)
{
    char out[BROWSE_MAX_PATH];
    int n = browse_complete(d->base, d->path, out, sizeof out);
    if (n == 0) {
        snprintf(d->note, sizeof d->note, "nothing here starts with '%s'", typed_prefix(d->path));
        return;
    }
    snprintf(d->path, sizeof d->path, "%s", out);
    g->ui.caret = g->ui.anchor = strlen(d->path);
    follow_typed(d);
    if (n > 1)
        snprintf(d->note, sizeof d->note, "%d names start with '%s'", n, typed_prefix(d->path));
}

static void fmt_size(char *buf, size_t cap, int64_t b)
{
    static const char *const unit[] = {"B", "KB", "MB", "GB", "TB"};
    double v = (double)b;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    snprintf(buf, cap, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static bool hit(const Ui *ui, float x, float y, float w, float h)
{
    return ui->in.mx >= x && ui->in.my >= y && ui->in.mx < x + w && ui->in.my < y + h;
}

/* The folder's rows in [x, y, w, h]: name, class and size; click chooses, double-click opens,
 * the wheel scrolls. */
static void entry_rows(GuiApp *g, GuiOpenDlg *d, float x, float y, float w, float h)
{
    Ui *ui = &g->ui;
    float sc = g->win.scale, lh = (float)ui->line_h + 6 * sc;
    int rows = (int)(h / lh);
    draw_rect(ui->dl, x, y, w, h, ui->theme.field);
    draw_outline(ui->dl, x, y, w, h, ui->theme.border);
    if (hit(ui, x, y, w, h) && ui->in.wheel != 0.f)
        d->scroll -= (int)(ui->in.wheel * 3);
    if (d->highlight >= 0 && d->highlight < d->scroll)
        d->scroll = d->highlight;
    if (d->highlight >= d->scroll + rows)
        d->scroll = d->highlight - rows + 1;
    d->scroll = d->scroll > d->nvis - rows ? d->nvis - rows : d->scroll;
    d->scroll = d->scroll < 0 ? 0 : d->scroll;
    draw_clip(ui->dl, x + 1, y + 1, w - 2, h - 2);
    float kx = x + w - 190 * sc, szx = x + w - 8 * sc;
    for (int r = d->scroll; r < d->nvis && r < d->scroll + rows; r++) {
        float ry = y + 2 * sc + lh * (float)(r - d->scroll);
        const BrowseEntry *en = d->vis[r] >= 0 ? &d->list.entries[d->vis[r]] : NULL;
        bool over = hit(ui, x, ry, w, lh);
        if (r == d->highlight)
            draw_rect(ui->dl, x + 1, ry, w - 2, lh, DRAW_RGBA(86, 180, 233, 70));
        else if (over)
            draw_rect(ui->dl, x + 1, ry, w - 2, lh, ui->theme.button_hot);
        BrowseKind k = en ? en->kind : BROWSE_FOLDER;
        char name[BROWSE_MAX_NAME + 2], size[32] = "";
        snprintf(name, sizeof name, "%s%s", en ? en->name : "..", k == BROWSE_FOLDER ? "/" : "");
        draw_clip(ui->dl, x + 1, ry, kx - x - 12 * sc, lh);
        draw_text(ui->dl, 0, x + 10 * sc, ry + 3 * sc, name, strlen(name),
                  k == BROWSE_OTHER ? ui->theme.dim : ui->theme.text);
        draw_clip(ui->dl, x + 1, y + 1, w - 2, h - 2);
        const char *kn = en ? browse_kind_name(k) : "parent folder";
        draw_text(ui->dl, 0, kx, ry + 3 * sc, kn, strlen(kn), kind_color[k]);
        if (en && k != BROWSE_FOLDER)
            fmt_size(size, sizeof size, en->size);
        draw_text(ui->dl, 0, szx - (float)ui_text_w(ui, size), ry + 3 * sc, size, strlen(size), ui->theme.dim);
        if (over && ui->in.pressed[0]) {
            if (ui->in.clicks >= 2 && r == d->highlight)
                activate(g, d, r);
            else
                d->highlight = r;
        }
    }
    draw_noclip(ui->dl);
    int parent = d->nvis && d->vis[0] < 0;
    if (d->nvis == parent) { /* nothing but "..": say why, on the row below it */
        const char *s = d->list.n ? "nothing here passes the filter" : "an empty folder";
        draw_text(ui->dl, 0, x + 10 * sc, y + 5 * sc + lh * (float)parent, s, strlen(s), ui->theme.dim);
    }
}

/* One clickable line of the left column; true when clicked. */
static bool side_row(Ui *ui, float x, float y, float w, float lh, const char *text, const char *dim)
{
    bool over = hit(ui, x, y, w, lh);
    if (over)
        draw_rect(ui->dl, x, y, w, lh, ui->theme.button_hot);
    draw_clip(ui->dl, x, y, w - 4, lh);
    draw_text(ui->dl, 0, x + 8, y + 3, text, strlen(text), ui->theme.text);
    if (dim) {
        float tw = (float)ui_text_w(ui, text) + 8;
        draw_text(ui->dl, 0, x + 8 + tw, y + 3, dim, strlen(dim), ui->theme.dim);
    }
    draw_noclip(ui->dl);
    return over && ui->in.pressed[0];
}

/* Recent files (newest first) and places. */
static void side_column(GuiApp *g, GuiOpenDlg *d, float x, float y, float w, float h)
{
    Ui *ui = &g->ui;
    float sc = g->win.scale, lh = (float)ui->line_h + 6 * sc, end = y + h;
    draw_text(ui->dl, 0, x, y, "Recent", 6, ui->theme.accent);
    y += lh;
    const Settings *s = &g->prefs.s;
    if (!s->nrecent) {
        draw_text(ui->dl, 0, x + 8, y + 3, "nothing yet", 11, ui->theme.dim);
        y += lh;
    }
    for (int i = 0; i < s->nrecent && y + lh < end - 4 * lh; i++, y += lh) {
        char dir[SETTINGS_MAX_PATH];
        snprintf(dir, sizeof dir, "%s", s->recent[i]);
        char *slash = strrchr(dir, '/');
        const char *name = slash ? s->recent[i] + (slash - dir) + 1 : s->recent[i];
        if (slash)
            *(slash == dir ? slash + 1 : slash) = 0;
        if (side_row(ui, x, y, w, lh, name, dir)) {
            char path[SETTINGS_MAX_PATH];
            snprintf(path, sizeof path, "%s", s->recent[i]);
            if (!open_file(g, d, path) && access(path, F_OK))
                gui_prefs_forget(g, path);
            return;
        }
    }
    y += lh / 2;
    draw_text(ui->dl, 0, x, y, "Places", 6, ui->theme.accent);
    y += lh;
    const char *home = getenv("HOME");
    char cwd[BROWSE_MAX_PATH];
    if (home && home[0] == '/' && side_row(ui, x, y, w, lh, "Home", home))
        go(d, home);
    y += lh;
    if (getcwd(cwd, sizeof cwd) && side_row(ui, x, y, w, lh, "Working folder", cwd))
        go(d, cwd);
    y += lh;
    if (side_row(ui, x, y, w, lh, "File system", "/"))
        go(d, "/");
}

/* The filter buttons and the hidden-files toggle. */
static void filter_row(GuiApp *g, GuiOpenDlg *d, float x, float y, float w)
{
    Ui *ui = &g->ui;
    float sc = g->win.scale, bh = (float)ui->line_h + 8 * sc, gap = 6 * sc;
    draw_text(ui->dl, 0, x, y + 4 * sc, "Show", 4, ui->theme.dim);
    x += (float)ui_text_w(ui, "Show") + 10 * sc;
    for (int f = 0; f < BROWSE_SHOW_COUNT; f++) {
        char label[48];
        snprintf(label, sizeof label, d->filter == (BrowseFilter)f ? "[%s]" : "%s",
                 browse_filter_name((BrowseFilter)f));
        float bw = (float)ui_text_w(ui, label) + 18 * sc;
        if (ui_button(ui, label, x, y, bw, bh) & UI_SUBMITTED) {
            d->filter = (BrowseFilter)f;
            refilter(d);
        }
        x += bw + gap;
    }
    const char *hl = d->hidden ? "[hidden files]" : "hidden files";
    float hw = (float)ui_text_w(ui, hl) + 18 * sc;
    if (x + hw < w && (ui_button(ui, hl, x, y, hw, bh) & UI_SUBMITTED)) {
        d->hidden = !d->hidden;
        char dir[BROWSE_MAX_PATH];
        snprintf(dir, sizeof dir, "%s", d->list.dir);
        if (list_folder(d, dir))
            refilter(d);
    }
}

/* Esc, Up/Down, Tab and Enter: taken before the path field sees them. */
static void keys(GuiApp *g, GuiOpenDlg *d)
{
    Ui *ui = &g->ui;
    if (ui_key(ui, UI_KEY_ESCAPE)) {
        d->shown = false;
        ui->focus = 0;
        return;
    }
    if (ui_key(ui, UI_KEY_DOWN) && d->highlight + 1 < d->nvis)
        d->highlight++;
    if (ui_key(ui, UI_KEY_UP) && d->highlight > 0)
        d->highlight--;
    if (ui_key(ui, UI_KEY_TAB))
        complete(g, d);
}

void gui_opendlg_panel(GuiApp *g)
{
    GuiOpenDlg *d = g->opendlg;
    if (!d || !d->shown)
        return;
    Ui *ui = &g->ui;
    float sc = g->win.scale, vw = (float)g->cam.vw, vh = (float)g->cam.vh;
    float w = fminf(900 * sc, vw - 40 * sc), h = fminf(560 * sc, vh - 60 * sc);
    float x = (vw - w) / 2, y = (vh - h) / 2, pad = 14 * sc, lh = (float)ui->line_h;
    draw_rect(ui->dl, 0, 0, vw, vh, DRAW_RGBA(0, 0, 0, 120)); /* modal: the window dims */
    ui_claim(ui, 0, 0, vw, vh);
    draw_rect(ui->dl, x, y, w, h, ui->theme.panel);
    draw_outline(ui->dl, x, y, w, h, ui->theme.accent);
    keys(g, d);
    if (!d->shown)
        return;
    const char *title = "Open a file: vectors, a text corpus to train on, or a bookmark";
    draw_text(ui->dl, 0, x + pad, y + pad, title, strlen(title), ui->theme.text);
    const char *esc = "Enter opens   Tab completes   Esc closes";
    draw_text(ui->dl, 0, x + w - pad - (float)ui_text_w(ui, esc), y + pad, esc, strlen(esc), ui->theme.dim);
    float fy = y + pad + lh + 10 * sc;
    int r = ui_textbox(ui, GUI_OPENDLG_PATH_ID, d->path, sizeof d->path, x + pad, fy, w - 2 * pad,
                       "a path: /data/words.vec, ~/corpus.txt, or a name in this folder");
    if (ui->focus != ui_id(GUI_OPENDLG_PATH_ID, 0)) { /* the field keeps the keyboard */
        ui->focus = ui_id(GUI_OPENDLG_PATH_ID, 0);
        ui->caret = ui->anchor = strlen(d->path);
    }
    if (r & UI_CHANGED)
        follow_typed(d);
    if (r & UI_SUBMITTED)
        submit(g, d);
    if (!d->shown)
        return;
    float ry = fy + lh + 20 * sc;
    filter_row(g, d, x + pad, ry, x + w - pad);
    float ly = ry + lh + 18 * sc, side = 250 * sc, lhgt = y + h - ly - 2 * lh - 2 * pad;
    side_column(g, d, x + pad, ly, side - 10 * sc, lhgt);
    if (!d->shown)
        return;
    entry_rows(g, d, x + pad + side, ly, w - 2 * pad - side, lhgt);
    if (!d->shown)
        return;
    char foot[BROWSE_MAX_PATH + 200];
    snprintf(foot, sizeof foot, "%s   %d shown of %d%s", d->list.dir, d->nvis - (d->nvis && d->vis[0] < 0),
             d->list.n, d->list.truncated ? " (the folder has more: type a name to narrow it)" : "");
    float by = y + h - pad - lh - 8 * sc;
    draw_clip(ui->dl, x + pad, by - lh - 6 * sc, w - 2 * pad, lh + 4);
    draw_text(ui->dl, 0, x + pad, by - lh - 4 * sc, d->error[0] ? d->error : d->note[0] ? d->note : foot,
              strlen(d->error[0] ? d->error : d->note[0] ? d->note : foot),
              d->error[0] ? ui->theme.error : ui->theme.dim);
    draw_noclip(ui->dl);
    float bw = 110 * sc, bh = lh + 10 * sc;
    if (ui_button(ui, "Cancel", x + w - pad - 2 * bw - 8 * sc, by, bw, bh) & UI_SUBMITTED) {
        d->shown = false;
        ui->focus = 0;
    } else if (ui_button(ui, "Open", x + w - pad - bw, by, bw, bh) & UI_SUBMITTED) {
        submit(g, d);
    }
}
