/* Vector files: see w2v_io.h. One buffered reader (large reads, our own line splitting, the
 * buffer bounded by a few MiB whatever the input), a text row parser, a binary row parser, and
 * a growing row matrix whose size is capped by what the input can really hold, so a lying
 * header cannot make us allocate for it. Any thread; no shared state. */
#include "model/files/w2v_io.h"
#include "model/base/atomicfile.h"
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define RD_MAX_BUF (4u << 20) /* bytes: >= 2 * W2V_MAX_LINE so a maximal line plus a read fit */
#define NAME_MAX_SHOWN 120    /* bytes of a path shown in messages, so the reason fits in Err */

/* ---- buffered reader over a file (plain or gzip, through zlib) or a memory block ---- */

typedef struct Reader {
    gzFile gz;                /* NULL: read from mem */
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    char *buf;                /* cap + 1 bytes; data in [pos, len); buf[len] == 0 stops strtof */
    size_t cap, len, pos;
    uint64_t base;            /* input offset of buf[0] */
    bool eof;
    int err;                  /* nonzero after a failed read, explained in why */
    char why[96];
    W2vProgressFn progress;   /* files only; NULL: none */
    void *pctx;
    uint64_t file_size, next_report; /* bytes on disk; offset of the next progress call */
} Reader;

static bool rd_init(Reader *r, size_t size_hint)
{
    size_t cap = size_hint < RD_MAX_BUF - 64 ? size_hint + 64 : RD_MAX_BUF;
    if (cap < 4096)
        cap = 4096;
    r->buf = malloc(cap + 1);
    r->cap = cap;
    r->len = r->pos = 0;
    r->base = 0;
    r->eof = false;
    r->err = 0;
    if (r->buf)
        r->buf[0] = 0;
    return r->buf != NULL;
}

/* Moves the unread bytes to the front and reads more; returns the number of bytes added. */
static size_t rd_fill(Reader *r)
{
    if (r->eof)
        return 0;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->base += r->pos;
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->len == r->cap && r->cap < RD_MAX_BUF) {
        size_t cap = r->cap * 2 < RD_MAX_BUF ? r->cap * 2 : RD_MAX_BUF;
        char *b = realloc(r->buf, cap + 1);
        if (!b) {
            r->err = ENOMEM;
            snprintf(r->why, sizeof r->why, "%s", strerror(ENOMEM));
            r->eof = true;
            return 0;
        }
        r->buf = b;
        r->cap = cap;
    }
    size_t room = r->cap - r->len, got;
    if (r->gz) {
        int n = gzread(r->gz, r->buf + r->len, (unsigned)room); /* room <= RD_MAX_BUF */
        got = n > 0 ? (size_t)n : 0;
        if (got < room) {
            int zerr;
            const char *msg = gzerror(r->gz, &zerr);
            if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
                r->err = zerr ? zerr : EIO;
                const char *colon = strncmp(msg, "<fd:", 4) ? NULL : strstr(msg, ": ");
                if (zerr == Z_ERRNO)
                    snprintf(r->why, sizeof r->why, "%s", strerror(errno));
                else /* zlib says "<fd:3>: reason" */
                    snprintf(r->why, sizeof r->why, "gzip: %s", colon ? colon + 2 : msg);
            }
            r->eof = true;
        }
    } else {
        size_t left = r->mem_len - r->mem_pos;
        got = left < room ? left : room;
        memcpy(r->buf + r->len, r->mem + r->mem_pos, got);
        r->mem_pos += got;
        if (r->mem_pos == r->mem_len)
            r->eof = true;
    }
    if (r->progress && r->gz && r->file_size) {
        uint64_t at = (uint64_t)gzoffset(r->gz); /* bytes read from the file, compressed or not */
        if (at >= r->next_report || r->eof) {
            r->next_report = at + (4u << 20);
            if (!r->progress(r->pctx, (double)at / (double)r->file_size)) {
                r->err = ECANCELED;
                snprintf(r->why, sizeof r->why, "cancelled");
                r->eof = true;
            }
        }
    }
    r->len += got;
    r->buf[r->len] = 0;
    return got;
}

/* Makes at least n unread bytes available (n <= W2V_MAX_LINE); false at end of input. */
static bool rd_need(Reader *r, size_t n)
{
    while (r->len - r->pos < n)
        if (rd_fill(r) == 0)
            return false;
    return true;
}

enum { RD_LINE = 1, RD_EOF = 0, RD_TOO_LONG = -1, RD_IOERR = -2 };

/* Next line without its '\n'. The pointer stays valid until the next read, and the byte after
 * the line is '\n' or the NUL sentinel. */
