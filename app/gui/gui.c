/* The explorer window's entry point (see gui.h): its options, the window, the first data set
 * opened in the background, the run loop, and an error screen when nothing can be shown.
 * Main thread. */
#include "app/gui/gui.h"
#include "app/args.h"
#include "app/gui/commands/commands.h"
#include "app/gui/core/app.h"
#include "app/gui/core/prefs.h"
#include "app/gui/data/proj.h"
#include "app/gui/data/session.h"
#include "app/gui/loop/run.h"
#include "app/gui/panels/bookmark.h"
#include "app/gui/panels/follow.h"
#include "app/gui/panels/opendlg.h"
#include "app/gui/scene/scene.h"
#include "app/gui/script/script.h"
#include "app/gui/views/views.h"
#include "model/train/train_desc.h"
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct GuiOpts {
    const char *font, *script, *corpus, *vectors, *renderer, *bookmark, *questions, *follow, *metadata;
    int64_t max_words;
    TrainDesc train;
    int label_px, width, height;
    bool stats;
} GuiOpts;

static void usage(FILE *f)
{
    fprintf(f, "usage: embedscope [--corpus FILE|@world | --vectors FILE [--max-words N] | --follow FILE]\n"
               "                  [--metadata FILE.tsv] [--bookmark FILE] [--questions FILE] [--script FILE|-]\n"
               "                  [--font FILE.ttf]"
               " [--label-size PX] [--size WxH] [--stats] [--renderer software|opengl|opengles2]\n"
               "       embedscope --keys    the window's keys, a blank line, its mouse and search hints\n"
               "training (as embedscope train's flags):\n");
    for (int i = 0; i < TRAIN_P_COUNT; i++) {
        const TrainParam *p = train_param((TrainParamId)i);
        char want[64];
        if (p->alias)
            fprintf(f, "  %-16s %s (%s; train %s)\n", p->alias, p->help,
                    p->kind == TRAIN_PARAM_FLAG ? "no value" : train_param_want(p, want, sizeof want),
                    p->flag);
    }
}

/* The help screen's lines without a window (the man page test reads them): key lines, then
 * after one blank line the hints. */
static void print_keys(void)
{
    char line[256];
    for (int i = 0; i < gui_help_keys(); i++)
        printf("%s\n", gui_help_key(i, line, sizeof line));
    printf("\n");
    for (int i = 0; i < gui_help_hints(); i++)
        printf("%s\n", gui_help_hint(i));
}

/* One option with a value; 0 ok, 2 usage error (printed). */
static int option(GuiOpts *o, const char *a, const char *v)
{
    long long n;
    if (!strcmp(a, "--font")) o->font = v;
    else if (!strcmp(a, "--script")) o->script = v;
    else if (!strcmp(a, "--corpus")) o->corpus = v;
    else if (!strcmp(a, "--vectors")) o->vectors = v;
    else if (!strcmp(a, "--follow")) o->vectors = o->follow = v;
    else if (!strcmp(a, "--bookmark")) o->bookmark = v;
    else if (!strcmp(a, "--renderer")) o->renderer = v;
    else if (!strcmp(a, "--questions")) o->questions = v;
    else if (!strcmp(a, "--metadata") && strlen(v) >= sizeof ((GuiColorBy *)0)->meta_pending) {
        fprintf(stderr, "embedscope: --metadata: path longer than %zu bytes\n",
                sizeof ((GuiColorBy *)0)->meta_pending - 1);
        return 2;
    } else if (!strcmp(a, "--metadata")) o->metadata = v;
    else if (!strcmp(a, "--max-words")) {
        if (!args_int(a, v, 1, (long long)1 << 40, &n))
            return 2;
        o->max_words = n;
    } else if (!strcmp(a, "--label-size")) {
        if (!args_int(a, v, 6, 48, &n))
            return 2;
        o->label_px = (int)n;
    } else if (!strcmp(a, "--size")) {
        int w, h;
        char tail;
        if (sscanf(v, "%dx%d%c", &w, &h, &tail) != 2 || w < 200 || h < 150 || w > 16384 || h > 16384) {
            fprintf(stderr, "embedscope: bad value for --size: '%s' (want WxH, e.g. 1280x800)\n", v);
            return 2;
        }
        o->width = w;
        o->height = h;
    } else {
        fprintf(stderr, "embedscope: unknown option '%s'\n", a);
        usage(stderr);
        return 2;
    }
    return 0;
}

