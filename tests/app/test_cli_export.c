/* `embedscope export` run as a user would: two planted groups of words, exported as
 * coordinates, projector files and vectors; the files are read back and checked. */
#include "test.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
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

__attribute__((destructor)) static void cleanup(void)
{
    if (!dir[0] || strncmp(dir, "/tmp/embedscope-export-", 23))
        return;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static bool setup(void)
{
    if (dir[0])
        return true;
    snprintf(dir, sizeof dir, "/tmp/embedscope-export-XXXXXX");
    if (!mkdtemp(dir))
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
