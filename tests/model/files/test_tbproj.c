/* TensorBoard projector files (tbproj through vecfile_load): vectors.tsv forced and found
 * by content, labels from metadata.tsv (single column, header + columns, repeats, whitespace,
 * long labels), the hostile cases (each fails with one line naming the file and the line,
 * leaving `out` as it was) and metadata.tsv found beside a vectors file. The round trip with
 * `embedscope export --projector` is in tests/app/test_cli_export.c. */
#include "tests/model/files/vecfixture.h"
#include "model/files/tbproj.h"

/* vectors.tsv from [v, v + vn) named vname, labels from [m, m + mn) named mname (m NULL: no
 * labels), as VEC_PROJECTOR. */
static bool load_tsv(const char *vname, const char *v, size_t vn, const char *mname, const char *m,
                     size_t mn, int64_t max_words, Embeddings *t, VecInfo *info, Err *e)
{
    VecLoadDesc d = {.path = vname, .data = v, .len = vn, .format = VEC_PROJECTOR, .max_words = max_words,
                     .metadata = m ? mname : NULL, .metadata_data = m, .metadata_len = mn};
    return vecfile_load(&d, t, info, e);
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
static int expect_fail_tsv(const char *vec, const char *meta, int64_t max_words, const char *where, const char *why)
{
    Embeddings t;
    Err e = {{0}};
    sentinel(&t);
    bool ok = load_tsv("v.tsv", vec, strlen(vec), "m.tsv", meta, meta ? strlen(meta) : 0, max_words,
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
    VecInfo info;
    emb_init(&t);
    CHECKF(load_tsv("v", v, strlen(v), NULL, NULL, 0, 0, &t, &info, &e), "%s", e.msg);
    CHECK(t.rows == 3 && t.dim == 3 && info.format == VEC_PROJECTOR && !info.metadata);
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
    VecInfo info;
    emb_init(&t);
    CHECKF(load_tsv("v", v, strlen(v), "m", m, strlen(m), 0, &t, &info, &e), "%s", e.msg);
    CHECK(info.metadata && !info.metadata_header && info.metadata_columns == 1 && info.renamed == 0);
    CHECK(has_word(&t, 0, "king") && has_word(&t, 1, "queen") && has_word(&t, 2, "\xc3\xa9t\xc3\xa9"));
    CHECK(emb_row(&t, 2)[1] == 6.0f);
    emb_deinit(&t);
}

TEST(header_and_first_column)
{
    const char *v = "1\t2\n3\t4\n", *m = "\xEF\xBB\xBFword\tcluster\tfreq\na\t0\t9\nb\t1\t8\n";
    Embeddings t;
    Err e;
    VecInfo info;
    emb_init(&t);
    CHECKF(load_tsv("v", v, strlen(v), "m", m, strlen(m), 0, &t, &info, &e), "%s", e.msg);
    CHECK(info.metadata_header && info.metadata_columns == 3 && t.rows == 2);
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
    VecInfo info;
    emb_init(&t);
    CHECKF(load_tsv("v", v, strlen(v), "m", m, strlen(m), 0, &t, &info, &e), "%s", e.msg);
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
    bool ok = load_tsv("v", v, 2 * N, "m", m, 2 * N, 0, &t, NULL, &e);
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
    VecInfo info;
    emb_init(&t);
    CHECKF(load_tsv("v", v, strlen(v), "m", m, strlen(m), 0, &t, &info, &e), "%s", e.msg);
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
    VecInfo info;
    emb_init(&t);
    CHECKF(load_tsv("v", v, strlen(v), "m", m, strlen(m), 2, &t, &info, &e), "%s", e.msg);
    CHECK(t.rows == 2 && info.limited && has_word(&t, 1, "b"));
    emb_deinit(&t);
    CHECK(expect_fail_tsv(v, "a\n", 2, "m.tsv:", "1 labels for 2 rows") == 0);
}

TEST(hostile_vectors)
{
    CHECK(expect_fail_tsv("", NULL, 0, "v.tsv:", "empty file") == 0);
    CHECK(expect_fail_tsv("1\t2\n3\n", NULL, 0, "v.tsv:line 2:", "expected 2 values, found 1") == 0);
    CHECK(expect_fail_tsv("1\t2\n3\t4\t5\n", NULL, 0, "v.tsv:line 2:", "expected 2 values, found 3") == 0);
    CHECK(expect_fail_tsv("1\t2\nnan\t4\n", NULL, 0, "v.tsv:line 2:", "value 1 is NaN") == 0);
    CHECK(expect_fail_tsv("1\t2\n3\tinf\n", NULL, 0, "v.tsv:line 2:", "value 2 is infinite") == 0);
    CHECK(expect_fail_tsv("1\t2\n3\t1e39\n", NULL, 0, "v.tsv:line 2:", "value 2 is infinite or beyond") == 0);
    CHECK(expect_fail_tsv("1\t2\n3\tword\n", NULL, 0, "v.tsv:line 2:", "value 2 is not a number: 'word'") == 0);
    CHECK(expect_fail_tsv("1\t2\n3\t4x\n", NULL, 0, "v.tsv:line 2:", "not a number: '4x'") == 0);
    CHECK(expect_fail_tsv("1\t2\n\n3\t4\n", NULL, 0, "v.tsv:line 2:", "blank line between rows") == 0);
    CHECK(expect_fail_tsv("\n1\t2\n", NULL, 0, "v.tsv:line 1:", "blank line before the first row") == 0);
    CHECK(expect_fail_tsv("\x01\xff\x80garbage\x00\x12", NULL, 0, "v.tsv:line 1:", "not a number") == 0);
    CHECK(expect_fail_tsv("1\t\xff\xfe\n", NULL, 0, "v.tsv:line 1:", "not a number: '\\xFF\\xFE'") == 0);
    /* more columns than EMB_MAX_DIM: refused from the count, before any allocation */
    size_t n = 2 * (EMB_MAX_DIM + 1);
    char *wide = malloc(n + 1);
    CHECK(wide);
    for (size_t i = 0; i < n; i += 2)
        wide[i] = '1', wide[i + 1] = '\t';
    wide[n - 1] = '\n';
    wide[n] = 0;
    int bad = expect_fail_tsv(wide, NULL, 0, "v.tsv:line 1:", "10001 values per row; the limit is 10000");
    free(wide);
    CHECK(bad == 0);
    /* trailing blank lines and a last line without '\n' are fine */
    Embeddings t;
    Err e;
    emb_init(&t);
    CHECKF(load_tsv("v", "1\t2\n3\t4\n\n\n", 10, NULL, NULL, 0, 0, &t, NULL, &e), "%s", e.msg);
    CHECK(t.rows == 2);
    emb_deinit(&t);
}

TEST(hostile_metadata)
{
    const char *v = "1\t2\n3\t4\n";
    CHECK(expect_fail_tsv(v, "", 0, "m.tsv:", "0 labels for 2 rows") == 0);
    CHECK(expect_fail_tsv(v, "a\n", 0, "m.tsv:", "1 labels for 2 rows") == 0);
    CHECK(expect_fail_tsv(v, "a\nb\nc\n", 0, "m.tsv:line 3:", "more labels than the 2 rows") == 0);
    CHECK(expect_fail_tsv(v, "w\tc\na\t1\nb\n", 0, "m.tsv:line 3:", "1 columns, the header has 2") == 0);
    CHECK(expect_fail_tsv(v, "w\tc\na\t1\tx\nb\t2\n", 0, "m.tsv:line 2:", "3 columns, the header has 2") == 0);
    CHECK(expect_fail_tsv(v, "w\tc\na\t1\n", 0, "m.tsv:", "1 labels for 2 rows of vectors (one label per row, after the header)") == 0);
    /* a 10 MB label line: refused at the line limit */
    size_t n = 10u << 20;
    char *big = malloc(n + 8);
    CHECK(big);
    memcpy(big, "a\n", 2);
    memset(big + 2, 'x', n);
    memcpy(big + 2 + n, "\n", 2);
    int bad = expect_fail_tsv(v, big, 0, "m.tsv:line 2:", "line longer than 1048576 bytes");
    free(big);
    CHECK(bad == 0);
}

TEST(metadata_found_beside)
{
    Embeddings t;
    Err e;
    VecInfo info;
    CHECK(mkdir(tmp_path("p"), 0755) == 0);
    write_str(tmp_path("p/vectors.tsv"), "1\t0\n0\t1\n");
    emb_init(&t);
    CHECKF(vecfile_load(&(VecLoadDesc){.path = tmp_path("p/vectors.tsv")}, &t, &info, &e), "%s", e.msg);
    CHECK(!info.metadata && has_word(&t, 1, "1"));
    write_str(tmp_path("p/metadata.tsv"), "word\tcluster\nup\t0\ndown\t1\n");
    CHECKF(vecfile_load(&(VecLoadDesc){.path = tmp_path("p/vectors.tsv")}, &t, &info, &e), "%s", e.msg);
    CHECK(info.metadata && info.format == VEC_PROJECTOR && has_word(&t, 0, "up") && has_word(&t, 1, "down"));
    /* a bad metadata file fails the load, naming it, and keeps the table */
    write_str(tmp_path("p/metadata.tsv"), "word\tcluster\nup\t0\n");
    Embeddings keep;
    sentinel(&keep);
    CHECK(!vecfile_load(&(VecLoadDesc){.path = tmp_path("p/vectors.tsv")}, &keep, &info, &e));
    CHECKF(strstr(e.msg, "p/metadata.tsv: 1 labels for 2 rows") && untouched(&keep), "%s", e.msg);
    emb_deinit(&keep);
    /* other formats load as they are, whatever sits beside them */
    write_str(tmp_path("p/w.vec"), "2 2\nx 1 2\ny 3 4\n");
    CHECKF(vecfile_load(&(VecLoadDesc){.path = tmp_path("p/w.vec")}, &t, &info, &e), "%s", e.msg);
    CHECK(!info.metadata && info.format == VEC_TEXT && has_word(&t, 1, "y"));
    /* an explicit labels path */
    write_str(tmp_path("p/labels.tsv"), "left\nright\n");
    VecLoadDesc d = {.path = tmp_path("p/vectors.tsv"), .format = VEC_PROJECTOR, .metadata = tmp_path("p/labels.tsv")};
    CHECKF(vecfile_load(&d, &t, &info, &e), "%s", e.msg);
    CHECK(has_word(&t, 1, "right"));
    d.metadata = tmp_path("p/none.tsv");
    CHECK(!vecfile_load(&d, &t, &info, &e));
    CHECKF(strstr(e.msg, "p/none.tsv: No such file"), "%s", e.msg);
    d.metadata = tmp_path("p");
    CHECK(!vecfile_load(&d, &t, &info, &e));
    CHECKF(strstr(e.msg, "p: not a regular file"), "%s", e.msg);
    CHECK(has_word(&t, 1, "right"));
    emb_deinit(&t);
    char mp[64];
    CHECK(tbproj_metadata_path("vectors.tsv", mp, sizeof mp) && !strcmp(mp, "metadata.tsv"));
    CHECK(tbproj_metadata_path("/a/b/v.tsv", mp, sizeof mp) && !strcmp(mp, "/a/b/metadata.tsv"));
    CHECK(!tbproj_metadata_path("/a/b/v.tsv", mp, 8));
}
