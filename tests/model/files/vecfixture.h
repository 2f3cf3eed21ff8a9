/* Fixtures shared by the vector-file tests (test_vecfile, test_readbuf, test_sniff,
 * test_w2v_text, test_w2v_bin, test_w2v_save, test_tbproj): a scratch folder, files written
 * and read whole, seeded tables, and the "fails with one line, target untouched" check.
 * Static inline so each test binary takes what it uses. Test threads only. */
#ifndef EMBEDSCOPE_TEST_VECFIXTURE_H
#define EMBEDSCOPE_TEST_VECFIXTURE_H
#include "model/files/vecfile.h"
#include "tests/test.h"
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#define HOSTILE TEST_DATA_DIR "/hostile/"

static char tmp_root[64];

static inline int fx_rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static inline void fx_rm_tmp(void)
{
    if (tmp_root[0])
        nftw(tmp_root, fx_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A per-process scratch folder, removed at exit. */
static inline const char *tmp_path(const char *name)
{
    static char buf[8][256];
    static int next;
    if (!tmp_root[0]) {
        snprintf(tmp_root, sizeof tmp_root, "/tmp/test_vecfile.XXXXXX");
        if (!mkdtemp(tmp_root)) {
            perror("mkdtemp");
            exit(1);
        }
        atexit(fx_rm_tmp);
    }
    char *b = buf[next++ % 8];
    snprintf(b, 256, "%s/%s", tmp_root, name);
    return b;
}

static inline void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static inline void write_str(const char *path, const char *s) { write_bytes(path, s, strlen(s)); }

static inline char *read_all(const char *path, size_t *n)
{
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)sz + 1);
    *n = fread(b, 1, (size_t)sz, f);
    b[*n] = 0;
    fclose(f);
    return b;
}

/* Writes `from` gzip-compressed to `to`, cut to its first `keep` bytes when keep > 0. */
static inline void gzip_file(const char *from, const char *to, size_t keep)
{
    size_t n;
    char *s = read_all(from, &n);
    gzFile gz = gzopen(to, "wb");
    if (s && gz)
        gzwrite(gz, s, (unsigned)n);
    if (gz)
        gzclose(gz);
    free(s);
    if (keep) {
        char *c = read_all(to, &n);
        if (c && keep < n)
            write_bytes(to, c, keep);
        free(c);
    }
}

/* rows x dim table with words "w0".. and values from a fixed LCG in [-1, 1). */
static inline bool make_table(Embeddings *t, int64_t rows, int dim, uint32_t seed)
{
    Err e;
    emb_init(t);
    if (!emb_alloc(t, rows, dim, &e))
        return false;
    uint32_t s = seed;
    for (int64_t i = 0; i < rows; i++) {
        char w[32];
        int n = snprintf(w, sizeof w, "w%lld", (long long)i);
        if (vocab_add(&t->vocab, w, (size_t)n, (uint64_t)(rows - i), &e) != i)
            return false;
        for (int k = 0; k < dim; k++) {
            s = s * 1664525u + 1013904223u;
            emb_row(t, i)[k] = (float)((double)(s >> 8) / (1 << 23) - 1.0);
        }
    }
    return true;
}

/* An existing one-row table ("keep", 42...) that a failed load must leave alone. */
static inline void make_sentinel(Embeddings *t)
{
    Err e;
    emb_init(t);
    emb_alloc(t, 1, 3, &e);
    vocab_add(&t->vocab, "keep", 4, 1, &e);
    for (int k = 0; k < 3; k++)
        emb_row(t, 0)[k] = 42.0f;
}

static inline bool sentinel_intact(const Embeddings *t)
{
    return t->rows == 1 && t->dim == 3 && t->vocab.size == 1 &&
           !strcmp(vocab_word(&t->vocab, 0), "keep") && emb_row(t, 0)[2] == 42.0f;
}

/* Loads path (format fmt), expecting failure with a message that names the path and contains
 * `where` and `why`, on one line, with the target untouched. Returns 0 on success. */
static inline int expect_fail_fmt(const char *path, VecFormat fmt, const char *where, const char *why)
{
    Embeddings t;
    make_sentinel(&t);
    Err e = {{0}};
    bool ok = vecfile_load(&(VecLoadDesc){.path = path, .format = fmt}, &t, NULL, &e);
    int bad = 0;
    if (ok) {
        fprintf(stderr, "    %s: loaded, expected failure\n", path);
        bad = 1;
    } else if (strncmp(e.msg, path, strlen(path) > 100 ? 100 : strlen(path)) ||
               !strstr(e.msg, where) || !strstr(e.msg, why) || strchr(e.msg, '\n')) {
        fprintf(stderr, "    message '%s' lacks the path, '%s' or '%s'\n", e.msg, where, why);
        bad = 1;
    } else if (!sentinel_intact(&t)) {
        fprintf(stderr, "    %s: the target changed on failure\n", path);
        bad = 1;
    }
    emb_deinit(&t);
    return bad;
}

static inline int expect_fail(const char *path, const char *where, const char *why)
{
    return expect_fail_fmt(path, VEC_AUTO, where, why);
}

static inline bool same_table(const Embeddings *a, const Embeddings *b, bool exact)
{
    if (a->rows != b->rows || a->dim != b->dim || a->vocab.size != b->vocab.size)
        return false;
    for (int64_t i = 0; i < a->rows; i++) {
        if (strcmp(vocab_word(&a->vocab, i), vocab_word(&b->vocab, i)))
            return false;
        for (int k = 0; k < a->dim; k++) {
            float x = emb_row(a, i)[k], y = emb_row(b, i)[k];
            if (exact ? memcmp(&x, &y, sizeof x) != 0 : fabsf(x - y) > 1e-6f * fmaxf(1.0f, fabsf(x)))
                return false;
        }
    }
    return true;
}

/* Runs a shell command, returning its exit status, or -1 when it could not run. */
static inline int run(const char *cmd)
{
    int st = system(cmd);
    return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* A file load with the usual desc: the format and max_words, nothing else. */
static inline bool load_path(const char *path, VecFormat fmt, int64_t max_words, Embeddings *out,
                             VecInfo *info, Err *e)
{
    return vecfile_load(&(VecLoadDesc){.path = path, .format = fmt, .max_words = max_words}, out, info, e);
}

#endif
