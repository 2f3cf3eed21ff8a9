/* word2vec binary rows (w2v_bin through vecfile_load): truncated and misaligned files fail
 * naming the byte offset, leaving `out` as it was. */
#include "tests/model/files/vecfixture.h"

TEST(hostile_truncated_binary)
{
    /* header 4 bytes + row a (2 + 16 + 1) = 23, "b " -> the floats of b start at byte 25 */
    CHECK(expect_fail(HOSTILE "truncated.bin", ": byte 25:", "row 2 ('b') needs 16 bytes of floats, the file has 7 more") == 0);
    CHECK(expect_fail(HOSTILE "truncated_word.bin", ": byte 23:", "ends inside the word of row 2") == 0);
    CHECK(expect_fail(HOSTILE "short_body.bin", ": byte 42:", "after 2 of the 3 rows") == 0);
    CHECK(expect_fail(HOSTILE "trailing.bin", ": byte 23:", "data after the 1 rows") == 0);
    CHECK(expect_fail(HOSTILE "newline_in_word.bin", ": byte 24:", "control byte 0x0A inside the word of row 2") == 0);
}

/* Rows need no '\n' between them (some writers leave it out): the next word starts after the
 * floats, whatever follows. */
TEST(rows_without_newlines)
{
    /* 1.0f = 00 00 80 3F, 2.0f = 00 00 00 40, little-endian */
    static const unsigned char f[] = {'2', ' ', '1', '\n', 'a', ' ', 0, 0, 0x80, 0x3F,
                                      'b', ' ', 0, 0, 0, 0x40};
    const char *p = tmp_path("packed.bin");
    write_bytes(p, f, sizeof f);
    Embeddings t;
    Err e;
    VecInfo info;
    emb_init(&t);
    CHECKF(load_path(p, VEC_AUTO, 0, &t, &info, &e), "%s", e.msg);
    CHECK(info.format == VEC_BINARY && t.rows == 2 && emb_row(&t, 0)[0] == 1.0f && emb_row(&t, 1)[0] == 2.0f);
    CHECK(!strcmp(vocab_word(&t.vocab, 1), "b"));
    emb_deinit(&t);
}
