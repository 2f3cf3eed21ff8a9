/* Fields and floats of text vector files (see lex.h). The float reader is where a text load
 * spends most of its time, hence the fast path. Any thread; no state. */
#include "model/files/lex.h"
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool lex_trim(char *s, size_t *n)
{
    while (*n && lex_is_sep(s[*n - 1]))
        (*n)--;
    size_t i = 0;
    while (i < *n && lex_is_sep(s[i]))
        i++;
    return i < *n;
}

size_t lex_count_fields(const char *p, const char *end)
{
    size_t k = 0;
    while (p < end) {
        while (p < end && lex_is_sep(*p))
            p++;
        if (p == end)
            break;
        k++;
        while (p < end && !lex_is_sep(*p))
            p++;
    }
    return k;
}

/* Clinger's fast path when the significant digits fit in 2^53 and the power of ten is within
 * 10^22 (one correctly rounded double operation), as long as that double is not halfway
 * between two floats (then rounding it again could differ from rounding the exact value
 * once). Anything else goes to strtof_l, which alone is ~4x slower. */
char *lex_float(const char *p, float *out, locale_t loc)
{
    static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *s = p;
    bool neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    uint64_t m = 0;
    int sig = 0, scale = 0, ndig = 0;
    for (; (unsigned)(*s - '0') < 10; s++, ndig++) {
        m = m * 10 + (uint64_t)(*s - '0');
        sig += m != 0;
    }
    if (*s == '.')
        for (s++; (unsigned)(*s - '0') < 10; s++, ndig++, scale--) {
            m = m * 10 + (uint64_t)(*s - '0');
            sig += m != 0;
        }
    if (ndig == 0 || sig > 15)
        goto slow;
    if (*s == 'e' || *s == 'E') {
        const char *t = s + 1;
        bool eneg = *t == '-';
        if (*t == '-' || *t == '+')
            t++;
        int ex = 0, nd = 0;
        for (; (unsigned)(*t - '0') < 10 && nd < 6; t++, nd++)
            ex = ex * 10 + (*t - '0');
        if (nd == 0 || nd == 6)
            goto slow;
        scale += eneg ? -ex : ex;
        s = t;
    }
    if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != 0)
        goto slow;
    if (scale < -22 || scale > 22)
        goto slow;
    double d = scale < 0 ? (double)m / p10[-scale] : (double)m * p10[scale];
    if (d != 0 && (d < FLT_MIN || d > FLT_MAX))
        goto slow;
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    if ((bits & ((1ull << 29) - 1)) == 1ull << 28) /* a float midpoint: 53 - 24 bits dropped */
        goto slow;
    *out = (float)(neg ? -d : d);
    return (char *)s;
slow:;
    char *q;
    *out = strtof_l(p, &q, loc);
    return q;
}

LexStop lex_values(const char *p, const char *end, int dim, float *dst, locale_t loc, LexBad *bad)
{
    for (int k = 0; k < dim; k++) {
        while (p < end && lex_is_sep(*p))
            p++;
        bad->k = k;
        if (p == end)
            return LEX_MISSING;
        float x;
        char *q = lex_float(p, &x, loc);
        bool number = q != p && q <= end && (q == end || lex_is_sep(*q));
        if (!number || !isfinite(x)) {
            const char *t = p;
            while (t < end && !lex_is_sep(*t))
                t++;
            bad->tok = p;
            bad->tok_len = (size_t)(t - p);
            bad->x = x;
            return number ? LEX_NOT_FINITE : LEX_NOT_NUMBER;
        }
        dst[k] = x;
        p = q;
    }
    while (p < end && lex_is_sep(*p))
        p++;
    if (p == end)
        return LEX_OK;
    bad->found = (size_t)dim + lex_count_fields(p, end);
    return LEX_EXTRA;
}
