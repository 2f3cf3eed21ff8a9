/* The projection panel (see projpanel.h). UI thread. */
#include "app/gui/panels/projpanel.h"
#include "app/gui/data/proj.h"
#include "app/ui/textbox.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void apply_axes(GuiApp *g)
{
    GuiProj *p = &g->proj;
    Err e = {{0}};
    if (!gui_proj_set_axes(g, p->edit[0], p->edit[1], &e))
        gui_set_status(g, true, "custom axes: %s", e.msg);
    g->ui.focus = 0;
}

static const char *const lay_ids[3] = {GUI_LAY_NEIGHBORS_ID, GUI_LAY_SHAPE_ID, GUI_LAY_EPOCHS_ID};

/* The boxes' numbers (empty: the default) into the layout's parameters, and a rebuild. */
static void apply_layout(GuiApp *g, int dims)
{
    GuiProj *p = &g->proj;
    LiveLayoutDesc d = p->layout;
    bool tsne = p->kind == GUI_PROJ_TSNE;
    double v[3] = {0, 0, 0};
    Err e = {{0}};
    for (int j = 0; j < 3; j++) {
        char *end = p->lay_edit[j];
        if (p->lay_edit[j][0])
            v[j] = strtod(p->lay_edit[j], &end);
        while (*end == ' ')
            end++;
        if (*end || !isfinite(v[j]) || v[j] < 0 || v[j] > 1e6) { /* and (int) below stays defined */
            gui_set_status(g, true, "%s '%s': want a number from 0 to 1e6 (empty: the default)", lay_ids[j],
                           p->lay_edit[j]);
            return;
        }
    }
    d.dims = dims;
    d.neighbors = (int)v[0];
    if (tsne)
        d.perplexity = v[1];
    else
        d.min_dist = v[1];
    d.epochs = (int)v[2];
    if (!gui_proj_set_layout(g, &d, &e))
        gui_set_status(g, true, "layout: %s", e.msg);
    g->ui.focus = 0;
}

/* 2D / 3D, and the parameters in boxes whose hints are the values in use. */
static void layout_params(GuiApp *g, float w)
{
    Ui *ui = &g->ui;
    GuiProj *p = &g->proj;
    bool tsne = p->kind == GUI_PROJ_TSNE, three = p->layout.dims == 3;
    LiveLayoutDesc d = p->layout;
    d.kind = tsne ? LIVELAY_TSNE : LIVELAY_UMAP;
    d = livelay_desc_defaults(&d);
    float bw = (w - 2 * ui->pad - 6) / 2, bh = (float)ui->line_h + 8, bx = ui->px + ui->pad;
    if (ui_button(ui, three ? "2D" : "[2D]", bx, ui->cy, bw, bh) & UI_SUBMITTED && three)
        apply_layout(g, 2);
    if (ui_button(ui, three ? "[3D]" : "3D", bx + bw + 6, ui->cy, bw, bh) & UI_SUBMITTED && !three)
        apply_layout(g, 3);
    ui_space(ui, bh + 4);
    static const char *const labels[2][3] = {{"neighbours", "min_dist", "epochs"},
                                             {"neighbours", "perplexity", "iterations"}};
    char hint[3][24];
    snprintf(hint[0], sizeof hint[0], "%d", d.neighbors);
    snprintf(hint[1], sizeof hint[1], "%g", tsne ? d.perplexity : d.min_dist);
    snprintf(hint[2], sizeof hint[2], "%d", d.epochs);
    for (int j = 0; j < 3; j++) {
        float lw = 84 * g->win.scale;
        draw_text(ui->dl, 0, ui->px + ui->pad, ui->cy + 5, labels[tsne][j], strlen(labels[tsne][j]), ui->theme.dim);
        int r = ui_textbox(ui, lay_ids[j], p->lay_edit[j], sizeof p->lay_edit[j], ui->px + ui->pad + lw,
                           ui->cy, w - 2 * ui->pad - lw, hint[j]);
        if (r & UI_SUBMITTED)
            apply_layout(g, three ? 3 : 2);
        ui_space(ui, (float)ui->line_h + 14);
    }
    if (ui_button(ui, "apply (rebuilds)", bx, ui->cy, w - 2 * ui->pad, bh) & UI_SUBMITTED)
        apply_layout(g, three ? 3 : 2);
    ui_space(ui, bh + 4);
}

/* UMAP / t-SNE: the layout being made (stage, a bar), or the one shown (time, how far points
 * moved). */
