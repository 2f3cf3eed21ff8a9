/* --version and --help for the program and every command, and usage with exit code 2 for an
 * unknown option: the built binary (EMBEDSCOPE_BIN) run as a user would, stdin from /dev/null
 * so that nothing waits for input and no window opens. */
#include "tests/test.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char out[1 << 15], err[1 << 15];

/* Runs `embedscope ARGS` with stdout in out and stderr in err; returns the exit code, or -1. */
static int run(const char *args)
{
    char errpath[] = "/tmp/embedscope-cli-usage-XXXXXX";
    int fd = mkstemp(errpath);
    if (fd < 0)
        return -1;
    close(fd);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' %s </dev/null 2>'%s'", EMBEDSCOPE_BIN, args, errpath);
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = 0;
    int st = p ? pclose(p) : -1;
    FILE *f = fopen(errpath, "r");
    n = f ? fread(err, 1, sizeof err - 1, f) : 0;
    err[n] = 0;
    if (f)
        fclose(f);
    unlink(errpath);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* "embedscope MAJOR.MINOR.PATCH\n" and nothing else. */
static bool is_version_line(const char *s)
{
    if (strncmp(s, "embedscope ", 11))
        return false;
    s += 11;
    for (int part = 0; part < 3; part++) {
        if (!isdigit((unsigned char)*s))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
        if (*s++ != (part < 2 ? '.' : '\n'))
            return false;
    }
    return *s == 0;
}

TEST(cli_version)
{
    const char *forms[] = {"--version",       "-V",           "version",
                           "gui --version",   "--stats --version", "train --version",
                           "neighbours -V",   "eval --version", "export --version",
                           "world --version", "analogy --version"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        int rc = run(forms[i]);
        CHECKF(rc == 0 && is_version_line(out) && !err[0], "%s: exit %d, stdout '%s', stderr '%s'",
               forms[i], rc, out, err);
    }
}

TEST(cli_help)
{
    static const struct {
        const char *args, *want;
    } cases[] = {
        {"--help", "usage: embedscope [command]"},
        {"-h", "usage: embedscope [command]"},
        {"help", "usage: embedscope [command]"},
        {"train --help", "usage: embedscope train"},
        {"train -h", "usage: embedscope train"},
        {"neighbours --help", "usage: embedscope neighbours"},
        {"neighbors --help", "usage: embedscope neighbours"},
        {"analogy --help", "usage: embedscope analogy"},
        {"eval --help", "usage: embedscope eval"},
        {"export --help", "usage: embedscope export"},
        {"world --help", "usage: embedscope world"},
        {"gui --help", "usage: embedscope [--corpus"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = run(cases[i].args);
        CHECKF(rc == 0 && strstr(out, cases[i].want) && !err[0],
               "%s: exit %d, stdout '%.200s', stderr '%.200s'", cases[i].args, rc, out, err);
    }
    CHECKF(strstr(out, "--dim") && strstr(out, "--corpus"), "gui --help: %s", out);
}

/* An unknown option, alone or last (where "needs a value" used to answer), names itself and
 * prints the command's usage on stderr; nothing on stdout; exit 2. */
TEST(cli_unknown_option)
{
    static const struct {
        const char *args, *want;
    } cases[] = {
        {"--bogus", "usage: embedscope [--corpus"},
        {"--bogus 1", "usage: embedscope [--corpus"},
        {"gui --bogus", "usage: embedscope [--corpus"},
        {"train --bogus", "usage: embedscope train"},
        {"train -size 8 --bogus 1", "usage: embedscope train"},
        {"neighbours v.vec king --bogus", "usage: embedscope neighbours"},
        {"analogy v.vec a b c --bogus", "usage: embedscope analogy"},
        {"eval analogies v.vec q.txt --bogus", "usage: embedscope eval"},
        {"export v.vec --bogus", "usage: embedscope export"},
        {"export v.vec --coords c.tsv --bogus 1", "usage: embedscope export"},
        {"world --bogus", "usage: embedscope world"},
        {"frobnicate", "usage: embedscope [command]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = run(cases[i].args);
        CHECKF(rc == 2 && !out[0] && strstr(err, "unknown") &&
                   (strstr(err, "--bogus") || strstr(err, "frobnicate")) &&
                   strstr(err, cases[i].want),
               "%s: exit %d, stdout '%.200s', stderr '%.300s'", cases[i].args, rc, out, err);
    }
}
