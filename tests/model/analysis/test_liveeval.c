/* Budgeted analogy evaluation: the accuracy of a tiny solvable set, the budget's spacing of
 * evaluations, the demo world's questions, and failures that stop it without harm. */
#include "model/analysis/liveeval.h"
#include "tests/test.h"
#include <math.h>
#include <string.h>

/* king - man + woman = queen exactly; "bird" is far from everything */
static const char *words[] = {"man", "woman", "king", "queen", "bird"};
static const float vecs[5][3] = {{1, 0, 0}, {1, 1, 0}, {1, 0, 1}, {1, 1, 1}, {-1, -1, -1}};

static bool setup(Vocab *v, KnnIndex *ix)
{
    Err e = {{0}};
    vocab_init(v);
    memset(ix, 0, sizeof *ix);
    for (int i = 0; i < 5; i++)
        if (vocab_add(v, words[i], strlen(words[i]), 10, &e) < 0)
            return false;
    float m[5][16] = {{0}};
    for (int i = 0; i < 5; i++)
        memcpy(m[i], vecs[i], sizeof vecs[i]);
    return knn_build(ix, &m[0][0], 5, 3, 16, &e);
}

static const char questions[] = ": family\nman woman king queen\nman king woman queen\n"
                                ": wrong\nman woman king bird\n";

TEST(accuracy_and_budget)
{
    Vocab v;
    KnnIndex ix;
    CHECK(setup(&v, &ix));
    LiveEval l;
    liveeval_init(&l, NULL);
    CHECK(l.desc.budget == 0.05 && isnan(l.accuracy));
    CHECK(!liveeval_due(&l, 0)); /* no questions */
    Err e = {{0}};
    CHECK(liveeval_set_text(&l, questions, strlen(questions), "q.txt", &e));
    CHECK(liveeval_due(&l, 1000));
    CHECK(liveeval_step(&l, &v, &ix, 1000));
    CHECK(l.runs == 1 && l.questions == 3 && l.answered == 3);
    CHECK_NEAR(l.accuracy, 2.0 / 3, 1e-12);
    /* 5% of a core: rest 19 times the evaluation's length after it ended */
    l.last_ms = 10;
    l.last_end_ms = 2000;
    CHECK(!liveeval_due(&l, 2000 + 189));
    CHECK(!liveeval_step(&l, &v, &ix, 2000 + 189) && l.runs == 1);
    CHECK(liveeval_due(&l, 2000 + 191));
    liveeval_deinit(&l);
    liveeval_deinit(&l);
    knn_deinit(&ix);
    vocab_deinit(&v);
}

TEST(world_questions_load)
{
    LiveEval l;
    liveeval_init(&l, &(LiveEvalDesc){.budget = 0.5});
    Err e = {{0}};
    CHECKF(liveeval_load_world(&l, &e), "%s", e.msg);
    CHECK(l.text && l.len > 1000 && l.text[0] == ':' && l.desc.budget == 0.5);
    CHECK(!liveeval_load(&l, "/nonexistent/q.txt", &e) && l.text); /* old set kept */
    liveeval_deinit(&l);
}

TEST(bad_file_stops_evaluating)
{
    Vocab v;
    KnnIndex ix;
    CHECK(setup(&v, &ix));
    LiveEval l;
    liveeval_init(&l, NULL);
    Err e = {{0}};
    const char bad[] = ": s\nman woman king\n";
    CHECK(liveeval_set_text(&l, bad, strlen(bad), "bad.txt", &e));
    CHECK(!liveeval_step(&l, &v, &ix, 0));
    CHECKF(strstr(l.err, "bad.txt:2") != NULL, "%s", l.err);
    CHECK(!liveeval_due(&l, 1e9) && isnan(l.accuracy));
    liveeval_deinit(&l);
    knn_deinit(&ix);
    vocab_deinit(&v);
}

TEST(large_sets_are_thinned_per_section)
{
    LiveEval l;
    liveeval_init(&l, &(LiveEvalDesc){.max_questions = 3});
    Err e = {{0}};
    const char text[] = ": a\nq0 a b c\nq1 a b c\nq2 a b c\nq3 a b c\nq4 a b c\n"
                        ": b\nq5 a b c\nq6 a b c\nq7 a b c\nq8 a b c\nq9 a b c\n";
    CHECK(liveeval_set_text(&l, text, strlen(text), "t", &e));
    /* 10 questions, at most 3: every 4th (q0 q4 q8), headers kept */
    CHECK(l.file_questions == 10);
    CHECKF(!strcmp(l.text, ": a\nq0 a b c\nq4 a b c\n: b\nq8 a b c\n"), "%s", l.text);
    CHECK(l.len == strlen(l.text));
    liveeval_deinit(&l);
    liveeval_init(&l, &(LiveEvalDesc){.max_questions = -1});
    CHECK(liveeval_set_text(&l, text, strlen(text), "t", &e) && l.len == strlen(text));
    liveeval_deinit(&l);
}
