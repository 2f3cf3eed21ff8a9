/* Region names for `layout --regions` (see regions.h). Main thread. */
#include "app/cli/regions.h"
#include "model/analysis/regions.h"
#include "model/analysis/typical.h"
#include "model/base/atomicfile.h"
#include <stdlib.h>

static bool write_rows(const char *path, const Vocab *v, const Regions *r, const int64_t *names,
                       Err *e)
{
    AtomicFile af = {0};
    if (!af_open(&af, path, e))
        return false;
    fprintf(af.f, "region\tx\ty\tsize\tprominence\twords\n");
    for (int k = 0; k < r->n; k++) {
        const Region *g = &r->region[k];
        fprintf(af.f, "%d\t%.6g\t%.6g\t%lld\t%.4g\t", k, (double)g->x, (double)g->y,
                (long long)g->size, g->prominence);
        for (int i = 0; i < CLI_REGION_WORDS; i++) {
            int64_t w = names[k * CLI_REGION_WORDS + i];
            if (w >= 0)
                fprintf(af.f, "%s%s", i ? " " : "", vocab_word(v, w));
        }
        fputc('\n', af.f);
    }
    return af_commit(&af, e);
}

bool cli_write_regions(const char *path, const Embeddings *m, const float *xy, int dims,
                       int *nregions, Err *e)
{
    if (dims < 2)
        return err_set(e, "--regions needs a 2D or 3D layout, not %dD", dims);
    Regions r = {0};
    if (!regions_find(&r, xy, m->rows, dims, NULL, e))
        return false;
    int64_t *names = malloc(sizeof *names * (size_t)(r.n ? r.n : 1) * CLI_REGION_WORDS);
    bool ok = names != NULL;
    if (!ok)
        err_set(e, "out of memory for %d region names", r.n);
    if (ok && r.n > 0)
        ok = typical_name(m->vec, m->rows, m->dim, m->stride, r.member, r.n,
                          &(TypicalDesc){.words = CLI_REGION_WORDS}, names, e);
    ok = ok && write_rows(path, &m->vocab, &r, names, e);
    *nregions = r.n;
    free(names);
    regions_deinit(&r);
    return ok;
}
