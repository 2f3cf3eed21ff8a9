/* File sniffing (the rules are in sniff.h, in one place). Pure functions over bytes already
 * read, except sniff_path, which reads the start of a file. Any thread; no state. */
#include "model/files/sniff.h"
#include "model/files/lex.h"
#include "model/text/vocab.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- corpus or vectors ---- */

static bool is_number(const char *s, size_t n, bool integer)
{
    char buf[64];
    if (!n || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *end;
    errno = 0;
    if (integer)
        (void)strtoll(buf, &end, 10);
    else
        (void)strtod(buf, &end);
    return !errno && end == buf + n;
}

/* Up to 64 fields of the line [s, s+len), split on space, tab, '\r' and NUL; their count. */
static int split_fields(const char *s, size_t len, const char *tok[64], size_t tlen[64])
{
    int nt = 0;
    /* strchr also finds the NUL at the end of " \t\r": a NUL byte separates fields too */
    for (size_t i = 0; i < len && nt < 64;) {
        while (i < len && strchr(" \t\r", s[i]))
            i++;
        if (i >= len)
            break;
        size_t j = i;
        while (j < len && !strchr(" \t\r", s[j]))
            j++;
        tok[nt] = s + i;
        tlen[nt++] = j - i;
        i = j;
    }
    return nt;
}

/* Fields after the first that are not numbers, of the nt fields of a line. */
static int non_numbers(int nt, const char *tok[64], const size_t tlen[64])
{
    int bad = 0;
    for (int i = 1; i < nt; i++)
        bad += !is_number(tok[i], tlen[i], false);
    return bad;
}

SniffKind sniff_path(const char *path)
{
    if (path[0] == '@')
        return SNIFF_CORPUS;
    gzFile f = gzopen(path, "rb"); /* reads plain files as they are */
    if (!f)
        return SNIFF_CORPUS; /* the corpus reader will name the error */
    char buf[4096];
    int n = gzread(f, buf, sizeof buf - 1);
    gzclose(f);
    if (n <= 0)
        return SNIFF_CORPUS;
    buf[n] = 0;
    /* a UTF-8 byte order mark: skipped, as the vector loader skips it */
    char *s = n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? buf + 3 : buf;
    size_t len = strcspn(s, "\n");
    const char *tok[64];
    size_t tlen[64];
    int nt = split_fields(s, len, tok, tlen);
    if (nt == 2 && is_number(tok[0], tlen[0], true) && is_number(tok[1], tlen[1], true))
        return SNIFF_VECTORS;
    if (nt < 3)
        return SNIFF_CORPUS;
    int bad = non_numbers(nt, tok, tlen);
    if (bad == 0)
        return SNIFF_VECTORS;
    if (bad > 1 || nt == 64 || s[len] != '\n')
        return SNIFF_CORPUS;
    /* one bad value in a GloVe first row: vectors when the next line is a whole GloVe row of
     * as many fields, so the loader names the value instead of training on the file */
    const char *next = s + len + 1;
    size_t nlen = strcspn(next, "\n");
    if (next[nlen] != '\n')
        return SNIFF_CORPUS;
    int nt2 = split_fields(next, nlen, tok, tlen);
    return nt2 == nt && non_numbers(nt2, tok, tlen) == 0 ? SNIFF_VECTORS : SNIFF_CORPUS;
}

/* ---- which vector format ---- */

const char *sniff_foreign(const unsigned char *b, size_t have, bool compressed)
{
    if (have >= 2 && b[0] == 0x1F && b[1] == 0x8B)
        return compressed ? "gzip-compressed twice; decompress it first (gunzip)"
                          : "gzip-compressed data (only files are decompressed); decompress it first (gunzip)";
    if (have >= 4 && b[0] == 0xBA && b[1] == 0x16 && b[2] == 0x4F && b[3] == 0x2F)
        return "a fastText .bin model, not vectors; load the .vec file written beside it";
    if (have >= 2 && b[0] == 0x80 && b[1] >= 2 && b[1] <= 5)
        return "a Python pickle (gensim .model?); export it with save_word2vec_format";
    return NULL;
}

/* True if [p, end) holds only numbers between separators. With finite false NaN and inf count
 * (a projector file then fails with the value named); with it true they do not, as the text
 * row parser refuses them. */
static bool numbers_only(const char *p, const char *end, bool finite, locale_t loc)
{
    while (p < end) {
        while (p < end && lex_is_sep(*p))
            p++;
        if (p == end)
            break;
        float x;
        char *q = lex_float(p, &x, loc);
        if (q == p || q > end || (q < end && !lex_is_sep(*q)) || (finite && !isfinite(x)))
            return false;
        p = q;
    }
    return true;
}

bool sniff_projector(const char *s, size_t n, const char *rest, const char *end, locale_t loc)
{
    if (!memchr(s, '\t', n) || memchr(s, ' ', n) || !numbers_only(s, s + n, false, loc))
        return false;
    const char *p = rest;
    for (int lines = 0; lines < 8 && p < end; lines++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break; /* a partial line: judge by the complete ones */
        if (!numbers_only(p, nl, false, loc))
            return false;
        p = nl + 1;
    }
    return true;
}

bool sniff_header(const char *s, size_t n, long long v[2], bool *range_err)
{
    const char *p = s, *end = s + n;
    *range_err = false;
    for (int i = 0; i < 2; i++) {
        while (p < end && lex_is_sep(*p))
            p++;
        const char *t = p;
        if (p < end && (*p == '-' || *p == '+'))
            p++;
        const char *digits = p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        if (p == digits || (p < end && !lex_is_sep(*p)))
            return false;
        char tmp[32];
        if ((size_t)(p - t) >= sizeof tmp) {
            *range_err = true;
            v[i] = 0;
            continue;
        }
        memcpy(tmp, t, (size_t)(p - t));
        tmp[p - t] = 0;
        errno = 0;
        v[i] = strtoll(tmp, NULL, 10);
        if (errno == ERANGE)
            *range_err = true;
    }
    while (p < end && lex_is_sep(*p))
        p++;
    return p == end;
}

static bool is_num_char(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return true;
    switch (c) {
    case '+': case '-': case '.': case 'e': case 'E': case ' ': case '\t': case '\r':
    case 'n': case 'a': case 'i': case 'f': case 't': case 'y':  /* nan, inf, infinity */
    case 'N': case 'A': case 'I': case 'F': case 'T': case 'Y':
        return true;
    default:
        return false;
    }
}

/* True if the lines in [p, end) read as the header's rows of "word v1 ... vdim" (blank lines
 * aside) and nothing more; a last line without '\n' counts only at the end of the input. */
static bool text_rows_at_hand(const char *p, const char *end, bool at_eof, int64_t want, int dim,
                              locale_t loc)
{
    int64_t rows = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl && !at_eof)
            break;
        const char *s = p, *e = nl ? nl : end;
        p = nl ? nl + 1 : end;
        while (s < e && lex_is_sep(*s))
            s++;
        if (s == e)
            continue;
        if (rows == want)
            return false; /* more rows than declared: the text reading fails */
        while (s < e && !lex_is_sep(*s))
            s++;
        if (lex_count_fields(s, e) != (size_t)dim || !numbers_only(s, e, true, loc))
            return false;
        rows++;
    }
    return true;
}

