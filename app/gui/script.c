/* Scripted input (--script FILE, or - for stdin): drives the real window with one action per
 * line, so tests and people can replay a session. Errors name the script line. UI thread.
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
 *   echo TEXT | quit
 * Teaching views and live controls (gui_script_views.c):
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
#include "app/gui/app.h"
#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCRIPT_MAX_BYTES (1 << 20)
#define SCRIPT_MAX_LINES 10000

typedef struct ScriptLine {
    int line;
    char cmd[24];
    char arg[488];
} ScriptLine;

struct GuiScript {
    char name[256];
    ScriptLine *lines;
    int n, pc;
    int wait_frames;
    double wait_start;       /* ms; 0 when not waiting */
    /* a gesture spread over frames: press, moves, release */
    int phase, nphases, button;
    bool ctrl;               /* SDL's modifier state is set to ctrl for the gesture */
    float x0, y0, x1, y1;
    bool done;
};

static const char *const commands[] = {
    "wait_words", "wait_snapshots", "wait_frames", "wait_ms", "type", "clear", "key",
    "click_word", "click", "drag", "wheel", "screenshot", "assert_panel", "assert_no_panel",
    "assert_panel_any",
    "assert_status", "assert_label", "assert_labels", "assert_selected", "assert_answer", "assert_differ",
    "echo", "quit", "resize", "drop", "wait_open", "export_coords", "export_projector",
    "export_vectors", "screenshot_scaled", "bookmark_save", "bookmark_load", "assert_trail", "assert_rows", "assert_source",
};

static const struct { const char *name; SDL_Keycode sym; } keys[] = {
    {"enter", SDLK_RETURN}, {"return", SDLK_RETURN}, {"escape", SDLK_ESCAPE}, {"tab", SDLK_TAB},
    {"backspace", SDLK_BACKSPACE}, {"delete", SDLK_DELETE}, {"left", SDLK_LEFT},
    {"right", SDLK_RIGHT}, {"up", SDLK_UP}, {"down", SDLK_DOWN}, {"home", SDLK_HOME},
    {"end", SDLK_END}, {"space", SDLK_SPACE},
};

/* Numbers of a command: exactly lo..hi of them, each a finite number. */
static bool numbers(const char *s, double *out, int lo, int hi, int *n)
{
    *n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        if (*n >= hi)
            return false;
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || !(v == v) || v > 1e15 || v < -1e15 || (*end && *end != ' ' && *end != '\t'))
            return false;
        out[(*n)++] = v;
        s = end;
    }
    return *n >= lo;
}

static bool check_line(const ScriptLine *l, const char *name, Err *e)
{
    double v[4];
    int n;
    const char *c = l->cmd;
    for (int k = 0; gui_script_view_commands[k]; k++)
        if (!strcmp(c, gui_script_view_commands[k])) {
            char why[160];
            if (!gui_script_views_check(c, l->arg, why, sizeof why))
                return err_set(e, "%s:%d: %s: %s", name, l->line, c, why);
            return true;
        }
    size_t i;
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(c, commands[i]))
            break;
    if (i == sizeof commands / sizeof commands[0])
        return err_set(e, "%s:%d: unknown command '%s'", name, l->line, c);
    bool ok = true;
    if (!strcmp(c, "wait_words") || !strcmp(c, "wait_snapshots"))
        ok = numbers(l->arg, v, 1, 2, &n) && v[0] >= 0;
    else if (!strcmp(c, "wait_frames") || !strcmp(c, "wait_ms"))
        ok = numbers(l->arg, v, 1, 1, &n) && v[0] >= 0 && v[0] <= 1e7;
    else if (!strcmp(c, "click"))
        ok = numbers(l->arg, v, 2, 2, &n);
    else if (!strcmp(c, "wait_open"))
        ok = !l->arg[0] || (numbers(l->arg, v, 1, 1, &n) && v[0] >= 0);
    else if (!strcmp(c, "assert_rows"))
        ok = numbers(l->arg, v, 1, 1, &n) && v[0] >= 0;
    else if (!strcmp(c, "screenshot_scaled")) {
        const char *sp = strrchr(l->arg, ' ');
        ok = sp && numbers(sp, v, 1, 1, &n) && v[0] >= 1 && v[0] <= 8;
    } else if (!strcmp(c, "assert_labels"))
        ok = numbers(l->arg, v, 1, 1, &n) && v[0] >= 0;
    else if (!strcmp(c, "resize"))
        ok = numbers(l->arg, v, 2, 2, &n) && v[0] >= 200 && v[1] >= 150 && v[0] <= 16384 && v[1] <= 16384;
    else if (!strcmp(c, "drag")) {
        char tmp[sizeof l->arg];
        snprintf(tmp, sizeof tmp, "%s", l->arg);
        char *r = strstr(tmp, " right");
        if (r && !r[6])
            *r = 0;
        ok = numbers(tmp, v, 4, 4, &n);
    } else if (!strcmp(c, "wheel"))
        ok = numbers(l->arg, v, 1, 3, &n) && n != 2 && v[0] >= -100 && v[0] <= 100;
    else if (!strcmp(c, "key")) {
        ok = strlen(l->arg) == 1;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !ok; k++)
            ok = !strcmp(l->arg, keys[k].name);
        if (!ok)
            return err_set(e, "%s:%d: unknown key '%s'", name, l->line, l->arg);
    } else if (!strcmp(c, "assert_differ")) {
        ok = strchr(l->arg, ' ') != NULL;
    } else if (strcmp(c, "quit") && strcmp(c, "clear") && strcmp(c, "echo"))
        ok = l->arg[0] != 0;
    if (!ok)
        return err_set(e, "%s:%d: bad arguments for %s: '%s'", name, l->line, c, l->arg);
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