/* The window's own options that take a value (option() reads them). */
static bool takes_value(const char *a)
{
    static const char *const names[] = {"--font", "--script", "--corpus", "--vectors", "--follow",
                                        "--bookmark", "--renderer", "--questions", "--metadata",
                                        "--max-words", "--label-size", "--size"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(a, names[i]))
            return true;
    return false;
}

/* 0 ok, -1 --help, --version or --keys printed, 2 usage error (printed). */
static int parse(int argc, char **argv, GuiOpts *o)
{
    memset(o, 0, sizeof *o);
    o->corpus = "@world";
    o->width = 1280;
    o->height = 800;
    o->label_px = 0; /* 0: the remembered size, else 12 */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const TrainParam *p = train_param_by_alias(a);
        Err e = {{0}};
        if (!strcmp(a, "gui"))
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return -1;
        }
        if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("embedscope %s\n", EMBEDSCOPE_VERSION);
            return -1;
        }
        if (!strcmp(a, "--keys")) {
            print_keys();
            return -1;
        }
        if (!strcmp(a, "--stats")) {
            o->stats = true;
            continue;
        }
        if (p && p->kind == TRAIN_PARAM_FLAG) { /* a window flag takes no value: it means 1 */
            train_param_parse(p, a, "1", &o->train, &e);
            continue;
        }
        if (!p && !takes_value(a)) {
            fprintf(stderr, "embedscope: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
        if (!v) {
            fprintf(stderr, "embedscope: %s needs a value\n", a);
            usage(stderr);
            return 2;
        }
        i++;
        if (p && !train_param_parse(p, a, v, &o->train, &e)) {
            fprintf(stderr, "embedscope: %s\n", e.msg);
            return 2;
        }
        int rc = p ? 0 : option(o, a, v);
        if (rc)
            return rc;
    }
    if (o->vectors && strcmp(o->corpus, "@world")) {
        fprintf(stderr, "embedscope: give --corpus or --vectors, not both\n");
        return 2;
    }
    return 0;
}

/* The system clipboard, lent to the text fields (app/ui has no SDL). */
static size_t clip_get(void *ctx, char *buf, size_t cap)
{
    (void)ctx;
    char *s = SDL_HasClipboardText() ? SDL_GetClipboardText() : NULL;
    size_t n = s ? strlen(s) : 0;
    n = n < cap - 1 ? n : cap - 1;
    if (s)
        memcpy(buf, s, n);
    buf[n] = 0;
    SDL_free(s);
    return n;
}

static void clip_set(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    char buf[4096];
    len = len < sizeof buf - 1 ? len : sizeof buf - 1;
    memcpy(buf, text, len);
    buf[len] = 0;
    SDL_SetClipboardText(buf);
}

static int text_width(void *ctx, int font, const char *s, size_t len)
{
    GuiApp *g = ctx;
    return font_width(font ? &g->win.label_font : &g->win.ui_font, s, len);
}

/* An error before anything can be shown (a corpus that cannot be read...): the message stays
 * in the window (and on stderr) until the user closes it. */
static void show_fatal(GuiApp *g, const char *msg)
{
    for (;;) {
        Canvas *c = win_begin(&g->win);
        draw_clear(g->overlay);
        const Font *f = &g->win.ui_font;
        const char *hint = "close the window or press Esc";
        float y = (float)c->h / 2 - (float)f->height;
        draw_text(g->overlay, 0, ((float)c->w - (float)font_width(f, msg, strlen(msg))) / 2, y, msg,
                  strlen(msg), DRAW_RGB(240, 120, 100));
        draw_text(g->overlay, 0, ((float)c->w - (float)font_width(f, hint, strlen(hint))) / 2,
                  y + (float)f->height * 1.5f, hint, strlen(hint), DRAW_RGB(140, 148, 160));
        canvas_clear(c, GUI_BG);
        canvas_play(c, g->overlay);
        win_present(&g->win);
        SDL_Event ev;
        if (!SDL_WaitEvent(&ev) || ev.type == SDL_QUIT ||
            (ev.type == SDL_KEYDOWN && ev.key.keysym.sym == SDLK_ESCAPE))
            return;
    }
}

