/* Exports for other tools: every word's projected coordinates and cluster as TSV or CSV (the
 * projector's vectors.tsv + metadata.tsv are tbproj_save, in tbproj.h). Files are written
 * atomically (a failed write leaves any older file intact). Any thread; inputs are only read. */
#ifndef EMBEDSCOPE_EXPORT_H
#define EMBEDSCOPE_EXPORT_H
#include "model/vectors/embed.h"
#include "model/base/err.h"
#include <stdbool.h>
#include <stdint.h>

/* path ending in .csv gives CSV (RFC 4180 quoting), anything else TSV. Columns: word, then
 * AXIS1..AXISN (dims 1..3, from xyz: (rows, 3) floats; axis is the columns' stem, "umap" gives
 * umap1 umap2, NULL gives pc1..), then cluster when cluster is not NULL. */
bool export_coords(const char *path, const Vocab *v, const float *xyz, int dims,
                   const char *axis, const int32_t *cluster, Err *e);
/* The value a reader of export_coords' file gets back for v (it is written with 6
 * significant digits), so a measure of the written layout can be taken before reading it. */
float export_coord_as_written(float v);

#endif
