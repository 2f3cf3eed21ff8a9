/* Vector files: round trips, the hostile fixtures in tests/data/hostile (each must fail with one
 * line naming the file and the line or byte, leaving `out` as it was), files written by gensim
 * and fastText when they are installed, and gensim reading what we write. */
#include "tests/test.h"
#include "model/files/w2v_io.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#define HOSTILE TEST_DATA_DIR "/hostile/"

static char tmp_root[64];

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void rm_tmp(void)
{
    if (tmp_root[0])
        nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A per-process scratch folder, removed at exit. */
static const char *tmp_path(const char *name)
{
    static char buf[8][256];
    static int next;
    if (!tmp_root[0]) {
        snprintf(tmp_root, sizeof tmp_root, "/tmp/test_w2v_io.XXXXXX");
        if (!mkdtemp(tmp_root)) {
            perror("mkdtemp");
            exit(1);
        }
        atexit(rm_tmp);
    }
    char *b = buf[next++ % 8];
    snprintf(b, 256, "%s/%s", tmp_root, name);
    return b;
}

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static char *read_all(const char *path, size_t *n)
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
static void gzip_file(const char *from, const char *to, size_t keep)
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
static bool make_table(Embeddings *t, int64_t rows, int dim, uint32_t seed)
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
static void make_sentinel(Embeddings *t)
{
    Err e;
    emb_init(t);
    emb_alloc(t, 1, 3, &e);
    vocab_add(&t->vocab, "keep", 4, 1, &e);
    for (int k = 0; k < 3; k++)
        emb_row(t, 0)[k] = 42.0f;
}

static bool sentinel_intact(const Embeddings *t)
{
    return t->rows == 1 && t->dim == 3 && t->vocab.size == 1 &&
           !strcmp(vocab_word(&t->vocab, 0), "keep") && emb_row(t, 0)[2] == 42.0f;
}

/* Loads path (format fmt), expecting failure with a message that names the path and contains
 * `where` and `why`, on one line, with the target untouched. Returns 0 on success. */
static int expect_fail_fmt(const char *path, W2vFormat fmt, const char *where, const char *why)
{
    Embeddings t;
    make_sentinel(&t);
    Err e = {{0}};
    bool ok = w2v_load(path, fmt, 0, &t, &e);
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

static int expect_fail(const char *path, const char *where, const char *why)
{
    return expect_fail_fmt(path, W2V_AUTO, where, why);
}

static bool same_table(const Embeddings *a, const Embeddings *b, bool exact)
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

/* ---- round trips ---- */

static int round_trip(bool binary)
{
    Embeddings t, back;
    Err e = {{0}};
    W2vInfo info;
    /* dim 37: not a multiple of the 16-float stride, so padding is exercised */
    if (!make_table(&t, 50, 37, 1234))
        return 1;
    const char *p = tmp_path(binary ? "rt.bin" : "rt.txt");
    int bad = 0;
    emb_init(&back);
    if (!w2v_save(p, &t, binary, &e)) {
        fprintf(stderr, "    save: %s\n", e.msg);
        bad = 1;
    } else if (!w2v_load_ex(p, W2V_AUTO, 0, &back, &info, &e)) {
        fprintf(stderr, "    load: %s\n", e.msg);
        bad = 1;
    } else {
        /* Binary copies the bits. Text uses %.9g, which reads back to the same float32 (9
         * significant digits suffice for binary32), so text is exact too. */
        bad |= !same_table(&t, &back, true);
        bad |= info.format != (binary ? W2V_BINARY : W2V_TEXT);
        bad |= back.stride != 48 || emb_row(&back, 7)[40] != 0.0f; /* padding stays zero */
        bad |= back.vocab.counts[0] != 50 || back.vocab.counts[49] != 1;
        bad |= vocab_find(&back.vocab, "w17", 3) != 17;
    }
    emb_deinit(&t);
    emb_deinit(&back);
    return bad;
}

TEST(text_round_trip) { CHECK(round_trip(false) == 0); }
TEST(binary_round_trip) { CHECK(round_trip(true) == 0); }

/* Text saving must read back bit for bit for every finite float: random bit patterns plus the
 * edges (subnormals, FLT_MIN/FLT_MAX, powers of ten, -0). */
TEST(text_round_trip_every_kind_of_float)
{
    Embeddings t, back;
    Err e;
    emb_init(&back);
    CHECK(make_table(&t, 2000, 100, 1));
    static const float edge[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.1f, 1e-45f, -1.4e-45f, 1.17549435e-38f,
                                 1.17549421e-38f, 3.40282347e38f, -3.40282347e38f, 1e-5f, 1e-6f,
                                 123456789.0f, 999999999.0f, 0.999999940f, 9.99999997e-7f, 1e9f,
                                 1e10f, 16777216.0f, 16777218.0f, 0.3f, 2.5e-10f, 1e38f};
    uint32_t s = 5;
    for (int64_t i = 0; i < t.rows; i++)
        for (int k = 0; k < t.dim; k++) {
            float x;
            do {
                s = s * 1664525u + 1013904223u;
                uint32_t u = s ^ (s >> 13) * 2654435761u;
                memcpy(&x, &u, sizeof x);
            } while (!isfinite(x));
            emb_row(&t, i)[k] = x;
        }
    for (size_t j = 0; j < sizeof edge / sizeof edge[0]; j++)
        emb_row(&t, 0)[j] = edge[j];
    const char *p = tmp_path("bits.txt");
    CHECKF(w2v_save(p, &t, false, &e), "%s", e.msg);
    CHECKF(w2v_load(p, W2V_TEXT, 0, &back, &e), "%s", e.msg);
    for (int64_t i = 0; i < t.rows; i++)
        for (int k = 0; k < t.dim; k++) {
            float x = emb_row(&t, i)[k], y = emb_row(&back, i)[k];
            CHECKF(!memcmp(&x, &y, sizeof x), "row %lld value %d: %.9g came back as %.9g",
                   (long long)i, k, x, y);
        }
    emb_deinit(&t);
    emb_deinit(&back);
}

TEST(text_format_is_word2vec)
{
    Embeddings t;
    Err e;
    CHECK(make_table(&t, 2, 3, 5));
    emb_row(&t, 0)[0] = 0.5f;
    emb_row(&t, 0)[1] = -2.0f;
    emb_row(&t, 0)[2] = 1e-7f;
    const char *p = tmp_path("fmt.txt");
    CHECK(w2v_save(p, &t, false, &e));
    size_t n;
    char *s = read_all(p, &n);
    emb_deinit(&t);
    CHECK(s);
    bool ok = !strncmp(s, "2 3\nw0 0.5 -2 1.00000001e-07\nw1 ", 32) && s[n - 1] == '\n';
    free(s);
    CHECKF(ok, "unexpected text layout");
    /* saved files get the usual umask permissions, not a temp file's 0600 */
    struct stat st;
    CHECK(stat(p, &st) == 0);
    mode_t um = umask(022);
    umask(um);
    CHECKF((st.st_mode & 0777) == (0666 & ~um), "mode %o", (unsigned)(st.st_mode & 0777));
}

TEST(binary_layout_matches_word2vec_c)
{
    Embeddings t;
    Err e;
    CHECK(make_table(&t, 1, 2, 5));
    emb_row(&t, 0)[0] = 1.0f;
    emb_row(&t, 0)[1] = -2.0f;
    const char *p = tmp_path("fmt.bin");
    CHECK(w2v_save(p, &t, true, &e));
    emb_deinit(&t);
    size_t n;
    char *s = read_all(p, &n);
    CHECK(s);
    /* header, word, space, 1.0f and -2.0f little-endian, newline */
    static const unsigned char want[] = {'1', ' ', '2', '\n', 'w', '0', ' ', 0, 0, 0x80, 0x3F,
                                         0, 0, 0, 0xC0, '\n'};
    bool ok = n == sizeof want && !memcmp(s, want, n);
    free(s);
    CHECK(ok);
}

/* Binary files whose float bytes are all characters of text numbers (found by the roundtrip
 * fuzz target): "6nnN" is the float 1000050048, and "-0.1", "0 83", " 0.0" make a first row
 * that even reads as three text numbers, so only the next row tells the formats apart. */
TEST(binary_floats_that_look_like_text)
{
    static const char *rows[][3] = {{"6nnN"}, {"-0.1", "0 83", " 0.0"}, {"-0.0", "0795", "35 x"},
                                    {"-inf"}, {".7\r\n"}};
    static const char *words[] = {",", "a", "041?85", ">", "3"};
    /* case 2: "-inf" reads as a number but not as a value the text parser accepts */
    for (int c = 0; c < 3; c++) {
        int dim = c == 1 ? 3 : 1, n = c ? 2 : 1;
        Embeddings t, back;
        Err e;
        W2vInfo info;
        emb_init(&t);
        CHECK(emb_alloc(&t, n, dim, &e));
        for (int i = 0; i < n; i++) {
            int r = c == 0 ? 0 : c == 1 ? 1 + i : 3 + i;
            CHECK(vocab_add(&t.vocab, words[r], strlen(words[r]), 1, &e) == i);
            for (int k = 0; k < dim; k++)
                memcpy(emb_row(&t, i) + k, rows[r][k], 4); /* little-endian, as the file */
        }
        const char *p = tmp_path("looks_text.bin");
        CHECKF(w2v_save(p, &t, true, &e), "%s", e.msg);
        emb_init(&back);
        CHECKF(w2v_load_ex(p, W2V_AUTO, 0, &back, &info, &e), "case %d: %s", c, e.msg);
        CHECKF(info.format == W2V_BINARY && same_table(&t, &back, true), "case %d: %s", c, w2v_format_name(info.format));
        emb_deinit(&t);
        emb_deinit(&back);
    }
}

/* The third one the fuzzer found: every row reads as text, but a float byte 0x0A splits the
 * last row into a row too many for the header. */
TEST(binary_row_holding_a_newline_byte)
{
    static const char *f[2] = {"0.1 -0.2 0.3 0.4", "1e-3 2 3 4\nand 5"};
    Embeddings t, back;
    Err e;
    W2vInfo info;
    emb_init(&t);
    CHECK(emb_alloc(&t, 2, 4, &e));
    CHECK(vocab_add(&t.vocab, "the", 3, 1, &e) == 0 && vocab_add(&t.vocab, "of", 2, 1, &e) == 1);
    memcpy(emb_row(&t, 0), f[0], 16);
    memcpy(emb_row(&t, 1), f[1], 16);
    const char *p = tmp_path("newline_byte.bin");
    CHECKF(w2v_save(p, &t, true, &e), "%s", e.msg);
    emb_init(&back);
    CHECKF(w2v_load_ex(p, W2V_AUTO, 0, &back, &info, &e), "%s", e.msg);
    CHECK(info.format == W2V_BINARY && same_table(&t, &back, true));
    emb_deinit(&t);
    emb_deinit(&back);
}

TEST(max_words_keeps_first_rows)
{
    Embeddings t, back;
    Err e;
    W2vInfo info;
    CHECK(make_table(&t, 20, 4, 9));
    const char *p = tmp_path("max.bin");
    CHECK(w2v_save(p, &t, true, &e));
    emb_init(&back);
    CHECK(w2v_load_ex(p, W2V_AUTO, 5, &back, &info, &e));
    CHECK(back.rows == 5 && info.limited && !strcmp(vocab_word(&back.vocab, 4), "w4"));
    CHECK(emb_row(&back, 4)[3] == emb_row(&t, 4)[3]);
    const char *q = tmp_path("max.txt");
    CHECK(w2v_save(q, &t, false, &e));
    CHECK(w2v_load_ex(q, W2V_AUTO, 7, &back, &info, &e));
    CHECK(back.rows == 7 && info.limited && back.vocab.counts[0] == 7);
    CHECK(w2v_load_ex(q, W2V_AUTO, 100, &back, &info, &e));
    CHECK(back.rows == 20 && !info.limited);
    emb_deinit(&t);
    emb_deinit(&back);
}

TEST(glove_without_header)
{
    const char *p = tmp_path("glove.txt");
    const char *text = "the 0.1 -0.2 0.3\nof 1e-3 2 3\nand 4 5 6\n";
    write_bytes(p, text, strlen(text));
    Embeddings t;
    Err e;
    W2vInfo info;
    emb_init(&t);
    CHECK(w2v_load_ex(p, W2V_AUTO, 0, &t, &info, &e));
    CHECK(info.format == W2V_GLOVE && info.header_rows == -1);
    CHECK(t.rows == 3 && t.dim == 3 && !strcmp(vocab_word(&t.vocab, 2), "and"));
    CHECK(emb_row(&t, 0)[1] == -0.2f && emb_row(&t, 1)[0] == 1e-3f);
    CHECK(t.vocab.counts[0] == 3 && t.vocab.total == 6);
    /* forced text format wants a header */
    CHECK(expect_fail_fmt(p, W2V_TEXT, ":line 1:", "header") == 0);
    emb_deinit(&t);
}

TEST(from_memory)
{
    const char *text = "2 2\na 1 2\nb 3 4";  /* no final newline */
    Embeddings t;
    Err e;
    emb_init(&t);
    CHECK(w2v_load_mem("mem", text, strlen(text), W2V_AUTO, 0, &t, NULL, &e));
    CHECK(t.rows == 2 && emb_row(&t, 1)[1] == 4.0f);
    CHECK(!w2v_load_mem("mem", text, 8, W2V_AUTO, 0, &t, NULL, &e));
    CHECKF(strstr(e.msg, "mem:line 2: expected 2 values after 'a', found 1"), "%s", e.msg);
    emb_deinit(&t);
}

/* ---- hostile fixtures ---- */

TEST(hostile_empty) { CHECK(expect_fail(HOSTILE "empty.txt", ": ", "empty file") == 0); }
TEST(hostile_blank_lines) { CHECK(expect_fail(HOSTILE "blank_lines.txt", ": ", "empty file") == 0); }

TEST(hostile_missing_header)
{
    CHECK(expect_fail_fmt(HOSTILE "no_header.txt", W2V_TEXT, ":line 1:", "expected a 'rows dim' header") == 0);
    CHECK(expect_fail_fmt(HOSTILE "no_header.txt", W2V_BINARY, ":line 1:", "expected a 'rows dim' header") == 0);
}

TEST(hostile_lying_header)
{
    /* 1e9 rows of 300 declared, 10 present: capped allocation, error where the data ends */
    CHECK(expect_fail(HOSTILE "lying_header.txt", ":line 12:", "after 10 of the 1000000000 rows") == 0);
    CHECK(expect_fail(HOSTILE "short_body.txt", ":line 12:", "after 10 of the 12 rows") == 0);
    CHECK(expect_fail(HOSTILE "extra_rows.txt", ":line 4:", "more rows than the 2") == 0);
}

/* The same lying header through a pipe, where the file size cannot bound the allocation. */
TEST(hostile_lying_header_pipe)
{
    const char *fifo = tmp_path("fifo");
    CHECK(mkfifo(fifo, 0600) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        size_t n;
        char *s = read_all(HOSTILE "lying_header.txt", &n);
        int fd = open(fifo, O_WRONLY);
        ssize_t w = s && fd >= 0 ? write(fd, s, n) : -1;
        _exit(w == (ssize_t)n ? 0 : 1);
    }
    int r = expect_fail(fifo, ":line 12:", "after 10 of the 1000000000 rows");
    int status;
    waitpid(pid, &status, 0);
    CHECK(r == 0);
}

TEST(hostile_wrong_dim)
{
    CHECK(expect_fail(HOSTILE "wrong_dim_short.txt", ":line 3:", "expected 4 values after 'b', found 3") == 0);
    CHECK(expect_fail(HOSTILE "wrong_dim_long.txt", ":line 4:", "expected 4 values after 'c', found 5") == 0);
    CHECK(expect_fail(HOSTILE "glove_wrong_dim.txt", ":line 3:", "expected 3 values after 'c', found 2") == 0);
}

TEST(hostile_non_finite)
{
    CHECK(expect_fail(HOSTILE "nan.txt", ":line 3:", "value 2 of 'b' is NaN") == 0);
    CHECK(expect_fail(HOSTILE "inf.txt", ":line 3:", "value 3 of 'b' is infinite") == 0);
    CHECK(expect_fail(HOSTILE "overflow.txt", ":line 3:", "value 3 of 'b' is infinite") == 0);
    CHECK(expect_fail(HOSTILE "not_number.txt", ":line 3:", "value 2 of 'b' is not a number: '0x'") == 0);
    /* binary: header 4 bytes, row a 19 bytes, "b " 2 bytes: floats of b at 25, value 2 at 29 */
    CHECK(expect_fail(HOSTILE "nan.bin", ": byte 29:", "value 2 of row 2 ('b') is NaN") == 0);
}

TEST(hostile_header_values)
{
    CHECK(expect_fail(HOSTILE "big_dim.txt", ":line 1:", "dimension 20000 is outside 1..10000") == 0);
    CHECK(expect_fail(HOSTILE "zero_dim.txt", ":line 1:", "dimension 0") == 0);
    CHECK(expect_fail(HOSTILE "negative_rows.txt", ":line 1:", "declares -5 rows") == 0);
    CHECK(expect_fail(HOSTILE "huge_header.txt", ":line 1:", "out of range") == 0);
    CHECK(expect_fail(HOSTILE "gzip.txt.gz", ": ", "gzip: invalid stored block lengths") == 0);
    CHECK(expect_fail(HOSTILE "pickle.model", ": ", "Python pickle") == 0);
}

TEST(hostile_glove_too_wide)
{
    /* 10001 values on the first line of a GloVe file: over EMB_MAX_DIM */
    const char *p = tmp_path("wide.txt");
    FILE *f = fopen(p, "wb");
    CHECK(f);
    fputs("w", f);
    for (int i = 0; i < EMB_MAX_DIM + 1; i++)
        fputs(" 1", f);
    fputs("\n", f);
    fclose(f);
    CHECK(expect_fail(p, ":line 1:", "10001 values per row; the limit is 10000") == 0);
}

TEST(hostile_truncated_binary)
{
    /* header 4 bytes + row a (2 + 16 + 1) = 23, "b " -> the floats of b start at byte 25 */
    CHECK(expect_fail(HOSTILE "truncated.bin", ": byte 25:", "row 2 ('b') needs 16 bytes of floats, the file has 7 more") == 0);
    CHECK(expect_fail(HOSTILE "truncated_word.bin", ": byte 23:", "ends inside the word of row 2") == 0);
    CHECK(expect_fail(HOSTILE "short_body.bin", ": byte 42:", "after 2 of the 3 rows") == 0);
    CHECK(expect_fail(HOSTILE "trailing.bin", ": byte 23:", "data after the 1 rows") == 0);
    CHECK(expect_fail(HOSTILE "newline_in_word.bin", ": byte 24:", "control byte 0x0A inside the word of row 2") == 0);
}

TEST(hostile_garbage)
{
    CHECK(expect_fail(HOSTILE "garbage.bin", ":line ", "") == 0);
    /* no space before the first newline after the header: read as text, and rejected there */
    CHECK(expect_fail(HOSTILE "garbage_header.bin", ":line 2:", "expected 8 values") == 0);
    CHECK(expect_fail(HOSTILE "control_word.txt", ":line 3:", "contains a NUL byte") == 0);
}

TEST(hostile_directory)
{
    CHECK(expect_fail(TEST_DATA_DIR "/hostile", ": ", "is a directory") == 0);
    CHECK(expect_fail(TEST_DATA_DIR "/hostile/no_such_file.txt", ": ", "No such file") == 0);
}

/* A 50 MB line (generated here, not committed) must fail quickly with bounded memory. */
static void write_long_line(const char *p, const char *head, size_t len)
{
    FILE *f = fopen(p, "wb");
    char block[65536];
    memset(block, '7', sizeof block);
    fputs(head, f);
    for (size_t done = 0; done < len; done += sizeof block)
        fwrite(block, 1, sizeof block, f);
    fputs("\n", f);
    fclose(f);
}

/* "2 3\nword 7777...": the 50 MB file, written once per run. */
static const char *fifty_mb_line(void)
{
    static const char *p;
    if (!p) {
        p = tmp_path("long_line.txt");
        write_long_line(p, "2 3\nword ", 50u << 20);
    }
    return p;
}

TEST(hostile_50mb_line)
{
    const char *p = fifty_mb_line();
    CHECK(expect_fail(p, ":line 2:", "line longer than 1048576 bytes") == 0);
    /* the same limit on the first line and on a binary word; 5 MB is well past it too */
    const char *q = tmp_path("long_first.txt");
    write_long_line(q, "", 5u << 20);
    CHECK(expect_fail(q, ":line 1:", "line longer than") == 0);
    const char *b = tmp_path("long_word.bin");
    write_long_line(b, "2 3\n", 5u << 20);
    CHECK(expect_fail_fmt(b, W2V_BINARY, ": byte 4:", "no space after a word within 1048576 bytes") == 0);
}

/* The hostile loads above again, under a 256 MB address-space limit: none may allocate by what
 * a header claims or by how long a line is. (Skipped under ASan, whose shadow memory needs
 * terabytes of address space.) */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
TEST(hostile_inputs_in_bounded_memory)
{
#ifdef UNDER_ASAN
    SKIP("under ASan, whose shadow memory needs more address space than the limit");
#else
    const char *p = fifty_mb_line();
    const char *q = tmp_path("big_claim.bin");
    /* binary, 1e9 rows of 10000 floats claimed, one row present (0.5f = 00 00 00 3F) */
    static unsigned char claim[17 + 2 + 40000 + 1] = "1000000000 10000\na ";
    for (int k = 0; k < 10000; k++)
        claim[19 + 4 * k + 3] = 0x3F;
    claim[sizeof claim - 1] = '\n';
    write_bytes(q, claim, sizeof claim);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {256u << 20, 256u << 20}; /* bytes of address space */
        setrlimit(RLIMIT_AS, &rl);
        int bad = expect_fail(HOSTILE "lying_header.txt", ":line 12:", "after 10 of the 1000000000 rows");
        bad |= expect_fail(p, ":line 2:", "line longer than");
        bad |= expect_fail(q, ": byte 40020:", "after 1 of the 1000000000 rows");
        /* gzip hides the real size: the bound is deflate's largest expansion (~1032:1) */
        const char *z = tmp_path("big_claim.bin.gz");
        gzip_file(q, z, 0);
        bad |= expect_fail(z, ": byte 40020 (uncompressed):", "after 1 of the 1000000000 rows");
        _exit(bad);
    }
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
#endif
}

TEST(long_words_are_truncated)
{
    Embeddings t;
    Err e;
    W2vInfo info;
    emb_init(&t);
    CHECK(w2v_load_ex(HOSTILE "long_word.txt", W2V_AUTO, 0, &t, &info, &e));
    CHECK(t.rows == 3 && info.truncated == 2);
    CHECK(strlen(vocab_word(&t.vocab, 0)) == VOCAB_MAX_WORD);
    /* 99 'y' then 2-byte characters: the cut falls inside the 'é' at byte 100, so it backs
     * off to 99 bytes rather than keep half a character */
    CHECK(strlen(vocab_word(&t.vocab, 1)) == 99);
    CHECK(emb_row(&t, 1)[1] == 4.0f);
    emb_deinit(&t);
}

TEST(duplicates_keep_the_first)
{
    Embeddings t;
    Err e;
    W2vInfo info;
    emb_init(&t);
    CHECK(w2v_load_ex(HOSTILE "duplicates.txt", W2V_AUTO, 0, &t, &info, &e));
    CHECK(t.rows == 2 && info.duplicates == 1 && info.rows_read == 3);
    CHECK(emb_row(&t, 0)[0] == 1.0f && emb_row(&t, 1)[0] == 3.0f);
    CHECK(t.vocab.counts[0] == 2 && t.vocab.counts[1] == 1);
    emb_deinit(&t);
}

TEST(bytes_and_line_endings_are_kept)
{
    Embeddings t;
    Err e;
    emb_init(&t);
    CHECK(w2v_load(HOSTILE "latin1_word.txt", W2V_AUTO, 0, &t, &e));
    CHECK(t.rows == 2 && !strcmp(vocab_word(&t.vocab, 0), "caf\xe9") &&
          !strcmp(vocab_word(&t.vocab, 1), "\xff\xfe"));
    CHECK(w2v_load(HOSTILE "crlf.txt", W2V_AUTO, 0, &t, &e));
    CHECK(t.rows == 2 && !strcmp(vocab_word(&t.vocab, 1), "b") && emb_row(&t, 1)[1] == 4.0f);
    CHECK(w2v_load(HOSTILE "bom.txt", W2V_AUTO, 0, &t, &e));
    CHECK(t.rows == 2 && !strcmp(vocab_word(&t.vocab, 0), "a"));
    emb_deinit(&t);
}

/* Found by fuzz_w2v_roundtrip: a '\r' inside a row kept as part of a word, which the saver
 * then refused. Every ASCII whitespace byte now separates fields. */
TEST(all_ascii_whitespace_separates)
{
    const char *p = tmp_path("ws.txt");
    const char *text = "2 2\na\r1\v2\nb\f3\t4\n";
    write_bytes(p, text, strlen(text));
    Embeddings t;
    Err e;
    emb_init(&t);
    CHECKF(w2v_load(p, W2V_AUTO, 0, &t, &e), "%s", e.msg);
    CHECK(t.rows == 2 && !strcmp(vocab_word(&t.vocab, 0), "a") && !strcmp(vocab_word(&t.vocab, 1), "b"));
    CHECK(emb_row(&t, 0)[1] == 2.0f && emb_row(&t, 1)[0] == 3.0f);
    CHECK(w2v_save(tmp_path("ws_out.txt"), &t, false, &e));
    emb_deinit(&t);
}

/* gzip files (GoogleNews-vectors-negative300.bin.gz, cc.en.300.vec.gz) load as they are. */
TEST(gzip_files)
{
    Embeddings t, back;
    Err e;
    W2vInfo info;
    CHECK(make_table(&t, 40, 20, 8));
    emb_init(&back);
    for (int binary = 0; binary < 2; binary++) {
        const char *p = tmp_path("gz_src"), *q = tmp_path("gz_src.gz");
        CHECK(w2v_save(p, &t, binary, &e));
        gzip_file(p, q, 0);
        CHECKF(w2v_load_ex(q, W2V_AUTO, 0, &back, &info, &e), "%s", e.msg);
        CHECK(info.compressed && info.format == (binary ? W2V_BINARY : W2V_TEXT));
        CHECK(same_table(&t, &back, true));
        gzip_file(p, q, 200); /* truncated compressed stream */
        CHECK(expect_fail(q, ": ", "gzip: unexpected end of file") == 0);
    }
    /* errors in a gzip file count uncompressed bytes, and say so */
    const char *r = tmp_path("trunc.bin.gz");
    gzip_file(HOSTILE "truncated.bin", r, 0);
    CHECK(expect_fail(r, ": byte 25 (uncompressed):", "row 2 ('b') needs 16 bytes") == 0);
    emb_deinit(&t);
    emb_deinit(&back);
}

/* ---- saving failures ---- */

TEST(save_into_missing_folder_fails)
{
    Embeddings t;
    Err e = {{0}};
    CHECK(make_table(&t, 3, 4, 1));
    const char *p = tmp_path("no/such/dir/v.txt");
    bool ok = w2v_save(p, &t, false, &e);
    emb_deinit(&t);
    CHECK(!ok);
    CHECKF(strstr(e.msg, p) != NULL, "%s", e.msg);
}

TEST(save_refuses_bad_tables)
{
    Embeddings t;
    Err e = {{0}};
    CHECK(make_table(&t, 3, 4, 1));
    emb_row(&t, 1)[2] = NAN;
    const char *p = tmp_path("nan_out.txt");
    CHECK(!w2v_save(p, &t, false, &e));
    CHECKF(strstr(e.msg, "row 1 ('w1'): value 3 is not finite"), "%s", e.msg);
    CHECK(access(p, F_OK) != 0);
    emb_deinit(&t);
}

static int count_temp_files(const char *dir_prefix)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls %s.tmp.* 2>/dev/null | wc -l", dir_prefix);
    FILE *f = popen(cmd, "r");
    int n = -1;
    if (f) {
        if (fscanf(f, "%d", &n) != 1)
            n = -1;
        pclose(f);
    }
    return n;
}

