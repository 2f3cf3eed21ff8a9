/* Script verbs that check what is on screen: the panels' text, the status line, labels, the
 * selection, answers, screenshots, trails, the data shown, the region names, the density view. A failed check names what it found.
 * UI thread. */
#include "app/gui/script/asserts.h"
#include "app/gui/scene/scene.h"
#include "app/gui/scene/trails.h"
#include "app/gui/data/proj.h"
#include "model/text/world.h"
#include <SDL.h>
#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bright (text) pixels of the canvas in box {x, y, w, h}. */
static int bright_pixels(const GuiApp *g, const float *b)
{
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
    return bright;
}

/* Label of word i is drawn and its box has bright (text) pixels. */
static bool label_visible(GuiApp *g, int64_t i)
{
    for (int j = 0; j < g->space.nlabels; j++)
        if (g->space.labels[j] == i)
            return bright_pixels(g, g->space.label_box[j]) >= 5;
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
    for (int j = 0; j < g->sel.nnbrs && len + 2 < cap; j++) {
        int n = snprintf(buf + len, cap - len, "%s%s", j ? " " : "", gui_word(g, g->sel.nbrs[j].index));
        if (n < 0)
            break;
        len += (size_t)n;
    }
}

static int panel_has(GuiApp *g, GuiScript *s, const char *a, bool want)
{
    if (draw_has_text(g->overlay, a) == want)
        return SCRIPT_NEXT;
    char words[400];
    panel_words(g, words, sizeof words);
    return script_fail(s, "'%s' is %s the panels (neighbours: %s; status: %s)", a,
                       want ? "not in" : "in", words[0] ? words : "none", g->status.text);
}

static int run_assert_panel(GuiApp *g, GuiScript *s, const char *a) { return panel_has(g, s, a, true); }
static int run_assert_no_panel(GuiApp *g, GuiScript *s, const char *a) { return panel_has(g, s, a, false); }

static int run_assert_panel_any(GuiApp *g, GuiScript *s, const char *a)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", a);
    for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
        if (draw_has_text(g->overlay, w))
            return SCRIPT_NEXT;
    char words[400];
    panel_words(g, words, sizeof words);
    return script_fail(s, "none of '%s' is in the panels (neighbours: %s)", a, words[0] ? words : "none");
}

static int run_assert_status(GuiApp *g, GuiScript *s, const char *a)
{
    if (!strstr(g->status.text, a))
        return script_fail(s, "status is '%s'", g->status.text);
    return SCRIPT_NEXT;
}

static int run_assert_label(GuiApp *g, GuiScript *s, const char *a)
{
    int64_t i = gui_find(g, a);
    if (i < 0 || !label_visible(g, i))
        return script_fail(s, "no visible label for '%s'", a);
    return SCRIPT_NEXT;
}

/* WORD's point is inside the window and not under a panel (a label may still be dropped for
 * room: the analogy's four words sit close together early in training). */
static int run_assert_in_view(GuiApp *g, GuiScript *s, const char *a)
{
    int64_t i = gui_find(g, a);
    float x, y;
    if (i < 0)
        return script_fail(s, "'%s' is not in the vocabulary", a);
    const char *why = gui_word_hidden(g, i, &x, &y);
    return why ? script_fail(s, "'%s' %s", a, why) : SCRIPT_NEXT;
}

/* The selected word and each of its listed neighbours are inside the window and clear of
 * the panels (what a framing, F or a search, promises); no argument. */
static int run_assert_framed(GuiApp *g, GuiScript *s, const char *a)
{
    (void)a;
    if (g->sel.selected < 0)
        return script_fail(s, "no word is selected");
    float x, y;
    for (int j = -1; j < g->sel.nnbrs; j++) {
        int64_t i = j < 0 ? g->sel.selected : g->sel.nbrs[j].index;
        const char *why = gui_word_hidden(g, i, &x, &y);
        if (why)
            return script_fail(s, "'%s' %s (at %.0f, %.0f in a %d x %d window)", gui_word(g, i), why, x, y,
                               g->cam.vw, g->cam.vh);
    }
    return SCRIPT_NEXT;
}

