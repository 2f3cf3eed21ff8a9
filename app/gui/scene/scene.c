/* The embedding space (see scene.h). UI thread; the per-point work runs on the UI pool
 * (render/screen.c, canvas_points). */
#include "app/gui/scene/scene.h"
#include "app/gui/data/proj.h"
#include "app/gui/scene/colorby.h"
#include "app/gui/select/match.h"
#include "app/gui/data/points.h"
#include "app/gui/scene/labels.h"
#include "app/gui/scene/regionlabels.h"
#include "app/gui/scene/trails.h"
#include "render/density.h"
#include "model/base/clock.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the projected points (pts, depth, sorted) depend on: when it is unchanged they are
 * reused, and only the labels and overlays are drawn again. */
typedef struct ProjKey {
    GuiSceneKey scene;        /* without the label-only fields */
    float fovy, scale;
    int cam_two_d;
    uint64_t moves;
} ProjKey;

/* Auto density (GUI_DENSITY_AUTO): points in the window per million logical pixels (20,000 and
 * 50,000 in a 1280x800 window) from which the density image starts to show, and from which it
 * replaces the points (a fade in between, as the user zooms): what turns a cloud into a haze is
 * the points per pixel, so a small window switches with fewer. */
#define SCENE_DENSITY_FROM 19500.f
#define SCENE_DENSITY_FULL 48800.f
#define SCENE_TOP_MAX 4096    /* highlighted points drawn over the density image */

/* Where a frame's time goes (UI-thread CPU ms per stage, the last SCENE_TIMES runs of each:
 * steadier than wall time on a shared machine, and all of the work while the trainers leave
 * the pool no core), printed at exit when EMBEDSCOPE_SCENE_TIMES is set (bench/frames.sh).
 * The splat is the previous frame's, read at the next projection. */
enum { ST_PROJECT, ST_ORDER, ST_DENSITY, ST_SPLAT, ST_LABELS, ST_PICK, ST_COUNT };
#define SCENE_TIMES 2048
typedef struct SceneTimes {
    float ms[ST_COUNT][SCENE_TIMES];
    uint64_t n[ST_COUNT];
} SceneTimes;

/* The scene's threads and scratch, made with the point buffers (g->space.work). */
typedef struct GuiSceneWork {
    Screen proj;
    CanvasSplat splat;        /* lent to the window's canvas for DRAW_POINTS */
    ProjKey key;
    bool projected;           /* key describes pts, depth, sorted, dens and fade */
    Density dens;             /* of the sorted points, when fade > 0 */
    float fade;               /* 0: every point; 1: the density image alone */
    DrawPoint top[SCENE_TOP_MAX];
    size_t ntop;
    SceneTimes times;
} GuiSceneWork;

