/* Region and cluster names over the cloud (see regionlabels.h). UI thread, except job_main,
 * which touches only its job's own copies until it raises done. */
#include "app/gui/scene/regionlabels.h"
#include "app/gui/data/proj.h"
#include "model/analysis/regions.h"
#include "model/analysis/typical.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_WORDS 3   /* words shown per region: more make plates too wide to fit many */
#define MARGIN 6.f     /* logical pixels kept free around a plate */

typedef struct GuiRegionJob {
    pthread_t thread;
    atomic_bool done;
    /* inputs, copies owned by the job */
    float *xyz;           /* (rows, 3) scene coordinates of the layout */
    float *unit;          /* (rows, stride) unit vectors */
    int64_t rows;
    int dim, stride;
    uint64_t builds, gen; /* what it names */
    void *wake;           /* the GuiApp, for gui_wake only (any thread may call it) */
    /* outputs, read by the UI after the join */
    Regions reg;
    int64_t *names;       /* (reg.n, NAME_WORDS) */
    Err err;
    bool ok;
} GuiRegionJob;

static void *job_main(void *arg)
{
    GuiRegionJob *j = arg;
    j->ok = regions_find(&j->reg, j->xyz, j->rows, 3, NULL, &j->err);
    if (j->ok && j->reg.n > 0) {
        j->names = malloc(sizeof *j->names * (size_t)j->reg.n * NAME_WORDS);
        j->ok = j->names ? typical_name(j->unit, j->rows, j->dim, j->stride, j->reg.member,
                                        j->reg.n, &(TypicalDesc){.words = NAME_WORDS}, j->names,
                                        &j->err)
                         : err_set(&j->err, "out of memory for %d region names", j->reg.n);
    }
    atomic_store(&j->done, true);
    gui_wake(j->wake); /* the scene key changes with done: the next frame draws the names */
    return NULL;
}

static void job_free(GuiRegionJob *j)
{
    if (!j)
        return;
    free(j->xyz);
    free(j->unit);
    free(j->names);
    regions_deinit(&j->reg);
    free(j);
}

/* A job on copies of the layout on screen and the snapshot's unit vectors: the UI may let go of
 * the snapshot while the job runs. */
static void start(GuiApp *g, const LiveSnapshot *f)
{
    GuiRegionLabels *r = &g->space.regions;
    GuiRegionJob *j = calloc(1, sizeof *j);
    size_t n = (size_t)f->rows;
    if (j) {
        *j = (GuiRegionJob){.rows = f->rows, .dim = f->knn.dim, .stride = f->knn.stride,
                            .builds = f->layout_builds, .gen = g->data.generation, .wake = g};
        j->xyz = malloc(n * 3 * sizeof(float));
        j->unit = malloc(n * (size_t)f->knn.stride * sizeof(float));
    }
    /* made_* are set even when this fails, so a failure is not retried on every frame */
    r->made_builds = f->layout_builds;
    r->made_gen = g->data.generation;
    if (!j || !j->xyz || !j->unit) {
        job_free(j);
        snprintf(r->error, sizeof r->error, "region names: out of memory");
        return;
    }
    memcpy(j->xyz, g->points.to, n * 3 * sizeof(float));
    memcpy(j->unit, f->knn.unit, n * (size_t)f->knn.stride * sizeof(float));
    atomic_init(&j->done, false);
    if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
        job_free(j);
        snprintf(r->error, sizeof r->error, "region names: cannot start a thread");
        return;
    }
    r->job = j;
}

/* The job's names, when it has finished, for the data it was made for. */
static void take(GuiApp *g)
{
    GuiRegionLabels *r = &g->space.regions;
    GuiRegionJob *j = r->job;
    if (!j || !atomic_load(&j->done))
        return;
    pthread_join(j->thread, NULL);
    r->job = NULL;
    r->taken++;
    if (!j->ok)
        snprintf(r->error, sizeof r->error, "region names: %.140s", j->err.msg);
    if (j->ok && j->gen == g->data.generation) {
        r->error[0] = 0;
        r->nnames = 0;
        for (int k = 0; k < j->reg.n && k < GUI_MAX_REGION_NAMES; k++) {
            GuiRegionName *nm = &r->names[r->nnames++];
            const Region *rg = &j->reg.region[k];
            *nm = (GuiRegionName){{rg->x, rg->y, 0}, rg->size, ""};
            size_t len = 0;
            for (int w = 0; w < NAME_WORDS; w++) {
                int64_t row = j->names[k * NAME_WORDS + w];
                if (row < 0)
                    continue;
                int c = snprintf(nm->text + len, sizeof nm->text - len, "%s%s", len ? ", " : "",
                                 gui_word(g, row));
                if (c < 0 || (size_t)c >= sizeof nm->text - len)
                    break;
                len += (size_t)c;
            }
        }
    }
    job_free(j);
}

