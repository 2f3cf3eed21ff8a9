/* The explorer window's entry point and event loop: parses options, starts training on the
 * demo world (or --corpus) in background threads, and draws frames only when something
 * changed, blocking in SDL_WaitEventTimeout otherwise. Main thread. */
#include "app/args.h"
#include "app/gui/gui.h"
#include "app/gui/app.h"
#include <SDL.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#define GUI_IDLE_MS 100 /* status refresh while training with nothing else going on */
#define GUI_FRAME_MS (1000.0 / 60) /* frame-rate cap while animating or scripted */

static Uint32 wake_event = (Uint32)-1;

double gui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void gui_set_status(GuiApp *g, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->status, sizeof g->status, fmt, ap);
    va_end(ap);
    g->status_error = error;
}

/* Live thread: wakes the UI. SDL_PushEvent is thread-safe. */
static void on_publish(void *ctx)
{
    (void)ctx;
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = wake_event;
    SDL_PushEvent(&ev);
}

typedef struct GuiOpts {
    const char *font, *script, *corpus, *vectors, *renderer, *bookmark, *questions;
    int64_t max_words;
    TrainDesc train;
    int label_px, width, height;
    bool stats;
} GuiOpts;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: embedscope [--corpus FILE|@world | --vectors FILE [--max-words N]]\n"
            "                  [--bookmark FILE] [--questions FILE] [--script FILE|-] [--font FILE.ttf]\n"
            "                  [--dim N] [--threads N] [--epochs N] [--min-count N] [--seed N]\n"
            "                  [--model sg|cbow] [--label-size PX] [--size WxH] [--stats]\n                  [--deterministic] [--renderer software|opengl|opengles2]\n");
}

static int parse(int argc, char **argv, GuiOpts *o)
{
    memset(o, 0, sizeof *o);
    o->corpus = "@world";
    o->width = 1280;
    o->height = 800;
    o->label_px = 12;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long long n;
        if (!strcmp(a, "gui"))
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return -1;
        }
        if (!strcmp(a, "--stats")) {
            o->stats = true;
            continue;
        }
        if (!strcmp(a, "--deterministic")) {
            o->train.deterministic = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "embedscope: %s needs a value\n", a);
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--font")) o->font = v;
        else if (!strcmp(a, "--script")) o->script = v;
        else if (!strcmp(a, "--corpus")) o->corpus = v;
        else if (!strcmp(a, "--vectors")) o->vectors = v;
        else if (!strcmp(a, "--bookmark")) o->bookmark = v;
        else if (!strcmp(a, "--max-words")) { if (!args_int(a, v, 1, (long long)1 << 40, &n)) return 2; o->max_words = n; }
        else if (!strcmp(a, "--renderer")) o->renderer = v;
        else if (!strcmp(a, "--questions")) o->questions = v;
        else if (!strcmp(a, "--model")) {
            if (!strcmp(v, "sg") || !strcmp(v, "skipgram")) o->train.model = TRAIN_SKIPGRAM;
            else if (!strcmp(v, "cbow")) o->train.model = TRAIN_CBOW;
            else {
                fprintf(stderr, "embedscope: bad value for --model: '%s' (want sg or cbow)\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--size")) {
            int w, h;
            char tail;
            if (sscanf(v, "%dx%d%c", &w, &h, &tail) != 2 || w < 200 || h < 150 || w > 16384 || h > 16384) {
                fprintf(stderr, "embedscope: bad value for --size: '%s' (want WxH, e.g. 1280x800)\n", v);
                return 2;
            }
            o->width = w;
            o->height = h;
        } else if (!strcmp(a, "--dim")) { if (!args_int(a, v, 2, EMB_MAX_DIM, &n)) return 2; o->train.dim = (int)n; }
        else if (!strcmp(a, "--threads")) { if (!args_int(a, v, 1, 256, &n)) return 2; o->train.threads = (int)n; }
        else if (!strcmp(a, "--epochs")) { if (!args_int(a, v, 1, 10000, &n)) return 2; o->train.iter = (int)n; }
        else if (!strcmp(a, "--min-count")) { if (!args_int(a, v, 1, 1000000000, &n)) return 2; o->train.min_count = (int)n; }
        else if (!strcmp(a, "--seed")) { if (!args_int(a, v, 1, (long long)1 << 62, &n)) return 2; o->train.seed = (uint64_t)n; }
        else if (!strcmp(a, "--label-size")) { if (!args_int(a, v, 6, 48, &n)) return 2; o->label_px = (int)n; }
        else {
            fprintf(stderr, "embedscope: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (o->vectors && strcmp(o->corpus, "@world")) {
        fprintf(stderr, "embedscope: give --corpus or --vectors, not both\n");
        return 2;
    }
    return 0;
}

/* Background threads are created while the UI thread runs 5 nice levels lower, so they
 * inherit that and the UI (mostly asleep) wins the CPU when it has a frame to draw; on Linux
 * nice is per thread. Getting the UI's level back needs CAP_SYS_NICE; without it every
 * thread simply stays at the same level. */
static int lower_priority(void)
{
#ifdef __linux__
    pid_t tid = (pid_t)syscall(SYS_gettid);
    errno = 0;
    int old = getpriority(PRIO_PROCESS, (id_t)tid);
    if (errno == 0 && setpriority(PRIO_PROCESS, (id_t)tid, old + 5) == 0)
        return old;
#endif
    return 100;
}

static void restore_priority(int old)
{
#ifdef __linux__
    if (old != 100)
        (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), old);
#else
    (void)old;
#endif
}

