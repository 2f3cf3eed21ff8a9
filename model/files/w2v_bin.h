/* word2vec binary rows after the "rows dim" text header: "word " then dim little-endian
 * float32, an optional '\n' between rows. Called by vecfile on the loading thread. */
#ifndef EMBEDSCOPE_W2V_BIN_H
#define EMBEDSCOPE_W2V_BIN_H
#include "model/files/vecload.h"

/* Smallest binary row: a 1-byte word, its space and the floats. */
static inline uint64_t w2v_bin_min_row(const VecLoad *L) { return 2 + 4 * (uint64_t)L->dim; }
/* The rows after the header (L->header_rows, L->dim set, first rows allocated) to the end;
 * errors name the byte offset. */
bool w2v_bin_rows(VecLoad *L);

#endif
