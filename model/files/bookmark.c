/* Bookmarks: see bookmark.h for the format. One table of keys drives both the parser and the
 * writer, so a key cannot be readable but not written or the other way round; the writer
 * checks its own output with the parser, so what saves always loads back. The training keys
 * take their ranges and their meaning in a TrainDesc from the TrainParam of the same name
 * (model/train/train_desc.h). Any thread. */
#include "model/files/bookmark.h"
#include "model/base/atomicfile.h"
#include "model/train/train_desc.h"
#include "model/vectors/embed.h"
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum { K_STR, K_VIEW, K_BOOL, K_INT, K_U64, K_DOUBLE, K_FLOATS, K_MODEL, K_WORD, K_PIN } Kind;

typedef struct Key {
    const char *name;
    Kind kind;
    uint32_t bit;      /* BOOKMARK_*; 0 for the repeatable word and pin */
    size_t off;        /* into Bookmark */
    size_t n;          /* K_STR: buffer bytes; K_FLOATS: how many */
    double lo, hi;     /* numbers: the accepted range (of the TrainParam when train) */
    bool train;        /* a training setting: the TrainParam named name gives range and field */
} Key;

#define OFF(f) offsetof(Bookmark, f)
#define TRAIN_KEY(name, kind, bit, field) {name, kind, bit, OFF(field), 0, 0, 0, true}
static const Key keys[] = {
    {"source", K_STR, BOOKMARK_SOURCE, OFF(source), BOOKMARK_MAX_PATH, 0, 0, false},
    {"view", K_VIEW, BOOKMARK_VIEW, OFF(view), BOOKMARK_MAX_VIEW, 0, 0, false},
    {"two_d", K_BOOL, BOOKMARK_TWO_D, OFF(two_d), 0, 0, 1, false},
    {"rotation", K_FLOATS, BOOKMARK_ROTATION, OFF(rotation), 4, -1.001, 1.001, false},
    {"target", K_FLOATS, BOOKMARK_TARGET, OFF(target), 3, -1e9, 1e9, false},
    {"distance", K_FLOATS, BOOKMARK_DISTANCE, OFF(distance), 1, 0, 1e9, false},
    {"label_size", K_INT, BOOKMARK_LABEL_SIZE, OFF(label_size), 0, 1, 200, false},
    {"k", K_INT, BOOKMARK_K, OFF(k), 0, 1, 1000, false},
    {"selected", K_STR, BOOKMARK_SELECTED, OFF(selected), VOCAB_MAX_WORD + 1, 0, 0, false},
    {"word", K_WORD, 0, OFF(words), VOCAB_MAX_WORD + 1, 0, 0, false},
    {"pin", K_PIN, 0, OFF(pins), BOOKMARK_MAX_PIN, 0, 0, false},
    {"projection", K_VIEW, BOOKMARK_PROJECTION, OFF(projection), BOOKMARK_MAX_VIEW, 0, 0, false},
    {"axis_x", K_STR, BOOKMARK_AXIS_X, OFF(axis[0]), BOOKMARK_MAX_AXIS, 0, 0, false},
    {"axis_y", K_STR, BOOKMARK_AXIS_Y, OFF(axis[1]), BOOKMARK_MAX_AXIS, 0, 0, false},
    {"color_by", K_STR, BOOKMARK_COLOR_BY, OFF(color_by), BOOKMARK_MAX_AXIS, 0, 0, false},
    {"density", K_VIEW, BOOKMARK_DENSITY, OFF(density), BOOKMARK_MAX_VIEW, 0, 0, false},
    /* the ranges gui_proj_set_layout takes (app/gui/data/proj.c) */
    {"layout_neighbors", K_INT, BOOKMARK_LAYOUT_NEIGHBORS, OFF(layout_neighbors), 0, 0, 256, false},
    {"layout_min_dist", K_DOUBLE, BOOKMARK_LAYOUT_MIN_DIST, OFF(layout_min_dist), 0, 0, 10, false},
    {"layout_perplexity", K_DOUBLE, BOOKMARK_LAYOUT_PERPLEXITY, OFF(layout_perplexity), 0, 0, 200, false},
    {"layout_epochs", K_INT, BOOKMARK_LAYOUT_EPOCHS, OFF(layout_epochs), 0, 0, 10000, false},
    TRAIN_KEY("model", K_MODEL, BOOKMARK_MODEL, model),
    TRAIN_KEY("dim", K_INT, BOOKMARK_DIM, dim),
    TRAIN_KEY("window", K_INT, BOOKMARK_WINDOW, window),
    TRAIN_KEY("negative", K_INT, BOOKMARK_NEGATIVE, negative),
    TRAIN_KEY("sample", K_DOUBLE, BOOKMARK_SAMPLE, sample),
    TRAIN_KEY("alpha", K_DOUBLE, BOOKMARK_ALPHA, alpha),
    TRAIN_KEY("epochs", K_INT, BOOKMARK_EPOCHS, epochs),
    TRAIN_KEY("min_count", K_INT, BOOKMARK_MIN_COUNT, min_count),
    TRAIN_KEY("threads", K_INT, BOOKMARK_THREADS, threads),
    TRAIN_KEY("seed", K_U64, BOOKMARK_SEED, seed),
};
#define NKEYS (sizeof keys / sizeof keys[0])

