/* Script verbs that wait: for words trained, snapshots shown, frames, time, a layout or an
 * open to finish, each with a timeout that fails the script; the layout verbs beside
 * wait_layout (print_layout, set_layout); and frame times since a mark for the benchmarks.
 * UI thread. */
#include "app/gui/script/waits.h"
#include "app/gui/data/proj.h"
#include "model/base/clock.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run_wait_words(GuiApp *g, GuiScript *s, const char *a)
{
    double want, timeout = script_wait_args(a, &want);
    TrainProgress p = gui_progress(g);
    bool done = (double)p.words_done >= want || p.finished || (g->data.table && !g->data.opening);
    int r = script_until(s, done, timeout);
    if (r == SCRIPT_FAIL)
        return script_fail(s, "timed out after %.0f s (%llu words, snapshot %llu)", timeout,
                           (unsigned long long)p.words_done, (unsigned long long)g->data.snap_seq);
    return r;
}

static int run_wait_snapshots(GuiApp *g, GuiScript *s, const char *a)
{
    double want, timeout = script_wait_args(a, &want);
    int r = script_until(s, (double)g->data.snap_seq >= want, timeout);
    if (r == SCRIPT_FAIL)
        return script_fail(s, "timed out after %.0f s (%llu words, snapshot %llu)", timeout,
                           (unsigned long long)gui_progress(g).words_done,
                           (unsigned long long)g->data.snap_seq);
    return r;
}

static int run_wait_frames(GuiApp *g, GuiScript *s, const char *a)
{
    (void)g;
    double v[1];
    int n;
    script_numbers(a, v, 1, 1, &n);
    s->wait_frames = (int)v[0];
    return SCRIPT_WAIT;
}

static int run_wait_ms(GuiApp *g, GuiScript *s, const char *a)
{
    (void)g;
    double v[1];
    int n;
    script_numbers(a, v, 1, 1, &n);
    if (script_waited(s, v[0] / 1e3)) {
        script_wait_done(s);
        return SCRIPT_NEXT;
    }
    return SCRIPT_WAIT;
}

/* Until the status line holds the text (something another program does, as a followed file
 * being replaced); 120 s at most. */
static int run_wait_status(GuiApp *g, GuiScript *s, const char *a)
{
    int r = script_until(s, strstr(g->status.text, a) != NULL, 120);
    return r == SCRIPT_FAIL ? script_fail(s, "status is still '%s' after 120 s", g->status.text) : r;
}

/* "[N [TIMEOUT_S]]": until the frame on screen carries the neighbour layout chosen (UMAP or
 * t-SNE with the dimensions and parameters last asked for), the N-th of the session when N is given (default: any),
 * and the points have finished moving to it; 300 s at most by default. */
static int run_wait_layout(GuiApp *g, GuiScript *s, const char *a)
{
    double v[2] = {1, 300};
    int n = 0;
    if (a[0])
        script_numbers(a, v, 1, 2, &n);
    const LiveSnapshot *f = g->data.snap;
    bool have = gui_proj_layout_shown(g, f) && (double)f->layout_builds >= v[0] && !g->points.animating;
    int r = script_until(s, have, n == 2 ? v[1] : 300);
    return r == SCRIPT_FAIL ? script_fail(s, "no layout %.0f after %.0f s", v[0], n == 2 ? v[1] : 300) : r;
}

/* One line on stdout about the layout on screen, for bench/live_layout.sh. */
static int run_print_layout(GuiApp *g, GuiScript *s, const char *a)
{
    (void)s, (void)a;
    const LiveSnapshot *f = g->data.snap;
    if (f && f->layout_kind != LIVELAY_NONE)
        printf("layout %llu kind %s dims %d warm %d ms %.0f graph_ms %.0f epochs %d moved %.5f "
               "build_ms %.0f request %llu asked_epochs %d words %llu epoch %.3f t %.2f\n",
               (unsigned long long)f->layout_builds, f->layout_kind == LIVELAY_TSNE ? "tsne" : "umap",
               f->layout_dims, f->layout_warm, f->layout_ms, f->layout_graph_ms, f->layout_epochs, f->layout_moved, f->build_ms,
               (unsigned long long)f->layout_request, g->proj.layout.epochs,
               (unsigned long long)f->prog.words_done,
               f->prog.words_total ? (double)f->prog.words_done / (double)f->prog.words_total * f->prog.epochs : 0.0,
               clock_ms() / 1e3);
    else
        printf("layout none\n");
    fflush(stdout);
    return SCRIPT_NEXT;
}

