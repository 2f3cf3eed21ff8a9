/* `embedscope export` run as a user would: two planted groups of words, exported as
 * coordinates, projector files and vectors; the files are read back and checked. */
#include "model/files/vecfile.h"
#include "tests/test.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];

static bool write_vectors(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    /* Two groups far apart along dim 0, a little spread along dims 1-3. */
    fprintf(f, "40 4\n");
    for (int i = 0; i < 40; i++)
        fprintf(f, "%s%d %g %g %g %g\n", i < 20 ? "a" : "b", i, i < 20 ? 5.0 : -5.0,
                0.1 * (i % 5), 0.05 * (i % 3), 0.02 * (i % 7));
    return fclose(f) == 0;
}

static int run(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s export %s 2>%s/err.txt", EMBEDSCOPE_BIN, args, dir);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool setup(void)
{
    if (dir[0])
        return true;
    snprintf(dir, sizeof dir, "%s", test_tmpdir()); /* removed at exit */
    if (!dir[0])
        return false;
    char p[300];
    snprintf(p, sizeof p, "%s/in.vec", dir);
    return write_vectors(p);
}

TEST(export_coords_separate_the_groups)
{
    CHECK(setup());
    char args[1024];
    snprintf(args, sizeof args, "%s/in.vec --coords %s/c.tsv --clusters 2 --dims 2", dir, dir);
    CHECK(run(args) == 0);
    char p[300];
    snprintf(p, sizeof p, "%s/c.tsv", dir);
    FILE *f = fopen(p, "r");
    CHECK(f);
    char line[256];
    CHECK(fgets(line, sizeof line, f) && !strcmp(line, "word\tpc1\tpc2\tcluster\n"));
    int rows = 0, cluster_of_a = -1, cluster_of_b = -1;
    double sum_a = 0, sum_b = 0;
    while (fgets(line, sizeof line, f)) {
        char w[64];
        double x, y;
        int c;
        CHECK(sscanf(line, "%63s %lf %lf %d", w, &x, &y, &c) == 4);
        int *cl = w[0] == 'a' ? &cluster_of_a : &cluster_of_b;
        if (*cl < 0)
            *cl = c;
        CHECKF(*cl == c, "%s in cluster %d, its group is in %d", w, c, *cl);
        if (w[0] == 'a')
            sum_a += x;
        else
            sum_b += x;
        rows++;
    }
    fclose(f);
    CHECK(rows == 40);
    CHECK(cluster_of_a != cluster_of_b);
    /* PC1 is the axis between the groups: their means sit on opposite sides. */
    CHECKF(sum_a * sum_b < 0 && fabs(sum_a - sum_b) / 20 > 1.0, "pc1 means %g %g", sum_a / 20, sum_b / 20);
}

TEST(export_projector_and_vectors)
{
    CHECK(setup());
    char args[1024];
    snprintf(args, sizeof args, "%s/in.vec --projector %s --vectors %s/out.bin --binary --max-words 30", dir, dir, dir);
    CHECK(run(args) == 0);
    char p[300], line[512];
    snprintf(p, sizeof p, "%s/vectors.tsv", dir);
    FILE *f = fopen(p, "r");
    CHECK(f);
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        double v[4];
        CHECK(sscanf(line, "%lf\t%lf\t%lf\t%lf", &v[0], &v[1], &v[2], &v[3]) == 4);
        rows++;
    }
    fclose(f);
    CHECK(rows == 30);
    snprintf(p, sizeof p, "%s/metadata.tsv", dir);
    f = fopen(p, "r");
    CHECK(f);
    CHECK(fgets(line, sizeof line, f) && !strcmp(line, "word\tcluster\n"));
    CHECK(fgets(line, sizeof line, f) && !strncmp(line, "a0\t", 3));
    fclose(f);
    /* The vectors round-trip through our own reader. */
    snprintf(args, sizeof args, "%s/out.bin --coords %s/c2.csv", dir, dir);
    CHECK(run(args) == 0);
    snprintf(p, sizeof p, "%s/c2.csv", dir);
    f = fopen(p, "r");
    CHECK(f && fgets(line, sizeof line, f) && !strcmp(line, "word,pc1,pc2,pc3,cluster\n"));
    fclose(f);
}

/* What --projector writes loads back (vecfile_load finds metadata.tsv beside vectors.tsv) to
 * the same words and the same float bits: the exporter writes 9 significant digits. */
TEST(export_projector_loads_back)
{
    CHECK(setup());
    char in[300], out[300], args[1024];
    snprintf(in, sizeof in, "%s/rt.vec", dir);
    snprintf(out, sizeof out, "%s/rt", dir);
    FILE *f = fopen(in, "w");
    CHECK(f && mkdir(out, 0755) == 0);
    fprintf(f, "50 7\n");
    uint32_t s = 12345;
    for (int i = 0; i < 50; i++) {
        fprintf(f, i % 3 ? "w%d" : "\xc3\xa9t\xc3\xa9%d", i);
        for (int k = 0; k < 7; k++) {
            s = s * 1664525u + 1013904223u;
            /* spread over magnitudes: 1e-6 .. 1e3, both signs */
            fprintf(f, " %.9g", ((double)(s >> 8) / (1 << 24) - 0.5) * pow(10.0, (double)(i % 10) - 6));
        }
        fprintf(f, "\n");
    }
    CHECK(fclose(f) == 0);
    snprintf(args, sizeof args, "%s --projector %s", in, out);
    CHECK(run(args) == 0);
    Embeddings a, b;
    Err e;
    VecInfo info;
    emb_init(&a);
    emb_init(&b);
    CHECKF(vecfile_load(&(VecLoadDesc){.path = in}, &a, NULL, &e), "%s", e.msg);
    char tsv[320];
    snprintf(tsv, sizeof tsv, "%s/vectors.tsv", out);
    CHECKF(vecfile_load(&(VecLoadDesc){.path = tsv}, &b, &info, &e), "%s", e.msg);
    CHECK(info.format == VEC_PROJECTOR && info.metadata && info.metadata_header && info.renamed == 0);
    CHECK(a.rows == 50 && b.rows == 50 && a.dim == 7 && b.dim == 7);
    for (int64_t i = 0; i < a.rows; i++) {
        CHECKF(!strcmp(vocab_word(&a.vocab, i), vocab_word(&b.vocab, i)), "row %lld", (long long)i);
        CHECKF(!memcmp(emb_row(&a, i), emb_row(&b, i), 7 * sizeof(float)), "row %lld", (long long)i);
    }
    emb_deinit(&a);
    emb_deinit(&b);
    /* and the other commands read a projector file directly */
    snprintf(args, sizeof args, "%s --vectors %s/back.vec", tsv, dir);
    CHECK(run(args) == 0);
}

