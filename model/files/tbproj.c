/* The projector's files (see tbproj.h). vectors.tsv rows go through the shared VecLoad, so
 * they get the same bounded reader, float parser and size checks as every vector file;
 * metadata.tsv is read whole (size-capped) and its labels turned into distinct words. Any
 * thread; no shared state. */
#include "model/files/tbproj.h"
#include "model/base/atomicfile.h"
#include "model/files/lex.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- vectors.tsv ---- */

/* Parses "v1<TAB>...<TAB>vdim" (trimmed, n bytes) into dst; the row is named by its index, so
 * metadata.tsv can relabel it. */
static bool proj_row(VecLoad *L, const char *s, size_t n, float *dst)
{
    if (!vecload_values(L, s, s + n, dst, NULL, 0))
        return false;
    char w[24];
    int wl = snprintf(w, sizeof w, "%lld", (long long)L->info.rows_read);
    return vecload_keep_row(L, w, (size_t)wl);
}

/* Smallest projector row: dim 1-byte values, dim - 1 tabs and the newline. */
static uint64_t proj_min_row(const VecLoad *L) { return 2 * (uint64_t)L->dim; }

/* The next non-blank line into s, n; *blank: the first blank line passed (0: none). READBUF_*
 * codes, the error set on failures. */
static int next_row_line(VecLoad *L, char **s, size_t *n, int64_t *blank)
{
    for (;;) {
        int rc = readbuf_line(&L->r, s, n);
        if (rc == READBUF_EOF)
            return rc;
        if (rc == READBUF_TOO_LONG)
            return vecload_fail_line(L, L->line + 1, "line longer than %d bytes", READBUF_MAX_LINE), rc;
        if (rc == READBUF_IOERR)
            return vecload_fail_line(L, L->line + 1, "read error: %s", L->r.why), rc;
        L->line++;
        if (lex_trim(*s, n))
            return rc;
        if (!*blank)
            *blank = L->line;
    }
}

bool tbproj_rows(VecLoad *L, char *s, size_t n)
{
    size_t f = lex_count_fields(s, s + n);
    L->fmt = VEC_PROJECTOR;
    L->header_rows = -1;
    if (f > EMB_MAX_DIM)
        return vecload_fail_line(L, L->line, "%zu values per row; the limit is %d", f, EMB_MAX_DIM);
    if (!vecload_set_dim(L, (long long)f) || !vecload_first_rows_like(L, n, proj_min_row(L)))
        return false;
    if (L->line != 1)
        return vecload_fail_line(L, 1, "blank line before the first row (rows must line up with metadata.tsv)");
    int64_t blank = 0;
    for (;;) {
        if (L->max_words > 0 && L->rows == L->max_words) {
            L->info.limited = true;
            return true;
        }
        if (blank)
            return vecload_fail_line(L, blank, "blank line between rows (rows must line up with metadata.tsv)");
        if (!vecload_reserve_row(L, proj_min_row(L)) || !proj_row(L, s, n, vecload_row(L)))
            return false;
        int rc = next_row_line(L, &s, &n, &blank);
        if (rc != READBUF_LINE)
            return rc == READBUF_EOF;
    }
}

/* ---- metadata.tsv ---- */

typedef struct Labels {
    const char *name;  /* the metadata path, for messages */
    Embeddings *t;     /* the rows to name */
    VecInfo *info;
    Err *e;
    Vocab words;       /* the new vocabulary, row i = label i */
    Vocab bases;       /* repeated labels; count = the last "#n" handed out for it */
} Labels;

/* A free "base#n" for a repeated word, n counting up from the last one given to this base, so
 * many repeats of one label stay linear. */
