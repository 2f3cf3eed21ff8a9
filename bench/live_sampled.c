/* bench_live_sampled (bench/live_sampled.sh): a big table's live UMAP replayed offline on saved
 * snapshots of a trainer's vectors, as the window's analysis thread makes it while training
 * runs (livelay_update with .moving, so the layout stays sampled), then the finishing layout
 * of the last snapshot (.moving off). For each refresh it prints what the window's
 * layout_moved hides: the median move of the sample's rows and of the placed rows apart, the
 * 90th percentile and the share of rows that moved more than 10% of the extent (jumps), and
 * the 10-NN preservation of the refreshed layout against its own snapshot's vectors (is the
 * picture true to the vectors it shows?). Moves are measured as livelayout.c's median_move
 * does: each layout centred and scaled to unit RMS radius, over the new layout's largest
 * extent. Main thread only (pool NULL, as the window's analysis thread while a trainer runs).
 *   bench_live_sampled [--budget-ms X] [--warm-rate X] [--still-rate X] [--warm-epochs N] SNAPSHOT SNAPSHOT...
 */
#include "model/analysis/livelayout.h"
#include "model/base/clock.h"
#include "model/files/vecfile.h"
#include "model/layout/layoutq.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool load(const char *path, Embeddings *m, KnnIndex *ix, Err *e)
{
    emb_deinit(m);
    knn_deinit(ix);
    return vecfile_load(&(VecLoadDesc){.path = path}, m, NULL, e) &&
           knn_build(ix, m->vec, m->rows, m->dim, m->stride, e);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* p (rows, 3) centred and scaled to unit RMS radius into q (rows, 2). */
static void normalise(const float *p, int64_t rows, float *q)
{
    double c[2] = {0, 0}, r2 = 0;
    for (int64_t i = 0; i < rows; i++)
        for (int k = 0; k < 2; k++)
            c[k] += p[i * 3 + k] / (double)rows;
    for (int64_t i = 0; i < rows; i++)
        for (int k = 0; k < 2; k++)
            r2 += (p[i * 3 + k] - c[k]) * (p[i * 3 + k] - c[k]);
    double inv = r2 > 0 ? 1 / sqrt(r2 / (double)rows) : 1;
    for (int64_t i = 0; i < rows; i++)
        for (int k = 0; k < 2; k++)
            q[i * 2 + k] = (float)((p[i * 3 + k] - c[k]) * inv);
}

typedef struct Moves {
    double sample, placed, p90, jumps;
} Moves;

static double median(float *v, int64_t n)
{
    if (n < 1)
        return NAN;
    qsort(v, (size_t)n, sizeof *v, cmp_float);
    return v[n / 2];
}

/* The moves from a (held before) to b (held after), rows in the sample marked in in_sample. */
static Moves moves(const float *a, const float *b, int64_t rows, const uint8_t *in_sample)
{
    float *na = malloc((size_t)rows * 2 * sizeof *na), *nb = malloc((size_t)rows * 2 * sizeof *nb);
    float *ds = malloc((size_t)rows * sizeof *ds), *dp = malloc((size_t)rows * sizeof *dp);
    float *all = malloc((size_t)rows * sizeof *all);
    Moves m = {NAN, NAN, NAN, NAN};
    if (!na || !nb || !ds || !dp || !all)
        goto out;
    normalise(a, rows, na);
    normalise(b, rows, nb);
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (int64_t i = 0; i < rows; i++)
        for (int k = 0; k < 2; k++) {
            lo[k] = fmin(lo[k], nb[i * 2 + k]);
            hi[k] = fmax(hi[k], nb[i * 2 + k]);
        }
    double ext = fmax(hi[0] - lo[0], hi[1] - lo[1]);
    int64_t ns = 0, np = 0, jumps = 0;
    for (int64_t i = 0; i < rows; i++) {
        double dx = nb[i * 2] - na[i * 2], dy = nb[i * 2 + 1] - na[i * 2 + 1];
        float d = (float)(sqrt(dx * dx + dy * dy) / ext);
        all[i] = d;
        jumps += d > 0.1f;
        if (in_sample[i])
            ds[ns++] = d;
        else
            dp[np++] = d;
    }
    m.sample = median(ds, ns);
    m.placed = median(dp, np);
    qsort(all, (size_t)rows, sizeof *all, cmp_float);
    m.p90 = all[rows * 9 / 10];
    m.jumps = (double)jumps / (double)rows;
out:
    free(na);
    free(nb);
    free(ds);
    free(dp);
    free(all);
    return m;
}

static double preservation(const KnnIndex *ix, const LiveLayout *L, Err *e, bool *ok)
{
    LayoutQuality q;
    float *xy = malloc((size_t)L->rows * 2 * sizeof *xy);
    *ok = *ok && xy;
    for (int64_t i = 0; *ok && i < L->rows; i++)
        for (int k = 0; k < 2; k++)
            xy[i * 2 + k] = L->xyz[i * 3 + k];
    *ok = *ok && layoutq_measure(ix, xy, 2, 10, 2000, 1, NULL, &q, e);
    free(xy);
    return *ok ? q.preservation : -1;
}

int main(int argc, char **argv)
{
    LiveLayoutDesc d = {.kind = LIVELAY_UMAP, .dims = 2, .moving = true};
    int a = 1;
    for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
        if (!strcmp(argv[a], "--budget-ms"))
            d.budget_ms = atof(argv[a + 1]);
        else if (!strcmp(argv[a], "--warm-rate"))
            d.warm_rate = atof(argv[a + 1]);
        else if (!strcmp(argv[a], "--still-rate"))
            d.still_rate = atof(argv[a + 1]);
        else if (!strcmp(argv[a], "--warm-epochs"))
            d.warm_epochs = atoi(argv[a + 1]);
        else
            break;
    }
    if (argc - a < 2) {
        fprintf(stderr, "usage: bench_live_sampled [--budget-ms X] [--warm-rate X] [--still-rate X] "
                        "[--warm-epochs N] SNAPSHOT SNAPSHOT...\n");
        return 2;
    }
    Err e = {{0}};
    Embeddings m = {0};
    KnnIndex ix = {0};
    LiveLayout L;
    livelay_init(&L);
    if (!load(argv[a], &m, &ix, &e) || !livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e)) {
        fprintf(stderr, "%s: %s\n", argv[a], e.msg);
        return 1;
    }
    int64_t n;
    const int32_t *rows = livelay_sample_rows(&L, &n);
    uint8_t *in_sample = calloc((size_t)ix.rows, 1);
    float *before = malloc((size_t)ix.rows * 3 * sizeof *before);
    if (!rows) {
        fprintf(stderr, "%s: the first layout is not sampled (fewer than 20,000 rows?)\n", argv[a]);
        return 1;
    }
    if (!in_sample || !before) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int64_t i = 0; i < n; i++)
        in_sample[rows[i]] = 1;
    bool ok = true;
    printf("first layout of %s: %lld rows (sample %lld), %.2f s, preservation@10 %.4f\n\n", argv[a],
           (long long)L.rows, (long long)n, L.ms / 1e3, preservation(&ix, &L, &e, &ok));
    printf("| snapshot | layout s | moved %% (window) | sample rows %% | placed rows %% | p90 %% "
           "| rows moved > 10%% | preservation@10 |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int s = a + 1; ok && s <= argc; s++) {
        bool last = s == argc; /* the finish: the last snapshot again, not moving */
        const char *path = last ? argv[argc - 1] : argv[s];
        memcpy(before, L.xyz, (size_t)ix.rows * 3 * sizeof *before);
        d.moving = !last;
        ok = (last || load(path, &m, &ix, &e)) && livelay_update(&L, &ix, &d, NULL, NULL, NULL, &e);
        if (!ok)
            break;
        Moves mv = moves(before, L.xyz, ix.rows, in_sample);
        double p = preservation(&ix, &L, &e, &ok);
        printf("| %s%s | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f%% | %.4f |\n", path,
               last ? " (finish)" : "", L.ms / 1e3, L.moved * 100, mv.sample * 100, mv.placed * 100,
               mv.p90 * 100, mv.jumps * 100, p);
        fflush(stdout);
    }
    if (!ok)
        fprintf(stderr, "%s\n", e.msg);
    free(in_sample);
    free(before);
    livelay_deinit(&L);
    knn_deinit(&ix);
    emb_deinit(&m);
    return ok ? 0 : 1;
}