/* ---- parsing ---- */

/* The accepted range of a number key. */
static void range(const Key *k, double *lo, double *hi)
{
    const TrainParam *p = k->train ? train_param_by_name(k->name) : NULL;
    *lo = p ? p->lo : k->lo;
    *hi = p ? p->hi : k->hi;
}

typedef struct Parse {
    const char *name;
    int64_t line;
    locale_t loc;          /* "C": a decimal point whatever the process locale */
    Err *e;
    Bookmark *b;
    uint32_t seen;
} Parse;

static bool failp(Parse *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool failp(Parse *P, const char *fmt, ...)
{
    char why[sizeof P->e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    for (char *s = why; *s; s++) /* values quoted in the reason may hold \n (escaped input) */
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            *s = '?';
    return err_set(P->e, "%.120s:line %lld: %s", P->name, (long long)P->line, why);
}

static inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Undoes the escapes of s[0..n) into out (cap bytes with the NUL); *len gets the length. */
static bool unescape(Parse *P, const char *s, size_t n, char *out, size_t cap, size_t *len)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\') {
            char x = i + 1 < n ? s[++i] : 0;
            int hi, lo;
            switch (x) {
            case '\\': c = '\\'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 's': c = ' '; break;
            case 'x':
                if (i + 2 >= n || (hi = hexval(s[i + 1])) < 0 || (lo = hexval(s[i + 2])) < 0)
                    return failp(P, "'\\x' needs two hex digits");
                c = (unsigned char)(hi * 16 + lo);
                i += 2;
                if (c == 0)
                    return failp(P, "'\\x00': a NUL byte cannot be stored");
                break;
            case 0:
                return failp(P, "a lone '\\' ends the value (write '\\\\')");
            default:
                return failp(P, "unknown escape '\\%c' (known: \\\\ \\n \\r \\t \\s \\xHH)",
                             x > 0x20 && x < 0x7F ? x : '?');
            }
        } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
            return failp(P, "control byte 0x%02X in the value (write it as \\x%02X)", c, c);
        }
        if (o + 1 >= cap)
            return failp(P, "value longer than %zu bytes", cap - 1);
        out[o++] = (char)c;
    }
    out[o] = 0;
    *len = o;
    return true;
}

static bool parse_int(Parse *P, const Key *k, const char *v)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end || (*v != '-' && *v != '+' && (*v < '0' || *v > '9')))
        return failp(P, "%s: '%.40s' is not a whole number", k->name, v);
    double lo, hi;
    range(k, &lo, &hi);
    if (errno == ERANGE || x < (long long)lo || x > (long long)hi)
        return failp(P, "%s: %.40s is outside %.0f..%.0f", k->name, v, lo, hi);
    int *dst = (int *)((char *)P->b + k->off);
    if (k->kind == K_BOOL)
        *(bool *)dst = x != 0;
    else
        *dst = (int)x;
    return true;
}