static int rd_line(Reader *r, char **line, size_t *n)
{
    size_t scanned = 0; /* bytes after pos known to hold no '\n' */
    for (;;) {
        char *s = r->buf + r->pos;
        char *nl = memchr(s + scanned, '\n', r->len - r->pos - scanned);
        if (nl) {
            *line = s;
            *n = (size_t)(nl - s);
            r->pos += *n + 1;
            return RD_LINE;
        }
        scanned = r->len - r->pos;
        if (scanned > W2V_MAX_LINE)
            return RD_TOO_LONG;
        if (rd_fill(r) == 0) {
            if (r->err)
                return RD_IOERR;
            if (r->len == r->pos)
                return RD_EOF;
            *line = r->buf + r->pos;
            *n = r->len - r->pos;
            r->pos = r->len;
            return RD_LINE;
        }
    }
}

/* ---- messages ---- */

typedef struct Load {
    Reader r;
    char name[NAME_MAX_SHOWN + 4];
    Err *e;
    locale_t loc;          /* "C": a decimal point whatever the process locale */
    bool size_known;
    uint64_t size;         /* input bytes (at most), when size_known */
    bool compressed;       /* gzip: byte offsets count uncompressed bytes */
    W2vFormat fmt;
    int64_t line;          /* text: 1-based line last read */
    int64_t header_rows;   /* -1: GloVe */
    int64_t max_words;     /* 0: all */
    int dim, stride;
    float *vec;            /* (cap, stride), EMB_ALIGN-aligned, zeroed padding */
    int64_t cap, rows;     /* rows kept */
    Vocab voc;
    W2vInfo info;
} Load;

static void set_name(Load *L, const char *path)
{
    size_t n = strlen(path);
    if (n <= NAME_MAX_SHOWN)
        snprintf(L->name, sizeof L->name, "%s", path);
    else
        snprintf(L->name, sizeof L->name, "...%s", path + n - (NAME_MAX_SHOWN - 3));
}

static bool failv(Load *L, const char *where, const char *fmt, va_list ap)
{
    char why[sizeof L->e->msg];
    vsnprintf(why, sizeof why, fmt, ap);
    return err_set(L->e, "%s%s: %s", L->name, where, why);
}

