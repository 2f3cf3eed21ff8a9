/* The training parameter table: its spellings are unique and found again, values parse into
 * the right fields with 0 meaning "off" where it should, messages name the spelling and the
 * range, formatting reads back to the same value, and train_desc_check refuses what the
 * trainer cannot run. */
#include "model/train/train_desc.h"
#include "tests/test.h"
#include <string.h>

TEST(spellings_are_unique_and_found)
{
    for (int i = 0; i < TRAIN_P_COUNT; i++) {
        const TrainParam *p = train_param((TrainParamId)i);
        CHECK(p && (int)p->id == i && p->name && p->flag && p->flag[0] == '-' && p->label && p->help);
        CHECK(train_param_by_name(p->name) == p && train_param_by_flag(p->flag) == p);
        CHECK(!p->alias || (!strncmp(p->alias, "--", 2) && train_param_by_alias(p->alias) == p));
        for (int j = 0; j < i; j++) {
            const TrainParam *q = train_param((TrainParamId)j);
            CHECK(strcmp(p->name, q->name) && strcmp(p->flag, q->flag));
            CHECK(!p->alias || !q->alias || strcmp(p->alias, q->alias));
        }
    }
    CHECK(!train_param(TRAIN_P_COUNT) && !train_param_by_flag("--epochs") && !train_param_by_name("-iter"));
    CHECK(train_param_by_flag("-iter") == train_param(TRAIN_P_EPOCHS));
    CHECK(train_param_by_alias("--epochs") == train_param(TRAIN_P_EPOCHS));
    CHECK(train_param_by_alias("--dim") == train_param_by_flag("-size"));
    CHECK(train_param_by_alias("--model") == train_param_by_flag("-cbow"));
}

static bool parse(const char *flag, const char *text, TrainDesc *d, Err *e)
{
    return train_param_parse(train_param_by_flag(flag), NULL, text, d, e);
}

TEST(values_land_in_their_fields)
{
    TrainDesc d = {0};
    Err e;
    CHECKF(parse("-size", "300", &d, &e) && d.dim == 300, "%s", e.msg);
    CHECK(parse("-iter", "7", &d, &e) && d.iter == 7);
    CHECK(parse("-negative", "0", &d, &e) && d.negative == -1);   /* off, not "default" */
    CHECK(parse("-sample", "0", &d, &e) && d.sample == -1);
    CHECK(parse("-batch", "0", &d, &e) && d.batch == -1);
    CHECK(parse("-batch", "1", &d, &e) && d.batch == 1);
    CHECK(parse("-hs", "0", &d, &e) && d.hs == 0);
    CHECK(parse("-sample", "1e-4", &d, &e) && d.sample == 1e-4);
    CHECK(parse("-cbow", "0", &d, &e) && d.model == TRAIN_SKIPGRAM);
    CHECK(parse("-cbow", "cbow", &d, &e) && d.model == TRAIN_CBOW);
    CHECK(parse("-cbow", "skipgram", &d, &e) && d.model == TRAIN_SKIPGRAM);
    CHECK(parse("-cbow", "1", &d, &e) && d.model == TRAIN_CBOW);
    CHECK(parse("-max-vocab", "1099511627776", &d, &e) && d.max_vocab == 1099511627776LL);
    CHECK(parse("-seed", "18446744073709551615", &d, &e) && d.seed == 18446744073709551615ull);
    CHECK(parse("-seed", "0", &d, &e) && d.seed == 0);
}

/* Must fail with exactly `want` and leave d as it was. 0 when it does. */
static int refuse(const char *flag, const char *as, const char *text, const char *want)
{
    TrainDesc d, keep;
    memset(&d, 0x5A, sizeof d);
    keep = d;
    Err e = {{0}};
    bool ok = train_param_parse(train_param_by_flag(flag), as, text, &d, &e);
    int bad = ok || strcmp(e.msg, want) || memcmp(&d, &keep, sizeof d);
    if (bad)
        fprintf(stderr, "    %s '%s': expected '%s', got %s'%s'\n", flag, text, want, ok ? "success " : "", e.msg);
    return bad;
}

