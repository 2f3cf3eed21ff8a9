/* The data on screen and its threads (see session.h): a session is opened in the background
 * by model/session, installed here with a new analysis thread (model/analysis/live), and the
 * old one is freed only once the new one runs, so a failed open changes nothing. UI thread. */
#include "app/gui/data/session.h"
#include "app/gui/core/bgprio.h"
#include "app/gui/core/prefs.h"
#include "app/gui/data/metadata.h"
#include "app/gui/data/points.h"
#include "app/gui/data/proj.h"
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Threads for the per-point work: the cores the trainers leave free (measured on 2 cores with
 * 2 training threads, bench/README.md: a second UI thread there only competes with the
 * trainers, 100k points p95 17.0 ms against 14.2 ms with one), all of them for fixed vectors.
 * EMBEDSCOPE_UI_THREADS=N overrides (1: the one-thread path). */
static int ui_threads(const GuiApp *g)
{
    const char *s = getenv("EMBEDSCOPE_UI_THREADS");
    int n = s ? atoi(s) : 0;
    if (n > 0 && n <= POOL_MAX_THREADS)
        return n;
    if (!g->data.trainer)
        return 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long left = cpus - trainer_desc(g->data.trainer)->threads;
    return left < 1 ? 1 : left > POOL_MAX_THREADS ? POOL_MAX_THREADS : (int)left;
}

/* Starts the analysis of the current session. A new trainer is started only when frame 1 (its
 * random initialisation) has been shown: see gui_take_snapshot. */
static bool start_live(GuiApp *g, Err *e)
{
    GuiData *d = &g->data;
    int prio = bgprio_lower(); /* the threads started here inherit it */
    /* analogy accuracy for the curves: --questions, else the demo world's own set */
    const char *q = d->questions ? d->questions : !strcmp(d->sess.source, "@world") ? "@world" : NULL;
    d->live = live_create(&(LiveSource){.trainer = d->trainer, .table = d->table, .questions = q},
                          gui_wake, g, e);
    bgprio_restore(prio);
    d->start_pending = d->live && d->trainer;
    if (d->live && (g->proj.kind == GUI_PROJ_UMAP || g->proj.kind == GUI_PROJ_TSNE))
        gui_proj_request(g); /* the new data gets the layout shown, with the panel's settings */
    return d->live != NULL;
}

/* What belongs to the data on screen: frame, selection, queries, animation, camera. */
static void forget_view(GuiApp *g)
{
    g->data.snap = NULL;
    g->data.snap_seq = 0;
    g->points.anim_start = 0;
    g->points.animating = false;
    g->sel.nnbrs = 0;
    g->fly.flying = false;
    g->fly.follow = false;
    if (g->proj.kind == GUI_PROJ_AXES && !g->pending_quiet) /* its words belong to the old data */
        g->proj.kind = GUI_PROJ_PCA;
    if (!g->pending_quiet) /* a followed file reopened keeps the camera where it is */
        cam_reset(&g->cam);
}

static void forget_selection(GuiApp *g)
{
    g->sel.hover = g->sel.selected = g->space.last_click_word = -1;
    g->sel.nextra = g->sel.npins = g->search.ncompletions = 0;
    g->search.text[0] = g->search.error[0] = g->data.last_error[0] = 0;
    free(g->match.mask); /* a spelling query marks rows of the old vocabulary */
    uint64_t gen = g->match.generation + 1;
    memset(&g->match, 0, sizeof g->match);
    g->match.generation = gen;
}

/* Swaps in a newly opened session; on failure (e set) the current one stays as it was. */
static bool install(GuiApp *g, Session *s, Err *e)
{
    GuiData *d = &g->data, old = *d;
    d->sess = *s;
    d->trainer = s->trainer;
    d->table = s->table;
    d->live = NULL;
    if (!start_live(g, e)) {
        *d = old;
        session_free(s);
        return false;
    }
    /* from here on the new session is shown */
    live_destroy(old.live);
    session_free(&old.sess);
    pool_destroy(d->pool);
    d->generation++;
    forget_view(g);
    forget_selection(g);
    /* no pool (out of memory, no threads) is the one-thread path, not an error */
    d->pool = pool_create(ui_threads(g));
    int64_t rows = gui_vocab(g)->size;
    if (!gui_points_alloc(g, rows)) {
        live_destroy(d->live);
        d->live = NULL;
        session_free(&d->sess);
        d->trainer = NULL;
        d->table = NULL;
        return err_set(e, "out of memory for %lld points", (long long)rows);
    }
    char title[1100];
    snprintf(title, sizeof title, "embedscope - %s", d->sess.source);
    SDL_SetWindowTitle(g->win.window, title);
    return true;
}

bool gui_show_table(GuiApp *g, Embeddings *t, const char *name, Err *e)
{
    if (g->data.opening) {
        emb_deinit(t);
        free(t);
        return err_set(e, "still opening %s; wait for it or press Esc to cancel", session_open_path(g->data.opening));
    }
    Session s = {.table = t, .in_memory = true};
    snprintf(s.source, sizeof s.source, "%s", name);
    snprintf(s.summary, sizeof s.summary, "%lld vectors of dim %d", (long long)t->rows, t->dim);
    if (!install(g, &s, e)) /* s (and t) freed */
        return false;
    gui_set_status(g, false, "%s: %lld vectors of dim %d (in memory; Ctrl+O opens words again)", name,
                   (long long)t->rows, t->dim);
    gui_metadata_installed(g);
    return true;
}