const Vocab *gui_vocab(const GuiApp *g)
{
    static const Vocab empty; /* size 0: nothing is open yet */
    return g->trainer ? trainer_vocab(g->trainer) : g->table ? &g->table->vocab : &empty;
}

TrainProgress gui_progress(const GuiApp *g)
{
    TrainProgress p;
    if (g->trainer)
        return trainer_progress(g->trainer);
    memset(&p, 0, sizeof p);
    return p;
}

/* Starts the analysis of the current session. A new trainer is started only when frame 1 (its
 * random initialisation) has been shown: see start_pending in draw_frame_now. */
static bool start_analysis(GuiApp *g, Err *e)
{
    int prio = lower_priority();
    /* analogy accuracy for the curves: --questions, else the demo world's own set */
    const char *q = g->questions ? g->questions : !strcmp(g->sess.source, "@world") ? "@world" : NULL;
    g->analysis = live_create(&(LiveSource){.trainer = g->trainer, .table = g->table,
                                                    .questions = q},
                                  on_publish, g, e);
    restore_priority(prio);
    g->start_pending = g->analysis && g->trainer;
    return g->analysis != NULL;
}

/* What belongs to the data on screen: frame, selection, queries, animation, camera. */
static void forget_view(GuiApp *g)
{
    g->frame = NULL;
    g->frame_seq = 0;
    g->anim_start = 0;
    g->animating = false;
    g->nnbrs = 0;
    g->flying = false;
    g->follow = false;
    cam_reset(&g->cam);
}

/* Swaps in a newly opened session; on failure (e set) the current one stays as it was. */
static bool install(GuiApp *g, Session *s, Err *e)
{
    Session old = g->sess;
    Live *old_analysis = g->analysis;
    Trainer *old_trainer = g->trainer;
    Embeddings *old_table = g->table;
    g->sess = *s;
    g->trainer = s->trainer;
    g->table = s->table;
    int64_t rows = gui_vocab(g)->size;
    g->analysis = NULL;
    if (!start_analysis(g, e)) {
        g->sess = old;
        g->trainer = old_trainer;
        g->table = old_table;
        g->analysis = old_analysis;
        session_free(s);
        return false;
    }
    /* from here on the new session is shown */
    live_destroy(old_analysis);
    session_free(&old);
    gui_scene_free(g);
    forget_view(g);
    g->hover = g->selected = g->last_click_word = -1;
    g->nextra = g->npins = g->ncompletions = 0;
    g->search[0] = g->search_error[0] = g->last_error[0] = 0;
    memset(&g->scene_key, 0, sizeof g->scene_key);
    if (!gui_scene_alloc(g, rows)) {
        live_destroy(g->analysis);
        g->analysis = NULL;
        session_free(&g->sess);
        g->trainer = NULL;
        g->table = NULL;
        g->rows = 0;
        return err_set(e, "out of memory for %lld points", (long long)rows);
    }
    char title[1100];
    snprintf(title, sizeof title, "embedscope - %s", g->sess.source);
    SDL_SetWindowTitle(g->win.window, title);
    return true;
}

