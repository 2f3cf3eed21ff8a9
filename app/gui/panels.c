/* Panels of the explorer: the search box with prefix completion, training progress and
 * controls, neighbours and pinned analogies, the status line, help, keyboard shortcuts.
 * UI thread. */
#include "app/gui/app.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SEARCH_ID "search"
#define RIGHT_W 300.f

const char *gui_word(const GuiApp *g, int64_t i)
{
    const Vocab *v = gui_vocab(g);
    return i >= 0 && i < v->size ? vocab_word(v, i) : "?";
}

/* ---- queries ---- */

static void query_neighbours(GuiApp *g)
{
    g->nnbrs = 0;
    if (g->selected < 0 || !g->frame)
        return;
    const KnnIndex *ix = &g->frame->knn;
    g->nnbrs = knn_query(ix, knn_row(ix, g->selected), g->k, &g->selected, 1, g->nbrs);
}

static void query_pin(GuiApp *g, GuiPin *p)
{
    if (!g->frame)
        return;
    static float q[EMB_MAX_DIM];
    Expr x;
    Err e = {{0}};
    p->nans = 0;
    char ex[sizeof p->text];
    if (!expr_compile(gui_pin_expr(p->text, ex, sizeof ex), gui_vocab(g), &g->frame->knn, &x, q,
                      &p->q, &e)) {
        snprintf(p->err, sizeof p->err, "%s", e.msg);
        return;
    }
    p->err[0] = 0;
    p->nans = knn_query(&g->frame->knn, q, 10, p->q.exclude, p->q.nexclude, p->ans);
    p->seq = g->frame->seq;
}

/* On every new snapshot: neighbours and pinned answers follow the training; a pinned
 * analogy whose best answer changes says so in the status line. */
void gui_refresh_queries(GuiApp *g)
{
    query_neighbours(g);
    for (int i = 0; i < g->npins; i++) {
        GuiPin *p = &g->pins[i];
        int64_t before = p->nans ? p->ans[0].index : -1;
        query_pin(g, p);
        if (before >= 0 && p->nans && p->ans[0].index != before)
            gui_set_status(g, false, "%s: now %s (was %s)", p->text, gui_word(g, p->ans[0].index),
                           gui_word(g, before));
    }
}

void gui_select(GuiApp *g, int64_t word)
{
    g->selected = word;
    g->nextra = 0;
    query_neighbours(g);
    if (word >= 0)
        gui_set_status(g, false, "selected '%s' (#%lld by frequency)", gui_word(g, word),
                       (long long)word + 1);
}

void gui_pin_expression(GuiApp *g, const char *text, bool fly)
{
    for (int i = 0; i < g->npins; i++)
        if (!strcmp(g->pins[i].text, text)) {
            gui_set_status(g, false, "'%s' is already pinned", text);
            return;
        }
    if (g->npins == GUI_MAX_PINS) {
        memmove(&g->pins[0], &g->pins[1], (GUI_MAX_PINS - 1) * sizeof g->pins[0]);
        g->npins--;
    }
    GuiPin *p = &g->pins[g->npins++];
    memset(p, 0, sizeof *p);
    snprintf(p->text, sizeof p->text, "%s", text);
    p->expect = gui_pin_expect(g, text);
    query_pin(g, p);
    if (p->nans) {
        /* "a - b + c = d" names its expected answer: say what came first instead */
        if (strchr(text, '='))
            gui_set_status(g, false, "%s: top answer %s (%.3f)", text,
                           gui_word(g, p->ans[0].index), p->ans[0].score);
        else
            gui_set_status(g, false, "%s = %s (%.3f)", text, gui_word(g, p->ans[0].index),
                           p->ans[0].score);
        if (p->q.is_analogy && fly) {
            int64_t w[4] = {p->q.a, p->q.b, p->q.c, p->ans[0].index};
            gui_fly_to(g, w, 4);
        }
    }
}

/* " (did you mean a, b, c?)": words sharing the longest prefix with an unknown word. */
static void suggest(const GuiApp *g, const char *w, char *out, size_t cap)
{
    const Vocab *v = gui_vocab(g);
    for (size_t n = strlen(w); n >= 2; n--) {
        int found = 0;
        size_t len = 0;
        for (int64_t i = 0; i < v->size && found < 3; i++) {
            const char *c = vocab_word(v, i);
            if (strncmp(c, w, n))
                continue;
            int k = snprintf(out + len, cap - len, "%s%s", found ? ", " : " (did you mean ", c);
            if (k < 0 || (size_t)k >= cap - len)
                break;
            len += (size_t)k;
            found++;
        }
        if (found) {
            snprintf(out + len, cap - len, "?)");
            return;
        }
        out[0] = 0;
    }
}

