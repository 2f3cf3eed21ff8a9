/* Embeddings: a vocabulary plus its vectors, the unit that loaders, savers, queries and the
 * explorer share. Owned by one thread at a time; readers of a finished table may share it. */
#ifndef EMBEDSCOPE_EMBED_H
#define EMBEDSCOPE_EMBED_H
#include "model/base/err.h"
#include "model/text/vocab.h"
#include <stdint.h>

#define EMB_ALIGN 64     /* bytes: rows start on a cache line */
#define EMB_HUGE_PAGE ((size_t)2 << 20) /* x86-64's transparent huge page */
#define EMB_MAX_DIM 10000

typedef struct Embeddings {
    Vocab vocab;     /* row i is vocab word i */
    int64_t rows;    /* == vocab.size */
    int dim;
    int stride;      /* floats per row: dim rounded up to a multiple of 16 (64 bytes) */
    float *vec;      /* (rows, stride) row-major, EMB_ALIGN-aligned; padding columns are 0 */
} Embeddings;

void emb_init(Embeddings *e);
void emb_deinit(Embeddings *e);
int emb_stride(int dim);
/* Allocates rows x dim zeroed vectors (vocab left as is); checks the size for overflow. */
bool emb_alloc(Embeddings *e, int64_t rows, int dim, Err *err);
static inline float *emb_row(const Embeddings *e, int64_t i) { return e->vec + i * (int64_t)e->stride; }
/* 64-byte aligned allocation of n bytes (zeroed), NULL on failure or overflow; free with free().
 * From EMB_HUGE_PAGE bytes up it is aligned to and rounded up to whole huge pages, advised
 * MADV_HUGEPAGE before its first touch. */
void *emb_aligned_alloc(size_t n);

#endif
