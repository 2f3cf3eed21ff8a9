/* The state every format reader shares (see vecload.h): messages that name the place, and
 * the row matrix and vocabulary a load fills before vecfile hands them over. One thread per
 * VecLoad. */
#include "model/files/vecload.h"
#include "model/files/lex.h"
#include "model/vectors/embed.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vecload_init(VecLoad *L, const char *name, int64_t max_words, Err *e)
{
    memset(L, 0, sizeof *L);
    size_t n = strlen(name);
    if (n <= VECLOAD_NAME_SHOWN)
        snprintf(L->name, sizeof L->name, "%s", name);
    else
        snprintf(L->name, sizeof L->name, "...%s", name + n - (VECLOAD_NAME_SHOWN - 3));
    L->e = e;
    L->max_words = max_words > 0 ? max_words : 0;
    L->header_rows = -1;
    vocab_init(&L->voc);
}

static bool failv(VecLoad *L, const char *where, const char *fmt, va_list ap)
{
    char why[sizeof L->e->msg];
    vsnprintf(why, sizeof why, fmt, ap);
    return err_set(L->e, "%s%s: %s", L->name, where, why);
}

bool vecload_fail(VecLoad *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    failv(L, "", fmt, ap);
    va_end(ap);
    return false;
}

bool vecload_fail_line(VecLoad *L, int64_t line, const char *fmt, ...)
{
    char where[40];
    snprintf(where, sizeof where, ":line %lld", (long long)line);
    va_list ap;
    va_start(ap, fmt);
    failv(L, where, fmt, ap);
    va_end(ap);
    return false;
}

bool vecload_fail_byte(VecLoad *L, uint64_t off, const char *fmt, ...)
{
    char where[40];
    snprintf(where, sizeof where, ": byte %llu%s", (unsigned long long)off,
             L->r.compressed ? " (uncompressed)" : "");
    va_list ap;
    va_start(ap, fmt);
    failv(L, where, fmt, ap);
    va_end(ap);
    return false;
}

