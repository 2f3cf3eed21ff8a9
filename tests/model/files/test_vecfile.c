/* The entry point (vecfile.h): loads from memory, max_words, empty files, header values and
 * foreign files, the desc's defaults, and what vecfile_save refuses. */
#include "tests/model/files/vecfixture.h"

TEST(from_memory)
{
    const char *text = "2 2\na 1 2\nb 3 4";  /* no final newline */
    Embeddings t;
    Err e;
    emb_init(&t);
    CHECK(vecfile_load(&(VecLoadDesc){.path = "mem", .data = text, .len = strlen(text)}, &t, NULL, &e));
    CHECK(t.rows == 2 && emb_row(&t, 1)[1] == 4.0f);
    CHECK(!vecfile_load(&(VecLoadDesc){.path = "mem", .data = text, .len = 8}, &t, NULL, &e));
    CHECKF(strstr(e.msg, "mem:line 2: expected 2 values after 'a', found 1"), "%s", e.msg);
    emb_deinit(&t);
}

TEST(max_words_keeps_first_rows)
{
    Embeddings t, back;
    Err e;
    VecInfo info;
    CHECK(make_table(&t, 20, 4, 9));
    const char *p = tmp_path("max.bin");
    CHECK(vecfile_save(p, &t, VEC_BINARY, &e));
    emb_init(&back);
    CHECK(load_path(p, VEC_AUTO, 5, &back, &info, &e));
    CHECK(back.rows == 5 && info.limited && !strcmp(vocab_word(&back.vocab, 4), "w4"));
    CHECK(emb_row(&back, 4)[3] == emb_row(&t, 4)[3]);
    const char *q = tmp_path("max.txt");
    CHECK(vecfile_save(q, &t, VEC_TEXT, &e));
    CHECK(load_path(q, VEC_AUTO, 7, &back, &info, &e));
    CHECK(back.rows == 7 && info.limited && back.vocab.counts[0] == 7);
    CHECK(load_path(q, VEC_AUTO, 100, &back, &info, &e));
    CHECK(back.rows == 20 && !info.limited);
    emb_deinit(&t);
    emb_deinit(&back);
}

TEST(hostile_empty) { CHECK(expect_fail(HOSTILE "empty.txt", ": ", "empty file") == 0); }
TEST(hostile_blank_lines) { CHECK(expect_fail(HOSTILE "blank_lines.txt", ": ", "empty file") == 0); }

TEST(hostile_header_values)
{
    CHECK(expect_fail(HOSTILE "big_dim.txt", ":line 1:", "dimension 20000 is outside 1..10000") == 0);
    CHECK(expect_fail(HOSTILE "zero_dim.txt", ":line 1:", "dimension 0") == 0);
    CHECK(expect_fail(HOSTILE "negative_rows.txt", ":line 1:", "declares -5 rows") == 0);
    CHECK(expect_fail(HOSTILE "huge_header.txt", ":line 1:", "out of range") == 0);
    CHECK(expect_fail(HOSTILE "gzip.txt.gz", ": ", "gzip: invalid stored block lengths") == 0);
    CHECK(expect_fail(HOSTILE "pickle.model", ": ", "Python pickle") == 0);
}

/* The defaults the UI can show: a memory load is named "memory", its labels "metadata.tsv",
 * and a negative max_words means all rows. */
TEST(desc_defaults)
{
    VecLoadDesc d = vecfile_desc_defaults(&(VecLoadDesc){.data = "x", .metadata_data = "y", .max_words = -3});
    CHECK(!strcmp(d.path, "memory") && !strcmp(d.metadata, "metadata.tsv") && d.max_words == 0);
    CHECK(d.format == VEC_AUTO && d.len == 0 && !d.progress);
    d = vecfile_desc_defaults(&(VecLoadDesc){.path = "v.txt", .max_words = 5});
    CHECK(!strcmp(d.path, "v.txt") && !d.metadata && d.max_words == 5);
    d = vecfile_desc_defaults(NULL);
    CHECK(!d.path && !d.data);
    Embeddings t;
    Err e;
    make_sentinel(&t);
    CHECK(!vecfile_load(&(VecLoadDesc){0}, &t, NULL, &e));
    CHECKF(strstr(e.msg, "nothing to load") && sentinel_intact(&t), "%s", e.msg);
    const char *text = "1 1\na 1\n";
    CHECK(!vecfile_load(&(VecLoadDesc){.data = text, .len = 4}, &t, NULL, &e));
    CHECKF(!strncmp(e.msg, "memory:line 2:", 14) && sentinel_intact(&t), "%s", e.msg);
    emb_deinit(&t);
}

/* Labels belong to projector rows: given for any other format, the load fails and says so. */
TEST(labels_only_for_projector_rows)
{
    const char *text = "2 1\na 1\nb 2\n";
    Embeddings t;
    Err e;
    make_sentinel(&t);
    VecLoadDesc d = {.path = "w.txt", .data = text, .len = strlen(text), .metadata_data = "x\ny\n", .metadata_len = 4};
    CHECK(!vecfile_load(&d, &t, NULL, &e));
    CHECKF(strstr(e.msg, "w.txt: labels (metadata.tsv) are for a projector vectors.tsv, not word2vec text") &&
           sentinel_intact(&t), "%s", e.msg);
    d.metadata_data = NULL;
    d.metadata_len = 0;
    CHECKF(vecfile_load(&d, &t, NULL, &e), "%s", e.msg);
    CHECK(t.rows == 2);
    emb_deinit(&t);
}

/* vecfile_save writes word2vec text or binary; other formats are refused, naming them. */
TEST(save_only_word2vec)
{
    Embeddings t;
    Err e;
    CHECK(make_table(&t, 3, 2, 1));
    const char *p = tmp_path("glove_out.txt");
    CHECK(!vecfile_save(p, &t, VEC_GLOVE, &e));
    CHECKF(strstr(e.msg, "can save word2vec text or binary, not GloVe text") && access(p, F_OK) != 0, "%s", e.msg);
    CHECK(!vecfile_save(p, &t, VEC_AUTO, &e));
    CHECK(vecfile_format_name(VEC_PROJECTOR) && !strcmp(vecfile_format_name(VEC_BINARY), "word2vec binary"));
    emb_deinit(&t);
}
