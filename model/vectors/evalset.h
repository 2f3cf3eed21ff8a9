/* Standard intrinsic evaluations, following gensim's protocol so numbers are comparable:
 * word analogies (questions-words.txt, as KeyedVectors.evaluate_word_analogies) and word-pair
 * similarity (WordSim-353, SimLex-999, as evaluate_word_pairs). Any thread; the vocabulary and
 * index are only read. */
#ifndef EMBEDSCOPE_EVALSET_H
#define EMBEDSCOPE_EVALSET_H
#include "model/base/err.h"
#include "model/vectors/knn.h"
#include "model/text/vocab.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVAL_MAX_FILE (64 << 20) /* bytes: evaluation sets are a few hundred KB */
#define EVAL_MAX_LINE 4096       /* bytes per line */
#define EVAL_DEFAULT_ANALOGY_RESTRICT 30000   /* gensim's evaluate_word_analogies */
#define EVAL_DEFAULT_SIMILARITY_RESTRICT 300000 /* gensim's evaluate_word_pairs */

/* Called every few hundred questions with the fraction done; returning false cancels (the
 * evaluation then fails with "cancelled"). */
typedef bool (*EvalProgressFn)(void *ctx, double fraction);

typedef struct EvalScore {
    int64_t correct, answered;
} EvalScore;

typedef struct EvalSection {
    char name[128];     /* from the ": name" header, truncated */
    EvalScore score;
    int64_t skipped;    /* questions with a word outside the restricted vocabulary */
    bool syntactic;     /* name starts with "gram" */
} EvalSection;

typedef struct AnalogyReport {
    EvalSection *sections; /* (nsections), file order */
    int nsections;
    EvalScore semantic, syntactic, total;
    int64_t questions;  /* every question line in the file */
    int64_t skipped;    /* questions - total.answered */
    int64_t restrict_rows; /* vocabulary rows searched and used for lookup */
} AnalogyReport;

/* correct / answered, NaN when nothing was answered. */
double eval_accuracy(EvalScore s);
void analogy_report_deinit(AnalogyReport *r);

/* Analogy evaluation. Rows must be ordered by frequency (as vector files are). Words are
 * lower-cased (expr_lower) and looked up among the first restrict_vocab rows (<= 0: 30000) by a
 * case-insensitive map in which the most frequent spelling wins. A question with any word
 * outside it is skipped and counted; the rest are answered by 3CosAdd over the same rows,
 * excluding the three question words, and count as correct when the first prediction whose
 * lower-cased spelling is not a question word equals the expected word.
 * The file: ": section" headers, then four words per line; blank lines are ignored. Unlike
 * gensim, which logs and skips malformed lines, any other line is an error naming the file and
 * line ("q.txt:12: expected 4 words, found 3"), as is a question before the first header.
 * progress may be NULL. */
bool eval_analogies_text(const char *text, size_t len, const char *name, const Vocab *v,
                         const KnnIndex *ix, int64_t restrict_vocab, EvalProgressFn progress,
                         void *ctx, AnalogyReport *out, Err *e);
bool eval_analogies(const char *path, const Vocab *v, const KnnIndex *ix, int64_t restrict_vocab,
                    EvalProgressFn progress, void *ctx, AnalogyReport *out, Err *e);

typedef struct SimilarityReport {
    double spearman;   /* of model cosine vs gold score, ties ranked by their average; NaN if
                          fewer than 2 pairs were used or either side is constant */
    double pearson;    /* of the raw values, for reference; NaN likewise */
    int64_t pairs;     /* pair lines in the file */
    int64_t used;      /* both words known */
    int64_t skipped;   /* pairs - used */
    int64_t restrict_rows;
} SimilarityReport;

/* Similarity evaluation: lines `w1 w2 score` separated by tabs or spaces; lines starting with
 * '#' and blank lines are ignored; the first other line is taken as a header when its score is
 * not a number. Lookup as for analogies, among the first restrict_vocab rows (<= 0: 300000).
 * A malformed line is an error naming the file and line. */
bool eval_similarity_text(const char *text, size_t len, const char *name, const Vocab *v,
                          const KnnIndex *ix, int64_t restrict_vocab, SimilarityReport *out,
                          Err *e);
bool eval_similarity(const char *path, const Vocab *v, const KnnIndex *ix, int64_t restrict_vocab,
                     SimilarityReport *out, Err *e);

/* Spearman's rho of n paired values (average ranks for ties) and Pearson's r; NaN when n < 2 or
 * a side is constant. */
double eval_spearman(const double *x, const double *y, int64_t n);
double eval_pearson(const double *x, const double *y, int64_t n);

/* Reads a whole file of at most max bytes into a NUL-terminated heap buffer (free() it). */
bool eval_read_file(const char *path, size_t max, char **text, size_t *len, Err *e);

#endif
