/* The panels around the scene (see panels.h). UI thread. */
#include "app/gui/panels/panels.h"
#include "app/ui/textbox.h"
#include "app/gui/data/train_ctl.h"
#include "app/gui/panels/export.h"
#include "app/gui/scene/colorby.h"
#include "app/gui/panels/follow.h"
#include "app/gui/panels/projpanel.h"
#include "app/gui/panels/opendlg.h"
#include "app/gui/panels/search_box.h"
#include "app/gui/select/camera.h"
#include "app/gui/select/pins.h"
#include "app/gui/select/select.h"
#include "app/gui/views/settings.h"
#include "app/gui/views/views.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define RIGHT_W 300.f
#define MIN_COS_ID "min cos" /* the neighbours' cosine cutoff field (scripts: focus min cos) */

static void fmt_count(char *buf, size_t cap, double v)
{
    if (v >= 1e9) snprintf(buf, cap, "%.2fG", v / 1e9);
    else if (v >= 1e6) snprintf(buf, cap, "%.2fM", v / 1e6);
    else if (v >= 1e3) snprintf(buf, cap, "%.1fk", v / 1e3);
    else snprintf(buf, cap, "%.0f", v);
}

/* Fixed vectors: what was loaded, and the view buttons. */
static float vectors_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    char a[64];
    ui_panel_begin(ui, x, y, w);
    const char *name = strrchr(g->data.sess.source, '/');
    ui_row(ui, "Vectors", name ? name + 1 : g->data.sess.source, ui->theme.text);
    snprintf(a, sizeof a, "%lld", (long long)g->data.table->rows);
    ui_row(ui, "words", a, ui->theme.text);
    snprintf(a, sizeof a, "%d", g->data.table->dim);
    ui_row(ui, "dimensions", a, ui->theme.text);
    bool file = !g->data.sess.in_memory;
    ui_label(ui, file ? "loaded from a file: nothing trains" : "in memory: nothing trains", ui->theme.dim);
    ui_space(ui, 4);
    float bw = (w - 2 * ui->pad - 6) / 2, bh = (float)ui->line_h + 8, by = ui->cy;
    if (ui_button(ui, g->two_d ? "[2D]" : "2D", ui->px + ui->pad, by, bw, bh) & UI_SUBMITTED)
        gui_set_2d(g, true);
    if (ui_button(ui, g->two_d ? "3D" : "[3D]", ui->px + ui->pad + bw + 6, by, bw, bh) & UI_SUBMITTED)
        gui_set_2d(g, false);
    ui_space(ui, bh + 4);
    /* follow: reopen the file whenever another program replaces it */
    if (file) {
        bool on = g->follow.on && !strcmp(g->follow.path, g->data.sess.source);
        if (ui_button(ui, on ? "[following the file]" : "follow the file", ui->px + ui->pad, ui->cy,
                      w - 2 * ui->pad, bh) & UI_SUBMITTED) {
            if (on)
                gui_follow_stop(g);
            else
                gui_follow_start(g, g->data.sess.source);
        }
        ui_space(ui, bh + 4);
    }
    return ui_panel_end(ui);
}

/* A file being opened: what the loader is doing, how far, and how long is left. */
static float opening_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    SessionProgress p = session_open_progress(g->data.opening);
    char a[96], b[64];
    ui_panel_begin(ui, x, y, w);
    const char *path = session_open_path(g->data.opening), *name = strrchr(path, '/');
    ui_row(ui, "Opening", name ? name + 1 : path, ui->theme.accent);
    ui_row(ui, p.phase, p.fraction >= 0 ? (snprintf(b, sizeof b, "%.0f%%", p.fraction * 100), b) : "",
           ui->theme.text);
    /* unknown fraction: a bar that sweeps, so the user sees it is alive */
    double frac = p.fraction >= 0 ? p.fraction : fmod(p.elapsed, 1.0);
    ui_progress(ui, ui->px + ui->pad, ui->cy, w - 2 * ui->pad, 5 * g->win.scale, frac, ui->theme.accent);
    ui_space(ui, 9 * g->win.scale);
    if (p.words) {
        fmt_count(a, sizeof a, (double)p.words);
        ui_row(ui, "words counted", a, ui->theme.text);
    }
    snprintf(a, sizeof a, "%.1f s", p.elapsed);
    ui_row(ui, "elapsed", a, ui->theme.dim);
    if (p.eta >= 0) {
        snprintf(a, sizeof a, "%.0f s", ceil(p.eta));
        ui_row(ui, "time left", a, ui->theme.dim);
    }
    ui_label(ui, "Esc cancels", ui->theme.dim);
    return ui_panel_end(ui);
}