/* "umap|tsne [2|3 [EPOCHS]]": that layout shown, in 2D (default) or 3D, with EPOCHS from
 * scratch (default: the panel's), the other parameters kept. */
static bool check_set_layout(const char *a, char *why, size_t cap)
{
    char kind[8] = "";
    int dims = 2, epochs = 0, n = sscanf(a, "%7s %d %d", kind, &dims, &epochs);
    if (n < 1 || (strcmp(kind, "umap") && strcmp(kind, "tsne")) || (dims != 2 && dims != 3) || epochs < 0 ||
        epochs > 10000) {
        snprintf(why, cap, "want 'umap' or 'tsne', then 2 or 3, then epochs 0..10000");
        return false;
    }
    return true;
}

static int run_set_layout(GuiApp *g, GuiScript *s, const char *a)
{
    char kind[8] = "";
    int dims = 2, epochs = -1;
    sscanf(a, "%7s %d %d", kind, &dims, &epochs);
    LiveLayoutDesc d = g->proj.layout;
    d.dims = dims;
    if (epochs >= 0)
        d.epochs = epochs;
    Err e = {{0}};
    g->proj.kind = strcmp(kind, "tsne") ? GUI_PROJ_UMAP : GUI_PROJ_TSNE;
    if (!gui_proj_set_layout(g, &d, &e))
        return script_fail(s, "%s", e.msg);
    return SCRIPT_NEXT;
}

/* Done when nothing is opening and the data on screen (if any) has its first frame. */
static int run_wait_open(GuiApp *g, GuiScript *s, const char *a)
{
    double v[1];
    int n;
    double timeout = script_numbers(a, v, 1, 1, &n) ? v[0] : 300;
    int r = script_until(s, !g->data.opening && (!g->data.live || g->data.snap_seq > 0), timeout);
    return r == SCRIPT_FAIL ? script_fail(s, "still opening after %.0f s", timeout) : r;
}

static int run_frames_mark(GuiApp *g, GuiScript *s, const char *a)
{
    (void)a;
    s->frames_mark = g->perf.frames_drawn;
    return SCRIPT_NEXT;
}

static int cmp_ms(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Frame-time percentiles (wall, then UI-thread CPU) of the frames drawn since frames_mark (at
 * most the ring's), for bench/frames.sh: a wait's frames (a layout being made) stay out. */
static int run_print_frames(GuiApp *g, GuiScript *s, const char *a)
{
    (void)a;
    static double v[GUI_FRAME_RING];
    uint64_t n = g->perf.frames_drawn - s->frames_mark;
    n = n < GUI_FRAME_RING ? n : GUI_FRAME_RING;
    if (!n)
        return script_fail(s, "no frame drawn since frames_mark");
    for (int k = 0; k < 2; k++) {
        for (uint64_t i = 0; i < n; i++)
            v[i] = (k ? g->perf.frame_cpu_ms : g->perf.frame_ms)[(g->perf.frames_drawn - 1 - i) % GUI_FRAME_RING];
        qsort(v, (size_t)n, sizeof v[0], cmp_ms);
        printf("marked frames %llu  %s  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms\n",
               (unsigned long long)n, k ? "cpu " : "wall", v[n / 2], v[n * 95 / 100],
               v[n * 99 / 100], v[n - 1]);
    }
    return SCRIPT_NEXT;
}

const ScriptVerb script_wait_verbs[] = {
    {"wait_words", SCRIPT_ARG_NUMBERS, 1, 2, 0, 1e15, NULL, run_wait_words},
    {"wait_snapshots", SCRIPT_ARG_NUMBERS, 1, 2, 0, 1e15, NULL, run_wait_snapshots},
    {"wait_frames", SCRIPT_ARG_NUMBERS, 1, 1, 0, 1e7, NULL, run_wait_frames},
    {"wait_ms", SCRIPT_ARG_NUMBERS, 1, 1, 0, 1e7, NULL, run_wait_ms},
    {"wait_open", SCRIPT_ARG_NUMBERS, 0, 1, 0, 1e15, NULL, run_wait_open},
    {"wait_status", SCRIPT_ARG_TEXT, 0, 0, 0, 0, NULL, run_wait_status},
    {"wait_layout", SCRIPT_ARG_ANY, 0, 0, 0, 0, NULL, run_wait_layout},
    {"print_layout", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_print_layout},
    {"set_layout", SCRIPT_ARG_TEXT, 0, 0, 0, 0, check_set_layout, run_set_layout},
    {"frames_mark", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_frames_mark},
    {"print_frames", SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, run_print_frames},
    {NULL, SCRIPT_ARG_NONE, 0, 0, 0, 0, NULL, NULL},
};
