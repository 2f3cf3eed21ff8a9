/* evalset: analogy accuracy and pair similarity on hand-made vectors whose answers are worked
 * out below, gensim's case rules, the restricted vocabulary, Spearman by hand, and hostile
 * question/pair files. Fixtures: tests/data/query/questions.txt and pairs.txt. */
#include "model/vectors/evalset.h"
#include "tests/test.h"
#include <string.h>

/* Rows in frequency order, dim 6 (e0..e5 unit axes):
 *   0 the    (1,1,1,1,1,1)     1 man  e0          2 woman e1       3 king  e0+e2
 *   4 queen  e1+e2             5 cat  e3          6 dog   e4       7 cats  e3+e5
 *   8 dogs   e4+e5             9 prince e0+e2+e5  10 King e5       11 WOMAN (see below)
 * king - man + woman (unit vectors) = (r-1, 1, r, 0, 0, 0) with r = 1/sqrt2, cosine 0.958 with
 * queen. WOMAN points exactly that way, so it is the top hit, but its lower-cased spelling is a
 * question word, so gensim's rule skips it and queen is the answer. "King" (row 10) lower-cases
 * to a word already seen at row 3: the question word "King" means row 3, the most frequent
 * spelling, and row 10's vector (e5) is never used for lookup. */
static const char *words[] = {"the", "man", "woman", "king", "queen", "cat",
                              "dog", "cats", "dogs", "prince", "King", "WOMAN"};
enum { NW = 12, DIM = 6, STRIDE = 16 };

static void make_table(Vocab *v, KnnIndex *ix)
{
    static const float rows[NW][DIM] = {
        {1, 1, 1, 1, 1, 1}, {1, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}, {1, 0, 1, 0, 0, 0},
        {0, 1, 1, 0, 0, 0}, {0, 0, 0, 1, 0, 0}, {0, 0, 0, 0, 1, 0}, {0, 0, 0, 1, 0, 1},
        {0, 0, 0, 0, 1, 1}, {1, 0, 1, 0, 0, 1}, {0, 0, 0, 0, 0, 1},
        {0.70710678f - 1, 1, 0.70710678f, 0, 0, 0},
    };
    float m[NW * STRIDE] = {0};
    Err e;
    vocab_init(v);
    for (int i = 0; i < NW; i++) {
        vocab_add(v, words[i], strlen(words[i]), (uint64_t)(100 - i), &e);
        memcpy(m + i * STRIDE, rows[i], sizeof rows[i]);
    }
    knn_build(ix, m, NW, DIM, STRIDE, &e);
}

static int calls;
static bool count_progress(void *ctx, double f)
{
    (void)ctx;
    calls += f > 0 && f <= 1;
    return true;
}

TEST(evalset_analogies_fixture)
{
    Vocab v;
    KnnIndex ix = {0};
    make_table(&v, &ix);
    AnalogyReport r = {0};
    Err e;
    calls = 0;
    CHECKF(eval_analogies(TEST_DATA_DIR "/query/questions.txt", &v, &ix, 0, count_progress, NULL,
                          &r, &e), "%s", e.msg);
    CHECK(calls >= 1);
    CHECK(r.nsections == 2);
    CHECK(!strcmp(r.sections[0].name, "family") && !r.sections[0].syntactic);
    CHECK(!strcmp(r.sections[1].name, "gram-plural") && r.sections[1].syntactic);
    /* family: two right (both spellings), prince wrong (queen predicted), unicorn unknown */
    CHECK(r.sections[0].score.answered == 3 && r.sections[0].score.correct == 2);
    CHECK(r.sections[0].skipped == 1);
    /* cats - cat + dog = dogs, in both spellings */
    CHECK(r.sections[1].score.answered == 2 && r.sections[1].score.correct == 2);
    CHECK(r.semantic.correct == 2 && r.semantic.answered == 3);
    CHECK(r.syntactic.correct == 2 && r.syntactic.answered == 2);
    CHECK(r.total.correct == 4 && r.total.answered == 5);
    CHECK(r.questions == 6 && r.skipped == 1 && r.restrict_rows == NW);
    CHECK_NEAR(eval_accuracy(r.total), 0.8, 1e-12);

    /* restricted to the 8 most frequent rows, "dogs" (row 8) and "prince" (row 9) are unknown:
     * the plural section and the prince question are skipped; the two right answers stay */
    CHECK(eval_analogies(TEST_DATA_DIR "/query/questions.txt", &v, &ix, 8, NULL, NULL, &r, &e));
    CHECK(r.restrict_rows == 8);
    CHECKF(r.total.correct == 2 && r.total.answered == 2 && r.skipped == 4,
           "%lld/%lld skipped %lld", (long long)r.total.correct, (long long)r.total.answered,
           (long long)r.skipped);
    CHECK(r.syntactic.answered == 0 && isnan(eval_accuracy(r.syntactic)));
    analogy_report_deinit(&r);
    analogy_report_deinit(&r);
    vocab_deinit(&v);
    knn_deinit(&ix);
}