/* Nothing open (the first open failed): what happened and what to do. */
static void empty_panel(GuiApp *g)
{
    Ui *ui = &g->ui;
    float w = 560 * g->win.scale, x = ((float)g->cam.vw - w) / 2, y = (float)g->cam.vh / 2 - 60 * g->win.scale;
    ui_panel_begin(ui, x, y, w);
    ui_label(ui, "Nothing to show", ui->theme.accent);
    if (g->data.open_error[0])
        ui_label(ui, g->data.open_error, ui->theme.error);
    ui_label(ui, "Press Ctrl+O to open a file, drop a text file (to train on) or a vectors", ui->theme.text);
    ui_label(ui, "file onto the window, or start with --corpus FILE or --vectors FILE.", ui->theme.text);
    ui_panel_end(ui);
}

static float training_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    TrainProgress p = gui_progress(g);
    char a[64], b[64];
    ui_panel_begin(ui, x, y, w);
    const char *state = p.finished ? "finished" : p.paused ? "paused" : p.running ? "training" : "idle";
    ui_row(ui, "Training", state, ui->theme.text);
    double total = p.words_total ? (double)p.words_done / (double)p.words_total : 0;
    double per_epoch = p.epochs ? (double)p.words_total / p.epochs : 0;
    double ep = per_epoch > 0 ? fmod((double)p.words_done, per_epoch) / per_epoch : 0;
    if (p.finished)
        ep = 1;
    /* epoch and its fraction both from the word count, so they agree */
    int epoch = per_epoch > 0 ? (int)((double)p.words_done / per_epoch) + 1 : 1;
    epoch = epoch > p.epochs ? p.epochs : epoch;
    snprintf(a, sizeof a, "epoch %d / %d", epoch, p.epochs);
    snprintf(b, sizeof b, "%.0f%%", ep * 100);
    ui_row(ui, a, b, ui->theme.dim);
    ui_progress(ui, ui->px + ui->pad, ui->cy, w - 2 * ui->pad, 5 * g->win.scale, ep, ui->theme.accent);
    ui_space(ui, 9 * g->win.scale);
    snprintf(b, sizeof b, "%.0f%%", total * 100);
    ui_row(ui, "run", b, ui->theme.dim);
    ui_progress(ui, ui->px + ui->pad, ui->cy, w - 2 * ui->pad, 5 * g->win.scale, total,
                DRAW_RGB(0, 158, 115));
    ui_space(ui, 9 * g->win.scale);
    fmt_count(a, sizeof a, p.words_per_sec);
    snprintf(b, sizeof b, "%s", a);
    ui_row(ui, "words/s", b, ui->theme.text);
    fmt_count(a, sizeof a, (double)p.words_done);
    ui_row(ui, "words seen", a, ui->theme.text);
    snprintf(b, sizeof b, "%.5f", p.alpha);
    ui_row(ui, "learning rate", b, ui->theme.text);
    snprintf(b, sizeof b, "%.4f", p.loss);
    ui_row(ui, "loss", b, ui->theme.text);
    ui_space(ui, 4);
    float bw = (w - 2 * ui->pad - 18) / 4, bh = (float)ui->line_h + 8, by = ui->cy;
    const char *run = p.finished ? "Done" : p.paused ? "Resume" : "Pause";
    if ((ui_button(ui, run, ui->px + ui->pad, by, bw, bh) & UI_SUBMITTED) && !p.finished)
        gui_toggle_pause(g);
    if (ui_button(ui, "Restart", ui->px + ui->pad + bw + 6, by, bw, bh) & UI_SUBMITTED)
        g->data.want_restart = true;
    if (ui_button(ui, g->two_d ? "[2D]" : "2D", ui->px + ui->pad + 2 * (bw + 6), by, bw, bh) & UI_SUBMITTED)
        gui_set_2d(g, true);
    if (ui_button(ui, g->two_d ? "3D" : "[3D]", ui->px + ui->pad + 3 * (bw + 6), by, bw, bh) & UI_SUBMITTED)
        gui_set_2d(g, false);
    ui_space(ui, bh + 4);
    return ui_panel_end(ui);
}

