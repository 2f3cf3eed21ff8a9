/* Position tables as word-like embeddings: the sinusoidal encoding of "Attention is all you
 * need" and the N(0, 1) random init of a learned nn.Embedding, as an Embeddings whose
 * vocabulary is "pos 0" .. "pos N-1" (so PCA, clustering and neighbour queries work on them),
 * plus a similarity matrix between positions and nn.Embedding's lookup with bounds checks.
 * Pure functions over caller-owned storage: any thread. */
#ifndef EMBEDSCOPE_POSENC_H
#define EMBEDSCOPE_POSENC_H
#include "model/vectors/embed.h"
#include "model/base/err.h"
#include <stdbool.h>
#include <stdint.h>

#define POSENC_MAX_LEN 1000000  /* positions */
#define POSENC_MAX_SIM 16384    /* rows of a similarity matrix (1 GiB of floats) */

typedef enum PosEncKind {
    POSENC_SINUSOIDAL = 0, /* PE(pos, 2i) = sin(pos / base^(2i/d)), PE(pos, 2i+1) = cos(same) */
    POSENC_RANDOM = 1,     /* every entry N(0, 1), as torch.nn.Embedding initialises */
} PosEncKind;

/* Zero means default (posenc_desc_defaults fills them in). */
typedef struct PosEncDesc {
    PosEncKind kind;  /* sinusoidal */
    int max_len;      /* positions: 512 */
    int dim;          /* 768 (nn.Embedding(512, 768)); odd dims end with a sin column */
    double base;      /* 10000 */
    uint64_t seed;    /* random table: 1 */
} PosEncDesc;

PosEncDesc posenc_desc_defaults(const PosEncDesc *d);

/* Fills out (emb_init'ed; its old contents are replaced only on success) with the table. */
bool posenc_build(Embeddings *out, const PosEncDesc *d, Err *e);

typedef enum PosEncSim {
    POSENC_COSINE = 0,    /* cos(row i, row j); 0 when either is zero */
    POSENC_DOT = 1,       /* row i . row j */
    POSENC_EUCLIDEAN = 2, /* |row i - row j| */
} PosEncSim;

/* out ((rows, rows) floats, row-major) = similarity or distance of every pair of rows of t.
 * rows <= POSENC_MAX_SIM. */
bool posenc_similarity(const Embeddings *t, PosEncSim kind, float *out, Err *e);

/* nn.Embedding's forward: out row r ((n, t->dim) floats, dense) = t row indices[r]. Every index
 * is checked first: out is untouched and the error names the first bad one. */
bool embedding_lookup(const Embeddings *t, const int64_t *indices, int64_t n, float *out, Err *e);

#endif
