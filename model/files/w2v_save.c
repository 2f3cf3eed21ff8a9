/* word2vec text and binary writing (see w2v_save.h). Values are written with nine significant
 * digits by our own formatter, so text reads back to the very same floats. Any thread. */
#include "model/files/w2v_save.h"
#include "model/base/atomicfile.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool save_check(const char *path, const Embeddings *emb, Err *e)
{
    if (emb->dim <= 0 || emb->dim > EMB_MAX_DIM || emb->rows <= 0 || emb->rows != emb->vocab.size ||
        !emb->vec || emb->stride < emb->dim)
        return err_set(e, "%s: nothing to save (table of %lld x %d, vocabulary of %lld)", path,
                       (long long)emb->rows, emb->dim, (long long)emb->vocab.size);
    for (int64_t i = 0; i < emb->rows; i++) {
        const char *w = vocab_word(&emb->vocab, i);
        if (!w[0] || strpbrk(w, " \t\n\v\f\r"))
            return err_set(e, "%s: cannot save word %lld ('%.40s'): empty or contains whitespace",
                           path, (long long)i, w);
    }
    return true;
}

/* x * 10^k for k in about -70..70: a few double roundings, ~1e-15 relative, far below what the
 * nine digits below need. */
static double scale10(double x, int k)
{
    static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    for (; k > 22; k -= 22)
        x *= 1e22;
    for (; k < -22; k += 22)
        x /= 1e22;
    return k < 0 ? x / p10[-k] : x * p10[k];
}

/* A float as text that reads back to the same float, trailing zeros dropped, in %g's layout.
 * Nine significant digits always suffice for float32: their spacing is at most 1e-8 relative,
 * under the 2^-24 half-ulp of a float even when the last digit is off by one, which is the
 * most the double arithmetic here can cost. (snprintf("%.9g") gives the same guarantee at
 * about four times the cost, and saving 400k x 300 values spent most of its time there.) */
static size_t fmt_float(char *out, float xf)
{
    char *o = out;
    double x = xf;
    if (signbit(x)) {
        *o++ = '-';
        x = -x;
    }
    if (x == 0) {
        *o++ = '0';
        return (size_t)(o - out);
    }
    int e10 = (int)floor(log10(x));
    uint64_t n = 0;
    for (int tries = 0; tries < 4; tries++) { /* log10 can be off by one near powers of ten */
        n = (uint64_t)(scale10(x, 8 - e10) + 0.5);
        if (n >= 1000000000u)
            e10++;
        else if (n < 100000000u)
            e10--;
        else
            break;
    }
    char dig[9];
    int nd = 9;
    for (int i = 8; i >= 0; i--, n /= 10)
        dig[i] = (char)('0' + n % 10);
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    if (e10 < -4 || e10 >= 9) {
        *o++ = dig[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, dig + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        o += sprintf(o, "e%c%02d", e10 < 0 ? '-' : '+', e10 < 0 ? -e10 : e10);
    } else if (e10 < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = -1; i > e10; i--)
            *o++ = '0';
        memcpy(o, dig, (size_t)nd);
        o += nd;
    } else {
        for (int i = 0; i <= e10 || i < nd; i++) {
            if (i == e10 + 1)
                *o++ = '.';
            *o++ = i < nd ? dig[i] : '0';
        }
    }
    return (size_t)(o - out);
}

/* One row into line (text: " v1 v2 ...\n"; binary: little-endian floats and '\n'). */
static size_t save_row(char *line, const float *x, int dim, bool binary)
{
    size_t o = 0;
    for (int k = 0; k < dim; k++) {
        if (binary) {
            uint32_t u;
            memcpy(&u, &x[k], sizeof u);
            line[o++] = (char)(u & 0xFF);
            line[o++] = (char)(u >> 8 & 0xFF);
            line[o++] = (char)(u >> 16 & 0xFF);
            line[o++] = (char)(u >> 24 & 0xFF);
        } else {
            line[o++] = ' ';
            o += fmt_float(line + o, x[k]);
        }
    }
    line[o++] = '\n';
    return o;
}

bool w2v_save_file(const char *path, const Embeddings *emb, bool binary, Err *e)
{
    if (!save_check(path, emb, e))
        return false;
    char *line = malloc((size_t)emb->dim * 24 + 2);
    AtomicFile a;
    if (!line)
        return err_set(e, "%s: out of memory", path);
    if (!af_open(&a, path, e)) {
        free(line);
        return false;
    }
    setvbuf(a.f, NULL, _IOFBF, 1 << 20);
    bool ok = true;
    fprintf(a.f, "%lld %d\n", (long long)emb->rows, emb->dim);
    for (int64_t i = 0; i < emb->rows && ok && !ferror(a.f); i++) {
        const float *x = emb_row(emb, i);
        for (int k = 0; k < emb->dim && ok; k++)
            if (!isfinite(x[k]))
                ok = err_set(e, "%s: cannot save row %lld ('%.40s'): value %d is not finite", path,
                             (long long)i, vocab_word(&emb->vocab, i), k + 1);
        if (!ok)
            break;
        fputs(vocab_word(&emb->vocab, i), a.f);
        if (binary)
            fputc(' ', a.f);
        fwrite(line, 1, save_row(line, x, emb->dim, binary), a.f);
    }
    free(line);
    if (!ok) {
        af_abort(&a);
        return false;
    }
    return af_commit(&a, e);
}