/* The layout on screen is the one the panel asked for (gui_proj_layout_shown): before it
 * arrives the points still show the old picture, whose coordinates must not be named as the
 * layout's and then be taken for done. */
static bool layout_view(const GuiApp *g)
{
    const LiveSnapshot *f = g->data.snap;
    return f && gui_proj_layout_shown(g, f) && f->rows == g->points.rows;
}

/* A new layout on screen gets a job. points.to is that layout from the frame its snapshot
 * arrived (the animation runs towards it), so the job need not wait for the animation to end:
 * while training, snapshots come faster than the 220 ms animation, and waiting for a still
 * frame kept the names away until training stopped (a test timed out so under load). */
static void maybe_start(GuiApp *g)
{
    GuiRegionLabels *r = &g->space.regions;
    const LiveSnapshot *f = g->data.snap;
    if (r->job || !layout_view(g) || f->knn.rows != f->rows)
        return;
    if (r->made_builds == f->layout_builds && r->made_gen == g->data.generation)
        return;
    start(g, f);
}

/* Each cluster's mean position in points.from and points.to, summed once per animation
 * (a snapshot or a change of projection sets from, to and anim_start together). */
static void cluster_means(GuiApp *g, const LiveSnapshot *f)
{
    GuiRegionLabels *r = &g->space.regions;
    uint64_t key[2] = {g->data.snap_seq, g->data.generation};
    if (r->cl_anim == g->points.anim_start && !memcmp(key, r->cl_key, sizeof key))
        return;
    r->cl_anim = g->points.anim_start;
    memcpy(r->cl_key, key, sizeof key);
    double sum[2][LIVE_MAX_CLUSTERS][3] = {{{0}}};
    int64_t cnt[LIVE_MAX_CLUSTERS] = {0};
    const float *from = g->points.from, *to = g->points.to;
    for (int64_t i = 0; i < f->rows; i++) {
        int c = f->cluster[i];
        if (c < 0 || c >= f->nclusters)
            continue;
        for (int k = 0; k < 3; k++) {
            sum[0][c][k] += from[i * 3 + k];
            sum[1][c][k] += to[i * 3 + k];
        }
        cnt[c]++;
    }
    for (int c = 0; c < f->nclusters; c++) {
        double inv = cnt[c] ? 1.0 / (double)cnt[c] : 0;
        for (int k = 0; k < 3; k++) {
            r->cl_from[c][k] = (float)(sum[0][c][k] * inv);
            r->cl_to[c][k] = (float)(sum[1][c][k] * inv);
        }
        r->cl_count[c] = cnt[c];
    }
}

/* The k-means clusters by the legend's words at their members' mean position in the scene,
 * into r->clusters: the means of from and to, interpolated as the points are. */
static int cluster_names(GuiApp *g)
{
    const LiveSnapshot *f = g->data.snap;
    GuiRegionLabels *r = &g->space.regions;
    GuiRegionName *out = r->clusters;
    if (!f || f->nclusters < 2 || f->rows != g->points.rows)
        return 0;
    cluster_means(g, f);
    float s = g->points.anim_s;
    for (int c = 0; c < f->nclusters; c++) { /* out[c] is cluster c; an empty one has no text */
        const float *a = r->cl_from[c], *b = r->cl_to[c];
        out[c] = (GuiRegionName){{a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1]),
                                  a[2] + s * (b[2] - a[2])}, r->cl_count[c], ""};
        if (r->cl_count[c])
            snprintf(out[c].text, sizeof out[c].text, "%s", f->legend[c]);
    }
    return f->nclusters;
}

static bool overlaps(const float *a, const float *b, float m)
{
    return !(a[0] + a[2] + m <= b[0] || b[0] + b[2] + m <= a[0] || a[1] + a[3] + m <= b[1] ||
             b[1] + b[3] + m <= a[1]);
}

/* Plate of a name centred on its point; false when off screen or over a panel or an earlier
 * plate (most prominent first, so the smaller regions give way). */
