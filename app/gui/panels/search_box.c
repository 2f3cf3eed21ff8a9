/* The search box (see search_box.h). UI thread. */
#include "app/ui/textbox.h"
#include "app/gui/panels/search_box.h"
#include "app/gui/select/camera.h"
#include "app/gui/select/search.h"
#include "app/gui/select/select.h"
#include <stdio.h>
#include <string.h>

/* The error line's place under the box at (x, y): the one geometry for drawing and for
 * keeping the legend out of it. */
static void error_rect(const Ui *ui, float y, float *ey, float *eh)
{
    *ey = y + (float)ui->line_h + 12;
    *eh = (float)ui->line_h + 8;
}

float gui_search_box_below(const GuiApp *g, float top)
{
    if (!g->search.error[0] || g->search.ncompletions)
        return top;
    float ey, eh;
    error_rect(&g->ui, 12 * g->win.scale, &ey, &eh);
    return ey + eh + 6 * g->win.scale > top ? ey + eh + 6 * g->win.scale : top;
}

void gui_search_box(GuiApp *g)
{
    Ui *ui = &g->ui;
    float sc = g->win.scale, x = 12 * sc, y = 12 * sc, w = 360 * sc;
    int r = ui_textbox(ui, GUI_SEARCH_ID, g->search.text, sizeof g->search.text, x, y, w,
                       "search a word, or king - man + woman   ( / )");
    if (r & UI_CHANGED) {
        gui_complete(g);
        g->search.error[0] = 0;
    }
    /* a pasted list of words (no operators) selects them all */
    if ((r & UI_PASTED) && strchr(g->search.text, ' ') && !strpbrk(g->search.text, "+-=") &&
        gui_select_words(g, g->search.text)) {
        g->search.ncompletions = 0;
        gui_history_push(g);
        gui_fit_selection(g);
    }
    if ((r & UI_ACTIVE) && !g->search.ncompletions) { /* Up / Down: earlier queries */
        int dir = ui_key(ui, UI_KEY_UP) ? -1 : ui_key(ui, UI_KEY_DOWN) ? 1 : 0;
        if (dir && gui_history_step(g, dir))
            ui->caret = ui->anchor = strlen(g->search.text);
    }
    if ((r & UI_ACTIVE) && g->search.ncompletions) {
        if (ui_key(ui, UI_KEY_DOWN))
            g->search.completion = (g->search.completion + 1) % g->search.ncompletions;
        if (ui_key(ui, UI_KEY_UP))
            g->search.completion = (g->search.completion + g->search.ncompletions - 1) % g->search.ncompletions;
        if (ui_key(ui, UI_KEY_TAB)) {
            gui_complete_take(g, g->search.completion);
            ui->caret = ui->anchor = strlen(g->search.text);
        }
    }
    if (r & UI_SUBMITTED) {
        gui_history_push(g);
        gui_search_submit(g);
        g->search.ncompletions = 0;
        ui->focus = 0;
    }
    if (g->search.error[0] && !g->search.ncompletions) {
        float ey, eh;
        error_rect(ui, y, &ey, &eh);
        draw_outline(ui->dl, x, y, w, (float)ui->line_h + 10, ui->theme.error);
        draw_rect(ui->dl, x, ey, w, eh, DRAW_RGBA(60, 20, 18, 235));
        draw_clip(ui->dl, x, ey, w - 6, eh);
        draw_text(ui->dl, 0, x + 8, ey + 4, g->search.error, strlen(g->search.error), ui->theme.error);
        draw_noclip(ui->dl);
        ui_claim(ui, x, ey, w, eh);
    }
    if (!(r & UI_ACTIVE) || !g->search.ncompletions)
        return;
    float lh = (float)ui->line_h + 6, cy = y + (float)ui->line_h + 12;
    draw_rect(ui->dl, x, cy, w, lh * (float)g->search.ncompletions + 4, ui->theme.panel);
    draw_outline(ui->dl, x, cy, w, lh * (float)g->search.ncompletions + 4, ui->theme.border);
    ui_claim(ui, x, cy, w, lh * (float)g->search.ncompletions + 4);
    for (int i = 0; i < g->search.ncompletions; i++) {
        const char *word = gui_word(g, g->search.completions[i]);
        float ry = cy + 2 + lh * (float)i;
        bool over = ui->in.mx >= x && ui->in.mx < x + w && ui->in.my >= ry && ui->in.my < ry + lh;
        if (over)
            draw_rect(ui->dl, x + 1, ry, w - 2, lh, ui->theme.button_hot);
        if (i == g->search.completion && !over)
            draw_rect(ui->dl, x + 1, ry, w - 2, lh, ui->theme.button);
        draw_text(ui->dl, 0, x + 8, ry + 3, word, strlen(word),
                  i == g->search.completion ? ui->theme.text : ui->theme.dim);
        if (over && ui->in.pressed[0]) {
            ui->active = ui_id("completion", 0);
            snprintf(g->search.text, sizeof g->search.text, "%s", word);
            gui_search_submit(g);
            g->search.ncompletions = 0;
            ui->focus = 0;
        }
    }
}
