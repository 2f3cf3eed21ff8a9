/* The sniffer (sniff.h): which vector format a file is (through vecfile_load with VEC_AUTO,
 * including the binary files the fuzzer found that look like text) and whether a path is a
 * corpus or vectors (sniff_path, the session opener's question). */
#include "tests/model/files/vecfixture.h"
#include "model/files/sniff.h"

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
        VecInfo info;
        emb_init(&t);
        CHECK(emb_alloc(&t, n, dim, &e));
        for (int i = 0; i < n; i++) {
            int r = c == 0 ? 0 : c == 1 ? 1 + i : 3 + i;
            CHECK(vocab_add(&t.vocab, words[r], strlen(words[r]), 1, &e) == i);
            for (int k = 0; k < dim; k++)
                memcpy(emb_row(&t, i) + k, rows[r][k], 4); /* little-endian, as the file */
        }
        const char *p = tmp_path("looks_text.bin");
        CHECKF(vecfile_save(p, &t, VEC_BINARY, &e), "%s", e.msg);
        emb_init(&back);
        CHECKF(load_path(p, VEC_AUTO, 0, &back, &info, &e), "case %d: %s", c, e.msg);
        CHECKF(info.format == VEC_BINARY && same_table(&t, &back, true), "case %d: %s", c, vecfile_format_name(info.format));
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
    VecInfo info;
    emb_init(&t);
    CHECK(emb_alloc(&t, 2, 4, &e));
    CHECK(vocab_add(&t.vocab, "the", 3, 1, &e) == 0 && vocab_add(&t.vocab, "of", 2, 1, &e) == 1);
    memcpy(emb_row(&t, 0), f[0], 16);
    memcpy(emb_row(&t, 1), f[1], 16);
    const char *p = tmp_path("newline_byte.bin");
    CHECKF(vecfile_save(p, &t, VEC_BINARY, &e), "%s", e.msg);
    emb_init(&back);
    CHECKF(load_path(p, VEC_AUTO, 0, &back, &info, &e), "%s", e.msg);
    CHECK(info.format == VEC_BINARY && same_table(&t, &back, true));
    emb_deinit(&t);
    emb_deinit(&back);
}

/* A projector file must never be read as GloVe (its first number becoming a word); a GloVe or
 * word2vec file must not be read as a projector file. */
TEST(auto_detection)
{
    struct {
        const char *text;
        VecFormat want;
        int64_t rows;
        int dim;
    } cases[] = {
        {"0.1\t0.2\t0.3\n0.4\t0.5\t0.6\n", VEC_PROJECTOR, 2, 3},
        {"1\t2\n3\t4\n", VEC_PROJECTOR, 2, 2},          /* tab-separated integers: not a header */
        {"-1e-3\t+2.5E2\r\n3\t4\r\n", VEC_PROJECTOR, 2, 2},
        {"1990 0.1 0.2\nthe 0.3 0.4\n", VEC_GLOVE, 2, 2}, /* GloVe has number words */
        {"1990\t0.1\t0.2\nthe\t0.3\t0.4\n", VEC_GLOVE, 2, 2}, /* a word on a later line */
        {"2 2\na 1 2\nb 3 4\n", VEC_TEXT, 2, 2},
        {"0.1 0.2 0.3\n", VEC_GLOVE, 1, 2},             /* spaces: GloVe, as before */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Embeddings t;
        Err e = {{0}};
        VecInfo info;
        emb_init(&t);
        bool ok = vecfile_load(&(VecLoadDesc){.path = "mem", .data = cases[i].text, .len = strlen(cases[i].text)}, &t,
                               &info, &e);
        bool right = ok && info.format == cases[i].want && t.rows == cases[i].rows && t.dim == cases[i].dim;
        emb_deinit(&t);
        CHECKF(right, "case %zu: %s, format %s", i, ok ? "loaded" : e.msg, vecfile_format_name(info.format));
    }
}

/* The session opener's question, case by case as sniff.h words the rule; a file that is not
 * there, or empty, is left to the corpus reader to name. */
