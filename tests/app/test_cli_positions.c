/* `embedscope positions` run as a user would: the initial and trained tables as TSV, the JSON
 * summary, runs that repeat, and every kind of bad input answered with one line and a non-zero
 * exit before anything trains. Small runs: a few seconds in all. */
#include "tests/test.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256], out[1 << 16], err[1 << 16];

static bool setup(void)
{
    if (dir[0])
        return true;
    snprintf(dir, sizeof dir, "%s", test_tmpdir()); /* removed at exit */
    return dir[0] != 0;
}

/* Runs `embedscope positions ARGS` (with "$D" replaced by the folder) capturing stdout and
 * stderr; returns the exit code, or -1. */
static int run(const char *args)
{
    char expanded[2048] = "", *w = expanded;
    for (const char *p = args; *p && w < expanded + sizeof expanded - 300; p++)
        if (p[0] == '$' && p[1] == 'D')
            w += snprintf(w, 300, "%s", dir), p++;
        else
            *w++ = *p;
    *w = 0;
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' positions %s </dev/null 2>'%s/err.txt'", EMBEDSCOPE_BIN,
             expanded, dir);
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = 0;
    int st = p ? pclose(p) : -1;
    char path[300];
    snprintf(path, sizeof path, "%s/err.txt", dir);
    FILE *f = fopen(path, "r");
    n = f ? fread(err, 1, sizeof err - 1, f) : 0;
    err[n] = 0;
    if (f)
        fclose(f);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Reads a TSV table: rows and columns (every row the same), and the std of its values. */
static bool read_table(const char *name, int *rows, int *cols, double *std)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    static char line[1 << 16];
    int r = 0, c0 = -1;
    double ss = 0, n = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        int c = 0;
        for (char *p = line, *end; *p && *p != '\n'; p = end, c++) {
            double v = strtod(p, &end);
            if (end == p || (*end != '\t' && *end != '\n')) {
                ok = false;
                break;
            }
            ss += v * v, n++;
            if (*end == '\t')
                end++;
        }
        ok = ok && (c0 < 0 || c == c0);
        c0 = c, r++;
    }
    fclose(f);
    *rows = r, *cols = c0, *std = n > 0 ? sqrt(ss / n) : 0;
    return ok;
}

static double json_field(const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(out, pat);
    return p && strncmp(p + strlen(pat), "null", 4) ? strtod(p + strlen(pat), NULL) : NAN;
}

TEST(steps_0_writes_the_initial_tables)
{
    CHECK(setup());
    int rows, cols;
    double std;
    CHECK(run("-train @world --steps 0 --output $D/wpe.tsv --tokens $D/wte.tsv "
              "--token-labels $D/labels.tsv --quiet") == 0);
    CHECK(read_table("wpe.tsv", &rows, &cols, &std) && rows == 128 && cols == 32);
    CHECKF(fabs(std - 0.02) < 0.002, "std %g: GPT-2's N(0, 0.02)", std); /* 4096 draws */
    CHECK(read_table("wte.tsv", &rows, &cols, &std) && rows > 10 && rows < 100 && cols == 32);
    /* @world's bytes: newline, space, then letters in byte order, one label per table row */
    char path[300], line[64];
    snprintf(path, sizeof path, "%s/labels.tsv", dir);
    FILE *f = fopen(path, "r");
    CHECK(f);
    int n = 0;
    bool newline = false, space = false, a = false;
    while (fgets(line, sizeof line, f))
        n++, newline |= !strcmp(line, "\\n\n"), space |= !strcmp(line, "space\n"),
            a |= !strcmp(line, "a\n");
    fclose(f);
    CHECK(n == rows && newline && space && a);
    CHECK(run("-train @world --steps 0 --init torch --len 64 --dim 16 --output $D/t.tsv --quiet") == 0);
    CHECK(read_table("t.tsv", &rows, &cols, &std) && rows == 64 && cols == 16);
    CHECKF(fabs(std - 1.0) < 0.05, "std %g: nn.Embedding's N(0, 1)", std);
}

