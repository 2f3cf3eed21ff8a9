/* expr: parsing what users type (every error kind with its column), lookup with every unknown
 * word named, and the query vector / analogy shape built from a tiny hand-made table. */
#include "model/vectors/expr.h"
#include "tests/test.h"
#include <string.h>

TEST(expr_parses_signs_and_columns)
{
    Expr x;
    Err e;
    CHECK(expr_parse("king - man + woman", &x, &e));
    CHECK(x.nterms == 3);
    CHECK(!strcmp(x.terms[0].word, "king") && x.terms[0].sign == 1 && x.terms[0].col == 1);
    CHECK(!strcmp(x.terms[1].word, "man") && x.terms[1].sign == -1 && x.terms[1].col == 8);
    CHECK(!strcmp(x.terms[2].word, "woman") && x.terms[2].sign == 1 && x.terms[2].col == 14);
    CHECK(x.terms[2].start == 13 && x.terms[2].len == 5);

    CHECK(expr_parse("cat dog", &x, &e)); /* implicit + */
    CHECK(x.nterms == 2 && x.terms[0].sign == 1 && x.terms[1].sign == 1);

    CHECK(expr_parse("  -cold +hot", &x, &e)); /* leading '-', operators glued to words */
    CHECK(x.nterms == 2 && x.terms[0].sign == -1 && x.terms[1].sign == 1);
    CHECK(!strcmp(x.terms[0].word, "cold") && x.terms[0].col == 4);

    CHECK(expr_parse("x-ray -\tmid-day", &x, &e)); /* a '-' inside a word is part of it */
    CHECK(x.nterms == 2 && !strcmp(x.terms[0].word, "x-ray"));
    CHECK(!strcmp(x.terms[1].word, "mid-day"));
    CHECK(x.terms[1].sign == -1);

    /* columns count characters, not bytes: "été" is 3 columns, 5 bytes */
    CHECK(expr_parse("\xc3\xa9t\xc3\xa9 - x", &x, &e));
    CHECK(x.terms[1].col == 7 && x.terms[1].start == 8);
}

TEST(expr_parse_errors)
{
    Expr x;
    Err e;
    CHECK(!expr_parse("", &x, &e));
    CHECKF(!strcmp(e.msg, "col 1: empty expression"), "%s", e.msg);
    CHECK(!expr_parse("   \t ", &x, &e));
    CHECKF(!strcmp(e.msg, "col 1: empty expression"), "%s", e.msg);
    CHECK(!expr_parse("king -", &x, &e));
    CHECKF(!strcmp(e.msg, "col 7: expected a word after '-'"), "%s", e.msg);
    CHECK(!expr_parse("king - + man", &x, &e));
    CHECKF(!strcmp(e.msg, "col 8: expected a word after '-'"), "%s", e.msg);
    CHECK(!expr_parse("+", &x, &e));
    CHECKF(!strcmp(e.msg, "col 2: expected a word after '+'"), "%s", e.msg);
    CHECK(!expr_parse("a --b", &x, &e));
    CHECKF(!strcmp(e.msg, "col 4: expected a word after '-'"), "%s", e.msg);

    char longw[VOCAB_MAX_WORD + 10];
    memset(longw, 'w', sizeof longw - 1);
    longw[sizeof longw - 1] = 0;
    char text[sizeof longw + 8];
    snprintf(text, sizeof text, "ab + %s", longw);
    CHECK(!expr_parse(text, &x, &e));
    CHECKF(strstr(e.msg, "col 6: word longer than") == e.msg, "%s", e.msg);

    char many[EXPR_MAX_TERMS * 2 + 8];
    size_t n = 0;
    for (int i = 0; i <= EXPR_MAX_TERMS; i++) {
        many[n++] = 'a';
        many[n++] = ' ';
    }
    many[n] = 0;
    CHECK(!expr_parse(many, &x, &e));
    CHECKF(!strcmp(e.msg, "col 65: more than 32 words"), "%s", e.msg);

    static char huge[EXPR_MAX_TEXT + 2];
    memset(huge, 'a', sizeof huge - 1);
    CHECK(!expr_parse(huge, &x, &e));
    CHECK(strstr(e.msg, "longer than") != NULL);
}

/* A 4-word table: king = (1,1,0), man = (1,0,0), woman = (0,0,1), cat = (0,-1,0). */
static void make_table(Vocab *v, KnnIndex *ix)
{
    Err e;
    const char *words[] = {"king", "man", "woman", "Cat"};
    vocab_init(v);
    for (int i = 0; i < 4; i++)
        vocab_add(v, words[i], strlen(words[i]), (uint64_t)(10 - i), &e);
    float m[4 * 16] = {0};
    m[0] = 1, m[1] = 1;
    m[16] = 1;
    m[32 + 2] = 1;
    m[48 + 1] = -1;
    knn_build(ix, m, 4, 3, 16, &e);
}

