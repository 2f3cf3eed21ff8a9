/* Training settings: see train_desc.h. The table below is the only place a parameter's
 * spellings and range are written; every front end finds, parses and shows values through it.
 * Any thread. */
#include "model/train/train_desc.h"
#include "model/text/world.h"
#include "model/vectors/embed.h"
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The widest the command line and bookmarks accepted before the table existed, so no saved
 * bookmark stops loading; the trainer itself needs only >= 1. */
#define MAX_EPOCHS 100000
#define MAX_MIN_COUNT 1000000000
#define MAX_ALPHA 10.0                /* far above any rate that converges */
#define MAX_MAX_VOCAB (1LL << 40)     /* a vocabulary's counts fit in memory long before */
#define UINT64_RANGE 18446744073709551616.0 /* 2^64: the range of a uint64_t field */

#define F(field) offsetof(TrainDesc, field)
static const TrainParam params[TRAIN_P_COUNT] = {
    {TRAIN_P_DIM, "dim", "-size", "--dim", "dimension", "dimensions of the word vectors",
     TRAIN_PARAM_INT, 1, EMB_MAX_DIM, F(dim), false},
    {TRAIN_P_WINDOW, "window", "-window", NULL, "window",
     "max context window (each word draws its own in 1..N)", TRAIN_PARAM_INT, 1,
     TRAIN_MAX_WINDOW, F(window), false},
    {TRAIN_P_SAMPLE, "sample", "-sample", NULL, "subsampling",
     "subsampling threshold, 0 = off", TRAIN_PARAM_DOUBLE, 0, 1, F(sample), true},
    {TRAIN_P_HS, "hs", "-hs", NULL, "hierarchical softmax", "hierarchical softmax",
     TRAIN_PARAM_FLAG, 0, 1, F(hs), false},
    {TRAIN_P_NEGATIVE, "negative", "-negative", NULL, "negative samples",
     "negative samples, 0 = off (then -hs 1)", TRAIN_PARAM_INT, 0, TRAIN_MAX_NEGATIVE,
     F(negative), true},
    {TRAIN_P_THREADS, "threads", "-threads", "--threads", "threads",
     "training threads (default: this machine's cores)", TRAIN_PARAM_INT, 1,
     TRAIN_MAX_THREADS, F(threads), false},
    {TRAIN_P_EPOCHS, "epochs", "-iter", "--epochs", "epochs", "epochs (passes over the corpus)",
     TRAIN_PARAM_INT, 1, MAX_EPOCHS, F(iter), false},
    {TRAIN_P_MIN_COUNT, "min_count", "-min-count", "--min-count", "min-count",
     "drop words seen fewer times", TRAIN_PARAM_INT, 1, MAX_MIN_COUNT, F(min_count), false},
    {TRAIN_P_ALPHA, "alpha", "-alpha", NULL, "learning rate",
     "starting learning rate (default 0.025 for skip-gram)", TRAIN_PARAM_DOUBLE, 0, MAX_ALPHA,
     F(alpha), false},
    {TRAIN_P_MODEL, "model", "-cbow", "--model", "model",
     "1 = CBOW, 0 = skip-gram (or cbow, sg; @world trains sg)", TRAIN_PARAM_MODEL, 0, 1,
     F(model), false},
    {TRAIN_P_MAX_VOCAB, "max_vocab", "-max-vocab", NULL, "max vocabulary",
     "prune while counting above N words", TRAIN_PARAM_INT64, 1, (double)MAX_MAX_VOCAB,
     F(max_vocab), false},
    {TRAIN_P_SEED, "seed", "-seed", "--seed", "seed", "random seed (0 = 1)", TRAIN_PARAM_UINT64,
     0, UINT64_RANGE, F(seed), false},
    {TRAIN_P_DETERMINISTIC, "deterministic", "-deterministic", "--deterministic",
     "deterministic", "1 = one thread, bit-identical output for the same seed",
     TRAIN_PARAM_FLAG, 0, 1, F(deterministic), false},
    {TRAIN_P_BATCH, "batch", "-batch", NULL, "HogBatch",
     "skip-gram: 1 = shared negatives per window (HogBatch), 0 = per pair", TRAIN_PARAM_FLAG,
     0, 1, F(batch), true},
};
#undef F

