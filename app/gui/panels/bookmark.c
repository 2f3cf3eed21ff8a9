/* Bookmarks in the window: the view on screen (data source, camera, 2D/3D, selection, pinned
 * expressions, label size, k, training settings) saved to a small text file (model/bookmark.h)
 * and restored from one, opening its data first when it is not what is on screen. UI thread. */
#include "app/gui/panels/bookmark.h"
#include "app/gui/select/camera.h"
#include "app/gui/select/pins.h"
#include "app/gui/select/select.h"
#include "app/gui/data/session.h"
#include "app/gui/views/views.h"
#include "model/files/bookmark.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(char *dst, size_t cap, const char *src) { snprintf(dst, cap, "%s", src); }

void gui_bookmark_capture(GuiApp *g, Bookmark *b)
{
    memset(b, 0, sizeof *b);
    if (g->data.sess.source[0]) {
        put(b->source, sizeof b->source, g->data.sess.source);
        b->set |= BOOKMARK_SOURCE;
    }
    put(b->view, sizeof b->view, gui_view_name(g->views.view));
    b->two_d = g->two_d;
    for (int i = 0; i < 4; i++)
        b->rotation[i] = g->cam.rot.raw[i];
    for (int i = 0; i < 3; i++)
        b->target[i] = g->cam.target.raw[i];
    b->distance = g->cam.dist;
    b->label_size = g->label_px;
    b->k = g->sel.k;
    b->set |= BOOKMARK_VIEW | BOOKMARK_TWO_D | BOOKMARK_ROTATION | BOOKMARK_TARGET |
              BOOKMARK_DISTANCE | BOOKMARK_LABEL_SIZE | BOOKMARK_K;
    if (g->sel.selected >= 0) {
        put(b->selected, sizeof b->selected, gui_word(g, g->sel.selected));
        b->set |= BOOKMARK_SELECTED;
        for (int i = 0; i < g->sel.nextra && b->n_words < BOOKMARK_MAX_WORDS; i++)
            put(b->words[b->n_words++], sizeof b->words[0], gui_word(g, g->sel.extra[i]));
    }
    for (int i = 0; i < g->sel.npins && b->n_pins < BOOKMARK_MAX_PINS; i++)
        put(b->pins[b->n_pins++], sizeof b->pins[0], g->sel.pins[i].text);
}

bool gui_bookmark_save(GuiApp *g, const char *path, Err *e)
{
    Bookmark *b = malloc(sizeof *b);
    if (!b)
        return err_set(e, "out of memory");
    gui_bookmark_capture(g, b);
    if (g->data.trainer && !bookmark_store_train(b, trainer_desc(g->data.trainer))) {
        free(b);
        return err_set(e, "%s: the training settings in use are outside their ranges", path);
    }
    bool ok = bookmark_save(path, b, e);
    free(b);
    return ok;
}

/* Camera, projection, labels, selection and pins, on the data now on screen. Words the data
 * does not have are reported, not guessed. */