bool gui_open(GuiApp *g, const char *path, SessionKind kind)
{
    if (g->opening) {
        gui_set_status(g, true, "still opening %s; wait for it or press Esc to cancel",
                       session_open_path(g->opening));
        return false;
    }
    SessionOpenDesc d = g->open_desc;
    d.path = path;
    d.kind = kind;
    Err e = {{0}};
    g->opening = session_open_start(&d, on_publish, g, &e);
    if (!g->opening) {
        gui_set_status(g, true, "cannot open %s: %s", path, e.msg);
        return false;
    }
    g->open_error[0] = 0;
    gui_set_status(g, false, "opening %s...", path);
    return true;
}

/* A finished (or cancelled) open: install the result or report why not. */
static void finish_open(GuiApp *g, bool cancel)
{
    Session s;
    Err e = {{0}};
    SessionOpen *o = g->opening;
    g->opening = NULL;
    if (!session_open_finish(o, cancel, &s, &e)) {
        snprintf(g->open_error, sizeof g->open_error, "%s", cancel ? "cancelled" : e.msg);
        gui_set_status(g, !cancel, "%s%s", cancel ? "open cancelled" : "open failed: ",
                       cancel ? "" : e.msg);
        return;
    }
    char summary[sizeof s.summary + sizeof s.source + 16];
    const char *name = strrchr(s.source, '/');
    snprintf(summary, sizeof summary, "%s: %s", name ? name + 1 : s.source, s.summary);
    if (!install(g, &s, &e)) {
        snprintf(g->open_error, sizeof g->open_error, "%s", e.msg);
        gui_set_status(g, true, "open failed: %s", e.msg);
        return;
    }
    gui_set_status(g, false, "%s", summary);
}

void gui_cancel_open(GuiApp *g)
{
    if (g->opening)
        finish_open(g, true);
}

/* Restart: a fresh random initialisation over the same vocabulary and settings (the
 * selection and pinned analogies stay: row indices do not change). */
bool gui_restart_training(GuiApp *g, Err *e)
{
    if (!g->trainer)
        return err_set(e, "nothing is training: these vectors were loaded from a file");
    TrainDesc d = *trainer_desc(g->trainer);
    Vocab v;
    vocab_init(&v);
    if (!vocab_copy(&v, trainer_vocab(g->trainer), e))
        return false;
    live_destroy(g->analysis);
    g->analysis = NULL;
    forget_view(g);
    trainer_destroy(g->trainer);
    g->trainer = g->sess.trainer = NULL;
    d.seed = d.seed * 6364136223846793005ULL + 1442695040888963407ULL; /* a new init */
    g->trainer = g->sess.trainer = trainer_create(&d, g->sess.corpus, &v, e);
    vocab_deinit(&v);
    return g->trainer && start_analysis(g, e);
}

static int text_width(void *ctx, int font, const char *s, size_t len)
{
    GuiApp *g = ctx;
    return font_width(font ? &g->win.label_font : &g->win.ui_font, s, len);
}

static void push_key(GuiApp *g, UiKey k)
{
    if (g->in.nkeys < UI_MAX_KEYS)
        g->in.keys[g->in.nkeys++] = k;
}