static float neighbour_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    char head[160], score[32];
    ui_panel_begin(ui, x, y, w);
    snprintf(head, sizeof head, "Neighbours of %s", gui_word(g, g->sel.selected));
    if (g->sel.min_cos > -1.5f)
        snprintf(score, sizeof score, "cos >= %.3g", (double)g->sel.min_cos);
    else
        snprintf(score, sizeof score, "top %d  [ ]", g->sel.k);
    ui_row(ui, head, score, ui->theme.accent);
    /* the cosine cutoff: every neighbour above it instead of the top k */
    float lw = (float)ui_text_w(ui, "cosine at least") + 10;
    draw_text(ui->dl, 0, ui->px + ui->pad, ui->cy + 5, "cosine at least", 15, ui->theme.dim);
    int r = ui_textbox(ui, MIN_COS_ID, g->sel.min_cos_text, sizeof g->sel.min_cos_text,
                       ui->px + ui->pad + lw, ui->cy, w - 2 * ui->pad - lw, "off (top k)   e.g. 0.6");
    if (r & UI_SUBMITTED) {
        gui_set_min_cos(g, g->sel.min_cos_text);
        ui->focus = 0;
    }
    ui_space(ui, (float)ui->line_h + 14);
    /* rows that fit above the status line; the rest are counted */
    float room = (float)g->cam.vh - 60 * g->win.scale - ui->cy;
    int fit = (int)(room / ((float)ui->line_h + 2));
    int shown = g->sel.nnbrs < fit ? g->sel.nnbrs : fit > 0 ? fit : 0;
    for (int j = 0; j < shown; j++) {
        float ry = ui->cy, bw = (w - 2 * ui->pad) * fmaxf(0.f, g->sel.nbrs[j].score);
        draw_rect(ui->dl, ui->px + ui->pad, ry + (float)ui->line_h - 1, bw, 2, DRAW_RGBA(86, 180, 233, 120));
        snprintf(score, sizeof score, "%.3f", g->sel.nbrs[j].score);
        bool over = ui->in.mx >= x && ui->in.mx < x + w && ui->in.my >= ry && ui->in.my < ry + (float)ui->line_h + 2;
        ui_row(ui, gui_word(g, g->sel.nbrs[j].index), score, over ? ui->theme.accent : ui->theme.text);
        if (over && ui->in.released[0]) {
            gui_select(g, g->sel.nbrs[j].index);
            break;
        }
    }
    if (!g->sel.nnbrs)
        ui_label(ui, g->sel.min_cos > -1.5f ? "(none that close)" : "(no neighbours yet)", ui->theme.dim);
    if (shown < g->sel.nnbrs) {
        snprintf(head, sizeof head, "... %d more", g->sel.nnbrs - shown);
        ui_label(ui, head, ui->theme.dim);
    }
    return ui_panel_end(ui);
}

static float pins_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    char score[32];
    ui_panel_begin(ui, x, y, w);
    int remove = -1;
    for (int p = 0; p < g->sel.npins; p++) {
        GuiPin *pin = &g->sel.pins[p];
        float bh = (float)ui->line_h;
        ui_row(ui, pin->text, "", ui->theme.accent);
        if (ui_button(ui, "x", ui->px + w - ui->pad - bh, ui->cy - bh - 2, bh, bh) & UI_SUBMITTED)
            remove = p;
        if (pin->err[0])
            ui_label(ui, pin->err, ui->theme.error);
        for (int j = 0; j < pin->nans && j < 5; j++) {
            char left[160];
            snprintf(left, sizeof left, "%d. %s", j + 1, gui_word(g, pin->ans[j].index));
            snprintf(score, sizeof score, "%.3f", pin->ans[j].score);
            ui_row(ui, left, score, j == 0 ? ui->theme.text : ui->theme.dim);
        }
        ui_space(ui, 4);
    }
    float h = ui_panel_end(ui);
    gui_unpin(g, remove);
    return h;
}

static void status_line(GuiApp *g)
{
    Ui *ui = &g->ui;
    float sc = g->win.scale, h = (float)ui->line_h + 10 * sc, y = (float)g->cam.vh - h;
    float w = (float)g->cam.vw;
    draw_rect(ui->dl, 0, y, w, h, DRAW_RGBA(12, 14, 18, 240));
    draw_rect(ui->dl, 0, y, w, 1, ui->theme.border);
    ui_claim(ui, 0, y, w, h);

    char right[160];
    double ms = 0;
    int n = g->perf.frames_drawn < 32 ? (int)g->perf.frames_drawn : 32;
    for (int i = 1; i <= n; i++)
        ms = fmax(ms, g->perf.frame_cpu_ms[(g->perf.frames_drawn - (uint64_t)i) % 4096]);
    snprintf(right, sizeof right, "%lld words  |  snapshot %llu (%.0f ms)  |  %s  |  draw %.1f ms  |  H: help",
             (long long)g->points.rows, (unsigned long long)g->data.snap_seq,
             g->data.snap ? g->data.snap->build_ms : 0.0, g->two_d ? "2D" : "3D", ms);
    float rw = (float)ui_text_w(ui, right), room = w - rw - 30 * sc;
    const char *st = g->status.text;
    /* a long status is cut with "..." where the right-hand numbers begin; with the mouse on
     * the line it takes the whole width instead (an error that names a path says why at its
     * end) */
    bool over = ui->in.my >= y && ui->in.my < y + h && ui->in.mx >= 0 && ui->in.mx < w;
    bool whole = over && ui_fit(ui, st, room) < strlen(st);
    ui_text_cut(ui, 10 * sc, y + 5 * sc, st, whole ? w - 20 * sc : room,
                g->status.error ? ui->theme.error : ui->theme.text);
    if (!whole)
        draw_text(ui->dl, 0, w - rw - 10 * sc, y + 5 * sc, right, strlen(right), ui->theme.dim);
}

