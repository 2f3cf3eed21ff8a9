/* The runner behind test.h: one per test binary. Single-threaded registration at startup. */
#include "tests/test.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define MAX_TESTS 512
static struct { const char *name; TestFn fn; } tests[MAX_TESTS];
static int ntests, failed_now, skipped_now;

void test_register(const char *name, TestFn fn)
{
    if (ntests < MAX_TESTS) {
        tests[ntests].name = name;
        tests[ntests].fn = fn;
        ntests++;
    } else {
        fprintf(stderr, "test.h: more than %d tests, %s not registered\n", MAX_TESTS, name);
    }
}

void test_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "  FAIL %s:%d: %s\n", file, line, what);
    failed_now = 1;
}

int test_failed_now(void) { return failed_now; }

void test_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("    skipped: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    skipped_now = 1;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, skipped = 0;
    for (int i = 0; i < ntests; i++) {
        if (argc > 1 && !strstr(tests[i].name, argv[1]))
            continue;
        failed_now = skipped_now = 0;
        tests[i].fn();
        printf("%s %s\n", failed_now ? "FAIL" : skipped_now ? "skip" : "ok  ", tests[i].name);
        fflush(stdout);
        if (failed_now)
            failed++;
        else if (skipped_now)
            skipped++;
        else
            passed++;
    }
    printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed > 255 ? 255 : failed;
}

static char tmp_dir[64];

static void remove_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    if (tmp_dir[0] && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_dir);
}

const char *test_tmpdir(void)
{
    if (!tmp_dir[0]) {
        snprintf(tmp_dir, sizeof tmp_dir, "/tmp/embedscope-test-XXXXXX");
        if (mkdtemp(tmp_dir))
            atexit(remove_tmpdir);
        else
            tmp_dir[0] = 0;
    }
    return tmp_dir;
}

int test_shell(const char *cmd)
{
    int st = system(cmd);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *test_slurp(const char *dir, const char *name)
{
    static char buf[1 << 16];
    char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = 0;
    if (f)
        fclose(f);
    return buf;
}
