/* Coordinate and projector exports (see export.h). */
#include "model/files/export.h"
#include "model/base/atomicfile.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

bool export_coords(const char *path, const Vocab *v, const float *xyz, int dims,
                   const int32_t *cluster, Err *e)
{
    if (dims < 1 || dims > 3)
        return err_set(e, "%s: can write 1 to 3 coordinates, not %d", path, dims);
    size_t n = strlen(path);
    bool csv = n >= 4 && !strcmp(path + n - 4, ".csv");
    char sep = csv ? ',' : '\t';
    AtomicFile af;
    if (!af_open(&af, path, e))
        return false;
    fprintf(af.f, "word");
    for (int c = 0; c < dims; c++)
        fprintf(af.f, "%cpc%d", sep, c + 1);
    fputs(cluster ? (csv ? ",cluster\n" : "\tcluster\n") : "\n", af.f);
    for (int64_t i = 0; i < v->size; i++) {
        const char *w = vocab_word(v, i);
        if (csv)
            csv_field(af.f, w);
        else
            fputs(w, af.f); /* words never hold whitespace */
        for (int c = 0; c < dims; c++)
            fprintf(af.f, "%c%.6g", sep, xyz[i * 3 + c]);
        if (cluster)
            fprintf(af.f, "%c%d", sep, (int)cluster[i]);
        fputc('\n', af.f);
    }
    return af_commit(&af, e);
}

bool export_projector(const char *dir, const Embeddings *m, const int32_t *cluster, Err *e)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return err_set(e, "%s: not a folder (create it first)", dir);
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/metadata.tsv", dir) >= sizeof path)
        return err_set(e, "%s: path too long", dir);
    snprintf(path, sizeof path, "%s/vectors.tsv", dir);
    AtomicFile af;
    if (!af_open(&af, path, e))
        return false;
    for (int64_t i = 0; i < m->rows; i++) {
        const float *r = emb_row(m, i);
        for (int j = 0; j < m->dim; j++)
            fprintf(af.f, j ? "\t%.9g" : "%.9g", r[j]);
        fputc('\n', af.f);
    }
    if (!af_commit(&af, e))
        return false;
    snprintf(path, sizeof path, "%s/metadata.tsv", dir);
    if (!af_open(&af, path, e))
        return false;
    if (cluster) /* with more than one column the projector wants a header row */
        fprintf(af.f, "word\tcluster\n");
    for (int64_t i = 0; i < m->rows; i++) {
        if (cluster)
            fprintf(af.f, "%s\t%d\n", vocab_word(&m->vocab, i), (int)cluster[i]);
        else
            fprintf(af.f, "%s\n", vocab_word(&m->vocab, i));
    }
    return af_commit(&af, e);
}
