/* Bookmarks in the window: the view on screen (data source, camera, 2D/3D, projection and its
 * custom axes, colouring, density mode, selection, pinned expressions, label size, k, training
 * settings) saved to a small text file (model/bookmark.h)
 * and restored from one, opening its data first when it is not what is on screen. UI thread. */
#include "app/gui/panels/bookmark.h"
#include "app/gui/select/camera.h"
#include "app/gui/select/pins.h"
#include "app/gui/select/select.h"
#include "app/gui/data/proj.h"
#include "app/gui/data/session.h"
#include "app/gui/scene/colorby.h"
#include "app/gui/views/views.h"
#include "model/files/bookmark.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(char *dst, size_t cap, const char *src) { snprintf(dst, cap, "%s", src); }

/* The bookmark's names of the density modes. */
static const char *const density_names[GUI_DENSITY_COUNT] = {
    [GUI_DENSITY_AUTO] = "auto", [GUI_DENSITY_ON] = "on", [GUI_DENSITY_POINTS] = "points"};

static int density_of(const char *s)
{
    for (int i = 0; i < GUI_DENSITY_COUNT; i++)
        if (!strcmp(density_names[i], s))
            return i;
    return -1;
}

/* Appends to the status text in buf (cap bytes), cut at cap. */
static void say(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t cap, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, cap - len, fmt, ap);
    va_end(ap);
}

/* The projection, its axes, the colouring and the density mode into b. */
static void capture_look(GuiApp *g, Bookmark *b)
{
    put(b->projection, sizeof b->projection, gui_proj_kind_name(g->proj.kind));
    b->set |= BOOKMARK_PROJECTION;
    if (g->proj.kind == GUI_PROJ_AXES) {
        put(b->axis[0], sizeof b->axis[0], g->proj.axis_text[0]);
        put(b->axis[1], sizeof b->axis[1], g->proj.axis_text[1]);
        b->set |= BOOKMARK_AXIS_X | BOOKMARK_AXIS_Y;
    }
    /* a metadata column may be called "cluster": say which it is */
    snprintf(b->color_by, sizeof b->color_by, "%s%s", gui_colorby_column(g) ? "metadata " : "",
             gui_colorby_name(g));
    put(b->density, sizeof b->density, density_names[g->space.density_mode]);
    b->set |= BOOKMARK_COLOR_BY | BOOKMARK_DENSITY;
    /* the panel's layout parameters, whichever projection is shown; a default stays unsaved */
    const LiveLayoutDesc *d = &g->proj.layout;
    b->layout_neighbors = d->neighbors;
    b->layout_min_dist = d->min_dist;
    b->layout_perplexity = d->perplexity;
    b->layout_epochs = d->epochs;
    b->set |= (d->neighbors > 0 ? BOOKMARK_LAYOUT_NEIGHBORS : 0u) | (d->min_dist > 0 ? BOOKMARK_LAYOUT_MIN_DIST : 0u) |
              (d->perplexity > 0 ? BOOKMARK_LAYOUT_PERPLEXITY : 0u) | (d->epochs > 0 ? BOOKMARK_LAYOUT_EPOCHS : 0u);
}

/* The layout parameters b holds into the panel's (the rest as they are), its boxes cleared so
 * their hints show them. */
static void apply_layout_params(GuiApp *g, const Bookmark *b)
{
    LiveLayoutDesc *d = &g->proj.layout;
    if (b->set & BOOKMARK_LAYOUT_NEIGHBORS)
        d->neighbors = b->layout_neighbors;
    if (b->set & BOOKMARK_LAYOUT_MIN_DIST)
        d->min_dist = b->layout_min_dist;
    if (b->set & BOOKMARK_LAYOUT_PERPLEXITY)
        d->perplexity = b->layout_perplexity;
    if (b->set & BOOKMARK_LAYOUT_EPOCHS)
        d->epochs = b->layout_epochs;
    for (size_t j = 0; j < sizeof g->proj.lay_edit / sizeof g->proj.lay_edit[0]; j++)
        g->proj.lay_edit[j][0] = 0;
}

/* Applies what capture_look saved; what cannot be (an unknown name, axes or a metadata column
 * this data does not have) is said in why (cap bytes), the rest applied. */
static void apply_look(GuiApp *g, const Bookmark *b, char *why, size_t cap)
{
    Err e = {{0}};
    apply_layout_params(g, b); /* before the projection, which asks for a layout with them */
    int k = b->set & BOOKMARK_PROJECTION ? gui_proj_kind_of(b->projection) : -2;
    if (k == -1) {
        say(why, cap, "; no projection '%s'", b->projection);
    } else if (k == GUI_PROJ_AXES && (b->set & BOOKMARK_AXIS_X)) {
        if (!gui_proj_set_axes(g, b->axis[0], b->set & BOOKMARK_AXIS_Y ? b->axis[1] : "", &e))
            say(why, cap, "; axes not restored: %s", e.msg);
    } else if (k >= 0) {
        if ((k == GUI_PROJ_UMAP || k == GUI_PROJ_TSNE) && (b->set & BOOKMARK_TWO_D))
            g->proj.layout.dims = b->two_d ? 2 : 3; /* the layout's own dimensions */
        gui_proj_set(g, (GuiProjKind)k);
    }
    if ((b->set & BOOKMARK_COLOR_BY) && !gui_colorby_set(g, b->color_by, &e))
        say(why, cap, "; colour not restored: %s", e.msg);
    int d = b->set & BOOKMARK_DENSITY ? density_of(b->density) : -2;
    if (d >= 0)
        g->space.density_mode = (GuiDensityMode)d;
    else if (d == -1)
        say(why, cap, "; no density mode '%s'", b->density);
}

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
    capture_look(g, b);
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
    char missing[256] = "", skipped[512] = "";
    if (b->set & BOOKMARK_VIEW)
        for (int v = 0; v < GUI_VIEW_COUNT; v++)
            if (!strcmp(b->view, gui_view_name((GuiView)v)))
                gui_set_view(g, (GuiView)v);
    /* the projection first: custom axes and layouts set 2D or 3D themselves */
    apply_look(g, b, skipped, sizeof skipped);
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
    /* the camera saved is for the projection saved, whose picture may come later (a layout is
     * made in the background): its arrival must not frame the view again */
    g->proj.keep_camera = (b->set & (BOOKMARK_TARGET | BOOKMARK_DISTANCE)) != 0;
    g->proj.reframe = false;
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
            say(missing, sizeof missing, " %s", b->selected);
        for (int w = 0; w < b->n_words && i >= 0; w++) {
            int64_t j = vocab_find(v, b->words[w], strlen(b->words[w]));
            if (j >= 0)
                gui_select_toggle(g, j);
            else
                say(missing, sizeof missing, " %s", b->words[w]);
        }
    }
    g->sel.npins = 0;
    for (int p = 0; p < b->n_pins; p++)
        gui_pin_expression(g, b->pins[p], false);
    if (missing[0] || skipped[0])
        gui_set_status(g, true, "%s%s%s%s", quiet ? "view kept" : "bookmark restored",
                       missing[0] ? "; not in this vocabulary:" : "", missing, skipped);
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