bool gui_script_done(const GuiScript *s) { return s->done; }

static bool fail(GuiScript *s, int *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(GuiScript *s, int *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const ScriptLine *l = &s->lines[s->pc < s->n ? s->pc : s->n - 1];
    fprintf(stderr, "%s:%d: %s: %s\n", s->name, l->line, l->cmd, msg);
    *code = 1;
    return false;
}

/* Input goes in as SDL events, so a script exercises the same event translation as a user.
 * Events pushed now are read at the start of the next loop iteration and drawn in that frame. */
static void push_mouse(GuiApp *g, Uint32 type, float x, float y, int button)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    int lx = (int)lrintf(x / g->win.scale), ly = (int)lrintf(y / g->win.scale);
    Uint32 wid = SDL_GetWindowID(g->win.window);
    if (type == SDL_MOUSEMOTION) {
        ev.motion.windowID = wid;
        ev.motion.x = lx;
        ev.motion.y = ly;
    } else {
        ev.button.windowID = wid;
        ev.button.x = lx;
        ev.button.y = ly;
        ev.button.button = (Uint8)(button == 1 ? SDL_BUTTON_RIGHT : SDL_BUTTON_LEFT);
        ev.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        ev.button.clicks = 1;
    }
    SDL_PushEvent(&ev);
}

static void push_key(GuiApp *g, SDL_Keycode sym)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.windowID = SDL_GetWindowID(g->win.window);
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = sym;
    ev.key.keysym.scancode = SDL_GetScancodeFromKey(sym);
    SDL_PushEvent(&ev);
    ev.type = SDL_KEYUP;
    ev.key.state = SDL_RELEASED;
    SDL_PushEvent(&ev);
}

/* SDL_TEXTINPUT carries at most 31 bytes: split between UTF-8 sequences. */
static void push_text(GuiApp *g, const char *text)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        size_t n = len - i < 31 ? len - i : 31;
        while (n > 1 && i + n < len && ((unsigned char)text[i + n] & 0xC0) == 0x80)
            n--;
        SDL_Event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = SDL_TEXTINPUT;
        ev.text.windowID = SDL_GetWindowID(g->win.window);
        memcpy(ev.text.text, text + i, n);
        SDL_PushEvent(&ev);
        i += n;
    }
}

/* Advances a press/move/release gesture by one frame. */
static void gesture_frame(GuiApp *g, GuiScript *s)
{
    float t = s->nphases > 2 ? (float)s->phase / (float)(s->nphases - 1) : 1.f;
    float x = s->x0 + (s->x1 - s->x0) * t, y = s->y0 + (s->y1 - s->y0) * t;
    push_mouse(g, SDL_MOUSEMOTION, x, y, s->button);
    if (s->phase == 0)
        push_mouse(g, SDL_MOUSEBUTTONDOWN, x, y, s->button);
    else if (s->phase == s->nphases - 1)
        push_mouse(g, SDL_MOUSEBUTTONUP, x, y, s->button);
    s->phase++;
}

