/* The one table of named keys (see keys.h). UI thread. */
#include "app/gui/commands/keys.h"
#include <string.h>

static const struct {
    const char *name;   /* in scripts; NULL: no name (a second SDL key for the same UI key) */
    SDL_Keycode sym;
    UiKey key;
} keys[] = {
    {"enter", SDLK_RETURN, UI_KEY_ENTER}, {"return", SDLK_RETURN, UI_KEY_ENTER},
    {NULL, SDLK_KP_ENTER, UI_KEY_ENTER}, {"escape", SDLK_ESCAPE, UI_KEY_ESCAPE},
    {"tab", SDLK_TAB, UI_KEY_TAB}, {"backspace", SDLK_BACKSPACE, UI_KEY_BACKSPACE},
    {"delete", SDLK_DELETE, UI_KEY_DELETE}, {"left", SDLK_LEFT, UI_KEY_LEFT},
    {"right", SDLK_RIGHT, UI_KEY_RIGHT}, {"up", SDLK_UP, UI_KEY_UP},
    {"down", SDLK_DOWN, UI_KEY_DOWN}, {"home", SDLK_HOME, UI_KEY_HOME},
    {"end", SDLK_END, UI_KEY_END}, {"space", SDLK_SPACE, UI_KEY_NONE},
};
#define NKEYS (sizeof keys / sizeof keys[0])

UiKey gui_key_ui(SDL_Keycode sym)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (keys[i].sym == sym)
            return keys[i].key;
    return UI_KEY_NONE;
}

bool gui_key_by_name(const char *name, SDL_Keycode *sym)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (keys[i].name && !strcmp(keys[i].name, name)) {
            *sym = keys[i].sym;
            return true;
        }
    if (strlen(name) == 1 && name[0] >= 32 && name[0] < 127) {
        *sym = (SDL_Keycode)(unsigned char)name[0];
        return true;
    }
    return false;
}