TEST(messages_name_the_spelling_and_the_range)
{
    int bad = 0;
    bad += refuse("-window", NULL, "0", "bad value for -window: '0' (want an integer in 1..1000)");
    bad += refuse("-window", NULL, "1001", "bad value for -window: '1001' (want an integer in 1..1000)");
    bad += refuse("-iter", "--epochs", "3x", "bad value for --epochs: '3x' (want an integer in 1..100000)");
    bad += refuse("-iter", "epochs", "", "bad value for epochs: '' (want an integer in 1..100000)");
    bad += refuse("-iter", NULL, "2.5", "bad value for -iter: '2.5' (want an integer in 1..100000)");
    bad += refuse("-sample", NULL, "nan", "bad value for -sample: 'nan' (want a number in 0..1)");
    bad += refuse("-alpha", NULL, "11", "bad value for -alpha: '11' (want a number in 0..10)");
    bad += refuse("-negative", NULL, "-1", "bad value for -negative: '-1' (want an integer in 0..1000)");
    bad += refuse("-hs", NULL, "2", "bad value for -hs: '2' (want 0 or 1)");
    bad += refuse("-cbow", "--model", "skip", "bad value for --model: 'skip' (want cbow or sg (1 or 0))");
    bad += refuse("-seed", NULL, "-1", "bad value for -seed: '-1' (want an integer in 0..18446744073709551615)");
    bad += refuse("-seed", NULL, "18446744073709551616",
                  "bad value for -seed: '18446744073709551616' (want an integer in 0..18446744073709551615)");
    bad += refuse("-threads", NULL, "99999999999999999999",
                  "bad value for -threads: '99999999999999999999' (want an integer in 1..1024)");
    CHECK(bad == 0);
}

TEST(format_reads_back)
{
    char buf[64];
    TrainDesc d = train_desc_defaults(NULL);
    CHECK(!strcmp(train_param_format(train_param(TRAIN_P_SAMPLE), &d, buf, sizeof buf), "0.001"));
    CHECK(!strcmp(train_param_format(train_param(TRAIN_P_ALPHA), &d, buf, sizeof buf), "0.05"));
    CHECK(!strcmp(train_param_format(train_param(TRAIN_P_MODEL), &d, buf, sizeof buf), "cbow"));
    CHECK(!strcmp(train_param_format(train_param(TRAIN_P_EPOCHS), &d, buf, sizeof buf), "5"));
    TrainDesc x = d;
    x.negative = -1, x.sample = -1, x.batch = -1, x.model = TRAIN_SKIPGRAM, x.alpha = 0.1 + 0.2;
    x.seed = 18446744073709551615ull, x.max_vocab = 123456789012LL, x.hs = 1;
    CHECK(!strcmp(train_param_format(train_param(TRAIN_P_NEGATIVE), &x, buf, sizeof buf), "0"));
    CHECK(!strcmp(train_param_format(train_param(TRAIN_P_MODEL), &x, buf, sizeof buf), "sg"));
    const TrainDesc *both[] = {&d, &x};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < TRAIN_P_COUNT; i++) {
            const TrainParam *p = train_param((TrainParamId)i);
            TrainDesc back = {0};
            Err e;
            train_param_format(p, both[k], buf, sizeof buf);
            CHECKF(train_param_parse(p, NULL, buf, &back, &e), "%s", e.msg);
            CHECKF(train_param_equal(p, &back, both[k]), "%s: '%s'", p->name, buf);
        }
}

TEST(check_refuses_what_cannot_train)
{
    Err e;
    TrainDesc zero = {0}, d = train_desc_defaults(NULL);
    CHECK(train_desc_check(&zero, &e) && train_desc_check(&d, &e));
    d.window = 2000;
    CHECK(!train_desc_check(&d, &e) && strstr(e.msg, "window 2000 (want an integer in 1..1000)"));
    d = train_desc_defaults(NULL);
    d.negative = -1;
    CHECK(!train_desc_check(&d, &e) && strstr(e.msg, "nothing would train"));
    d.hs = 1;
    CHECK(train_desc_check(&d, &e));
    d.model = (TrainModel)7;
    CHECK(!train_desc_check(&d, &e) && strstr(e.msg, "model"));
    d = train_desc_defaults(NULL);
    d.alpha = -0.5;
    CHECK(!train_desc_check(&d, &e) && strstr(e.msg, "alpha -0.5"));
    d = train_desc_defaults(NULL);
    d.dim = 10001;
    CHECK(!train_desc_check(&d, &e) && strstr(e.msg, "dim 10001 (want an integer in 1..10000)"));
}