/* A write that fails half way (file size limit, as on a full disk) leaves the old file as it
 * was and no temp file behind. Runs in a child because the limit is per process. */
TEST(failed_save_keeps_old_file)
{
    const char *p = tmp_path("keep.bin");
    const char *old = "1 1\nold 1\n";
    write_bytes(p, old, strlen(old));
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        Embeddings t;
        Err e = {{0}};
        if (!make_table(&t, 2000, 100, 3))
            _exit(3);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {100000, 100000}; /* bytes: the table needs ~800 kB */
        setrlimit(RLIMIT_FSIZE, &rl);
        bool ok = w2v_save(p, &t, true, &e);
        _exit(ok ? 1 : strstr(e.msg, p) && strstr(e.msg, "write failed") ? 0 : 2);
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    size_t n;
    char *s = read_all(p, &n);
    bool same = s && n == strlen(old) && !memcmp(s, old, n);
    free(s);
    CHECK(same);
    CHECK(count_temp_files(p) == 0);
}

/* ---- other writers ---- */

/* Runs a shell command, returning its exit status, or -1 when it could not run. */
static int run(const char *cmd)
{
    int st = system(cmd);
    return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

static const char *find_gensim_python(void)
{
    static const char *cands[] = {"python3", "/usr/bin/python3"};
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "%s -c 'import gensim' >/dev/null 2>&1", cands[i]);
        if (run(cmd) == 0)
            return cands[i];
    }
    return NULL;
}

