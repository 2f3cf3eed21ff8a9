/* The one table of named keys: what SDL calls them, what the UI's text fields receive, and
 * their names in scripts ("enter", "escape", ...). loop/events.c and the script both read it.
 * UI thread. */
#ifndef EMBEDSCOPE_GUI_KEYS_H
#define EMBEDSCOPE_GUI_KEYS_H
#include "app/ui/ui.h"
#include <SDL.h>
#include <stdbool.h>

/* The UI key of an SDL key, UI_KEY_NONE when the UI does not use it. */
UiKey gui_key_ui(SDL_Keycode sym);
/* The SDL key a script names ("enter", "space", or one printable character); false when the
 * name is unknown. */
bool gui_key_by_name(const char *name, SDL_Keycode *sym);

#endif