static void expect_error(const char *text, const char *want)
{
    Vocab v;
    KnnIndex ix = {0};
    make_table(&v, &ix);
    AnalogyReport r = {0};
    Err e = {{0}};
    bool ok = eval_analogies_text(text, strlen(text), "q.txt", &v, &ix, 0, NULL, NULL, &r, &e);
    analogy_report_deinit(&r);
    vocab_deinit(&v);
    knn_deinit(&ix);
    CHECKF(!ok && strstr(e.msg, want) == e.msg, "got '%s', want '%s'", ok ? "(ok)" : e.msg, want);
}

TEST(evalset_hostile_questions)
{
    expect_error(": s\nman woman king\n", "q.txt:2: expected 4 words, found 3");
    expect_error(": s\nman woman king queen prince\n", "q.txt:2: expected 4 words, found 5");
    expect_error("man woman king queen\n", "q.txt:1: question before the first ': section' header");
    expect_error(":   \n", "q.txt:1: empty section name");
    static char longline[EVAL_MAX_LINE + 100];
    memset(longline, 'a', sizeof longline - 1);
    longline[0] = ':';
    expect_error(longline, "q.txt:1: line longer than");
    expect_error(": s\n\x01\x02\xff garbage\0more", "q.txt:2: expected 4 words, found 2");

    /* empty and comment-free blank files are fine: nothing answered */
    Vocab v;
    KnnIndex ix = {0};
    make_table(&v, &ix);
    AnalogyReport r = {0};
    Err e;
    CHECK(eval_analogies_text("", 0, "q", &v, &ix, 0, NULL, NULL, &r, &e));
    CHECK(r.questions == 0 && r.nsections == 0 && isnan(eval_accuracy(r.total)));
    /* a 101-byte word cannot be in any vocabulary: skipped, not an error */
    char q[256];
    snprintf(q, sizeof q, ": s\n%0101d woman king queen\n", 7);
    CHECK(eval_analogies_text(q, strlen(q), "q", &v, &ix, 0, NULL, NULL, &r, &e));
    CHECK(r.questions == 1 && r.skipped == 1);
    CHECK(!eval_analogies(TEST_DATA_DIR "/query/no-such-file.txt", &v, &ix, 0, NULL, NULL, &r, &e));
    CHECK(strstr(e.msg, "no-such-file.txt") != NULL);
    analogy_report_deinit(&r);
    vocab_deinit(&v);
    knn_deinit(&ix);
}

/* Hand-computed: ranks of x 1..5; y = 5,6,7,8,7 has ranks 1,2,3.5,5,3.5. Deviations from the
 * mean rank 3: dx = -2,-1,0,1,2; dy = -2,-1,.5,2,.5. sum dxdy = 8, sum dx^2 = 10,
 * sum dy^2 = 9.5, rho = 8 / sqrt(95). Without ties, 1 - 6 sum d^2 / (n (n^2 - 1)). */