static void note(GuiSceneWork *w, int stage, double t0)
{
    w->times.ms[stage][w->times.n[stage]++ % SCENE_TIMES] = (float)(clock_thread_cpu_ms() - t0);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* One line per stage: runs, p50 and p95 of the last SCENE_TIMES (wall ms). */
static void print_times(SceneTimes *t)
{
    static const char *const name[ST_COUNT] = {"project", "order", "density", "splat", "labels", "pick"};
    for (int k = 0; k < ST_COUNT; k++) {
        size_t n = t->n[k] < SCENE_TIMES ? (size_t)t->n[k] : SCENE_TIMES;
        if (!n)
            continue;
        qsort(t->ms[k], n, sizeof t->ms[k][0], cmp_float);
        printf("scene %-8s runs %6llu  cpu p50 %6.2f ms  p95 %6.2f ms\n", name[k],
               (unsigned long long)t->n[k], (double)t->ms[k][n / 2], (double)t->ms[k][n * 95 / 100]);
    }
}


/* The buffers follow the data on screen: made again when another data set was installed. */
bool gui_space_prepare(GuiApp *g)
{
    GuiSpace *s = &g->space;
    if (s->work && s->rows == g->points.rows && s->generation == g->data.generation)
        return true;
    gui_space_free(g);
    size_t n = (size_t)g->points.rows;
    s->pts = calloc(n ? n : 1, sizeof *s->pts);
    s->depth = calloc(n ? n : 1, sizeof(float));
    s->sorted = calloc(n ? n : 1, sizeof *s->sorted);
    s->work = calloc(1, sizeof *s->work);
    if (!s->pts || !s->depth || !s->sorted || !s->work) {
        gui_space_free(g);
        return false;
    }
    s->rows = g->points.rows;
    s->generation = g->data.generation;
    screen_init(&s->work->proj, g->data.pool, 0);
    s->work->splat.pool = g->data.pool;
    g->win.canvas.splat = &s->work->splat;
    return true;
}

void gui_space_free(GuiApp *g)
{
    GuiSpace *s = &g->space;
    gui_trails_free(g);
    gui_colorby_free(g);
    gui_region_labels_free(g);
    if (s->work) {
        if (g->win.canvas.splat == &s->work->splat)
            g->win.canvas.splat = NULL;
        if (getenv("EMBEDSCOPE_SCENE_TIMES"))
            print_times(&s->work->times);
        canvas_splat_deinit(&s->work->splat);
        density_deinit(&s->work->dens);
        free(s->work);
        s->work = NULL;
    }
    free(s->pts);
    free(s->depth);
    free(s->sorted);
    free(s->cell);
    s->pts = s->sorted = NULL;
    s->depth = NULL;
    s->cell = NULL;
    s->grid_w = s->grid_h = 0;
    s->rows = 0;
    s->nsorted = 0;
    s->nlabels = 0;
    layercache_invalidate(&s->layer);
}

static bool ready(const GuiApp *g)
{
    return g->data.snap && g->space.work && g->space.generation == g->data.generation &&
           g->space.rows == g->points.rows;
}

/* Word i is related to the current selection or a pinned analogy (drawn bright). */
bool gui_highlighted(const GuiApp *g, int64_t i)
{
    if (i == g->sel.selected || i == g->sel.hover)
        return true;
    for (int j = 0; j < g->sel.nextra; j++)
        if (g->sel.extra[j] == i)
            return true;
    for (int j = 0; j < g->sel.nnbrs; j++)
        if (g->sel.nbrs[j].index == i)
            return true;
    for (int p = 0; p < g->sel.npins; p++) {
        const GuiPin *pin = &g->sel.pins[p];
        if (pin->q.is_analogy && (i == pin->q.a || i == pin->q.b || i == pin->q.c))
            return true;
        for (int j = 0; j < pin->nans && j < 3; j++)
            if (pin->ans[j].index == i)
                return true;
    }
    return false;
}

static void proj_key(const GuiApp *g, ProjKey *k)
{
    memset(k, 0, sizeof *k); /* compared with memcmp */
    gui_scene_key(g, &k->scene);
    k->scene.label_px = 0;
    k->scene.nrects = 0;
    memset(k->scene.rects, 0, sizeof k->scene.rects);
    if (g->sel.selected < 0 && g->sel.npins == 0 && !g->match.mask) { /* nothing is dimmed: the highlights do not matter */
        k->scene.hover = k->scene.selected = -1;
        k->scene.nextra = k->scene.nnbrs = k->scene.npins = 0;
        memset(k->scene.extra, 0, sizeof k->scene.extra);
        memset(k->scene.nbrs, 0, sizeof k->scene.nbrs);
        memset(k->scene.pins, 0, sizeof k->scene.pins);
    }
    k->fovy = g->cam.fovy;
    k->cam_two_d = g->cam.two_d;
    k->scale = g->win.scale;
    k->moves = g->points.moves;
}

/* Calls fn for every word gui_highlighted names (some more than once). */
static void each_highlighted(GuiApp *g, void (*fn)(GuiApp *g, const void *ctx, int64_t i),
                             const void *ctx)
{
    fn(g, ctx, g->sel.selected);
    fn(g, ctx, g->sel.hover);
    for (int j = 0; j < g->sel.nextra; j++)
        fn(g, ctx, g->sel.extra[j]);
    for (int j = 0; j < g->sel.nnbrs; j++)
        fn(g, ctx, g->sel.nbrs[j].index);
    for (int p = 0; p < g->sel.npins; p++) {
        const GuiPin *pin = &g->sel.pins[p];
        if (pin->q.is_analogy) {
            fn(g, ctx, pin->q.a);
            fn(g, ctx, pin->q.b);
            fn(g, ctx, pin->q.c);
        }
        for (int j = 0; j < pin->nans && j < 3; j++)
            fn(g, ctx, pin->ans[j].index);
    }
}

/* Brightens a highlighted word again after screen_points dimmed everything. */
static void undim(GuiApp *g, const void *view, int64_t i)
{
    if (i >= 0 && i < g->points.rows)
        screen_point(view, g->points.cur, g->data.snap->cluster, i, false, g->space.pts, g->space.depth);
}

/* The density view of the projected points: how much of it shows (fade) from the mode and the
 * number of points inside the window, then the image and contours. Binned in row order from
 * pts, before any depth sort (the counts and colour sums are integers, so the order does not
 * change a bit), so a cloud drawn as the image alone is never sorted. */
static void shade(GuiApp *g, GuiSceneWork *w)
{
    GuiDensityMode mode = g->space.density_mode;
    size_t visible = 0;
    for (int c = 0; c < w->proj.nchunks; c++)
        visible += w->proj.chunk[c].visible;
    float sc = g->win.scale > 0.f ? g->win.scale : 1.f;
    float mpx = (float)g->cam.vw * (float)g->cam.vh / (sc * sc) * 1e-6f; /* logical Mpx */
    float from = SCENE_DENSITY_FROM * mpx, full = SCENE_DENSITY_FULL * mpx;
    w->fade = 0.f;
    w->dens.indexed = false; /* its cell lists are of an older projection until binned again */
    if (mode == GUI_DENSITY_POINTS || !visible || (mode == GUI_DENSITY_AUTO && (float)visible < from))
        return;
    /* cells of 4 logical pixels: finer shows the grid's noise and costs more per frame (3 px:
     * +1.8 ms at 1280x800), coarser blurs small clusters */
    int cell = (int)lrintf(4.f * sc);
    DensityDesc desc = {.cell = cell > 0 ? cell : 1, .tint = true, .index = true};
    if (!density_bin(&w->dens, &desc, g->space.pts, g->space.depth, (size_t)g->points.rows,
                     g->cam.vw, g->cam.vh))
        return; /* out of memory: the points are drawn */
    float f = 1.f;
    if (mode == GUI_DENSITY_AUTO)
        f = fminf(1.f, ((float)w->dens.inside - from) / (full - from));
    if (!(f > 0.f))
        return;
    w->fade = f;
    density_blur(&w->dens);
    density_tone(&w->dens, f);
    density_contours(&w->dens);
}

/* Fading between the two views: the points are drawn over the image, lighter by fade. */
static void fade_points(GuiApp *g, float fade)
{
    float keep = 1.f - fade;
    for (size_t i = 0; i < g->space.nsorted; i++) {
        uint32_t c = g->space.sorted[i].color;
        uint32_t a = (uint32_t)((float)(c >> 24) * keep + 0.5f);
        g->space.sorted[i].color = (c & 0xFFFFFFu) | a << 24;
    }
}

/* Points on screen and in painter's order; skipped when nothing they depend on changed. */
void gui_scene_project(GuiApp *g)
{
    if (!ready(g))
        return;
    GuiSceneWork *w = g->space.work;
    ProjKey k;
    proj_key(g, &k);
    if (w->projected && !memcmp(&k, &w->key, sizeof k))
        return;
    /* smaller points for bigger clouds: 2.8 px up to 5k words, 1.6 px at 40k-200k, 1.2 px from
     * 400k (a million points cover the window anyway, and each splat costs its pixels) */
    int npal;
    const uint32_t *pal = gui_palette(&npal);
    float base = 2.8f - 0.4f * fmaxf(0.f, fminf(3.f, log2f((float)g->points.rows / 5000.f))) -
                 0.4f * fmaxf(0.f, fminf(1.f, log2f((float)g->points.rows / 200000.f)));
    ScreenView v = {.m = cam_matrix(&g->cam), .vw = (float)g->cam.vw, .vh = (float)g->cam.vh,
                  .scale = g->win.scale, .dist = g->cam.dist, .base = base, .two_d = g->two_d,
                  .focus = g->sel.selected >= 0 || g->sel.npins > 0 || g->match.mask,
                  .hover_cluster = g->space.hover_cluster,
                  .palette = pal, .npalette = npal,
                  .keep = g->match.filter && g->match.rows == g->points.rows ? g->match.mask : NULL,
                  .colors = gui_colorby_colors(g)};
    if (w->splat.last_ms > 0) {
        w->times.ms[ST_SPLAT][w->times.n[ST_SPLAT]++ % SCENE_TIMES] = (float)w->splat.last_ms;
        w->splat.last_ms = 0;
    }
    double t0 = clock_thread_cpu_ms();
    screen_points(&w->proj, &v, g->points.cur, g->data.snap->cluster, g->points.rows, g->space.pts, g->space.depth);
    if (v.focus)
        each_highlighted(g, undim, &v);
    if (g->match.mask && g->match.rows == g->points.rows)
        for (int64_t i = 0; i < g->points.rows; i++)
            if (g->match.mask[i])
                undim(g, &v, i);
    note(w, ST_PROJECT, t0);
    t0 = clock_thread_cpu_ms();
    shade(g, w);
    if (w->fade > 0.f)
        note(w, ST_DENSITY, t0);
    g->space.nsorted = 0; /* the image alone: no points drawn, none sorted */
    if (w->fade < 1.f) {
        t0 = clock_thread_cpu_ms();
        g->space.nsorted = screen_order(&w->proj, g->two_d, g->space.pts, g->space.depth, g->points.rows, g->space.sorted);
        if (w->fade > 0.f)
            fade_points(g, w->fade);
        note(w, ST_ORDER, t0);
    }
    w->key = k;
    w->projected = true;
}

bool gui_word_screen(const GuiApp *g, int64_t i, float *x, float *y)
{
    if (!ready(g) || i < 0 || i >= g->space.rows || g->space.depth[i] <= 0)
        return false;
    *x = g->space.pts[i].x;
    *y = g->space.pts[i].y;
    return true;
}

const char *gui_word_hidden(const GuiApp *g, int64_t i, float *x, float *y)
{
    if (!gui_word_screen(g, i, x, y) || *x < 0 || *y < 0 || *x >= (float)g->cam.vw ||
        *y >= (float)g->cam.vh)
        return "is not on screen";
    if (ui_over(&g->ui, *x, *y))
        return "is under a panel";
    return NULL;
}

int64_t gui_scene_pick(const GuiApp *g, float x, float y, float radius)
{
    if (!ready(g))
        return -1;
    double t0 = clock_thread_cpu_ms();
    /* a big cloud's bins list each cell's points: the few cells under the cursor give the same
     * word as the scan of every point (-2: near the window's edge, scan) */
    int64_t hit = density_pick(&g->space.work->dens, g->space.pts, g->space.depth, x, y, radius);
    if (hit == -2)
        hit = screen_pick(&g->space.work->proj, g->space.pts, g->space.depth, g->points.rows, x, y, radius);
    note(g->space.work, ST_PICK, t0);
    return hit;
}

/* A fading polyline from the oldest kept position to where the word is drawn now. */
static void draw_trail(GuiApp *g, int64_t i)
{
    float xyz[GUI_TRAIL_MAX * 3], px = 0, py = 0, d;
    int n = gui_trail(g, i, xyz);
    if (n < 2)
        return;
    float sc = g->win.scale;
    bool have = false;
    for (int k = 0; k < n; k++) {
        float x, y;
        if (!cam_project(&g->cam, (vec3s){{xyz[k * 3], xyz[k * 3 + 1], xyz[k * 3 + 2]}}, &x, &y, &d)) {
            have = false;
            continue;
        }
        int a = 40 + 170 * k / (n - 1);
        if (have)
            draw_line(g->scene, px, py, x, y, 1.5f * sc, DRAW_RGBA(255, 214, 102, a));
        draw_circle(g->scene, x, y, 1.5f * sc, DRAW_RGBA(255, 214, 102, a));
        px = x, py = y, have = true;
    }
    float x, y;
    if (have && gui_word_screen(g, i, &x, &y))
        draw_line(g->scene, px, py, x, y, 1.5f * sc, DRAW_RGBA(255, 214, 102, 210));
}

static void draw_trails(GuiApp *g)
{
    if (g->space.trails.hidden || g->sel.selected < 0)
        return;
    draw_trail(g, g->sel.selected);
    for (int j = 0; j < g->sel.nextra; j++)
        draw_trail(g, g->sel.extra[j]);
}

static void add_top(GuiApp *g, const void *ctx, int64_t i)
{
    (void)ctx;
    GuiSceneWork *w = g->space.work;
    if (i < 0 || i >= g->space.rows || g->space.depth[i] <= 0 || w->ntop >= SCENE_TOP_MAX)
        return;
    DrawPoint p = g->space.pts[i];
    p.radius = fmaxf(p.radius, 2.f * g->win.scale); /* readable over the image */
    w->top[w->ntop++] = p;
}

/* The cloud: every point, or the density image with its contours (points fading in over it as
 * fewer are in view) and the highlighted and matching words on top as points. */
static void draw_cloud(GuiApp *g)
{
    GuiSceneWork *w = g->space.work;
    if (!w || !(w->fade > 0.f)) {
        draw_points(g->scene, g->space.sorted, g->space.nsorted);
        return;
    }
    const Density *d = &w->dens;
    float c = (float)d->desc.cell, sc = g->win.scale;
    draw_image(g->scene, 0, 0, (float)d->gw * c, (float)d->gh * c, d->img, d->gw, d->gh);
    if (w->fade < 1.f)
        draw_points(g->scene, g->space.sorted, g->space.nsorted);
    /* contours take what the list has left after a reserve for labels, panels and overlays */
    size_t room = DRAW_MAX_CMDS - g->scene->ncmds, reserve = 2500;
    size_t nseg = room > reserve ? room - reserve : 0;
    nseg = nseg < d->nseg ? nseg : d->nseg;
    for (size_t i = 0; i < nseg; i++) {
        const DensitySeg *s = &d->seg[i];
        float a = (50.f + 110.f * (float)(s->level + 1) / (float)d->nlevels) * w->fade;
        draw_line(g->scene, s->x0, s->y0, s->x1, s->y1, sc, DRAW_RGBA(255, 255, 255, (int)a));
    }
    w->ntop = 0;
    each_highlighted(g, add_top, NULL);
    if (g->match.mask && g->match.rows == g->points.rows)
        for (int64_t i = 0; i < g->points.rows && w->ntop < SCENE_TOP_MAX; i++)
            if (g->match.mask[i])
                add_top(g, NULL, i);
    draw_points(g->scene, w->top, w->ntop);
}

static void label_text(GuiApp *g, float x, float y, const char *s, uint32_t col)
{
    size_t n = strlen(s);
    draw_text(g->scene, 1, x + 1, y + 1, s, n, DRAW_RGBA(0, 0, 0, 200));
    draw_text(g->scene, 1, x, y, s, n, col);
}

static void draw_axes(GuiApp *g)
{
    float sc = g->win.scale, ox = 80 * sc, oy = (float)g->cam.vh - 80 * sc, len = 34 * sc;
    static const uint32_t axcol[3] = {DRAW_RGB(240, 110, 100), DRAW_RGB(120, 210, 120),
                                      DRAW_RGB(110, 160, 250)};
    int n = g->two_d ? 2 : 3;
    for (int j = 0; j < n; j++) {
        vec3s e = {{j == 0, j == 1, j == 2}};
        if (!g->two_d)
            e = glms_quat_rotatev(g->cam.rot, e);
        float ex = ox + e.x * len, ey = oy - e.y * len;
        draw_arrow(g->scene, ox, oy, ex, ey, 1.5f * sc, axcol[j]);
        char buf[160];
        gui_proj_axis_label(g, j, buf, sizeof buf);
        float tx = ex + (e.x >= 0 ? 4 : -4 - (float)font_width(&g->win.label_font, buf, strlen(buf)));
        draw_text(g->scene, 1, fmaxf(tx, 4.f), ey - (float)g->win.label_font.height * 0.5f, buf,
                  strlen(buf), axcol[j]);
    }
}

static void draw_pin(GuiApp *g, const GuiPin *pin, int idx)
{
    static const uint32_t cols[GUI_MAX_PINS] = {DRAW_RGB(255, 200, 80), DRAW_RGB(120, 220, 255),
                                                DRAW_RGB(255, 130, 200), DRAW_RGB(160, 255, 140)};
    uint32_t col = cols[idx % GUI_MAX_PINS];
    float sc = g->win.scale;
    if (!pin->q.is_analogy || !pin->nans)
        return;
    float ax, ay, bx, by, cx, cy, dx, dy;
    if (!gui_word_screen(g, pin->q.a, &ax, &ay) || !gui_word_screen(g, pin->q.b, &bx, &by) ||
        !gui_word_screen(g, pin->q.c, &cx, &cy) || !gui_word_screen(g, pin->ans[0].index, &dx, &dy))
        return;
    /* the parallelogram a-b-d-c, then the two analogy arrows a->c and b->d */
    uint32_t faint = (col & 0xFFFFFF) | 0x70000000u;
    draw_line(g->scene, ax, ay, bx, by, 1.f * sc, faint);
    draw_line(g->scene, cx, cy, dx, dy, 1.f * sc, faint);
    draw_arrow(g->scene, ax, ay, cx, cy, 2.f * sc, col);
    draw_arrow(g->scene, bx, by, dx, dy, 2.f * sc, col);
    /* the computed point b - a + c, in the projection */
    vec3s pa = gui_pos(g, pin->q.a), pb = gui_pos(g, pin->q.b), pc = gui_pos(g, pin->q.c);
    vec3s pq = glms_vec3_add(glms_vec3_sub(pb, pa), pc);
    float qx, qy;
    if (cam_project(&g->cam, pq, &qx, &qy, NULL)) {
        draw_line(g->scene, qx, qy, dx, dy, 1.f * sc, faint);
        draw_circle(g->scene, qx, qy, 6.f * sc, col);
        draw_line(g->scene, qx - 4 * sc, qy, qx + 4 * sc, qy, 1.f, col);
        draw_line(g->scene, qx, qy - 4 * sc, qx, qy + 4 * sc, 1.f, col);
    }
    draw_circle(g->scene, dx, dy, 7.f * sc, col);
}

void gui_scene_draw(GuiApp *g)
{
    if (!g->data.snap) {
        if (!g->data.live)
            return; /* nothing open: the panels say so */
        const char *s = "waiting for the first snapshot...";
        float tw = (float)font_width(&g->win.ui_font, s, strlen(s));
        draw_text(g->scene, 0, ((float)g->cam.vw - tw) / 2, (float)g->cam.vh / 2, s, strlen(s),
                  DRAW_RGB(140, 148, 160));
        return;
    }
    float sc = g->win.scale;
    draw_cloud(g);
    draw_trails(g);
    float sx, sy;
    if (g->sel.selected >= 0 && gui_word_screen(g, g->sel.selected, &sx, &sy)) {
        for (int j = 0; j < g->sel.nnbrs; j++) {
            float nx, ny;
            if (!gui_word_screen(g, g->sel.nbrs[j].index, &nx, &ny))
                continue;
            float a = 60.f + 180.f * fmaxf(0.f, g->sel.nbrs[j].score);
            draw_line(g->scene, sx, sy, nx, ny, 1.2f * sc, DRAW_RGBA(230, 230, 230, (int)fminf(a, 255.f)));
            draw_circle(g->scene, nx, ny, 4.f * sc, DRAW_RGBA(230, 230, 230, 200));
        }
        draw_circle(g->scene, sx, sy, 7.f * sc, DRAW_RGB(255, 255, 255));
    }
    for (int j = 0; j < g->sel.nextra; j++)
        if (gui_word_screen(g, g->sel.extra[j], &sx, &sy))
            draw_circle(g->scene, sx, sy, 6.f * sc, DRAW_RGB(255, 255, 255));
    for (int p = 0; p < g->sel.npins; p++)
        draw_pin(g, &g->sel.pins[p], p);
    gui_region_labels_draw(g);
    double t0 = clock_thread_cpu_ms();
    gui_labels_choose(g);
    if (g->space.work)
        note(g->space.work, ST_LABELS, t0);
    for (int j = 0; j < g->space.nlabels; j++) {
        int64_t i = g->space.labels[j];
        const float *b = g->space.label_box[j];
        bool focus = g->sel.selected >= 0 || g->sel.npins > 0;
        uint32_t col = gui_highlighted(g, i) ? DRAW_RGB(255, 255, 255)
                       : focus          ? DRAW_RGBA(200, 205, 215, 110)
                                        : DRAW_RGBA(215, 220, 228, 215);
        if (i != g->sel.hover)
            label_text(g, b[0], b[1], gui_word(g, i), col);
    }
    if (g->sel.hover >= 0 && gui_word_screen(g, g->sel.hover, &sx, &sy)) {
        char tip[160];
        const Vocab *v = gui_vocab(g);
        snprintf(tip, sizeof tip, "%s   #%lld  x%llu  cluster %d", gui_word(g, g->sel.hover),
                 (long long)g->sel.hover + 1, (unsigned long long)v->counts[g->sel.hover],
                 g->data.snap->cluster[g->sel.hover] + 1);
        float tw = (float)font_width(&g->win.label_font, tip, strlen(tip));
        float th = (float)g->win.label_font.height;
        float x = sx + 10 * sc, y = sy - th - 10 * sc;
        if (x + tw + 12 > (float)g->cam.vw)
            x = sx - tw - 22 * sc;
        draw_rect(g->scene, x, y, tw + 12, th + 6, DRAW_RGBA(10, 12, 16, 230));
        draw_outline(g->scene, x, y, tw + 12, th + 6, DRAW_RGB(86, 180, 233));
        draw_text(g->scene, 1, x + 6, y + 3, tip, strlen(tip), DRAW_RGB(255, 255, 255));
        draw_circle(g->scene, sx, sy, 5.f * sc, DRAW_RGB(255, 255, 255));
    }
    draw_axes(g);
}

void gui_scene_key(const GuiApp *g, GuiSceneKey *k)
{
    memset(k, 0, sizeof *k); /* padding too: keys are compared with memcmp */
    k->rot = g->cam.rot;
    k->target = g->cam.target;
    k->dist = g->cam.dist;
    k->vw = g->cam.vw;
    k->vh = g->cam.vh;
    k->two_d = g->two_d;
    k->label_px = g->label_px;
    k->trails = !g->space.trails.hidden;
    k->hover_cluster = g->space.hover_cluster;
    k->snap_seq = g->data.snap_seq;
    k->generation = g->data.generation;
    k->match_gen = g->match.generation;
    k->regions = gui_region_labels_key(g);
    k->color_by = (int)g->space.color.mode;
    k->density = (int)g->space.density_mode;
    k->hover = g->sel.hover;
    k->selected = g->sel.selected;
    k->nextra = g->sel.nextra;
    memcpy(k->extra, g->sel.extra, (size_t)g->sel.nextra * sizeof g->sel.extra[0]);
    k->nnbrs = g->sel.nnbrs;
    for (int j = 0; j < g->sel.nnbrs; j++)
        k->nbrs[j] = g->sel.nbrs[j].index;
    k->npins = g->sel.npins;
    for (int p = 0; p < g->sel.npins; p++) {
        const GuiPin *pin = &g->sel.pins[p];
        int64_t v[5] = {pin->q.is_analogy, pin->q.a, pin->q.b, pin->q.c,
                        pin->nans ? pin->ans[0].index : -1};
        memcpy(k->pins[p], v, sizeof v);
    }
    k->nrects = g->ui.nrects; /* labels keep out of the panels */
    memcpy(k->rects, g->ui.rects, (size_t)g->ui.nrects * sizeof g->ui.rects[0]);
}

void gui_density_next(GuiApp *g)
{
    static const char *const say[GUI_DENSITY_COUNT] = {
        [GUI_DENSITY_AUTO] = "big clouds: auto (a density image from 20k-50k points in a 1280x800 view)",
        [GUI_DENSITY_ON] = "big clouds: density image and contours",
        [GUI_DENSITY_POINTS] = "big clouds: every point",
    };
    g->space.density_mode = (GuiDensityMode)((g->space.density_mode + 1) % GUI_DENSITY_COUNT);
    gui_set_status(g, false, "%s", say[g->space.density_mode]);
}

float gui_scene_density(const GuiApp *g)
{
    return ready(g) && g->space.work->projected ? g->space.work->fade : 0.f;
}