/* gensim reads our text and binary files and writes them back in its own way; we must read
 * those and get the same table (gensim writes text floats as repr(float32): exact). */
TEST(gensim_interop)
{
    const char *py = find_gensim_python();
    if (!py)
        SKIP("no python3 imports gensim (install python3-gensim)");
    Embeddings t, back;
    Err e;
    CHECK(make_table(&t, 30, 7, 77));
    /* non-ASCII words must survive gensim's UTF-8 decoding */
    Embeddings u;
    emb_init(&u);
    CHECK(emb_alloc(&u, 30, 7, &e));
    for (int64_t i = 0; i < 30; i++) {
        char w[32];
        int n = snprintf(w, sizeof w, i % 2 ? "caf\xc3\xa9%lld" : "\xe6\x97\xa5%lld", (long long)i);
        CHECK(vocab_add(&u.vocab, w, (size_t)n, 1, &e) == i);
        memcpy(emb_row(&u, i), emb_row(&t, i), 7 * sizeof(float));
    }
    emb_deinit(&t);
    CHECK(w2v_save(tmp_path("ours.txt"), &u, false, &e));
    CHECK(w2v_save(tmp_path("ours.bin"), &u, true, &e));
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s -c \"import sys\nfrom gensim.models import KeyedVectors as K\n"
             "d=sys.argv[1]\nfor n,b in (('ours.txt',0),('ours.bin',1)):\n"
             "  kv=K.load_word2vec_format(d+'/'+n,binary=bool(b))\n"
             "  assert len(kv)==30 and kv.vector_size==7\n"
             "  kv.save_word2vec_format(d+'/gensim_'+n,binary=bool(b))\n\" %s",
             py, tmp_root);
    CHECK(run(cmd) == 0);
    const char *names[] = {"gensim_ours.txt", "gensim_ours.bin"};
    for (int i = 0; i < 2; i++) {
        W2vInfo info;
        emb_init(&back);
        bool ok = w2v_load_ex(tmp_path(names[i]), W2V_AUTO, 0, &back, &info, &e);
        bool same = ok && same_table(&u, &back, true) && info.format == (i ? W2V_BINARY : W2V_TEXT);
        emb_deinit(&back);
        CHECKF(same, "%s: %s", names[i], ok ? "differs" : e.msg);
    }
    emb_deinit(&u);
}

