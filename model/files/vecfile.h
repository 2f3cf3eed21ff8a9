/* Vector files, the one entry point: vecfile_load reads word2vec text or binary, fastText
 * .vec, GloVe and the TensorBoard projector's vectors.tsv (+ metadata.tsv), plain or gzip, from
 * a file or from memory; vecfile_save writes word2vec text or binary. Loaders treat every
 * file as hostile. Any thread; no shared state (progress is called on the loading thread).
 *
 *   vecfile_desc_defaults  the desc with the values really in use
 *   vecfile_load           file or memory -> Embeddings (+ VecInfo)
 *   vecfile_save           Embeddings -> word2vec text or binary, atomically
 *   vecfile_format_name    "word2vec text", "GloVe text", ... for messages
 *   vecfile_duplicates_note  the repeated words a load skipped, and the rule, in one line */
#ifndef EMBEDSCOPE_VECFILE_H
#define EMBEDSCOPE_VECFILE_H
#include "model/base/err.h"
#include "model/files/vecformat.h"
#include "model/vectors/embed.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct VecLoadDesc {      /* zero means default */
    const char *path;             /* the file (gzip read on the fly); with data: the name in
                                   * messages (default "memory") */
    const void *data;             /* load [data, data + len) instead of a file (fuzz targets, */
    size_t len;                   /* tests); data NULL: read path */
    VecFormat format;             /* VEC_AUTO: by content (sniff.h) */
    int64_t max_words;            /* keep the first N rows (files are ordered by frequency); 0: all */
    /* Projector labels (tbproj.h), for a VEC_PROJECTOR load only; any other format found with
     * labels given is an error. NULL metadata and metadata_data: DIR/metadata.tsv beside the
     * vectors file when it exists (never for a load from memory). */
    const char *metadata;         /* the labels file; with metadata_data: its name in messages
                                   * (default "metadata.tsv") */
    const void *metadata_data;    /* labels from [metadata_data, + metadata_len) instead */
    size_t metadata_len;
    VecProgressFn progress;       /* files only; NULL: none */
    void *ctx;                    /* passed to progress */
} VecLoadDesc;

VecLoadDesc vecfile_desc_defaults(const VecLoadDesc *d);

/* Loads into out (emb_init'ed; replaced only on success, untouched on failure). Errors name
 * the file and the line (text) or byte offset (binary; "(uncompressed)" in gzip files). Counts
 * are set to rows - index, so vocab_sort keeps the file's order (by frequency, as files are
 * written). A repeated word keeps its first row. info may be NULL. */
bool vecfile_load(const VecLoadDesc *d, Embeddings *out, VecInfo *info, Err *e);

/* Writes m as format VEC_TEXT or VEC_BINARY (word2vec.c's layouts) atomically: temp file in
 * the same folder, fsync, rename. Refuses empty tables, words with whitespace, NaN and Inf. */
bool vecfile_save(const char *path, const Embeddings *m, VecFormat format, Err *e);

const char *vecfile_format_name(VecFormat f);

/* One line on the repeated words of a load ("2 repeated words skipped (first: 'a', row 3):
 * the first row of each word is kept") in out, for the CLI and the window; NULL when there
 * were none. */
const char *vecfile_duplicates_note(const VecInfo *info, char *out, size_t n);

#endif
