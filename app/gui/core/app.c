/* The helpers every layer of the window needs: the status line, the vocabulary and words on
 * screen, the trainer's progress, cluster colours and waking the loop (see app.h). UI thread,
 * except gui_wake (any thread). */
#include "app/gui/core/app.h"
#include <SDL.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void gui_set_status(GuiApp *g, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->status.text, sizeof g->status.text, fmt, ap);
    va_end(ap);
    g->status.error = error;
}

const Vocab *gui_vocab(const GuiApp *g)
{
    static const Vocab empty; /* size 0: nothing is open yet */
    const GuiData *d = &g->data;
    return d->trainer ? trainer_vocab(d->trainer) : d->table ? &d->table->vocab : &empty;
}

const char *gui_word(const GuiApp *g, int64_t i)
{
    const Vocab *v = gui_vocab(g);
    return i >= 0 && i < v->size ? vocab_word(v, i) : "?";
}

int64_t gui_find(const GuiApp *g, const char *word)
{
    return vocab_find(gui_vocab(g), word, strlen(word));
}

TrainProgress gui_progress(const GuiApp *g)
{
    TrainProgress p;
    if (g->data.trainer)
        return trainer_progress(g->data.trainer);
    memset(&p, 0, sizeof p);
    return p;
}

/* Okabe & Ito's colour-blind-safe palette, with black swapped for a light grey (dark background). */
static const uint32_t palette[LIVE_MAX_CLUSTERS] = {
    DRAW_RGB(230, 159, 0), DRAW_RGB(86, 180, 233), DRAW_RGB(0, 158, 115), DRAW_RGB(240, 228, 66),
    DRAW_RGB(0, 114, 178), DRAW_RGB(213, 94, 0), DRAW_RGB(204, 121, 167), DRAW_RGB(190, 190, 190),
};

uint32_t gui_cluster_color(int c) { return palette[(c < 0 ? 0 : c) % LIVE_MAX_CLUSTERS]; }

const uint32_t *gui_palette(int *n)
{
    *n = LIVE_MAX_CLUSTERS;
    return palette;
}

/* SDL_PushEvent is thread-safe: the analysis and loader threads call this. */
void gui_wake(void *ctx)
{
    const GuiApp *g = ctx;
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = g->wake_event;
    SDL_PushEvent(&ev);
}
