/* Argument parsing and JSON helpers shared by the command-line commands. Main thread. */
#include "app/cli/cli.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>

int cli_int(const char *flag, const char *s, long long lo, long long hi, long long *out)
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

int cli_double(const char *flag, const char *s, double lo, double hi, double *out)
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

/* Length of the well-formed UTF-8 sequence at p, or 0 when it is not one. */
static int utf8_len(const unsigned char *p)
{
    int n = p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : p[0] >= 0xE0 && p[0] < 0xF0 ? 3 : p[0] >= 0xC2 && p[0] < 0xE0 ? 2 : 0;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

void cli_json_string(FILE *f, const char *s)
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
                int n = utf8_len(p);
                if (n) {
                    fwrite(p, 1, (size_t)n, f);
                    p += n - 1;
                } else {
                    fputs("\\ufffd", f);
                }
            }
        }
    }
    fputc('"', f);
}
