/* Metadata columns (see meta.h): the file is copied once with its cells NUL-terminated in
 * place and indexed by offset, then each column is classed in one pass with a Vocab counting
 * its distinct values. Any thread; no shared state. */
#include "model/files/meta.h"
#include "model/files/lex.h"
#include "model/files/readbuf.h"
#include "model/files/tbproj.h"
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void meta_init(Meta *m) { memset(m, 0, sizeof *m); }

void meta_deinit(Meta *m)
{
    for (int c = 0; m->col && c < m->ncols; c++) {
        free(m->col[c].num);
        free(m->col[c].code);
    }
    free(m->col);
    free(m->text);
    free(m->cell);
    meta_init(m);
}

/* src as a name for the screen: cut at a UTF-8 boundary to fit, invalid UTF-8 and control
 * bytes as '?' (SDL_ttf would draw boxes or nothing). */
static void display_name(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src), o = 0;
    for (size_t i = 0; i < n && o + 1 < cap;) {
        size_t k = vocab_utf8_len((const unsigned char *)src + i, n - i);
        if (k == 0 || (k == 1 && (unsigned char)src[i] < 32)) {
            dst[o++] = '?';
            i++;
            continue;
        }
        if (o + k >= cap)
            break;
        memcpy(dst + o, src + i, k);
        o += k;
        i += k;
    }
    dst[o] = 0;
}

static int count_cells(const char *s, size_t n)
{
    int c = 1;
    for (const char *p = s; (p = memchr(p, '\t', n - (size_t)(p - s))) != NULL && c <= META_MAX_COLUMNS; p++)
        c++;
    return c;
}

/* Checks the lines of text [0, len) (NULs already replaced) and counts the rows after the
 * header; ncols from the header. */
static bool scan_lines(Meta *m, const char *text, size_t len, Err *e)
{
    const char *p = text, *end = text + len;
    int64_t line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        line++;
        if (n > READBUF_MAX_LINE)
            return err_set(e, "%s:line %lld: line longer than %d bytes", m->name, (long long)line,
                           READBUF_MAX_LINE);
        if (n && p[n - 1] == '\r')
            n--;
        int cols = count_cells(p, n);
        if (line == 1) {
            if (cols > META_MAX_COLUMNS)
                return err_set(e, "%s:line 1: more than %d columns", m->name, META_MAX_COLUMNS);
            if (cols < 2)
                return err_set(e, "%s:line 1: one column and so no header: nothing to colour by "
                               "(a header 'word<TAB>column...' then one row per word)", m->name);
            m->ncols = cols;
        } else if (cols != m->ncols) {
            return err_set(e, "%s:line %lld: %s%d columns, the header has %d", m->name, (long long)line,
                           cols > META_MAX_COLUMNS ? "more than " : "", cols, m->ncols);
        }
        if ((line + 1) * m->ncols > META_MAX_CELLS)
            return err_set(e, "%s:line %lld: more than %lld cells (rows x columns) refused", m->name,
                           (long long)line, (long long)META_MAX_CELLS);
        p = nl ? nl + 1 : end;
    }
    if (line == 0)
        return err_set(e, "%s: empty file (expected a header line and one row per word)", m->name);
    if (line == 1)
        return err_set(e, "%s: a header and no rows", m->name);
    m->rows = line - 1;
    return true;
}

/* Cuts text into NUL-terminated cells and records their offsets (lines already checked). */
static void index_cells(Meta *m, char *text, size_t len)
{
    size_t k = 0;
    char *p = text, *end = text + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *stop = nl ? nl : end;
        if (stop > p && stop[-1] == '\r')
            stop[-1] = 0;
        m->cell[k++] = (uint32_t)(p - text);
        for (char *q = p; (q = memchr(q, '\t', (size_t)(stop - q))) != NULL; q++) {
            *q = 0;
            m->cell[k++] = (uint32_t)(q + 1 - text);
        }
        *stop = 0;
        p = nl ? nl + 1 : end;
    }
}

static bool blank(const char *s)
{
    while (*s == ' ')
        s++;
    return !*s;
}

/* Is s (trimmed of spaces) one finite number? */
static bool number(const char *s, float *x, locale_t loc)
{
    while (*s == ' ')
        s++;
    const char *q = lex_float(s, x, loc);
    if (q == s)
        return false;
    while (*q == ' ')
        q++;
    return !*q && isfinite(*x);
}

static bool class_numeric(Meta *m, MetaColumn *col, int c, locale_t loc, Err *e)
{
    col->kind = META_NUMERIC;
    col->num = malloc((size_t)m->rows * sizeof *col->num);
    if (!col->num)
        return err_set(e, "%s: out of memory for column '%s'", m->name, col->name);
    bool any = false;
    for (int64_t r = 0; r < m->rows; r++) {
        float x = NAN;
        if (!blank(meta_value(m, r, c)))
            number(meta_value(m, r, c), &x, loc);
        col->num[r] = x;
        if (x == x) {
            col->lo = any ? fminf(col->lo, x) : x;
            col->hi = any ? fmaxf(col->hi, x) : x;
            any = true;
        }
    }
    return true;
}