/* A failed search: in the status line and under the search box until the text changes. */
static void search_error(GuiApp *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void search_error(GuiApp *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->search_error, sizeof g->search_error, fmt, ap);
    va_end(ap);
    gui_set_status(g, true, "%s", g->search_error);
}

/* Enter in the search box: one word selects it, an expression is evaluated and pinned. */
void gui_search_submit(GuiApp *g)
{
    Expr x;
    Err e = {{0}};
    char ex[sizeof g->search];
    const char *text = gui_pin_expr(g->search, ex, sizeof ex); /* "... = word": expected answer */
    g->search_error[0] = 0;
    if (!g->frame) {
        search_error(g, "no snapshot yet: wait for training to start");
        return;
    }
    if (!expr_parse(text, &x, &e)) {
        search_error(g, "bad expression: %s", e.msg);
        return;
    }
    if (!expr_resolve(&x, gui_vocab(g), &e)) {
        char hint[160] = "";
        if (x.nterms == 1)
            suggest(g, x.terms[0].word, hint, sizeof hint);
        search_error(g, "%s%s", e.msg, hint);
        return;
    }
    if (x.nterms == 1 && x.terms[0].sign > 0) {
        gui_select(g, x.terms[0].index);
        gui_frame_selection(g);
        return;
    }
    static float q[EMB_MAX_DIM];
    ExprQuery eq;
    if (!expr_build(&x, &g->frame->knn, q, &eq, &e)) {
        search_error(g, "%s", e.msg);
        return;
    }
    gui_pin_expression(g, g->search, true);
}

/* ---- completion ---- */

static void complete(GuiApp *g)
{
    g->ncompletions = 0;
    g->completion = 0;
    const char *s = g->search;
    size_t n = strlen(s);
    if (!n || strpbrk(s, " +-"))
        return;
    const Vocab *v = gui_vocab(g);
    for (int64_t i = 0; i < v->size && g->ncompletions < GUI_MAX_COMPLETIONS; i++) {
        const char *w = vocab_word(v, i);
        if (!strncmp(w, s, n) && w[n])
            g->completions[g->ncompletions++] = i;
    }
}

static void search_box(GuiApp *g)
{
    Ui *ui = &g->ui;
    float sc = g->win.scale, x = 12 * sc, y = 12 * sc, w = 360 * sc;
    int r = ui_textbox(ui, SEARCH_ID, g->search, sizeof g->search, x, y, w,
                       "search a word, or king - man + woman   ( / )");
    if (r & UI_CHANGED) {
        complete(g);
        g->search_error[0] = 0;
    }
    if ((r & UI_ACTIVE) && g->ncompletions) {
        if (ui_key(ui, UI_KEY_DOWN))
            g->completion = (g->completion + 1) % g->ncompletions;
        if (ui_key(ui, UI_KEY_UP))
            g->completion = (g->completion + g->ncompletions - 1) % g->ncompletions;
        if (ui_key(ui, UI_KEY_TAB)) {
            snprintf(g->search, sizeof g->search, "%s", gui_word(g, g->completions[g->completion]));
            ui->caret = strlen(g->search);
            complete(g);
        }
    }
    if (r & UI_SUBMITTED) {
        gui_search_submit(g);
        g->ncompletions = 0;
        ui->focus = 0;
    }
    if (g->search_error[0] && !g->ncompletions) {
        float ey = y + (float)ui->line_h + 12, eh = (float)ui->line_h + 8;
        draw_frame(ui->dl, x, y, w, (float)ui->line_h + 10, ui->theme.error);
        draw_rect(ui->dl, x, ey, w, eh, DRAW_RGBA(60, 20, 18, 235));
        draw_clip(ui->dl, x, ey, w - 6, eh);
        draw_text(ui->dl, 0, x + 8, ey + 4, g->search_error, strlen(g->search_error), ui->theme.error);
        draw_noclip(ui->dl);
        ui_claim(ui, x, ey, w, eh);
    }
    if (!(r & UI_ACTIVE) || !g->ncompletions)
        return;
    float lh = (float)ui->line_h + 6, cy = y + (float)ui->line_h + 12;
    draw_rect(ui->dl, x, cy, w, lh * (float)g->ncompletions + 4, ui->theme.panel);
    draw_frame(ui->dl, x, cy, w, lh * (float)g->ncompletions + 4, ui->theme.border);
    ui_claim(ui, x, cy, w, lh * (float)g->ncompletions + 4);
    for (int i = 0; i < g->ncompletions; i++) {
        const char *word = gui_word(g, g->completions[i]);
        float ry = cy + 2 + lh * (float)i;
        bool over = ui->in.mx >= x && ui->in.mx < x + w && ui->in.my >= ry && ui->in.my < ry + lh;
        if (over)
            draw_rect(ui->dl, x + 1, ry, w - 2, lh, ui->theme.button_hot);
        if (i == g->completion && !over)
            draw_rect(ui->dl, x + 1, ry, w - 2, lh, ui->theme.button);
        draw_text(ui->dl, 0, x + 8, ry + 3, word, strlen(word),
                  i == g->completion ? ui->theme.text : ui->theme.dim);
        if (over && ui->in.pressed[0]) {
            ui->active = ui_id("completion", 0);
            snprintf(g->search, sizeof g->search, "%s", word);
            gui_search_submit(g);
            g->ncompletions = 0;
            ui->focus = 0;
        }
    }
}

