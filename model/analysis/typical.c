/* Typical words of groups of rows: see typical.h. Two passes over the rows (centres, then the
 * scores of the rows above the frequency floor) and a small sorted list per group. Any thread:
 * everything lives in the call's own allocations. */
#include "model/analysis/typical.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

TypicalDesc typical_desc_defaults(const TypicalDesc *d, int64_t rows)
{
    TypicalDesc r = d ? *d : (TypicalDesc){0};
    if (r.words <= 0)
        r.words = 3;
    if (r.words > TYPICAL_MAX_WORDS)
        r.words = TYPICAL_MAX_WORDS;
    if (r.floor_rows <= 0)
        r.floor_rows = rows / 8 > 1000 ? rows / 8 : 1000;
    if (r.other == 0) /* negative: 0 (kept negative, so defaults can be applied twice) */
        r.other = 1;
    return r;
}

static double dot(const float *a, const double *b, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static double norm(const float *x, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += (double)x[i] * x[i];
    return sqrt(s);
}

static bool check(const float *vec, int64_t rows, int dim, int stride, const int32_t *group,
                  int ngroups, Err *e)
{
    if (!vec || !group || rows < 1 || dim <= 0 || dim > 100000 || stride < dim || ngroups < 1 ||
        ngroups > 1000000)
        return err_set(e, "typical: bad shape %lld rows x %d (stride %d), %d groups",
                       (long long)rows, dim, stride, ngroups);
    for (int64_t r = 0; r < rows; r++) {
        if (group[r] < -1 || group[r] >= ngroups)
            return err_set(e, "typical: row %lld has group %d, not in -1..%d", (long long)r,
                           (int)group[r], ngroups - 1);
        for (int i = 0; i < dim; i++)
            if (!isfinite(vec[r * stride + i]))
                return err_set(e, "typical: row %lld column %d is not finite", (long long)r, i);
    }
    return true;
}

/* centres: (ngroups + 1, dim), the last one the rows in no group; each normalised, or all
 * zero when its group has no non-zero row. */
static void centres(const float *vec, int64_t rows, int dim, int stride, const int32_t *group,
                    int ngroups, double *c)
{
    memset(c, 0, sizeof(double) * (size_t)(ngroups + 1) * (size_t)dim);
    for (int64_t r = 0; r < rows; r++) {
        const float *x = vec + r * stride;
        double n = norm(x, dim);
        if (!(n > 0))
            continue;
        double *dst = c + (int64_t)(group[r] < 0 ? ngroups : group[r]) * dim;
        for (int i = 0; i < dim; i++)
            dst[i] += x[i] / n;
    }
    for (int g = 0; g <= ngroups; g++) {
        double *v = c + (int64_t)g * dim, s = 0;
        for (int i = 0; i < dim; i++)
            s += v[i] * v[i];
        if (s > 0)
            for (int i = 0; i < dim; i++)
                v[i] /= sqrt(s);
    }
}

typedef struct Best {
    int64_t row;
    double score;
} Best;

/* Inserts (row, score) into a group's list of the w best so far (descending, rows ascending on
 * ties); rows arrive in ascending order, so an equal score never displaces an earlier row. */
static void offer(Best *list, int *have, int w, int64_t row, double score)
{
    if (*have == w && !(score > list[w - 1].score))
        return;
    int i = *have < w ? (*have)++ : w - 1;
    while (i > 0 && score > list[i - 1].score) {
        list[i] = list[i - 1];
        i--;
    }
    list[i] = (Best){row, score};
}

static double score_row(const float *x, int dim, const double *c, int g, int ngroups,
                        bool has_rest, double other)
{
    double n = norm(x, dim), own = dot(x, c + (int64_t)g * dim, dim) / n, near = -INFINITY;
    for (int h = 0; h <= ngroups; h++)
        if (h != g && (h < ngroups || has_rest)) {
            double v = dot(x, c + (int64_t)h * dim, dim) / n;
            near = v > near ? v : near;
        }
    return isfinite(near) ? own - other * near : own;
}

bool typical_name(const float *vec, int64_t rows, int dim, int stride, const int32_t *group,
                  int ngroups, const TypicalDesc *d, int64_t *names, Err *e)
{
    if (!check(vec, rows, dim, stride, group, ngroups, e))
        return false;
    TypicalDesc t = typical_desc_defaults(d, rows);
    int w = t.words;
    double *c = malloc(sizeof(double) * (size_t)(ngroups + 1) * (size_t)dim);
    Best *best = malloc(sizeof(Best) * (size_t)ngroups * (size_t)w);
    int *have = calloc((size_t)ngroups, sizeof(int));
    int64_t *above = calloc((size_t)ngroups, sizeof(int64_t)); /* members above the floor */
    if (!c || !best || !have || !above) {
        free(c), free(best), free(have), free(above);
        return err_set(e, "typical: out of memory for %d groups of %d dims", ngroups, dim);
    }
    centres(vec, rows, dim, stride, group, ngroups, c);
    bool has_rest = false;
    for (int64_t r = 0; r < rows; r++)
        has_rest |= group[r] < 0;
    for (int64_t r = 0; r < rows; r++) {
        int g = group[r];
        const float *x = vec + r * stride;
        if (g < 0 || !(norm(x, dim) > 0))
            continue;
        if (r < t.floor_rows)
            above[g]++;
        /* below the floor a row only stands in, in frequency order, for a group that has too
         * few members above it */
        if (r < t.floor_rows)
            offer(best + (int64_t)g * w, &have[g], w, r,
                  score_row(x, dim, c, g, ngroups, has_rest, fmax(0, t.other)));
        else if (above[g] < w && have[g] < w)
            offer(best + (int64_t)g * w, &have[g], w, r, -INFINITY);
    }
    for (int g = 0; g < ngroups; g++)
        for (int i = 0; i < w; i++)
            names[(int64_t)g * w + i] = i < have[g] ? best[(int64_t)g * w + i].row : -1;
    free(c), free(best), free(have), free(above);
    return true;
}
