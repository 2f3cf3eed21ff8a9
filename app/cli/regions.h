/* `embedscope layout --regions FILE`: the dense regions of a 2D layout (model/analysis/regions.h)
 * named by their typical words (model/analysis/typical.h), one TSV row per region. Main thread. */
#ifndef EMBEDSCOPE_CLI_REGIONS_H
#define EMBEDSCOPE_CLI_REGIONS_H
#include "model/base/err.h"
#include "model/vectors/embed.h"
#include <stdbool.h>

#define CLI_REGION_WORDS 5

/* xy: (m->rows, dims) layout coordinates, dims >= 2 (regions use the first two). Writes
 * "region x y size prominence words" (words space-separated, most typical first) atomically,
 * regions most prominent first; *nregions gets their number. */
bool cli_write_regions(const char *path, const Embeddings *m, const float *xy, int dims,
                       int *nregions, Err *e);

#endif
