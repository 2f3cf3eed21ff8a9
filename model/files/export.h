/* Exports for other tools: every word's projected coordinates and cluster as TSV or CSV, and
 * the TensorBoard Embedding Projector's vectors.tsv + metadata.tsv. Files are written
 * atomically (a failed write leaves any older file intact). Any thread; inputs are only read. */
#ifndef EMBEDSCOPE_EXPORT_H
#define EMBEDSCOPE_EXPORT_H
#include "model/vectors/embed.h"
#include "model/base/err.h"
#include <stdbool.h>
#include <stdint.h>

/* path ending in .csv gives CSV (RFC 4180 quoting), anything else TSV. Columns: word, pc1..pcN
 * (dims 1..3, from xyz: (rows, 3) floats), then cluster when cluster is not NULL. */
bool export_coords(const char *path, const Vocab *v, const float *xyz, int dims,
                   const int32_t *cluster, Err *e);

/* dir/vectors.tsv (one row of dim values per word, 9 significant digits so they read back to
 * the same floats) and dir/metadata.tsv (word, plus a cluster column with a header row when
 * cluster is not NULL, as the projector wants). dir must exist. */
bool export_projector(const char *dir, const Embeddings *m, const int32_t *cluster, Err *e);

#endif