TEST(evalset_spearman_by_hand)
{
    double x[5] = {1, 2, 3, 4, 5}, y[5] = {5, 6, 7, 8, 7};
    CHECK_NEAR(eval_spearman(x, y, 5), 8 / sqrt(95), 1e-12);
    double y2[5] = {2, 1, 4, 3, 5}; /* sum d^2 = 4: rho = 1 - 24/120 */
    CHECK_NEAR(eval_spearman(x, y2, 5), 0.8, 1e-12);
    double x3[5] = {10, -3, 0.5, 7, 2}; /* rank-only: a monotone map gives the same rho */
    double y3[5] = {1000, -27, 0.125, 343, 8}; /* x3 cubed */
    CHECK_NEAR(eval_spearman(x3, y3, 5), 1, 1e-12);
    CHECK(isnan(eval_spearman(x, y, 1)));
    double c[5] = {3, 3, 3, 3, 3};
    CHECK(isnan(eval_spearman(x, c, 5)));
    CHECK_NEAR(eval_pearson(x, y2, 5), 0.8, 1e-12); /* y2 is a permutation of x */
}

/* pairs.txt against the table: cosines man-woman 0, king-queen 1/2, cat-dog 0, dog-dogs
 * 1/sqrt2; gold 3, 8, 5, 9 (cat-unicorn skipped). Model ranks 1.5,3,1.5,4; gold ranks
 * 1,3,2,4; deviations from 2.5: dx = -1,.5,-1,1.5 and dy = -1.5,.5,-.5,1.5, so
 * rho = 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10). */
TEST(evalset_similarity_fixture)
{
    Vocab v;
    KnnIndex ix = {0};
    make_table(&v, &ix);
    SimilarityReport r;
    Err e;
    CHECKF(eval_similarity(TEST_DATA_DIR "/query/pairs.txt", &v, &ix, 0, &r, &e), "%s", e.msg);
    CHECK(r.pairs == 5 && r.used == 4 && r.skipped == 1);
    CHECK_NEAR(r.spearman, 3 / sqrt(10), 1e-6); /* cosines are floats: ~1e-7 */
    /* restricted to 8 rows, dogs is unknown: 3 pairs, model ranks 1.5,3,1.5 vs gold 1,3,2 */
    CHECK(eval_similarity(TEST_DATA_DIR "/query/pairs.txt", &v, &ix, 8, &r, &e));
    CHECK(r.used == 3 && r.skipped == 2);
    CHECK_NEAR(r.spearman, eval_spearman((double[]){0, 0.5, 0}, (double[]){3, 8, 5}, 3), 1e-6);
    vocab_deinit(&v);
    knn_deinit(&ix);
}

static void expect_sim_error(const char *text, const char *want)
{
    Vocab v;
    KnnIndex ix = {0};
    make_table(&v, &ix);
    SimilarityReport r;
    Err e = {{0}};
    bool ok = eval_similarity_text(text, strlen(text), "p.txt", &v, &ix, 0, &r, &e);
    vocab_deinit(&v);
    knn_deinit(&ix);
    CHECKF(!ok && strstr(e.msg, want) == e.msg, "got '%s', want '%s'", ok ? "(ok)" : e.msg, want);
}

TEST(evalset_hostile_pairs)
{
    expect_sim_error("man woman\n", "p.txt:1: expected 3 fields");
    expect_sim_error("man woman 1\ncat dog x\n", "p.txt:2: score 'x' is not a number");
    expect_sim_error("w1 w2 score\ncat dog nan\n", "p.txt:2: score 'nan' is not a number");
    expect_sim_error("# c\nw1 w2 s\ncat dog 1e999\n", "p.txt:3: score '1e999' is not a number");
    expect_sim_error("a b 1\na b c d\n", "p.txt:2: expected 3 fields (word word score), found 4");
    static char longline[EVAL_MAX_LINE + 100];
    memset(longline, 'a', sizeof longline - 1);
    expect_sim_error(longline, "p.txt:1: line longer than");
    /* only comments and a header: nothing used, no correlation */
    Vocab v;
    KnnIndex ix = {0};
    make_table(&v, &ix);
    SimilarityReport r;
    Err e;
    const char *t = "# x\nw1\tw2\tscore\n";
    CHECK(eval_similarity_text(t, strlen(t), "p", &v, &ix, 0, &r, &e));
    CHECK(r.pairs == 0 && r.used == 0 && isnan(r.spearman));
    vocab_deinit(&v);
    knn_deinit(&ix);
}
