/* `embedscope layout` run as a user would: three planted groups of words laid out by UMAP and
 * by PCA, the files read back (header, words in order, finite numbers, groups apart), the same
 * file from two one-thread runs with a seed, --json's recall and quality, --score on a file,
 * and usage and input errors with one clear line. */
#include "tests/test.h"
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { WORDS = 300, GROUPS = 3, DIM = 8 };

static char dir[256];

/* Group g of word i is i % 3: a direction of its own plus noise of a third of it. */
static bool write_vectors(const char *path, int rows)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "%d %d\n", rows, DIM);
    uint32_t s = 99;
    for (int i = 0; i < rows; i++) {
        fprintf(f, "%c%d", 'a' + i % GROUPS, i);
        for (int d = 0; d < DIM; d++) {
            s = s * 1664525u + 1013904223u;
            double noise = ((double)(s >> 8) / (1 << 24) - 0.5) * 0.6;
            fprintf(f, " %.6f", (d == i % GROUPS ? 1.0 : 0.0) + noise);
        }
        fprintf(f, "\n");
    }
    return fclose(f) == 0;
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
    if (!write_vectors(p, WORDS))
        return false;
    snprintf(p, sizeof p, "%s/one.vec", dir);
    return write_vectors(p, 1);
}

/* Runs `embedscope layout ARGS`, stdout into out.txt and stderr into err.txt. */
static int run(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd %s && %s layout %s >out.txt 2>err.txt", dir, EMBEDSCOPE_BIN,
             args);
    return test_shell(cmd);
}

/* The whole of a file in the scratch folder (static buffer). */
static const char *slurp(const char *name) { return test_slurp(dir, name); }

/* Reads a layout file: header, then WORDS rows "word x y" in file order. */
/* axis: the coordinate columns' stem, "umap" for umap1 umap2 */
static bool read_layout(const char *name, char sep, const char *axis, double xy[WORDS][2])
{
    char p[300], line[256], want[64];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "r");
    if (!f || !fgets(line, sizeof line, f))
        return false;
    snprintf(want, sizeof want, "word%c%s1%c%s2\n", sep, axis, sep, axis);
    bool ok = !strcmp(line, want);
    int i = 0;
    while (ok && fgets(line, sizeof line, f)) {
        char w[64], exp[64];
        for (char *c = line; *c; c++)
            if (*c == sep)
                *c = ' ';
        snprintf(exp, sizeof exp, "%c%d", 'a' + i % GROUPS, i);
        ok = i < WORDS && sscanf(line, "%63s %lf %lf", w, &xy[i][0], &xy[i][1]) == 3 &&
             !strcmp(w, exp) && isfinite(xy[i][0]) && isfinite(xy[i][1]);
        i++;
    }
    fclose(f);
    return ok && i == WORDS;
}

/* Share of words whose nearest other word in the layout is of their group. */
static double nearest_same_group(double xy[WORDS][2])
{
    int same = 0;
    for (int i = 0; i < WORDS; i++) {
        int best = -1;
        double bd = INFINITY;
        for (int j = 0; j < WORDS; j++) {
            double d = hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]);
            if (j != i && d < bd) {
                bd = d;
                best = j;
            }
        }
        same += best % GROUPS == i % GROUPS;
    }
    return (double)same / WORDS;
}

static double json_number(const char *json, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    const char *p = strstr(json, k);
    return p ? atof(p + strlen(k)) : NAN;
}

TEST(umap_layout_file_and_determinism)
{
    CHECK(setup());
    static double a[WORDS][2], b[WORDS][2];
    CHECK(run("in.vec --output u1.tsv --epochs 150 --threads 1 --seed 3") == 0);
    CHECK(strstr(slurp("err.txt"), "umap 100%")); /* progress on stderr */
    CHECK(read_layout("u1.tsv", '\t', "umap", a));
    double same = nearest_same_group(a);
    CHECKF(same > 0.98, "nearest word of the same group for %.3f", same);
    static char first[1 << 16];
    strcpy(first, slurp("u1.tsv"));
    CHECK(run("in.vec --output u2.tsv --epochs 150 --threads 1 --seed 3") == 0);
    CHECK(!strcmp(first, slurp("u2.tsv")));
    CHECK(run("in.vec --output u3.tsv --epochs 150 --threads 2 --seed 3") == 0);
    CHECK(read_layout("u3.tsv", '\t', "umap", b) && nearest_same_group(b) > 0.98);
}