static bool parse_u64(Parse *P, const Key *k, const char *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (end == v || *end || *v < '0' || *v > '9')
        return failp(P, "%s: '%.40s' is not a whole number >= 0", k->name, v);
    if (errno == ERANGE)
        return failp(P, "%s: %.40s is larger than 2^64 - 1", k->name, v);
    *(uint64_t *)((char *)P->b + k->off) = (uint64_t)x;
    return true;
}

/* A finite number in [lo, hi] (distance: (0, hi]) that fills the whole field. */
static bool number(Parse *P, const Key *k, const char *v, const char **end, double *x, bool single)
{
    char *q;
    errno = 0;
    *x = single ? (double)strtof_l(v, &q, P->loc) : strtod_l(v, &q, P->loc);
    if (q == v || (*q && !is_blank(*q)))
        return failp(P, "%s: '%.40s' is not a number", k->name, v);
    if (!isfinite(*x))
        return failp(P, "%s: %s is not allowed", k->name, isnan(*x) ? "NaN" : "an infinite value");
    double lo, hi;
    range(k, &lo, &hi);
    if (*x < lo || *x > hi || (k->bit == BOOKMARK_DISTANCE && *x <= 0))
        return failp(P, "%s: %.40s is outside %s%g..%g]", k->name, v,
                     k->bit == BOOKMARK_DISTANCE ? "(" : "[", lo, hi);
    *end = q;
    return true;
}

static bool parse_floats(Parse *P, const Key *k, const char *v)
{
    float *dst = (float *)((char *)P->b + k->off);
    const char *p = v;
    double x, norm = 0;
    for (size_t i = 0; i < k->n; i++) {
        while (is_blank(*p))
            p++;
        if (!*p)
            return failp(P, "%s: expected %zu numbers, found %zu", k->name, k->n, i);
        if (!number(P, k, p, &p, &x, true))
            return false;
        dst[i] = (float)x;
        norm += x * x;
    }
    while (is_blank(*p))
        p++;
    if (*p)
        return failp(P, "%s: expected %zu numbers, found more", k->name, k->n);
    /* the renderer builds its view matrix from this without renormalising */
    if (k->bit == BOOKMARK_ROTATION && fabs(sqrt(norm) - 1) > 1e-3)
        return failp(P, "rotation: not a unit quaternion (length %.6g)", sqrt(norm));
    return true;
}

static bool parse_string(Parse *P, const Key *k, const char *raw, size_t n)
{
    char *dst;
    Bookmark *b = P->b;
    if (k->kind == K_WORD) {
        if (b->n_words == BOOKMARK_MAX_WORDS)
            return failp(P, "more than %d 'word' lines", BOOKMARK_MAX_WORDS);
        dst = b->words[b->n_words];
    } else if (k->kind == K_PIN) {
        if (b->n_pins == BOOKMARK_MAX_PINS)
            return failp(P, "more than %d 'pin' lines", BOOKMARK_MAX_PINS);
        dst = b->pins[b->n_pins];
    } else {
        dst = (char *)b + k->off;
    }
    size_t len = 0;
    if (!unescape(P, raw, n, dst, k->n, &len))
        return false;
    if ((k->kind == K_WORD || k->kind == K_PIN) && len == 0)
        return failp(P, "%s: empty", k->name);
    if (k->kind == K_VIEW) {
        if (len == 0 || strspn(dst, "abcdefghijklmnopqrstuvwxyz0123456789_-") != len)
            return failp(P, "%s: '%.40s' is not a name of [a-z0-9_-]", k->name, dst);
    }
    b->n_words += k->kind == K_WORD;
    b->n_pins += k->kind == K_PIN;
    return true;
}