/* True if [p, end) reads as binary rows ("word " + dim finite floats) as far as it goes; when
 * the input ends there (at_eof), a row cut short counts against it. newline: each row's
 * floats are followed by '\n', as word2vec.c and vecfile_save write them. */
static bool bin_rows_at_hand(const char *p, const char *end, bool at_eof, int64_t want, int dim, bool newline)
{
    size_t vb = (size_t)dim * 4;
    for (int64_t rows = 0; rows < want; rows++) {
        while (p < end && lex_is_sep(*p))
            p++;
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        if (p == end)
            return !at_eof; /* fewer rows than declared: both readings fail; text says so */
        if (!sp || (size_t)(end - sp - 1) < vb)
            return !at_eof; /* past the window: nothing against it; at the end: truncated */
        for (const char *q = p; q < sp; q++)
            if (*q == 0 || lex_is_sep(*q))
                return false;
        for (size_t k = 0; k < vb; k += 4) {
            const unsigned char *b = (const unsigned char *)sp + 1 + k;
            uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
            float x;
            memcpy(&x, &u, sizeof x);
            if (!isfinite(x))
                return false;
        }
        p = sp + 1 + vb;
        if (newline && p < end && *p != '\n')
            return false;
    }
    while (p < end && lex_is_sep(*p))
        p++;
    return p == end; /* data after the declared rows: the binary reading fails */
}

/* No control byte but tab and CR, no DEL, and bytes from 0x80 only as valid UTF-8. */
static bool printable(const char *s, const char *e)
{
    const unsigned char *p = (const unsigned char *)s, *q = (const unsigned char *)e;
    while (p < q) {
        size_t k = *p >= 0x80 ? vocab_utf8_len(p, (size_t)(q - p)) : 1;
        if (k == 0 || (*p < 0x20 && *p != '\t' && *p != '\r') || *p == 0x7F)
            return false;
        p += k;
    }
    return true;
}