/* fastText's .vec (trailing space on each row, "</s>" first) read through the text loader. */
TEST(fasttext_vec)
{
    if (run("command -v fasttext >/dev/null 2>&1") != 0)
        SKIP("fasttext not installed (apt-get install fasttext)");
    FILE *f = fopen(tmp_path("ft_corpus.txt"), "w");
    CHECK(f);
    uint32_t s = 1;
    for (int i = 0; i < 4000; i++) {
        s = s * 1664525u + 1013904223u;
        fprintf(f, "w%u%s", (s >> 16) % 40, i % 20 == 19 ? "\n" : " ");
    }
    fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "fasttext skipgram -input %s/ft_corpus.txt -output %s/ft -dim 8 -epoch 1 -minCount 1 "
             "-thread 1 -verbose 0 >/dev/null 2>&1", tmp_root, tmp_root);
    CHECK(run(cmd) == 0);
    Embeddings t;
    Err e;
    W2vInfo info;
    emb_init(&t);
    CHECKF(w2v_load_ex(tmp_path("ft.vec"), W2V_AUTO, 0, &t, &info, &e), "%s", e.msg);
    CHECK(info.format == W2V_TEXT && t.dim == 8 && t.rows == info.header_rows && t.rows == 41);
    CHECK(vocab_find(&t.vocab, "</s>", 4) == 0 && vocab_find(&t.vocab, "w7", 2) >= 0);
    emb_deinit(&t);
    CHECK(expect_fail(tmp_path("ft.bin"), ": ", "fastText .bin model") == 0);
}

