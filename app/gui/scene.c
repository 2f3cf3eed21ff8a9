/* The scene: every word as a point at its (interpolated) PCA position, coloured by cluster,
 * labels without overlaps, neighbour lines, analogy arrows, axes; camera gestures and
 * picking. UI thread; the per-point work runs on a small pool (gui_proj.c, canvas_points). */
#include "app/gui/app.h"
#include "app/gui/proj.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GUI_ANIM_MS 220.0
#define GUI_FLY_MS 350.0
#define GRID 4 /* pixels per cell of the label occupancy grid */

/* Okabe & Ito's colour-blind-safe palette, with black swapped for a light grey (dark background). */
static const uint32_t palette[LIVE_MAX_CLUSTERS] = {
    DRAW_RGB(230, 159, 0), DRAW_RGB(86, 180, 233), DRAW_RGB(0, 158, 115), DRAW_RGB(240, 228, 66),
    DRAW_RGB(0, 114, 178), DRAW_RGB(213, 94, 0), DRAW_RGB(204, 121, 167), DRAW_RGB(190, 190, 190),
};

uint32_t gui_cluster_color(int c) { return palette[(c < 0 ? 0 : c) % LIVE_MAX_CLUSTERS]; }

/* What the projected points (pts, depth, sorted) depend on: when it is unchanged they are
 * reused, and only the labels and overlays are drawn again. */
typedef struct ProjKey {
    GuiSceneKey scene;        /* without the label-only fields */
    float fovy, scale;
    int cam_two_d;
    uint64_t moves;
} ProjKey;

/* The scene's threads and scratch, made with the point buffers (g->work). */
typedef struct GuiSceneWork {
    Pool *pool;
    Proj proj;
    CanvasSplat splat;        /* lent to the window's canvas for DRAW_POINTS */
    ProjKey key;
    bool projected;           /* key describes pts, depth and sorted */
    uint64_t moves;           /* bumped whenever g->cur changes */
} GuiSceneWork;

/* EMBEDSCOPE_UI_THREADS=N sets the pool size (1: the one-thread path); default: online CPUs. */
/* Threads for the per-point work: the cores the trainers leave free (measured on 2 cores with
 * 2 training threads, bench/README.md: a second UI thread there only competes with the
 * trainers, 100k points p95 17.0 ms against 14.2 ms with one), all of them for fixed vectors.
 * EMBEDSCOPE_UI_THREADS=N overrides. */
static int ui_threads(const GuiApp *g)
{
    const char *s = getenv("EMBEDSCOPE_UI_THREADS");
    int n = s ? atoi(s) : 0;
    if (n > 0 && n <= POOL_MAX_THREADS)
        return n;
    if (!g->trainer)
        return 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long left = cpus - trainer_desc(g->trainer)->threads;
    return left < 1 ? 1 : left > POOL_MAX_THREADS ? POOL_MAX_THREADS : (int)left;
}

bool gui_scene_alloc(GuiApp *g, int64_t rows)
{
    size_t n = (size_t)rows;
    g->rows = rows;
    g->from = calloc(n * 3, sizeof(float));
    g->to = calloc(n * 3, sizeof(float));
    g->cur = calloc(n * 3, sizeof(float));
    g->pts = calloc(n, sizeof *g->pts);
    g->depth = calloc(n, sizeof(float));
    g->sorted = calloc(n, sizeof *g->sorted);
    g->work = calloc(1, sizeof *g->work);
    if (!g->from || !g->to || !g->cur || !g->pts || !g->depth || !g->sorted || !g->work)
        return false;
    /* no pool (out of memory, no threads) is the one-thread path, not an error */
    g->work->pool = pool_create(ui_threads(g));
    proj_init(&g->work->proj, g->work->pool, 0);
    g->work->splat.pool = g->work->pool;
    g->win.canvas.splat = &g->work->splat;
    return true;
}

