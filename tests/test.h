/* A tiny test runner: TEST(name) registers a function, CHECK(cond) records a failure and
 * returns from the test, SKIP(reason) marks it skipped (a missing tool: counted apart, so a
 * skip never passes for a pass). The binary's exit code is the number of failed tests, and it
 * ends with the line "N passed, N failed, N skipped". Optional argv[1] runs only tests whose
 * name contains it. */
#ifndef EMBEDSCOPE_TEST_H
#define EMBEDSCOPE_TEST_H
#include <math.h>
#include <stdio.h>

typedef void (*TestFn)(void);
void test_register(const char *name, TestFn fn);
void test_fail(const char *file, int line, const char *what);
int test_failed_now(void);
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define TEST(name)                                                                 \
    static void name(void);                                                        \
    __attribute__((constructor)) static void test_reg_##name(void)                 \
    {                                                                              \
        test_register(#name, name);                                                \
    }                                                                              \
    static void name(void)

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            test_fail(__FILE__, __LINE__, #cond);                                  \
            return;                                                                \
        }                                                                          \
    } while (0)

/* Ends the test as skipped, printing why (e.g. "fasttext not installed"). */
#define SKIP(...)                                                                  \
    do {                                                                           \
        test_skip(__VA_ARGS__);                                                    \
        return;                                                                    \
    } while (0)

/* CHECK with a printf-style explanation printed on failure. */
#define CHECKF(cond, ...)                                                          \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "    ");                                               \
            fprintf(stderr, __VA_ARGS__);                                          \
            fprintf(stderr, "\n");                                                 \
            test_fail(__FILE__, __LINE__, #cond);                                  \
            return;                                                                \
        }                                                                          \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                      \
    CHECKF(fabs((double)(a) - (double)(b)) <= (tol), "%s = %.9g, %s = %.9g, tol %.3g", \
           #a, (double)(a), #b, (double)(b), (double)(tol))

/* A fresh folder under /tmp for this test binary, made on first use and removed at exit (""
 * if it cannot be made). */
const char *test_tmpdir(void);

/* `embedscope layout ARGS`-style runs: cmd through the shell, its exit code (-1 when it did
 * not exit). */
int test_shell(const char *cmd);
/* The file at dir/name, whole (cut at 64 KiB), in a static buffer overwritten by the next call;
 * "" when it cannot be read. */
const char *test_slurp(const char *dir, const char *name);

/* Path of a fixture under tests/data (set by CMake). */
#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

#endif