static void on_key(GuiApp *g, const SDL_KeyboardEvent *k)
{
    static const struct { SDL_Keycode sym; UiKey key; } map[] = {
        {SDLK_BACKSPACE, UI_KEY_BACKSPACE}, {SDLK_DELETE, UI_KEY_DELETE}, {SDLK_LEFT, UI_KEY_LEFT},
        {SDLK_RIGHT, UI_KEY_RIGHT}, {SDLK_HOME, UI_KEY_HOME}, {SDLK_END, UI_KEY_END},
        {SDLK_RETURN, UI_KEY_ENTER}, {SDLK_KP_ENTER, UI_KEY_ENTER}, {SDLK_TAB, UI_KEY_TAB},
        {SDLK_ESCAPE, UI_KEY_ESCAPE}, {SDLK_UP, UI_KEY_UP}, {SDLK_DOWN, UI_KEY_DOWN},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].sym == k->keysym.sym)
            push_key(g, map[i].key);
    if (k->keysym.sym >= 32 && k->keysym.sym < 127)
        gui_shortcut(g, (char)k->keysym.sym);
}

/* Translates one SDL event into g->in; returns true when it may change what is on screen. */
static bool on_event(GuiApp *g, const SDL_Event *ev)
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
        if (down)
            g->in.pressed[b] = true;
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
    default: return ev->type == wake_event;
    }
}

/* Clears the one-frame parts of the input after a frame used them. */
static void input_consumed(GuiApp *g)
{
    for (int b = 0; b < 3; b++)
        g->in.pressed[b] = g->in.released[b] = false;
    g->in.wheel = 0;
    g->in.text_len = 0;
    g->in.text[0] = 0;
    g->in.nkeys = 0;
    g->nshortcuts = 0;
}

static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Errors of the background threads go to the status line (once each). */
static void poll_errors(GuiApp *g)
{
    Err e = {{0}};
    char msg[256] = "";
    if (g->trainer && trainer_error(g->trainer, &e))
        snprintf(msg, sizeof msg, "training stopped: %s", e.msg);
    else if (g->analysis)
        live_error(g->analysis, msg, sizeof msg);
    if (msg[0] && strcmp(msg, g->last_error)) {
        snprintf(g->last_error, sizeof g->last_error, "%s", msg);
        gui_set_status(g, true, "%s", msg);
    }
}

/* The scene layer: drawn again only when something it shows changed (moving points or
 * camera, selection, snapshot, panels' rectangles...); otherwise the last one is copied, so
 * typing or a progress refresh does not re-splat a big cloud. */
static void draw_scene_layer(GuiApp *g, Canvas *c, bool moving)
{
    GuiSceneKey k;
    gui_scene_key(g, &k);
    size_t bytes = (size_t)c->w * (size_t)c->h * sizeof(uint32_t);
    bool valid = g->scene_cache && g->scene_w == c->w && g->scene_h == c->h && c->pitch == c->w;
    if (!moving && valid && !memcmp(&k, &g->scene_key, sizeof k)) {
        memcpy(c->px, g->scene_cache, bytes);
        return;
    }
    if (g->views.view != GUI_VIEW_SPACE) { /* another view covers it: nothing to project */
        canvas_clear(c, GUI_BG);
        return;
    }
    gui_scene_project(g);
    gui_scene_draw(g);
    canvas_clear(c, GUI_BG);
    canvas_play(c, g->scene);
    if (!valid) {
        free(g->scene_cache);
        g->scene_cache = c->pitch == c->w ? malloc(bytes) : NULL;
        g->scene_w = c->w;
        g->scene_h = c->h;
    }
    if (g->scene_cache) {
        memcpy(g->scene_cache, c->px, bytes);
        /* the key after drawing: choose_labels may not change it, but hover can */
        gui_scene_key(g, &g->scene_key);
    }
}

