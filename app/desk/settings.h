/* What the window remembers between launches: recent files, the first-launch hint already
 * seen, the label size and the open dialog's last folder, in one small text file under
 * $XDG_CONFIG_HOME/embedscope/ (default ~/.config/embedscope/). A missing file means defaults;
 * a corrupt or unreadable one is reported (the caller says so once) and replaced by the next
 * save, never fatal. No SDL; any thread with its own Settings.
 *
 * The file is UTF-8 text, one `key = value` per line, '#' lines and blank lines ignored. The
 * first key must be `embedscope_settings = 1`; then `hint_seen` (0 or 1), `label_size`
 * (6..48), `last_folder` (an absolute path) at most once each, and `recent` (an absolute path,
 * newest first) up to SETTINGS_MAX_RECENT times. Keys this version does not know are skipped,
 * so a newer embedscope's file still loads. A value is the rest of the line after "= ". */
#ifndef EMBEDSCOPE_DESK_SETTINGS_H
#define EMBEDSCOPE_DESK_SETTINGS_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stddef.h>

#define SETTINGS_MAX_RECENT 10
#define SETTINGS_MAX_PATH 1024
#define SETTINGS_MAX_BYTES 65536 /* a bigger file is not ours */

typedef struct Settings {
    bool hint_seen;
    int label_px;                          /* 0: not set (the window's default) */
    char last_folder[SETTINGS_MAX_PATH];   /* "" : not set */
    char recent[SETTINGS_MAX_RECENT][SETTINGS_MAX_PATH]; /* newest first */
    int nrecent;
} Settings;

typedef enum { SETTINGS_LOADED, SETTINGS_MISSING, SETTINGS_BAD } SettingsStatus;

/* The settings file's path: $XDG_CONFIG_HOME/embedscope/settings when XDG_CONFIG_HOME is an
 * absolute path (the XDG spec ignores a relative one), else $HOME/.config/embedscope/settings.
 * False (e set) when neither gives a path. */
bool settings_path(char *buf, size_t cap, Err *e);
/* Fills s from path, defaults first. SETTINGS_MISSING: no file (s holds the defaults).
 * SETTINGS_BAD: unreadable, too big or corrupt; e says "FILE:line N: why" and s holds the
 * defaults plus nothing from the file. */
SettingsStatus settings_load(Settings *s, const char *path, Err *e);
/* Writes s atomically, creating the folder (mode 0700) when missing. */
bool settings_save(const Settings *s, const char *path, Err *e);
/* Puts path first in the recent list (an older copy of it is removed; the oldest entry drops
 * off a full list). A path that is not absolute, too long or holds a line break is ignored:
 * false. */
bool settings_add_recent(Settings *s, const char *path);
/* Removes path from the recent list (it could not be opened); false when it was not there. */
bool settings_forget_recent(Settings *s, const char *path);

#endif
