/* Scripted sessions (--script FILE, or - for stdin): drive the real window with one verb per
 * line, so tests and people can replay a session. Errors name the script line. The verbs live
 * in tables by kind (input.c, waits.c, asserts.c, files.c, views.c); any name of the command
 * table (commands/commands.c: pause, step, reset, 2d, frame, ...) runs that command. UI thread.
 *
 *   wait_words N [TIMEOUT_S]     until the trainer has read N words (or finished)
 *   wait_snapshots N [TIMEOUT_S] until N analysis snapshots have been shown
 *   wait_frames N | wait_ms N
 *   type TEXT                    focuses the search box and types TEXT
 *   clear                        empties the search box
 *   key NAME                     enter escape tab backspace delete left right up down home end
 *                                space, or one character (2, 3, r, f, p, h, /, +, -)
 *   click_word WORD [ctrl] | click X Y   left click (X Y in window pixels; ctrl held)
 *   drag X0 Y0 X1 Y1 [right]     left (or right) button drag
 *   wheel N [X Y]                N notches (positive zooms in), at X Y or the centre
 *   resize W H                   window size in logical pixels
 *   screenshot PATH.png
 *   assert_panel TEXT | assert_no_panel TEXT   text drawn (or not) by the panels
 *   assert_panel_any W1 W2 ...   at least one of the words is drawn by the panels
 *   assert_status TEXT           the status line contains TEXT
 *   assert_label WORD            WORD has a label in the scene and its box is not background
 *   assert_labels N              at least N labels are drawn, and no two of them overlap
 *                                (except forced ones: hovered and selected words)
 *   assert_in_view WORD          WORD's point is inside the window, not under a panel
 *   assert_selected WORD | assert_answer WORD  selection / top answer of the newest analogy
 *   assert_differ A.png B.png    two screenshots differ
 *   drop PATH                    a file dropped on the window (opened by content, in the
 *                                background: see wait_open)
 *   wait_open [TIMEOUT_S]        until no file is being opened (and the new data, if any, is
 *                                on screen)
 *   export_coords PATH | export_projector DIR | export_vectors PATH [binary]
 *                                (the outcome is in the status line, as from the panel)
 *   screenshot_scaled PATH N     the scene at N times the window's size
 *   bookmark_save PATH | bookmark_load PATH   the view on screen to / from a bookmark file
 *   assert_rows N                N words are shown
 *   assert_trail WORD N          WORD's trail holds at least N snapshots and it moved
 *   assert_source TEXT           the data on screen came from a path containing TEXT
 *   assert_density on|off|fading the cloud is the density image alone / every point / both
 *   frames_mark | print_frames   frame-time percentiles (wall, UI CPU) of the frames since
 *                                the mark, on stdout (bench/frames.sh)
 *   echo TEXT | quit
 * Teaching views and live controls (script/views.c):
 *   view space|table|positions|curves
 *   set NAME VALUE               lr (at once), indices "0 2 5" (table lookup), pos_kind
 *                                sinusoidal|random, pos_len N, pos_dim N, probe A B C; or a
 *                                setting for the next restart: model sg|cbow, dim, window,
 *                                negative, sample, min_count, epochs, threads
 *   apply                        restart with the edited settings (see wait_open)
 *   reset                        fresh random init, same settings | step   train one step
 *   mark                         remembers the frame's vectors and the table's heatmap
 *   wait_after_mark N [TIMEOUT_S] until the frame shown has N more words than at the mark
 *   assert_vectors same|changed | assert_heatmap same|changed   against the mark
 *   assert_init                  the frame is an untrained random init (word2vec's bounds)
 *   assert_model sg|cbow         the model in use
 *   wait_posview TIMEOUT_S       until the positional table asked for is shown
 *   assert_posdist A B < C D     |pos A - pos B| < |pos C - pos D| (or >)
 *   wait_eval N [TIMEOUT_S]      until N analogy evaluations reached the frames
 *   assert_curves N              N curve samples, one at least with an accuracy
 */
#include "app/gui/script/script.h"
#include "app/gui/commands/commands.h"
#include "app/gui/script/asserts.h"
#include "app/gui/script/files.h"
#include "app/gui/script/colors.h"
#include "app/gui/script/input.h"
#include "app/gui/script/views.h"
#include "app/gui/script/waits.h"
#include <SDL.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCRIPT_MAX_BYTES (1 << 20)
#define SCRIPT_MAX_LINES 10000

static const ScriptVerb *const tables[] = {
    script_input_verbs, script_wait_verbs, script_assert_verbs, script_file_verbs, script_view_verbs,
    script_color_verbs,
};

static const ScriptVerb *find_verb(const char *name)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const ScriptVerb *v = tables[t]; v->name; v++)
            if (!strcmp(v->name, name))
                return v;
    return NULL;
}

/* The argument of a verb, as its table entry wants it; why is the whole message. */
static bool check_args(const ScriptVerb *v, const char *arg, char *why, size_t cap)
{
    double x[8];
    int n;
    bool ok = true;
    switch (v->args) {
    case SCRIPT_ARG_NONE:
        if (arg[0])
            return snprintf(why, cap, "%s: takes no argument", v->name), false;
        break;
    case SCRIPT_ARG_TEXT:
        if (!arg[0])
            return snprintf(why, cap, "%s: needs an argument", v->name), false;
        break;
    case SCRIPT_ARG_NUMBERS:
        ok = script_numbers(arg, x, v->nmin, v->nmax, &n);
        for (int i = 0; ok && i < n; i++)
            ok = x[i] >= v->lo && x[i] <= v->hi;
        break;
    case SCRIPT_ARG_ANY: break;
    }
    if (!ok)
        return snprintf(why, cap, "bad arguments for %s: '%s'", v->name, arg), false;
    return !v->check || v->check(arg, why, cap);
}

