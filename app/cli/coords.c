/* Coordinates files (see coords.h): one line at a time through getline, fields split on the
 * separator, a CSV word field may be quoted (RFC 4180, as export.c writes it). Main thread. */
#include "app/cli/coords.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cuts the first field off line (in place); returns it, or NULL on a bad quote. *rest points
 * after the separator (NULL at the end of the line). */
static char *first_field(char *line, char sep, char **rest)
{
    if (sep == ',' && line[0] == '"') {
        char *w = line + 1, *o = line;
        for (;; w++) {
            if (!*w)
                return NULL;
            if (*w == '"' && w[1] == '"') {
                *o++ = '"';
                w++;
            } else if (*w == '"') {
                break;
            } else {
                *o++ = *w;
            }
        }
        *o = 0;
        *rest = w[1] == sep ? w + 2 : (w[1] ? NULL : w + 1);
        return w[1] == sep || !w[1] ? line : NULL;
    }
    char *s = strchr(line, sep);
    *rest = s ? s + 1 : NULL;
    if (s)
        *s = 0;
    return line;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = 0;
}

/* The header: "word", then coordinate columns, then perhaps "cluster". */
static bool header(char *line, char sep, const char *path, int *dims, bool *cluster, Err *e)
{
    int cols = 0;
    *cluster = false;
    char *rest = line;
    while (rest) {
        char *f = first_field(rest, sep, &rest);
        if (!f)
            return err_set(e, "%s:1: bad quoting in the header", path);
        if (cols > 0 && !strcmp(f, "cluster") && !rest)
            *cluster = true;
        else
            cols++;
    }
    *dims = cols - 1;
    if (*dims < 1 || *dims > 3)
        return err_set(e, "%s:1: %d coordinate columns after the word (want 1 to 3)", path,
                       *dims);
    return true;
}

/* Line ln of the file, row i (0-based) of the vectors. */
static bool row(char *line, char sep, const char *path, int64_t ln, int64_t i, const char *want,
                int dims, float *out, Err *e)
{
    char *rest = NULL, *w = first_field(line, sep, &rest);
    if (!w)
        return err_set(e, "%s:%lld: bad quoting in the word", path, (long long)ln);
    if (strcmp(w, want))
        return err_set(e, "%s:%lld: word '%.40s', but row %lld of the vectors is '%.40s'", path,
                       (long long)ln, w, (long long)(i + 1), want);
    for (int c = 0; c < dims; c++) {
        char *f = rest ? first_field(rest, sep, &rest) : NULL, *end = NULL;
        double x = f ? strtod(f, &end) : NAN;
        if (!f || end == f || *end || !isfinite(x))
            return err_set(e, "%s:%lld: column %d is not a finite number", path, (long long)ln,
                           c + 2);
        out[c] = (float)x;
    }
    return true;
}

bool cli_read_coords(const char *path, const Vocab *v, int *dims, float **xy, Err *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(e, "%s: cannot open", path);
    size_t n = strlen(path);
    char sep = n >= 4 && !strcmp(path + n - 4, ".csv") ? ',' : '\t';
    char *line = NULL;
    size_t cap = 0;
    bool cluster, ok = getline(&line, &cap, f) > 0;
    if (!ok)
        err_set(e, "%s: empty", path);
    if (ok) {
        chomp(line);
        ok = header(line, sep, path, dims, &cluster, e);
    }
    float *out = ok ? malloc((size_t)v->size * (size_t)*dims * sizeof *out + 1) : NULL;
    if (ok && !out)
        ok = err_set(e, "%s: out of memory for %lld rows", path, (long long)v->size);
    int64_t i = 0, ln = 1;
    while (ok && getline(&line, &cap, f) > 0) {
        chomp(line);
        ln++;
        if (!line[0])
            continue; /* a blank line (at the end, say) is no row */
        if (i >= v->size)
            ok = err_set(e, "%s:%lld: more rows than the %lld vectors", path, (long long)ln,
                         (long long)v->size);
        else
            ok = row(line, sep, path, ln, i, vocab_word(v, i), *dims, out + i * *dims, e);
        i++;
    }
    if (ok && i < v->size)
        ok = err_set(e, "%s: %lld rows, the vectors have %lld", path, (long long)i,
                     (long long)v->size);
    free(line);
    fclose(f);
    if (!ok) {
        free(out);
        return false;
    }
    *xy = out;
    return true;
}
