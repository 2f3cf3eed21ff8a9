/* The projection shown (see proj.h). UI thread. */
#include "app/gui/data/proj.h"
#include "model/base/clock.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PC_SAMPLE 200000 /* rows the rest's principal direction is estimated from, at most */

void gui_proj_free(GuiApp *g)
{
    free(g->proj.dir);
    g->proj.dir = NULL;
    g->proj.dim = 0;
}

/* The snapshot's PCA, centred and scaled to unit RMS radius. */
static void pca_targets(const LiveSnapshot *f, int64_t rows, float *to)
{
    float inv = 1.f / f->radius;
    for (int64_t i = 0; i < rows; i++)
        for (int j = 0; j < 3; j++) {
            float v = (f->xyz[i * 3 + j] - f->centre[j]) * inv;
            to[i * 3 + j] = isfinite(v) ? v : 0.f;
        }
}

static float dot(const float *a, const float *b, int n)
{
    float s = 0;
    for (int k = 0; k < n; k++)
        s += a[k] * b[k];
    return s;
}

static bool normalise(float *v, int n)
{
    float s = sqrtf(dot(v, v, n));
    if (!(s > 1e-12f))
        return false;
    for (int k = 0; k < n; k++)
        v[k] /= s;
    return true;
}

/* Axis j's direction from its words' unit vectors: to - from, or to alone. */
static bool axis_dir(const GuiProj *p, const KnnIndex *ix, int j, float *out)
{
    const int64_t *w = p->axis_word[j];
    const float *b = knn_row(ix, w[1]);
    for (int k = 0; k < ix->dim; k++)
        out[k] = b[k] - (w[0] >= 0 ? knn_row(ix, w[0])[k] : 0.f);
    return normalise(out, ix->dim);
}

/* The first principal component of the unit rows with their x component taken out, by a few
 * power iterations from the last one (so it stays put as training moves the vectors). */
static void rest_pc(GuiProj *p, const KnnIndex *ix, const float *dx, float *v)
{
    int dim = ix->dim;
    int64_t step = ix->rows > PC_SAMPLE ? ix->rows / PC_SAMPLE : 1;
    float *mean = calloc((size_t)dim * 2, sizeof(float)), *acc = mean + dim;
    if (!mean)
        return;
    int64_t n = 0;
    for (int64_t i = 0; i < ix->rows; i += step, n++)
        for (int k = 0; k < dim; k++)
            mean[k] += knn_row(ix, i)[k];
    for (int k = 0; k < dim; k++)
        mean[k] /= (float)n;
    for (int it = 0; it < 4; it++) {
        float mx = dot(v, dx, dim); /* keep v off x */
        for (int k = 0; k < dim; k++)
            v[k] -= mx * dx[k];
        if (!normalise(v, dim)) { /* a start that x swallowed: any direction off x */
            for (int k = 0; k < dim; k++)
                v[k] = (float)((k * 7 + 3) % 11) - 5.f;
            continue;
        }
        memset(acc, 0, (size_t)dim * sizeof(float));
        for (int64_t i = 0; i < ix->rows; i += step) {
            const float *u = knn_row(ix, i);
            float ux = dot(u, dx, dim) - dot(mean, dx, dim), s = 0;
            for (int k = 0; k < dim; k++)
                s += (u[k] - mean[k] - ux * dx[k]) * v[k];
            for (int k = 0; k < dim; k++)
                acc[k] += s * (u[k] - mean[k] - ux * dx[k]);
        }
        memcpy(v, acc, (size_t)dim * sizeof(float));
        normalise(v, dim);
    }
    (void)p;
    free(mean);
}

