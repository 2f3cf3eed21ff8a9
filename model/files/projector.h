/* The TensorBoard Embedding Projector's files: vectors.tsv (rows of tab-separated floats, no
 * header, no words; read by w2v_io as W2V_PROJECTOR) and metadata.tsv (the labels), plus
 * proj_load_any, the one entry point for "open whatever vector file this is". Any thread; no
 * shared state.
 *
 * metadata.tsv follows the projector: one label per line; when the first line has more than
 * one tab-separated column it is a header and the label is the first column, and every line
 * must then have as many columns as the header. There must be exactly one label per row of
 * vectors.tsv (at least one per kept row when max_words stops early).
 *
 * Labels become vocabulary words, which must be distinct, non-empty and free of whitespace
 * (the word2vec saver, the query box and the expression parser split on it). So instead of
 * refusing real files that break these rules (the projector itself allows anything), a label
 * is adjusted and counted in ProjInfo.renamed: ASCII whitespace and NUL bytes become '_', an
 * empty label becomes the row number, and a repeated label gets "#2", "#3", ... (the smallest
 * number not yet taken) while its first row keeps it plain. Labels longer than VOCAB_MAX_WORD
 * bytes are cut at a UTF-8 boundary first, as every loader does. */
#ifndef EMBEDSCOPE_PROJECTOR_H
#define EMBEDSCOPE_PROJECTOR_H
#include "model/vectors/embed.h"
#include "model/base/err.h"
#include "model/files/w2v_io.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest metadata file read (it is read whole): ~2,500 bytes per label for 400k rows. */
#define PROJ_MAX_METADATA (1u << 30)

typedef struct ProjInfo {
    W2vInfo vectors;    /* what the vector loader found (format, rows read, limited...) */
    bool metadata;      /* labels came from a metadata file */
    bool header;        /* it had a header row (more than one column) */
    int columns;        /* tab-separated columns per metadata line */
    int64_t renamed;    /* labels adjusted to make distinct valid words (see above) */
    int64_t truncated;  /* labels cut to VOCAB_MAX_WORD bytes */
} ProjInfo;

/* vectors.tsv at `vectors`, labels from `metadata` (NULL: rows are named "0", "1", ...).
 * out (emb_init'ed) is replaced only on success; info may be NULL. */
bool proj_load(const char *vectors, const char *metadata, int64_t max_words, Embeddings *out,
               ProjInfo *info, Err *e);
/* The same over memory blocks (mdata NULL: no metadata); the names stand for the paths in
 * messages. For the fuzz targets and tests. */
bool proj_load_mem(const char *vname, const void *vdata, size_t vlen, const char *mname,
                   const void *mdata, size_t mlen, int64_t max_words, Embeddings *out,
                   ProjInfo *info, Err *e);
/* Any vector file: word2vec text or binary, fastText .vec, GloVe, gzip of those, or a
 * projector vectors.tsv (detected by content), whose labels come from metadata.tsv in the same
 * folder when there is one. What the GUI's "open" calls. */
bool proj_load_any(const char *path, int64_t max_words, Embeddings *out, ProjInfo *info, Err *e);
/* proj_load_any with progress over the vector file (see w2v_load_progress; may be NULL). */
bool proj_load_any_progress(const char *path, int64_t max_words, Embeddings *out, ProjInfo *info,
                            W2vProgressFn progress, void *ctx, Err *e);
/* "DIR/metadata.tsv" for a vectors path "DIR/x" (cap bytes, NUL-terminated); false if it does
 * not fit. Does not check that the file exists. */
bool proj_metadata_path(const char *vectors, char *out, size_t cap);

#endif