/* ---- right column ---- */

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
    const char *name = strrchr(g->sess.source, '/');
    ui_row(ui, "Vectors", name ? name + 1 : g->sess.source, ui->theme.text);
    snprintf(a, sizeof a, "%lld", (long long)g->table->rows);
    ui_row(ui, "words", a, ui->theme.text);
    snprintf(a, sizeof a, "%d", g->table->dim);
    ui_row(ui, "dimensions", a, ui->theme.text);
    ui_label(ui, "loaded from a file: nothing trains", ui->theme.dim);
    ui_space(ui, 4);
    float bw = (w - 2 * ui->pad - 6) / 2, bh = (float)ui->line_h + 8, by = ui->cy;
    if (ui_button(ui, g->two_d ? "[2D]" : "2D", ui->px + ui->pad, by, bw, bh) & UI_SUBMITTED)
        gui_set_2d(g, true);
    if (ui_button(ui, g->two_d ? "3D" : "[3D]", ui->px + ui->pad + bw + 6, by, bw, bh) & UI_SUBMITTED)
        gui_set_2d(g, false);
    ui_space(ui, bh + 4);
    return ui_panel_end(ui);
}

/* A file being opened: what the loader is doing, how far, and how long is left. */
static float opening_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    SessionProgress p = session_open_progress(g->opening);
    char a[96], b[64];
    ui_panel_begin(ui, x, y, w);
    const char *path = session_open_path(g->opening), *name = strrchr(path, '/');
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
    if (g->open_error[0])
        ui_label(ui, g->open_error, ui->theme.error);
    ui_label(ui, "Drop a text file (to train on) or a vectors file onto the window,", ui->theme.text);
    ui_label(ui, "or start with --corpus FILE or --vectors FILE.", ui->theme.text);
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
        g->want_restart = true;
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
    snprintf(head, sizeof head, "Neighbours of %s", gui_word(g, g->selected));
    snprintf(score, sizeof score, "top %d  [ ]", g->k);
    ui_row(ui, head, score, ui->theme.accent);
    /* rows that fit above the status line; the rest are counted */
    float room = (float)g->cam.vh - 60 * g->win.scale - ui->cy;
    int fit = (int)(room / ((float)ui->line_h + 2));
    int shown = g->nnbrs < fit ? g->nnbrs : fit > 0 ? fit : 0;
    for (int j = 0; j < shown; j++) {
        float ry = ui->cy, bw = (w - 2 * ui->pad) * fmaxf(0.f, g->nbrs[j].score);
        draw_rect(ui->dl, ui->px + ui->pad, ry + (float)ui->line_h - 1, bw, 2, DRAW_RGBA(86, 180, 233, 120));
        snprintf(score, sizeof score, "%.3f", g->nbrs[j].score);
        bool over = ui->in.mx >= x && ui->in.mx < x + w && ui->in.my >= ry && ui->in.my < ry + (float)ui->line_h + 2;
        ui_row(ui, gui_word(g, g->nbrs[j].index), score, over ? ui->theme.accent : ui->theme.text);
        if (over && ui->in.released[0]) {
            gui_select(g, g->nbrs[j].index);
            break;
        }
    }
    if (!g->nnbrs)
        ui_label(ui, "(no neighbours yet)", ui->theme.dim);
    if (shown < g->nnbrs) {
        snprintf(head, sizeof head, "... %d more", g->nnbrs - shown);
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
    for (int p = 0; p < g->npins; p++) {
        GuiPin *pin = &g->pins[p];
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
    if (remove >= 0) {
        memmove(&g->pins[remove], &g->pins[remove + 1], (size_t)(g->npins - remove - 1) * sizeof g->pins[0]);
        g->npins--;
    }
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
    int n = g->frames_drawn < 32 ? (int)g->frames_drawn : 32;
    for (int i = 1; i <= n; i++)
        ms = fmax(ms, g->frame_cpu_ms[(g->frames_drawn - (uint64_t)i) % 4096]);
    snprintf(right, sizeof right, "%lld words  |  snapshot %llu (%.0f ms)  |  %s  |  draw %.1f ms  |  H: help",
             (long long)g->rows, (unsigned long long)g->frame_seq,
             g->frame ? g->frame->build_ms : 0.0, g->two_d ? "2D" : "3D", ms);
    float rw = (float)ui_text_w(ui, right);
    /* a long status is cut where the right-hand numbers begin */
    draw_clip(ui->dl, 0, y, w - rw - 30 * sc, h);
    draw_text(ui->dl, 0, 10 * sc, y + 5 * sc, g->status, strlen(g->status),
              g->status_error ? ui->theme.error : ui->theme.text);
    draw_noclip(ui->dl);
    draw_text(ui->dl, 0, w - rw - 10 * sc, y + 5 * sc, right, strlen(right), ui->theme.dim);
}

static void help_panel(GuiApp *g)
{
    static const char *lines[] = {
        "left drag: rotate (2D: pan)        right drag / shift: pan",
        "wheel: zoom to the cursor           click: select a word",
        "double-click or F: frame the selection / analogy   R: reset",
        "2 / 3: 2D or 3D view      space: pause / resume training",
        "/ : search     Tab: complete     Enter: select / evaluate",
        "+ / - : label size    [ / ] : fewer / more neighbours",
        "P: screenshot   E: export   B: bookmark   L: legend   W: word trails",
        "Esc: clear the selection (or cancel an open in progress)",
        "drop a text file (train on it) or a vectors file onto the window to open it",
        "expressions: king - man + woman    cat dog    -cold",
        "king - man + woman = queen: the curves follow queen's rank",
        "V: space   T: lookup table   O: positional embeddings   C: training curves",
        "S: training controls (learning rate, step, reset, restart with new settings)",
        "N: train one step, then pause    ? or H: this help",
        "table: wheel scrolls, type indices (0 2 5) to look rows up",
        "positions: click the similarity map to probe two positions",
    };
    Ui *ui = &g->ui;
    size_t n = sizeof lines / sizeof lines[0];
    /* as wide as the longest line, centred */
    float w = 0, h = (float)(n + 1) * ((float)ui->line_h + 2) + 2 * ui->pad;
    for (size_t i = 0; i < n; i++)
        w = fmaxf(w, (float)ui_text_w(ui, lines[i]));
    w += 2 * ui->pad + 4;
    float x = ((float)g->cam.vw - w) / 2, y = fmaxf(12 * g->win.scale, ((float)g->cam.vh - h) / 2);
    ui_panel_begin(ui, x, y, w);
    ui_label(ui, "Keys and mouse", ui->theme.accent);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ui_label(ui, lines[i], ui->theme.text);
    ui_panel_end(ui);
}

static void legend_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    const LiveFrame *f = g->frame;
    char size[32];
    g->hover_cluster = -1;
    if (!f || f->nclusters < 2)
        return;
    ui_panel_begin(ui, x, y, w);
    ui_row(ui, "Clusters", "k-means", ui->theme.dim);
    float sc = g->win.scale, lh = (float)ui->line_h + 2;
    for (int c = 0; c < f->nclusters; c++) {
        float ry = ui->cy;
        bool over = ui->in.mx >= x && ui->in.mx < x + w && ui->in.my >= ry && ui->in.my < ry + lh;
        if (over) {
            g->hover_cluster = c;
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

void gui_panels(GuiApp *g)
{
    float sc = g->win.scale, w = RIGHT_W * sc, x = (float)g->cam.vw - w - 12 * sc, y = 12 * sc;
    g->typing = g->ui.focus != 0;
    status_line(g);
    if (g->opening)
        y += opening_panel(g, x, y, w) + 10 * sc;
    if (g->trainer)
        y += training_panel(g, x, y, w) + 10 * sc;
    else if (g->table)
        y += vectors_panel(g, x, y, w) + 10 * sc;
    else if (!g->opening)
        empty_panel(g);
    if (g->views.set.show && g->trainer)
        y += gui_settings_panel(g, x, y, w) + 10 * sc;
    if (g->selected >= 0)
        y += neighbour_panel(g, x, y, w) + 10 * sc;
    if (g->show_export && g->frame)
        y += gui_export_panel(g, x, y, w) + 10 * sc;
    if (g->npins)
        pins_panel(g, x, y, w);
    gui_views_panels(g, x);
    if (g->show_help)
        help_panel(g);
    if (!g->hide_legend && g->views.view == GUI_VIEW_SPACE)
        legend_panel(g, 12 * sc, 12 * sc + (float)g->ui.line_h + 22 * sc, 260 * sc);
    else
        g->hover_cluster = -1;
    search_box(g);
}

/* ---- commands and shortcuts ---- */

/* ctrl-click: adds word to (or removes it from) the extra selection. */
void gui_select_toggle(GuiApp *g, int64_t word)
{
    if (g->selected < 0) {
        gui_select(g, word);
        return;
    }
    for (int i = 0; i < g->nextra; i++)
        if (g->extra[i] == word) {
            g->extra[i] = g->extra[--g->nextra];
            return;
        }
    if (word != g->selected && g->nextra < (int)(sizeof g->extra / sizeof g->extra[0]))
        g->extra[g->nextra++] = word;
    gui_set_status(g, false, "%d words selected", g->nextra + 1);
}

void gui_toggle_pause(GuiApp *g)
{
    if (!g->trainer)
        return;
    TrainProgress p = trainer_progress(g->trainer);
    if (p.paused) {
        trainer_resume(g->trainer);
        gui_set_status(g, false, "training resumed");
    } else {
        trainer_pause(g->trainer);
        gui_set_status(g, false, "training paused (space resumes)");
    }
}

void gui_set_2d(GuiApp *g, bool two_d)
{
    g->two_d = two_d;
    cam_set_2d(&g->cam, two_d);
    gui_set_status(g, false, "%s view", two_d ? "2D" : "3D");
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
    if (g->opening && ui_key(&g->ui, UI_KEY_ESCAPE)) {
        gui_cancel_open(g);
        return;
    }
    if (ui_key(&g->ui, UI_KEY_ESCAPE)) {
        gui_select(g, -1);
        g->show_help = false;
    }
    for (int i = 0; i < g->nshortcuts; i++) {
        Err e = {{0}};
        switch (g->shortcuts[i]) {
        case '2': gui_set_2d(g, true); break;
        case '3': gui_set_2d(g, false); break;
        case 'r':
            cam_reset(&g->cam);
            g->flying = false;
            g->follow = false;
            gui_set_status(g, false, "view reset");
            break;
        case 'f': gui_frame_selection(g); break;
        case ' ': gui_toggle_pause(g); break;
        case 'p': g->want_screenshot = true; break;
        case 'l': g->hide_legend = !g->hide_legend; break;
        case 'e': g->show_export = !g->show_export; break;
        case 'b': gui_export_run(g, 5); break;
        case 'w':
            g->trails.hidden = !g->trails.hidden;
            gui_set_status(g, false, "word trails %s", g->trails.hidden ? "hidden" : "shown");
            break;
        case 'h':
        case '/':
            if (g->shortcuts[i] == 'h') {
                g->show_help = !g->show_help;
                break;
            }
            ui_focus(&g->ui, SEARCH_ID);
            g->nshortcuts = 0;
            return;
        case '[':
        case ']':
            g->k = g->k + (g->shortcuts[i] == '[' ? -5 : 5);
            g->k = g->k < 5 ? 5 : g->k > GUI_MAX_K ? GUI_MAX_K : g->k;
            query_neighbours(g);
            gui_set_status(g, false, "showing %d neighbours", g->k);
            break;
        case '=':
        case '+':
        case '-': {
            int px = g->label_px + (g->shortcuts[i] == '-' ? -1 : 1);
            if (px >= 8 && px <= 32 && win_set_label_px(&g->win, px, &e)) {
                g->label_px = px;
                gui_set_status(g, false, "labels %d px", px);
            }
            else if (e.msg[0])
                gui_set_status(g, true, "%s", e.msg);
            break;
        }
        default: gui_views_shortcut(g, g->shortcuts[i]); break;
        }
    }
}