TEST(training_writes_the_table_and_the_json_summary)
{
    CHECK(setup());
    CHECK(run("-train @world --steps 30 --batch 4 --len 32 --threads 2 --output $D/a.tsv --json") == 0);
    CHECK(json_field("steps") == 30 && json_field("tokens") == 30 * 4 * 32);
    CHECK(json_field("len") == 32 && json_field("threads") == 2 && json_field("tokens_per_sec") > 0);
    double loss = json_field("loss"), uni = json_field("unigram_loss");
    CHECKF(loss > 0 && loss < 3.4 && uni > 2, "loss %g unigram %g", loss, uni); /* ln 28 = 3.33 */
    CHECK(isfinite(json_field("mean_adjacent_cosine")) && isfinite(json_field("cos_5_6")));
    CHECK(isnan(json_field("cos_5_100"))); /* 32 positions: null, not a made-up number */
    CHECK(strstr(err, "estimate")); /* the estimate comes before training */
    int rows, cols;
    double std;
    CHECK(read_table("a.tsv", &rows, &cols, &std) && rows == 32 && cols == 32);
}

TEST(seconds_bounds_the_training_time)
{
    CHECK(setup());
    CHECK(run("-train @world --seconds 0.3 --len 32 --batch 2 --output $D/s.tsv --json --quiet") == 0);
    /* the limit is checked before each step: at least 0.3 s, at most one step more */
    double sec = json_field("seconds"), steps = json_field("steps");
    CHECKF(sec >= 0.3 && sec < 3 && steps >= 1, "%g s, %g steps", sec, steps);
}

TEST(runs_repeat_byte_for_byte_on_one_or_two_threads)
{
    CHECK(setup());
    CHECK(run("-train @world --steps 15 --len 32 --threads 1 --seed 9 --output $D/r1.tsv --quiet") == 0);
    CHECK(run("-train @world --steps 15 --len 32 --threads 2 --seed 9 --output $D/r2.tsv --quiet") == 0);
    CHECK(run("-train @world --steps 15 --len 32 --threads 1 --seed 8 --output $D/r3.tsv --quiet") == 0);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cmp -s '%s/r1.tsv' '%s/r2.tsv'", dir, dir);
    CHECK(system(cmd) == 0);
    snprintf(cmd, sizeof cmd, "cmp -s '%s/r1.tsv' '%s/r3.tsv'", dir, dir);
    CHECK(system(cmd) != 0);
}

TEST(bad_input_gets_one_line_and_nothing_trains)
{
    CHECK(setup());
    char path[300];
    snprintf(path, sizeof path, "%s/short.txt", dir);
    FILE *f = fopen(path, "w");
    CHECK(f && fputs("a short corpus\n", f) >= 0 && fclose(f) == 0);
    static const struct {
        const char *args, *want;
        int rc;
    } cases[] = {
        {"-train $D/short.txt --steps 5 --output $D/x.tsv", "shorter than the context length 128 + 1", 1},
        {"-train $D/missing.txt --steps 5 --output $D/x.tsv", "missing.txt", 1},
        {"-train @world --steps 5 --heads 3 --output $D/x.tsv", "3 heads do not divide dim 32", 1},
        {"-train @world --steps 5 --len 0 --output $D/x.tsv", "bad value for --len: '0'", 2},
        {"-train @world --steps 5 --len 65536 --dim 8192 --heads 8 --output $D/x.tsv",
         "too large for one sequence", 1},
        {"-train @world --steps 5 --len 4096 --dim 8192 --heads 8 --layers 48 --output $D/x.tsv",
         "GiB, more than this machine's", 1},
        {"-train @world --steps 5 --init xavier --output $D/x.tsv", "want gpt2 or torch", 2},
        {"-train @world --output $D/x.tsv", "exactly one of --steps N and --seconds S", 2},
        {"-train @world --steps 5", "needs --output FILE", 2},
        {"-train @world --steps 5 --output $D/x.tsv --bogus", "unknown option --bogus", 2},
        {"-train @world --steps 5 --output", "--output needs a value", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = run(cases[i].args);
        int lines = 0;
        for (const char *p = err; *p; p++)
            lines += *p == '\n';
        bool usage = strstr(cases[i].args, "--bogus") != NULL;
        CHECKF(rc == cases[i].rc && strstr(err, cases[i].want) && !out[0] &&
                   (usage ? strstr(err, "usage: embedscope positions") != NULL : lines <= 2),
               "%s: exit %d, stderr '%.300s'", cases[i].args, rc, err);
    }
    struct stat st;
    snprintf(path, sizeof path, "%s/x.tsv", dir);
    CHECK(stat(path, &st) != 0); /* no failed run wrote a table */
}

TEST(help_and_version)
{
    CHECK(setup());
    CHECK(run("--help") == 0 && strstr(out, "usage: embedscope positions") && strstr(out, "--init"));
    CHECK(run("--version") == 0 && !strncmp(out, "embedscope ", 11));
}