TrainDesc train_desc_defaults(const TrainDesc *in)
{
    TrainDesc d = in ? *in : (TrainDesc){0};
    if (!d.model)
        d.model = TRAIN_CBOW;
    if (!d.dim)
        d.dim = 100;
    if (!d.window)
        d.window = 5;
    if (!d.negative)
        d.negative = 5;
    if (!d.sample)
        d.sample = 1e-3;
    if (!d.alpha)
        d.alpha = d.model == TRAIN_CBOW ? 0.05 : 0.025;
    if (!d.iter)
        d.iter = 5;
    if (!d.threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        d.threads = n > 0 ? (int)(n > 64 ? 64 : n) : 1;
    }
    if (!d.min_count)
        d.min_count = 5;
    if (!d.max_vocab)
        d.max_vocab = 21000000LL * 7 / 10;
    if (!d.seed)
        d.seed = 1;
    if (!d.batch)
        d.batch = 1;
    if (d.deterministic)
        d.threads = 1;
    return d;
}

TrainDesc train_desc_for_corpus(const Corpus *c, const TrainDesc *in)
{
    TrainDesc d = in ? *in : (TrainDesc){0};
    if (c && c->builtin) {
        if (!d.model)
            d.model = WORLD_DEFAULT_SKIPGRAM ? TRAIN_SKIPGRAM : TRAIN_CBOW;
        if (!d.dim)
            d.dim = WORLD_DEFAULT_DIM;
        if (!d.window)
            d.window = WORLD_DEFAULT_WINDOW;
        if (!d.negative)
            d.negative = WORLD_DEFAULT_NEGATIVE;
        if (!d.sample)
            d.sample = WORLD_DEFAULT_SAMPLE;
        if (!d.alpha)
            d.alpha = WORLD_DEFAULT_ALPHA;
        if (!d.iter)
            d.iter = WORLD_DEFAULT_ITER;
        if (!d.min_count)
            d.min_count = WORLD_DEFAULT_MIN_COUNT;
    }
    return train_desc_defaults(&d);
}

const TrainParam *train_param(TrainParamId id)
{
    return id < TRAIN_P_COUNT ? &params[id] : NULL;
}

/* The parameter whose spelling at byte offset `at` of TrainParam is s. */
static const TrainParam *find(size_t at, const char *s)
{
    for (int i = 0; s && i < TRAIN_P_COUNT; i++) {
        const char *name = *(const char *const *)((const char *)&params[i] + at);
        if (name && !strcmp(name, s))
            return &params[i];
    }
    return NULL;
}

const TrainParam *train_param_by_flag(const char *flag)
{
    return find(offsetof(TrainParam, flag), flag);
}

const TrainParam *train_param_by_alias(const char *option)
{
    return find(offsetof(TrainParam, alias), option);
}

const TrainParam *train_param_by_name(const char *name)
{
    return find(offsetof(TrainParam, name), name);
}

const char *train_param_want(const TrainParam *p, char *buf, size_t cap)
{
    switch (p->kind) {
    case TRAIN_PARAM_FLAG: snprintf(buf, cap, "0 or 1"); break;
    case TRAIN_PARAM_MODEL: snprintf(buf, cap, "cbow or sg (1 or 0)"); break;
    case TRAIN_PARAM_DOUBLE: snprintf(buf, cap, "a number in %g..%g", p->lo, p->hi); break;
    case TRAIN_PARAM_UINT64: snprintf(buf, cap, "an integer in 0..%llu", (unsigned long long)UINT64_MAX); break;
    default: snprintf(buf, cap, "an integer in %.0f..%.0f", p->lo, p->hi); break;
    }
    return buf;
}

/* A field of d as a double (a uint64_t rounds: only for range checks of other kinds). */
static double get(const TrainParam *p, const TrainDesc *d)
{
    const char *f = (const char *)d + p->off;
    switch (p->kind) {
    case TRAIN_PARAM_INT64: return (double)*(const int64_t *)f;
    case TRAIN_PARAM_UINT64: return (double)*(const uint64_t *)f;
    case TRAIN_PARAM_DOUBLE: return *(const double *)f;
    case TRAIN_PARAM_MODEL: return (double)*(const TrainModel *)f;
    default: return (double)*(const int *)f;
    }
}

/* Numbers are C-locale text whatever the process locale, as in bookmarks: created once, kept
 * for the life of the process. NULL (then the process locale) only if newlocale fails. */