static bool parse_value(Parse *P, const Key *k, const char *raw, size_t n)
{
    if (k->kind == K_STR || k->kind == K_VIEW || k->kind == K_WORD || k->kind == K_PIN)
        return parse_string(P, k, raw, n);
    char v[256];
    size_t len = 0;
    if (!unescape(P, raw, n, v, sizeof v, &len))
        return false;
    switch (k->kind) {
    case K_BOOL:
    case K_INT: return parse_int(P, k, v);
    case K_U64: return parse_u64(P, k, v);
    case K_FLOATS: return parse_floats(P, k, v);
    case K_DOUBLE: {
        const char *end;
        double x;
        if (!number(P, k, v, &end, &x, false))
            return false;
        while (is_blank(*end))
            end++;
        if (*end)
            return failp(P, "%s: expected one number", k->name);
        *(double *)((char *)P->b + k->off) = x;
        return true;
    }
    case K_MODEL:
        if (strcmp(v, "sg") && strcmp(v, "cbow"))
            return failp(P, "model: '%.40s' is not sg or cbow", v);
        P->b->model = v[0] == 'c' ? BOOKMARK_CBOW : BOOKMARK_SG;
        return true;
    default:
        return false;
    }
}

/* One line (without its '\n'). */
static bool parse_line(Parse *P, const char *s, size_t n)
{
    while (n && is_blank(s[n - 1]))
        n--;
    size_t i = 0;
    while (i < n && is_blank(s[i]))
        i++;
    if (i == n || s[i] == '#')
        return true;
    const char *eq = memchr(s + i, '=', n - i);
    if (!eq)
        return failp(P, "expected 'key = value'");
    size_t kl = (size_t)(eq - (s + i));
    while (kl && is_blank(s[i + kl - 1]))
        kl--;
    const char *key = s + i, *raw = eq + 1, *end = s + n;
    while (raw < end && is_blank(*raw))
        raw++;
    size_t rn = (size_t)(end - raw);
    if (kl == 7 && !memcmp(key, "version", 7)) {
        if (P->seen & 0x80000000u)
            return failp(P, "repeated key 'version'");
        char v[32];
        size_t len = 0;
        if (rn >= sizeof v)
            return failp(P, "version: not %d", BOOKMARK_VERSION);
        if (!unescape(P, raw, rn, v, sizeof v, &len))
            return false;
        if (strcmp(v, "1"))
            return failp(P, "version %.20s is not %d (a newer embedscope wrote it?)", v, BOOKMARK_VERSION);
        P->seen |= 0x80000000u;
        return true;
    }
    if (!(P->seen & 0x80000000u))
        return failp(P, "no 'version = %d' before the first key (not a bookmark?)", BOOKMARK_VERSION);
    for (size_t k = 0; k < NKEYS; k++) {
        if (strlen(keys[k].name) != kl || memcmp(keys[k].name, key, kl))
            continue;
        if (keys[k].bit && (P->seen & keys[k].bit))
            return failp(P, "repeated key '%s'", keys[k].name);
        if (!parse_value(P, &keys[k], raw, rn))
            return false;
        P->seen |= keys[k].bit;
        return true;
    }
    char shown[48];
    size_t sl = kl < 40 ? kl : 40;
    for (size_t j = 0; j < sl; j++)
        shown[j] = (unsigned char)key[j] >= 0x20 && (unsigned char)key[j] < 0x7F ? key[j] : '?';
    shown[sl] = 0;
    return failp(P, "unknown key '%s%s'", shown, kl > sl ? "..." : "");
}