/* At least N labels, no two overlapping (forced ones aside: hovered and selected words). */
static int run_assert_labels(GuiApp *g, GuiScript *s, const char *a)
{
    const GuiSpace *sp = &g->space;
    if (sp->nlabels < atoi(a))
        return script_fail(s, "%d labels drawn", sp->nlabels);
    for (int i = 0; i < sp->nlabels; i++)
        for (int j = i + 1; j < sp->nlabels; j++) {
            const float *p = sp->label_box[i], *q = sp->label_box[j];
            /* boxes are a font height tall; the grid tests them 2 px shorter */
            bool apart = p[0] + p[2] <= q[0] || q[0] + q[2] <= p[0] ||
                         p[1] + p[3] - 2 <= q[1] || q[1] + q[3] - 2 <= p[1];
            if (!apart && j >= sp->nforced)
                return script_fail(s, "labels '%s' and '%s' overlap", gui_word(g, sp->labels[i]),
                                   gui_word(g, sp->labels[j]));
        }
    return SCRIPT_NEXT;
}

static int run_assert_selected(GuiApp *g, GuiScript *s, const char *a)
{
    int64_t sel = g->sel.selected;
    if (sel < 0 || strcmp(gui_word(g, sel), a))
        return script_fail(s, "selected is '%s'", sel < 0 ? "" : gui_word(g, sel));
    return SCRIPT_NEXT;
}

/* "A B": word A is drawn left of word B (custom axes put small left of big). */
static int run_assert_left(GuiApp *g, GuiScript *s, const char *a)
{
    char w[2][128];
    if (sscanf(a, "%127s %127s", w[0], w[1]) != 2)
        return script_fail(s, "want two words");
    float x[2], y;
    for (int k = 0; k < 2; k++) {
        int64_t i = gui_find(g, w[k]);
        if (i < 0 || !gui_word_screen(g, i, &x[k], &y))
            return script_fail(s, "'%s' is not on screen", w[k]);
    }
    if (!(x[0] < x[1]))
        return script_fail(s, "'%s' is at x %.0f, not left of '%s' at %.0f", w[0], (double)x[0], w[1], (double)x[1]);
    return SCRIPT_NEXT;
}

static int run_assert_answer(GuiApp *g, GuiScript *s, const char *a)
{
    const GuiPin *p = g->sel.npins ? &g->sel.pins[g->sel.npins - 1] : NULL;
    if (!p || !p->nans || strcmp(gui_word(g, p->ans[0].index), a))
        return script_fail(s, "top answer of '%s' is '%s'", p ? p->text : "(no analogy)",
                           p && p->nans ? gui_word(g, p->ans[0].index) : "");
    return SCRIPT_NEXT;
}

static bool check_two(const char *a, char *why, size_t cap)
{
    if (strchr(a, ' '))
        return true;
    snprintf(why, cap, "bad arguments for assert_differ: '%s' (want two paths)", a);
    return false;
}

static int run_assert_differ(GuiApp *g, GuiScript *s, const char *a)
{
    (void)g;
    char pa[512], why[600] = "";
    snprintf(pa, sizeof pa, "%s", a);
    char *pb = strchr(pa, ' ');
    *pb++ = 0;
    while (*pb == ' ')
        pb++;
    if (!images_differ(pa, pb, why, sizeof why))
        return script_fail(s, "%s", why);
    return SCRIPT_NEXT;
}

/* "WORD N": the trail holds at least N snapshots and moved. */
static int run_assert_trail(GuiApp *g, GuiScript *s, const char *a)
{
    char w[512];
    snprintf(w, sizeof w, "%s", a);
    char *sp = strrchr(w, ' ');
    int want = sp ? atoi(sp + 1) : 0;
    if (sp)
        *sp = 0;
    int64_t i = gui_find(g, w);
    float xyz[16 * 3];
    int got = i >= 0 ? gui_trail(g, i, xyz) : 0;
    float moved = 0;
    for (int k = 1; k < got; k++)
        for (int j = 0; j < 3; j++)
            moved = fmaxf(moved, fabsf(xyz[k * 3 + j] - xyz[j]));
    if (got < want || !(moved > 0))
        return script_fail(s, "trail of '%s': %d snapshots, moved %g", w, got, (double)moved);
    return SCRIPT_NEXT;
}

static int run_assert_rows(GuiApp *g, GuiScript *s, const char *a)
{
    if ((double)gui_vocab(g)->size != atof(a))
        return script_fail(s, "%lld words are shown", (long long)gui_vocab(g)->size);
    return SCRIPT_NEXT;
}

