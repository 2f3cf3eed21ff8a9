/* Metadata columns (meta.h): numeric against categorical (missing cells, integer classes, the
 * "other" group at more than 20 distinct values), matching rows to words by key or by position,
 * the sniffing used to class files, and hostile files (ragged rows, huge header, NUL bytes,
 * invalid UTF-8, binary garbage, a million distinct values, no header): each refused one fails
 * with one line naming the file and the line and leaves the old table as it was. */
#include "tests/test.h"
#include "model/files/meta.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse(Meta *m, const char *s, Err *e) { return meta_parse(m, "t.tsv", s, strlen(s), e); }

/* Parsing s must fail with `why` and "t.tsv:line N" (where, NULL: just the file) in the
 * message, leaving a table holding one earlier file as it was. */
static bool fails(const char *s, size_t n, const char *where, const char *why)
{
    Meta m;
    Err e = {{0}};
    meta_init(&m);
    if (!parse(&m, "w\tk\na\t1\n", &e))
        return false;
    bool failed = !meta_parse(&m, "t.tsv", s, n, &e);
    bool said = strstr(e.msg, where ? where : "t.tsv") && strstr(e.msg, why) && !strchr(e.msg, '\n');
    bool kept = m.rows == 1 && m.ncols == 2 && !strcmp(meta_value(&m, 0, 0), "a");
    if (!failed || !said || !kept)
        fprintf(stderr, "    message: %s\n", e.msg);
    meta_deinit(&m);
    return failed && said && kept;
}

TEST(categorical_and_numeric_columns)
{
    Meta m;
    Err e;
    meta_init(&m);
    CHECKF(parse(&m,
                 "word\tpos\tfreq\tcluster\r\n"
                 "the\tDET\t5.5\t0\r\n"
                 "cat\tNOUN\t-1e2\t1\r\n"
                 "sat\tVERB\t\t1\r\n"
                 "dog\tNOUN\t 3 \t2\r\n"
                 "ran\t\t7\t0\r\n", &e), "%s", e.msg);
    CHECK(m.ncols == 4 && m.rows == 5);
    CHECK(!strcmp(m.col[1].name, "pos") && !strcmp(m.col[3].name, "cluster"));
    const MetaColumn *pos = &m.col[1], *freq = &m.col[2], *cl = &m.col[3];
    CHECK(pos->kind == META_CATEGORICAL && pos->ncat == 3 && !pos->other && pos->missing == 1);
    /* most common first, ties bytewise: NOUN 2, then DET and VERB 1 each */
    CHECK(!strcmp(pos->cat[0].name, "NOUN") && pos->cat[0].count == 2);
    CHECK(!strcmp(pos->cat[1].name, "DET") && !strcmp(pos->cat[2].name, "VERB"));
    CHECK(pos->code[0] == 1 && pos->code[1] == 0 && pos->code[2] == 2 && pos->code[4] == META_MISSING);
    CHECK(freq->kind == META_NUMERIC && freq->missing == 1);
    CHECK(freq->lo == -100.f && freq->hi == 7.f);
    CHECK(freq->num[0] == 5.5f && freq->num[3] == 3.f && isnan(freq->num[2]));
    /* integers with few distinct values are classes, not a scale */
    CHECK(cl->kind == META_CATEGORICAL && cl->ncat == 3 && cl->cat[0].count == 2);
    CHECK(!strcmp(meta_value(&m, 4, 0), "ran") && !strcmp(meta_value(&m, 2, 2), ""));
    meta_deinit(&m);
}

/* 30 distinct values, value k appearing k + 1 times: the 19 most common stay, 11 go to "other". */
TEST(many_values_grouped_as_other)
{
    char *s = malloc(64 * 1024);
    CHECK(s);
    size_t n = (size_t)sprintf(s, "w\tc\tx\n");
    int rows = 0;
    for (int k = 0; k < 30; k++)
        for (int j = 0; j <= k; j++, rows++)
            n += (size_t)sprintf(s + n, "w%d\tv%02d\t%d\n", rows, k, rows);
    Meta m;
    Err e;
    meta_init(&m);
    bool ok = meta_parse(&m, "t.tsv", s, n, &e);
    free(s);
    CHECKF(ok, "%s", e.msg);
    const MetaColumn *c = &m.col[1];
    CHECK(c->kind == META_CATEGORICAL && c->distinct == 30 && c->ncat == 20 && c->other);
    CHECK(!strcmp(c->cat[0].name, "v29") && c->cat[0].count == 30);
    CHECK(!strcmp(c->cat[18].name, "v11") && !strcmp(c->cat[19].name, "other"));
    CHECK(c->cat[19].count == 66); /* 1 + 2 + ... + 11 */
    CHECK(c->code[0] == 19 && c->code[rows - 1] == 0);
    /* integers, but 465 distinct: a scale */
    CHECK(m.col[2].kind == META_NUMERIC && m.col[2].lo == 0 && m.col[2].hi == (float)(rows - 1));
    meta_deinit(&m);
}

TEST(match_by_word_and_by_row)
{
    Meta m;
    Err e;
    meta_init(&m);
    CHECKF(parse(&m, "word\tpos\ncat\tNOUN\nzebra\tNOUN\nthe\tDET\ncat\tVERB\n", &e), "%s", e.msg);
    Vocab v;
    vocab_init(&v);
    const char *w[] = {"the", "cat", "sat"};
    for (int i = 0; i < 3; i++)
        CHECK(vocab_add(&v, w[i], strlen(w[i]), 1, &e) == i);
    int64_t row_of[3];
    CHECK(meta_match(&m, &v, false, row_of) == 1); /* "sat" has no row */
    CHECK(row_of[0] == 2 && row_of[1] == 0 && row_of[2] == -1); /* the first "cat" row wins */
    CHECK(meta_match(&m, &v, true, row_of) == 0);
    CHECK(row_of[0] == 0 && row_of[1] == 1 && row_of[2] == 2);
    vocab_deinit(&v);
    meta_deinit(&m);
}

