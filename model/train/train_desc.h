/* The settings of a training run: TrainDesc, and TrainParam, the one table of its parameters
 * (name, command-line flag, window option, label, help, range, field) that the command line,
 * the window's options and settings panel and the bookmarks all read, so that names and ranges
 * agree by construction. Any thread: the table is constant and nothing here keeps state.
 *
 * Index: train_desc_defaults, train_desc_for_corpus, train_desc_check; train_param,
 * train_param_by_flag, train_param_by_alias, train_param_by_name, train_param_parse,
 * train_param_format, train_param_want, train_param_equal. */
#ifndef EMBEDSCOPE_TRAIN_DESC_H
#define EMBEDSCOPE_TRAIN_DESC_H
#include "model/base/err.h"
#include "model/text/corpus.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* window <= TRAIN_MAX_WINDOW because each thread's Work holds 2 * window context rows in a
 * fixed array; negative <= TRAIN_MAX_NEGATIVE because Work.targets is fixed at 1 + this. */
#define TRAIN_MAX_WINDOW 1000
#define TRAIN_MAX_NEGATIVE 1000
/* A sanity bound, far above any machine's cores: each thread costs a Work and a corpus shard. */
#define TRAIN_MAX_THREADS 1024

typedef enum { TRAIN_MODEL_DEFAULT = 0, TRAIN_CBOW = 1, TRAIN_SKIPGRAM = 2 } TrainModel;

/* Zero means "default" everywhere (train_desc_defaults fills them in). The defaults are
 * word2vec.c's, except threads (the machine's cores). */
typedef struct TrainDesc {
    TrainModel model;   /* CBOW */
    int dim;            /* 100 */
    int window;         /* 5 (max; each target draws its own in 1..window) */
    int negative;       /* 5; < 0: no negative sampling (then hs must be on) */
    int hs;             /* 0; 1: hierarchical softmax */
    double sample;      /* 1e-3; < 0: no subsampling */
    double alpha;       /* 0.05 CBOW, 0.025 skip-gram */
    int iter;           /* 5 epochs */
    int threads;        /* online CPUs */
    int min_count;      /* 5 */
    int64_t max_vocab;  /* 21M * 0.7 as word2vec.c (prunes while counting) */
    uint64_t seed;      /* 1 */
    int deterministic;  /* 1: one thread, bit-identical vectors for the same seed and corpus */
    int batch;          /* skip-gram with negative sampling: 1 = HogBatch (shared negatives per
                           window, the default), -1 = word2vec.c's per-pair updates */
} TrainDesc;

TrainDesc train_desc_defaults(const TrainDesc *d);
/* The defaults for a given corpus: built-in corpora have their own (the demo world trains
 * skip-gram, see world.h), then train_desc_defaults. */
TrainDesc train_desc_for_corpus(const Corpus *c, const TrainDesc *d);
/* True when every field is in its parameter's range (a zero field means "default" and passes)
 * and the combination can train; else e says which field and why, e.g. "window 2000 is
 * outside 1..1000". */
bool train_desc_check(const TrainDesc *d, Err *e);

/* The parameters, in the order --help lists them. */
typedef enum {
    TRAIN_P_DIM, TRAIN_P_WINDOW, TRAIN_P_SAMPLE, TRAIN_P_HS, TRAIN_P_NEGATIVE, TRAIN_P_THREADS,
    TRAIN_P_EPOCHS, TRAIN_P_MIN_COUNT, TRAIN_P_ALPHA, TRAIN_P_MODEL, TRAIN_P_MAX_VOCAB,
    TRAIN_P_SEED, TRAIN_P_DETERMINISTIC, TRAIN_P_BATCH, TRAIN_P_COUNT
} TrainParamId;

typedef enum {
    TRAIN_PARAM_INT,    /* int field; typed as a whole number */
    TRAIN_PARAM_INT64,  /* int64_t field */
    TRAIN_PARAM_UINT64, /* uint64_t field; the range is the type's (lo, hi are 0 and 2^64) */
    TRAIN_PARAM_DOUBLE, /* double field; a finite number */
    TRAIN_PARAM_MODEL,  /* TrainModel field; typed "cbow" or "1", "sg", "skipgram" or "0" */
    TRAIN_PARAM_FLAG,   /* int field; typed 0 or 1. Its window option takes no value: it means 1 */
} TrainParamKind;

typedef struct TrainParam {
    TrainParamId id;    /* its index in the table */
    const char *name;   /* bookmark key, settings panel and script name: "epochs" */
    const char *flag;   /* command line, word2vec.c's spelling: "-iter" */
    const char *alias;  /* the window's long option: "--epochs"; NULL when it has none */
    const char *label;  /* settings panel label: "epochs" */
    const char *help;   /* --help text after the flag, without the default */
    TrainParamKind kind;
    double lo, hi;      /* the values a person may type, "off" (0) included */
    size_t off;         /* offsetof(TrainDesc, field) */
    bool zero_is_off;   /* a typed 0 is stored as -1 (off), since 0 in a TrainDesc is "default":
                           negative, sample, batch */
} TrainParam;

/* The parameter id (0 <= id < TRAIN_P_COUNT). */
const TrainParam *train_param(TrainParamId id);
/* By command-line flag ("-iter"), window option ("--epochs") or name ("epochs"); NULL when none
 * has that spelling. */
const TrainParam *train_param_by_flag(const char *flag);
const TrainParam *train_param_by_alias(const char *option);
const TrainParam *train_param_by_name(const char *name);
/* Parses text (the whole string) into p's field of d. `as` is the spelling the person used, for
 * the message (NULL: p->flag): "bad value for -window: '0' (want an integer in 1..1000)". On
 * failure d is untouched. */
bool train_param_parse(const TrainParam *p, const char *as, const char *text, TrainDesc *d,
                       Err *e);
/* p's value in d as a person types it: off as "0", the model as "cbow" or "sg", numbers in the
 * shortest text that parses back to the same value. A zero ("default") field formats as "0"
 * too: format train_desc_defaults' result to show the values really in use. Returns buf. */
const char *train_param_format(const TrainParam *p, const TrainDesc *d, char *buf, size_t cap);
/* What p accepts, for messages and help: "an integer in 1..1000", "0 or 1". Returns buf. */
const char *train_param_want(const TrainParam *p, char *buf, size_t cap);
/* True when a and b hold the same value of p. */
bool train_param_equal(const TrainParam *p, const TrainDesc *a, const TrainDesc *b);

#endif
