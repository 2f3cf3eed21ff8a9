/* Live training controls (S): the learning rate (takes effect at once), pause / step / reset,
 * and settings that need a restart (model, dimension, window, negative samples, subsampling,
 * min-count, epochs, threads), shown beside the values really in use. UI thread. */
#include "app/ui/textbox.h"
#include "app/gui/views/settings.h"
#include "app/gui/data/train_ctl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void lr_row(GuiApp *g, Ui *ui, float w)
{
    GuiSettings *s = &g->views.set;
    TrainProgress p = trainer_progress(g->data.trainer);
    float sc = g->win.scale, bh = (float)ui->line_h + 8, x = ui->px + ui->pad, y = ui->cy;
    char now[64];
    snprintf(now, sizeof now, "now %.5f", p.alpha);
    ui_row(ui, "learning rate", now, ui->theme.text);
    y = ui->cy;
    float bw = 44 * sc, tw = w - 2 * ui->pad - 3 * (bw + 4);
    int r = ui_textbox(ui, "set_lr", s->lr, sizeof s->lr, x, y, tw, "e.g. 0.025, Enter");
    if (r & UI_SUBMITTED) {
        char *end;
        double v = strtod(s->lr, &end);
        if (end == s->lr || *end || !gui_set_lr(g, v))
            gui_set_status(g, true, "learning rate: want a number in [0, 10], not '%s'", s->lr);
        ui->focus = 0;
    }
    double base = trainer_desc(g->data.trainer)->alpha;
    double cur = s->lr[0] ? strtod(s->lr, NULL) : base;
    if (ui_button(ui, "x0.5", x + tw + 4, y, bw, bh) & UI_SUBMITTED)
        gui_set_lr(g, cur * 0.5);
    if (ui_button(ui, "x2", x + tw + 8 + bw, y, bw, bh) & UI_SUBMITTED)
        gui_set_lr(g, cur * 2);
    if (ui_button(ui, "0", x + tw + 12 + 2 * bw, y, bw, bh) & UI_SUBMITTED)
        gui_set_lr(g, 0);
    ui_space(ui, bh + 6);
}

static void run_buttons(GuiApp *g, Ui *ui, float w)
{
    TrainProgress p = trainer_progress(g->data.trainer);
    float bh = (float)ui->line_h + 8, bw = (w - 2 * ui->pad - 8) / 3, x = ui->px + ui->pad, y = ui->cy;
    if ((ui_button(ui, p.paused ? "Resume " : "Pause ", x, y, bw, bh) & UI_SUBMITTED) && !p.finished)
        gui_toggle_pause(g);
    if (ui_button(ui, "Step  N", x + bw + 4, y, bw, bh) & UI_SUBMITTED)
        gui_step(g);
    if (ui_button(ui, "Reset", x + 2 * (bw + 4), y, bw, bh) & UI_SUBMITTED)
        g->data.want_restart = true;
    ui_space(ui, bh + 6);
}

float gui_settings_panel(GuiApp *g, float x, float y, float w)
{
    if (!g->data.trainer)
        return 0;
    Ui *ui = &g->ui;
    GuiSettings *s = &g->views.set;
    const TrainDesc *d = trainer_desc(g->data.trainer);
    float sc = g->win.scale, bh = (float)ui->line_h + 8;
    ui_panel_begin(ui, x, y, w);
    ui_row(ui, "Training controls", "S hides", ui->theme.accent);
    lr_row(g, ui, w);
    run_buttons(g, ui, w);
    ui_row(ui, "setting", "in use   new", ui->theme.dim);
    /* model: a toggle */
    TrainModel m = s->model ? s->model : d->model;
    float vx = ui->px + w - ui->pad - 90 * sc, ux = vx - 8 * sc;
    char buf[32];
    bool model_changed = m != d->model;
    draw_text(ui->dl, 0, ui->px + ui->pad, ui->cy + 4, "model", 5,
              model_changed ? ui->theme.error : ui->theme.text);
    snprintf(buf, sizeof buf, "%s", d->model == TRAIN_CBOW ? "CBOW" : "skip-gram");
    draw_text(ui->dl, 0, ux - (float)ui_text_w(ui, buf), ui->cy + 4, buf, strlen(buf), ui->theme.dim);
    if (ui_button(ui, m == TRAIN_CBOW ? "CBOW" : "skip-gram", vx, ui->cy, 90 * sc, bh) & UI_SUBMITTED)
        s->model = m == TRAIN_CBOW ? TRAIN_SKIPGRAM : TRAIN_CBOW;
    ui_space(ui, bh + 4);
    for (int i = 0; i < GUI_SETTINGS; i++) {
        const TrainParam *p = gui_setting(i);
        int state = gui_setting_state(g, i);
        draw_text(ui->dl, 0, ui->px + ui->pad, ui->cy + 4, p->label, strlen(p->label),
                  state ? ui->theme.error : ui->theme.text);
        train_param_format(p, d, buf, sizeof buf);
        draw_text(ui->dl, 0, ux - (float)ui_text_w(ui, buf), ui->cy + 4, buf, strlen(buf), ui->theme.dim);
        char id[32];
        snprintf(id, sizeof id, "set_%s", p->name);
        ui_textbox(ui, id, s->edit[i], sizeof s->edit[i], vx, ui->cy, 90 * sc, "");
        ui_space(ui, bh + 4);
    }
    bool any = model_changed || gui_settings_changed(g);
    if (any) {
        ui_label(ui, "red: needs a restart (new random init)", ui->theme.error);
        if (ui_button(ui, "Apply and restart", ui->px + ui->pad, ui->cy, w - 2 * ui->pad, bh) & UI_SUBMITTED) {
            Err e = {{0}};
            if (!gui_settings_apply(g, &e))
                gui_set_status(g, true, "%s", e.msg);
        }
        ui_space(ui, bh + 4);
    } else {
        ui_label(ui, "type a new value; the learning rate applies at once", ui->theme.dim);
    }
    return ui_panel_end(ui);
}