/* The text loader's fast decimal path must give the very float strtof gives, in every
 * notation writers use: %.9g (ours), repr-like short forms, fastText's %.5g, exponents,
 * tiny and huge magnitudes, long digit strings, and exact float midpoints. */
TEST(text_values_match_strtof)
{
    enum { ROWS = 200, DIM = 250 };
    static char vals[ROWS * DIM][48];
    uint32_t s = 99;
    const char *fmts[] = {"%.9g", "%.6g", "%.5g", "%.3e", "%.12f", "%.17g", "%.1f", "%.20g"};
    for (int i = 0; i < ROWS * DIM; i++) {
        s = s * 1664525u + 1013904223u;
        uint32_t r = s;
        s = s * 1664525u + 1013904223u;
        double mag = pow(10.0, (double)((int)(r % 83) - 45)); /* 1e-45 .. 1e37: within float range */
        double x = ((double)(s >> 8) / (1 << 24) * 2 - 1) * mag;
        snprintf(vals[i], sizeof vals[i], fmts[r % 8], x);
    }
    /* midpoints between adjacent floats: 1 + 2^-24 and 2^24 + 1, and their neighbours */
    snprintf(vals[0], sizeof vals[0], "1.000000059604644775390625");
    snprintf(vals[1], sizeof vals[1], "16777217");
    snprintf(vals[2], sizeof vals[2], "16777219");
    snprintf(vals[3], sizeof vals[3], "0.000000059604644775390625");
    snprintf(vals[4], sizeof vals[4], "-0");
    snprintf(vals[5], sizeof vals[5], ".5");
    snprintf(vals[6], sizeof vals[6], "7.");
    snprintf(vals[7], sizeof vals[7], "3.4028235e38");
    snprintf(vals[8], sizeof vals[8], "1e-40");
    snprintf(vals[9], sizeof vals[9], "+2.5E+3");
    snprintf(vals[10], sizeof vals[10], "0x1.8p1");
    const char *p = tmp_path("values.txt");
    FILE *f = fopen(p, "w");
    CHECK(f);
    for (int i = 0; i < ROWS; i++) {
        fprintf(f, "r%d", i);
        for (int k = 0; k < DIM; k++)
            fprintf(f, " %s", vals[i * DIM + k]);
        fputc('\n', f);
    }
    fclose(f);
    Embeddings t;
    Err e;
    emb_init(&t);
    CHECKF(w2v_load(p, W2V_GLOVE, 0, &t, &e), "%s", e.msg);
    CHECK(t.rows == ROWS && t.dim == DIM);
    for (int i = 0; i < ROWS * DIM; i++) {
        float want = strtof(vals[i], NULL), got = emb_row(&t, i / DIM)[i % DIM];
        CHECKF(!memcmp(&want, &got, sizeof want), "'%s': %.9g, strtof %.9g", vals[i], got, want);
    }
    emb_deinit(&t);
}