static bool dedupe(Labels *L, char *w, size_t *wl)
{
    int64_t b = vocab_find(&L->bases, w, *wl);
    if (b < 0) {
        b = vocab_add(&L->bases, w, *wl, 1, L->e);
        if (b < 0)
            return false;
        L->bases.counts[b] = 1;
    }
    uint64_t k = L->bases.counts[b];
    char cand[VOCAB_MAX_WORD + 1];
    size_t cl;
    do {
        char suf[24];
        int sl = snprintf(suf, sizeof suf, "#%llu", (unsigned long long)++k);
        size_t keep = vocab_utf8_cut(w, *wl, VOCAB_MAX_WORD - (size_t)sl);
        memcpy(cand, w, keep);
        memcpy(cand + keep, suf, (size_t)sl);
        cl = keep + (size_t)sl;
    } while (vocab_find(&L->words, cand, cl) >= 0);
    L->bases.counts[b] = k;
    memcpy(w, cand, cl);
    *wl = cl;
    return true;
}

/* Label of row `row` (the first column, len bytes) as a new distinct word. */
static bool add_label(Labels *L, int64_t row, const char *s, size_t len)
{
    char w[VOCAB_MAX_WORD + 1];
    size_t wl = vocab_utf8_cut(s, len, VOCAB_MAX_WORD);
    bool renamed = false;
    if (wl < len)
        L->info->truncated++;
    for (size_t i = 0; i < wl; i++) {
        bool bad = s[i] == 0 || lex_is_sep(s[i]);
        w[i] = bad ? '_' : s[i];
        renamed |= bad;
    }
    if (wl == 0) {
        wl = (size_t)snprintf(w, sizeof w, "%lld", (long long)row);
        renamed = true;
    }
    if (vocab_find(&L->words, w, wl) >= 0) {
        if (!dedupe(L, w, &wl))
            return false;
        renamed = true;
    }
    L->info->renamed += renamed;
    if (vocab_add(&L->words, w, wl, 1, L->e) != row)
        return err_prefix(L->e, "%s: out of memory for the labels: ", L->name);
    return true;
}

static int columns(const char *s, size_t n)
{
    int c = 1;
    for (const char *p = s; (p = memchr(p, '\t', n - (size_t)(p - s))) != NULL; p++)
        c++;
    return c;
}

/* Parses the metadata lines into L->words. */
static bool parse_labels(Labels *L, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    int64_t line = 0, rows = 0;
    VecInfo *in = L->info;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        line++;
        if (n > READBUF_MAX_LINE)
            return err_set(L->e, "%s:line %lld: line longer than %d bytes", L->name, (long long)line,
                           READBUF_MAX_LINE);
        if (n && p[n - 1] == '\r')
            n--;
        int cols = columns(p, n);
        if (line == 1) {
            in->metadata_columns = cols;
            in->metadata_header = cols > 1;
        }
        if (line > 1 || !in->metadata_header) {
            if (cols != in->metadata_columns)
                return err_set(L->e, "%s:line %lld: %d columns, the header has %d", L->name,
                               (long long)line, cols, in->metadata_columns);
            if (rows == L->t->rows) {
                if (in->limited)
                    break;
                return err_set(L->e, "%s:line %lld: more labels than the %lld rows of the vectors",
                               L->name, (long long)line, (long long)L->t->rows);
            }
            const char *tab = memchr(p, '\t', n);
            if (!add_label(L, rows, p, tab ? (size_t)(tab - p) : n))
                return false;
            rows++;
        }
        p = nl ? nl + 1 : end;
    }
    if (rows < L->t->rows)
        return err_set(L->e, "%s: %lld labels for %lld rows of vectors (one label per row%s)", L->name,
                       (long long)rows, (long long)L->t->rows, in->metadata_header ? ", after the header" : "");
    return true;
}

