/* The projector's files: see projector.h. vectors.tsv goes through w2v_io (W2V_PROJECTOR), so
 * its rows get the same bounded reader, float parser and size checks as every vector file;
 * this file reads metadata.tsv (whole, size-capped) and turns labels into distinct words. Any
 * thread; no shared state. */
#include "model/files/projector.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Labels {
    const char *name;  /* the metadata path, for messages */
    Embeddings *t;     /* the rows to name */
    bool limited;      /* the vector loader stopped at max_words: extra labels are fine */
    ProjInfo *info;
    Err *e;
    Vocab words;       /* the new vocabulary, row i = label i */
    Vocab bases;       /* repeated labels; count = the last "#n" handed out for it */
} Labels;

static inline bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

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
        bool bad = s[i] == 0 || is_space((unsigned char)s[i]);
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
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        line++;
        if (n > W2V_MAX_LINE)
            return err_set(L->e, "%s:line %lld: line longer than %d bytes", L->name, (long long)line,
                           W2V_MAX_LINE);
        if (n && p[n - 1] == '\r')
            n--;
        int cols = columns(p, n);
        if (line == 1) {
            L->info->columns = cols;
            L->info->header = cols > 1;
        }
        if (line > 1 || !L->info->header) {
            if (cols != L->info->columns)
                return err_set(L->e, "%s:line %lld: %d columns, the header has %d", L->name,
                               (long long)line, cols, L->info->columns);
            if (rows == L->t->rows) {
                if (L->limited)
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
                       (long long)rows, (long long)L->t->rows, L->info->header ? ", after the header" : "");
    return true;
}

/* Replaces t's row names with the labels; t is untouched on failure. */
static bool apply_labels(const char *name, const char *data, size_t len, Embeddings *t, ProjInfo *info,
                         Err *e)
{
    Labels L = {.name = name, .t = t, .limited = info->vectors.limited, .info = info, .e = e};
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

/* Reads a whole regular file of at most PROJ_MAX_METADATA bytes; *data is malloc'd. */
static bool read_whole(const char *path, char **data, size_t *len, Err *e)
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
    else if ((uint64_t)st.st_size > PROJ_MAX_METADATA)
        err_set(e, "%s: %lld bytes; metadata larger than %u bytes is refused", path,
                (long long)st.st_size, PROJ_MAX_METADATA);
    else if (!(*data = malloc((size_t)st.st_size + 1)))
        err_set(e, "%s: out of memory", path);
    else {
        size_t got = 0, want = (size_t)st.st_size;
        ssize_t r = 0;
        while (got < want) {
            r = read(fd, *data + got, want - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (got == want)
            ok = true;
        else
            err_set(e, "%s: read error: %s", path, r < 0 ? strerror(errno) : "the file shrank while reading");
        *len = got;
    }
    close(fd);
    if (!ok) {
        free(*data);
        *data = NULL;
    }
    return ok;
}

static bool finish(Embeddings *t, bool ok, Embeddings *out)
{
    if (!ok) {
        emb_deinit(t);
        return false;
    }
    emb_deinit(out);
    *out = *t;
    return true;
}

static bool label_file(const char *metadata, Embeddings *t, ProjInfo *info, Err *e)
{
    char *data;
    size_t len = 0;
    if (!read_whole(metadata, &data, &len, e))
        return false;
    bool ok = apply_labels(metadata, data, len, t, info, e);
    free(data);
    return ok;
}

bool proj_load(const char *vectors, const char *metadata, int64_t max_words, Embeddings *out,
               ProjInfo *info, Err *e)
{
    ProjInfo local;
    info = info ? info : &local;
    memset(info, 0, sizeof *info);
    Embeddings t;
    emb_init(&t);
    if (!w2v_load_ex(vectors, W2V_PROJECTOR, max_words, &t, &info->vectors, e))
        return false;
    return finish(&t, !metadata || label_file(metadata, &t, info, e), out);
}

bool proj_load_mem(const char *vname, const void *vdata, size_t vlen, const char *mname,
                   const void *mdata, size_t mlen, int64_t max_words, Embeddings *out,
                   ProjInfo *info, Err *e)
{
    ProjInfo local;
    info = info ? info : &local;
    memset(info, 0, sizeof *info);
    Embeddings t;
    emb_init(&t);
    if (!w2v_load_mem(vname, vdata, vlen, W2V_PROJECTOR, max_words, &t, &info->vectors, e))
        return false;
    return finish(&t, !mdata || apply_labels(mname, mdata, mlen, &t, info, e), out);
}

bool proj_metadata_path(const char *vectors, char *out, size_t cap)
{
    const char *slash = strrchr(vectors, '/');
    size_t dir = slash ? (size_t)(slash - vectors) + 1 : 0;
    int n = snprintf(out, cap, "%.*smetadata.tsv", (int)dir, vectors);
    return n >= 0 && (size_t)n < cap;
}

bool proj_load_any(const char *path, int64_t max_words, Embeddings *out, ProjInfo *info, Err *e)
{
    return proj_load_any_progress(path, max_words, out, info, NULL, NULL, e);
}

bool proj_load_any_progress(const char *path, int64_t max_words, Embeddings *out, ProjInfo *info,
                            W2vProgressFn progress, void *ctx, Err *e)
{
    ProjInfo local;
    info = info ? info : &local;
    memset(info, 0, sizeof *info);
    Embeddings t;
    emb_init(&t);
    if (!w2v_load_progress(path, W2V_AUTO, max_words, &t, &info->vectors, progress, ctx, e))
        return false;
    char meta[4096];
    struct stat st;
    bool ok = true;
    if (info->vectors.format == W2V_PROJECTOR && proj_metadata_path(path, meta, sizeof meta) &&
        stat(meta, &st) == 0 && S_ISREG(st.st_mode))
        ok = label_file(meta, &t, info, e);
    return finish(&t, ok, out);
}
