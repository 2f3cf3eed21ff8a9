/* Query expressions as users type them: `king - man + woman`, `cat`, `cat dog` (implicit +,
 * as word2vec's distance), `-cold`. Parsed into signed words, looked up in a Vocab and turned
 * into a query vector for knn. Pure functions; any thread. */
#ifndef EMBEDSCOPE_EXPR_H
#define EMBEDSCOPE_EXPR_H
#include "model/base/err.h"
#include "model/vectors/knn.h"
#include "model/text/vocab.h"
#include <stdbool.h>
#include <stdint.h>

#define EXPR_MAX_TERMS 32
#define EXPR_MAX_TEXT 4096 /* bytes of input accepted */

typedef struct ExprTerm {
    char word[VOCAB_MAX_WORD + 1];
    int sign;      /* +1 or -1 */
    int col;       /* 1-based column of the word, in characters (UTF-8 code points) */
    int start, len; /* byte offset and length of the word in the text (for highlighting) */
    int64_t index; /* vocabulary row, -1 until expr_resolve finds it */
} ExprTerm;

typedef struct Expr {
    ExprTerm terms[EXPR_MAX_TERMS];
    int nterms;
} Expr;

/* Operators are '+' or '-' standing alone or leading a word ("king -man"); a '-' inside a word
 * ("x-ray") belongs to the word. A word with no operator before it is added. Errors are
 * "col N: reason" (empty expression, an operator with no word after it, a word longer than
 * VOCAB_MAX_WORD bytes, more than EXPR_MAX_TERMS words, text longer than EXPR_MAX_TEXT). */
bool expr_parse(const char *text, Expr *x, Err *e);

/* Lower-cases n bytes of UTF-8 into dst (n bytes + NUL; lengths never change): ASCII, Latin-1
 * letters (U+00C0-U+00DE), Greek (U+0391-U+03AB) and Cyrillic (U+0400-U+042F) capitals; other
 * bytes are copied. Enough for the usual evaluation sets, not full Unicode case folding. */
void expr_lower(char *dst, const char *src, size_t n);

/* Looks every word up: exactly first, then lower-cased (expr_lower). Fails naming every unknown word
 * with its column ("unknown words: 'foo' (col 1), 'bar' (col 9)"); known words keep their
 * index, unknown ones stay -1, so a UI can mark them. */
bool expr_resolve(Expr *x, const Vocab *v, Err *e);

typedef struct ExprQuery {
    int64_t exclude[EXPR_MAX_TERMS]; /* distinct rows named in the expression */
    int nexclude;
    /* exactly `b - a + c`: the analogy a : b :: c : ?, for drawing the parallelogram */
    bool is_analogy;
    int64_t a, b, c;
} ExprQuery;

/* Sums the signed unit vectors of a resolved expression into q (ix->dim floats) and fills out.
 * Fails when the words cancel out (e.g. `cat - cat`). */
bool expr_build(const Expr *x, const KnnIndex *ix, float *q, ExprQuery *out, Err *e);

/* expr_parse + expr_resolve + expr_build. */
bool expr_compile(const char *text, const Vocab *v, const KnnIndex *ix, Expr *x, float *q,
                  ExprQuery *out, Err *e);

#endif