static bool check_line(const ScriptLine *l, const char *name, Err *e)
{
    char why[sizeof l->arg + 200];
    const ScriptVerb *v = find_verb(l->cmd);
    if (!v) {
        if (gui_cmd_by_name(l->cmd) == GUI_CMD_COUNT)
            return err_set(e, "%s:%d: unknown command '%s'", name, l->line, l->cmd);
        if (l->arg[0])
            return err_set(e, "%s:%d: %s: takes no argument", name, l->line, l->cmd);
        return true;
    }
    if (!check_args(v, l->arg, why, sizeof why))
        return err_set(e, "%s:%d: %s", name, l->line, why);
    return true;
}

static bool parse(GuiScript *s, char *text, Err *e)
{
    int lineno = 0;
    for (char *p = text, *next; p; p = next) {
        next = strchr(p, '\n');
        if (next)
            *next++ = 0;
        lineno++;
        size_t len = strlen(p);
        while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
            p[--len] = 0;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        if (s->n >= SCRIPT_MAX_LINES)
            return err_set(e, "%s:%d: more than %d commands", s->name, lineno, SCRIPT_MAX_LINES);
        ScriptLine *l = &s->lines[s->n];
        size_t cl = strcspn(p, " \t");
        if (cl >= sizeof l->cmd)
            return err_set(e, "%s:%d: unknown command '%.*s'", s->name, lineno, (int)cl, p);
        memcpy(l->cmd, p, cl);
        l->cmd[cl] = 0;
        const char *arg = p + cl;
        while (*arg == ' ' || *arg == '\t')
            arg++;
        if (strlen(arg) >= sizeof l->arg)
            return err_set(e, "%s:%d: argument longer than %zu bytes", s->name, lineno, sizeof l->arg - 1);
        strcpy(l->arg, arg);
        l->line = lineno;
        if (!check_line(l, s->name, e))
            return false;
        s->n++;
    }
    return true;
}

GuiScript *gui_script_load(const char *path, Err *e)
{
    bool use_stdin = !strcmp(path, "-");
    FILE *f = use_stdin ? stdin : fopen(path, "rb");
    GuiScript *s = NULL;
    char *text = NULL;
    if (!f) {
        err_set(e, "%s: cannot open script: %s", path, strerror(errno));
        return NULL;
    }
    text = malloc(SCRIPT_MAX_BYTES + 1);
    s = calloc(1, sizeof *s);
    if (!text || !s || !(s->lines = calloc(SCRIPT_MAX_LINES, sizeof *s->lines))) {
        err_set(e, "%s: out of memory", path);
        goto fail;
    }
    snprintf(s->name, sizeof s->name, "%s", use_stdin ? "<stdin>" : path);
    size_t n = fread(text, 1, SCRIPT_MAX_BYTES + 1, f);
    if (ferror(f)) {
        err_set(e, "%s: read error", s->name);
        goto fail;
    }
    if (n > SCRIPT_MAX_BYTES) {
        err_set(e, "%s: script larger than %d bytes", s->name, SCRIPT_MAX_BYTES);
        goto fail;
    }
    text[n] = 0;
    if (memchr(text, 0, n)) {
        err_set(e, "%s: script contains a NUL byte", s->name);
        goto fail;
    }
    if (!parse(s, text, e))
        goto fail;
    free(text);
    if (!use_stdin)
        fclose(f);
    return s;
fail:
    free(text);
    gui_script_destroy(s);
    if (!use_stdin)
        fclose(f);
    return NULL;
}

void gui_script_destroy(GuiScript *s)
{
    if (!s)
        return;
    free(s->lines);
    free(s);
}

bool gui_script_done(const GuiScript *s)
{
    return s->done;
}

/* One line; SCRIPT_NEXT, SCRIPT_WAIT or SCRIPT_FAIL. */
static int run_line(GuiApp *g, GuiScript *s, const ScriptLine *l)
{
    const ScriptVerb *v = find_verb(l->cmd);
    if (v)
        return v->run(g, s, l->arg);
    gui_cmd_run(g, gui_cmd_by_name(l->cmd));
    return SCRIPT_WAIT;
}

bool gui_script_step(GuiApp *g, GuiScript *s, int *code)
{
    if (!g->perf.frames_drawn)
        return true;
    if (s->phase > 0 && s->phase < s->nphases) {
        script_gesture_frame(g, s);
        if (s->phase == s->nphases)
            s->wait_frames = 1; /* let the click's effect reach the panels */
        return true;
    }
    if (s->wait_frames > 0) {
        s->wait_frames--;
        return true;
    }
    if (s->ctrl) {
        SDL_SetModState(KMOD_NONE);
        s->ctrl = false;
    }
    s->exit_code = code;
    while (s->pc < s->n && !s->done) {
        int r = run_line(g, s, &s->lines[s->pc]);
        if (r == SCRIPT_FAIL)
            return false;
        if (r == SCRIPT_WAIT) {
            /* a verb that waits is run again until it is satisfied */
            if (s->wait_start == 0)
                s->pc++;
            return true;
        }
        s->pc++;
    }
    if (s->pc >= s->n)
        s->done = true;
    return true;
}

bool gui_script_waiting(const GuiScript *s)
{
    return s->wait_start != 0 && s->phase >= s->nphases && s->wait_frames == 0;
}
