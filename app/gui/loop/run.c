/* The run loop: draws frames only when something changed, blocking in SDL_WaitEventTimeout
 * otherwise so the cores stay with the trainers; a script steps between frames. UI thread. */
#include "app/gui/loop/run.h"
#include "app/gui/data/session.h"
#include "app/gui/loop/events.h"
#include "app/gui/loop/frame.h"
#include "app/gui/panels/follow.h"
#include "app/gui/script/script.h"
#include "model/base/clock.h"
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUI_IDLE_MS 100 /* status refresh while training with nothing else going on */
#define GUI_FRAME_MS (1000.0 / 60) /* frame-rate cap while animating or scripted */

/* Something moves on its own (points between snapshots, the camera flying, a script). */
static bool busy(GuiApp *g)
{
    return g->points.animating || g->fly.flying || g->script || g->data.opening;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* --stats: percentiles over the last (up to GUI_FRAME_RING) frames, for bench scripts. */
void gui_print_stats(GuiApp *g)
{
    size_t n = g->perf.frames_drawn < GUI_FRAME_RING ? (size_t)g->perf.frames_drawn : GUI_FRAME_RING;
    if (!n)
        return;
    static double v[GUI_FRAME_RING];
    TrainProgress p = gui_progress(g);
    printf("trainer %llu words in %.2f s (%.0f words/s, %d threads) with the window\n",
           (unsigned long long)p.words_done, p.elapsed,
           p.elapsed > 0 ? (double)p.words_done / p.elapsed : 0.0,
           g->data.trainer ? trainer_desc(g->data.trainer)->threads : 0);
    for (int k = 0; k < 2; k++) {
        memcpy(v, k ? g->perf.frame_cpu_ms : g->perf.frame_ms, n * sizeof v[0]);
        qsort(v, n, sizeof v[0], cmp_double);
        printf("frames %zu  points %lld  %s  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms\n",
               n, (long long)g->points.rows, k ? "cpu " : "wall", v[n / 2], v[n * 95 / 100],
               v[n * 99 / 100], v[n - 1]);
    }
}

/* Reset: between frames, so no frame holds the old trainer's frame. False when nothing is
 * left to show. */
static bool restart(GuiApp *g)
{
    g->data.want_restart = false;
    Err e = {{0}};
    if (gui_restart_training(g, &e)) {
        gui_set_status(g, false, "training restarted from a new random initialisation");
    } else if (!g->data.trainer) {
        fprintf(stderr, "embedscope: restart: %s\n", e.msg);
        return false;
    } else {
        gui_set_status(g, true, "%s", e.msg);
    }
    return true;
}

/* Waits for what may change the screen (input, a wake-up from another thread, a timeout while
 * training moves); false when nothing did. settle: a frame just used input, so draw again at
 * once (see gui_frame). */
static bool wait_for_change(GuiApp *g, bool settle)
{
    SDL_Event ev;
    bool dirty = settle;
    bool waiting = g->script && gui_script_waiting(g->script) && !g->points.animating;
    if (settle) {
        while (SDL_PollEvent(&ev))
            dirty |= gui_on_event(g, &ev);
    } else if (busy(g) && !waiting) {
        /* moving: at most one frame per display refresh; input is still read at once */
        double left = GUI_FRAME_MS - (clock_ms() - g->perf.last_frame_ms);
        if (left > 0 && SDL_WaitEventTimeout(&ev, (int)left + 1))
            dirty |= gui_on_event(g, &ev);
        while (SDL_PollEvent(&ev))
            dirty |= gui_on_event(g, &ev);
    } else if (SDL_WaitEventTimeout(&ev, GUI_IDLE_MS)) {
        dirty |= gui_on_event(g, &ev);
        while (SDL_PollEvent(&ev))
            dirty |= gui_on_event(g, &ev);
    } else {
        /* timeout: refresh the progress numbers only while the trainer is moving */
        TrainProgress p = gui_progress(g);
        dirty = (p.running && !p.paused && !p.finished) || g->data.opening;
    }
    return dirty;
}

int gui_run(GuiApp *g)
{
    int code = 0;
    bool settle = false;
    while (!g->quit) {
        bool dirty = wait_for_change(g, settle);
        dirty |= gui_follow_poll(g);
        settle = false;
        if (g->script) {
            if (!gui_script_step(g, g->script, &code))
                return code;
            if (gui_script_done(g->script))
                g->quit = true;
        }
        if (!dirty && !busy(g) && !g->data.want_restart)
            continue;
        if (g->data.want_restart && !restart(g))
            return 1;
        settle = gui_frame(g);
    }
    return code;
}