static bool place(GuiApp *g, const GuiRegionName *nm, float box[4])
{
    float sx, sy, sc = g->win.scale;
    if (!nm->text[0] || !cam_project(&g->cam, (vec3s){{nm->pos[0], nm->pos[1], nm->pos[2]}}, &sx, &sy, NULL))
        return false;
    float tw = (float)font_width(&g->win.ui_font, nm->text, strlen(nm->text)) + 1;
    float th = (float)g->win.ui_font.height, pad = 5 * sc;
    box[0] = sx - tw / 2 - pad;
    box[1] = sy - th / 2 - pad / 2;
    box[2] = tw + 2 * pad;
    box[3] = th + pad;
    if (box[0] < 0 || box[1] < 0 || box[0] + box[2] > (float)g->cam.vw ||
        box[1] + box[3] > (float)g->cam.vh)
        return false;
    for (int r = 0; r < g->ui.nrects; r++)
        if (overlaps(box, g->ui.rects[r], 0))
            return false;
    const GuiRegionLabels *rl = &g->space.regions;
    for (int k = 0; k < rl->nplaced; k++)
        if (overlaps(box, rl->box[k], MARGIN * sc))
            return false;
    return true;
}

static void draw_plate(GuiApp *g, const float *b, const char *text, uint32_t edge)
{
    float sc = g->win.scale, pad = 5 * sc;
    /* see-through enough that the points of a small region still show under its name */
    draw_rect(g->scene, b[0], b[1], b[2], b[3], DRAW_RGBA(10, 12, 18, 150));
    draw_outline(g->scene, b[0], b[1], b[2], b[3], edge);
    size_t n = strlen(text);
    /* twice, a pixel apart: a bold face the word labels do not have */
    draw_text(g->scene, 0, b[0] + pad, b[1] + pad / 2, text, n, DRAW_RGB(255, 232, 170));
    draw_text(g->scene, 0, b[0] + pad + 1, b[1] + pad / 2, text, n, DRAW_RGB(255, 232, 170));
}

void gui_region_labels_draw(GuiApp *g)
{
    GuiRegionLabels *r = &g->space.regions;
    take(g);
    maybe_start(g);
    r->nplaced = 0;
    if (!g->data.snap || g->space.hide_legend)
        return;
    bool layout = layout_view(g);
    const GuiRegionName *names = layout ? r->names : r->clusters;
    int n = layout ? r->nnames : cluster_names(g);
    for (int k = 0; k < n && r->nplaced < GUI_MAX_REGION_NAMES; k++) {
        float *b = r->box[r->nplaced];
        if (!place(g, &names[k], b))
            continue;
        /* cluster plates wear their cluster's colour (the legend's); region plates a neutral one */
        uint32_t edge = layout ? DRAW_RGBA(255, 232, 170, 140)
                               : (gui_cluster_color(k) & 0xFFFFFFu) | 0xC0000000u;
        draw_plate(g, b, names[k].text, edge);
        r->placed[r->nplaced++] = names[k].text;
    }
}

uint64_t gui_region_labels_key(const GuiApp *g)
{
    const GuiRegionLabels *r = &g->space.regions;
    return r->taken * 2 + (r->job && atomic_load(&r->job->done));
}

void gui_region_labels_reserve(const GuiApp *g, uint8_t *cell, int grid_w, int grid_h, int grid,
                               uint8_t used)
{
    const GuiRegionLabels *r = &g->space.regions;
    for (int k = 0; k < r->nplaced; k++) {
        const float *b = r->box[k];
        int x0 = (int)fmaxf(0, b[0] / (float)grid), y0 = (int)fmaxf(0, b[1] / (float)grid);
        int x1 = (int)fminf((float)grid_w - 1, (b[0] + b[2]) / (float)grid);
        int y1 = (int)fminf((float)grid_h - 1, (b[1] + b[3]) / (float)grid);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                cell[y * grid_w + x] = used;
    }
}

void gui_region_labels_free(GuiApp *g)
{
    GuiRegionLabels *r = &g->space.regions;
    if (r->job) {
        pthread_join(r->job->thread, NULL);
        job_free(r->job);
        r->job = NULL;
    }
    r->nnames = r->nplaced = 0;
    r->made_builds = r->made_gen = 0;
    r->cl_anim = -1; /* no animation starts at -1 ms: the means are summed again */
    r->error[0] = 0;
}