void gui_scene_free(GuiApp *g)
{
    gui_trails_free(g);
    if (g->work) {
        if (g->win.canvas.splat == &g->work->splat)
            g->win.canvas.splat = NULL;
        canvas_splat_deinit(&g->work->splat);
        pool_destroy(g->work->pool);
        free(g->work);
        g->work = NULL;
    }
    free(g->from);
    free(g->to);
    free(g->cur);
    free(g->pts);
    free(g->depth);
    free(g->sorted);
    free(g->cell);
    free(g->scene_cache);
    /* ready for gui_scene_alloc of another data set */
    g->from = g->to = g->cur = g->depth = NULL;
    g->pts = g->sorted = NULL;
    g->cell = NULL;
    g->scene_cache = NULL;
    g->grid_w = g->grid_h = 0;
    g->rows = 0;
}

/* Targets are the frame's coordinates centred and scaled to unit RMS radius, so the camera
 * framing stays put while the cloud grows during training. */
void gui_scene_new_frame(GuiApp *g)
{
    const LiveFrame *f = g->frame;
    if (!f || f->rows != g->rows)
        return;
    bool first = g->anim_start == 0;
    memcpy(g->from, g->cur, (size_t)g->rows * 3 * sizeof(float));
    float inv = 1.f / f->radius;
    for (int64_t i = 0; i < g->rows; i++)
        for (int j = 0; j < 3; j++) {
            float v = (f->xyz[i * 3 + j] - f->centre[j]) * inv;
            g->to[i * 3 + j] = isfinite(v) ? v : 0.f;
        }
    if (first) {
        memcpy(g->from, g->to, (size_t)g->rows * 3 * sizeof(float));
        memcpy(g->cur, g->to, (size_t)g->rows * 3 * sizeof(float));
        cam_home(&g->cam, glms_vec3_zero(), 1.7f);
        g->work->moves++;
    }
    gui_trails_record(g);
    g->anim_start = gui_now_ms();
    g->animating = !first;
    gui_refresh_queries(g);
}

static vec3s pos(const GuiApp *g, int64_t i)
{
    const float *p = &g->cur[i * 3];
    return (vec3s){{p[0], p[1], g->two_d ? 0.f : p[2]}};
}

static float smooth(float t) { return t * t * (3.f - 2.f * t); }

bool gui_scene_animate(GuiApp *g)
{
    double now = gui_now_ms();
    if (g->follow && g->selected >= 0) {
        vec3s anchor = glms_vec3_add(pos(g, g->selected), g->follow_offset);
        if (g->flying)
            g->fly_to = anchor;
        else
            g->cam.target = anchor;
    }
    if (g->flying) {
        float t = (float)((now - g->fly_start) / GUI_FLY_MS);
        if (t >= 1.f) {
            t = 1.f;
            g->flying = false;
        }
        float s = smooth(t);
        g->cam.target = glms_vec3_lerp(g->fly_from, g->fly_to, s);
        g->cam.dist = g->fly_dist_from + (g->fly_dist_to - g->fly_dist_from) * s;
    }
    if (!g->animating)
        return g->flying;
    float t = (float)((now - g->anim_start) / GUI_ANIM_MS);
    if (t >= 1.f) {
        t = 1.f;
        g->animating = false;
    }
    proj_lerp(&g->work->proj, g->cur, g->from, g->to, (size_t)g->rows * 3, smooth(t));
    g->work->moves++;
    return true;
}


