/* `embedscope export`: vectors, projected coordinates with cluster ids, and the TensorBoard
 * projector's vectors.tsv + metadata.tsv, from a vector file. Every file is written atomically.
 * Main thread. */
#include "app/args.h"
#include "app/cli/export.h"
#include "model/files/export.h"
#include "model/analysis/kmeans.h"
#include "model/analysis/pca.h"
#include "model/files/tbproj.h"
#include "app/cli/vectors.h"
#include "model/files/vecfile.h"
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: embedscope export VECTORS [outputs] [options]\n"
               "outputs (any number):\n"
               "  --coords FILE     every word's PCA coordinates and k-means cluster; .csv gives CSV, else TSV\n"
               "  --projector DIR   vectors.tsv + metadata.tsv for the TensorBoard Embedding Projector\n"
               "  --vectors FILE    word2vec text (or binary with --binary)\n"
               "options:\n"
               "  --dims 2|3        coordinates to write [3]\n"
               "  --clusters K      k-means clusters [min(30, sqrt(V/2))]\n"
               "  --max-words N     keep the N most frequent words (the first N rows)\n"
               "  --binary          binary word2vec for --vectors\n");
}

/* The options that take a value, so an unknown one is named as unknown, not as valueless. */
static bool takes_value(const char *f)
{
    static const char *const names[] = {"--coords", "--projector", "--vectors", "--dims",
                                        "--clusters", "--max-words"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(f, names[i]))
            return true;
    return false;
}

int cmd_export(int argc, char **argv)
{
    const char *in = NULL, *coords = NULL, *projector = NULL, *vectors = NULL;
    long long dims = 3, k = 0, max_words = 0;
    int binary = 0;
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "-h") || !strcmp(f, "--help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(f, "--binary")) {
            binary = 1;
            continue;
        }
        if (f[0] != '-') {
            if (in) {
                fprintf(stderr, "embedscope export: unexpected argument '%s'\n", f);
                return 2;
            }
            in = f;
            continue;
        }
        if (!takes_value(f)) {
            fprintf(stderr, "embedscope export: unknown option %s\n", f);
            usage(stderr);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "embedscope export: %s needs a value (see --help)\n", f);
            return 2;
        }
        const char *a = argv[++i];
        if (!strcmp(f, "--coords"))
            coords = a;
        else if (!strcmp(f, "--projector"))
            projector = a;
        else if (!strcmp(f, "--vectors"))
            vectors = a;
        else if (!strcmp(f, "--dims")) {
            if (!args_int(f, a, 2, 3, &dims))
                return 2;
        } else if (!strcmp(f, "--clusters")) {
            if (!args_int(f, a, 1, 1000, &k))
                return 2;
        } else if (!strcmp(f, "--max-words")) {
            if (!args_int(f, a, 1, 1LL << 40, &max_words))
                return 2;
        }
    }
    if (!in || (!coords && !projector && !vectors)) {
        usage(stderr);
        return 2;
    }
    Err e = {0};
    Embeddings m;
    emb_init(&m);
    Pca p;
    pca_init(&p, &(PcaDesc){.k = 3});
    Kmeans km = {0};
    kmeans_init(&km, &(KmeansDesc){.k = (int)k});
    float *xyz = NULL;
    bool ok = cli_load_vectors(&(VecLoadDesc){.path = in, .max_words = max_words}, &m, &e);
    if (ok && vectors)
        ok = vecfile_save(vectors, &m, binary ? VEC_BINARY : VEC_TEXT, &e);
    if (ok && (coords || projector))
        ok = kmeans_update(&km, m.vec, m.rows, m.dim, m.stride, &e);
    if (ok && coords) {
        xyz = malloc((size_t)m.rows * 3 * sizeof *xyz);
        int comps[3] = {0, 1, 2};
        ok = xyz && pca_update(&p, m.vec, m.rows, m.dim, m.stride, &e) &&
             pca_project(&p, m.vec, m.rows, m.dim, m.stride, comps, m.dim >= 3 ? 3 : m.dim, xyz, &e);
        if (!xyz)
            err_set(&e, "out of memory for %lld coordinates", (long long)m.rows);
        if (ok)
            ok = export_coords(coords, &m.vocab, xyz, (int)dims, NULL, km.assign, &e);
    }
    if (ok && projector)
        ok = tbproj_save(projector, &m, km.assign, &e);
    if (!ok)
        fprintf(stderr, "embedscope export: %s\n", e.msg);
    free(xyz);
    kmeans_deinit(&km);
    pca_deinit(&p);
    emb_deinit(&m);
    return ok ? 0 : 1;
}