const char *vecload_shown(char out[200], const char *w, size_t n)
{
    const unsigned char *s = (const unsigned char *)w;
    size_t o = 0, i = 0;
    while (i < n && o < 40) {
        size_t k = s[i] >= 0x20 && s[i] != 0x7F ? vocab_utf8_len(s + i, n - i) : 0;
        if (k == 0) {
            o += (size_t)snprintf(out + o, 8, "\\x%02X", s[i]);
            i++;
        } else {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
    }
    if (i < n) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = 0;
    return out;
}

/* " after 'word'" or " of 'word'" for a message, "" without a word. */
static const char *who(char out[216], const char *rel, const char *w, size_t wl)
{
    char sw[200];
    out[0] = 0;
    if (w)
        snprintf(out, 216, " %s '%s'", rel, vecload_shown(sw, w, wl));
    return out;
}

bool vecload_values(VecLoad *L, const char *p, const char *end, float *dst, const char *w, size_t wl)
{
    LexBad bad;
    char ww[216], st[200];
    LexStop stop = lex_values(p, end, L->dim, dst, L->loc, &bad);
    int col = bad.k + 1 + (w != NULL); /* fields on the line, 1-based; the word is column 1 */
    switch (stop) {
    case LEX_OK:
        return true;
    case LEX_MISSING:
        return vecload_fail_line(L, L->line, "expected %d values%s, found %d", L->dim, who(ww, "after", w, wl), bad.k);
    case LEX_NOT_NUMBER:
        vecload_shown(st, bad.tok, bad.tok_len);
        return vecload_fail_line(L, L->line, "column %d: '%s' is not a finite number (value %d%s is not a number: '%s')",
                                 col, st, bad.k + 1, who(ww, "of", w, wl), st);
    case LEX_NOT_FINITE:
        return vecload_fail_line(L, L->line, "column %d: '%s' is not a finite number (value %d%s is %s)", col,
                                 vecload_shown(st, bad.tok, bad.tok_len), bad.k + 1, who(ww, "of", w, wl),
                                 isnan(bad.x) ? "NaN" : "infinite or beyond float range");
    case LEX_EXTRA:
        break;
    }
    return vecload_fail_line(L, L->line, "expected %d values%s, found %zu", L->dim, who(ww, "after", w, wl), bad.found);
}

int vecload_next_line(VecLoad *L, char **s, size_t *n)
{
    for (;;) {
        int rc = readbuf_line(&L->r, s, n);
        if (rc == READBUF_LINE) {
            L->line++;
            if (lex_trim(*s, n))
                return rc;
            continue;
        }
        if (rc == READBUF_TOO_LONG)
            vecload_fail_line(L, L->line + 1, "line longer than %d bytes (not a vector file?)", READBUF_MAX_LINE);
        else if (rc == READBUF_IOERR)
            vecload_fail_line(L, L->line + 1, "read error: %s", L->r.why);
        return rc;
    }
}

bool vecload_set_dim(VecLoad *L, long long dim)
{
    if (dim <= 0 || dim > EMB_MAX_DIM)
        return vecload_fail_line(L, L->line, "dimension %lld is outside 1..%d", dim, EMB_MAX_DIM);
    L->dim = (int)dim;
    L->stride = emb_stride(L->dim);
    return true;
}

int64_t vecload_row_bound(const VecLoad *L, uint64_t min_row_bytes)
{
    int64_t b = INT64_MAX;
    if (L->header_rows >= 0)
        b = L->header_rows;
    if (L->max_words > 0 && L->max_words < b)
        b = L->max_words;
    if (L->r.size_known) {
        uint64_t at = readbuf_offset(&L->r), left = L->r.size > at ? L->r.size - at : 0;
        uint64_t fit = (uint64_t)L->rows + left / min_row_bytes + 1;
        if (fit < (uint64_t)b)
            b = (int64_t)fit;
    }
    return b;
}

static bool resize_rows(VecLoad *L, int64_t cap)
{
    if ((uint64_t)cap > SIZE_MAX / sizeof(float) / (size_t)L->stride)
        return vecload_fail(L, "%lld vectors of %d values do not fit in memory", (long long)cap, L->dim);
    float *v = emb_aligned_alloc((size_t)cap * (size_t)L->stride * sizeof(float));
    if (!v)
        return vecload_fail(L, "out of memory for %lld vectors of %d values", (long long)cap, L->dim);
    if (L->rows)
        memcpy(v, L->vec, (size_t)L->rows * (size_t)L->stride * sizeof(float));
    free(L->vec);
    L->vec = v;
    L->cap = cap;
    return true;
}

bool vecload_first_rows(VecLoad *L, int64_t bound)
{
    int64_t most = (int64_t)((16u << 20) / ((size_t)L->stride * sizeof(float))) + 1;
    if (!L->r.size_known && bound > most)
        bound = most;
    return resize_rows(L, bound);
}

bool vecload_first_rows_like(VecLoad *L, size_t n, uint64_t min_row_bytes)
{
    int64_t cap = INT64_MAX;
    if (L->r.size_known) /* rows of about this line's length fill the file, with some slack */
        cap = (int64_t)(L->r.size / (n + 1)) + (int64_t)(L->r.size / (n + 1)) / 8 + 16;
    int64_t bound = vecload_row_bound(L, min_row_bytes); /* counts this first row too */
    return vecload_first_rows(L, cap < bound ? cap : bound);
}

bool vecload_reserve_row(VecLoad *L, uint64_t min_row_bytes)
{
    if (L->rows < L->cap)
        return true;
    int64_t want = L->cap + L->cap / 2 + 1024;
    int64_t bound = vecload_row_bound(L, min_row_bytes);
    if (bound < L->rows + 1)
        bound = L->rows + 1;
    return resize_rows(L, want < bound ? want : bound);
}

/* Backs off to a UTF-8 boundary as the corpus tokenizer does, so a lookup of the corpus's
 * token finds the row. */
size_t vecload_cut_word(VecLoad *L, const char *w, size_t n)
{
    if (n <= VOCAB_MAX_WORD)
        return n;
    size_t k = VOCAB_MAX_WORD;
    for (int back = 0; back < 3 && k > 1 && ((unsigned char)w[k] & 0xC0) == 0x80; back++)
        k--;
    L->info.truncated++;
    return k;
}

bool vecload_keep_row(VecLoad *L, const char *w, size_t n)
{
    int64_t before = L->voc.size;
    Err ve = {{0}};
    int64_t i = vocab_add(&L->voc, w, n, 1, &ve);
    if (i < 0)
        return vecload_fail(L, "out of memory for the vocabulary (%s)", ve.msg);
    L->info.rows_read++;
    if (i >= before) {
        L->rows++;
        return true;
    }
    if (L->info.duplicates++ == 0) { /* the first repeat names the rule's example */
        char sw[200];
        L->info.dup_first_row = L->info.rows_read;
        snprintf(L->info.dup_first_word, sizeof L->info.dup_first_word, "%s", vecload_shown(sw, w, n));
    }
    return true;
}
