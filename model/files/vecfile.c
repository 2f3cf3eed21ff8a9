/* The vector-file entry point (see vecfile.h): opens the input, refuses foreign files, lets
 * sniff decide the format, hands the rows to the format's reader, then labels projector rows
 * and hands the table over. Any thread; no shared state. */
#include "model/files/vecfile.h"
#include "model/files/readbuf.h"
#include "model/files/sniff.h"
#include "model/files/tbproj.h"
#include "model/files/vecload.h"
#include "model/files/w2v_bin.h"
#include "model/files/w2v_save.h"
#include "model/files/w2v_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

VecLoadDesc vecfile_desc_defaults(const VecLoadDesc *d)
{
    VecLoadDesc r = d ? *d : (VecLoadDesc){0};
    if (r.data && !r.path)
        r.path = "memory";
    if (r.metadata_data && !r.metadata)
        r.metadata = "metadata.tsv";
    if (r.max_words < 0)
        r.max_words = 0;
    return r;
}

/* After a "rows dim" header: text or binary rows. */
static bool load_header(VecLoad *L, VecFormat fmt, long long rows, long long dim)
{
    if (!vecload_set_dim(L, dim))
        return false;
    if (rows <= 0)
        return vecload_fail_line(L, L->line, "the header declares %lld rows", rows);
    L->header_rows = rows;
    L->fmt = fmt;
    if (fmt == VEC_AUTO) {
        ReadBuf *r = &L->r;
        readbuf_need(r, sniff_binary_window(L->dim));
        bool bin = sniff_binary(r->buf + r->pos, r->buf + r->len, r->eof, rows, L->dim, L->loc);
        L->fmt = bin ? VEC_BINARY : VEC_TEXT;
    }
    /* No early verdict on a header that the file size cannot back: allocation is capped by
     * the size (row_bound), and reading to the end names the exact line or byte that is missing. */
    bool bin = L->fmt == VEC_BINARY;
    if (!vecload_first_rows(L, vecload_row_bound(L, bin ? w2v_bin_min_row(L) : w2v_text_min_row(L))))
        return false;
    return bin ? w2v_bin_rows(L) : w2v_text_rows(L);
}

static bool load_run(VecLoad *L, VecFormat fmt)
{
    ReadBuf *r = &L->r;
    readbuf_need(r, 4);
    if (r->err)
        return vecload_fail(L, "read error: %s", r->why);
    const unsigned char *b = (const unsigned char *)r->buf + r->pos;
    const char *foreign = sniff_foreign(b, r->len - r->pos, r->compressed);
    if (foreign)
        return vecload_fail(L, "%s", foreign);
    if (r->len - r->pos >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        r->pos += 3; /* UTF-8 byte order mark */
    char *s;
    size_t n;
    int rc = vecload_next_line(L, &s, &n);
    if (rc < 0)
        return false;
    if (rc == READBUF_EOF)
        return vecload_fail(L, "empty file (no vectors)");
    if (fmt == VEC_PROJECTOR ||
        (fmt == VEC_AUTO && sniff_projector(s, n, r->buf + r->pos, r->buf + r->len, L->loc)))
        return tbproj_rows(L, s, n);
    long long hv[2];
    bool range_err;
    bool header = sniff_header(s, n, hv, &range_err);
    if (fmt == VEC_GLOVE || (fmt == VEC_AUTO && !header))
        return w2v_text_glove(L, s, n);
    if (!header)
        return vecload_fail_line(L, L->line, "expected a 'rows dim' header (%s)", vecfile_format_name(fmt));
    if (range_err)
        return vecload_fail_line(L, L->line, "header numbers out of range");
    return load_header(L, fmt, hv[0], hv[1]);
}

/* Hands the table to out (success) or frees it; info gets what the load found either way. */
static bool load_finish(VecLoad *L, bool ok, Embeddings *out, VecInfo *info)
{
    L->info.format = L->fmt;
    L->info.compressed = L->r.compressed;
    L->info.header_rows = L->header_rows;
    *info = L->info;
    if (!ok) {
        vocab_deinit(&L->voc);
        free(L->vec);
        return false;
    }
    size_t row_bytes = (size_t)L->stride * sizeof(float);
    if (L->cap - L->rows > L->rows / 8 + 64) {
        float *v = emb_aligned_alloc((size_t)L->rows * row_bytes);
        if (v) { /* otherwise keep the roomy block: still a valid table */
            memcpy(v, L->vec, (size_t)L->rows * row_bytes);
            free(L->vec);
            L->vec = v;
        }
    }
    L->voc.total = 0;
    for (int64_t i = 0; i < L->rows; i++) {
        L->voc.counts[i] = (uint64_t)(L->rows - i);
        L->voc.total += (uint64_t)(L->rows - i);
    }
    emb_deinit(out);
    out->vocab = L->voc;
    out->rows = L->rows;
    out->dim = L->dim;
    out->stride = L->stride;
    out->vec = L->vec;
    return true;
}

/* The rows and their words, into out (an empty table; filled only on success). */
static bool load_vectors(const VecLoadDesc *d, Embeddings *out, VecInfo *info, Err *e)
{
    VecLoad L;
    vecload_init(&L, d->path, d->max_words, e);
    if (d->data)
        readbuf_open_mem(&L.r, d->data, d->len);
    else if (!readbuf_open_file(&L.r, d->path, d->progress, d->ctx))
        return vecload_fail(&L, "%s", L.r.why);
    bool ok = false;
    L.loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!L.loc)
        vecload_fail(&L, "cannot create the C locale");
    else if (!readbuf_alloc(&L.r))
        vecload_fail(&L, "out of memory for the read buffer");
    else
        ok = load_run(&L, d->format);
    if (L.loc)
        freelocale(L.loc);
    readbuf_close(&L.r);
    return load_finish(&L, ok, out, info);
}

