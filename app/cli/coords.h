/* Reading back a coordinates file (as `export --coords` and `layout --output` write it, or as
 * another tool writes the same columns) against the vectors it claims to lay out, so a layout
 * made elsewhere (umap-learn in bench/layout.sh) is measured by the same code as ours. Main
 * thread. */
#ifndef EMBEDSCOPE_CLI_COORDS_H
#define EMBEDSCOPE_CLI_COORDS_H
#include "model/base/err.h"
#include "model/text/vocab.h"
#include <stdbool.h>

/* path: TSV (or CSV when it ends in .csv) with a header "word, c1 .. cD[, cluster]" (D 1..3)
 * and then exactly one row per word of v, in v's order. *xy gets (v->size, *dims) floats
 * (free() it). Errors name the file, line and column. */
bool cli_read_coords(const char *path, const Vocab *v, int *dims, float **xy, Err *e);

#endif