static void start_gesture(GuiScript *s, float x0, float y0, float x1, float y1, int button, int phases)
{
    s->x0 = x0;
    s->y0 = y0;
    s->x1 = x1;
    s->y1 = y1;
    s->button = button;
    s->phase = 0;
    s->nphases = phases;
}

static bool waited_out(GuiScript *s, double timeout_s)
{
    double now = gui_now_ms();
    if (s->wait_start == 0)
        s->wait_start = now;
    return now - s->wait_start > timeout_s * 1e3;
}

static int64_t word_index(GuiApp *g, const char *w)
{
    return vocab_find(gui_vocab(g), w, strlen(w));
}

/* Label of word i is drawn and its box has bright (text) pixels. */
static bool label_visible(GuiApp *g, int64_t i)
{
    for (int j = 0; j < g->nlabels; j++) {
        if (g->labels[j] != i)
            continue;
        const float *b = g->label_box[j];
        const Canvas *c = &g->win.canvas;
        int bright = 0;
        for (int y = (int)b[1]; y < (int)(b[1] + b[3]); y++)
            for (int x = (int)b[0]; x < (int)(b[0] + b[2]); x++) {
                if (x < 0 || y < 0 || x >= c->w || y >= c->h)
                    continue;
                uint32_t p = c->px[(size_t)y * (size_t)c->pitch + (size_t)x];
                int lum = (int)((p >> 16 & 255) + (p >> 8 & 255) + (p & 255)) / 3;
                bright += lum > 150;
            }
        return bright >= 5;
    }
    return false;
}

static bool images_differ(const char *a, const char *b, char *why, size_t cap)
{
    SDL_Surface *sa = IMG_Load(a), *sb = IMG_Load(b);
    bool differ = false;
    if (!sa || !sb) {
        snprintf(why, cap, "cannot load %s: %s", !sa ? a : b, IMG_GetError());
    } else if (sa->w != sb->w || sa->h != sb->h) {
        differ = true;
    } else {
        SDL_Surface *ca = SDL_ConvertSurfaceFormat(sa, SDL_PIXELFORMAT_ARGB8888, 0);
        SDL_Surface *cb = SDL_ConvertSurfaceFormat(sb, SDL_PIXELFORMAT_ARGB8888, 0);
        long diff = 0;
        if (ca && cb)
            for (int y = 0; y < ca->h; y++)
                diff += memcmp((uint8_t *)ca->pixels + y * ca->pitch,
                               (uint8_t *)cb->pixels + y * cb->pitch, (size_t)ca->w * 4) != 0;
        differ = diff > 0;
        snprintf(why, cap, "%s and %s are identical", a, b);
        SDL_FreeSurface(ca);
        SDL_FreeSurface(cb);
    }
    SDL_FreeSurface(sa);
    SDL_FreeSurface(sb);
    return differ;
}

static void panel_words(GuiApp *g, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = 0;
    for (int j = 0; j < g->nnbrs && len + 2 < cap; j++) {
        int n = snprintf(buf + len, cap - len, "%s%s", j ? " " : "", gui_word(g, g->nbrs[j].index));
        if (n < 0)
            break;
        len += (size_t)n;
    }
}