/* x and y along the axes' directions, centred, scaled to unit RMS radius; z = 0. */
static bool axes_targets(GuiApp *g, const KnnIndex *ix, int64_t rows, float *to)
{
    GuiProj *p = &g->proj;
    if (p->dim != ix->dim || !p->dir) {
        free(p->dir);
        p->dir = calloc((size_t)ix->dim * 3, sizeof(float));
        p->dim = p->dir ? ix->dim : 0;
        if (!p->dir)
            return false;
        p->dir[2 * ix->dim] = 1.f;
    }
    float *dx = p->dir, *dy = p->dir + ix->dim, *rest = p->dir + 2 * ix->dim;
    if (!axis_dir(p, ix, 0, dx))
        return false;
    if (p->axis_word[1][1] >= 0) {
        if (!axis_dir(p, ix, 1, dy))
            return false;
    } else {
        rest_pc(p, ix, dx, rest);
        memcpy(dy, rest, (size_t)ix->dim * sizeof(float));
    }
    double sx = 0, sy = 0, rr = 0;
    for (int64_t i = 0; i < rows; i++) {
        const float *u = knn_row(ix, i);
        to[i * 3] = dot(u, dx, ix->dim);
        to[i * 3 + 1] = dot(u, dy, ix->dim);
        to[i * 3 + 2] = 0;
        sx += to[i * 3];
        sy += to[i * 3 + 1];
    }
    float mx = (float)(sx / (double)rows), my = (float)(sy / (double)rows);
    for (int64_t i = 0; i < rows; i++) {
        to[i * 3] -= mx;
        to[i * 3 + 1] -= my;
        rr += (double)to[i * 3] * to[i * 3] + (double)to[i * 3 + 1] * to[i * 3 + 1];
    }
    float inv = rr > 0 ? (float)(1.0 / sqrt(rr / (double)rows)) : 1.f;
    for (int64_t i = 0; i < rows * 3; i++)
        to[i] *= inv;
    return true;
}

static bool is_layout(GuiProjKind k) { return k == GUI_PROJ_UMAP || k == GUI_PROJ_TSNE; }

/* The layout the projection chosen asks for (kind NONE for PCA and custom axes). */
static LiveLayoutDesc wanted_layout(const GuiProj *p)
{
    LiveLayoutDesc d = p->layout;
    d.kind = p->kind == GUI_PROJ_UMAP ? LIVELAY_UMAP : p->kind == GUI_PROJ_TSNE ? LIVELAY_TSNE : LIVELAY_NONE;
    d.dims = d.dims == 3 ? 3 : 2;
    return d;
}

/* The snapshot's layout centred and scaled to unit RMS radius; without the one asked for
 * (it is being made) the points stay where they are: the old picture stays until the new one
 * is ready. */
static void layout_targets(const GuiApp *g, const LiveSnapshot *f, int64_t rows, float *to)
{
    if (!gui_proj_layout_shown(g, f)) {
        memcpy(to, g->points.cur, (size_t)rows * 3 * sizeof *to);
        return;
    }
    double m[3] = {0, 0, 0}, r2 = 0;
    for (int64_t i = 0; i < rows; i++)
        for (int k = 0; k < 3; k++)
            m[k] += f->layout[i * 3 + k];
    for (int k = 0; k < 3; k++)
        m[k] /= (double)rows;
    for (int64_t i = 0; i < rows; i++)
        for (int k = 0; k < 3; k++) {
            double d = f->layout[i * 3 + k] - m[k];
            r2 += d * d;
        }
    float inv = r2 > 0 ? (float)(1.0 / sqrt(r2 / (double)rows)) : 1.f;
    for (int64_t i = 0; i < rows; i++)
        for (int k = 0; k < 3; k++) {
            float v = (float)(f->layout[i * 3 + k] - m[k]) * inv;
            to[i * 3 + k] = isfinite(v) ? v : 0.f;
        }
}

/* Which picture the targets now come from: PCA, one choice of custom axes, or one request's
 * layout (its refinements are the same picture, drifting). A change asks for the camera to
 * frame what the user looks at again once the points are there: the coordinates of one
 * projection say nothing of another's, so a view zoomed on the analogy in PCA would otherwise
 * show an empty corner of the UMAP (seen under Xvfb with real clicks). */
static void picture_is(GuiApp *g, GuiProjKind k, uint64_t id)
{
    uint64_t key = ((uint64_t)k + 1) << 56 | (id & ((UINT64_C(1) << 56) - 1));
    if (g->proj.shown && key != g->proj.shown) {
        g->proj.reframe = !g->proj.keep_camera;
        g->proj.keep_camera = false;
    }
    g->proj.shown = key;
}

