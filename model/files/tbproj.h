/* The TensorBoard Embedding Projector's files: vectors.tsv (rows of tab-separated floats, no
 * header, no words; VEC_PROJECTOR) and metadata.tsv (the labels), read for vecfile_load and
 * written by tbproj_save. Any thread; no shared state.
 *
 * metadata.tsv follows the projector: one label per line; when the first line has more than
 * one tab-separated column it is a header and the label is the first column, and every line
 * must then have as many columns as the header. The other columns are not read here: the
 * window reads them with meta_load (meta.h) to colour the points by. There must be exactly one label per row of
 * vectors.tsv (at least one per kept row when max_words stops early).
 *
 * Labels become vocabulary words, which must be distinct, non-empty and free of whitespace
 * (the word2vec saver, the query box and the expression parser split on it). So instead of
 * refusing real files that break these rules (the projector itself allows anything), a label
 * is adjusted and counted in VecInfo.renamed: ASCII whitespace and NUL bytes become '_', an
 * empty label becomes the row number, and a repeated label gets "#2", "#3", ... (the smallest
 * number not yet taken) while its first row keeps it plain. Labels longer than VOCAB_MAX_WORD
 * bytes are cut at a UTF-8 boundary first (VecInfo.truncated), as every loader does. */
#ifndef EMBEDSCOPE_TBPROJ_H
#define EMBEDSCOPE_TBPROJ_H
#include "model/base/err.h"
#include "model/files/vecformat.h"
#include "model/files/vecload.h"
#include "model/vectors/embed.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest metadata file read (it is read whole): ~2,500 bytes per label for 400k rows. */
#define TBPROJ_MAX_METADATA (1u << 30)

/* vectors.tsv from its first line (s, n: trimmed, already read) to the end. A blank line
 * before or between rows is an error: it would shift every later row against metadata.tsv. */
bool tbproj_rows(VecLoad *L, char *s, size_t n);

/* Replaces t's row names with the labels of metadata [data, data + len) (name: its path in
 * messages); info->limited says the vectors stopped at max_words, so extra labels are fine.
 * t is untouched on failure. */
bool tbproj_label(const char *name, const char *data, size_t len, Embeddings *t, VecInfo *info, Err *e);
/* The same from the file at path (a regular file of at most TBPROJ_MAX_METADATA bytes). */
bool tbproj_label_file(const char *path, Embeddings *t, VecInfo *info, Err *e);
/* Reads a whole regular file of at most max bytes into *data (malloc'd, one spare byte after
 * the *len read); false with e set (and *data NULL) otherwise. Also for meta.c. */
bool tbproj_read_whole(const char *path, size_t max, char **data, size_t *len, Err *e);
/* "DIR/metadata.tsv" for a vectors path "DIR/x" (cap bytes, NUL-terminated); false if it does
 * not fit. Does not check that the file exists. */
bool tbproj_metadata_path(const char *vectors, char *out, size_t cap);

/* dir/vectors.tsv (one row of dim values per word, 9 significant digits so they read back to
 * the same floats) and dir/metadata.tsv (word, plus a cluster column with a header row when
 * cluster is not NULL, as the projector wants), each written atomically. dir must exist. */
bool tbproj_save(const char *dir, const Embeddings *m, const int32_t *cluster, Err *e);

#endif
