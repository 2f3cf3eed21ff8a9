/* Query expressions: see expr.h. A hand-written scanner, since the grammar is one line:
 * expr := [op] word { [op] word }, op := '+' | '-'. */
#include "model/vectors/expr.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Columns count code points, so a UI caret lines up on non-ASCII words: every byte that is not
 * a UTF-8 continuation byte (10xxxxxx) starts a new column. */
static int is_lead(unsigned char c) { return (c & 0xC0) != 0x80; }

bool expr_parse(const char *text, Expr *x, Err *e)
{
    memset(x, 0, sizeof *x);
    if (!text)
        text = "";
    size_t n = strnlen(text, EXPR_MAX_TEXT + 1);
    if (n > EXPR_MAX_TEXT)
        return err_set(e, "col 1: expression longer than %d bytes", EXPR_MAX_TEXT);
    const unsigned char *s = (const unsigned char *)text;
    int col = 1;           /* column of s[i] */
    int op = 0; /* pending operator: '+' or '-' */
    size_t i = 0;
    while (i < n) {
        if (is_space(s[i])) {
            col++;
            i++;
            continue;
        }
        if ((s[i] == '+' || s[i] == '-') && !op) {
            op = s[i];
            col++;
            i++;
            continue;
        }
        if (s[i] == '+' || s[i] == '-')
            return err_set(e, "col %d: expected a word after '%c'", col, op);
        size_t start = i;
        int wcol = col;
        while (i < n && !is_space(s[i])) {
            if (is_lead(s[i]))
                col++;
            i++;
        }
        size_t len = i - start;
        if (len > VOCAB_MAX_WORD)
            return err_set(e, "col %d: word longer than %d bytes", wcol, VOCAB_MAX_WORD);
        if (x->nterms == EXPR_MAX_TERMS)
            return err_set(e, "col %d: more than %d words", wcol, EXPR_MAX_TERMS);
        ExprTerm *t = &x->terms[x->nterms++];
        memcpy(t->word, s + start, len);
        t->word[len] = 0;
        t->sign = op == '-' ? -1 : 1;
        t->col = wcol;
        t->start = (int)start;
        t->len = (int)len;
        t->index = -1;
        op = 0;
    }
    if (op)
        return err_set(e, "col %d: expected a word after '%c'", col, op);
    if (x->nterms == 0)
        return err_set(e, "col 1: empty expression");
    return true;
}

/* Capitals of two-byte UTF-8 letters map to their small letters by adding to the code point,
 * which keeps the encoded length: +0x20 (Latin-1, Greek, Cyrillic A-YA), +0x50 (Cyrillic
 * IE-DZHE). */
static unsigned lower_cp(unsigned cp)
{
    if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
        (cp >= 0x410 && cp <= 0x42F))
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    return cp;
}

void expr_lower(char *dst, const char *src, size_t n)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            dst[i] = (char)tolower(s[i]);
            i++;
        } else if ((s[i] & 0xE0) == 0xC0 && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
            /* every result of lower_cp stays in U+0080..U+07FF: still two bytes */
            unsigned cp = lower_cp(((s[i] & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu));
            dst[i] = (char)(0xC0 | (cp >> 6));
            dst[i + 1] = (char)(0x80 | (cp & 0x3F));
            i += 2;
        } else {
            dst[i] = (char)s[i];
            i++;
        }
    }
    dst[n] = 0;
}

static int64_t lookup(const Vocab *v, const char *w, size_t len)
{
    int64_t i = vocab_find(v, w, len);
    if (i >= 0)
        return i;
    char low[VOCAB_MAX_WORD + 1];
    expr_lower(low, w, len);
    return memcmp(low, w, len) ? vocab_find(v, low, len) : -1;
}

bool expr_resolve(Expr *x, const Vocab *v, Err *e)
{
    char msg[1024];
    size_t used = 0;
    int unknown = 0;
    const ExprTerm *first = NULL;
    msg[0] = 0;
    for (int t = 0; t < x->nterms; t++) {
        ExprTerm *term = &x->terms[t];
        term->index = lookup(v, term->word, (size_t)term->len);
        if (term->index >= 0)
            continue;
        if (unknown++ == 0)
            first = term;
        if (used < sizeof msg) {
            int w = snprintf(msg + used, sizeof msg - used, "%s'%s' (col %d)",
                             unknown > 1 ? ", " : "", term->word, term->col);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    if (unknown == 1)
        return err_set(e, "col %d: unknown word '%s'", first->col, first->word);
    if (unknown > 1)
        return err_set(e, "unknown words: %s", msg);
    return true;
}

bool expr_build(const Expr *x, const KnnIndex *ix, float *q, ExprQuery *out, Err *e)
{
    memset(out, 0, sizeof *out);
    memset(q, 0, (size_t)ix->dim * sizeof(float));
    for (int t = 0; t < x->nterms; t++) {
        int64_t r = x->terms[t].index;
        if (r < 0 || r >= ix->rows)
            return err_set(e, "col %d: word '%s' has no vector", x->terms[t].col,
                           x->terms[t].word);
        const float *u = knn_row(ix, r);
        for (int j = 0; j < ix->dim; j++)
            q[j] += (float)x->terms[t].sign * u[j];
        int seen = 0;
        for (int k = 0; k < out->nexclude; k++)
            seen |= out->exclude[k] == r;
        if (!seen)
            out->exclude[out->nexclude++] = r;
    }
    /* a sum of unit vectors whose norm is below 1e-3 is cancellation plus rounding noise, not a
     * direction worth searching (unit vectors are accurate to ~1e-7 per component) */
    double ss = 0;
    for (int j = 0; j < ix->dim; j++)
        ss += (double)q[j] * q[j];
    if (!(ss > 1e-6))
        return err_set(e, "the words cancel out (or have zero vectors): no direction to search");
    if (x->nterms == 3 && x->terms[0].sign > 0 && x->terms[1].sign < 0 && x->terms[2].sign > 0) {
        out->is_analogy = true;
        out->b = x->terms[0].index;
        out->a = x->terms[1].index;
        out->c = x->terms[2].index;
    }
    return true;
}

bool expr_compile(const char *text, const Vocab *v, const KnnIndex *ix, Expr *x, float *q,
                  ExprQuery *out, Err *e)
{
    return expr_parse(text, x, e) && expr_resolve(x, v, e) && expr_build(x, ix, q, out, e);
}