TEST(sniff_tells_metadata_from_vectors)
{
    CHECK(meta_sniff("word\tpos\nthe\tDET\n", 17));
    CHECK(meta_sniff("\xEF\xBB\xBFword\tcluster\r\n", 17));
    CHECK(!meta_sniff("0.1\t-2\t3e4\n0.5\t1\t1\n", 19)); /* a vectors.tsv row */
    CHECK(!meta_sniff("0.1\t-2\r\n", 8));
    CHECK(!meta_sniff("the 0.1 0.2\n", 12)); /* word2vec text: no tab */
    CHECK(!meta_sniff("", 0));
}

TEST(hostile_files)
{
    CHECK(fails("", 0, NULL, "empty file"));
    CHECK(fails("word\tpos\n", 9, NULL, "a header and no rows"));
    CHECK(fails("the\ncat\n", 8, "t.tsv:line 1", "one column"));
    CHECK(fails("w\tp\nthe\tDET\ncat\n", 16, "t.tsv:line 3", "1 columns, the header has 2"));
    CHECK(fails("w\tp\nthe\tDET\tx\n", 14, "t.tsv:line 2", "3 columns, the header has 2"));
    /* a header of 2000 columns, then a 2 MB line */
    char *big = malloc(3 << 20);
    CHECK(big);
    size_t n = 0;
    for (int i = 0; i < 2000; i++)
        big[n++] = 'c', big[n++] = '\t';
    big[n++] = '\n';
    bool ok = fails(big, n, "t.tsv:line 1", "more than 1024 columns");
    memset(big, 'x', 3 << 20);
    memcpy(big, "w\tp\na\t", 6);
    ok = ok && fails(big, 3 << 20, "t.tsv:line 2", "line longer than");
    free(big);
    CHECK(ok);
}

/* 64 KB of binary garbage (a fixed LCG): refused with a line number, never read as columns. */
TEST(binary_garbage)
{
    static char junk[64 * 1024];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof junk; i++) {
        x = x * 1664525u + 1013904223u;
        junk[i] = (char)(x >> 24);
    }
    CHECK(fails(junk, sizeof junk, "t.tsv:line", "column"));
}

TEST(last_line_without_newline)
{
    Meta m;
    Err e;
    meta_init(&m);
    CHECKF(parse(&m, "w\tp\na\tx\nb\ty", &e), "%s", e.msg);
    CHECK(m.rows == 2 && !strcmp(meta_value(&m, 1, 1), "y") && m.col[1].ncat == 2);
    meta_deinit(&m);
}

/* NUL bytes read as '_', invalid UTF-8 and control bytes shown as '?', values kept as bytes. */
TEST(nul_and_invalid_utf8_degrade)
{
    static const char s[] = "w\tp\xff\x01os\na\0b\tx\xc3\x28y\nc\t\xc3\xa9t\xc3\xa9\n";
    Meta m;
    Err e;
    meta_init(&m);
    CHECKF(meta_parse(&m, "t.tsv", s, sizeof s - 1, &e), "%s", e.msg);
    CHECK(!strcmp(m.col[1].name, "p??os"));
    CHECK(!strcmp(meta_value(&m, 0, 0), "a_b"));
    CHECK(!strcmp(meta_value(&m, 0, 1), "x\xc3\x28y"));
    const MetaColumn *c = &m.col[1];
    CHECK(c->ncat == 2 && !strcmp(c->cat[0].name, "x?(y") && !strcmp(c->cat[1].name, "\xc3\xa9t\xc3\xa9"));
    meta_deinit(&m);
}

/* A million distinct values (a key-like column): counted, grouped, in well under a second. */
TEST(a_million_distinct_values)
{
    const int rows = 1000000;
    char *s = malloc((size_t)rows * 20 + 16);
    CHECK(s);
    size_t n = (size_t)sprintf(s, "w\tid\n");
    for (int i = 0; i < rows; i++)
        n += (size_t)sprintf(s + n, "%d\tid%d\n", i, i);
    Meta m;
    Err e;
    meta_init(&m);
    bool ok = meta_parse(&m, "t.tsv", s, n, &e);
    free(s);
    CHECKF(ok, "%s", e.msg);
    const MetaColumn *c = &m.col[1];
    CHECK(m.rows == rows && c->distinct == rows && c->ncat == 20 && c->other);
    CHECK(c->cat[19].count == rows - 19);
    meta_deinit(&m);
}

TEST(load_from_a_file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/pos.tsv", test_tmpdir());
    FILE *f = fopen(path, "w");
    CHECK(f);
    fputs("word\tpos\nthe\tDET\n", f);
    fclose(f);
    Meta m;
    Err e;
    meta_init(&m);
    CHECKF(meta_load(&m, path, &e), "%s", e.msg);
    CHECK(m.rows == 1 && m.col[1].ncat == 1 && !strcmp(m.name, path));
    meta_deinit(&m);
    CHECK(!meta_load(&m, test_tmpdir(), &e) && strstr(e.msg, "not a regular file"));
    CHECK(!meta_load(&m, "/nonexistent/x.tsv", &e) && strstr(e.msg, "/nonexistent/x.tsv"));
}