bool tbproj_label(const char *name, const char *data, size_t len, Embeddings *t, VecInfo *info, Err *e)
{
    Labels L = {.name = name, .t = t, .info = info, .e = e};
    vocab_init(&L.words);
    vocab_init(&L.bases);
    bool ok = parse_labels(&L, data, len);
    vocab_deinit(&L.bases);
    if (!ok) {
        vocab_deinit(&L.words);
        return false;
    }
    /* the loaders' convention: counts rows - index, so vocab_sort keeps the file order */
    L.words.total = 0;
    for (int64_t i = 0; i < L.words.size; i++) {
        L.words.counts[i] = (uint64_t)(t->rows - i);
        L.words.total += L.words.counts[i];
    }
    vocab_deinit(&t->vocab);
    t->vocab = L.words;
    info->metadata = true;
    return true;
}

/* Reads the rest of fd into data (want bytes); false with e set. */
static bool read_fd(int fd, const char *path, char *data, size_t want, size_t *len, Err *e)
{
    size_t got = 0;
    ssize_t r = 0;
    while (got < want) {
        r = read(fd, data + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    *len = got;
    if (got == want)
        return true;
    return err_set(e, "%s: read error: %s", path, r < 0 ? strerror(errno) : "the file shrank while reading");
}

bool tbproj_read_whole(const char *path, size_t max, char **data, size_t *len, Err *e)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, "%s: %s", path, strerror(errno));
    struct stat st;
    bool ok = false;
    if (fstat(fd, &st) != 0)
        err_set(e, "%s: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        err_set(e, "%s: not a regular file", path);
    else if ((uint64_t)st.st_size > max)
        err_set(e, "%s: %lld bytes; metadata larger than %zu bytes is refused", path,
                (long long)st.st_size, max);
    else if (!(*data = malloc((size_t)st.st_size + 1)))
        err_set(e, "%s: out of memory", path);
    else
        ok = read_fd(fd, path, *data, (size_t)st.st_size, len, e);
    close(fd);
    if (!ok) {
        free(*data);
        *data = NULL;
    }
    return ok;
}

bool tbproj_label_file(const char *path, Embeddings *t, VecInfo *info, Err *e)
{
    char *data;
    size_t len = 0;
    if (!tbproj_read_whole(path, TBPROJ_MAX_METADATA, &data, &len, e))
        return false;
    bool ok = tbproj_label(path, data, len, t, info, e);
    free(data);
    return ok;
}

bool tbproj_metadata_path(const char *vectors, char *out, size_t cap)
{
    const char *slash = strrchr(vectors, '/');
    size_t dir = slash ? (size_t)(slash - vectors) + 1 : 0;
    int n = snprintf(out, cap, "%.*smetadata.tsv", (int)dir, vectors);
    return n >= 0 && (size_t)n < cap;
}

/* ---- writing ---- */

bool tbproj_save(const char *dir, const Embeddings *m, const int32_t *cluster, Err *e)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return err_set(e, "%s: not a folder (create it first)", dir);
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/metadata.tsv", dir) >= sizeof path)
        return err_set(e, "%s: path too long", dir);
    snprintf(path, sizeof path, "%s/vectors.tsv", dir);
    AtomicFile af;
    if (!af_open(&af, path, e))
        return false;
    for (int64_t i = 0; i < m->rows; i++) {
        const float *r = emb_row(m, i);
        for (int j = 0; j < m->dim; j++)
            fprintf(af.f, j ? "\t%.9g" : "%.9g", r[j]);
        fputc('\n', af.f);
    }
    if (!af_commit(&af, e))
        return false;
    snprintf(path, sizeof path, "%s/metadata.tsv", dir);
    if (!af_open(&af, path, e))
        return false;
    if (cluster) /* with more than one column the projector wants a header row */
        fprintf(af.f, "word\tcluster\n");
    for (int64_t i = 0; i < m->rows; i++) {
        if (cluster)
            fprintf(af.f, "%s\t%d\n", vocab_word(&m->vocab, i), (int)cluster[i]);
        else
            fprintf(af.f, "%s\n", vocab_word(&m->vocab, i));
    }
    return af_commit(&af, e);
}
