/* `embedscope layout --regions` run as a user would: three planted groups of words laid out by
 * UMAP give one region each, named by words of that group only, with sizes that add up; a
 * 1D coordinates file and an unwritable path fail with one clear line. */
#include "tests/test.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

enum { WORDS = 600, GROUPS = 3, DIM = 8 };

static char dir[256];

/* Word i ("a0", "b1", "c2", "a3"...) is in group i % 3: a direction of its own plus noise. */
static bool setup(void)
{
    if (dir[0])
        return true;
    snprintf(dir, sizeof dir, "%s", test_tmpdir()); /* removed at exit */
    char p[300];
    snprintf(p, sizeof p, "%s/in.vec", dir);
    FILE *f = dir[0] ? fopen(p, "w") : NULL;
    if (!f)
        return false;
    fprintf(f, "%d %d\n", WORDS, DIM);
    uint32_t s = 7;
    for (int i = 0; i < WORDS; i++) {
        fprintf(f, "%c%d", 'a' + i % GROUPS, i);
        for (int d = 0; d < DIM; d++) {
            s = s * 1664525u + 1013904223u;
            fprintf(f, " %.6f", (d == i % GROUPS ? 1.0 : 0.0) + ((double)(s >> 8) / (1 << 24) - 0.5) * 0.6);
        }
        fprintf(f, "\n");
    }
    snprintf(p, sizeof p, "%s/one.tsv", dir); /* a 1D layout of the same words */
    FILE *g = fopen(p, "w");
    if (!g)
        return fclose(f), false;
    fprintf(g, "word\tpc1\n");
    for (int i = 0; i < WORDS; i++)
        fprintf(g, "%c%d\t%d\n", 'a' + i % GROUPS, i, i % GROUPS);
    return (fclose(g) == 0) & (fclose(f) == 0);
}

static int run(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd %s && %s layout %s >out.txt 2>err.txt", dir, EMBEDSCOPE_BIN,
             args);
    return test_shell(cmd);
}

static const char *slurp(const char *name) { return test_slurp(dir, name); }

TEST(one_region_per_group_named_by_its_words)
{
    CHECK(setup());
    CHECKF(run("in.vec --output u.tsv --regions r.tsv --epochs 150 --threads 1") == 0, "%s",
           slurp("err.txt"));
    CHECK(strstr(slurp("err.txt"), "3 regions in r.tsv"));
    char buf[1 << 12];
    snprintf(buf, sizeof buf, "%s", slurp("r.tsv"));
    char *save = NULL, *line = strtok_r(buf, "\n", &save);
    CHECK(line && !strcmp(line, "region\tx\ty\tsize\tprominence\twords"));
    int seen = 0, rows = 0;
    long long total = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        int id;
        double x, y, prom;
        long long size;
        int used = 0;
        CHECKF(sscanf(line, "%d\t%lf\t%lf\t%lld\t%lf\t%n", &id, &x, &y, &size, &prom, &used) == 5,
               "%s", line);
        CHECK(id == rows++ && size > 0 && prom > 0);
        total += size;
        /* five words, every one of one group, and each group names one region */
        char group = line[used];
        int words = 0;
        for (char *ws = NULL, *w = strtok_r(line + used, " ", &ws); w; w = strtok_r(NULL, " ", &ws)) {
            CHECKF(w[0] == group, "region %d: '%s' among words of group %c", id, w, group);
            words++;
        }
        CHECK(words == 5 && group >= 'a' && group < 'a' + GROUPS && !(seen & 1 << (group - 'a')));
        seen |= 1 << (group - 'a');
    }
    CHECK(rows == GROUPS && seen == 7);
    /* a few points may sit in no region (under the density floor), never in two */
    CHECKF(total <= WORDS && total >= WORDS * 95 / 100, "%lld of %d words in regions", total, WORDS);
}

TEST(errors_are_one_line)
{
    CHECK(setup());
    CHECK(run("in.vec --score one.tsv --regions r1.tsv") == 1);
    CHECKF(!strcmp(slurp("err.txt"), "embedscope layout: --regions needs a 2D or 3D layout, not 1D\n"),
           "%s", slurp("err.txt"));
    CHECK(run("in.vec --output u2.tsv --epochs 20 --regions no/such/dir/r.tsv") == 1);
    /* after the progress lines, one line naming the path */
    const char *err = slurp("err.txt"), *at = strstr(err, "embedscope layout: no/such/dir/r.tsv: ");
    CHECKF(at && strchr(at, '\n') == err + strlen(err) - 1, "%s", err);
}