TEST(expr_resolve_names_every_unknown_word)
{
    Vocab v;
    KnnIndex ix = {0};
    make_table(&v, &ix);
    Expr x;
    Err e;
    CHECK(expr_parse("king - foo + woman bar", &x, &e));
    CHECK(!expr_resolve(&x, &v, &e));
    CHECKF(!strcmp(e.msg, "unknown words: 'foo' (col 8), 'bar' (col 20)"), "%s", e.msg);
    CHECK(x.terms[0].index == 0 && x.terms[1].index == -1 && x.terms[2].index == 2);
    CHECK(expr_parse("king qux", &x, &e));
    CHECK(!expr_resolve(&x, &v, &e));
    CHECKF(!strcmp(e.msg, "col 6: unknown word 'qux'"), "%s", e.msg);
    /* exact match first, then lower case: "KING" finds king; "cat" does not find "Cat" */
    CHECK(expr_parse("KING Cat", &x, &e));
    CHECK(expr_resolve(&x, &v, &e));
    CHECK(x.terms[0].index == 0 && x.terms[1].index == 3);
    CHECK(expr_parse("cat", &x, &e));
    CHECK(!expr_resolve(&x, &v, &e));
    vocab_deinit(&v);
    knn_deinit(&ix);
}

TEST(expr_builds_query_and_analogy)
{
    Vocab v;
    KnnIndex ix = {0};
    make_table(&v, &ix);
    Expr x;
    ExprQuery qq;
    Err e;
    float q[3];
    CHECK(expr_compile("king - man + woman", &v, &ix, &x, q, &qq, &e));
    const float r = 0.70710678f; /* king's unit vector is (r, r, 0) */
    CHECK_NEAR(q[0], r - 1, 1e-6);
    CHECK_NEAR(q[1], r, 1e-6);
    CHECK_NEAR(q[2], 1, 1e-6);
    CHECK(qq.is_analogy && qq.b == 0 && qq.a == 1 && qq.c == 2);
    CHECK(qq.nexclude == 3);

    CHECK(expr_compile("king + woman - man", &v, &ix, &x, q, &qq, &e));
    CHECK(!qq.is_analogy); /* same sum, but not the b - a + c shape */
    CHECK(expr_compile("-king - man + woman", &v, &ix, &x, q, &qq, &e));
    CHECK(!qq.is_analogy);

    CHECK(expr_compile("king king", &v, &ix, &x, q, &qq, &e));
    CHECK(qq.nexclude == 1 && qq.exclude[0] == 0); /* duplicates excluded once */
    CHECK_NEAR(q[0], 2 * r, 1e-6);

    CHECK(!expr_compile("man - man", &v, &ix, &x, q, &qq, &e));
    CHECK(strstr(e.msg, "cancel") != NULL);

    /* searching with the built query: king - man + woman is nearest to woman, then king */
    CHECK(expr_compile("king - man + woman", &v, &ix, &x, q, &qq, &e));
    Neighbour out[4];
    int n = knn_query(&ix, q, 4, NULL, 0, out);
    CHECK(n == 4 && out[0].index == 2 && out[1].index == 0);
    n = knn_query(&ix, q, 4, qq.exclude, qq.nexclude, out);
    CHECK(n == 1 && out[0].index == 3);
    vocab_deinit(&v);
    knn_deinit(&ix);
}

TEST(expr_lower_folds_common_scripts)
{
    struct { const char *in, *out; } cases[] = {
        {"Hello WORLD-42", "hello world-42"},
        {"\xc3\x89" "COLE \xc3\x96L \xc3\x97", "\xc3\xa9" "cole \xc3\xb6l \xc3\x97"}, /* ÉCOLE ÖL × */
        {"\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91", "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1"},
        {"\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90 \xd0\x81", /* МОСКВА Ё */
         "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xd1\x91"},
        {"\xc3\x9f \xe2\x82\xac", "\xc3\x9f \xe2\x82\xac"}, /* ß and € unchanged */
        {"\xc3\xff\x80" "A", "\xc3\xff\x80" "a"},           /* invalid UTF-8 copied */
        {"\xc3", "\xc3"},                                   /* truncated sequence */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        size_t n = strlen(cases[i].in);
        expr_lower(buf, cases[i].in, n);
        CHECKF(!strcmp(buf, cases[i].out), "case %zu: '%s'", i, buf);
    }
    /* the lookup fallback uses it: "ÉTÉ" finds "été" */
    Vocab v;
    Err e;
    vocab_init(&v);
    vocab_add(&v, "\xc3\xa9t\xc3\xa9", 5, 1, &e);
    Expr x;
    CHECK(expr_parse("\xc3\x89T\xc3\x89", &x, &e));
    CHECK(expr_resolve(&x, &v, &e) && x.terms[0].index == 0);
    vocab_deinit(&v);
}
