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