/* on: the density image alone; off: every point; fading: both (auto while zooming). */
static int run_assert_density(GuiApp *g, GuiScript *s, const char *a)
{
    float f = gui_scene_density(g);
    const char *is = f >= 1.f ? "on" : f > 0.f ? "fading" : "off";
    if (strcmp(a, "on") && strcmp(a, "off") && strcmp(a, "fading"))
        return script_fail(s, "assert_density wants on, off or fading, not '%s'", a);
    if (strcmp(a, is))
        return script_fail(s, "the density view is %s (%.2f)", is, (double)f);
    return SCRIPT_NEXT;
}

/* "pca", "umap", "tsne", or "axes X-TEXT": the projection shown (and its x axis). */
static int run_assert_projection(GuiApp *g, GuiScript *s, const char *a)
{
    const char *is = gui_proj_kind_name(g->proj.kind);
    size_t n = strlen(is);
    bool same = !strncmp(a, is, n) && (a[n] == 0 || a[n] == ' ');
    if (same && g->proj.kind == GUI_PROJ_AXES && a[n] == ' ')
        same = !strcmp(a + n + 1, g->proj.axis_text[0]);
    if (!same)
        return script_fail(s, "the projection is %s%s%s", is, g->proj.kind == GUI_PROJ_AXES ? " " : "",
                           g->proj.kind == GUI_PROJ_AXES ? g->proj.axis_text[0] : "");
    return SCRIPT_NEXT;
}

static int run_assert_source(GuiApp *g, GuiScript *s, const char *a)
{
    if (!strstr(g->data.sess.source, a))
        return script_fail(s, "the data on screen came from '%s'", g->data.sess.source);
    return SCRIPT_NEXT;
}

/* The region names drawn now (a layout's, or the clusters' in PCA): the first one made only
 * of the given words whose plate has bright text, or NULL. */
static const char *region_named_by(GuiApp *g, const char *words)
{
    const GuiRegionLabels *r = &g->space.regions;
    for (int k = 0; k < r->nplaced; k++) {
        char name[96];
        snprintf(name, sizeof name, "%s", r->placed[k]);
        bool all = true;
        int n = 0;
        for (char *save = NULL, *w = strtok_r(name, ", ", &save); w && all;
             w = strtok_r(NULL, ", ", &save), n++) {
            size_t len = strlen(w);
            const char *p = words;
            all = false;
            while (!all && (p = strstr(p, w)) != NULL) { /* a whole word of the list */
                all = (p == words || p[-1] == ' ') && (p[len] == 0 || p[len] == ' ');
                p += len;
            }
        }
        if (all && n > 0 && bright_pixels(g, r->box[k]) >= 5)
            return r->placed[k];
    }
    return NULL;
}

/* A word label (not a forced one: hovered, selected) over a region name's plate, or -1. */
static int label_over_plate(const GuiApp *g)
{
    const GuiSpace *sp = &g->space;
    for (int j = sp->nforced; j < sp->nlabels; j++)
        for (int k = 0; k < sp->regions.nplaced; k++) {
            const float *p = sp->label_box[j], *q = sp->regions.box[k];
            /* label boxes are a font height tall; the grid tests them 2 px shorter */
            if (!(p[0] + p[2] <= q[0] || q[0] + q[2] <= p[0] || p[1] + p[3] - 2 <= q[1] ||
                  q[1] + q[3] <= p[1]))
                return j;
        }
    return -1;
}

/* The words of list l ("W1 W2 @category ..."; @NAME: the members of the built-in world's
 * category NAME) into out, space-separated. */
static void expand_list(const World *w, const char *l, char *out, size_t cap)
{
    char buf[512];
    size_t len = 0;
    snprintf(buf, sizeof buf, "%s", l);
    out[0] = 0;
    for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        uint32_t nsec = t[0] == '@' && w ? world_section_count(w) : 0;
        bool found = false;
        for (uint32_t i = 0; i < nsec && !found; i++) {
            bool rel;
            uint32_t items;
            found = !strcmp(world_section_info(w, i, &rel, &items), t + 1) && !rel;
            for (uint32_t j = 0; found && j < items; j++) {
                const char *a, *b;
                world_section_item(w, i, j, &a, &b);
                int n = snprintf(out + len, cap - len, "%s%s", len ? " " : "", a);
                len += n > 0 && (size_t)n < cap - len ? (size_t)n : 0;
            }
        }
        int n = found ? 0 : snprintf(out + len, cap - len, "%s%s", len ? " " : "", t);
        len += n > 0 && (size_t)n < cap - len ? (size_t)n : 0;
    }
}

