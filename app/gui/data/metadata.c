/* Metadata for the points' colours (see metadata.h): loading, matching rows to the words on
 * screen, and the projector pair found beside a vectors.tsv. UI thread. */
#include "app/gui/data/metadata.h"
#include "model/files/tbproj.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gui_metadata_free(GuiApp *g)
{
    GuiColorBy *c = &g->space.color;
    if (c->meta)
        meta_deinit(c->meta);
    free(c->meta);
    free(c->meta_row);
    c->meta = NULL;
    c->meta_row = NULL;
    c->meta_words = c->unmatched = 0;
    c->picked = 0;
    if (c->mode >= GUI_COLOR_METADATA)
        c->mode = GUI_COLOR_CLUSTER;
}

const Meta *gui_metadata(const GuiApp *g)
{
    const GuiColorBy *c = &g->space.color;
    bool current = c->meta && c->meta_gen == g->data.generation && c->meta_words == gui_vocab(g)->size;
    return current ? c->meta : NULL;
}

/* The first bytes of path (n of at most cap - 1, NUL-terminated); false if unreadable. */
static bool head(const char *path, char *buf, size_t cap, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    *n = fread(buf, 1, cap - 1, f);
    buf[*n] = 0;
    fclose(f);
    return true;
}

bool gui_metadata_sniff_file(const char *path)
{
    char buf[4096];
    size_t n;
    return head(path, buf, sizeof buf, &n) && meta_sniff(buf, n);
}

/* Is the data on screen a projector vectors.tsv (tab-separated numbers, so its labels came
 * from the metadata.tsv beside it)? A gzip file is not looked into: matched by word instead. */
static bool shown_projector(const GuiApp *g)
{
    char buf[4096];
    size_t n;
    const char *src = g->data.sess.source;
    if (!g->data.table || g->data.sess.in_memory || !head(src, buf, sizeof buf, &n) || n < 2)
        return false;
    if ((unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b)
        return false;
    const char *nl = memchr(buf, '\n', n);
    return memchr(buf, '\t', nl ? (size_t)(nl - buf) : n) && !meta_sniff(buf, n);
}

/* path is the metadata.tsv beside the projector file shown: rows line up by position. */
static bool own_pair(const GuiApp *g, const char *path)
{
    char pair[4096], a[4096], b[4096];
    if (!shown_projector(g) || !tbproj_metadata_path(g->data.sess.source, pair, sizeof pair))
        return false;
    return realpath(pair, a) && realpath(path, b) && !strcmp(a, b);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* "pos (12 values), freq (numeric)" for the status line. */
static void describe(const Meta *m, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    for (int k = 1; k < m->ncols && o + 1 < cap; k++) {
        const MetaColumn *c = &m->col[k];
        int n = c->kind == META_NUMERIC
                    ? snprintf(out + o, cap - o, "%s%s (numeric)", k > 1 ? ", " : "", c->name)
                    : snprintf(out + o, cap - o, "%s%s (%lld values)", k > 1 ? ", " : "", c->name,
                               (long long)c->distinct);
        o = n < 0 ? cap : o + (size_t)n;
    }
}

bool gui_metadata_load(GuiApp *g, const char *path)
{
    const Vocab *v = gui_vocab(g);
    if (v->size == 0) {
        gui_set_status(g, true, "%s: open vectors or a corpus first, then its metadata", base_name(path));
        return false;
    }
    Meta *m = calloc(1, sizeof *m);
    int64_t *row_of = malloc((size_t)v->size * sizeof *row_of);
    Err e = {{0}};
    if (!m || !row_of || !meta_load(m, path, &e)) {
        gui_set_status(g, true, "metadata not loaded: %s", m && row_of ? e.msg : "out of memory");
        free(m);
        free(row_of);
        return false;
    }
    bool by_row = own_pair(g, path);
    int64_t unmatched = meta_match(m, v, by_row, row_of);
    GuiColorBy *c = &g->space.color;
    gui_metadata_free(g);
    c->meta = m;
    snprintf(c->meta_path, sizeof c->meta_path, "%s", path);
    c->meta_row = row_of;
    c->meta_words = v->size;
    c->unmatched = unmatched;
    c->meta_gen = g->data.generation;
    c->mode = GUI_COLOR_METADATA;
    c->made_seq = 0;
    g->match.generation++; /* in the scene's key: the same mode may now mean other colours */
    char cols[160];
    describe(m, cols, sizeof cols);
    gui_set_status(g, unmatched == v->size, "%s: %s for %lld of %lld words%s; colour by %s (K: next)",
                   base_name(path), cols, (long long)(v->size - unmatched), (long long)v->size,
                   unmatched ? " (the others have no row: grey)" : "", m->col[1].name);
    return true;
}

/* A followed file reopened (g->pending_quiet) keeps its metadata file and colouring, quietly. */
static void reload_quietly(GuiApp *g, GuiColorMode mode)
{
    GuiColorBy *c = &g->space.color;
    char path[sizeof c->meta_path], before[sizeof g->status.text];
    snprintf(path, sizeof path, "%s", c->meta_path);
    snprintf(before, sizeof before, "%s", g->status.text);
    bool was_error = g->status.error;
    if (!gui_metadata_load(g, path))
        return; /* the status says why */
    if ((int)mode - GUI_COLOR_METADATA + 1 < c->meta->ncols)
        c->mode = mode;
    gui_set_status(g, was_error, "%s", before);
}

void gui_metadata_installed(GuiApp *g)
{
    GuiColorBy *c = &g->space.color;
    bool again = g->pending_quiet && c->meta && c->meta_path[0];
    GuiColorMode mode = c->mode; /* before the free, which falls back to the clusters */
    gui_metadata_free(g);
    if (again && !c->meta_pending[0]) {
        reload_quietly(g, mode);
        return;
    }
    char pair[4096], before[sizeof g->status.text];
    snprintf(before, sizeof before, "%s", g->status.text);
    bool was_error = g->status.error;
    bool loaded;
    if (c->meta_pending[0]) {
        loaded = gui_metadata_load(g, c->meta_pending);
        c->meta_pending[0] = 0;
    } else if (shown_projector(g) && tbproj_metadata_path(g->data.sess.source, pair, sizeof pair) &&
               gui_metadata_sniff_file(pair)) {
        loaded = gui_metadata_load(g, pair);
    } else {
        return;
    }
    char mine[sizeof g->status.text];
    snprintf(mine, sizeof mine, "%s", g->status.text);
    gui_set_status(g, was_error || !loaded, "%s; %s", before, mine);
}
