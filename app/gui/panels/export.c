/* Exports from the window: vectors, projected coordinates with clusters, projector files and
 * screenshots larger than the window, from the export panel (E), its buttons, and the script.
 * Everything comes from the published frame (the UI thread never reads the trainer's
 * matrices): a live session's vectors are the frame's unit rows times their norms. UI thread. */
#include "app/ui/textbox.h"
#include "app/gui/panels/export.h"
#include "app/gui/panels/bookmark.h"
#include "app/gui/data/proj.h"
#include "app/gui/scene/scene.h"
#include "model/files/export.h"
#include "model/files/tbproj.h"
#include "model/files/vecfile.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The vectors of the frame on screen: the loaded table itself, or rebuilt from the frame. */
static const Embeddings *snapshot_vectors(GuiApp *g, Embeddings *tmp, Err *e)
{
    if (g->data.table)
        return g->data.table;
    const LiveSnapshot *f = g->data.snap;
    if (!f)
        return err_set(e, "no snapshot yet"), NULL;
    const Vocab *v = gui_vocab(g);
    emb_init(tmp);
    if (!vocab_copy(&tmp->vocab, v, e) || !emb_alloc(tmp, f->knn.rows, f->knn.dim, e)) {
        emb_deinit(tmp);
        return NULL;
    }
    for (int64_t i = 0; i < f->knn.rows; i++) {
        const float *u = knn_row(&f->knn, i);
        float *r = emb_row(tmp, i), n = f->knn.norm[i];
        for (int j = 0; j < f->knn.dim; j++)
            r[j] = u[j] * n;
    }
    return tmp;
}

static int32_t *snapshot_clusters(const LiveSnapshot *f, Err *e)
{
    int32_t *c = malloc((size_t)(f->rows ? f->rows : 1) * sizeof *c);
    if (!c)
        return err_set(e, "out of memory"), NULL;
    for (int64_t i = 0; i < f->rows; i++)
        c[i] = f->cluster[i];
    return c;
}

/* The coordinates of the projection on screen: PCA's own (not rescaled), else where the
 * points are drawn (custom axes, UMAP, t-SNE: the scene's unit-RMS coordinates), with the
 * columns named after it. */
bool gui_export_coords(GuiApp *g, const char *path, Err *e)
{
    const LiveSnapshot *f = g->data.snap;
    if (!f)
        return err_set(e, "%s: no snapshot yet", path);
    static const char *const stem[GUI_PROJ_COUNT] = {"pc", "axis", "umap", "tsne"};
    const float *xyz = f->xyz;
    if (g->proj.kind != GUI_PROJ_PCA) {
        bool layout = g->proj.kind == GUI_PROJ_UMAP || g->proj.kind == GUI_PROJ_TSNE;
        if (g->points.rows != f->rows || !g->points.to || (layout && !gui_proj_layout_shown(g, f)))
            return err_set(e, "%s: the %s layout is not on screen yet", path, stem[g->proj.kind]);
        xyz = g->points.to;
    }
    int32_t *c = snapshot_clusters(f, e);
    bool ok = c && export_coords(path, gui_vocab(g), xyz, g->two_d ? 2 : 3, stem[g->proj.kind], c, e);
    free(c);
    return ok;
}

bool gui_export_projector(GuiApp *g, const char *dir, Err *e)
{
    if (!g->data.snap)
        return err_set(e, "%s: no snapshot yet", dir);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return err_set(e, "%s: cannot create the folder: %s", dir, strerror(errno));
    Embeddings tmp;
    const Embeddings *m = snapshot_vectors(g, &tmp, e);
    if (!m)
        return false;
    int32_t *c = snapshot_clusters(g->data.snap, e);
    bool ok = c && tbproj_save(dir, m, c, e);
    free(c);
    if (m == &tmp)
        emb_deinit(&tmp);
    return ok;
}

bool gui_export_vectors(GuiApp *g, const char *path, bool binary, Err *e)
{
    Embeddings tmp;
    const Embeddings *m = snapshot_vectors(g, &tmp, e);
    if (!m)
        return false;
    bool ok = vecfile_save(path, m, binary ? VEC_BINARY : VEC_TEXT, e);
    if (m == &tmp)
        emb_deinit(&tmp);
    return ok;
}

/* The scene (points, labels, arrows, axes; not the panels) drawn again at factor times the
 * window's pixels, with fonts rasterised for that size, for print. */
