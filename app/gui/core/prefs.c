/* The window's remembered settings (see prefs.h). UI thread. */
#include "app/gui/core/prefs.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(GuiApp *g, const char *what, const char *msg)
{
    if (g->prefs.reported)
        return;
    g->prefs.reported = true;
    fprintf(stderr, "embedscope: settings %s: %s\n", what, msg);
    gui_set_status(g, true, "settings %s: %s", what, msg);
    snprintf(g->prefs.pending, sizeof g->prefs.pending, "%s", g->status.text);
}

void gui_prefs_load(GuiApp *g)
{
    GuiPrefs *p = &g->prefs;
    Err e = {{0}};
    memset(&p->s, 0, sizeof p->s);
    if (!settings_path(p->path, sizeof p->path, &e)) {
        p->path[0] = 0; /* nowhere to remember anything: the window runs without */
        report(g, "not kept", e.msg);
        return;
    }
    if (settings_load(&p->s, p->path, &e) != SETTINGS_BAD)
        return;
    char msg[sizeof e.msg + 64];
    snprintf(msg, sizeof msg, "%s; using the defaults", e.msg);
    report(g, "ignored", msg);
    p->reported = false; /* the replacing write may fail and say so too */
    if (settings_save(&p->s, p->path, &e))
        p->reported = true;
    else
        report(g, "not saved", e.msg);
}

void gui_prefs_save(GuiApp *g)
{
    GuiPrefs *p = &g->prefs;
    Err e = {{0}};
    if (p->path[0] && !settings_save(&p->s, p->path, &e))
        report(g, "not saved", e.msg);
}

void gui_prefs_shown(GuiApp *g)
{
    if (!g->prefs.pending[0])
        return;
    gui_set_status(g, true, "%s", g->prefs.pending);
    g->prefs.pending[0] = 0;
}

void gui_prefs_opened(GuiApp *g, const char *path)
{
    char abs[PATH_MAX];
    if (path[0] == '@' || !realpath(path, abs))
        return;
    if (settings_add_recent(&g->prefs.s, abs))
        gui_prefs_save(g);
}

void gui_prefs_forget(GuiApp *g, const char *path)
{
    if (settings_forget_recent(&g->prefs.s, path))
        gui_prefs_save(g);
}