bool bookmark_parse(const char *name, const char *text, size_t len, Bookmark *out, Err *e)
{
    Bookmark *b = malloc(sizeof *b); /* ~7 KiB: kept off small thread stacks */
    Parse P = {.name = name, .e = e, .b = b};
    if (!b)
        return err_set(e, "%.120s: out of memory", name);
    memset(b, 0, sizeof *b);
    bool ok = true;
    if (len > BOOKMARK_MAX_FILE)
        ok = err_set(e, "%.120s: %zu bytes; a bookmark is at most %u", name, len, BOOKMARK_MAX_FILE);
    else if (!(P.loc = newlocale(LC_ALL_MASK, "C", (locale_t)0)))
        ok = err_set(e, "%.120s: cannot create the C locale", name);
    const char *p = text, *end = text + len;
    if (ok && len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    while (ok && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        P.line++;
        if (n > BOOKMARK_MAX_LINE)
            ok = failp(&P, "line longer than %d bytes", BOOKMARK_MAX_LINE);
        else if (memchr(p, 0, n))
            ok = failp(&P, "NUL byte (not a text file?)");
        else
            ok = parse_line(&P, p, n);
        p = nl ? nl + 1 : end;
    }
    if (ok && !(P.seen & 0x80000000u))
        ok = err_set(e, "%.120s:line %lld: no 'version = %d' line (empty or not a bookmark)", name,
                     (long long)(P.line + 1), BOOKMARK_VERSION);
    if (P.loc)
        freelocale(P.loc);
    if (ok) {
        b->set = P.seen & ~0x80000000u;
        memcpy(out, b, sizeof *b); /* memcpy, not =: padding too, so loads compare bytewise */
    }
    free(b);
    return ok;
}

bool bookmark_load(const char *path, Bookmark *out, Err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, "%.120s: %s", path, strerror(errno));
    struct stat st;
    char *data = NULL;
    bool ok = false;
    if (fstat(fd, &st) != 0)
        err_set(e, "%.120s: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        err_set(e, "%.120s: not a regular file", path);
    else if ((uint64_t)st.st_size > BOOKMARK_MAX_FILE)
        err_set(e, "%.120s: %lld bytes; a bookmark is at most %u", path, (long long)st.st_size, BOOKMARK_MAX_FILE);
    else if (!(data = malloc((size_t)st.st_size + 1)))
        err_set(e, "%.120s: out of memory", path);
    else {
        size_t got = 0, want = (size_t)st.st_size + 1; /* +1: notice a file that grew */
        ssize_t r = 1;
        while (got < want && r > 0) {
            r = read(fd, data + got, want - got);
            if (r < 0 && errno == EINTR)
                r = 1;
            else if (r > 0)
                got += (size_t)r;
        }
        if (r < 0)
            err_set(e, "%.120s: %s", path, strerror(errno));
        else
            ok = bookmark_parse(path, data, got, out, e);
    }
    free(data);
    close(fd);
    return ok;
}

/* ---- writing ---- */


static void write_escaped(FILE *f, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        size_t k = c >= 0x80 ? vocab_utf8_len(u + i, n - i) : 1;
        if (c == '\\')
            fputs("\\\\", f);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c == ' ' && (i == 0 || i == n - 1)) /* blanks around a value are dropped */
            fputs("\\s", f);
        else if (c < 0x20 || c == 0x7F || k == 0)
            fprintf(f, "\\x%02X", c);
        else {
            fwrite(u + i, 1, k, f);
            i += k;
            continue;
        }
        i++;
    }
}

/* The value text of a single-number or model key, as the writer writes it (in the calling
 * thread's locale: the callers switch to "C"). */
static void scalar_text(const Bookmark *b, const Key *k, char *buf, size_t cap)
{
    const char *base = (const char *)b + k->off;
    switch (k->kind) {
    case K_BOOL: snprintf(buf, cap, "%d", *(const bool *)base ? 1 : 0); break;
    case K_INT: snprintf(buf, cap, "%d", *(const int *)base); break;
    case K_U64: snprintf(buf, cap, "%llu", (unsigned long long)*(const uint64_t *)base); break;
    case K_DOUBLE: snprintf(buf, cap, "%.17g", *(const double *)base); break; /* exact */
    case K_MODEL: snprintf(buf, cap, "%s", b->model == BOOKMARK_CBOW ? "cbow" : "sg"); break;
    default: snprintf(buf, cap, "?"); break;
    }
}