/* Projector rows get their labels: the given ones, or metadata.tsv beside the file. */
static bool load_labels(const VecLoadDesc *d, Embeddings *t, VecInfo *info, Err *e)
{
    bool given = d->metadata || d->metadata_data;
    if (info->format != VEC_PROJECTOR)
        return !given || err_set(e, "%s: labels (%s) are for a projector vectors.tsv, not %s", d->path,
                                 d->metadata, vecfile_format_name(info->format));
    if (d->metadata_data)
        return tbproj_label(d->metadata, d->metadata_data, d->metadata_len, t, info, e);
    if (d->metadata)
        return tbproj_label_file(d->metadata, t, info, e);
    char meta[4096];
    struct stat st;
    if (!d->data && tbproj_metadata_path(d->path, meta, sizeof meta) && stat(meta, &st) == 0 &&
        S_ISREG(st.st_mode))
        return tbproj_label_file(meta, t, info, e);
    return true;
}

bool vecfile_load(const VecLoadDesc *desc, Embeddings *out, VecInfo *info, Err *e)
{
    VecLoadDesc d = vecfile_desc_defaults(desc);
    VecInfo local;
    info = info ? info : &local;
    memset(info, 0, sizeof *info);
    if (!d.path)
        return err_set(e, "nothing to load: no path and no data");
    Embeddings t;
    emb_init(&t);
    if (!load_vectors(&d, &t, info, e))
        return false;
    if (!load_labels(&d, &t, info, e)) {
        emb_deinit(&t);
        return false;
    }
    emb_deinit(out);
    *out = t;
    return true;
}

bool vecfile_save(const char *path, const Embeddings *m, VecFormat format, Err *e)
{
    if (format != VEC_TEXT && format != VEC_BINARY)
        return err_set(e, "%s: can save word2vec text or binary, not %s", path, vecfile_format_name(format));
    return w2v_save_file(path, m, format == VEC_BINARY, e);
}

const char *vecfile_format_name(VecFormat f)
{
    switch (f) {
    case VEC_AUTO: return "auto-detected";
    case VEC_TEXT: return "word2vec text";
    case VEC_BINARY: return "word2vec binary";
    case VEC_GLOVE: return "GloVe text";
    case VEC_PROJECTOR: return "projector TSV";
    }
    return "unknown";
}

const char *vecfile_duplicates_note(const VecInfo *info, char *out, size_t n)
{
    if (!info || info->duplicates <= 0 || !out || !n)
        return NULL;
    snprintf(out, n, "%lld repeated word%s skipped (first: '%s', row %lld): the first row of each word is kept",
             (long long)info->duplicates, info->duplicates == 1 ? "" : "s", info->dup_first_word,
             (long long)info->dup_first_row);
    return out;
}