TEST(corpus_or_vectors)
{
    struct {
        const char *text;
        SniffKind want;
    } cases[] = {
        {"2 3\nw 1 2 3\n", SNIFF_VECTORS},           /* a "rows dim" header */
        {"the 0.1 -0.2 3e-4\n", SNIFF_VECTORS},      /* GloVe */
        {"0.5\t0.25\t1\n", SNIFF_VECTORS},           /* a projector vectors.tsv of 3 columns */
        {"1\t2\n3\t4\n", SNIFF_VECTORS},             /* 2 integer columns read as a header */
        {"the 0.1 nan\n", SNIFF_VECTORS},            /* strtod reads nan: the loader refuses it */
        {"0.5\t0.25\n", SNIFF_CORPUS},               /* 2 float columns: not a header */
        {"the cat sat on the mat\n", SNIFF_CORPUS},
        {"the 0.1 0.2x\n", SNIFF_CORPUS},
        {"2 3 4x\n", SNIFF_CORPUS},
        {"1e999 1 2\n", SNIFF_VECTORS},              /* the first field is the word */
        {"w 1e999 2\n", SNIFF_CORPUS},               /* out of range: not a number */
        {"\n2 3\n", SNIFF_CORPUS},                   /* only the first line counts */
        {"\xEF\xBB\xBF" "2 3\nw 1 2 3\n", SNIFF_VECTORS}, /* a BOM is skipped, as the loader does */
        {"\xEF\xBB\xBFthe 0.1 0.2\n", SNIFF_VECTORS},  /* but not GloVe: the word is not read */
        {"0.5\n0.25\n", SNIFF_CORPUS},               /* one projector column */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = tmp_path("sniff.txt");
        write_str(p, cases[i].text);
        CHECKF(sniff_path(p) == cases[i].want, "case %zu: '%s'", i, cases[i].text);
    }
    CHECK(sniff_path("@world") == SNIFF_CORPUS);
    CHECK(sniff_path(tmp_path("no_such_file")) == SNIFF_CORPUS);
    write_str(tmp_path("empty"), "");
    CHECK(sniff_path(tmp_path("empty")) == SNIFF_CORPUS);
    /* gzip is looked into, as the loaders do */
    write_str(tmp_path("v.txt"), "2 3\nw 1 2 3\n");
    gzip_file(tmp_path("v.txt"), tmp_path("v.txt.gz"), 0);
    CHECK(sniff_path(tmp_path("v.txt.gz")) == SNIFF_VECTORS);
}

/* The pieces vecfile_load asks, directly. */
TEST(format_pieces)
{
    static const unsigned char gz[] = {0x1F, 0x8B, 8, 0}, ft[] = {0xBA, 0x16, 0x4F, 0x2F},
                               pk[] = {0x80, 4, 0x95, 0}, txt[] = {'2', ' ', '3', '\n'};
    CHECK(strstr(sniff_foreign(gz, 4, true), "twice") && strstr(sniff_foreign(gz, 4, false), "only files"));
    CHECK(strstr(sniff_foreign(ft, 4, false), "fastText .bin"));
    CHECK(strstr(sniff_foreign(pk, 4, false), "pickle"));
    CHECK(!sniff_foreign(txt, 4, false) && !sniff_foreign(ft, 3, false));
    long long v[2];
    bool range;
    CHECK(sniff_header("400000 300", 10, v, &range) && v[0] == 400000 && v[1] == 300 && !range);
    CHECK(sniff_header("1\t2", 3, v, &range) && !range);
    CHECK(sniff_header("99999999999999999999 3", 22, v, &range) && range);
    CHECK(!sniff_header("2 3 4", 5, v, &range) && !sniff_header("2 x", 3, v, &range));
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    CHECK(c);
    const char *rest = "3\t4\nthe\t5\n";
    bool proj = sniff_projector("1\t2", 3, rest, rest + 4, c);     /* "3\t4\n" at hand */
    bool glove = sniff_projector("1\t2", 3, rest, rest + 10, c);   /* a word on line 3 */
    bool spaced = sniff_projector("1 2", 3, rest, rest, c);
    freelocale(c);
    CHECK(proj && !glove && !spaced);
}

/* A file is binary only when its bytes are binary rows: a text row with NaN, Inf or a word
 * where a number belongs is named by line and column, wherever it is, through gzip too, and
 * nothing is loaded. nan_like_binary.txt is the case: "nan 0.1 0.2 0.3\n" is exactly
 * the 16 bytes of a binary row of 4 floats, so the old sniffer read garbage floats. */
