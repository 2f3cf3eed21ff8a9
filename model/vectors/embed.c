/* Embeddings storage: see embed.h. */
#include "model/vectors/embed.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void emb_init(Embeddings *e)
{
    memset(e, 0, sizeof *e);
    vocab_init(&e->vocab);
}

void emb_deinit(Embeddings *e)
{
    if (!e)
        return;
    vocab_deinit(&e->vocab);
    free(e->vec);
    memset(e, 0, sizeof *e);
}

int emb_stride(int dim) { return (dim + 15) / 16 * 16; }

void *emb_aligned_alloc(size_t n)
{
    /* A table of at least one huge page starts on one and asks for huge pages before its
     * first touch (the memset faults them in), so the trainer's and the kNN's random rows
     * cost no TLB walk, which in a VM is a nested one. */
    size_t align = n >= EMB_HUGE_PAGE ? EMB_HUGE_PAGE : EMB_ALIGN;
    if (n > SIZE_MAX - align)
        return NULL; /* rounding up would wrap to a buffer smaller than asked for */
    size_t rounded = n == 0 ? align : (n + align - 1) / align * align;
    void *p = aligned_alloc(align, rounded);
    if (!p)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (align == EMB_HUGE_PAGE)
        (void)madvise(p, rounded, MADV_HUGEPAGE); /* advice only: 4 KiB pages still work */
#endif
    memset(p, 0, rounded);
    return p;
}

bool emb_alloc(Embeddings *e, int64_t rows, int dim, Err *err)
{
    if (rows < 0 || dim <= 0 || dim > EMB_MAX_DIM)
        return err_set(err, "bad table shape %lld x %d", (long long)rows, dim);
    int stride = emb_stride(dim);
    if ((uint64_t)rows > SIZE_MAX / sizeof(float) / (size_t)stride)
        return err_set(err, "table of %lld x %d is too large", (long long)rows, dim);
    float *v = emb_aligned_alloc((size_t)rows * (size_t)stride * sizeof(float));
    if (!v)
        return err_set(err, "out of memory for %lld x %d vectors", (long long)rows, dim);
    free(e->vec);
    e->vec = v;
    e->rows = rows;
    e->dim = dim;
    e->stride = stride;
    return true;
}
