/* SDL events into UiInput (see events.h). UI thread. */
#include "app/gui/loop/events.h"
#include "app/gui/commands/commands.h"
#include "app/gui/commands/keys.h"
#include "app/gui/data/session.h"
#include <string.h>

static void push_key(GuiApp *g, UiKey k, uint16_t mod)
{
    if (g->in.nkeys >= UI_MAX_KEYS)
        return;
    g->in.key_mods[g->in.nkeys] = (uint8_t)((mod & KMOD_CTRL ? UI_MOD_CTRL : 0) |
                                            (mod & KMOD_SHIFT ? UI_MOD_SHIFT : 0));
    g->in.keys[g->in.nkeys++] = k;
}

/* Ctrl+A, C, X, V: the text fields' select all, copy, cut and paste. */
static UiKey ctrl_key(SDL_Keycode sym)
{
    switch (sym) {
    case SDLK_a: return UI_KEY_SELECT_ALL;
    case SDLK_c: return UI_KEY_COPY;
    case SDLK_x: return UI_KEY_CUT;
    case SDLK_v: return UI_KEY_PASTE;
    default: return UI_KEY_NONE;
    }
}

static void on_key(GuiApp *g, const SDL_KeyboardEvent *k)
{
    bool ctrl = (k->keysym.mod & KMOD_CTRL) != 0;
    if (ctrl && k->keysym.sym >= 'a' && k->keysym.sym <= 'z' &&
        gui_cmd_by_ctrl((char)k->keysym.sym) != GUI_CMD_COUNT) { /* Ctrl+O, Ctrl+Q */
        gui_cmd_run(g, gui_cmd_by_ctrl((char)k->keysym.sym));
        return;
    }
    UiKey key = ctrl ? ctrl_key(k->keysym.sym) : UI_KEY_NONE;
    if (key == UI_KEY_NONE)
        key = gui_key_ui(k->keysym.sym);
    if (key != UI_KEY_NONE)
        push_key(g, key, k->keysym.mod);
    /* printable keys are commands, but not with Ctrl (Ctrl+C copies, it does not show curves) */
    else if (!ctrl && k->keysym.sym >= 32 && k->keysym.sym < 127)
        gui_shortcut(g, (char)k->keysym.sym);
}

/* Translates one SDL event into g->in; returns true when it may change what is on screen. */
bool gui_on_event(GuiApp *g, const SDL_Event *ev)
{
    float s = g->win.scale;
    switch (ev->type) {
    case SDL_QUIT: g->quit = true; return true;
    case SDL_MOUSEMOTION:
        g->in.mx = (float)ev->motion.x * s;
        g->in.my = (float)ev->motion.y * s;
        return true;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
        int b = ev->button.button == SDL_BUTTON_LEFT ? 0 : ev->button.button == SDL_BUTTON_RIGHT ? 1 : 2;
        bool down = ev->type == SDL_MOUSEBUTTONDOWN;
        g->in.mx = (float)ev->button.x * s;
        g->in.my = (float)ev->button.y * s;
        g->in.down[b] = down;
        g->in.ctrl = (SDL_GetModState() & KMOD_CTRL) != 0;
        g->in.shift = (SDL_GetModState() & KMOD_SHIFT) != 0;
        if (down && b == 0)
            g->in.clicks = ev->button.clicks;
        if (down) {
            g->in.pressed[b] = true;
            g->in.press_x[b] = g->in.mx;
            g->in.press_y[b] = g->in.my;
        }
        else
            g->in.released[b] = true;
        return true;
    }
    case SDL_MOUSEWHEEL: g->in.wheel += ev->wheel.preciseY; return true;
    case SDL_TEXTINPUT: {
        size_t n = strlen(ev->text.text);
        if (g->in.text_len + n < UI_TEXT_CAP) {
            memcpy(g->in.text + g->in.text_len, ev->text.text, n);
            g->in.text_len += n;
        }
        return true;
    }
    case SDL_TEXTEDITING: snprintf(g->in.editing, sizeof g->in.editing, "%s", ev->edit.text); return true;
    case SDL_KEYDOWN:
        g->in.ctrl = (ev->key.keysym.mod & KMOD_CTRL) != 0;
        g->in.shift = (ev->key.keysym.mod & KMOD_SHIFT) != 0;
        on_key(g, &ev->key);
        return true;
    case SDL_KEYUP:
        g->in.ctrl = (ev->key.keysym.mod & KMOD_CTRL) != 0;
        g->in.shift = (ev->key.keysym.mod & KMOD_SHIFT) != 0;
        return false;
    case SDL_WINDOWEVENT: return true;
    case SDL_DROPFILE:
        if (ev->drop.file) {
            gui_open(g, ev->drop.file, SESSION_AUTO);
            SDL_free(ev->drop.file);
        }
        return true;
    default: return ev->type == g->wake_event;
    }
}

/* Clears the one-frame parts of the input after a frame used them. */
void gui_input_consumed(GuiApp *g)
{
    for (int b = 0; b < 3; b++)
        g->in.pressed[b] = g->in.released[b] = false;
    g->in.wheel = 0;
    g->in.text_len = 0;
    g->in.text[0] = 0;
    g->in.nkeys = 0;
    g->nshortcuts = 0;
}