static void draw_frame_now(GuiApp *g)
{
    double t0 = gui_now_ms(), c0 = thread_cpu_ms();
    g->last_frame_ms = t0;
    if (g->opening && session_open_progress(g->opening).done)
        finish_open(g, false);
    const LiveFrame *f = g->analysis ? live_acquire(g->analysis) : NULL;
    if (f && f->seq != g->frame_seq) {
        g->frame = f;
        g->frame_seq = f->seq;
        gui_scene_new_frame(g);
        gui_views_new_frame(g);
    }
    gui_bookmark_poll(g);
    if (g->start_pending && g->frame) {
        /* frame 1 holds the random initialisation; training starts now */
        g->start_pending = false;
        Err e = {{0}};
        int prio = lower_priority();
        if (!trainer_start(g->trainer, &e))
            gui_set_status(g, true, "cannot start training: %s", e.msg);
        restore_priority(prio);
    }
    poll_errors(g);
    Canvas *c = win_begin(&g->win);
    cam_viewport(&g->cam, c->w, c->h);
    draw_clear(g->scene);
    draw_clear(g->overlay);
    g->in.text[g->in.text_len] = 0;
    ui_begin(&g->ui, &g->in);
    gui_panels(g);
    if (g->views.view == GUI_VIEW_SPACE)
        gui_scene_input(g);
    gui_run_shortcuts(g);
    ui_end(&g->ui);
    bool moving = g->animating || g->flying || !g->frame;
    gui_scene_animate(g);
    draw_scene_layer(g, c, moving);
    canvas_play(c, g->overlay);
    if (g->want_screenshot) {
        g->want_screenshot = false;
        char path[64];
        snprintf(path, sizeof path, "embedscope-%llu.png", (unsigned long long)g->frames_drawn);
        Err e = {{0}};
        if (win_screenshot(&g->win, path, &e))
            gui_set_status(g, false, "saved %s", path);
        else
            gui_set_status(g, true, "%s", e.msg);
    }
    win_present(&g->win);
    if (g->ui.focus) { /* IME candidate windows open at the search box */
        SDL_Rect r = {12, 12, 360, (int)((float)g->ui.line_h / g->win.scale) + 10}; /* logical px */
        SDL_SetTextInputRect(&r);
    }
    input_consumed(g);
    g->frame_ms[g->frames_drawn % 4096] = gui_now_ms() - t0;
    g->frame_cpu_ms[g->frames_drawn % 4096] = thread_cpu_ms() - c0;
    g->frames_drawn++;
}

