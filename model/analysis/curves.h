/* Training curves: a bounded history of samples (words seen, loss, words/s, learning rate,
 * analogy accuracy and the rank / cosine of each pinned analogy's expected answer). When full
 * it keeps every other sample, so a long run keeps its whole shape in fixed memory. Owned by
 * one thread (the explorer's UI thread). */
#ifndef EMBEDSCOPE_CURVES_H
#define EMBEDSCOPE_CURVES_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stdint.h>

#define CURVES_MAX_PINS 4
#define CURVES_DEFAULT_CAP 2048

typedef struct CurveSample {
    uint64_t words;     /* corpus words read when the vectors were copied */
    double elapsed;     /* seconds of training */
    double loss, wps, alpha;
    double accuracy;    /* analogy accuracy in [0, 1]; NaN when not evaluated at this sample */
    double pin_rank[CURVES_MAX_PINS]; /* 1 = the expected answer is the top answer; NaN: none */
    double pin_cos[CURVES_MAX_PINS];  /* cosine of the answer to b - a + c; NaN: none */
} CurveSample;

typedef enum CurveField {
    CURVE_LOSS, CURVE_WPS, CURVE_ALPHA, CURVE_ACCURACY,
    CURVE_PIN_RANK, /* + pin index */
    CURVE_PIN_COS = CURVE_PIN_RANK + CURVES_MAX_PINS,
    CURVE_FIELDS = CURVE_PIN_COS + CURVES_MAX_PINS,
} CurveField;

typedef struct Curves {
    CurveSample *s;     /* (cap) oldest first */
    int n, cap;
    uint64_t halvings;  /* times the history was thinned to every other sample */
} Curves;

/* cap <= 0: CURVES_DEFAULT_CAP (at least 4). */
bool curves_init(Curves *c, int cap, Err *e);
void curves_deinit(Curves *c);
void curves_clear(Curves *c);
/* Appends a sample; a sample with the same word count as the last one replaces it (keeping an
 * accuracy the last one had and this one lacks), so a paused run does not fill the history. */
void curves_push(Curves *c, const CurveSample *s);
static inline const CurveSample *curves_last(const Curves *c) { return c->n ? &c->s[c->n - 1] : 0; }
/* A field of a sample (NaN for an unknown field). */
double curves_get(const CurveSample *s, CurveField f);
/* Min and max of the finite values of f; false when there is none. */
bool curves_range(const Curves *c, CurveField f, double *lo, double *hi);
/* A blank sample: every optional field NaN. */
CurveSample curves_sample(void);

#endif