void gui_proj_targets(GuiApp *g, float *to)
{
    const LiveSnapshot *f = g->data.snap;
    int64_t rows = g->points.rows;
    if (g->proj.kind == GUI_PROJ_AXES && f->knn.rows == rows && axes_targets(g, &f->knn, rows, to)) {
        picture_is(g, GUI_PROJ_AXES, g->proj.axes_gen);
        return;
    }
    if (is_layout(g->proj.kind) && g->proj.asked != g->data.live) /* another session's analysis */
        gui_proj_request(g);
    if (is_layout(g->proj.kind) && g->points.anim_start > 0) {
        /* until the layout is made the points stay where they are: the same picture */
        if (gui_proj_layout_shown(g, f))
            picture_is(g, g->proj.kind, g->proj.request);
        layout_targets(g, f, rows, to);
        return;
    }
    picture_is(g, GUI_PROJ_PCA, 0);
    pca_targets(f, rows, to);
}

void gui_proj_request(GuiApp *g)
{
    if (!g->data.live)
        return;
    LiveLayoutDesc d = wanted_layout(&g->proj);
    g->proj.request = live_set_layout(g->data.live, &d);
    g->proj.asked = g->data.live;
}

bool gui_proj_layout_shown(const GuiApp *g, const LiveSnapshot *f)
{
    return f && is_layout(g->proj.kind) && g->proj.asked == g->data.live && f->layout &&
           f->layout_kind != LIVELAY_NONE && f->layout_request == g->proj.request;
}

/* The held snapshot's targets for the projection now chosen; the points move there. */
static void retarget(GuiApp *g)
{
    GuiPoints *pt = &g->points;
    if (!g->data.snap || g->data.snap->rows != pt->rows || !pt->rows)
        return;
    memcpy(pt->from, pt->cur, (size_t)pt->rows * 3 * sizeof(float));
    gui_proj_targets(g, pt->to);
    pt->anim_start = clock_ms();
    pt->animating = true;
    pt->anim_s = 0.f;
}

/* "man -> woman" (also "man->woman", "man - woman" is not: that is an expression), or "woman". */
static bool parse_axis(GuiApp *g, const char *text, int64_t w[2], Err *e)
{
    char buf[128], *words[2] = {NULL, NULL};
    snprintf(buf, sizeof buf, "%s", text);
    char *arrow = strstr(buf, "->");
    if (arrow) {
        *arrow = 0;
        words[0] = buf;
        words[1] = arrow + 2;
    } else {
        words[1] = buf;
    }
    for (int k = 0; k < 2; k++) {
        if (!words[k]) {
            w[k] = -1;
            continue;
        }
        char *s = words[k], *end = s + strlen(s);
        while (*s == ' ')
            s++;
        while (end > s && end[-1] == ' ')
            *--end = 0;
        if (!*s || strchr(s, ' '))
            return err_set(e, "axis '%s': want 'word -> word' or one word", text);
        w[k] = gui_find(g, s);
        if (w[k] < 0)
            return err_set(e, "axis '%s': '%s' is not in the vocabulary", text, s);
    }
    if (w[0] == w[1])
        return err_set(e, "axis '%s': the two ends are the same word", text);
    return true;
}

bool gui_proj_set_axes(GuiApp *g, const char *x, const char *y, Err *e)
{
    int64_t wx[2], wy[2] = {-1, -1};
    if (!parse_axis(g, x, wx, e) || (y[0] && !parse_axis(g, y, wy, e)))
        return false;
    GuiProj *p = &g->proj;
    p->keep_camera = false; /* a new choice: its picture is framed when it comes */
    memcpy(p->axis_word[0], wx, sizeof wx);
    memcpy(p->axis_word[1], wy, sizeof wy);
    snprintf(p->axis_text[0], sizeof p->axis_text[0], "%s", x);
    snprintf(p->axis_text[1], sizeof p->axis_text[1], "%s", y);
    p->kind = GUI_PROJ_AXES;
    p->axes_gen++;
    g->two_d = true; /* two axes: a plane */
    cam_set_2d(&g->cam, true);
    retarget(g);
    gui_set_status(g, false, "custom axes: x %s, y %s", x, y[0] ? y : "the first principal component of the rest");
    return true;
}

static const char *const kind_names[GUI_PROJ_COUNT] = {
    [GUI_PROJ_PCA] = "pca", [GUI_PROJ_AXES] = "axes", [GUI_PROJ_UMAP] = "umap", [GUI_PROJ_TSNE] = "tsne"};