/* Something moves on its own (points between snapshots, the camera flying, a script). */
static bool busy(GuiApp *g)
{
    return g->animating || g->flying || g->script || g->opening;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* --stats: percentiles over the last (up to 4096) frames, for bench scripts. */
static void print_stats(GuiApp *g)
{
    size_t n = g->frames_drawn < 4096 ? (size_t)g->frames_drawn : 4096;
    if (!n)
        return;
    static double v[4096];
    TrainProgress p = gui_progress(g);
    printf("trainer %llu words in %.2f s (%.0f words/s, %d threads) with the window\n",
           (unsigned long long)p.words_done, p.elapsed,
           p.elapsed > 0 ? (double)p.words_done / p.elapsed : 0.0,
           g->trainer ? trainer_desc(g->trainer)->threads : 0);
    for (int k = 0; k < 2; k++) {
        memcpy(v, k ? g->frame_cpu_ms : g->frame_ms, n * sizeof v[0]);
        qsort(v, n, sizeof v[0], cmp_double);
        printf("frames %zu  points %lld  %s  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms\n",
               n, (long long)g->rows, k ? "cpu " : "wall", v[n / 2], v[n * 95 / 100],
               v[n * 99 / 100], v[n - 1]);
    }
}

static int run(GuiApp *g)
{
    int code = 0;
    while (!g->quit) {
        SDL_Event ev;
        bool dirty = false;
        bool waiting = g->script && gui_script_waiting(g->script) && !g->animating;
        if (busy(g) && !waiting) {
            /* moving: at most one frame per display refresh; input is still read at once */
            double left = GUI_FRAME_MS - (gui_now_ms() - g->last_frame_ms);
            if (left > 0 && SDL_WaitEventTimeout(&ev, (int)left + 1))
                dirty |= on_event(g, &ev);
            while (SDL_PollEvent(&ev))
                dirty |= on_event(g, &ev);
        } else if (SDL_WaitEventTimeout(&ev, GUI_IDLE_MS)) {
            dirty |= on_event(g, &ev);
            while (SDL_PollEvent(&ev))
                dirty |= on_event(g, &ev);
        } else {
            /* timeout: refresh the progress numbers only while the trainer is moving */
            TrainProgress p = gui_progress(g);
            dirty = (p.running && !p.paused && !p.finished) || g->opening;
        }
        if (g->script) {
            if (!gui_script_step(g, g->script, &code))
                return code;
            if (gui_script_done(g->script))
                g->quit = true;
        }
        if (!dirty && !busy(g) && !g->want_restart)
            continue;
        if (g->want_restart) {
            g->want_restart = false;
            Err e = {{0}};
            if (gui_restart_training(g, &e))
                gui_set_status(g, false, "training restarted from a new random initialisation");
            else if (!g->trainer) {
                fprintf(stderr, "embedscope: restart: %s\n", e.msg);
                return 1;
            } else
                gui_set_status(g, true, "%s", e.msg);
        }
        draw_frame_now(g);
    }
    return code;
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
        return rc < 0 ? 0 : rc; /* -1: --help printed */
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
    g->hover = g->selected = -1;
    g->hover_cluster = -1;
    g->k = 10;
    g->label_px = o.label_px;
    Err e = {{0}};
    rc = 1;
    if (o.script && !(g->script = gui_script_load(o.script, &e)))
        goto done;
    const char *first = o.vectors ? o.vectors : o.corpus;
    char title[1100];
    snprintf(title, sizeof title, "embedscope - %s", first);
    WinDesc wd = {.title = title, .width = o.width, .height = o.height, .font_path = o.font,
                  .ui_px = 14, .label_px = o.label_px,
                  .renderer = o.renderer && strcmp(o.renderer, "software") ? o.renderer : NULL};
    if (!win_create(&g->win, &wd, &e))
        goto done;
    wake_event = SDL_RegisterEvents(1);
    ui_init(&g->ui, g->overlay, text_width, g, g->win.ui_font.height);
    gui_views_init(g);
    g->questions = o.questions;
    cam_init(&g->cam, g->win.tex_w ? g->win.tex_w : o.width, g->win.tex_h ? g->win.tex_h : o.height);
    g->open_desc.train = o.train;
    g->open_desc.max_words = o.max_words;
    /* a bookmark opens its own data unless the command line named some */
    bool named = o.vectors || strcmp(o.corpus, "@world");
    if (o.bookmark && !gui_bookmark_load(g, o.bookmark, !named, &e))
        goto done;
    /* the first data set opens like any later one: in the background, with progress */
    if (!g->opening && !gui_open(g, first, o.vectors ? SESSION_VECTORS : SESSION_CORPUS)) {
        if (!g->script)
            show_fatal(g, g->status);
        snprintf(e.msg, sizeof e.msg, "%s", g->status);
        goto done;
    }
    g->stats = o.stats;
    rc = run(g);
    if (g->opening)
        finish_open(g, true);
    /* the first open failed and nothing else was opened: say so in the exit code */
    if (!rc && !g->trainer && !g->table && g->open_error[0]) {
        fprintf(stderr, "embedscope: %s\n", g->open_error);
        rc = 1;
    }
    if (g->stats)
        print_stats(g);
done:
    if (rc && e.msg[0])
        fprintf(stderr, "embedscope: %s\n", e.msg);
    live_destroy(g->analysis);
    session_free(&g->sess);
    free(g->pending_bookmark);
    gui_scene_free(g);
    gui_views_deinit(g);
    gui_script_destroy(g->script);
    if (g->win.window)
        win_destroy(&g->win);
    free(dl);
    free(g);
    return rc;
}