int gui_main(int argc, char **argv)
{
    GuiOpts o;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc; /* -1: --help or --version printed */
    GuiApp *g = calloc(1, sizeof *g);
    DrawList *dl = malloc(2 * sizeof *dl);
    if (!g || !dl) {
        fprintf(stderr, "embedscope: out of memory\n");
        free(g);
        free(dl);
        return 1;
    }
    g->scene = &dl[0];
    g->overlay = &dl[1];
    g->sel.hover = g->sel.selected = -1;
    g->space.hover_cluster = -1;
    g->sel.k = 10;
    g->sel.min_cos = -2.f; /* no cutoff */
    gui_prefs_load(g);
    /* --label-size wins for this run; the remembered size otherwise */
    g->label_px = o.label_px ? o.label_px : g->prefs.s.label_px ? g->prefs.s.label_px : 12;
    Err e = {{0}};
    rc = 1;
    if (o.script && !(g->script = gui_script_load(o.script, &e)))
        goto done;
    const char *first = o.vectors ? o.vectors : o.corpus;
    char title[1100];
    snprintf(title, sizeof title, "embedscope - %s", first);
    WinDesc wd = {.title = title, .width = o.width, .height = o.height, .font_path = o.font,
                  .ui_px = 14, .label_px = g->label_px,
                  .renderer = o.renderer && strcmp(o.renderer, "software") ? o.renderer : NULL};
    if (!win_create(&g->win, &wd, &e))
        goto done;
    g->wake_event = SDL_RegisterEvents(1);
    ui_init(&g->ui, g->overlay, text_width, g, g->win.ui_font.height);
    g->ui.clip = (UiClipboard){.get = clip_get, .set = clip_set, .ctx = g};
    gui_views_init(g);
    g->views.hint = !g->prefs.s.hint_seen;
    g->data.questions = o.questions;
    cam_init(&g->cam, g->win.tex_w ? g->win.tex_w : o.width, g->win.tex_h ? g->win.tex_h : o.height);
    g->data.open_desc.train = o.train;
    g->data.open_desc.max_words = o.max_words;
    if (o.metadata) /* colours the first data once it is shown (data/metadata.h) */
        snprintf(g->space.color.meta_pending, sizeof g->space.color.meta_pending, "%s", o.metadata);
    /* a bookmark opens its own data unless the command line named some */
    bool named = o.vectors || strcmp(o.corpus, "@world");
    if (o.bookmark && !gui_bookmark_load(g, o.bookmark, !named, &e))
        goto done;
    /* the first data set opens like any later one: in the background, with progress */
    if (!g->data.opening && !gui_open(g, first, o.vectors ? SESSION_VECTORS : SESSION_CORPUS)) {
        if (!g->script)
            show_fatal(g, g->status.text);
        snprintf(e.msg, sizeof e.msg, "%s", g->status.text);
        goto done;
    }
    if (o.follow)
        gui_follow_start(g, o.follow);
    g->perf.print = o.stats;
    rc = gui_run(g);
    if (g->data.opening)
        gui_cancel_open(g);
    /* the first open failed and nothing else was opened: say so in the exit code */
    if (!rc && !g->data.trainer && !g->data.table && g->data.open_error[0]) {
        fprintf(stderr, "embedscope: %s\n", g->data.open_error);
        rc = 1;
    }
    if (g->perf.print)
        gui_print_stats(g);
done:
    if (rc && e.msg[0])
        fprintf(stderr, "embedscope: %s\n", e.msg);
    gui_data_free(g);
    free(g->match.mask);
    gui_proj_free(g);
    free(g->pending_bookmark);
    gui_space_free(g);
    layercache_deinit(&g->space.layer);
    gui_views_deinit(g);
    gui_opendlg_free(g);
    gui_script_destroy(g->script);
    if (g->win.window)
        win_destroy(&g->win);
    free(dl);
    free(g);
    return rc;
}