typedef struct ProgressLog {
    int calls, stop_at;
    double last;
    bool monotone;
} ProgressLog;

static bool log_progress(void *ctx, double fraction)
{
    ProgressLog *p = ctx;
    p->monotone &= fraction >= p->last && fraction <= 1.0;
    p->last = fraction;
    return ++p->calls != p->stop_at;
}

/* A load reports the fraction of the file read, ending at 1, and a progress function that says
 * stop cancels it, leaving the output untouched. */
TEST(load_progress_and_cancel)
{
    Embeddings t, u;
    Err e = {{0}};
    CHECK(make_table(&t, 20000, 60, 7)); /* ~12 MB of text: several progress calls */
    const char *p = tmp_path("progress.txt");
    CHECKF(w2v_save(p, &t, false, &e), "%s", e.msg);
    emb_init(&u);
    ProgressLog log = {.stop_at = -1, .monotone = true};
    CHECKF(w2v_load_progress(p, W2V_AUTO, 0, &u, NULL, log_progress, &log, &e), "%s", e.msg);
    CHECKF(log.calls >= 3, "%d calls", log.calls);
    CHECK(log.monotone && log.last == 1.0);
    CHECK(u.rows == 20000);
    emb_deinit(&u);
    make_sentinel(&u);
    ProgressLog stop = {.stop_at = 2, .monotone = true};
    CHECK(!w2v_load_progress(p, W2V_AUTO, 0, &u, NULL, log_progress, &stop, &e));
    CHECKF(strstr(e.msg, "cancelled") && strstr(e.msg, "progress.txt"), "%s", e.msg);
    CHECK(stop.calls == 2);
    CHECK(sentinel_intact(&u));
    emb_deinit(&u);
    emb_deinit(&t);
}