static locale_t c_loc;
static pthread_once_t c_once = PTHREAD_ONCE_INIT;
static void make_c_locale(void) { c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static double c_strtod(const char *s, char **end)
{
    pthread_once(&c_once, make_c_locale);
    return c_loc ? strtod_l(s, end, c_loc) : strtod(s, end);
}

/* Stores a typed, range-checked value v (whole for the integer kinds) into d. */
static void put(const TrainParam *p, TrainDesc *d, double v)
{
    char *f = (char *)d + p->off;
    if (p->zero_is_off && v == 0)
        v = -1;
    switch (p->kind) {
    case TRAIN_PARAM_INT64: *(int64_t *)f = (int64_t)v; break;
    case TRAIN_PARAM_DOUBLE: *(double *)f = v; break;
    case TRAIN_PARAM_MODEL: *(TrainModel *)f = v > 0 ? TRAIN_CBOW : TRAIN_SKIPGRAM; break;
    default: *(int *)f = (int)v; break;
    }
}

/* The typed number in s, or NAN when s is not one (whole, for every kind but DOUBLE). */
static double number(const TrainParam *p, const char *s)
{
    char *end = NULL;
    errno = 0;
    if (p->kind == TRAIN_PARAM_DOUBLE) {
        double v = c_strtod(s, &end);
        return end == s || *end || errno || !isfinite(v) ? NAN : v;
    }
    if (p->kind == TRAIN_PARAM_MODEL) {
        if (!strcmp(s, "cbow") || !strcmp(s, "1"))
            return 1;
        return !strcmp(s, "sg") || !strcmp(s, "skipgram") || !strcmp(s, "0") ? 0 : NAN;
    }
    long long v = strtoll(s, &end, 10);
    return end == s || *end || errno ? NAN : (double)v;
}

bool train_param_parse(const TrainParam *p, const char *as, const char *text, TrainDesc *d,
                       Err *e)
{
    const char *s = text ? text : "";
    bool ok;
    if (p->kind == TRAIN_PARAM_UINT64) {
        char *end = NULL;
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        ok = end != s && !*end && !errno && *s >= '0' && *s <= '9';
        if (ok)
            *(uint64_t *)((char *)d + p->off) = (uint64_t)v;
    } else {
        double v = number(p, s);
        ok = v >= p->lo && v <= p->hi; /* false for NAN */
        if (ok)
            put(p, d, v);
    }
    if (!ok) {
        char want[64];
        err_set(e, "bad value for %s: '%.60s' (want %s)", as ? as : p->flag, s,
                train_param_want(p, want, sizeof want));
    }
    return ok;
}

/* The shortest %g text that reads back as v (17 digits always do). */
static void format_double(double v, char *buf, size_t cap)
{
    pthread_once(&c_once, make_c_locale);
    locale_t old = c_loc ? uselocale(c_loc) : (locale_t)0; /* per thread */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (c_strtod(buf, NULL) == v)
            break;
    }
    if (c_loc)
        uselocale(old);
}

const char *train_param_format(const TrainParam *p, const TrainDesc *d, char *buf, size_t cap)
{
    const char *f = (const char *)d + p->off;
    double v = get(p, d);
    if (p->zero_is_off && v < 0)
        v = 0;
    switch (p->kind) {
    case TRAIN_PARAM_UINT64: snprintf(buf, cap, "%llu", (unsigned long long)*(const uint64_t *)f); break;
    case TRAIN_PARAM_INT64: snprintf(buf, cap, "%lld", (long long)*(const int64_t *)f); break;
    case TRAIN_PARAM_DOUBLE: format_double(v, buf, cap); break;
    case TRAIN_PARAM_MODEL:
        snprintf(buf, cap, "%s", d->model == TRAIN_CBOW ? "cbow" : d->model ? "sg" : "default");
        break;
    default: snprintf(buf, cap, "%.0f", v); break;
    }
    return buf;
}

bool train_param_equal(const TrainParam *p, const TrainDesc *a, const TrainDesc *b)
{
    if (p->kind == TRAIN_PARAM_UINT64)
        return *(const uint64_t *)((const char *)a + p->off) ==
               *(const uint64_t *)((const char *)b + p->off);
    return get(p, a) == get(p, b);
}

bool train_desc_check(const TrainDesc *d, Err *e)
{
    char want[64], have[64];
    for (int i = 0; i < TRAIN_P_COUNT; i++) {
        const TrainParam *p = &params[i];
        double v = get(p, d);
        if (p->kind == TRAIN_PARAM_UINT64 || v == 0 || (p->zero_is_off && v < 0))
            continue; /* 0 is "default"; < 0 is "off" */
        bool whole = p->kind == TRAIN_PARAM_DOUBLE || v == floor(v);
        if (p->kind == TRAIN_PARAM_MODEL ? v != TRAIN_CBOW && v != TRAIN_SKIPGRAM
                                         : !whole || v < p->lo || v > p->hi)
            return err_set(e, "bad training setting: %s %s (want %s)", p->name,
                           p->kind == TRAIN_PARAM_MODEL ? "out of range"
                                                        : train_param_format(p, d, have, sizeof have),
                           train_param_want(p, want, sizeof want));
    }
    if (d->negative < 0 && !d->hs)
        return err_set(e, "bad training settings: negative 0 (off) needs hs 1, as nothing would "
                          "train otherwise");
    return true;
}