static void layout_rows(GuiApp *g, float w)
{
    Ui *ui = &g->ui;
    char a[96], b[64];
    LiveLayoutProgress lp = g->data.live ? live_layout_progress(g->data.live) : (LiveLayoutProgress){0};
    const LiveSnapshot *f = g->data.snap;
    bool shown = gui_proj_layout_shown(g, f);
    layout_params(g, w);
    if (lp.busy) {
        snprintf(a, sizeof a, "%s: %s", shown ? "refining" : "laying out", lp.stage);
        snprintf(b, sizeof b, "%.0f%%", lp.fraction * 100);
        ui_row(ui, a, b, ui->theme.dim);
        ui_progress(ui, ui->px + ui->pad, ui->cy, w - 2 * ui->pad, 5 * g->win.scale, lp.fraction, ui->theme.accent);
        ui_space(ui, 9 * g->win.scale);
    }
    if (lp.error[0])
        ui_label(ui, lp.error, ui->theme.error);
    if (shown) {
        snprintf(a, sizeof a, "layout %llu%s", (unsigned long long)f->layout_builds, f->layout_warm ? " (refined)" : "");
        snprintf(b, sizeof b, f->layout_warm ? "%.1f s, moved %.2f%%" : "%.1f s", f->layout_ms / 1e3,
                 f->layout_moved * 100);
        ui_row(ui, a, b, ui->theme.dim);
    } else if (!lp.busy) {
        ui_label(ui, "the old picture stays until the layout is made", ui->theme.dim);
    }
    if (shown && f->layout_sampled && f->prog.running)
        ui_label(ui, "sampled until training stops", ui->theme.dim);
    ui_label(ui, "keeps neighbourhoods, not distances:", ui->theme.dim);
    ui_label(ui, "analogy arrows lose their parallelogram", ui->theme.dim);
}

float gui_projection_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    GuiProj *p = &g->proj;
    ui_panel_begin(ui, x, y, w);
    static const char *const kinds[GUI_PROJ_COUNT] = {"PCA (X)", "custom axes (X)", "UMAP (X)", "t-SNE (X)"};
    ui_row(ui, "Projection", kinds[p->kind], ui->theme.text);
    float bw = (w - 2 * ui->pad - 18) / 4, bh = (float)ui->line_h + 8, by = ui->cy, bx = ui->px + ui->pad;
    if (ui_button(ui, p->kind == GUI_PROJ_PCA ? "[PCA]" : "PCA", bx, by, bw, bh) & UI_SUBMITTED)
        gui_proj_set(g, GUI_PROJ_PCA);
    if (ui_button(ui, p->kind == GUI_PROJ_AXES ? "[axes]" : "axes", bx + bw + 6, by, bw, bh) & UI_SUBMITTED) {
        if (!p->edit[0][0])
            snprintf(p->edit[0], sizeof p->edit[0], "%s", p->axis_text[0][0] ? p->axis_text[0] : "man -> woman");
        apply_axes(g);
    }
    if (ui_button(ui, p->kind == GUI_PROJ_UMAP ? "[UMAP]" : "UMAP", bx + 2 * (bw + 6), by, bw, bh) & UI_SUBMITTED)
        gui_proj_set(g, GUI_PROJ_UMAP);
    if (ui_button(ui, p->kind == GUI_PROJ_TSNE ? "[t-SNE]" : "t-SNE", bx + 3 * (bw + 6), by, bw, bh) & UI_SUBMITTED)
        gui_proj_set(g, GUI_PROJ_TSNE);
    ui_space(ui, bh + 4);
    if (p->kind == GUI_PROJ_UMAP || p->kind == GUI_PROJ_TSNE)
        layout_rows(g, w);
    if (p->kind != GUI_PROJ_AXES)
        return ui_panel_end(ui);
    static const char *const ids[2] = {GUI_AXIS_X_ID, GUI_AXIS_Y_ID};
    static const char *const hints[2] = {"man -> woman", "empty: PC1 of the rest"};
    for (int j = 0; j < 2; j++) {
        float lw = 18 * g->win.scale;
        draw_text(ui->dl, 0, ui->px + ui->pad, ui->cy + 5, j ? "y" : "x", 1, ui->theme.dim);
        int r = ui_textbox(ui, ids[j], p->edit[j], sizeof p->edit[j], ui->px + ui->pad + lw, ui->cy,
                           w - 2 * ui->pad - lw, hints[j]);
        if (r & UI_SUBMITTED)
            apply_axes(g);
        ui_space(ui, (float)ui->line_h + 14);
    }
    ui_label(ui, "directions between words; Enter applies", ui->theme.dim);
    return ui_panel_end(ui);
}