static void legend_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    const LiveSnapshot *f = g->data.snap;
    char size[32];
    g->space.hover_cluster = -1;
    if (!f || f->nclusters < 2)
        return;
    ui_panel_begin(ui, x, y, w);
    ui_row(ui, "Clusters", "k-means", ui->theme.dim);
    float sc = g->win.scale, lh = (float)ui->line_h + 2;
    for (int c = 0; c < f->nclusters; c++) {
        float ry = ui->cy;
        bool over = ui->in.mx >= x && ui->in.mx < x + w && ui->in.my >= ry && ui->in.my < ry + lh;
        if (over) {
            g->space.hover_cluster = c;
            draw_rect(ui->dl, x + 1, ry - 1, w - 2, lh, ui->theme.button_hot);
        }
        draw_rect(ui->dl, ui->px + ui->pad, ry + 3 * sc, 10 * sc, 10 * sc, gui_cluster_color(c));
        snprintf(size, sizeof size, "%lld", (long long)f->cluster_size[c]);
        float sw = (float)ui_text_w(ui, size);
        draw_clip(ui->dl, ui->px, ry, w - sw - 2 * ui->pad - 6, lh);
        draw_text(ui->dl, 0, ui->px + ui->pad + 16 * sc, ry, f->legend[c], strlen(f->legend[c]),
                  over ? ui->theme.text : DRAW_RGB(190, 196, 205));
        draw_noclip(ui->dl);
        draw_text(ui->dl, 0, x + w - ui->pad - sw, ry, size, strlen(size), ui->theme.dim);
        ui->cy += lh;
    }
    ui_panel_end(ui);
}

/* Under a modal dialog the panels are drawn as usual but see no mouse and no keys. */
static void mask_input(UiInput *in)
{
    in->mx = in->my = -1e9f;
    for (int b = 0; b < 3; b++)
        in->down[b] = in->pressed[b] = in->released[b] = false;
    in->wheel = 0;
    in->text_len = 0;
    in->nkeys = 0;
}

void gui_panels(GuiApp *g)
{
    float sc = g->win.scale, w = RIGHT_W * sc, x = (float)g->cam.vw - w - 12 * sc, y = 12 * sc;
    bool modal = gui_opendlg_shown(g);
    UiInput in = g->ui.in;
    if (modal)
        mask_input(&g->ui.in);
    g->typing = g->ui.focus != 0 || modal;
    status_line(g);
    if (g->data.opening)
        y += opening_panel(g, x, y, w) + 10 * sc;
    if (g->data.trainer)
        y += training_panel(g, x, y, w) + 10 * sc;
    else if (g->data.table)
        y += vectors_panel(g, x, y, w) + 10 * sc;
    else if (!g->data.opening)
        empty_panel(g);
    if (g->views.set.show && g->data.trainer)
        y += gui_settings_panel(g, x, y, w) + 10 * sc;
    if (g->views.view == GUI_VIEW_SPACE && g->data.snap)
        y += gui_projection_panel(g, x, y, w) + 10 * sc;
    if (g->sel.selected >= 0)
        y += neighbour_panel(g, x, y, w) + 10 * sc;
    if (g->show_export && g->data.snap)
        y += gui_export_panel(g, x, y, w) + 10 * sc;
    if (g->sel.npins)
        pins_panel(g, x, y, w);
    gui_views_panels(g, x);
    float ly = gui_search_box_below(g, gui_views_top(g)); /* clear of a search error */
    if (!g->space.hide_legend && g->views.view == GUI_VIEW_SPACE && g->space.color.mode != GUI_COLOR_CLUSTER) {
        g->space.hover_cluster = -1;
        gui_colorby_legend(g, 12 * sc, ly, 260 * sc);
    } else if (!g->space.hide_legend && g->views.view == GUI_VIEW_SPACE) {
        legend_panel(g, 12 * sc, ly, 260 * sc);
    } else {
        g->space.hover_cluster = -1;
    }
    gui_search_box(g);
    if (modal) {
        g->ui.in = in;
        gui_opendlg_panel(g);
    }
}
