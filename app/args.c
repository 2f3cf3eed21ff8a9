/* Argument parsing and JSON helpers shared by the command line and the window's options (see
 * args.h). Main thread. */
#include "app/args.h"
#include "model/text/vocab.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int args_int(const char *flag, const char *s, long long lo, long long hi, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || end == s || *end || errno || v < lo || v > hi) {
        fprintf(stderr, "embedscope: bad value for %s: '%s' (want an integer in %lld..%lld)\n",
                flag, s ? s : "", lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

int args_double(const char *flag, const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = s ? strtod(s, &end) : 0;
    if (!s || end == s || *end || errno || !isfinite(v) || v < lo || v > hi) {
        fprintf(stderr, "embedscope: bad value for %s: '%s' (want a number in %g..%g)\n", flag,
                s ? s : "", lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

void args_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        default:
            if (*p < 0x20) {
                fprintf(f, "\\u%04x", *p);
            } else if (*p < 0x80) {
                fputc(*p, f);
            } else {
                /* Invalid UTF-8 would make the whole document invalid JSON: replace it. */
                size_t n = vocab_utf8_len(p, strlen((const char *)p));
                if (n) {
                    fwrite(p, 1, n, f);
                    p += n - 1;
                } else {
                    fputs("\\ufffd", f);
                }
            }
        }
    }
    fputc('"', f);
}
