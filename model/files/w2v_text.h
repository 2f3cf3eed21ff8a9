/* word2vec text rows ("word v1 ... vdim", also fastText .vec with its trailing space) after a
 * "rows dim" header, and GloVe files (the same rows, no header). Called by vecfile on the
 * loading thread. */
#ifndef EMBEDSCOPE_W2V_TEXT_H
#define EMBEDSCOPE_W2V_TEXT_H
#include "model/files/vecload.h"

/* Smallest text row: a 1-byte word and dim 1-byte values, each after a separator. */
static inline uint64_t w2v_text_min_row(const VecLoad *L) { return 1 + 2 * (uint64_t)L->dim; }
/* The rows after the header (L->header_rows, L->dim set, first rows allocated) to the end. */
bool w2v_text_rows(VecLoad *L);
/* A GloVe file from its first line (s, n: trimmed, already read) to the end. */
bool w2v_text_glove(VecLoad *L, char *s, size_t n);

#endif