TEST(text_rows_with_a_bad_value)
{
    static const struct { const char *file, *msg; } cases[] = {
        {"bad_first_column.txt", "line 2: column 2: 'nan' is not a finite number (value 1 of 'kitten' is NaN)"},
        {"bad_middle_column.txt", "line 3: column 3: 'inf' is not a finite number "
                                  "(value 2 of 'kitten' is infinite or beyond float range)"},
        {"bad_last_column.txt", "line 4: column 5: '-Infinity' is not a finite number "
                                "(value 4 of 'kitten' is infinite or beyond float range)"},
        {"word_for_number.txt", "line 3: column 2: 'a' is not a finite number (value 1 of 'kitten' is not a number: 'a')"},
        {"nan_like_binary.txt", "line 2: column 2: 'nan' is not a finite number (value 1 of 'kitten' is NaN)"},
        {"glove_nan.txt", "line 2: column 4: 'nan' is not a finite number (value 3 of 'kitten' is NaN)"},
        {"glove_word_first.txt", "line 1: column 2: 'a' is not a finite number (value 1 of 'kitten' is not a number: 'a')"},
        {"crlf_nan.txt", "line 3: column 3: 'NaN' is not a finite number (value 2 of 'kitten' is NaN)"},
        {"bom_nan.txt", "line 2: column 2: 'nan' is not a finite number (value 1 of 'kitten' is NaN)"},
        {"tabs_inf.txt", "line 3: column 4: 'inf' is not a finite number "
                         "(value 3 of 'kitten' is infinite or beyond float range)"},
        /* too few fields and a word: the old sniffer said binary, "truncated" */
        {"short_row_word.txt", "line 2: column 2: 'a' is not a finite number (value 1 of 'kitten' is not a number: 'a')"},
        {"nan.txt", "line 3: column 3: 'nan' is not a finite number (value 2 of 'b' is NaN)"},
        {"inf.txt", "line 3: column 4: '-inf' is not a finite number (value 3 of 'b' is infinite or beyond float range)"},
        {"not_number.txt", "line 3: column 3: '0x' is not a finite number (value 2 of 'b' is not a number: '0x')"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int gz = 0; gz < 2; gz++) {
            char path[512], want[1024];
            snprintf(path, sizeof path, HOSTILE "%s%s", cases[i].file, gz ? ".gz" : "");
            snprintf(want, sizeof want, "%s:%s", path, cases[i].msg);
            Embeddings t;
            make_sentinel(&t);
            Err e = {{0}};
            bool ok = vecfile_load(&(VecLoadDesc){.path = path}, &t, NULL, &e);
            /* the path is shown whole under VECLOAD_NAME_SHOWN bytes; compare the end if not */
            size_t n = strlen(e.msg), w = strlen(want);
            CHECKF(!ok && n <= w && strcmp(e.msg, want + (w - n)) == 0 && strstr(e.msg, cases[i].file),
                   "%s: '%s'", path, e.msg);
            CHECKF(sentinel_intact(&t), "%s: the target changed", path);
            /* the window opens each as vectors too, so it names the same line and column */
            CHECKF(sniff_path(path) == SNIFF_VECTORS, "%s: taken for a corpus", path);
            emb_deinit(&t);
        }
}

/* The other side: a binary file whose float bytes are all digits and letters ("6nnN",
 * "7e7x") is still binary, because its rows are not text rows of finite numbers. */
TEST(binary_rows_that_look_like_digits)
{
    for (int gz = 0; gz < 2; gz++) {
        Embeddings t;
        Err e;
        VecInfo info;
        emb_init(&t);
        CHECKF(load_path(gz ? HOSTILE "digits.bin.gz" : HOSTILE "digits.bin", VEC_AUTO, 0, &t, &info, &e), "%s", e.msg);
        CHECK(info.format == VEC_BINARY && t.rows == 2 && t.dim == 1);
        CHECK(vocab_find(&t.vocab, ",", 1) == 0 && vocab_find(&t.vocab, "x", 1) == 1);
        float want;
        memcpy(&want, "6nnN", 4);
        CHECK(emb_row(&t, 0)[0] == want);
        emb_deinit(&t);
    }
}

/* Found by the roundtrip fuzz target: a binary table whose rows read as text rows, one good
 * and one with non-numbers ('1ehe'). word2vec.c's '\n' right after each row's floats decides
 * for binary (sniff.h says which text files this costs). */
TEST(binary_rows_that_read_as_text_rows_with_a_bad_value)
{
    static const char *f[2] = {"0.1 -0.2 0.3 1.4", "1ehe 0.1 -0.2` 6"};
    Embeddings t, back;
    Err e;
    VecInfo info;
    emb_init(&t);
    CHECK(emb_alloc(&t, 2, 4, &e));
    CHECK(vocab_add(&t.vocab, "-0.the", 6, 1, &e) == 0 && vocab_add(&t.vocab, "mf", 2, 1, &e) == 1);
    memcpy(emb_row(&t, 0), f[0], 16);
    memcpy(emb_row(&t, 1), f[1], 16);
    const char *p = tmp_path("text_rows.bin");
    CHECKF(vecfile_save(p, &t, VEC_BINARY, &e), "%s", e.msg);
    emb_init(&back);
    CHECKF(load_path(p, VEC_AUTO, 0, &back, &info, &e), "%s", e.msg);
    CHECK(info.format == VEC_BINARY && same_table(&t, &back, true));
    emb_deinit(&t);
    emb_deinit(&back);
}

/* Found by the fuzz targets: good text rows stay text even when their bytes are also binary
 * rows followed by word2vec.c's newline ("5030" and "101" are 4 bytes before '\n'). */
TEST(good_text_rows_that_are_also_binary_rows)
{
    static const char *files[] = {"1 1\n,0100 5030\n", "1 1\n0 101\n"};
    for (int i = 0; i < 2; i++) {
        const char *p = tmp_path("both.txt");
        write_str(p, files[i]);
        Embeddings t;
        Err e;
        VecInfo info;
        emb_init(&t);
        CHECKF(load_path(p, VEC_AUTO, 0, &t, &info, &e), "%s", e.msg);
        CHECK(info.format == VEC_TEXT && t.rows == 1 && emb_row(&t, 0)[0] == (i ? 101.0f : 5030.0f));
        emb_deinit(&t);
    }
}