static bool write_key(FILE *f, const Bookmark *b, const Key *k, const char *name, Err *e)
{
    const char *base = (const char *)b + k->off;
    char v[64];
    switch (k->kind) {
    case K_STR:
    case K_VIEW:
        if (!memchr(base, 0, k->n))
            return err_set(e, "%.120s: cannot save: %s is not NUL-terminated", name, k->name);
        fprintf(f, "%s =%s", k->name, *base ? " " : "");
        write_escaped(f, base);
        break;
    case K_BOOL:
    case K_INT:
    case K_U64:
    case K_DOUBLE:
    case K_MODEL:
        scalar_text(b, k, v, sizeof v);
        fprintf(f, "%s = %s", k->name, v);
        break;
    case K_FLOATS:
        fprintf(f, "%s =", k->name);
        for (size_t i = 0; i < k->n; i++)
            fprintf(f, " %.9g", (double)((const float *)base)[i]); /* 9 digits: exact for float */
        break;
    case K_WORD:
    case K_PIN: {
        int count = k->kind == K_WORD ? b->n_words : b->n_pins;
        int most = k->kind == K_WORD ? BOOKMARK_MAX_WORDS : BOOKMARK_MAX_PINS;
        if (count < 0 || count > most)
            return err_set(e, "%.120s: cannot save: %d %ss (at most %d)", name, count, k->name, most);
        for (int i = 0; i < count; i++) {
            const char *s = k->kind == K_WORD ? b->words[i] : b->pins[i];
            if (!memchr(s, 0, k->n))
                return err_set(e, "%.120s: cannot save: %s %d is not NUL-terminated", name, k->name, i + 1);
            fprintf(f, "%s%s = ", i ? "\n" : "", k->name);
            write_escaped(f, s);
        }
        if (!count)
            return true;
        break;
    }
    }
    fputc('\n', f);
    return true;
}

bool bookmark_write(const Bookmark *b, FILE *out, const char *name, Err *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return err_set(e, "%.120s: out of memory", name);
    /* numbers in the C locale whatever the process uses (uselocale is per thread) */
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0), old = c ? uselocale(c) : (locale_t)0;
    bool ok = c != (locale_t)0;
    fprintf(f, "# embedscope bookmark\nversion = %d\n", BOOKMARK_VERSION);
    for (size_t k = 0; k < NKEYS && ok; k++)
        if (!keys[k].bit || (b->set & keys[k].bit))
            ok = write_key(f, b, &keys[k], name, e);
    if (c) {
        uselocale(old);
        freelocale(c);
    } else {
        err_set(e, "%.120s: cannot create the C locale", name);
    }
    ok = fclose(f) == 0 && ok;
    Bookmark *check = ok ? malloc(sizeof *check) : NULL;
    if (ok && !check)
        ok = err_set(e, "%.120s: out of memory", name);
    /* what the parser refuses (a NaN, a bad view name, a value too long) is refused here too */
    if (ok && !bookmark_parse(name, text, len, check, e))
        ok = err_prefix(e, "cannot save: ");
    if (ok && fwrite(text, 1, len, out) != len)
        ok = err_set(e, "%.120s: write error", name);
    free(check);
    free(text);
    return ok;
}

bool bookmark_save(const char *path, const Bookmark *b, Err *e)
{
    AtomicFile a;
    if (!af_open(&a, path, e))
        return false;
    if (!bookmark_write(b, a.f, path, e)) {
        af_abort(&a);
        return false;
    }
    return af_commit(&a, e);
}

/* ---- training settings, through the TrainParam table ---- */

void bookmark_apply_train(const Bookmark *b, TrainDesc *d)
{
    /* the text of a double in the C locale, as train_param_parse reads it */
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0), old = c ? uselocale(c) : (locale_t)0;
    char v[64];
    for (size_t k = 0; k < NKEYS; k++)
        if (keys[k].train && (b->set & keys[k].bit)) {
            scalar_text(b, &keys[k], v, sizeof v);
            train_param_parse(train_param_by_name(keys[k].name), keys[k].name, v, d, NULL);
        }
    if (c) {
        uselocale(old);
        freelocale(c);
    }
}

bool bookmark_store_train(Bookmark *b, const TrainDesc *d)
{
    Err e;
    Parse P = {.name = "training settings", .e = &e, .b = b};
    if (!(P.loc = newlocale(LC_ALL_MASK, "C", (locale_t)0)))
        return false;
    bool all = true;
    char v[64];
    for (size_t k = 0; k < NKEYS; k++)
        if (keys[k].train) {
            train_param_format(train_param_by_name(keys[k].name), d, v, sizeof v);
            bool ok = parse_value(&P, &keys[k], v, strlen(v));
            b->set |= ok ? keys[k].bit : 0;
            all = all && ok;
        }
    freelocale(P.loc);
    return all;
}
