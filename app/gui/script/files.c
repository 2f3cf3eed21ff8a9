/* Script verbs that write and read files as the export panel and bookmarks do:
 * export_coords, export_projector, export_vectors [binary], screenshot_scaled, bookmark_save,
 * bookmark_load. The outcome of an export goes to the status line (assert_status), as from the
 * panel. UI thread. */
#include "app/gui/script/files.h"
#include "app/gui/panels/bookmark.h"
#include "app/gui/panels/export.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An export's outcome, as the export panel reports it. */
static int report(GuiApp *g, const char *path, bool ok, const Err *e)
{
    if (ok)
        gui_set_status(g, false, "saved %s", path);
    else
        gui_set_status(g, true, "export failed: %s", e->msg);
    return SCRIPT_NEXT;
}

static int run_coords(GuiApp *g, GuiScript *s, const char *a)
{
    (void)s;
    Err e = {{0}};
    return report(g, a, gui_export_coords(g, a, &e), &e);
}

static int run_projector(GuiApp *g, GuiScript *s, const char *a)
{
    (void)s;
    Err e = {{0}};
    return report(g, a, gui_export_projector(g, a, &e), &e);
}

/* "PATH [binary]" */
static int run_vectors(GuiApp *g, GuiScript *s, const char *a)
{
    (void)s;
    char path[512];
    snprintf(path, sizeof path, "%s", a);
    char *sp = strrchr(path, ' ');
    bool binary = sp && !strcmp(sp, " binary");
    if (binary)
        *sp = 0;
    Err e = {{0}};
    return report(g, path, gui_export_vectors(g, path, binary, &e), &e);
}

/* "PATH N", N in 1..8 */
static bool check_scaled(const char *a, char *why, size_t cap)
{
    const char *sp = strrchr(a, ' ');
    double v[1];
    int n;
    if (sp && script_numbers(sp, v, 1, 1, &n) && v[0] >= 1 && v[0] <= 8)
        return true;
    snprintf(why, cap, "bad arguments for screenshot_scaled: '%s' (want PATH N, N in 1..8)", a);
    return false;
}

static int run_scaled(GuiApp *g, GuiScript *s, const char *a)
{
    (void)s;
    char path[512];
    snprintf(path, sizeof path, "%s", a);
    char *sp = strrchr(path, ' ');
    int factor = atoi(sp + 1);
    *sp = 0;
    Err e = {{0}};
    return report(g, path, gui_screenshot_scaled(g, path, factor, &e), &e);
}

static int run_bookmark_save(GuiApp *g, GuiScript *s, const char *a)
{
    Err e = {{0}};
    if (!gui_bookmark_save(g, a, &e))
        return script_fail(s, "%s", e.msg);
    s->wait_frames = 1;
    return SCRIPT_WAIT;
}

static int run_bookmark_load(GuiApp *g, GuiScript *s, const char *a)
{
    Err e = {{0}};
    if (!gui_bookmark_load(g, a, true, &e))
        return script_fail(s, "%s", e.msg);
    s->wait_frames = 1;
    return SCRIPT_WAIT;
}

const ScriptVerb script_file_verbs[] = {
    {"export_coords", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_coords},
    {"export_projector", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_projector},
    {"export_vectors", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_vectors},
    {"screenshot_scaled", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_scaled, run_scaled},
    {"bookmark_save", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_bookmark_save},
    {"bookmark_load", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_bookmark_load},
    {NULL, SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, NULL},
};