/* One command; returns 1 to go on with the next, 0 to let a frame be drawn, -1 on failure. */
static int run_line(GuiApp *g, GuiScript *s, const ScriptLine *l, int *code)
{
    const char *c = l->cmd, *a = l->arg;
    double v[4] = {0, 0, 0, 0};
    int n;
    if (!strcmp(c, "wait_words") || !strcmp(c, "wait_snapshots")) {
        numbers(a, v, 1, 2, &n);
        double timeout = n > 1 ? v[1] : 300;
        TrainProgress p = gui_progress(g);
        bool words = c[5] == 'w';
        if (words ? (double)p.words_done >= v[0] || p.finished || (g->table && !g->opening) : (double)g->frame_seq >= v[0]) {
            s->wait_start = 0;
            return 1;
        }
        if (waited_out(s, timeout))
            return fail(s, code, "timed out after %.0f s (%llu words, snapshot %llu)", timeout,
                        (unsigned long long)p.words_done, (unsigned long long)g->frame_seq), -1;
        return 0;
    }
    if (!strcmp(c, "wait_open")) {
        double timeout = numbers(a, v, 1, 1, &n) ? v[0] : 300;
        /* done when nothing is opening and the data on screen (if any) has its first frame */
        if (!g->opening && (!g->analysis || g->frame_seq > 0)) {
            s->wait_start = 0;
            return 1;
        }
        if (waited_out(s, timeout))
            return fail(s, code, "still opening after %.0f s", timeout), -1;
        return 0;
    }
    if (!strcmp(c, "drop")) {
        SDL_Event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = SDL_DROPFILE;
        ev.drop.file = SDL_strdup(a); /* the event handler frees it, as SDL's own drops */
        ev.drop.windowID = SDL_GetWindowID(g->win.window);
        if (!ev.drop.file || SDL_PushEvent(&ev) != 1) {
            SDL_free(ev.drop.file);
            return fail(s, code, "cannot queue the drop event: %s", SDL_GetError()), -1;
        }
        s->wait_frames = 1;
        return 0;
    }
    if (!strcmp(c, "export_coords") || !strcmp(c, "export_projector") ||
        !strcmp(c, "export_vectors") || !strcmp(c, "screenshot_scaled")) {
        char path[sizeof l->arg];
        snprintf(path, sizeof path, "%s", a);
        char *sp = strrchr(path, ' ');
        bool binary = c[7] == 'v' && sp && !strcmp(sp, " binary");
        int factor = 1;
        if (c[0] == 's') {
            factor = atoi(sp + 1);
            *sp = 0;
        } else if (binary)
            *sp = 0;
        Err e = {{0}};
        bool ok = c[0] == 's' ? gui_screenshot_scaled(g, path, factor, &e)
                  : c[7] == 'c' ? gui_export_coords(g, path, &e)
                  : c[7] == 'p' ? gui_export_projector(g, path, &e)
                                : gui_export_vectors(g, path, binary, &e);
        /* as the export panel does: the outcome goes to the status line (assert_status) */
        if (ok)
            gui_set_status(g, false, "saved %s", path);
        else
            gui_set_status(g, true, "export failed: %s", e.msg);
        return 1;
    }
    if (!strcmp(c, "bookmark_save") || !strcmp(c, "bookmark_load")) {
        Err e = {{0}};
        if (!(c[9] == 's' ? gui_bookmark_save(g, a, &e) : gui_bookmark_load(g, a, true, &e)))
            return fail(s, code, "%s", e.msg), -1;
        s->wait_frames = 1;
        return 0;
    }
    if (!strcmp(c, "assert_trail")) {
        char w[sizeof l->arg];
        snprintf(w, sizeof w, "%s", a);
        char *sp = strrchr(w, ' ');
        int want = sp ? atoi(sp + 1) : 0;
        if (sp)
            *sp = 0;
        int64_t i = word_index(g, w);
        float xyz[16 * 3];
        int got = i >= 0 ? gui_trail(g, i, xyz) : 0;
        float moved = 0;
        for (int k = 1; k < got; k++)
            for (int j = 0; j < 3; j++)
                moved = fmaxf(moved, fabsf(xyz[k * 3 + j] - xyz[j]));
        if (got < want || !(moved > 0))
            return fail(s, code, "trail of '%s': %d snapshots, moved %g", w, got, (double)moved), -1;
        return 1;
    }
    if (!strcmp(c, "assert_rows")) {
        numbers(a, v, 1, 1, &n);
        if ((double)gui_vocab(g)->size != v[0])
            return fail(s, code, "%lld words are shown", (long long)gui_vocab(g)->size), -1;
        return 1;
    }
    if (!strcmp(c, "assert_source")) {
        if (!strstr(g->sess.source, a))
            return fail(s, code, "the data on screen came from '%s'", g->sess.source), -1;
        return 1;
    }
    if (!strcmp(c, "wait_frames")) {
        numbers(a, v, 1, 1, &n);
        s->wait_frames = (int)v[0];
        return 0;
    }
    if (!strcmp(c, "wait_ms")) {
        numbers(a, v, 1, 1, &n);
        if (waited_out(s, v[0] / 1e3)) {
            s->wait_start = 0;
            return 1;
        }
        return 0;
    }
    if (!strcmp(c, "type")) {
        if (g->ui.focus != ui_id("search", 0))
            ui_focus(&g->ui, "search");
        push_text(g, a);
        s->wait_frames = 1;
        return 0;
    }
    if (!strcmp(c, "clear")) {
        g->search[0] = 0;
        g->ncompletions = 0;
        return 1;
    }
    if (!strcmp(c, "key")) {
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            if (!strcmp(a, keys[k].name))
                push_key(g, keys[k].sym);
        if (strlen(a) == 1)
            push_key(g, (SDL_Keycode)(unsigned char)a[0]);
        s->wait_frames = 1;
        return 0;
    }
    if (!strcmp(c, "click_word") || !strcmp(c, "click")) {
        float x, y;
        char word[sizeof l->arg];
        snprintf(word, sizeof word, "%s", a);
        char *sp = strstr(word, " ctrl");
        s->ctrl = sp && !sp[5];
        if (s->ctrl)
            *sp = 0;
        a = word;
        if (c[5] == '_') {
            int64_t i = word_index(g, a);
            if (i < 0)
                return fail(s, code, "'%s' is not in the vocabulary", a), -1;
            if (!gui_word_screen(g, i, &x, &y) || x < 0 || y < 0 || x >= (float)g->cam.vw ||
                y >= (float)g->cam.vh)
                return fail(s, code, "'%s' is not on screen", a), -1;
            if (ui_over(&g->ui, x, y))
                return fail(s, code, "'%s' is under a panel", a), -1;
            /* Events carry whole logical pixels: find one where the pick really is this word
             * (a near-identical word can sit within half a pixel), as a user nudges the mouse. */
            float sc = g->win.scale, bx = -1, by = -1, bd = 1e9f;
            for (int dy = -4; dy <= 4; dy++)
                for (int dx = -4; dx <= 4; dx++) {
                    float px = (lrintf(x / sc) + (float)dx) * sc, py = (lrintf(y / sc) + (float)dy) * sc;
                    float d = (px - x) * (px - x) + (py - y) * (py - y);
                    if (d < bd && gui_scene_pick(g, px, py, 8.f * sc) == i) {
                        bd = d;
                        bx = px;
                        by = py;
                    }
                }
            if (bx < 0)
                return fail(s, code, "'%s' is covered by '%s'", a,
                            gui_word(g, gui_scene_pick(g, x, y, 8.f * sc))), -1;
            x = bx;
            y = by;
        } else {
            numbers(a, v, 2, 2, &n);
            x = (float)v[0] * g->win.scale;
            y = (float)v[1] * g->win.scale;
        }
        if (s->ctrl)
            SDL_SetModState(KMOD_LCTRL);
        start_gesture(s, x, y, x, y, 0, 2);
        gesture_frame(g, s);
        return 0;
    }
    if (!strcmp(c, "drag")) {
        numbers(a, v, 4, 4, &n);
        float k = g->win.scale;
        start_gesture(s, (float)v[0] * k, (float)v[1] * k, (float)v[2] * k, (float)v[3] * k,
                      strstr(a, "right") ? 1 : 0, 6);
        gesture_frame(g, s);
        return 0;
    }
    if (!strcmp(c, "wheel")) {
        numbers(a, v, 1, 3, &n);
        float x = n == 3 ? (float)v[1] * g->win.scale : (float)g->cam.vw / 2;
        float y = n == 3 ? (float)v[2] * g->win.scale : (float)g->cam.vh / 2;
        push_mouse(g, SDL_MOUSEMOTION, x, y, 0);
        SDL_Event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = SDL_MOUSEWHEEL;
        ev.wheel.windowID = SDL_GetWindowID(g->win.window);
        ev.wheel.y = (Sint32)v[0];
        ev.wheel.preciseY = (float)v[0];
        ev.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
        SDL_PushEvent(&ev);
        s->wait_frames = 1;
        return 0;
    }
    if (!strcmp(c, "resize")) {
        numbers(a, v, 2, 2, &n);
        SDL_SetWindowSize(g->win.window, (int)v[0], (int)v[1]);
        s->wait_frames = 1;
        return 0;
    }
    if (!strcmp(c, "screenshot")) {
        Err e = {{0}};
        if (!g->frames_drawn)
            return 0;
        if (!win_screenshot(&g->win, a, &e))
            return fail(s, code, "%s", e.msg), -1;
        return 1;
    }
    if (!strcmp(c, "assert_panel") || !strcmp(c, "assert_no_panel")) {
        bool want = c[7] == 'p', has = draw_has_text(g->overlay, a);
        if (has != want) {
            char words[400];
            panel_words(g, words, sizeof words);
            return fail(s, code, "'%s' is %s the panels (neighbours: %s; status: %s)", a,
                        want ? "not in" : "in", words[0] ? words : "none", g->status), -1;
        }
        return 1;
    }
    if (!strcmp(c, "assert_panel_any")) {
        char buf[sizeof l->arg];
        snprintf(buf, sizeof buf, "%s", a);
        for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
            if (draw_has_text(g->overlay, w))
                return 1;
        char words[400];
        panel_words(g, words, sizeof words);
        return fail(s, code, "none of '%s' is in the panels (neighbours: %s)", a,
                    words[0] ? words : "none"), -1;
    }
    if (!strcmp(c, "assert_status")) {
        if (!strstr(g->status, a))
            return fail(s, code, "status is '%s'", g->status), -1;
        return 1;
    }
    if (!strcmp(c, "assert_label")) {
        int64_t i = word_index(g, a);
        if (i < 0 || !label_visible(g, i))
            return fail(s, code, "no visible label for '%s'", a), -1;
        return 1;
    }
    if (!strcmp(c, "assert_labels")) {
        numbers(a, v, 1, 1, &n);
        if (g->nlabels < (int)v[0])
            return fail(s, code, "%d labels drawn", g->nlabels), -1;
        for (int i = 0; i < g->nlabels; i++)
            for (int j = i + 1; j < g->nlabels; j++) {
                const float *p = g->label_box[i], *q = g->label_box[j];
                /* boxes are a font height tall; the grid tests them 2 px shorter */
                bool apart = p[0] + p[2] <= q[0] || q[0] + q[2] <= p[0] ||
                             p[1] + p[3] - 2 <= q[1] || q[1] + q[3] - 2 <= p[1];
                if (!apart && j >= g->nforced)
                    return fail(s, code, "labels '%s' and '%s' overlap", gui_word(g, g->labels[i]),
                                gui_word(g, g->labels[j])), -1;
            }
        return 1;
    }
    if (!strcmp(c, "assert_selected")) {
        if (g->selected < 0 || strcmp(gui_word(g, g->selected), a))
            return fail(s, code, "selected is '%s'", g->selected < 0 ? "" : gui_word(g, g->selected)), -1;
        return 1;
    }
    if (!strcmp(c, "assert_answer")) {
        const GuiPin *p = g->npins ? &g->pins[g->npins - 1] : NULL;
        if (!p || !p->nans || strcmp(gui_word(g, p->ans[0].index), a))
            return fail(s, code, "top answer of '%s' is '%s'", p ? p->text : "(no analogy)",
                        p && p->nans ? gui_word(g, p->ans[0].index) : ""), -1;
        return 1;
    }
    if (!strcmp(c, "assert_differ")) {
        char pa[sizeof l->arg], why[600] = "";
        snprintf(pa, sizeof pa, "%s", a);
        char *pb = strchr(pa, ' ');
        *pb++ = 0;
        while (*pb == ' ')
            pb++;
        if (!images_differ(pa, pb, why, sizeof why))
            return fail(s, code, "%s", why), -1;
        return 1;
    }
    if (!strcmp(c, "echo")) {
        printf("%s\n", a);
        fflush(stdout);
        return 1;
    }
    char why[400];
    int r = gui_script_views_run(g, c, a, &s->wait_start, why, sizeof why);
    if (r < 0)
        return fail(s, code, "%s", why), -1;
    if (r < 2)
        return r;
    /* quit */
    s->done = true;
    return 0;
}

bool gui_script_step(GuiApp *g, GuiScript *s, int *code)
{
    if (!g->frames_drawn)
        return true;
    if (s->phase > 0 && s->phase < s->nphases) {
        gesture_frame(g, s);
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
    while (s->pc < s->n && !s->done) {
        int r = run_line(g, s, &s->lines[s->pc], code);
        if (r < 0)
            return false;
        if (r == 0) {
            const char *cmd = s->lines[s->pc].cmd;
            if (strncmp(cmd, "wait_", 5) || !strcmp(cmd, "wait_frames") || s->wait_start == 0)
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
