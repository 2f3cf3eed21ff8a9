/* Verbs that replay input (see input.h). Input goes in as SDL events, so a script exercises
 * the same event translation as a user; events pushed now are read at the start of the next
 * loop iteration and drawn in that frame. UI thread. */
#include "app/ui/textbox.h"
#include "app/gui/script/input.h"
#include "app/gui/commands/keys.h"
#include "app/gui/panels/search_box.h"
#include "app/gui/scene/scene.h"
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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

static void push_key(GuiApp *g, SDL_Keycode sym, Uint16 mod)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.windowID = SDL_GetWindowID(g->win.window);
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = sym;
    ev.key.keysym.mod = mod;
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

/* Advances a press/move/release gesture by one frame. */
void script_gesture_frame(GuiApp *g, GuiScript *s)
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

/* Into the focused text field; with none, into the search box (a script's usual target). */
static int run_type(GuiApp *g, GuiScript *s, const char *a)
{
    if (!g->ui.focus)
        ui_focus(&g->ui, GUI_SEARCH_ID);
    push_text(g, a);
    s->wait_frames = 1;
    return SCRIPT_WAIT;
}

/* Gives the keyboard to the text field labelled a ("search", "min cos", "open path"...), its
 * text selected, as a click on it does. */
static int run_focus(GuiApp *g, GuiScript *s, const char *a)
{
    ui_focus(&g->ui, a);
    s->wait_frames = 1;
    return SCRIPT_WAIT;
}

static int run_clear(GuiApp *g, GuiScript *s, const char *a)
{
    (void)s;
    (void)a;
    g->search.text[0] = 0;
    g->search.ncompletions = 0;
    return SCRIPT_NEXT;
}

/* "ctrl+o", "shift+tab", "ctrl+shift+left": modifiers before the key's name. */
static const char *key_mods(const char *a, Uint16 *mod)
{
    *mod = 0;
    for (;;) {
        if (!strncmp(a, "ctrl+", 5) && a[5]) {
            *mod |= KMOD_LCTRL;
            a += 5;
        } else if (!strncmp(a, "shift+", 6) && a[6]) {
            *mod |= KMOD_LSHIFT;
            a += 6;
        } else {
            return a;
        }
    }
}

static bool check_key(const char *a, char *why, size_t cap)
{
    SDL_Keycode sym;
    Uint16 mod;
    if (gui_key_by_name(key_mods(a, &mod), &sym))
        return true;
    snprintf(why, cap, "unknown key '%s'", a);
    return false;
}

static int run_key(GuiApp *g, GuiScript *s, const char *a)
{
    SDL_Keycode sym;
    Uint16 mod;
    if (gui_key_by_name(key_mods(a, &mod), &sym))
        push_key(g, sym, mod);
    s->wait_frames = 1;
    return SCRIPT_WAIT;
}

/* Events carry whole logical pixels: a pixel near (x, y) where the pick really is word i (a
 * near-identical word can sit within half a pixel), as a user nudges the mouse. */
static bool pixel_of(GuiApp *g, int64_t i, float *x, float *y)
{
    float sc = g->win.scale, bx = -1, by = -1, bd = 1e9f;
    for (int dy = -4; dy <= 4; dy++)
        for (int dx = -4; dx <= 4; dx++) {
            float px = ((float)lrintf(*x / sc) + (float)dx) * sc, py = ((float)lrintf(*y / sc) + (float)dy) * sc;
            float d = (px - *x) * (px - *x) + (py - *y) * (py - *y);
            if (d < bd && gui_scene_pick(g, px, py, 8.f * sc) == i) {
                bd = d;
                bx = px;
                by = py;
            }
        }
    if (bx < 0)
        return false;
    *x = bx;
    *y = by;
    return true;
}

/* "WORD [ctrl]": ctrl is held for the click. */
static void split_ctrl(GuiScript *s, const char *a, char *word, size_t cap)
{
    snprintf(word, cap, "%s", a);
    char *sp = strstr(word, " ctrl");
    s->ctrl = sp && !sp[5];
    if (s->ctrl)
        *sp = 0;
}

static int click_at(GuiApp *g, GuiScript *s, float x, float y)
{
    if (s->ctrl)
        SDL_SetModState(KMOD_LCTRL);
    start_gesture(s, x, y, x, y, 0, 2);
    script_gesture_frame(g, s);
    return SCRIPT_WAIT;
}

static int run_click_word(GuiApp *g, GuiScript *s, const char *a)
{
    char word[sizeof s->lines[0].arg];
    split_ctrl(s, a, word, sizeof word);
    int64_t i = gui_find(g, word);
    float x, y;
    if (i < 0)
        return script_fail(s, "'%s' is not in the vocabulary", word);
    const char *why = gui_word_hidden(g, i, &x, &y);
    if (why)
        return script_fail(s, "'%s' %s", word, why);
    float px = x, py = y;
    if (!pixel_of(g, i, &px, &py))
        return script_fail(s, "'%s' is covered by '%s'", word,
                           gui_word(g, gui_scene_pick(g, x, y, 8.f * g->win.scale)));
    return click_at(g, s, px, py);
}