const char *gui_proj_kind_name(GuiProjKind k) { return kind_names[k]; }

int gui_proj_kind_of(const char *name)
{
    for (int k = 0; k < GUI_PROJ_COUNT; k++)
        if (!strcmp(kind_names[k], name))
            return k;
    return -1;
}

static const char *layout_name(GuiProjKind k) { return k == GUI_PROJ_TSNE ? "t-SNE" : "UMAP"; }

void gui_proj_set(GuiApp *g, GuiProjKind k)
{
    Err e = {{0}};
    GuiProjKind was = g->proj.kind;
    g->proj.keep_camera = false; /* a new choice: its picture is framed when it comes */
    if (is_layout(k)) {
        if (k != was) /* min_dist and perplexity share the panel's second box */
            g->proj.lay_edit[1][0] = 0;
        g->proj.kind = k;
        g->two_d = g->proj.layout.dims != 3; /* the layout's own dimensions */
        cam_set_2d(&g->cam, g->two_d);
        gui_proj_request(g);
        retarget(g);
        gui_set_status(g, false, "projection: %s %dD of every word (made in the background; the "
                                 "picture changes when it is ready)", layout_name(k), g->two_d ? 2 : 3);
        return;
    }
    if (is_layout(was)) { /* the analysis thread stops making layouts */
        g->proj.kind = k;
        gui_proj_request(g);
    }
    if (k == GUI_PROJ_AXES) {
        GuiProj *p = &g->proj;
        const char *x = p->axis_text[0][0] ? p->axis_text[0] : "man -> woman";
        if (!gui_proj_set_axes(g, x, p->axis_text[0][0] ? p->axis_text[1] : "", &e))
            gui_set_status(g, true, "custom axes: %s (type them in the projection panel)", e.msg);
        return;
    }
    g->proj.kind = k;
    retarget(g);
    gui_set_status(g, false, "projection: PCA");
}

bool gui_proj_set_layout(GuiApp *g, const LiveLayoutDesc *d, Err *e)
{
    if (d->dims != 0 && d->dims != 2 && d->dims != 3)
        return err_set(e, "dimensions %d: want 2 or 3", d->dims);
    if (d->neighbors < 0 || d->neighbors > KNNGRAPH_MAX_K)
        return err_set(e, "neighbours %d: want 1..%d (0: the default)", d->neighbors, KNNGRAPH_MAX_K);
    if (!(d->min_dist >= 0 && d->min_dist <= 10) || !(d->perplexity >= 0 && d->perplexity <= 200))
        return err_set(e, "min_dist %g (want 0..10), perplexity %g (want 0..200; 0: the default)",
                       d->min_dist, d->perplexity);
    if (d->epochs < 0 || d->epochs > 10000)
        return err_set(e, "epochs %d: want 1..10000 (0: the default)", d->epochs);
    g->proj.layout = *d;
    GuiProjKind k = is_layout(g->proj.kind) ? g->proj.kind : GUI_PROJ_UMAP;
    gui_proj_set(g, k); /* asks for the new layout; the old picture stays until it is made */
    return true;
}

/* The next projection that can be shown (custom axes need their words in the vocabulary). */
void gui_proj_next(GuiApp *g)
{
    GuiProjKind k = (GuiProjKind)((g->proj.kind + 1) % GUI_PROJ_COUNT);
    gui_proj_set(g, k);
    if (g->proj.kind != k)
        gui_proj_set(g, (GuiProjKind)((k + 1) % GUI_PROJ_COUNT));
}

const char *gui_proj_axis_label(const GuiApp *g, int j, char *buf, size_t cap)
{
    const GuiProj *p = &g->proj;
    if (p->kind == GUI_PROJ_AXES && j < 2)
        snprintf(buf, cap, "%s", j == 1 && !p->axis_text[1][0] ? "PC1 of the rest" : p->axis_text[j]);
    else if (is_layout(p->kind))
        snprintf(buf, cap, "%s %d", layout_name(p->kind), j + 1);
    else if (g->data.snap)
        snprintf(buf, cap, "PC%d %.0f%%", j + 1, g->data.snap->explained[j] * 100.0);
    else
        buf[0] = 0;
    return buf;
}
