/* Writing word2vec text or binary, atomically (temp file in the same folder, fsync, rename),
 * for vecfile_save. Any thread; the table is only read. */
#ifndef EMBEDSCOPE_W2V_SAVE_H
#define EMBEDSCOPE_W2V_SAVE_H
#include "model/base/err.h"
#include "model/vectors/embed.h"
#include <stdbool.h>

/* Refuses empty tables, words that are empty or hold whitespace, and values that are not
 * finite, naming the row; a refused or failed save leaves any older file at path intact. */
bool w2v_save_file(const char *path, const Embeddings *m, bool binary, Err *e);

#endif