/* "K": a click on entry K (0 first) of the colour legend, where the last frame drew it. */
static int run_click_legend(GuiApp *g, GuiScript *s, const char *a)
{
    const GuiColorBy *c = &g->space.color;
    int k = atoi(a);
    if (k < 0 || k >= c->nentries || c->entry_w <= 0)
        return script_fail(s, "the colour legend has %d entries", c->nentries);
    s->ctrl = false;
    return click_at(g, s, c->entry_x + c->entry_w / 2, c->entry_y[k] + c->entry_h / 2);
}

static int run_click(GuiApp *g, GuiScript *s, const char *a)
{
    double v[2];
    int n;
    s->ctrl = false;
    script_numbers(a, v, 2, 2, &n);
    return click_at(g, s, (float)v[0] * g->win.scale, (float)v[1] * g->win.scale);
}

/* "X0 Y0 X1 Y1 [right]" */
static bool drag_numbers(const char *a, double v[4], bool *right)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", a);
    char *r = strstr(tmp, " right");
    *right = r && !r[6];
    if (*right)
        *r = 0;
    int n;
    return script_numbers(tmp, v, 4, 4, &n);
}

static bool check_drag(const char *a, char *why, size_t cap)
{
    double v[4];
    bool right;
    if (drag_numbers(a, v, &right))
        return true;
    snprintf(why, cap, "bad arguments for drag: '%s' (want X0 Y0 X1 Y1 [right])", a);
    return false;
}

static int run_drag(GuiApp *g, GuiScript *s, const char *a)
{
    double v[4];
    bool right;
    drag_numbers(a, v, &right);
    float k = g->win.scale;
    start_gesture(s, (float)v[0] * k, (float)v[1] * k, (float)v[2] * k, (float)v[3] * k,
                  right ? 1 : 0, 6);
    script_gesture_frame(g, s);
    return SCRIPT_WAIT;
}

static bool check_wheel(const char *a, char *why, size_t cap)
{
    double v[3];
    int n;
    if (script_numbers(a, v, 1, 3, &n) && n != 2 && v[0] >= -100 && v[0] <= 100)
        return true;
    snprintf(why, cap, "bad arguments for wheel: '%s' (want N [X Y], N in -100..100)", a);
    return false;
}

static int run_wheel(GuiApp *g, GuiScript *s, const char *a)
{
    double v[3];
    int n;
    script_numbers(a, v, 1, 3, &n);
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
    return SCRIPT_WAIT;
}

static bool check_resize(const char *a, char *why, size_t cap)
{
    double v[2];
    int n;
    if (script_numbers(a, v, 2, 2, &n) && v[0] >= 200 && v[1] >= 150 && v[0] <= 16384 && v[1] <= 16384)
        return true;
    snprintf(why, cap, "bad arguments for resize: '%s' (want W H from 200 x 150 to 16384 x 16384)", a);
    return false;
}

static int run_resize(GuiApp *g, GuiScript *s, const char *a)
{
    double v[2];
    int n;
    script_numbers(a, v, 2, 2, &n);
    SDL_SetWindowSize(g->win.window, (int)v[0], (int)v[1]);
    s->wait_frames = 1;
    return SCRIPT_WAIT;
}

static int run_drop(GuiApp *g, GuiScript *s, const char *a)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_DROPFILE;
    ev.drop.file = SDL_strdup(a); /* the event handler frees it, as SDL's own drops */
    ev.drop.windowID = SDL_GetWindowID(g->win.window);
    if (!ev.drop.file || SDL_PushEvent(&ev) != 1) {
        SDL_free(ev.drop.file);
        return script_fail(s, "cannot queue the drop event: %s", SDL_GetError());
    }
    s->wait_frames = 1;
    return SCRIPT_WAIT;
}

static int run_screenshot(GuiApp *g, GuiScript *s, const char *a)
{
    Err e = {{0}};
    if (!g->perf.frames_drawn)
        return SCRIPT_WAIT;
    if (!win_screenshot(&g->win, a, &e))
        return script_fail(s, "%s", e.msg);
    return SCRIPT_NEXT;
}

static int run_echo(GuiApp *g, GuiScript *s, const char *a)
{
    (void)g;
    (void)s;
    printf("%s\n", a);
    fflush(stdout);
    return SCRIPT_NEXT;
}

static int run_quit(GuiApp *g, GuiScript *s, const char *a)
{
    (void)g;
    (void)a;
    s->done = true;
    return SCRIPT_WAIT;
}

const ScriptVerb script_input_verbs[] = {
    {"type", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_type},
    {"clear", SCRIPT_ARG_ANY, 0, 0, 0, 0, NULL, run_clear},
    {"focus", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_focus},
    {"key", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_key, run_key},
    {"click_word", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_click_word},
    {"click", SCRIPT_ARG_NUMBERS, 2, 2, -1e15, 1e15, NULL, run_click},
    {"click_legend", SCRIPT_ARG_NUMBERS, 1, 1, 0, 100, NULL, run_click_legend},
    {"drag", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_drag, run_drag},
    {"wheel", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_wheel, run_wheel},
    {"resize", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_resize, run_resize},
    {"drop", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_drop},
    {"screenshot", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_screenshot},
    {"echo", SCRIPT_ARG_ANY, 0, 0, 0, 0, NULL, run_echo},
    {"quit", SCRIPT_ARG_ANY, 0, 0, 0, 0, NULL, run_quit},
    {NULL, SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, NULL},
};
