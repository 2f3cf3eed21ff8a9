/* The colour verbs (see colors.h). UI thread. */
#include "app/gui/script/colors.h"
#include "app/gui/data/metadata.h"
#include "app/gui/scene/colorby.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "cluster" | "frequency" | "movement" | "metadata COLUMN" | "COLUMN" (the command `color` steps) */
static int run_color(GuiApp *g, GuiScript *s, const char *a)
{
    Err e = {{0}};
    if (!gui_colorby_set(g, a, &e))
        return script_fail(s, "%s", e.msg);
    return SCRIPT_WAIT;
}

/* "FILE": loads it for the data shown; fails with the status line when it is refused. */
static int run_metadata(GuiApp *g, GuiScript *s, const char *a)
{
    if (!gui_metadata_load(g, a))
        return script_fail(s, "%s", g->status.text);
    return SCRIPT_WAIT;
}

/* "NAME [categorical|numeric]" */
static int run_assert_color(GuiApp *g, GuiScript *s, const char *a)
{
    char name[128] = "", kind[32] = "";
    if (sscanf(a, "%127s %31s", name, kind) < 1)
        return script_fail(s, "want NAME [categorical|numeric]");
    const MetaColumn *col = gui_colorby_column(g);
    const char *got = !col ? "built-in" : col->kind == META_NUMERIC ? "numeric" : "categorical";
    if (strcmp(gui_colorby_name(g), name) || (kind[0] && strcmp(kind, got)))
        return script_fail(s, "colour by %s (%s)", gui_colorby_name(g), got);
    return SCRIPT_NEXT;
}

/* "N": the categorical legend shows N entries (the values and "(no value)"); 0 for a bar. The
 * legend is drawn from the colours, so this waits for the frame that made them. */
static int run_assert_color_legend(GuiApp *g, GuiScript *s, const char *a)
{
    const GuiColorBy *c = &g->space.color;
    if (!c->colors || c->made_mode != c->mode)
        return script_fail(s, "no colours made for %s yet (wait_frames 2 after colouring)",
                           gui_colorby_name(g));
    if (c->nentries != atoi(a))
        return script_fail(s, "the legend of %s has %d entries", gui_colorby_name(g), c->nentries);
    return SCRIPT_NEXT;
}

/* "K NAME COUNT": legend entry K (0 first) reads NAME with COUNT words. */
static int run_assert_color_entry(GuiApp *g, GuiScript *s, const char *a)
{
    const GuiColorBy *c = &g->space.color;
    const MetaColumn *col = gui_colorby_column(g);
    char name[256];
    int k, at = 0;
    snprintf(name, sizeof name, "%s", a);
    char *last = strrchr(name, ' ');
    if (!last || sscanf(name, "%d %n", &k, &at) != 1 || name + at >= last)
        return script_fail(s, "want K NAME COUNT");
    long long want = atoll(last + 1);
    *last = 0;
    memmove(name, name + at, strlen(name + at) + 1); /* the name may hold spaces: "(no value)" */
    if (!col || col->kind != META_CATEGORICAL || k < 0 || k >= c->nentries)
        return script_fail(s, "no legend entry %d (colour by %s, %d entries)", k, gui_colorby_name(g),
                           c->nentries);
    const char *got = k < col->ncat ? col->cat[k].name : "(no value)";
    if (strcmp(got, name) || c->count[k] != want)
        return script_fail(s, "entry %d is %s with %lld words", k, got, (long long)c->count[k]);
    return SCRIPT_NEXT;
}

const ScriptVerb script_color_verbs[] = {
    {"color_by", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_color},
    {"metadata", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_metadata},
    {"assert_color", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_color},
    {"assert_color_legend", SCRIPT_ARG_NUMBERS, 1, 1, 0, 100, NULL, run_assert_color_legend},
    {"assert_color_entry", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_color_entry},
    {NULL, SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, NULL},
};
