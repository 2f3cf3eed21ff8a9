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

float gui_projection_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    GuiProj *p = &g->proj;
    ui_panel_begin(ui, x, y, w);
    ui_row(ui, "Projection", p->kind == GUI_PROJ_AXES ? "custom axes (X)" : "PCA (X)", ui->theme.text);
    float bw = (w - 2 * ui->pad - 6) / 2, bh = (float)ui->line_h + 8, by = ui->cy;
    if (ui_button(ui, p->kind == GUI_PROJ_PCA ? "[PCA]" : "PCA", ui->px + ui->pad, by, bw, bh) & UI_SUBMITTED)
        gui_proj_set(g, GUI_PROJ_PCA);
    if (ui_button(ui, p->kind == GUI_PROJ_AXES ? "[custom axes]" : "custom axes", ui->px + ui->pad + bw + 6, by,
                  bw, bh) & UI_SUBMITTED) {
        if (!p->edit[0][0])
            snprintf(p->edit[0], sizeof p->edit[0], "%s", p->axis_text[0][0] ? p->axis_text[0] : "man -> woman");
        apply_axes(g);
    }
    ui_space(ui, bh + 4);
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