/* "W1 W2 ... [| V1 ...]" (@NAME: a category of the built-in world): a drawn region name is
 * made of the words of one of the lists only, and no word label covers a name. */
static int run_assert_region_label(GuiApp *g, GuiScript *s, const char *a)
{
    int over = label_over_plate(g);
    if (over >= 0)
        return script_fail(s, "the label '%s' covers a region name",
                           gui_word(g, g->space.labels[over]));
    Err e = {{0}};
    World *w = strchr(a, '@') ? world_builtin(&e) : NULL;
    char lists[512], words[8192];
    snprintf(lists, sizeof lists, "%s", a);
    for (char *save = NULL, *l = strtok_r(lists, "|", &save); l; l = strtok_r(NULL, "|", &save)) {
        expand_list(w, l, words, sizeof words);
        if (region_named_by(g, words)) {
            world_destroy(w);
            return SCRIPT_NEXT;
        }
    }
    world_destroy(w);
    const GuiRegionLabels *r = &g->space.regions;
    char seen[600] = "";
    size_t len = 0;
    for (int k = 0; k < r->nplaced && len + 2 < sizeof seen; k++) {
        int n = snprintf(seen + len, sizeof seen - len, "%s'%s'", k ? " " : "", r->placed[k]);
        if (n < 0)
            break;
        len += (size_t)n;
    }
    return script_fail(s, "no region name of only those words; drawn: %s%s", seen[0] ? seen : "none",
                       r->error[0] ? r->error : "");
}

/* "[TIMEOUT_S]": until the layout on screen has its region names drawn (60 s by default). */
static int run_wait_regions(GuiApp *g, GuiScript *s, const char *a)
{
    double v[1] = {60};
    int n = 0;
    if (a[0])
        script_numbers(a, v, 1, 1, &n);
    const LiveSnapshot *f = g->data.snap;
    const GuiRegionLabels *r = &g->space.regions;
    bool have = f && f->layout_kind != LIVELAY_NONE && !r->job && r->nplaced > 0 &&
                r->made_builds == f->layout_builds && r->made_gen == g->data.generation;
    int res = script_until(s, have, v[0]);
    /* the naming's whole state, so that a failure seen once (CI under load) says where it stood */
    return res == SCRIPT_FAIL
               ? script_fail(s, "no region names after %.0f s (%d drawn of %d names; jobs taken "
                                "%llu, one running: %s; named build %llu of %llu, layout on "
                                "screen: %s, animating: %s%s%s)",
                             v[0], r->nplaced, r->nnames, (unsigned long long)r->taken,
                             r->job ? "yes" : "no", (unsigned long long)r->made_builds,
                             (unsigned long long)(f ? f->layout_builds : 0),
                             f && gui_proj_layout_shown(g, f) ? "yes" : "no",
                             g->points.animating ? "yes" : "no", r->error[0] ? "; " : "", r->error)
               : res;
}

const ScriptVerb script_assert_verbs[] = {
    {"assert_panel", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_panel},
    {"assert_no_panel", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_no_panel},
    {"assert_panel_any", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_panel_any},
    {"assert_status", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_status},
    {"assert_label", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_label},
    {"assert_labels", SCRIPT_ARG_NUMBERS, 1, 1, 0, 1e15, NULL, run_assert_labels},
    {"assert_in_view", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_in_view},
    {"assert_framed", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_assert_framed},
    {"assert_selected", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_selected},
    {"assert_answer", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_answer},
    {"assert_left", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_left},
    {"assert_differ", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_two, run_assert_differ},
    {"assert_trail", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_trail},
    {"assert_rows", SCRIPT_ARG_NUMBERS, 1, 1, 0, 1e15, NULL, run_assert_rows},
    {"assert_source", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_source},
    {"assert_region_label", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_region_label},
    {"wait_regions", SCRIPT_ARG_ANY, 0, 0, 0, 0, NULL, run_wait_regions},
    {"assert_density", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_density},
    {"assert_projection", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_assert_projection},
    {NULL, SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, NULL},
};
