/* Position tables, similarity matrices and lookups: see posenc.h. Any thread. */
#include "model/analysis/posenc.h"
#include "model/base/rng.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

PosEncDesc posenc_desc_defaults(const PosEncDesc *d)
{
    PosEncDesc r = d ? *d : (PosEncDesc){0};
    if (r.max_len <= 0)
        r.max_len = 512;
    if (r.dim <= 0)
        r.dim = 768;
    if (r.base <= 0)
        r.base = 10000;
    if (r.seed == 0)
        r.seed = 1;
    return r;
}


static void fill_sinusoidal(Embeddings *t, double base)
{
    int dim = t->dim;
    for (int c = 0; c < dim; c += 2) {
        /* column pair (c, c+1) shares the frequency 1 / base^(c/d), c = 2i */
        double freq = pow(base, -(double)c / dim);
        for (int64_t pos = 0; pos < t->rows; pos++) {
            double a = (double)pos * freq;
            float *row = emb_row(t, pos);
            row[c] = (float)sin(a);
            if (c + 1 < dim)
                row[c + 1] = (float)cos(a);
        }
    }
}

bool posenc_build(Embeddings *out, const PosEncDesc *dp, Err *e)
{
    PosEncDesc d = posenc_desc_defaults(dp);
    if (d.max_len > POSENC_MAX_LEN || d.dim > EMB_MAX_DIM || !isfinite(d.base) || d.base <= 1)
        return err_set(e, "posenc: bad table %d x %d (at most %d x %d, base > 1)", d.max_len,
                       d.dim, POSENC_MAX_LEN, EMB_MAX_DIM);
    if (d.kind != POSENC_SINUSOIDAL && d.kind != POSENC_RANDOM)
        return err_set(e, "posenc: unknown table kind %d", (int)d.kind);
    Embeddings t;
    emb_init(&t);
    if (!emb_alloc(&t, d.max_len, d.dim, e))
        goto fail;
    for (int64_t pos = 0; pos < d.max_len; pos++) {
        char name[32];
        int len = snprintf(name, sizeof name, "pos %lld", (long long)pos);
        if (vocab_add(&t.vocab, name, (size_t)len, 1, e) < 0)
            goto fail;
    }
    if (d.kind == POSENC_SINUSOIDAL) {
        fill_sinusoidal(&t, d.base);
    } else {
        uint64_t s = d.seed;
        for (int64_t pos = 0; pos < t.rows; pos++)
            for (int c = 0; c < t.dim; c++)
                emb_row(&t, pos)[c] = (float)rng_gauss(&s);
    }
    emb_deinit(out);
    *out = t;
    return true;
fail:
    err_prefix(e, "posenc: ");
    emb_deinit(&t);
    return false;
}

bool posenc_similarity(const Embeddings *t, PosEncSim kind, float *out, Err *e)
{
    int64_t n = t->rows;
    if (n > POSENC_MAX_SIM)
        return err_set(e, "posenc: %lld rows is too many for a similarity matrix (max %d)",
                       (long long)n, POSENC_MAX_SIM);
    if (kind != POSENC_COSINE && kind != POSENC_DOT && kind != POSENC_EUCLIDEAN)
        return err_set(e, "posenc: unknown similarity %d", (int)kind);
    double *sq = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (!sq)
        return err_set(e, "posenc: out of memory");
    for (int64_t i = 0; i < n; i++) {
        const float *a = emb_row(t, i);
        double s = 0;
        for (int c = 0; c < t->dim; c++)
            s += (double)a[c] * a[c];
        sq[i] = s;
    }
    for (int64_t i = 0; i < n; i++) {
        const float *a = emb_row(t, i);
        for (int64_t j = i; j < n; j++) {
            const float *b = emb_row(t, j);
            double dot = 0, v;
            for (int c = 0; c < t->dim; c++)
                dot += (double)a[c] * b[c];
            if (kind == POSENC_DOT)
                v = dot;
            else if (kind == POSENC_COSINE)
                v = sq[i] > 0 && sq[j] > 0 ? dot / sqrt(sq[i] * sq[j]) : 0;
            else /* |a - b|^2 = |a|^2 + |b|^2 - 2 a.b, clamped against rounding below 0 */
                v = sqrt(fmax(0, sq[i] + sq[j] - 2 * dot));
            out[i * n + j] = out[j * n + i] = (float)v;
        }
    }
    free(sq);
    return true;
}

bool embedding_lookup(const Embeddings *t, const int64_t *indices, int64_t n, float *out, Err *e)
{
    if (n < 0 || (n > 0 && (!indices || !out)))
        return err_set(e, "embedding_lookup: bad request of %lld indices", (long long)n);
    for (int64_t r = 0; r < n; r++)
        if (indices[r] < 0 || indices[r] >= t->rows)
            return err_set(e, "embedding_lookup: index %lld at position %lld is out of range "
                              "[0, %lld)", (long long)indices[r], (long long)r, (long long)t->rows);
    for (int64_t r = 0; r < n; r++)
        memcpy(out + r * t->dim, emb_row(t, indices[r]), sizeof(float) * (size_t)t->dim);
    return true;
}