/* True if [p, end) is lines of text: printable, one line ending throughout (LF or CRLF); a
 * last line without '\n' counts only at the end of the input. */
static bool text_lines(const char *p, const char *end, bool at_eof)
{
    int crlf = -1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl && !at_eof)
            break;
        const char *e = nl ? nl : end;
        if (nl) {
            int cr = e > p && e[-1] == '\r';
            if (crlf >= 0 && cr != crlf)
                return false;
            crlf = cr;
        }
        if (!printable(p, e))
            return false;
        p = nl ? nl + 1 : end;
    }
    return true;
}

/* How the lines at hand read as text rows when their values are not all finite numbers. */
typedef struct TextShape {
    int64_t good;     /* rows whose dim values are finite numbers */
    bool numeric;     /* every value reads as a number, NaN, Inf and overflow included */
} TextShape;

/* True if the lines in [p, end) are text rows in all but their values: printable, one line
 * ending throughout (LF or CRLF), the word and dim fields each, no more rows than declared
 * (a last line without '\n' counts only at the end of the input); at least one row. */
static bool text_shaped(const char *p, const char *end, bool at_eof, int64_t want, int dim, locale_t loc,
                        TextShape *ts)
{
    int64_t rows = 0;
    ts->good = 0;
    ts->numeric = true;
    if (!text_lines(p, end, at_eof))
        return false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl && !at_eof)
            break;
        const char *s = p, *e = nl ? nl : end;
        p = nl ? nl + 1 : end;
        while (s < e && lex_is_sep(*s))
            s++;
        if (s == e)
            continue;
        if (rows == want)
            return false;
        while (s < e && !lex_is_sep(*s))
            s++;
        if (lex_count_fields(s, e) != (size_t)dim)
            return false;
        if (numbers_only(s, e, true, loc))
            ts->good++;
        else if (!numbers_only(s, e, false, loc))
            ts->numeric = false;
        rows++;
    }
    return rows > 0;
}

/* The rows are not text rows with a bad value: the first row's bytes, then the rows at hand. */
static bool binary_bytes(const char *row, const char *end, bool at_eof, int64_t rows, int dim, locale_t loc)
{
    size_t vb = (size_t)dim * 4;
    const char *p = row;
    while (p < end && lex_is_sep(*p))
        p++;
    while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
        p++;
    if (p == end || *p != ' ')
        return false; /* the text parser will say what is wrong */
    p++;
    size_t avail = (size_t)(end - p), win = vb < avail ? vb : avail, k = 0;
    while (k < win && p[k] != '\n') {
        if (!is_num_char((unsigned char)p[k]))
            return true;
        k++;
    }
    /* A newline right after the word is likely a float byte 0x0A: text needs "v v ...". */
    size_t shortest = 2 * (size_t)dim - 1 < 4 ? 2 * (size_t)dim - 1 : 4;
    if (k < win && k < shortest)
        return true;
    size_t window = sniff_binary_window(dim);
    const char *wend = (size_t)(end - row) > window ? row + window : end;
    at_eof = wend == end && at_eof;
    if (text_rows_at_hand(row, wend, at_eof, rows, dim, loc))
        return false;
    return bin_rows_at_hand(row, wend, at_eof, rows, dim, false);
}

bool sniff_binary(const char *row, const char *end, bool at_eof, int64_t rows, int dim, locale_t loc)
{
    size_t window = sniff_binary_window(dim);
    const char *wend = (size_t)(end - row) > window ? row + window : end;
    bool wend_eof = wend == end && at_eof;
    TextShape ts;
    if (text_rows_at_hand(row, wend, wend_eof, rows, dim, loc))
        return false; /* good text rows are text, whatever else the bytes may be */
    if (text_shaped(row, wend, wend_eof, rows, dim, loc, &ts)) {
        if (!bin_rows_at_hand(row, wend, wend_eof, rows, dim, false))
            return false;
        /* both readings fit: word2vec.c's '\n' after every row's floats, or no good text row */
        return bin_rows_at_hand(row, wend, wend_eof, rows, dim, true) || !(ts.good > 0 || ts.numeric);
    }
    if (text_lines(row, wend, wend_eof))
        return bin_rows_at_hand(row, wend, wend_eof, rows, dim, false); /* text, wrong row shape */
    return binary_bytes(row, end, at_eof, rows, dim, loc);
}
