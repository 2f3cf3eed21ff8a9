/* The help screen (see help.h), drawn from the command table so it cannot drift from the
 * keys: the keys in two columns, then the hints about the mouse and expressions.
 * UI thread. */
#include "app/gui/commands/help.h"
#include "app/gui/commands/commands.h"
#include <math.h>
#include <string.h>

#define HELP_MAX_KEYS 48

void gui_help_panel(GuiApp *g)
{
    Ui *ui = &g->ui;
    char keys[HELP_MAX_KEYS][160];
    int nk = gui_help_keys(), nh = gui_help_hints();
    nk = nk < HELP_MAX_KEYS ? nk : HELP_MAX_KEYS;
    int rows = (nk + 1) / 2;
    float col = 0, wide = 0, lh = (float)ui->line_h + 2, gap = 28 * g->win.scale;
    for (int i = 0; i < nk; i++)
        col = fmaxf(col, (float)ui_text_w(ui, gui_help_key(i, keys[i], sizeof keys[i])));
    for (int i = 0; i < nh; i++)
        wide = fmaxf(wide, (float)ui_text_w(ui, gui_help_hint(i)));
    float w = fmaxf(2 * col + gap, wide) + 2 * ui->pad + 4;
    float h = (float)(rows + nh + 2) * lh + 2 * ui->pad;
    float x = ((float)g->cam.vw - w) / 2, y = fmaxf(12 * g->win.scale, ((float)g->cam.vh - h) / 2);
    ui_panel_begin(ui, x, y, w);
    ui_label(ui, "Keys and mouse", ui->theme.accent);
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < 2 && r + c * rows < nk; c++) {
            const char *s = keys[r + c * rows];
            draw_text(ui->dl, 0, ui->px + ui->pad + (float)c * (col + gap), ui->cy, s, strlen(s),
                      ui->theme.text);
        }
        ui->cy += lh;
    }
    ui_space(ui, lh);
    for (int i = 0; i < nh; i++)
        ui_label(ui, gui_help_hint(i), ui->theme.dim);
    ui_panel_end(ui);
}
