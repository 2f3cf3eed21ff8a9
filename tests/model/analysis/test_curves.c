/* Training-curve history: order, thinning when full (whole span kept, newest last), paused
 * samples replacing the last one, ranges skipping NaN. */
#include "model/analysis/curves.h"
#include "tests/test.h"
#include <math.h>

static CurveSample at(uint64_t words, double loss)
{
    CurveSample s = curves_sample();
    s.words = words;
    s.loss = loss;
    return s;
}

TEST(push_and_thin_keep_the_span)
{
    Curves c;
    Err e = {{0}};
    CHECK(curves_init(&c, 8, &e));
    for (uint64_t w = 1; w <= 8; w++)
        curves_push(&c, &(CurveSample){.words = w, .loss = (double)w, .accuracy = NAN});
    CHECK(c.n == 8 && c.halvings == 0);
    CurveSample s9 = at(9, 9);
    curves_push(&c, &s9);
    /* 1 3 5 7 8, then 9 */
    CHECK(c.halvings == 1 && c.n == 6);
    CHECK(c.s[0].words == 1 && c.s[4].words == 8 && curves_last(&c)->words == 9);
    for (int i = 1; i < c.n; i++)
        CHECK(c.s[i].words > c.s[i - 1].words);
    for (uint64_t w = 10; w < 1000; w++) {
        CurveSample s = at(w, (double)w);
        curves_push(&c, &s);
    }
    CHECK(c.n <= 8 && curves_last(&c)->words == 999 && c.s[0].words == 1);
    curves_deinit(&c);
    curves_deinit(&c);
}

TEST(same_words_replace_and_keep_accuracy)
{
    Curves c;
    Err e = {{0}};
    CHECK(curves_init(&c, 0, &e) && c.cap == CURVES_DEFAULT_CAP);
    CurveSample a = at(100, 2.0);
    a.accuracy = 0.25;
    curves_push(&c, &a);
    CurveSample b = at(100, 1.5);
    curves_push(&c, &b);
    CHECK(c.n == 1 && c.s[0].loss == 1.5 && c.s[0].accuracy == 0.25);
    curves_clear(&c);
    CHECK(c.n == 0);
    curves_deinit(&c);
}

TEST(ranges_skip_nan)
{
    Curves c;
    Err e = {{0}};
    CHECK(curves_init(&c, 16, &e));
    double lo = 0, hi = 0;
    CHECK(!curves_range(&c, CURVE_ACCURACY, &lo, &hi));
    for (int i = 0; i < 6; i++) {
        CurveSample s = at((uint64_t)i + 1, 1.0 / (i + 1));
        if (i % 2)
            s.accuracy = 0.1 * i;
        s.pin_rank[2] = 10 - i;
        curves_push(&c, &s);
    }
    CHECK(curves_range(&c, CURVE_ACCURACY, &lo, &hi) && lo == 0.1 && fabs(hi - 0.5) < 1e-12);
    CHECK(curves_range(&c, CURVE_PIN_RANK + 2, &lo, &hi) && lo == 5 && hi == 10);
    CHECK(!curves_range(&c, CURVE_PIN_COS + 1, &lo, &hi));
    CHECK(isnan(curves_get(&c.s[0], CURVE_FIELDS)));
    curves_deinit(&c);
}