bool gui_open(GuiApp *g, const char *path, SessionKind kind)
{
    GuiData *d = &g->data;
    if (d->opening) {
        gui_set_status(g, true, "still opening %s; wait for it or press Esc to cancel",
                       session_open_path(d->opening));
        return false;
    }
    /* a metadata file dropped on (or chosen for) the data shown colours it */
    if ((d->table || d->trainer) && kind == SESSION_AUTO && gui_metadata_sniff_file(path))
        return gui_metadata_load(g, path);
    SessionOpenDesc od = d->open_desc;
    od.path = path;
    od.kind = kind;
    Err e = {{0}};
    d->opening = session_open_start(&od, gui_wake, g, &e);
    if (!d->opening) {
        gui_set_status(g, true, "cannot open %s: %s", path, e.msg);
        return false;
    }
    d->open_error[0] = 0;
    gui_set_status(g, false, "opening %s...", path);
    return true;
}

/* A finished (or cancelled) open: install the result or report why not. */
static void finish_open(GuiApp *g, bool cancel)
{
    GuiData *d = &g->data;
    Session s;
    Err e = {{0}};
    SessionOpen *o = d->opening;
    d->opening = NULL;
    if (!session_open_finish(o, cancel, &s, &e)) {
        snprintf(d->open_error, sizeof d->open_error, "%s", cancel ? "cancelled" : e.msg);
        gui_set_status(g, !cancel, "%s%s", cancel ? "open cancelled" : "open failed: ",
                       cancel ? "" : e.msg);
        return;
    }
    char summary[sizeof s.summary + sizeof s.source + 16];
    const char *name = strrchr(s.source, '/');
    snprintf(summary, sizeof summary, "%s: %s", name ? name + 1 : s.source, s.summary);
    if (!install(g, &s, &e)) {
        snprintf(d->open_error, sizeof d->open_error, "%s", e.msg);
        gui_set_status(g, true, "open failed: %s", e.msg);
        return;
    }
    if (!g->pending_bookmark) /* a bookmark's own data: the bookmark is the recent file */
        gui_prefs_opened(g, d->sess.source);
    gui_set_status(g, false, "%s", summary);
    gui_prefs_shown(g);
    gui_metadata_installed(g);
}

void gui_open_poll(GuiApp *g)
{
    if (g->data.opening && session_open_progress(g->data.opening).done)
        finish_open(g, false);
}

void gui_cancel_open(GuiApp *g)
{
    if (g->data.opening)
        finish_open(g, true);
}

/* Restart: a fresh random initialisation over the same vocabulary and settings (the
 * selection and pinned analogies stay: row indices do not change). */
bool gui_restart_training(GuiApp *g, Err *e)
{
    GuiData *d = &g->data;
    if (!d->trainer)
        return err_set(e, "nothing is training: these vectors were loaded from a file");
    TrainDesc td = *trainer_desc(d->trainer);
    Vocab v;
    vocab_init(&v);
    if (!vocab_copy(&v, trainer_vocab(d->trainer), e))
        return false;
    live_destroy(d->live);
    d->live = NULL;
    forget_view(g);
    trainer_destroy(d->trainer);
    d->trainer = d->sess.trainer = NULL;
    td.seed = td.seed * 6364136223846793005ULL + 1442695040888963407ULL; /* a new init */
    d->trainer = d->sess.trainer = trainer_create(&td, d->sess.corpus, &v, e);
    vocab_deinit(&v);
    return d->trainer && start_live(g, e);
}

bool gui_take_snapshot(GuiApp *g)
{
    GuiData *d = &g->data;
    const LiveSnapshot *f = d->live ? live_acquire(d->live) : NULL;
    bool fresh = f && f->seq != d->snap_seq;
    if (fresh) {
        d->snap = f;
        d->snap_seq = f->seq;
    }
    if (d->start_pending && d->snap) {
        /* frame 1 holds the random initialisation; training starts now */
        d->start_pending = false;
        Err e = {{0}};
        int prio = bgprio_lower(); /* the threads started here inherit it */
        if (!trainer_start(d->trainer, &e))
            gui_set_status(g, true, "cannot start training: %s", e.msg);
        bgprio_restore(prio);
    }
    return fresh;
}

void gui_poll_errors(GuiApp *g)
{
    GuiData *d = &g->data;
    Err e = {{0}};
    char msg[sizeof g->data.last_error] = "";
    if (d->trainer && trainer_error(d->trainer, &e))
        snprintf(msg, sizeof msg, "training stopped: %s", e.msg);
    else if (d->live)
        live_error(d->live, msg, sizeof msg);
    if (msg[0] && strcmp(msg, d->last_error)) {
        snprintf(d->last_error, sizeof d->last_error, "%s", msg);
        gui_set_status(g, true, "%s", msg);
    }
}

void gui_data_free(GuiApp *g)
{
    GuiData *d = &g->data;
    if (d->opening)
        finish_open(g, true);
    live_destroy(d->live);
    d->live = NULL;
    session_free(&d->sess);
    d->trainer = NULL;
    d->table = NULL;
    gui_points_free(g);
    gui_metadata_free(g);
    pool_destroy(d->pool);
    d->pool = NULL;
}