TEST(json_recall_quality_and_score)
{
    CHECK(setup());
    CHECK(run("in.vec --output u.csv --json --threads 2 --neighbors 10") == 0);
    static char json[1 << 12];
    strcpy(json, slurp("out.txt"));
    double recall = json_number(json, "recall"), pres = json_number(json, "preservation");
    double trust = json_number(json, "trustworthiness");
    /* 300 rows are past the all-pairs path (below 128 rows): NN-descent, recall near 1 */
    CHECKF(recall > 0.95 && recall <= 1, "%s", json);
    CHECKF(pres > 0.1 && pres <= 1 && trust > 0.7 && trust <= 1, "%s", json);
    CHECK(strstr(json, "\"method\": \"umap\"") && strstr(json, "\"rows\": 300"));
    static double xy[WORDS][2];
    CHECK(read_layout("u.csv", ',', "umap", xy));
    /* --score measures the file with the same code: the same numbers */
    CHECK(run("in.vec --score u.csv --json") == 0);
    const char *s = slurp("out.txt");
    CHECKF(fabs(json_number(s, "preservation") - pres) < 1e-9, "%s", s);
    CHECK(fabs(json_number(s, "trustworthiness") - trust) < 1e-9);
}

/* t-SNE through the command: the groups apart, the same file from two one-thread runs, the
 * JSON's tsne block, and a vocabulary too small for the perplexity still laid out. */
TEST(tsne_method)
{
    CHECK(setup());
    static double a[WORDS][2];
    CHECK(run("in.vec --method tsne --output t1.tsv --epochs 400 --threads 1 --json") == 0);
    CHECK(strstr(slurp("err.txt"), "tsne 100%"));
    const char *json = slurp("out.txt");
    CHECKF(strstr(json, "\"method\": \"tsne\"") && strstr(json, "\"tsne\": {\"perplexity\": 30"), "%s", json);
    CHECK(read_layout("t1.tsv", '\t', "tsne", a));
    double same = nearest_same_group(a);
    CHECKF(same > 0.98, "nearest word of the same group for %.3f", same);
    static char first[1 << 16];
    strcpy(first, slurp("t1.tsv"));
    CHECK(run("in.vec --method tsne --output t2.tsv --epochs 400 --threads 1") == 0);
    CHECK(!strcmp(first, slurp("t2.tsv")));
    CHECK(run("in.vec --method tsne --output t3.tsv --epochs 300 --max-words 12 --perplexity 30") == 0);
}

TEST(pca_method_3d)
{
    CHECK(setup());
    CHECK(run("in.vec --method pca --dims 3 --output p.csv") == 0);
    const char *t = slurp("p.csv");
    CHECK(!strncmp(t, "word,pc1,pc2,pc3\na0,", 20));
    int lines = 0;
    for (const char *c = t; *c; c++)
        lines += *c == '\n';
    CHECK(lines == WORDS + 1);
}

TEST(one_word_and_errors)
{
    CHECK(setup());
    CHECK(run("one.vec --output one.tsv") == 0);
    CHECK(!strcmp(slurp("one.tsv"), "word\tumap1\tumap2\na0\t0\t0\n"));
    CHECK(run("in.vec --output x.tsv --method tsen") == 2);
    CHECK(strstr(slurp("err.txt"), "--method is umap, tsne or pca, not 'tsen'"));
    CHECK(run("in.vec --output x.tsv --method tsne --perplexity 0.5") == 2);
    CHECK(run("in.vec --output x.tsv --frobnicate") == 2);
    CHECK(strstr(slurp("err.txt"), "unknown option --frobnicate") &&
          strstr(slurp("err.txt"), "usage: embedscope layout") && !slurp("out.txt")[0]);
    CHECK(run("--version") == 0 && !strncmp(slurp("out.txt"), "embedscope ", 11));
    CHECK(run("in.vec --output x.tsv --dims 4") == 2);
    CHECK(strstr(slurp("err.txt"), "--dims"));
    CHECK(run("in.vec") == 2);
    CHECK(run("missing.vec --output x.tsv") == 1);
    CHECK(strstr(slurp("err.txt"), "missing.vec"));
    CHECK(run("--help") == 0 && strstr(slurp("out.txt"), "usage: embedscope layout"));
    /* a coordinates file whose words are not the vectors' */
    char p[300];
    snprintf(p, sizeof p, "%s/bad.tsv", dir);
    FILE *f = fopen(p, "w");
    CHECK(f);
    fprintf(f, "word\tpc1\tpc2\na0\t1\t2\nzz\t1\t2\n");
    fclose(f);
    CHECK(run("in.vec --score bad.tsv") == 1);
    const char *err0 = slurp("err.txt");
    CHECKF(strstr(err0, "bad.tsv:3: word 'zz', but row 2 of the vectors is 'b1'"), "%s", err0);
    f = fopen(p, "w");
    CHECK(f);
    fprintf(f, "word\tpc1\tpc2\na0\t1\tnan\n");
    fclose(f);
    CHECK(run("in.vec --score bad.tsv") == 1);
    const char *err = slurp("err.txt");
    CHECKF(strstr(err, "bad.tsv:2: column 3 is not a finite number"), "%s", err);
}
