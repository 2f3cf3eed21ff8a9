/* Coordinate exports (see export.h): TSV or CSV with RFC 4180 quoting. Any thread; inputs
 * are only read. */
#include "model/files/export.h"
#include "model/base/atomicfile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define COORD_FMT "%.6g"

float export_coord_as_written(float v)
{
    char s[32];
    snprintf(s, sizeof s, COORD_FMT, v);
    return (float)strtod(s, NULL); /* as the readers convert (app/cli/coords.c) */
}

bool export_coords(const char *path, const Vocab *v, const float *xyz, int dims,
                   const char *axis, const int32_t *cluster, Err *e)
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
        fprintf(af.f, "%c%s%d", sep, axis ? axis : "pc", c + 1);
    fputs(cluster ? (csv ? ",cluster\n" : "\tcluster\n") : "\n", af.f);
    for (int64_t i = 0; i < v->size; i++) {
        const char *w = vocab_word(v, i);
        if (csv)
            csv_field(af.f, w);
        else
            fputs(w, af.f); /* words never hold whitespace */
        for (int c = 0; c < dims; c++)
            fprintf(af.f, "%c" COORD_FMT, sep, xyz[i * 3 + c]);
        if (cluster)
            fprintf(af.f, "%c%d", sep, (int)cluster[i]);
        fputc('\n', af.f);
    }
    return af_commit(&af, e);
}