static void apply(GuiApp *g, const Bookmark *b, bool quiet)
{
    char missing[256] = "";
    size_t len = 0;
    if (b->set & BOOKMARK_VIEW)
        for (int v = 0; v < GUI_VIEW_COUNT; v++)
            if (!strcmp(b->view, gui_view_name((GuiView)v)))
                gui_set_view(g, (GuiView)v);
    if (b->set & BOOKMARK_TWO_D)
        gui_set_2d(g, b->two_d);
    if (b->set & BOOKMARK_ROTATION)
        for (int i = 0; i < 4; i++)
            g->cam.rot.raw[i] = b->rotation[i];
    if (b->set & BOOKMARK_TARGET)
        for (int i = 0; i < 3; i++)
            g->cam.target.raw[i] = b->target[i];
    if (b->set & BOOKMARK_DISTANCE)
        g->cam.dist = b->distance;
    g->fly.flying = g->fly.follow = false;
    if (b->set & BOOKMARK_K)
        g->sel.k = b->k < 5 ? 5 : b->k > GUI_MAX_K ? GUI_MAX_K : b->k;
    if ((b->set & BOOKMARK_LABEL_SIZE) && b->label_size != g->label_px) {
        int px = b->label_size < 8 ? 8 : b->label_size > 32 ? 32 : b->label_size;
        Err e = {{0}};
        if (win_set_label_px(&g->win, px, &e))
            g->label_px = px;
    }
    const Vocab *v = gui_vocab(g);
    gui_select(g, -1);
    if ((b->set & BOOKMARK_SELECTED) && b->selected[0]) {
        int64_t i = vocab_find(v, b->selected, strlen(b->selected));
        if (i >= 0)
            gui_select(g, i);
        else
            len += (size_t)snprintf(missing + len, sizeof missing - len, " %s", b->selected);
        for (int w = 0; w < b->n_words && i >= 0; w++) {
            int64_t j = vocab_find(v, b->words[w], strlen(b->words[w]));
            if (j >= 0)
                gui_select_toggle(g, j);
            else if (len < sizeof missing)
                len += (size_t)snprintf(missing + len, sizeof missing - len, " %s", b->words[w]);
        }
    }
    g->sel.npins = 0;
    for (int p = 0; p < b->n_pins; p++)
        gui_pin_expression(g, b->pins[p], false);
    if (missing[0])
        gui_set_status(g, true, "%s; not in this vocabulary:%s", quiet ? "view kept" : "bookmark restored", missing);
    else if (!quiet)
        gui_set_status(g, false, "bookmark restored");
}

bool gui_bookmark_load(GuiApp *g, const char *path, bool open_source, Err *e)
{
    Bookmark *b = malloc(sizeof *b);
    if (!b)
        return err_set(e, "out of memory");
    if (!bookmark_load(path, b, e)) {
        free(b);
        return false;
    }
    free(g->pending_bookmark);
    g->pending_bookmark = NULL;
    if (!open_source)
        b->set &= ~(uint32_t)BOOKMARK_SOURCE;
    bool same = !(b->set & BOOKMARK_SOURCE) || !strcmp(b->source, g->data.sess.source);
    if (same && g->data.snap) {
        apply(g, b, false);
        free(b);
        return true;
    }
    /* its data first: the view is applied when the first frame of it is on screen */
    g->pending_bookmark = b;
    if (!same) {
        TrainDesc keep = g->data.open_desc.train;
        bookmark_apply_train(b, &g->data.open_desc.train);
        bool ok = gui_open(g, b->source, SESSION_AUTO);
        g->data.open_desc.train = keep;
        if (!ok) {
            g->pending_bookmark = NULL;
            free(b);
            return err_set(e, "%s", g->status.text);
        }
    }
    return true;
}

void gui_bookmark_poll(GuiApp *g)
{
    if (!g->pending_bookmark || g->data.opening || !g->data.snap)
        return;
    Bookmark *b = g->pending_bookmark;
    g->pending_bookmark = NULL;
    if ((b->set & BOOKMARK_SOURCE) && strcmp(b->source, g->data.sess.source))
        gui_set_status(g, true, "bookmark not restored: %s did not open", b->source);
    else
        apply(g, b, g->pending_quiet);
    g->pending_quiet = false;
    free(b);
}

bool gui_bookmark_reopen(GuiApp *g, const char *path)
{
    Bookmark *b = malloc(sizeof *b);
    if (!b) {
        gui_set_status(g, true, "out of memory");
        return false;
    }
    gui_bookmark_capture(g, b);
    put(b->source, sizeof b->source, path);
    b->set |= BOOKMARK_SOURCE;
    if (!gui_open(g, path, SESSION_VECTORS)) {
        free(b);
        return false;
    }
    free(g->pending_bookmark);
    g->pending_bookmark = b;
    g->pending_quiet = true;
    return true;
}
