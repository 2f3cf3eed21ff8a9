/* Analogy accuracy during training, on a budget: the explorer's analysis thread offers every
 * snapshot's index and this module evaluates the question set (the demo world's, or a
 * questions-words.txt file) only when the time since the last evaluation ended exceeds
 * (1 / budget - 1) times its duration, so on average it takes at most `budget` of one core
 * (5%: 19 x the last duration). One thread at a time (the analysis thread). */
#ifndef EMBEDSCOPE_LIVEEVAL_H
#define EMBEDSCOPE_LIVEEVAL_H
#include "model/base/err.h"
#include "model/vectors/knn.h"
#include "model/text/vocab.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Zero means default. */
typedef struct LiveEvalDesc {
    double budget;          /* fraction of one core, (0, 1]: 0.05 */
    int64_t restrict_vocab; /* rows searched, as gensim: EVAL_DEFAULT_ANALOGY_RESTRICT */
    int64_t max_questions;  /* larger sets are thinned to every k-th question of each section,
                               so evaluations are short and the curve gets points: 1000
                               (< 0: all) */
} LiveEvalDesc;

typedef struct LiveEval {
    LiveEvalDesc desc;      /* defaults filled in */
    char name[256];         /* of the question set, for messages */
    char *text;             /* questions-words.txt text (NUL-terminated), NULL: none */
    size_t len;
    double last_end_ms, last_ms; /* when the last evaluation ended (caller's clock), its length */
    bool ran;
    /* results of the last evaluation */
    double accuracy;        /* NaN before the first, or when nothing could be answered */
    int64_t answered, questions; /* of the questions kept */
    int64_t file_questions;  /* in the set before thinning */
    uint64_t runs;
    double total_ms;        /* time spent evaluating so far */
    char err[256];          /* last failure ("" when none); evaluations stop after one */
} LiveEval;

void liveeval_init(LiveEval *l, const LiveEvalDesc *d);
void liveeval_deinit(LiveEval *l);
/* The question set: a file, the built-in demo world's, or text (copied). Replace any earlier
 * set; on failure the old one stays. */
bool liveeval_load(LiveEval *l, const char *path, Err *e);
bool liveeval_load_world(LiveEval *l, Err *e);
bool liveeval_set_text(LiveEval *l, const char *text, size_t len, const char *name, Err *e);
/* Whether an evaluation would run at now_ms (monotonic milliseconds). */
bool liveeval_due(const LiveEval *l, double now_ms);
/* Evaluates ix (rows ordered by frequency, named by v) when due; returns true when it did and
 * updated the results. */
bool liveeval_step(LiveEval *l, const Vocab *v, const KnnIndex *ix, double now_ms);

#endif
