/* The tokens every text vector format is made of: fields between ASCII whitespace and decimal
 * floats read in the C locale, exactly as strtof_l would read them. Any thread; no state. */
#ifndef EMBEDSCOPE_LEX_H
#define EMBEDSCOPE_LEX_H
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

/* ASCII whitespace (space, \t \n \v \f \r): a word never contains it (the saver refuses it,
 * the binary loader too), so a text row splits the same way whoever wrote it. */
static inline bool lex_is_sep(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Drops trailing whitespace (fastText's last space, a CRLF's '\r'); true if anything but
 * whitespace is left. */
bool lex_trim(char *s, size_t *n);
/* Fields between separators in [p, end). */
size_t lex_count_fields(const char *p, const char *end);
/* A decimal (or anything strtof_l reads) at p into *out; returns the end of the number, p
 * when there is none. loc is a "C" locale. */
char *lex_float(const char *p, float *out, locale_t loc);

/* What stopped lex_values. */
typedef enum { LEX_OK = 0, LEX_MISSING, LEX_NOT_NUMBER, LEX_NOT_FINITE, LEX_EXTRA } LexStop;
typedef struct LexBad {
    int k;              /* MISSING, NOT_NUMBER, NOT_FINITE: the value (0-based) */
    const char *tok;    /* NOT_NUMBER, NOT_FINITE: the field, tok_len bytes */
    size_t tok_len;
    float x;            /* NOT_FINITE: what it read as */
    size_t found;       /* EXTRA: the values on the row */
} LexBad;
/* Exactly dim finite values between separators in [p, end) into dst; otherwise what is wrong
 * in *bad. The inner loop of every text row (word2vec, GloVe, projector). */
LexStop lex_values(const char *p, const char *end, int dim, float *dst, locale_t loc, LexBad *bad);

#endif
