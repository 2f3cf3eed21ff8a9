/* TensorBoard projector files: vectors.tsv through w2v_io (forced and auto-detected), labels
 * from metadata.tsv (single column, header + columns, repeats, whitespace, long labels), the
 * hostile cases (each fails with one line naming the file and the line, leaving `out` as it
 * was) and proj_load_any over every kind of vector file. The round trip with
 * `embedscope export --projector` is in tests/app/test_cli_export.c. */
#include "model/files/projector.h"
#include "tests/test.h"
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
        snprintf(tmp_root, sizeof tmp_root, "/tmp/test_projector.XXXXXX");
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

static void write_str(const char *path, const char *s)
{
    FILE *f = fopen(path, "wb");
    if (!f || fputs(s, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

/* A table holding one sentinel row that a failed load must leave as it is. */
static void sentinel(Embeddings *t)
{
    Err e;
    emb_init(t);
    if (!emb_alloc(t, 1, 1, &e) || vocab_add(&t->vocab, "keep", 4, 1, &e) != 0)
        exit(1);
    t->vec[0] = 42.0f;
}

static bool untouched(const Embeddings *t)
{
    return t->rows == 1 && t->dim == 1 && t->vec[0] == 42.0f && !strcmp(vocab_word(&t->vocab, 0), "keep");
}

/* Loads vectors + metadata (NULL: none) from memory; must fail with `where` and `why` in the
 * one-line message and leave the table alone. Returns 0 when it does. */
static int expect_fail(const char *vec, const char *meta, int64_t max_words, const char *where, const char *why)
{
    Embeddings t;
    Err e = {{0}};
    sentinel(&t);
    bool ok = proj_load_mem("v.tsv", vec, strlen(vec), "m.tsv", meta, meta ? strlen(meta) : 0, max_words,
                            &t, NULL, &e);
    int bad = ok || !strstr(e.msg, where) || !strstr(e.msg, why) || strchr(e.msg, '\n') || !untouched(&t);
    if (bad)
        fprintf(stderr, "    expected failure with '%s' and '%s', got %s: '%s'\n", where, why,
                ok ? "success" : "failure", e.msg);
    emb_deinit(&t);
    return bad;
}

static bool has_word(const Embeddings *t, int64_t i, const char *w)
{
    return i < t->rows && !strcmp(vocab_word(&t->vocab, i), w) && vocab_find(&t->vocab, w, strlen(w)) == i;
}

TEST(rows_without_metadata_are_numbered)
{
    const char *v = "1\t2.5\t-3\n4e-3\t5\t6\n0\t0\t1\n";
    Embeddings t;
    Err e;
    ProjInfo info;
    emb_init(&t);
    CHECKF(proj_load_mem("v", v, strlen(v), NULL, NULL, 0, 0, &t, &info, &e), "%s", e.msg);
    CHECK(t.rows == 3 && t.dim == 3 && info.vectors.format == W2V_PROJECTOR && !info.metadata);
    CHECK(has_word(&t, 0, "0") && has_word(&t, 1, "1") && has_word(&t, 2, "2"));
    CHECK(emb_row(&t, 0)[1] == 2.5f && emb_row(&t, 1)[0] == 4e-3f && emb_row(&t, 2)[2] == 1.0f);
    /* counts follow the loaders' convention (rows - index), so sorting keeps the file order */
    CHECK(t.vocab.counts[0] == 3 && t.vocab.counts[2] == 1);
    emb_deinit(&t);
}

TEST(single_column_metadata)
{
    const char *v = "1\t2\n3\t4\r\n5\t6", *m = "king\r\nqueen\n\xc3\xa9t\xc3\xa9\n";
    Embeddings t;
    Err e;
    ProjInfo info;
    emb_init(&t);
    CHECKF(proj_load_mem("v", v, strlen(v), "m", m, strlen(m), 0, &t, &info, &e), "%s", e.msg);
    CHECK(info.metadata && !info.header && info.columns == 1 && info.renamed == 0);
    CHECK(has_word(&t, 0, "king") && has_word(&t, 1, "queen") && has_word(&t, 2, "\xc3\xa9t\xc3\xa9"));
    CHECK(emb_row(&t, 2)[1] == 6.0f);
    emb_deinit(&t);
}

TEST(header_and_first_column)
{
    const char *v = "1\t2\n3\t4\n", *m = "\xEF\xBB\xBFword\tcluster\tfreq\na\t0\t9\nb\t1\t8\n";
    Embeddings t;
    Err e;
    ProjInfo info;
    emb_init(&t);
    CHECKF(proj_load_mem("v", v, strlen(v), "m", m, strlen(m), 0, &t, &info, &e), "%s", e.msg);
    CHECK(info.header && info.columns == 3 && t.rows == 2);
    CHECK(has_word(&t, 0, "a") && has_word(&t, 1, "b"));
    emb_deinit(&t);
}

/* Repeats keep their first row plain; later ones take the smallest free "#n", even when a real
 * label already holds "a#2". Whitespace becomes '_', an empty label the row number. */
TEST(labels_become_distinct_words)
{
    const char *v = "1\n2\n3\n4\n5\n6\n7\n8\n";
    const char *m = "a\na\na#2\na\nNew York\n\n7\n7\n";
    Embeddings t;
    Err e;
    ProjInfo info;
    emb_init(&t);
    CHECKF(proj_load_mem("v", v, strlen(v), "m", m, strlen(m), 0, &t, &info, &e), "%s", e.msg);
    CHECK(t.rows == 8 && t.vocab.size == 8);
    CHECK(has_word(&t, 0, "a") && has_word(&t, 1, "a#2") && has_word(&t, 2, "a#2#2"));
    CHECK(has_word(&t, 3, "a#3") && has_word(&t, 4, "New_York") && has_word(&t, 5, "5"));
    CHECK(has_word(&t, 6, "7") && has_word(&t, 7, "7#2"));
    CHECK(info.renamed == 6);
    emb_deinit(&t);
}

/* Many repeats of one label: linear (a quadratic search would take minutes here). */
TEST(many_repeats_stay_fast)
{
    enum { N = 200000 };
    char *v = malloc(2 * N + 1), *m = malloc(2 * N + 1);
    CHECK(v && m);
    for (int i = 0; i < N; i++) {
        v[2 * i] = '1', v[2 * i + 1] = '\n';
        m[2 * i] = 'x', m[2 * i + 1] = '\n';
    }
    v[2 * N] = m[2 * N] = 0;
    Embeddings t;
    Err e;
    emb_init(&t);
    bool ok = proj_load_mem("v", v, 2 * N, "m", m, 2 * N, 0, &t, NULL, &e);
    free(v);
    free(m);
    CHECKF(ok, "%s", e.msg);
    CHECK(has_word(&t, 0, "x") && has_word(&t, 1, "x#2") && has_word(&t, N - 1, "x#200000"));
    emb_deinit(&t);
}

TEST(long_labels_are_cut_at_utf8_boundaries)
{
    /* 99 ASCII bytes then "é" (2 bytes): the cut at 100 would split it, so 99 bytes remain */
    char m[512], want[128];
    memset(m, 'x', 99);
    memcpy(m + 99, "\xc3\xa9tail\n", 7);
    memset(m + 106, 'x', 99);
    memcpy(m + 205, "\xc3\xa9more\n", 8); /* with the NUL */
    memcpy(want, m, 99);
    want[99] = 0;
    const char *v = "1\n2\n";
    Embeddings t;
    Err e;
    ProjInfo info;
    emb_init(&t);
    CHECKF(proj_load_mem("v", v, strlen(v), "m", m, strlen(m), 0, &t, &info, &e), "%s", e.msg);
    CHECK(info.truncated == 2 && has_word(&t, 0, want));
    /* the second cuts to the same 99 bytes: a repeat, its suffix fitting in 100 bytes */
    const char *w1 = vocab_word(&t.vocab, 1);
    CHECK(strlen(w1) <= VOCAB_MAX_WORD && !strcmp(w1 + strlen(w1) - 2, "#2"));
    emb_deinit(&t);
}

TEST(max_words_keeps_the_first_rows)
{
    const char *v = "1\n2\n3\n4\n", *m = "a\nb\nc\nd\n";
    Embeddings t;
    Err e;
    ProjInfo info;
    emb_init(&t);
    CHECKF(proj_load_mem("v", v, strlen(v), "m", m, strlen(m), 2, &t, &info, &e), "%s", e.msg);
    CHECK(t.rows == 2 && info.vectors.limited && has_word(&t, 1, "b"));
    emb_deinit(&t);
    CHECK(expect_fail(v, "a\n", 2, "m.tsv:", "1 labels for 2 rows") == 0);
}

TEST(hostile_vectors)
{
    CHECK(expect_fail("", NULL, 0, "v.tsv:", "empty file") == 0);
    CHECK(expect_fail("1\t2\n3\n", NULL, 0, "v.tsv:line 2:", "expected 2 values, found 1") == 0);
    CHECK(expect_fail("1\t2\n3\t4\t5\n", NULL, 0, "v.tsv:line 2:", "expected 2 values, found 3") == 0);
    CHECK(expect_fail("1\t2\nnan\t4\n", NULL, 0, "v.tsv:line 2:", "value 1 is NaN") == 0);
    CHECK(expect_fail("1\t2\n3\tinf\n", NULL, 0, "v.tsv:line 2:", "value 2 is infinite") == 0);
    CHECK(expect_fail("1\t2\n3\t1e39\n", NULL, 0, "v.tsv:line 2:", "value 2 is infinite or beyond") == 0);
    CHECK(expect_fail("1\t2\n3\tword\n", NULL, 0, "v.tsv:line 2:", "value 2 is not a number: 'word'") == 0);
    CHECK(expect_fail("1\t2\n3\t4x\n", NULL, 0, "v.tsv:line 2:", "not a number: '4x'") == 0);
    CHECK(expect_fail("1\t2\n\n3\t4\n", NULL, 0, "v.tsv:line 2:", "blank line between rows") == 0);
    CHECK(expect_fail("\n1\t2\n", NULL, 0, "v.tsv:line 1:", "blank line before the first row") == 0);
    CHECK(expect_fail("\x01\xff\x80garbage\x00\x12", NULL, 0, "v.tsv:line 1:", "not a number") == 0);
    CHECK(expect_fail("1\t\xff\xfe\n", NULL, 0, "v.tsv:line 1:", "not a number: '\\xFF\\xFE'") == 0);
    /* more columns than EMB_MAX_DIM: refused from the count, before any allocation */
    size_t n = 2 * (EMB_MAX_DIM + 1);
    char *wide = malloc(n + 1);
    CHECK(wide);
    for (size_t i = 0; i < n; i += 2)
        wide[i] = '1', wide[i + 1] = '\t';
    wide[n - 1] = '\n';
    wide[n] = 0;
    int bad = expect_fail(wide, NULL, 0, "v.tsv:line 1:", "10001 values per row; the limit is 10000");
    free(wide);
    CHECK(bad == 0);
    /* trailing blank lines and a last line without '\n' are fine */
    Embeddings t;
    Err e;
    emb_init(&t);
    CHECKF(proj_load_mem("v", "1\t2\n3\t4\n\n\n", 10, NULL, NULL, 0, 0, &t, NULL, &e), "%s", e.msg);
    CHECK(t.rows == 2);
    emb_deinit(&t);
}

TEST(hostile_metadata)
{
    const char *v = "1\t2\n3\t4\n";
    CHECK(expect_fail(v, "", 0, "m.tsv:", "0 labels for 2 rows") == 0);
    CHECK(expect_fail(v, "a\n", 0, "m.tsv:", "1 labels for 2 rows") == 0);
    CHECK(expect_fail(v, "a\nb\nc\n", 0, "m.tsv:line 3:", "more labels than the 2 rows") == 0);
    CHECK(expect_fail(v, "w\tc\na\t1\nb\n", 0, "m.tsv:line 3:", "1 columns, the header has 2") == 0);
    CHECK(expect_fail(v, "w\tc\na\t1\tx\nb\t2\n", 0, "m.tsv:line 2:", "3 columns, the header has 2") == 0);
    CHECK(expect_fail(v, "w\tc\na\t1\n", 0, "m.tsv:", "1 labels for 2 rows of vectors (one label per row, after the header)") == 0);
    /* a 10 MB label line: refused at the line limit */
    size_t n = 10u << 20;
    char *big = malloc(n + 8);
    CHECK(big);
    memcpy(big, "a\n", 2);
    memset(big + 2, 'x', n);
    memcpy(big + 2 + n, "\n", 2);
    int bad = expect_fail(v, big, 0, "m.tsv:line 2:", "line longer than 1048576 bytes");
    free(big);
    CHECK(bad == 0);
}

/* A projector file must never be read as GloVe (its first number becoming a word); a GloVe or
 * word2vec file must not be read as a projector file. */
TEST(auto_detection)
{
    struct {
        const char *text;
        W2vFormat want;
        int64_t rows;
        int dim;
    } cases[] = {
        {"0.1\t0.2\t0.3\n0.4\t0.5\t0.6\n", W2V_PROJECTOR, 2, 3},
        {"1\t2\n3\t4\n", W2V_PROJECTOR, 2, 2},          /* tab-separated integers: not a header */
        {"-1e-3\t+2.5E2\r\n3\t4\r\n", W2V_PROJECTOR, 2, 2},
        {"1990 0.1 0.2\nthe 0.3 0.4\n", W2V_GLOVE, 2, 2}, /* GloVe has number words */
        {"1990\t0.1\t0.2\nthe\t0.3\t0.4\n", W2V_GLOVE, 2, 2}, /* a word on a later line */
        {"2 2\na 1 2\nb 3 4\n", W2V_TEXT, 2, 2},
        {"0.1 0.2 0.3\n", W2V_GLOVE, 1, 2},             /* spaces: GloVe, as before */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Embeddings t;
        Err e = {{0}};
        W2vInfo info;
        emb_init(&t);
        bool ok = w2v_load_mem("mem", cases[i].text, strlen(cases[i].text), W2V_AUTO, 0, &t, &info, &e);
        bool right = ok && info.format == cases[i].want && t.rows == cases[i].rows && t.dim == cases[i].dim;
        emb_deinit(&t);
        CHECKF(right, "case %zu: %s, format %s", i, ok ? "loaded" : e.msg, w2v_format_name(info.format));
    }
}

TEST(load_any_finds_metadata_beside)
{
    Embeddings t;
    Err e;
    ProjInfo info;
    CHECK(mkdir(tmp_path("p"), 0755) == 0);
    write_str(tmp_path("p/vectors.tsv"), "1\t0\n0\t1\n");
    emb_init(&t);
    CHECKF(proj_load_any(tmp_path("p/vectors.tsv"), 0, &t, &info, &e), "%s", e.msg);
    CHECK(!info.metadata && has_word(&t, 1, "1"));
    write_str(tmp_path("p/metadata.tsv"), "word\tcluster\nup\t0\ndown\t1\n");
    CHECKF(proj_load_any(tmp_path("p/vectors.tsv"), 0, &t, &info, &e), "%s", e.msg);
    CHECK(info.metadata && info.vectors.format == W2V_PROJECTOR && has_word(&t, 0, "up") && has_word(&t, 1, "down"));
    /* a bad metadata file fails the load, naming it, and keeps the table */
    write_str(tmp_path("p/metadata.tsv"), "word\tcluster\nup\t0\n");
    Embeddings keep;
    sentinel(&keep);
    CHECK(!proj_load_any(tmp_path("p/vectors.tsv"), 0, &keep, &info, &e));
    CHECKF(strstr(e.msg, "p/metadata.tsv: 1 labels for 2 rows") && untouched(&keep), "%s", e.msg);
    emb_deinit(&keep);
    /* other formats load as w2v_load does, whatever sits beside them */
    write_str(tmp_path("p/w.vec"), "2 2\nx 1 2\ny 3 4\n");
    CHECKF(proj_load_any(tmp_path("p/w.vec"), 0, &t, &info, &e), "%s", e.msg);
    CHECK(!info.metadata && info.vectors.format == W2V_TEXT && has_word(&t, 1, "y"));
    /* proj_load takes explicit paths */
    write_str(tmp_path("p/labels.tsv"), "left\nright\n");
    CHECKF(proj_load(tmp_path("p/vectors.tsv"), tmp_path("p/labels.tsv"), 0, &t, &info, &e), "%s", e.msg);
    CHECK(has_word(&t, 1, "right"));
    CHECK(!proj_load(tmp_path("p/vectors.tsv"), tmp_path("p/none.tsv"), 0, &t, &info, &e));
    CHECKF(strstr(e.msg, "p/none.tsv: No such file"), "%s", e.msg);
    CHECK(!proj_load(tmp_path("p/vectors.tsv"), tmp_path("p"), 0, &t, &info, &e));
    CHECKF(strstr(e.msg, "p: not a regular file"), "%s", e.msg);
    CHECK(has_word(&t, 1, "right"));
    emb_deinit(&t);
    char mp[64];
    CHECK(proj_metadata_path("vectors.tsv", mp, sizeof mp) && !strcmp(mp, "metadata.tsv"));
    CHECK(proj_metadata_path("/a/b/v.tsv", mp, sizeof mp) && !strcmp(mp, "/a/b/metadata.tsv"));
    CHECK(!proj_metadata_path("/a/b/v.tsv", mp, 8));
}