bool gui_screenshot_scaled(GuiApp *g, const char *path, int factor, Err *e)
{
    if (factor < 1 || factor > 8)
        return err_set(e, "%s: scale %d is out of range 1..8", path, factor);
    if (!g->data.snap)
        return err_set(e, "%s: no snapshot yet", path);
    int vw = g->cam.vw, vh = g->cam.vh;
    int64_t w = (int64_t)vw * factor, h = (int64_t)vh * factor;
    if (w * h > 200000000)
        return err_set(e, "%s: %lld x %lld pixels is too large", path, (long long)w, (long long)h);
    Canvas c;
    memset(&c, 0, sizeof c);
    c.px = malloc((size_t)(w * h) * sizeof *c.px);
    if (!c.px)
        return err_set(e, "%s: out of memory for %lld x %lld pixels", path, (long long)w, (long long)h);
    float scale = g->win.scale;
    if (!win_set_scale(&g->win, scale * (float)factor, e)) {
        free(c.px);
        return false;
    }
    c.w = c.pitch = (int)w;
    c.h = (int)h;
    c.fonts[0] = &g->win.ui_font;
    c.fonts[1] = &g->win.label_font;
    canvas_clip(&c, 0, 0, -1, -1);
    cam_viewport(&g->cam, (int)w, (int)h);
    gui_scene_project(g);
    draw_clear(g->scene);
    gui_scene_draw(g);
    canvas_clear(&c, GUI_BG);
    canvas_play(&c, g->scene);
    bool ok = win_save_png(c.px, c.w, c.h, c.pitch, path, e);
    free(c.px);
    Err e2 = {{0}};
    if (!win_set_scale(&g->win, scale, &e2) && ok)
        ok = err_set(e, "%s", e2.msg);
    /* back to the window: the next frame projects and labels again */
    cam_viewport(&g->cam, vw, vh);
    gui_scene_project(g);
    layercache_invalidate(&g->space.layer);
    return ok;
}

/* The export panel's buttons, in order: label and the file each writes into export_dir. */
static const struct {
    const char *label, *file;
} exports[GUI_EXPORT_COUNT] = {
    [GUI_EXPORT_COORDS] = {"Coordinates + clusters (.tsv)", "embedscope-coords.tsv"},
    [GUI_EXPORT_PROJECTOR] = {"Projector (vectors.tsv + metadata)", "embedscope-projector"},
    [GUI_EXPORT_VECTORS_TEXT] = {"Vectors, word2vec text", "embedscope-vectors.txt"},
    [GUI_EXPORT_VECTORS_BINARY] = {"Vectors, word2vec binary", "embedscope-vectors.bin"},
    [GUI_EXPORT_SCREENSHOT_4X] = {"Screenshot 4x (scene)", "embedscope-4x.png"},
    [GUI_EXPORT_BOOKMARK_SAVE] = {"Save bookmark (B)", "embedscope.bookmark"},
    [GUI_EXPORT_BOOKMARK_RESTORE] = {"Restore bookmark", "embedscope.bookmark"},
};

static bool run_one(GuiApp *g, GuiExport what, const char *path, Err *e)
{
    switch (what) {
    case GUI_EXPORT_COORDS: return gui_export_coords(g, path, e);
    case GUI_EXPORT_PROJECTOR: return gui_export_projector(g, path, e);
    case GUI_EXPORT_VECTORS_TEXT: return gui_export_vectors(g, path, false, e);
    case GUI_EXPORT_VECTORS_BINARY: return gui_export_vectors(g, path, true, e);
    case GUI_EXPORT_SCREENSHOT_4X: return gui_screenshot_scaled(g, path, 4, e);
    case GUI_EXPORT_BOOKMARK_SAVE: return gui_bookmark_save(g, path, e);
    default: return err_set(e, "no such export");
    }
}

void gui_export_run(GuiApp *g, GuiExport what)
{
    if (what < 0 || what >= GUI_EXPORT_COUNT)
        return;
    char path[1200];
    const char *dir = g->export_dir[0] ? g->export_dir : ".";
    snprintf(path, sizeof path, "%s/%s", dir, exports[what].file);
    Err e = {{0}};
    if (what == GUI_EXPORT_BOOKMARK_RESTORE) {
        if (gui_bookmark_load(g, path, true, &e))
            gui_set_status(g, false, "restoring %s", path);
        else
            gui_set_status(g, true, "bookmark not restored: %s", e.msg);
        return;
    }
    if (run_one(g, what, path, &e))
        gui_set_status(g, false, "saved %s", path);
    else
        gui_set_status(g, true, "export failed: %s", e.msg);
}

float gui_export_panel(GuiApp *g, float x, float y, float w)
{
    Ui *ui = &g->ui;
    ui_panel_begin(ui, x, y, w);
    ui_row(ui, "Export", "E closes", ui->theme.accent);
    ui_label(ui, "into the folder", ui->theme.dim);
    float bh = (float)ui->line_h + 8;
    ui_textbox(ui, "export-dir", g->export_dir, sizeof g->export_dir, ui->px + ui->pad, ui->cy,
               w - 2 * ui->pad, ".");
    ui_space(ui, bh + 6);
    for (int i = 0; i < GUI_EXPORT_COUNT; i++) {
        if (ui_button(ui, exports[i].label, ui->px + ui->pad, ui->cy, w - 2 * ui->pad, bh) & UI_SUBMITTED)
            gui_export_run(g, (GuiExport)i);
        ui_space(ui, bh + 4);
    }
    return ui_panel_end(ui);
}
