/* The projection panel (see projpanel.h). UI thread. */
#include "app/gui/panels/projpanel.h"
#include "app/gui/data/proj.h"
#include "app/ui/textbox.h"
#include <stdio.h>
#include <string.h>

static void apply_axes(GuiApp *g)
{
    GuiProj *p = &g->proj;
    Err e = {{0}};
    if (!gui_proj_set_axes(g, p->edit[0], p->edit[1], &e))
        gui_set_status(g, true, "custom axes: %s", e.msg);
    g->ui.focus = 0;
}

/* UMAP: the layout being made (stage, a bar), or the one shown (time, how far points moved). */
static void umap_rows(GuiApp *g, float w)
{
    Ui *ui = &g->ui;
    char a[96], b[64];
    LiveLayoutProgress lp = g->data.live ? live_layout_progress(g->data.live) : (LiveLayoutProgress){0};
    const LiveSnapshot *f = g->data.snap;
    if (lp.busy) {
        bool first = !f || f->layout_kind != LIVELAY_UMAP;
        snprintf(a, sizeof a, "%s: %s", first ? "making the layout" : "refining", lp.stage);
        snprintf(b, sizeof b, "%.0f%%", lp.fraction * 100);
        ui_row(ui, a, b, ui->theme.dim);
        ui_progress(ui, ui->px + ui->pad, ui->cy, w - 2 * ui->pad, 5 * g->win.scale, lp.fraction, ui->theme.accent);
        ui_space(ui, 9 * g->win.scale);
    }
    if (lp.error[0])
        ui_label(ui, lp.error, ui->theme.error);
    if (f && f->layout_kind == LIVELAY_UMAP) {
        snprintf(a, sizeof a, "layout %llu%s", (unsigned long long)f->layout_builds, f->layout_warm ? " (refined)" : "");
        snprintf(b, sizeof b, f->layout_warm ? "%.1f s, moved %.2f%%" : "%.1f s", f->layout_ms / 1e3,
                 f->layout_moved * 100);
        ui_row(ui, a, b, ui->theme.dim);
    }
    ui_label(ui, "keeps neighbourhoods, not distances:", ui->theme.dim);
    ui_label(ui, "analogy arrows lose their parallelogram", ui->theme.dim);
}

float gui_projection_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    GuiProj *p = &g->proj;
    ui_panel_begin(ui, x, y, w);
    static const char *const kinds[GUI_PROJ_COUNT] = {"PCA (X)", "custom axes (X)", "UMAP (X)"};
    ui_row(ui, "Projection", kinds[p->kind], ui->theme.text);
    float bw = (w - 2 * ui->pad - 12) / 3, bh = (float)ui->line_h + 8, by = ui->cy, bx = ui->px + ui->pad;
    if (ui_button(ui, p->kind == GUI_PROJ_PCA ? "[PCA]" : "PCA", bx, by, bw, bh) & UI_SUBMITTED)
        gui_proj_set(g, GUI_PROJ_PCA);
    if (ui_button(ui, p->kind == GUI_PROJ_AXES ? "[axes]" : "axes", bx + bw + 6, by, bw, bh) & UI_SUBMITTED) {
        if (!p->edit[0][0])
            snprintf(p->edit[0], sizeof p->edit[0], "%s", p->axis_text[0][0] ? p->axis_text[0] : "man -> woman");
        apply_axes(g);
    }
    if (ui_button(ui, p->kind == GUI_PROJ_UMAP ? "[UMAP]" : "UMAP", bx + 2 * (bw + 6), by, bw, bh) & UI_SUBMITTED)
        gui_proj_set(g, GUI_PROJ_UMAP);
    ui_space(ui, bh + 4);
    if (p->kind == GUI_PROJ_UMAP)
        umap_rows(g, w);
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