/* Runs cmd, its stdout into buf (NUL-terminated); returns the exit status or -1. */
static int capture(const char *cmd, char *buf, size_t cap)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(buf, 1, cap - 1, p);
    buf[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Vectors we export (word2vec text and binary) load in gensim, whose most_similar gives the
 * same five neighbours in the same order as `embedscope neighbours`. The vectors are Gaussian
 * in 16 dims, where neighbouring cosines differ by ~1e-2, far above the ~1e-7 that float32
 * sums in another order can move them. Skipped without a python3 that imports gensim. */
TEST(exported_vectors_match_gensim_neighbours)
{
    CHECK(setup());
    static char buf[1 << 16], ours[1 << 16];
    const char *py = NULL;
    if (capture("/usr/bin/python3 -c 'import gensim' 2>/dev/null", buf, sizeof buf) == 0)
        py = "/usr/bin/python3";
    else if (capture("python3 -c 'import gensim' 2>/dev/null", buf, sizeof buf) == 0)
        py = "python3";
    if (!py)
        SKIP("no python3 imports gensim (install python3-gensim)");
    char in[300], cmd[2048];
    snprintf(in, sizeof in, "%s/g.vec", dir);
    FILE *f = fopen(in, "w");
    CHECK(f);
    fprintf(f, "200 16\n");
    uint64_t s = 99;
    for (int i = 0; i < 200; i++) {
        fprintf(f, "g%d", i);
        for (int k = 0; k < 16; k++) {
            double uv[2]; /* Box-Muller from an LCG */
            for (int j = 0; j < 2; j++) {
                s = s * 6364136223846793005ull + 1442695040888963407ull;
                uv[j] = ((double)(s >> 11) + 0.5) / 9007199254740992.0;
            }
            double u = uv[0], v = uv[1];
            fprintf(f, " %.9g", sqrt(-2 * log(u)) * cos(6.283185307179586 * v));
        }
        fprintf(f, "\n");
    }
    CHECK(fclose(f) == 0);
    for (int binary = 0; binary < 2; binary++) {
        char args[1024], path[320];
        snprintf(path, sizeof path, "%s/g_out.%s", dir, binary ? "bin" : "txt");
        snprintf(args, sizeof args, "%s --vectors %s%s", in, path, binary ? " --binary" : "");
        CHECK(run(args) == 0);
        snprintf(cmd, sizeof cmd,
                 "%s -c \"import sys\nfrom gensim.models import KeyedVectors as K\n"
                 "kv=K.load_word2vec_format(sys.argv[1],binary=%s)\nassert len(kv)==200 and kv.vector_size==16\n"
                 "for i in range(0,200,20):\n  w='g%%d'%%i\n  print(w,' '.join(n for n,_ in kv.most_similar(w,topn=5)))\n\" %s",
                 py, binary ? "True" : "False", path);
        CHECKF(capture(cmd, buf, sizeof buf) == 0, "gensim failed on %s", path);
        /* ours: the same queries through the CLI, reshaped to gensim's lines */
        char *o = ours;
        for (int i = 0; i < 200; i += 20) {
            char out[4096];
            snprintf(cmd, sizeof cmd, "%s neighbours %s g%d -k 5", EMBEDSCOPE_BIN, path, i);
            CHECK(capture(cmd, out, sizeof out) == 0);
            o += sprintf(o, "g%d", i);
            char w[64];
            int rank;
            for (char *l = strchr(out, '\n'); l && sscanf(l + 1, "%d %63s", &rank, w) == 2; l = strchr(l + 1, '\n'))
                o += sprintf(o, " %s", w);
            o += sprintf(o, "\n");
        }
        CHECKF(!strcmp(buf, ours), "%s\ngensim:\n%s\nembedscope:\n%s", path, buf, ours);
    }
}

TEST(export_errors)
{
    CHECK(setup());
    char args[1024];
    CHECK(run("") == 2);
    snprintf(args, sizeof args, "%s/in.vec", dir);
    CHECK(run(args) == 2); /* no output asked for */
    snprintf(args, sizeof args, "%s/missing.vec --coords %s/x.tsv", dir, dir);
    CHECK(run(args) == 1);
    snprintf(args, sizeof args, "%s/in.vec --projector %s/no/such/dir", dir, dir);
    CHECK(run(args) == 1);
    snprintf(args, sizeof args, "%s/in.vec --coords %s/x.tsv --dims 4", dir, dir);
    CHECK(run(args) == 2);
    char p[300];
    snprintf(p, sizeof p, "%s/x.tsv", dir);
    CHECK(access(p, F_OK) != 0); /* nothing half-written */
}