static bool fail(Load *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(Load *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    failv(L, "", fmt, ap);
    va_end(ap);
    return false;
}

static bool fail_line(Load *L, int64_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail_line(Load *L, int64_t line, const char *fmt, ...)
{
    char where[40];
    snprintf(where, sizeof where, ":line %lld", (long long)line);
    va_list ap;
    va_start(ap, fmt);
    failv(L, where, fmt, ap);
    va_end(ap);
    return false;
}

static bool fail_byte(Load *L, uint64_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail_byte(Load *L, uint64_t off, const char *fmt, ...)
{
    char where[40];
    snprintf(where, sizeof where, ": byte %llu%s", (unsigned long long)off,
             L->compressed ? " (uncompressed)" : "");
    va_list ap;
    va_start(ap, fmt);
    failv(L, where, fmt, ap);
    va_end(ap);
    return false;
}


/* A word for a one-line message: at most ~40 bytes, control bytes and invalid UTF-8 as \xNN. */
static const char *shown(char out[200], const char *w, size_t n)
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

/* ---- row storage ---- */

/* Most rows this load can end with: the header, max_words, and (for regular files and
 * memory) the rows kept so far plus the rows of min_row_bytes the unread bytes can hold. */
static int64_t row_bound(const Load *L, uint64_t min_row_bytes)
{
    int64_t b = INT64_MAX;
    if (L->header_rows >= 0)
        b = L->header_rows;
    if (L->max_words > 0 && L->max_words < b)
        b = L->max_words;
    if (L->size_known) {
        uint64_t at = L->r.base + L->r.pos, left = L->size > at ? L->size - at : 0;
        uint64_t fit = (uint64_t)L->rows + left / min_row_bytes + 1;
        if (fit < (uint64_t)b)
            b = (int64_t)fit;
    }
    return b;
}

static bool resize_rows(Load *L, int64_t cap)
{
    if ((uint64_t)cap > SIZE_MAX / sizeof(float) / (size_t)L->stride)
        return fail(L, "%lld vectors of %d values do not fit in memory", (long long)cap, L->dim);
    float *v = emb_aligned_alloc((size_t)cap * (size_t)L->stride * sizeof(float));
    if (!v)
        return fail(L, "out of memory for %lld vectors of %d values", (long long)cap, L->dim);
    if (L->rows)
        memcpy(v, L->vec, (size_t)L->rows * (size_t)L->stride * sizeof(float));
    free(L->vec);
    L->vec = v;
    L->cap = cap;
    return true;
}

/* First allocation: the bound, but when the input size is unknown (a pipe) at most 16 MiB of
 * rows; reserve_row grows it as rows really arrive. */
static bool first_rows(Load *L, int64_t bound)
{
    int64_t most = (int64_t)((16u << 20) / ((size_t)L->stride * sizeof(float))) + 1;
    if (!L->size_known && bound > most)
        bound = most;
    return resize_rows(L, bound);
}

/* Room for row L->rows: grow by half again, never past what the input can hold. */
static bool reserve_row(Load *L, uint64_t min_row_bytes)
{
    if (L->rows < L->cap)
        return true;
    int64_t want = L->cap + L->cap / 2 + 1024;
    int64_t bound = row_bound(L, min_row_bytes);
    if (bound < L->rows + 1)
        bound = L->rows + 1;
    return resize_rows(L, want < bound ? want : bound);
}

/* Cuts an over-long word at VOCAB_MAX_WORD bytes, backing off to a UTF-8 boundary as the
 * corpus tokenizer does, so a lookup of the corpus's token finds the row. */
static size_t cut_word(Load *L, const char *w, size_t n)
{
    if (n <= VOCAB_MAX_WORD)
        return n;
    size_t k = VOCAB_MAX_WORD;
    for (int back = 0; back < 3 && k > 1 && ((unsigned char)w[k] & 0xC0) == 0x80; back++)
        k--;
    L->info.truncated++;
    return k;
}

/* Adds word (already cut) for the row just parsed into slot L->rows; a repeated word keeps
 * the first row, as gensim does, and is counted. */
static bool keep_row(Load *L, const char *w, size_t n)
{
    int64_t before = L->voc.size;
    Err ve = {{0}};
    int64_t i = vocab_add(&L->voc, w, n, 1, &ve);
    if (i < 0)
        return fail(L, "out of memory for the vocabulary (%s)", ve.msg);
    L->info.rows_read++;
    if (i < before)
        L->info.duplicates++;
    else
        L->rows++;
    return true;
}

/* ---- text rows ---- */

/* ASCII whitespace (space, \t \n \v \f \r): a word never contains it (the saver refuses it,
 * the binary loader too), so a text row splits the same way whoever wrote it. */
static inline bool is_sep(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Drops trailing whitespace (fastText's last space, a CRLF's '\r'); true if anything but
 * whitespace is left. */
static bool trim(char *s, size_t *n)
{
    while (*n && is_sep(s[*n - 1]))
        (*n)--;
    size_t i = 0;
    while (i < *n && is_sep(s[i]))
        i++;
    return i < *n;
}

static size_t count_fields(const char *p, const char *end)
{
    size_t k = 0;
    while (p < end) {
        while (p < end && is_sep(*p))
            p++;
        if (p == end)
            break;
        k++;
        while (p < end && !is_sep(*p))
            p++;
    }
    return k;
}

/* Decimal text to float, exactly as strtof_l would: Clinger's fast path when the significant
 * digits fit in 2^53 and the power of ten is within 10^22 (one correctly rounded double
 * operation), as long as that double is not halfway between two floats (then rounding it
 * again could differ from rounding the exact value once). Anything else goes to strtof_l.
 * Most of a text load is spent here, and strtof alone is ~4x slower. */
static char *parse_float(const char *p, float *out, locale_t loc)
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

/* Parses "word v1 ... vdim" (trimmed, n bytes) into dst and the vocabulary. */
static bool text_row(Load *L, const char *s, size_t n, float *dst)
{
    const char *p = s, *end = s + n;
    char sw[200], st[200];
    while (p < end && is_sep(*p))
        p++;
    const char *w = p;
    while (p < end && !is_sep(*p))
        p++;
    size_t wl = (size_t)(p - w);
    if (memchr(w, 0, wl))
        return fail_line(L, L->line, "word '%s' contains a NUL byte", shown(sw, w, wl));
    for (int k = 0; k < L->dim; k++) {
        while (p < end && is_sep(*p))
            p++;
        if (p == end)
            return fail_line(L, L->line, "expected %d values after '%s', found %d", L->dim,
                             shown(sw, w, wl), k);
        float x;
        char *q = parse_float(p, &x, L->loc);
        if (q == p || q > end || (q < end && !is_sep(*q))) {
            const char *t = p;
            while (t < end && !is_sep(*t))
                t++;
            return fail_line(L, L->line, "value %d of '%s' is not a number: '%s'", k + 1,
                             shown(sw, w, wl), shown(st, p, (size_t)(t - p)));
        }
        if (!isfinite(x))
            return fail_line(L, L->line, "value %d of '%s' is %s", k + 1, shown(sw, w, wl),
                             isnan(x) ? "NaN" : "infinite or beyond float range");
        dst[k] = x;
        p = q;
    }
    while (p < end && is_sep(*p))
        p++;
    if (p != end)
        return fail_line(L, L->line, "expected %d values after '%s', found %zu", L->dim,
                         shown(sw, w, wl), (size_t)L->dim + count_fields(p, end));
    return keep_row(L, w, cut_word(L, w, wl));
}

/* Next non-blank line, trimmed; RD_* codes, with the error set for the failures. */
static int next_text_line(Load *L, char **s, size_t *n)
{
    for (;;) {
        int rc = rd_line(&L->r, s, n);
        if (rc == RD_LINE) {
            L->line++;
            if (trim(*s, n))
                return rc;
            continue;
        }
        if (rc == RD_TOO_LONG)
            fail_line(L, L->line + 1, "line longer than %d bytes (not a vector file?)", W2V_MAX_LINE);
        else if (rc == RD_IOERR)
            fail_line(L, L->line + 1, "read error: %s", L->r.why);
        return rc;
    }
}

/* Smallest text row: a 1-byte word and dim 1-byte values, each after a separator. */
static uint64_t text_min_row(const Load *L) { return 1 + 2 * (uint64_t)L->dim; }

static bool text_rows(Load *L)
{
    char *s;
    size_t n;
    int64_t want = L->header_rows;
    for (;;) {
        if (want >= 0 && L->info.rows_read == want)
            break;
        if (L->max_words > 0 && L->rows == L->max_words) {
            L->info.limited = true;
            return true;
        }
        int rc = next_text_line(L, &s, &n);
        if (rc < 0)
            return false;
        if (rc == RD_EOF) {
            if (want >= 0)
                return fail_line(L, L->line + 1, "file ends after %lld of the %lld rows the header declares",
                                 (long long)L->info.rows_read, (long long)want);
            return true;
        }
        if (!reserve_row(L, text_min_row(L)))
            return false;
        if (!text_row(L, s, n, L->vec + L->rows * (int64_t)L->stride))
            return false;
    }
    int rc = next_text_line(L, &s, &n);
    if (rc == RD_LINE)
        return fail_line(L, L->line, "more rows than the %lld the header declares", (long long)want);
    return rc == RD_EOF;
}

/* ---- projector rows (vectors.tsv) ---- */

/* Parses "v1<TAB>...<TAB>vdim" (trimmed, n bytes) into dst; the row is named by its index, so
 * metadata.tsv can relabel it (projector.c). */
static bool proj_row(Load *L, const char *s, size_t n, float *dst)
{
    const char *p = s, *end = s + n;
    char st[200];
    for (int k = 0; k < L->dim; k++) {
        while (p < end && is_sep(*p))
            p++;
        if (p == end)
            return fail_line(L, L->line, "expected %d values, found %d", L->dim, k);
        float x;
        char *q = parse_float(p, &x, L->loc);
        if (q == p || q > end || (q < end && !is_sep(*q))) {
            const char *t = p;
            while (t < end && !is_sep(*t))
                t++;
            return fail_line(L, L->line, "value %d is not a number: '%s'", k + 1,
                             shown(st, p, (size_t)(t - p)));
        }
        if (!isfinite(x))
            return fail_line(L, L->line, "value %d is %s", k + 1,
                             isnan(x) ? "NaN" : "infinite or beyond float range");
        dst[k] = x;
        p = q;
    }
    while (p < end && is_sep(*p))
        p++;
    if (p != end)
        return fail_line(L, L->line, "expected %d values, found %zu", L->dim,
                         (size_t)L->dim + count_fields(p, end));
    char w[24];
    int wl = snprintf(w, sizeof w, "%lld", (long long)L->info.rows_read);
    return keep_row(L, w, (size_t)wl);
}

/* Smallest projector row: dim 1-byte values, dim - 1 tabs and the newline. */
static uint64_t proj_min_row(const Load *L) { return 2 * (uint64_t)L->dim; }

/* Rows from the first one (s, n: trimmed, already read). A blank line before or between rows
 * is an error rather than skipped: it would shift every later row against metadata.tsv. */
static bool proj_rows(Load *L, char *s, size_t n)
{
    if (L->line != 1)
        return fail_line(L, 1, "blank line before the first row (rows must line up with metadata.tsv)");
    int64_t blank = 0;
    for (;;) {
        if (L->max_words > 0 && L->rows == L->max_words) {
            L->info.limited = true;
            return true;
        }
        if (blank)
            return fail_line(L, blank, "blank line between rows (rows must line up with metadata.tsv)");
        if (!reserve_row(L, proj_min_row(L)) || !proj_row(L, s, n, L->vec + L->rows * (int64_t)L->stride))
            return false;
        for (;;) {
            int rc = rd_line(&L->r, &s, &n);
            if (rc == RD_EOF)
                return true;
            if (rc == RD_TOO_LONG)
                return fail_line(L, L->line + 1, "line longer than %d bytes", W2V_MAX_LINE);
            if (rc == RD_IOERR)
                return fail_line(L, L->line + 1, "read error: %s", L->r.why);
            L->line++;
            if (trim(s, &n))
                break;
            if (!blank)
                blank = L->line;
        }
    }
}

/* ---- binary rows ---- */

static inline uint64_t offset(const Load *L) { return L->r.base + L->r.pos; }

/* One row "word " + dim little-endian float32 (+ optional '\n'); RD_LINE, RD_EOF or -1. */
static int bin_row(Load *L, float *dst)
{
    Reader *r = &L->r;
    char sw[200];
    for (;;) {
        while (r->pos < r->len && is_sep(r->buf[r->pos]))
            r->pos++;
        if (r->pos < r->len)
            break;
        if (rd_fill(r) == 0)
            return r->err ? (fail_byte(L, offset(L), "read error: %s", r->why), -1) : RD_EOF;
    }
    uint64_t at = offset(L);
    size_t scanned = 0;
    char *sp;
    for (;;) {
        sp = memchr(r->buf + r->pos + scanned, ' ', r->len - r->pos - scanned);
        if (sp)
            break;
        scanned = r->len - r->pos;
        if (scanned > W2V_MAX_LINE)
            return fail_byte(L, at, "no space after a word within %d bytes (not word2vec binary?)", W2V_MAX_LINE), -1;
        if (rd_fill(r) == 0) {
            if (r->err)
                return fail_byte(L, offset(L), "read error: %s", r->why), -1;
            return fail_byte(L, at, "truncated: the file ends inside the word of row %lld",
                             (long long)L->info.rows_read + 1), -1;
        }
    }
    const char *w = r->buf + r->pos;
    size_t wl = (size_t)(sp - w);
    for (size_t i = 0; i < wl; i++)
        if (w[i] == 0 || is_sep(w[i]))
            return fail_byte(L, at + i, "control byte 0x%02X inside the word of row %lld (corrupt or misaligned binary)",
                             (unsigned char)w[i], (long long)L->info.rows_read + 1), -1;
    size_t vb = (size_t)L->dim * sizeof(float);
    r->pos += wl + 1;
    uint64_t vat = offset(L);
    /* The word may move when the buffer refills, so copy it out first. */
    char word[VOCAB_MAX_WORD + 4];
    size_t kept = cut_word(L, w, wl);
    memcpy(word, w, kept);
    if (!rd_need(r, vb)) {
        if (r->err)
            return fail_byte(L, offset(L), "read error: %s", r->why), -1;
        return fail_byte(L, vat, "truncated: row %lld ('%s') needs %zu bytes of floats, the file has %zu more",
                         (long long)L->info.rows_read + 1, shown(sw, word, kept), vb, r->len - r->pos), -1;
    }
    const unsigned char *b = (const unsigned char *)r->buf + r->pos;
    for (int k = 0; k < L->dim; k++, b += 4) {
        uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        float x;
        memcpy(&x, &u, sizeof x);
        if (!isfinite(x))
            return fail_byte(L, vat + 4 * (uint64_t)k, "value %d of row %lld ('%s') is %s", k + 1,
                             (long long)L->info.rows_read + 1, shown(sw, word, kept),
                             isnan(x) ? "NaN" : "infinite"), -1;
        dst[k] = x;
    }
    r->pos += vb;
    if (!keep_row(L, word, kept))
        return -1;
    return RD_LINE;
}

/* Smallest binary row: a 1-byte word, its space and the floats. */
static uint64_t bin_min_row(const Load *L) { return 2 + 4 * (uint64_t)L->dim; }

static bool bin_rows(Load *L)
{
    int64_t want = L->header_rows;
    while (L->info.rows_read < want) {
        if (L->max_words > 0 && L->rows == L->max_words) {
            L->info.limited = true;
            return true;
        }
        if (!reserve_row(L, bin_min_row(L)))
            return false;
        int rc = bin_row(L, L->vec + L->rows * (int64_t)L->stride);
        if (rc < 0)
            return false;
        if (rc == RD_EOF)
            return fail_byte(L, offset(L), "truncated: the file ends after %lld of the %lld rows the header declares",
                             (long long)L->info.rows_read, (long long)want);
    }
    for (;;) {
        Reader *r = &L->r;
        while (r->pos < r->len && is_sep(r->buf[r->pos]))
            r->pos++;
        if (r->pos < r->len)
            return fail_byte(L, offset(L), "data after the %lld rows the header declares", (long long)want);
        if (rd_fill(r) == 0)
            return r->err ? fail_byte(L, offset(L), "read error: %s", r->why) : true;
    }
}

/* ---- header, format detection, GloVe ---- */

/* True if [s, s+n) is exactly two integer fields ("rows dim"); range_err when one overflows. */
static bool header_fields(const char *s, size_t n, long long v[2], bool *range_err)
{
    const char *p = s, *end = s + n;
    *range_err = false;
    for (int i = 0; i < 2; i++) {
        while (p < end && is_sep(*p))
            p++;
        const char *t = p;
        if (p < end && (*p == '-' || *p == '+'))
            p++;
        const char *digits = p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        if (p == digits || (p < end && !is_sep(*p)))
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
    while (p < end && is_sep(*p))
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

static bool numbers_only(Load *L, const char *p, const char *end, bool finite);

/* True if the lines in [p, end) read as the header's rows of "word v1 ... vdim" (blank lines
 * aside) and nothing more; a last line without '\n' counts only at the end of the input. */
static bool text_rows_at_hand(Load *L, const char *p, const char *end, bool at_eof)
{
    int64_t rows = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl && !at_eof)
            break;
        const char *s = p, *e = nl ? nl : end;
        p = nl ? nl + 1 : end;
        while (s < e && is_sep(*s))
            s++;
        if (s == e)
            continue;
        if (rows == L->header_rows)
            return false; /* more rows than declared: the text reading fails */
        while (s < e && !is_sep(*s))
            s++;
        if (count_fields(s, e) != (size_t)L->dim || !numbers_only(L, s, e, true))
            return false;
        rows++;
    }
    return true;
}

/* True if [p, end) reads as binary rows ("word " + dim finite floats) as far as it goes; when
 * the input ends there (at_eof), a row cut short counts against it. */
static bool bin_rows_at_hand(Load *L, const char *p, const char *end, bool at_eof)
{
    size_t vb = (size_t)L->dim * 4;
    for (int64_t rows = 0; rows < L->header_rows; rows++) {
        while (p < end && is_sep(*p))
            p++;
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        if (p == end)
            return !at_eof; /* fewer rows than declared: both readings fail; text says so */
        if (!sp || (size_t)(end - sp - 1) < vb)
            return !at_eof; /* past the window: nothing against it; at the end: truncated */
        for (const char *q = p; q < sp; q++)
            if (*q == 0 || is_sep(*q))
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
    }
    while (p < end && is_sep(*p))
        p++;
    return p == end; /* data after the declared rows: the binary reading fails */
}

/* After a "rows dim" header: binary as soon as one byte after the first word and its space
 * could not be part of a text number (a float32 in [-1, 1] has a high byte of 0x3x/0xBx, which
 * no text number has); otherwise the rows at hand decide (see the end). */
static W2vFormat sniff(Load *L)
{
    Reader *r = &L->r;
    size_t vb = (size_t)L->dim * 4;
    rd_need(r, 65536 + vb + 2);
    const char *p = r->buf + r->pos, *end = r->buf + r->len;
    while (p < end && is_sep(*p))
        p++;
    while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
        p++;
    if (p == end || *p != ' ')
        return W2V_TEXT; /* the text parser will say what is wrong */
    p++;
    size_t avail = (size_t)(end - p), win = vb < avail ? vb : avail, k = 0;
    while (k < win && p[k] != '\n') {
        if (!is_num_char((unsigned char)p[k]))
            return W2V_BINARY;
        k++;
    }
    /* A newline right after the word is likely a float byte 0x0A: text needs "v v ...". */
    size_t shortest = 2 * (size_t)L->dim - 1 < 4 ? 2 * (size_t)L->dim - 1 : 4;
    if (k < win && k < shortest)
        return W2V_BINARY;
    /* Every byte could be part of a number ("6nnN" is the float 1000050048, found by the
     * roundtrip fuzz target). Decide on the rows at hand: text if they all read as text rows;
     * else binary if they all read as binary rows; else text, whose parser names the bad line
     * of a broken text file. */
    const char *row = r->buf + r->pos, *wend = end - row > 65536 + (ptrdiff_t)vb + 2 ? row + 65536 + vb + 2 : end;
    bool at_eof = wend == end && r->eof;
    if (text_rows_at_hand(L, row, wend, at_eof))
        return W2V_TEXT;
    return bin_rows_at_hand(L, row, wend, at_eof) ? W2V_BINARY : W2V_TEXT;
}

static bool set_dim(Load *L, long long dim)
{
    if (dim <= 0 || dim > EMB_MAX_DIM)
        return fail_line(L, L->line, "dimension %lld is outside 1..%d", dim, EMB_MAX_DIM);
    L->dim = (int)dim;
    L->stride = emb_stride(L->dim);
    return true;
}

/* True if [p, end) holds only numbers between separators. With finite false NaN and inf count
 * (a projector file then fails with the value named); with it true they do not, as the text
 * row parser refuses them. */
static bool numbers_only(Load *L, const char *p, const char *end, bool finite)
{
    while (p < end) {
        while (p < end && is_sep(*p))
            p++;
        if (p == end)
            break;
        float x;
        char *q = parse_float(p, &x, L->loc);
        if (q == p || q > end || (q < end && !is_sep(*q)) || (finite && !isfinite(x)))
            return false;
        p = q;
    }
    return true;
}

/* A projector file: the first line (trimmed) is tab-separated numbers without a space, and so
 * are the next few lines already in the buffer. A word2vec header ("rows dim") and GloVe rows
 * are space-separated, and a GloVe row starts with a word (which may be a number, like "1990",
 * hence the look at later lines). */
static bool looks_projector(Load *L, const char *s, size_t n)
{
    if (!memchr(s, '\t', n) || memchr(s, ' ', n) || !numbers_only(L, s, s + n, false))
        return false;
    const char *p = L->r.buf + L->r.pos, *end = L->r.buf + L->r.len;
    for (int lines = 0; lines < 8 && p < end; lines++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break; /* a partial line: judge by the complete ones */
        if (!numbers_only(L, p, nl, false))
            return false;
        p = nl + 1;
    }
    return true;
}

static bool load_projector(Load *L, char *s, size_t n)
{
    size_t f = count_fields(s, s + n);
    L->fmt = W2V_PROJECTOR;
    L->header_rows = -1;
    if (f > EMB_MAX_DIM)
        return fail_line(L, L->line, "%zu values per row; the limit is %d", f, EMB_MAX_DIM);
    if (!set_dim(L, (long long)f))
        return false;
    int64_t cap = INT64_MAX;
    if (L->size_known) /* rows of about this line's length fill the file, with some slack */
        cap = (int64_t)(L->size / (n + 1)) + (int64_t)(L->size / (n + 1)) / 8 + 16;
    int64_t bound = row_bound(L, proj_min_row(L));
    if (!first_rows(L, cap < bound ? cap : bound))
        return false;
    return proj_rows(L, s, n);
}

static bool load_glove(Load *L, char *s, size_t n)
{
    size_t f = count_fields(s, s + n);
    L->fmt = W2V_GLOVE;
    L->header_rows = -1;
    if (f < 2)
        return fail_line(L, L->line, "expected 'word v1 v2 ...' (GloVe) or a 'rows dim' header");
    if (f - 1 > EMB_MAX_DIM)
        return fail_line(L, L->line, "%zu values per row; the limit is %d", f - 1, EMB_MAX_DIM);
    if (!set_dim(L, (long long)(f - 1)))
        return false;
    int64_t cap = INT64_MAX;
    if (L->size_known) /* rows of about this line's length fill the file, with some slack */
        cap = (int64_t)(L->size / (n + 1)) + (int64_t)(L->size / (n + 1)) / 8 + 16;
    int64_t bound = row_bound(L, text_min_row(L)); /* counts this first row too */
    if (!first_rows(L, cap < bound ? cap : bound))
        return false;
    if (!text_row(L, s, n, L->vec))
        return false;
    return text_rows(L);
}

static bool load_header(Load *L, W2vFormat fmt, long long rows, long long dim)
{
    if (!set_dim(L, dim))
        return false;
    if (rows <= 0)
        return fail_line(L, L->line, "the header declares %lld rows", rows);
    L->header_rows = rows;
    L->fmt = fmt == W2V_AUTO ? sniff(L) : fmt;
    /* No early verdict on a header that the file size cannot back: allocation is capped by
     * the size (row_bound), and reading to the end names the exact line or byte that is missing. */
    uint64_t min_row = L->fmt == W2V_BINARY ? bin_min_row(L) : text_min_row(L);
    if (!first_rows(L, row_bound(L, min_row)))
        return false;
    return L->fmt == W2V_BINARY ? bin_rows(L) : text_rows(L);
}

static bool load_run(Load *L, W2vFormat fmt)
{
    Reader *r = &L->r;
    rd_need(r, 4);
    if (r->err)
        return fail(L, "read error: %s", r->why);
    const unsigned char *b = (const unsigned char *)r->buf + r->pos;
    size_t have = r->len - r->pos;
    /* Files people often try instead of a vector file: name them rather than fail oddly. */
    if (have >= 2 && b[0] == 0x1F && b[1] == 0x8B)
        return fail(L, "gzip-compressed %s; decompress it first (gunzip)",
                    L->compressed ? "twice" : "data (only files are decompressed)");
    if (have >= 4 && b[0] == 0xBA && b[1] == 0x16 && b[2] == 0x4F && b[3] == 0x2F)
        return fail(L, "a fastText .bin model, not vectors; load the .vec file written beside it");
    if (have >= 2 && b[0] == 0x80 && b[1] >= 2 && b[1] <= 5)
        return fail(L, "a Python pickle (gensim .model?); export it with save_word2vec_format");
    if (r->len - r->pos >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        r->pos += 3; /* UTF-8 byte order mark */
    char *s;
    size_t n;
    int rc = next_text_line(L, &s, &n);
    if (rc < 0)
        return false;
    if (rc == RD_EOF)
        return fail(L, "empty file (no vectors)");
    if (fmt == W2V_PROJECTOR || (fmt == W2V_AUTO && looks_projector(L, s, n)))
        return load_projector(L, s, n);
    long long hv[2];
    bool range_err;
    bool header = header_fields(s, n, hv, &range_err);
    if (fmt == W2V_GLOVE || (fmt == W2V_AUTO && !header))
        return load_glove(L, s, n);
    if (!header)
        return fail_line(L, L->line, "expected a 'rows dim' header (%s)", w2v_format_name(fmt));
    if (range_err)
        return fail_line(L, L->line, "header numbers out of range");
    return load_header(L, fmt, hv[0], hv[1]);
}

/* Hands the table to out (success) or frees it. */
static bool load_finish(Load *L, bool ok, Embeddings *out, W2vInfo *info)
{
    L->info.format = L->fmt;
    L->info.compressed = L->compressed;
    L->info.header_rows = L->header_rows;
    if (info)
        *info = L->info;
    if (!ok) {
        vocab_deinit(&L->voc);
        free(L->vec);
        return false;
    }
    if (L->cap - L->rows > L->rows / 8 + 64) {
        float *v = emb_aligned_alloc((size_t)L->rows * (size_t)L->stride * sizeof(float));
        if (v) { /* otherwise keep the roomy block: still a valid table */
            memcpy(v, L->vec, (size_t)L->rows * (size_t)L->stride * sizeof(float));
            free(L->vec);
            L->vec = v;
        }
    }
    L->voc.total = 0;
    for (int64_t i = 0; i < L->rows; i++) {
        L->voc.counts[i] = (uint64_t)(L->rows - i);
        L->voc.total += (uint64_t)(L->rows - i);
    }
    emb_deinit(out);
    out->vocab = L->voc;
    out->rows = L->rows;
    out->dim = L->dim;
    out->stride = L->stride;
    out->vec = L->vec;
    return true;
}

static bool load_common(Load *L, W2vFormat fmt, Embeddings *out, W2vInfo *info)
{
    bool ok = false;
    L->loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!L->loc)
        fail(L, "cannot create the C locale");
    else if (!rd_init(&L->r, L->size_known ? L->size : RD_MAX_BUF))
        fail(L, "out of memory for the read buffer");
    else
        ok = load_run(L, fmt);
    if (L->loc)
        freelocale(L->loc);
    free(L->r.buf);
    return load_finish(L, ok, out, info);
}

static void load_setup(Load *L, const char *name, int64_t max_words, Err *e)
{
    memset(L, 0, sizeof *L);
    set_name(L, name);
    L->e = e;
    L->max_words = max_words > 0 ? max_words : 0;
    L->header_rows = -1;
    vocab_init(&L->voc);
}

/* The largest expansion deflate allows (about 1032:1), to bound a gzip file's content. */
#define GZ_MAX_RATIO 1032u

bool w2v_load_ex(const char *path, W2vFormat fmt, int64_t max_words, Embeddings *out,
                 W2vInfo *info, Err *e)
{
    return w2v_load_progress(path, fmt, max_words, out, info, NULL, NULL, e);
}

bool w2v_load_progress(const char *path, W2vFormat fmt, int64_t max_words, Embeddings *out,
                       W2vInfo *info, W2vProgressFn progress, void *ctx, Err *e)
{
    Load L;
    load_setup(&L, path, max_words, e);
    if (info)
        memset(info, 0, sizeof *info);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(&L, "%s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int er = errno;
        close(fd);
        return fail(&L, "%s", strerror(er));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return fail(&L, "is a directory, not a vector file");
    }
    /* zlib reads plain files as they are and gzip files (.vec.gz, .bin.gz) decompressed. */
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        return fail(&L, "out of memory opening the file");
    }
    gzbuffer(gz, 1u << 20);
    L.compressed = !gzdirect(gz);
    uint64_t size = (uint64_t)st.st_size;
    if (S_ISREG(st.st_mode) && (!L.compressed || size <= UINT64_MAX / GZ_MAX_RATIO)) {
        L.size_known = true; /* an upper bound on the bytes we will read */
        L.size = L.compressed ? size * GZ_MAX_RATIO : size;
    }
    L.r.gz = gz;
    L.r.progress = progress;
    L.r.pctx = ctx;
    L.r.file_size = S_ISREG(st.st_mode) ? size : 0;
    bool ok = load_common(&L, fmt, out, info);
    gzclose(gz);
    return ok;
}

bool w2v_load(const char *path, W2vFormat fmt, int64_t max_words, Embeddings *out, Err *e)
{
    return w2v_load_ex(path, fmt, max_words, out, NULL, e);
}

bool w2v_load_mem(const char *name, const void *data, size_t len, W2vFormat fmt,
                  int64_t max_words, Embeddings *out, W2vInfo *info, Err *e)
{
    Load L;
    load_setup(&L, name, max_words, e);
    if (info)
        memset(info, 0, sizeof *info);
    L.r.mem = data;
    L.r.mem_len = len;
    L.size_known = true;
    L.size = len;
    return load_common(&L, fmt, out, info);
}

const char *w2v_format_name(W2vFormat f)
{
    switch (f) {
    case W2V_AUTO: return "auto-detected";
    case W2V_TEXT: return "word2vec text";
    case W2V_BINARY: return "word2vec binary";
    case W2V_GLOVE: return "GloVe text";
    case W2V_PROJECTOR: return "projector TSV";
    }
    return "unknown";
}

/* ---- saving ---- */

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

bool w2v_save(const char *path, const Embeddings *emb, bool binary, Err *e)
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