/* The categories of column c, whose distinct values (with their counts) are in seen. */
static bool class_categorical(Meta *m, MetaColumn *col, int c, Vocab *seen, Err *e)
{
    col->kind = META_CATEGORICAL;
    col->code = malloc((size_t)m->rows);
    if (!col->code)
        return err_set(e, "%s: out of memory for column '%s'", m->name, col->name);
    vocab_sort(seen); /* most common first; ties bytewise */
    int keep = seen->size > META_MAX_CATEGORIES ? META_MAX_CATEGORIES - 1 : (int)seen->size;
    col->other = seen->size > META_MAX_CATEGORIES;
    col->ncat = keep + col->other;
    for (int k = 0; k < keep; k++) {
        display_name(col->cat[k].name, sizeof col->cat[k].name, vocab_word(seen, k));
        col->cat[k].count = (int64_t)seen->counts[k];
    }
    if (col->other) {
        snprintf(col->cat[keep].name, sizeof col->cat[keep].name, "other");
        for (int64_t k = keep; k < seen->size; k++)
            col->cat[keep].count += (int64_t)seen->counts[k];
    }
    for (int64_t r = 0; r < m->rows; r++) {
        const char *s = meta_value(m, r, c);
        int64_t k = blank(s) ? -1 : vocab_find(seen, s, vocab_utf8_cut(s, strlen(s), VOCAB_MAX_WORD));
        col->code[r] = k < 0 ? META_MISSING : (uint8_t)(k < keep ? k : keep);
    }
    return true;
}

/* Classes column c (see meta.h) and fills its values. */
static bool class_column(Meta *m, int c, locale_t loc, Err *e)
{
    MetaColumn *col = &m->col[c];
    Vocab seen;
    vocab_init(&seen);
    bool numeric = true, integers = true, ok = true;
    for (int64_t r = 0; r < m->rows && ok; r++) {
        const char *s = meta_value(m, r, c);
        if (blank(s)) {
            col->missing++;
            continue;
        }
        float x = 0;
        if (numeric && !number(s, &x, loc))
            numeric = false;
        integers = integers && numeric && x == rintf(x);
        ok = vocab_add(&seen, s, strlen(s), 1, e) >= 0;
    }
    col->distinct = seen.size;
    if (!ok)
        err_prefix(e, "%s: column '%s': ", m->name, col->name);
    else if (numeric && seen.size > 0 && !(integers && seen.size <= META_MAX_CATEGORIES))
        ok = class_numeric(m, col, c, loc, e);
    else
        ok = class_categorical(m, col, c, &seen, e);
    vocab_deinit(&seen);
    return ok;
}

static bool parse_into(Meta *m, const char *data, size_t len, Err *e)
{
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        data += 3;
        len -= 3;
    }
    if (len > META_MAX_BYTES)
        return err_set(e, "%s: %zu bytes; metadata larger than %u bytes is refused", m->name, len,
                       META_MAX_BYTES);
    if (!(m->text = malloc(len + 1)))
        return err_set(e, "%s: out of memory", m->name);
    memcpy(m->text, data, len);
    m->text[len] = 0;
    for (char *p = m->text; (p = memchr(p, 0, len - (size_t)(p - m->text))) != NULL; p++)
        *p = '_';
    if (!scan_lines(m, m->text, len, e))
        return false;
    m->cell = malloc((size_t)(m->rows + 1) * (size_t)m->ncols * sizeof *m->cell);
    m->col = calloc((size_t)m->ncols, sizeof *m->col);
    if (!m->cell || !m->col)
        return err_set(e, "%s: out of memory for %lld rows", m->name, (long long)m->rows);
    index_cells(m, m->text, len);
    for (int c = 0; c < m->ncols; c++)
        display_name(m->col[c].name, sizeof m->col[c].name, m->text + m->cell[c]);
    locale_t loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!loc)
        return err_set(e, "cannot create the C locale");
    bool ok = true;
    for (int c = 1; c < m->ncols && ok; c++)
        ok = class_column(m, c, loc, e);
    freelocale(loc);
    return ok;
}

bool meta_parse(Meta *m, const char *name, const char *data, size_t len, Err *e)
{
    Meta t;
    meta_init(&t);
    snprintf(t.name, sizeof t.name, "%s", name ? name : "metadata");
    if (!parse_into(&t, data, len, e)) {
        meta_deinit(&t);
        return false;
    }
    meta_deinit(m);
    *m = t;
    return true;
}

bool meta_load(Meta *m, const char *path, Err *e)
{
    char *data;
    size_t len;
    if (!tbproj_read_whole(path, META_MAX_BYTES, &data, &len, e))
        return false;
    bool ok = meta_parse(m, path, data, len, e);
    free(data);
    return ok;
}

int64_t meta_match(const Meta *m, const Vocab *v, bool by_row, int64_t *row_of)
{
    for (int64_t i = 0; i < v->size; i++)
        row_of[i] = by_row && i < m->rows ? i : -1;
    if (!by_row)
        for (int64_t r = m->rows - 1; r >= 0; r--) { /* backwards: the first row of a key wins */
            const char *k = meta_value(m, r, 0);
            int64_t i = vocab_find(v, k, strlen(k));
            if (i >= 0)
                row_of[i] = r;
        }
    int64_t unmatched = 0;
    for (int64_t i = 0; i < v->size; i++)
        unmatched += row_of[i] < 0;
    return unmatched;
}

bool meta_sniff(const char *start, size_t len)
{
    char data[4096]; /* a NUL-terminated copy of the first line: lex_float reads to a NUL */
    const char *nl = memchr(start, '\n', len);
    size_t n = nl ? (size_t)(nl - start) : len;
    if (n >= 3 && !memcmp(start, "\xEF\xBB\xBF", 3)) {
        start += 3;
        n -= 3;
    }
    n = n < sizeof data - 1 ? n : sizeof data - 1;
    memcpy(data, start, n);
    data[n] = 0;
    if (!memchr(data, '\t', n) || memchr(data, 0, n))
        return false;
    locale_t loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!loc)
        return false;
    bool all_numbers = true;
    for (const char *p = data, *end = data + n; p < end && all_numbers;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *stop = tab ? tab : end;
        float x;
        const char *q = lex_float(p, &x, loc);
        all_numbers = q == stop || (q + 1 == stop && *q == '\r');
        p = stop + 1;
    }
    freelocale(loc);
    return !all_numbers;
}