/* Word i is related to the current selection or a pinned analogy (drawn bright). */
static bool highlighted(const GuiApp *g, int64_t i)
{
    if (i == g->selected || i == g->hover)
        return true;
    for (int j = 0; j < g->nextra; j++)
        if (g->extra[j] == i)
            return true;
    for (int j = 0; j < g->nnbrs; j++)
        if (g->nbrs[j].index == i)
            return true;
    for (int p = 0; p < g->npins; p++) {
        const GuiPin *pin = &g->pins[p];
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
    if (g->selected < 0 && g->npins == 0) { /* nothing is dimmed: the highlights do not matter */
        k->scene.hover = k->scene.selected = -1;
        k->scene.nextra = k->scene.nnbrs = k->scene.npins = 0;
        memset(k->scene.extra, 0, sizeof k->scene.extra);
        memset(k->scene.nbrs, 0, sizeof k->scene.nbrs);
        memset(k->scene.pins, 0, sizeof k->scene.pins);
    }
    k->fovy = g->cam.fovy;
    k->cam_two_d = g->cam.two_d;
    k->scale = g->win.scale;
    k->moves = g->work->moves;
}

/* Brightens the highlighted words again after proj_points dimmed everything. */
static void undim(GuiApp *g, const ProjView *v, int64_t i)
{
    if (i >= 0 && i < g->rows)
        proj_point(v, g->cur, g->frame->cluster, i, false, g->pts, g->depth);
}

static void undim_highlighted(GuiApp *g, const ProjView *v)
{
    undim(g, v, g->selected);
    undim(g, v, g->hover);
    for (int j = 0; j < g->nextra; j++)
        undim(g, v, g->extra[j]);
    for (int j = 0; j < g->nnbrs; j++)
        undim(g, v, g->nbrs[j].index);
    for (int p = 0; p < g->npins; p++) {
        const GuiPin *pin = &g->pins[p];
        if (pin->q.is_analogy) {
            undim(g, v, pin->q.a);
            undim(g, v, pin->q.b);
            undim(g, v, pin->q.c);
        }
        for (int j = 0; j < pin->nans && j < 3; j++)
            undim(g, v, pin->ans[j].index);
    }
}

/* Points on screen and in painter's order; skipped when nothing they depend on changed. */
void gui_scene_project(GuiApp *g)
{
    if (!g->frame)
        return;
    GuiSceneWork *w = g->work;
    ProjKey k;
    proj_key(g, &k);
    if (w->projected && !memcmp(&k, &w->key, sizeof k))
        return;
    /* smaller points for bigger clouds: 2.8 px up to 5k words, 1.6 px at 40k-200k, 1.2 px from
     * 400k (a million points cover the window anyway, and each splat costs its pixels) */
    float base = 2.8f - 0.4f * fmaxf(0.f, fminf(3.f, log2f((float)g->rows / 5000.f))) -
                 0.4f * fmaxf(0.f, fminf(1.f, log2f((float)g->rows / 200000.f)));
    ProjView v = {.m = cam_matrix(&g->cam), .vw = (float)g->cam.vw, .vh = (float)g->cam.vh,
                  .scale = g->win.scale, .dist = g->cam.dist, .base = base, .two_d = g->two_d,
                  .focus = g->selected >= 0 || g->npins > 0, .hover_cluster = g->hover_cluster,
                  .palette = palette, .npalette = LIVE_MAX_CLUSTERS};
    proj_points(&w->proj, &v, g->cur, g->frame->cluster, g->rows, g->pts, g->depth);
    if (v.focus)
        undim_highlighted(g, &v);
    g->nsorted = proj_order(&w->proj, g->two_d, g->pts, g->depth, g->rows, g->sorted);
    w->key = k;
    w->projected = true;
}

bool gui_word_screen(const GuiApp *g, int64_t i, float *x, float *y)
{
    if (i < 0 || i >= g->rows || g->depth[i] <= 0)
        return false;
    *x = g->pts[i].x;
    *y = g->pts[i].y;
    return true;
}

int64_t gui_scene_pick(const GuiApp *g, float x, float y, float radius)
{
    if (!g->frame)
        return -1;
    return proj_pick(&g->work->proj, g->pts, g->depth, g->rows, x, y, radius);
}

/* ---- labels ---- */

/* Occupancy of a grid cell: panels, the axes and unforced labels; forced labels. */
#define CELL_USED 1
#define CELL_FORCED 2

/* No cell of [x0, x1] x [y0, y1] is above limit. */
static bool grid_free(const GuiApp *g, int x0, int y0, int x1, int y1, uint8_t limit)
{
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
            if (g->cell[y * g->grid_w + x] > limit)
                return false;
    return true;
}

/* Grid cells {x0, y0, x1, y1} under a label box at (x, y); false when it is off screen. */
static bool box_cells(const GuiApp *g, float x, float y, float tw, float th, int r[4])
{
    if (x + tw < 0 || y + th < 0 || x >= (float)g->cam.vw || y >= (float)g->cam.vh)
        return false;
    r[0] = (int)fmaxf(0, x / GRID);
    r[1] = (int)fmaxf(0, y / GRID);
    r[2] = (int)fminf((float)g->grid_w - 1, (x + tw) / GRID);
    r[3] = (int)fminf((float)g->grid_h - 1, (y + th - 2) / GRID);
    return true;
}

/* Where a forced label goes: right of its point, or else left, above or below, whichever
 * does not cover another forced label (the words of an analogy often sit close together,
 * man and woman nearly on top of each other in 2D); right when every side is taken. */
static bool forced_spot(const GuiApp *g, const DrawPoint *p, float tw, float th, float *x,
                        float *y, int r[4])
{
    float gap = p->radius + 3;
    const float spots[4][2] = {{p->x + gap, p->y - th * 0.5f}, {p->x - gap - tw, p->y - th * 0.5f},
                               {p->x - tw * 0.5f, p->y - gap - th}, {p->x - tw * 0.5f, p->y + gap}};
    for (int k = 0; k < 4; k++)
        if (box_cells(g, spots[k][0], spots[k][1], tw, th, r) &&
            grid_free(g, r[0], r[1], r[2], r[3], CELL_USED)) {
            *x = spots[k][0];
            *y = spots[k][1];
            return true;
        }
    *x = spots[0][0];
    *y = spots[0][1];
    return box_cells(g, *x, *y, tw, th, r);
}

/* Places word i's label right of its point if the cells are free (forced: see forced_spot). */
static bool place_label(GuiApp *g, int64_t i, bool force)
{
    if (g->nlabels >= GUI_MAX_LABELS || g->depth[i] <= 0)
        return false;
    /* only the priority labels (placed first, a few dozen) can repeat a word */
    for (int j = 0; j < g->nlabels && j < g->npriority; j++)
        if (g->labels[j] == i)
            return true;
    float px = g->pts[i].x, py = g->pts[i].y;
    if (px < -400.f || py < -50.f || px >= (float)g->cam.vw || py >= (float)g->cam.vh + 50.f)
        return false;
    const char *s = gui_word(g, i);
    float tw = (float)font_width(&g->win.label_font, s, strlen(s));
    float th = (float)g->win.label_font.height;
    float x = g->pts[i].x + g->pts[i].radius + 3, y = g->pts[i].y - th * 0.5f;
    int r[4];
    if (force ? !forced_spot(g, &g->pts[i], tw, th, &x, &y, r) : !box_cells(g, x, y, tw, th, r))
        return false;
    /* one free cell of margin around unforced labels keeps dense regions readable */
    if (!force && !grid_free(g, r[0] > 0 ? r[0] - 1 : 0, r[1], r[2] + 1 < g->grid_w ? r[2] + 1 : r[2],
                             r[3], 0))
        return false;
    if (force)
        g->nforced = g->nlabels + 1; /* forced labels come first */
    for (int yy = r[1]; yy <= r[3]; yy++)
        memset(&g->cell[yy * g->grid_w + r[0]], force ? CELL_FORCED : CELL_USED,
               (size_t)(r[2] - r[0] + 1));
    g->labels[g->nlabels] = i;
    float *b = g->label_box[g->nlabels++];
    b[0] = x;
    b[1] = y;
    b[2] = tw;
    b[3] = th;
    return true;
}

static void choose_labels(GuiApp *g)
{
    g->nlabels = 0;
    g->nforced = 0;
    g->npriority = GUI_MAX_LABELS; /* while placing the priority labels, check them all */
    int gw = g->cam.vw / GRID + 1, gh = g->cam.vh / GRID + 1;
    if (gw != g->grid_w || gh != g->grid_h || !g->cell) {
        free(g->cell);
        g->cell = malloc((size_t)gw * (size_t)gh);
        g->grid_w = gw;
        g->grid_h = gh;
        if (!g->cell)
            return;
    }
    memset(g->cell, 0, (size_t)gw * (size_t)gh);
    /* UI panels are not label space */
    for (int r = 0; r < g->ui.nrects; r++) {
        const float *q = g->ui.rects[r];
        int x0 = (int)fmaxf(0, q[0] / GRID), y0 = (int)fmaxf(0, q[1] / GRID);
        int x1 = (int)fminf((float)gw - 1, (q[0] + q[2]) / GRID);
        int y1 = (int)fminf((float)gh - 1, (q[1] + q[3]) / GRID);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                g->cell[y * gw + x] = CELL_USED;
    }
    /* nor is the axes gizmo in the bottom-left corner */
    int ax1 = (int)fminf((float)gw - 1, 175.f * g->win.scale / GRID);
    int ay0 = (int)fmaxf(0.f, ((float)g->cam.vh - 125.f * g->win.scale) / GRID);
    for (int y = ay0; y < gh; y++)
        memset(&g->cell[y * gw], CELL_USED, (size_t)ax1 + 1);
    if (g->hover >= 0)
        place_label(g, g->hover, true);
    if (g->selected >= 0)
        place_label(g, g->selected, true);
    for (int j = 0; j < g->nextra; j++)
        place_label(g, g->extra[j], true);
    for (int p = 0; p < g->npins; p++) {
        const GuiPin *pin = &g->pins[p];
        if (pin->q.is_analogy) {
            place_label(g, pin->q.a, true);
            place_label(g, pin->q.b, true);
            place_label(g, pin->q.c, true);
        }
        if (pin->nans)
            place_label(g, pin->ans[0].index, true);
    }
    for (int j = 0; j < g->nnbrs; j++)
        place_label(g, g->nbrs[j].index, false);
    g->npriority = g->nlabels;
    /* Then by frequency (row order), capped so a huge vocabulary costs bounded time; fewer
     * while something is selected, so the selection stands out. */
    bool focus = g->selected >= 0 || g->npins > 0;
    int64_t scan = g->rows < 20000 ? g->rows : 20000;
    int cap = focus ? g->nlabels + 40 : GUI_MAX_LABELS;
    for (int64_t i = 0; i < scan && g->nlabels < cap; i++)
        place_label(g, i, false);
}

/* ---- drawing ---- */

static void label_text(GuiApp *g, float x, float y, const char *s, uint32_t col)
{
    size_t n = strlen(s);
    draw_text(g->scene, 1, x + 1, y + 1, s, n, DRAW_RGBA(0, 0, 0, 200));
    draw_text(g->scene, 1, x, y, s, n, col);
}

static void draw_axes(GuiApp *g)
{
    const LiveFrame *f = g->frame;
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
        char buf[48];
        snprintf(buf, sizeof buf, "PC%d %.0f%%", j + 1, f->explained[j] * 100.0);
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
    vec3s pa = pos(g, pin->q.a), pb = pos(g, pin->q.b), pc = pos(g, pin->q.c);
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
    if (!g->frame) {
        if (!g->analysis)
            return; /* nothing open: the panels say so */
        const char *s = "waiting for the first snapshot...";
        float tw = (float)font_width(&g->win.ui_font, s, strlen(s));
        draw_text(g->scene, 0, ((float)g->cam.vw - tw) / 2, (float)g->cam.vh / 2, s, strlen(s),
                  DRAW_RGB(140, 148, 160));
        return;
    }
    float sc = g->win.scale;
    draw_points(g->scene, g->sorted, g->nsorted);
    gui_trails_draw(g);
    float sx, sy;
    if (g->selected >= 0 && gui_word_screen(g, g->selected, &sx, &sy)) {
        for (int j = 0; j < g->nnbrs; j++) {
            float nx, ny;
            if (!gui_word_screen(g, g->nbrs[j].index, &nx, &ny))
                continue;
            float a = 60.f + 180.f * fmaxf(0.f, g->nbrs[j].score);
            draw_line(g->scene, sx, sy, nx, ny, 1.2f * sc, DRAW_RGBA(230, 230, 230, (int)fminf(a, 255.f)));
            draw_circle(g->scene, nx, ny, 4.f * sc, DRAW_RGBA(230, 230, 230, 200));
        }
        draw_circle(g->scene, sx, sy, 7.f * sc, DRAW_RGB(255, 255, 255));
    }
    for (int j = 0; j < g->nextra; j++)
        if (gui_word_screen(g, g->extra[j], &sx, &sy))
            draw_circle(g->scene, sx, sy, 6.f * sc, DRAW_RGB(255, 255, 255));
    for (int p = 0; p < g->npins; p++)
        draw_pin(g, &g->pins[p], p);
    choose_labels(g);
    for (int j = 0; j < g->nlabels; j++) {
        int64_t i = g->labels[j];
        const float *b = g->label_box[j];
        bool focus = g->selected >= 0 || g->npins > 0;
        uint32_t col = highlighted(g, i) ? DRAW_RGB(255, 255, 255)
                       : focus          ? DRAW_RGBA(200, 205, 215, 110)
                                        : DRAW_RGBA(215, 220, 228, 215);
        if (i != g->hover)
            label_text(g, b[0], b[1], gui_word(g, i), col);
    }
    if (g->hover >= 0 && gui_word_screen(g, g->hover, &sx, &sy)) {
        char tip[160];
        const Vocab *v = gui_vocab(g);
        snprintf(tip, sizeof tip, "%s   #%lld  x%llu  cluster %d", gui_word(g, g->hover),
                 (long long)g->hover + 1, (unsigned long long)v->counts[g->hover],
                 g->frame->cluster[g->hover] + 1);
        float tw = (float)font_width(&g->win.label_font, tip, strlen(tip));
        float th = (float)g->win.label_font.height;
        float x = sx + 10 * sc, y = sy - th - 10 * sc;
        if (x + tw + 12 > (float)g->cam.vw)
            x = sx - tw - 22 * sc;
        draw_rect(g->scene, x, y, tw + 12, th + 6, DRAW_RGBA(10, 12, 16, 230));
        draw_frame(g->scene, x, y, tw + 12, th + 6, DRAW_RGB(86, 180, 233));
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
    k->trails = !g->trails.hidden;
    k->hover_cluster = g->hover_cluster;
    k->frame_seq = g->frame_seq;
    k->hover = g->hover;
    k->selected = g->selected;
    k->nextra = g->nextra;
    memcpy(k->extra, g->extra, (size_t)g->nextra * sizeof g->extra[0]);
    k->nnbrs = g->nnbrs;
    for (int j = 0; j < g->nnbrs; j++)
        k->nbrs[j] = g->nbrs[j].index;
    k->npins = g->npins;
    for (int p = 0; p < g->npins; p++) {
        const GuiPin *pin = &g->pins[p];
        int64_t v[5] = {pin->q.is_analogy, pin->q.a, pin->q.b, pin->q.c,
                        pin->nans ? pin->ans[0].index : -1};
        memcpy(k->pins[p], v, sizeof v);
    }
    k->nrects = g->ui.nrects; /* labels keep out of the panels */
    memcpy(k->rects, g->ui.rects, (size_t)g->ui.nrects * sizeof g->ui.rects[0]);
}

/* ---- camera gestures and picking ---- */

/* Flies the camera to frame words[0..n) (their centroid, radius to the farthest). */
void gui_fly_to(GuiApp *g, const int64_t *words, int n)
{
    if (n <= 0 || !g->frame)
        return;
    vec3s c = glms_vec3_zero();
    for (int j = 0; j < n; j++)
        c = glms_vec3_add(c, pos(g, words[j]));
    c = glms_vec3_scale(c, 1.f / (float)n);
    float r = 0.15f;
    for (int j = 0; j < n; j++)
        r = fmaxf(r, glms_vec3_distance(c, pos(g, words[j])));
    Cam tmp = g->cam;
    cam_frame(&tmp, c, r * 1.5f);
    g->fly_from = g->cam.target;
    g->fly_dist_from = g->cam.dist;
    g->fly_to = c;
    g->fly_dist_to = tmp.dist;
    g->fly_start = gui_now_ms();
    g->flying = true;
    g->follow = false;
}

void gui_frame_selection(GuiApp *g)
{
    int64_t w[1 + 16 + GUI_MAX_K];
    int n = 0;
    if (g->selected < 0 && g->npins) { /* no selection: the newest pinned analogy */
        const GuiPin *p = &g->pins[g->npins - 1];
        if (p->q.is_analogy && p->nans) {
            int64_t q[4] = {p->q.a, p->q.b, p->q.c, p->ans[0].index};
            gui_fly_to(g, q, 4);
        }
        return;
    }
    if (g->selected < 0)
        return;
    w[n++] = g->selected;
    for (int j = 0; j < g->nextra; j++)
        w[n++] = g->extra[j];
    for (int j = 0; j < g->nnbrs; j++)
        w[n++] = g->nbrs[j].index;
    gui_fly_to(g, w, n);
    g->follow = true;
    g->follow_offset = glms_vec3_sub(g->fly_to, pos(g, g->selected));
}

void gui_scene_input(GuiApp *g)
{
    const UiInput *in = &g->ui.in;
    bool over_ui = ui_over(&g->ui, in->mx, in->my);
    bool any_drag = g->dragging[0] || g->dragging[1];
    g->hover = over_ui && !any_drag ? -1 : gui_scene_pick(g, in->mx, in->my, 8.f * g->win.scale);
    if (!over_ui && in->wheel != 0.f) {
        cam_zoom_at(&g->cam, powf(0.85f, in->wheel), in->mx, in->my);
        g->follow = false;
            g->flying = false;
    }
    for (int b = 0; b < 2; b++)
        if (in->pressed[b] && !over_ui && !g->ui.active) {
            g->dragging[b] = true;
            g->drag_x = in->mx;
            g->drag_y = in->my;
            if (b == 0) {
                g->click_pending = true;
                g->press_x = in->mx;
                g->press_y = in->my;
            }
        }
    if (g->dragging[0] || g->dragging[1]) {
        float dx = in->mx - g->drag_x, dy = in->my - g->drag_y;
        if (g->click_pending && fabsf(in->mx - g->press_x) + fabsf(in->my - g->press_y) > 4.f)
            g->click_pending = false;
        if ((dx != 0.f || dy != 0.f) && !g->click_pending) {
            if (g->dragging[1] || g->two_d || in->shift) {
                cam_pan(&g->cam, dx, dy);
                g->follow = false;
            }
            else
                cam_orbit(&g->cam, g->drag_x, g->drag_y, in->mx, in->my);
            g->drag_x = in->mx;
            g->drag_y = in->my;
                    g->flying = false;
        }
    }
    if (in->released[1])
        g->dragging[1] = false;
    if (in->released[0] && g->dragging[0]) {
        g->dragging[0] = false;
        if (g->click_pending) {
            g->click_pending = false;
            int64_t hit = gui_scene_pick(g, in->mx, in->my, 8.f * g->win.scale);
            double now = gui_now_ms();
            if (hit >= 0 && hit == g->last_click_word && now - g->last_click_ms < 400) {
                gui_frame_selection(g);
            } else if (hit >= 0 && in->ctrl) {
                gui_select_toggle(g, hit);
            } else if (hit >= 0) {
                gui_select(g, hit);
            } else {
                gui_select(g, -1);
            }
            g->last_click_word = hit;
            g->last_click_ms = now;
        }
    }
}
