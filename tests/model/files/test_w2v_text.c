/* word2vec text, fastText .vec and GloVe rows (w2v_text through vecfile_load): the hostile
 * text fixtures in tests/data/hostile (each must fail with one line naming the file and the
 * line, leaving `out` as it was), words and bytes kept as written, and values read exactly as
 * strtof reads them. */
#include "tests/model/files/vecfixture.h"
#include <sys/wait.h>

TEST(glove_without_header)
{
    const char *p = tmp_path("glove.txt");
    const char *text = "the 0.1 -0.2 0.3\nof 1e-3 2 3\nand 4 5 6\n";
    write_bytes(p, text, strlen(text));
    Embeddings t;
    Err e;
    VecInfo info;
    emb_init(&t);
    CHECK(load_path(p, VEC_AUTO, 0, &t, &info, &e));
    CHECK(info.format == VEC_GLOVE && info.header_rows == -1);
    CHECK(t.rows == 3 && t.dim == 3 && !strcmp(vocab_word(&t.vocab, 2), "and"));
    CHECK(emb_row(&t, 0)[1] == -0.2f && emb_row(&t, 1)[0] == 1e-3f);
    CHECK(t.vocab.counts[0] == 3 && t.vocab.total == 6);
    /* forced text format wants a header */
    CHECK(expect_fail_fmt(p, VEC_TEXT, ":line 1:", "header") == 0);
    emb_deinit(&t);
}

TEST(hostile_missing_header)
{
    CHECK(expect_fail_fmt(HOSTILE "no_header.txt", VEC_TEXT, ":line 1:", "expected a 'rows dim' header") == 0);
    CHECK(expect_fail_fmt(HOSTILE "no_header.txt", VEC_BINARY, ":line 1:", "expected a 'rows dim' header") == 0);
}

TEST(hostile_lying_header)
{
    /* 1e9 rows of 300 declared, 10 present: capped allocation, error where the data ends */
    CHECK(expect_fail(HOSTILE "lying_header.txt", ":line 12:", "after 10 of the 1000000000 rows") == 0);
    CHECK(expect_fail(HOSTILE "short_body.txt", ":line 12:", "after 10 of the 12 rows") == 0);
    CHECK(expect_fail(HOSTILE "extra_rows.txt", ":line 4:", "more rows than the 2") == 0);
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

TEST(hostile_garbage)
{
    CHECK(expect_fail(HOSTILE "garbage.bin", ":line ", "") == 0);
    /* no space before the first newline after the header: read as text, and rejected there */
    CHECK(expect_fail(HOSTILE "garbage_header.bin", ":line 2:", "expected 8 values") == 0);
    CHECK(expect_fail(HOSTILE "control_word.txt", ":line 3:", "contains a NUL byte") == 0);
}

TEST(long_words_are_truncated)
{
    Embeddings t;
    Err e;
    VecInfo info;
    emb_init(&t);
    CHECK(load_path(HOSTILE "long_word.txt", VEC_AUTO, 0, &t, &info, &e));
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
    VecInfo info;
    emb_init(&t);
    CHECK(load_path(HOSTILE "duplicates.txt", VEC_AUTO, 0, &t, &info, &e));
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
    CHECK(load_path(HOSTILE "latin1_word.txt", VEC_AUTO, 0, &t, NULL, &e));
    CHECK(t.rows == 2 && !strcmp(vocab_word(&t.vocab, 0), "caf\xe9") &&
          !strcmp(vocab_word(&t.vocab, 1), "\xff\xfe"));
    CHECK(load_path(HOSTILE "crlf.txt", VEC_AUTO, 0, &t, NULL, &e));
    CHECK(t.rows == 2 && !strcmp(vocab_word(&t.vocab, 1), "b") && emb_row(&t, 1)[1] == 4.0f);
    CHECK(load_path(HOSTILE "bom.txt", VEC_AUTO, 0, &t, NULL, &e));
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
    CHECKF(load_path(p, VEC_AUTO, 0, &t, NULL, &e), "%s", e.msg);
    CHECK(t.rows == 2 && !strcmp(vocab_word(&t.vocab, 0), "a") && !strcmp(vocab_word(&t.vocab, 1), "b"));
    CHECK(emb_row(&t, 0)[1] == 2.0f && emb_row(&t, 1)[0] == 3.0f);
    CHECK(vecfile_save(tmp_path("ws_out.txt"), &t, VEC_TEXT, &e));
    emb_deinit(&t);
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
    VecInfo info;
    emb_init(&t);
    CHECKF(load_path(tmp_path("ft.vec"), VEC_AUTO, 0, &t, &info, &e), "%s", e.msg);
    CHECK(info.format == VEC_TEXT && t.dim == 8 && t.rows == info.header_rows && t.rows == 41);
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
    CHECKF(load_path(p, VEC_GLOVE, 0, &t, NULL, &e), "%s", e.msg);
    CHECK(t.rows == ROWS && t.dim == DIM);
    for (int i = 0; i < ROWS * DIM; i++) {
        float want = strtof(vals[i], NULL), got = emb_row(&t, i / DIM)[i % DIM];
        CHECKF(!memcmp(&want, &got, sizeof want), "'%s': %.9g, strtof %.9g", vals[i], got, want);
    }
    emb_deinit(&t);
}

/* The count, the first repeat and the rule are in VecInfo and in one line for the CLI. */
TEST(duplicates_are_reported_with_the_rule)
{
    Embeddings t;
    Err e;
    VecInfo info;
    char note[256];
    emb_init(&t);
    CHECK(load_path(HOSTILE "duplicates_two.txt", VEC_AUTO, 0, &t, &info, &e));
    CHECK(t.rows == 2 && info.duplicates == 2 && info.rows_read == 4);
    CHECK(info.dup_rule == VEC_DUP_KEEP_FIRST && info.dup_first_row == 3 && strcmp(info.dup_first_word, "a") == 0);
    CHECK(emb_row(&t, 0)[0] == 1.0f && emb_row(&t, 1)[0] == 3.0f);
    const char *s = vecfile_duplicates_note(&info, note, sizeof note);
    CHECKF(s && strcmp(s, "2 repeated words skipped (first: 'a', row 3): the first row of each word is kept") == 0,
           "%s", s ? s : "(none)");
    CHECK(load_path(HOSTILE "crlf.txt", VEC_AUTO, 0, &t, &info, &e));
    CHECK(info.duplicates == 0 && vecfile_duplicates_note(&info, note, sizeof note) == NULL);
    emb_deinit(&t);
}
