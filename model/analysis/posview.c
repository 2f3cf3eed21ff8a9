/* Positional-embedding view: table, PCA, similarity and probes (see posview.h). Any thread. */
#include "model/analysis/posview.h"
#include "model/analysis/pca.h"
#include "model/base/clock.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void posview_init(PosView *v)
{
    memset(v, 0, sizeof *v);
    emb_init(&v->table);
}

void posview_deinit(PosView *v)
{
    emb_deinit(&v->table);
    free(v->xyz);
    free(v->sim);
    posview_init(v);
}

/* Raw (not spherized) components: a sinusoidal table's rows all have norm sqrt(dim / 2), so
 * the projection shows its geometry as it is, and a random one is left unnormalised too. */
static bool project(PosView *n, Err *e)
{
    Pca p;
    pca_init(&p, &(PcaDesc){.k = 3, .spherize = -1, .cold_passes = 60});
    const Embeddings *t = &n->table;
    int ncomp = t->dim < 3 ? t->dim : 3;
    bool ok = pca_update(&p, t->vec, t->rows, t->dim, t->stride, e) &&
              pca_project(&p, t->vec, t->rows, t->dim, t->stride, NULL, ncomp, n->xyz, e);
    for (int j = 0; ok && j < 3; j++)
        n->explained[j] = j < ncomp ? p.explained[j] : 0;
    pca_deinit(&p);
    return ok;
}

/* n holds its table: the projection and the similarity, then n replaces v. n is freed on
 * failure. */
static bool finish(PosView *v, PosView *n, double t0, Err *e)
{
    int64_t rows = n->table.rows;
    n->nsim = rows < POSVIEW_MAX_SIM ? (int)rows : POSVIEW_MAX_SIM;
    n->xyz = calloc((size_t)rows * 3, sizeof *n->xyz);
    n->sim = malloc((size_t)n->nsim * (size_t)n->nsim * sizeof *n->sim);
    if (!n->xyz || !n->sim) {
        err_set(e, "posview: out of memory for %lld positions", (long long)rows);
        goto fail;
    }
    if (!project(n, e))
        goto fail;
    /* the similarity of the first nsim positions: a view of the whole table for the usual
     * lengths, its top-left corner for longer ones */
    Embeddings head = n->table;
    head.rows = n->nsim;
    if (!posenc_similarity(&head, POSENC_COSINE, n->sim, e))
        goto fail;
    n->build_ms = clock_ms() - t0;
    posview_deinit(v);
    *v = *n;
    return true;
fail:
    posview_deinit(n);
    return false;
}

bool posview_build(PosView *v, const PosEncDesc *d, Err *e)
{
    double t0 = clock_ms();
    PosView n;
    posview_init(&n);
    n.desc = posenc_desc_defaults(d);
    if (n.desc.max_len < 2)
        return err_set(e, "posview: need at least 2 positions (max_len %d)", n.desc.max_len);
    if (!posenc_build(&n.table, &n.desc, e)) {
        posview_deinit(&n);
        return false;
    }
    return finish(v, &n, t0, e);
}

bool posview_build_table(PosView *v, const float *table, int rows, int dim, Err *e)
{
    double t0 = clock_ms();
    if (rows < 2 || rows > POSENC_MAX_LEN || dim < 1 || dim > EMB_MAX_DIM)
        return err_set(e, "posview: a table of %d x %d (want 2 .. %d rows, 1 .. %d columns)",
                       rows, dim, POSENC_MAX_LEN, EMB_MAX_DIM);
    for (size_t k = 0; k < (size_t)rows * (size_t)dim; k++)
        if (!isfinite(table[k]))
            return err_set(e, "posview: row %zu column %zu is %g, not a finite number",
                           k / (size_t)dim, k % (size_t)dim, (double)table[k]);
    PosView n;
    posview_init(&n);
    n.from_table = true;
    n.desc = posenc_desc_defaults(&(PosEncDesc){.max_len = rows, .dim = dim});
    if (!emb_alloc(&n.table, rows, dim, e)) {
        posview_deinit(&n);
        return false;
    }
    /* rows stay unnamed: n.table.vocab is left empty (only the view reads this table) */
    for (int i = 0; i < rows; i++)
        memcpy(emb_row(&n.table, i), table + (size_t)i * (size_t)dim, (size_t)dim * sizeof *table);
    return finish(v, &n, t0, e);
}

PosDist posview_distance(const PosView *v, int64_t i, int64_t j)
{
    PosDist r = {0, 0};
    int64_t rows = v->table.rows;
    if (rows < 1)
        return r;
    i = i < 0 ? 0 : i >= rows ? rows - 1 : i;
    j = j < 0 ? 0 : j >= rows ? rows - 1 : j;
    const float *a = emb_row(&v->table, i), *b = emb_row(&v->table, j);
    double dot = 0, na = 0, nb = 0, d2 = 0;
    for (int c = 0; c < v->table.dim; c++) {
        dot += (double)a[c] * b[c];
        na += (double)a[c] * a[c];
        nb += (double)b[c] * b[c];
        d2 += ((double)a[c] - b[c]) * ((double)a[c] - b[c]);
    }
    r.cosine = na > 0 && nb > 0 ? dot / sqrt(na * nb) : 0;
    r.euclidean = sqrt(d2);
    return r;
}
