/* Vocabulary: see vocab.h. Open addressing with linear probing over a power-of-two table,
 * kept at most half full so probes stay short. */
#include "model/text/vocab.h"
#include "model/base/atomicfile.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void vocab_init(Vocab *v) { memset(v, 0, sizeof *v); }

void vocab_deinit(Vocab *v)
{
    if (!v)
        return;
    free(v->counts);
    free(v->offs);
    free(v->arena);
    free(v->hash);
    memset(v, 0, sizeof *v);
}

/* FNV-1a: cheap and good enough for words. */
static uint64_t hash_bytes(const char *w, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)w[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void rehash(Vocab *v)
{
    for (size_t i = 0; i < v->hash_cap; i++)
        v->hash[i] = -1;
    size_t mask = v->hash_cap - 1;
    for (int64_t i = 0; i < v->size; i++) {
        const char *w = vocab_word(v, i);
        size_t h = (size_t)hash_bytes(w, strlen(w)) & mask;
        while (v->hash[h] >= 0)
            h = (h + 1) & mask;
        v->hash[h] = i;
    }
}

static bool grow_hash(Vocab *v, size_t want)
{
    size_t cap = v->hash_cap ? v->hash_cap : 1024;
    while (cap < want * 2)
        cap *= 2;
    if (cap == v->hash_cap)
        return true;
    int64_t *h = malloc(cap * sizeof *h);
    if (!h)
        return false;
    free(v->hash);
    v->hash = h;
    v->hash_cap = cap;
    rehash(v);
    return true;
}

int64_t vocab_find(const Vocab *v, const char *w, size_t len)
{
    if (!v->hash_cap)
        return -1;
    size_t mask = v->hash_cap - 1;
    size_t h = (size_t)hash_bytes(w, len) & mask;
    for (;;) {
        int64_t i = v->hash[h];
        if (i < 0)
            return -1;
        const char *s = vocab_word(v, i);
        if (!memcmp(s, w, len) && s[len] == 0)
            return i;
        h = (h + 1) & mask;
    }
}

size_t vocab_utf8_cut(const char *w, size_t len, size_t max)
{
    const unsigned char *t = (const unsigned char *)w;
    if (len <= max)
        return len;
    /* Walk back over at most 3 continuation bytes to the lead byte of the cut sequence. */
    size_t back = 0;
    while (back < 3 && max - back > 0 && (t[max - back] & 0xC0) == 0x80)
        back++;
    if (back == 0)
        return max; /* t[max] starts a new character (or is ASCII) */
    unsigned char lead = t[max - back];
    size_t need = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
    return need && back < need ? max - back : max;
}

/* One checker for the loaders, the world parser and the bookmark writer. */
size_t vocab_utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t k = s[0] < 0xC2 ? 0 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : s[0] <= 0xF4 ? 4 : 0;
    if (!k || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((k == 3 && s[0] == 0xE0 && s[1] < 0xA0) || (k == 3 && s[0] == 0xED && s[1] >= 0xA0) ||
        (k == 4 && s[0] == 0xF0 && s[1] < 0x90) || (k == 4 && s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return k;
}

int64_t vocab_add(Vocab *v, const char *w, size_t len, uint64_t count, Err *e)
{
    len = vocab_utf8_cut(w, len, VOCAB_MAX_WORD);
    int64_t i = vocab_find(v, w, len);
    if (i >= 0) {
        v->counts[i] += count;
        v->total += count;
        return i;
    }
    if (v->size == v->cap) {
        int64_t cap = v->cap ? v->cap * 2 : 1024;
        uint64_t *c = realloc(v->counts, (size_t)cap * sizeof *c);
        if (!c)
            goto oom;
        v->counts = c;
        uint64_t *o = realloc(v->offs, (size_t)cap * sizeof *o);
        if (!o)
            goto oom;
        v->offs = o;
        v->cap = cap;
    }
    if (v->arena_len + len + 1 > v->arena_cap) {
        size_t cap = v->arena_cap ? v->arena_cap * 2 : 16384;
        while (cap < v->arena_len + len + 1)
            cap *= 2;
        char *a = realloc(v->arena, cap);
        if (!a)
            goto oom;
        v->arena = a;
        v->arena_cap = cap;
    }
    if ((size_t)(v->size + 1) * 2 > v->hash_cap && !grow_hash(v, (size_t)v->size + 1))
        goto oom;
    i = v->size++;
    v->offs[i] = v->arena_len;
    memcpy(v->arena + v->arena_len, w, len);
    v->arena[v->arena_len + len] = 0;
    v->arena_len += len + 1;
    v->counts[i] = count;
    v->total += count;
    size_t mask = v->hash_cap - 1;
    size_t h = (size_t)hash_bytes(w, len) & mask;
    while (v->hash[h] >= 0)
        h = (h + 1) & mask;
    v->hash[h] = i;
    return i;
oom:
    err_set(e, "out of memory growing the vocabulary past %lld words", (long long)v->size);
    return -1;
}

/* Rewrites the table as rows order[0..n); false (and v untouched) when out of memory. */
static bool compact(Vocab *v, const int64_t *order, int64_t n)
{
    char *arena = malloc(v->arena_cap ? v->arena_cap : 1);
    uint64_t *counts = malloc((size_t)(n ? n : 1) * sizeof *counts);
    uint64_t *offs = malloc((size_t)(n ? n : 1) * sizeof *offs);
    if (!arena || !counts || !offs) {
        /* Shrinking cannot need more memory than we had; fall back to doing nothing. */
        free(arena);
        free(counts);
        free(offs);
        return false;
    }
    size_t len = 0;
    uint64_t total = 0;
    for (int64_t j = 0; j < n; j++) {
        const char *w = vocab_word(v, order[j]);
        size_t l = strlen(w) + 1;
        memcpy(arena + len, w, l);
        offs[j] = len;
        len += l;
        counts[j] = v->counts[order[j]];
        total += counts[j];
    }
    free(v->arena);
    free(v->counts);
    free(v->offs);
    v->arena = arena;
    v->arena_len = len;
    v->counts = counts;
    v->offs = offs;
    v->cap = n ? n : 1;
    v->size = n;
    v->total = total;
    rehash(v);
    return true;
}

void vocab_prune(Vocab *v, uint64_t min_count)
{
    int64_t *order = malloc((size_t)(v->size ? v->size : 1) * sizeof *order);
    if (!order)
        return;
    int64_t n = 0;
    for (int64_t i = 0; i < v->size; i++)
        if (v->counts[i] >= min_count)
            order[n++] = i;
    if (n != v->size)
        compact(v, order, n);
    free(order);
}

static const Vocab *sort_vocab;
static int cmp_index(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    uint64_t ca = sort_vocab->counts[a], cb = sort_vocab->counts[b];
    if (ca != cb)
        return ca > cb ? -1 : 1;
    return strcmp(vocab_word(sort_vocab, a), vocab_word(sort_vocab, b));
}

void vocab_sort(Vocab *v)
{
    if (v->size < 2)
        return;
    int64_t *order = malloc((size_t)v->size * sizeof *order);
    if (!order)
        return;
    for (int64_t i = 0; i < v->size; i++)
        order[i] = i;
    /* qsort has no context argument in C11; sorting is main-thread setup work. */
    sort_vocab = v;
    qsort(order, (size_t)v->size, sizeof *order, cmp_index);
    sort_vocab = NULL;
    compact(v, order, v->size);
    free(order);
}

bool vocab_prune_sort(Vocab *v, uint64_t min_count, int32_t *moved_to)
{
    if (v->size > INT32_MAX)
        return false;
    int64_t *order = malloc((size_t)(v->size ? v->size : 1) * sizeof *order);
    if (!order)
        return false;
    int64_t n = 0;
    for (int64_t i = 0; i < v->size; i++)
        if (v->counts[i] >= min_count)
            order[n++] = i;
    /* the comparison is a total order (words are unique): the order vocab_sort gives */
    sort_vocab = v;
    qsort(order, (size_t)n, sizeof *order, cmp_index);
    sort_vocab = NULL;
    for (int64_t i = 0; i < v->size; i++)
        moved_to[i] = -1;
    for (int64_t j = 0; j < n; j++)
        moved_to[order[j]] = (int32_t)j;
    bool ok = compact(v, order, n);
    free(order);
    return ok;
}

void vocab_truncate(Vocab *v, int64_t n)
{
    if (n < 0 || n >= v->size)
        return;
    int64_t *order = malloc((size_t)(n ? n : 1) * sizeof *order);
    if (!order)
        return;
    for (int64_t i = 0; i < n; i++)
        order[i] = i;
    compact(v, order, n);
    free(order);
}

bool vocab_copy(Vocab *dst, const Vocab *src, Err *e)
{
    Vocab v;
    vocab_init(&v);
    for (int64_t i = 0; i < src->size; i++) {
        const char *w = vocab_word(src, i);
        if (vocab_add(&v, w, strlen(w), src->counts[i], e) < 0) {
            vocab_deinit(&v);
            return false;
        }
    }
    v.min_reduce = src->min_reduce;
    vocab_deinit(dst);
    *dst = v;
    return true;
}

bool vocab_save(const Vocab *v, const char *path, Err *e)
{
    AtomicFile af;
    if (!af_open(&af, path, e))
        return false;
    for (int64_t i = 0; i < v->size; i++)
        fprintf(af.f, "%s %" PRIu64 "\n", vocab_word(v, i), v->counts[i]);
    return af_commit(&af, e);
}

bool vocab_load(Vocab *out, const char *path, Err *e)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return err_set(e, "%s: is a directory, not a vocabulary file", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, "%s: %s", path, strerror(errno));
    Vocab v;
    vocab_init(&v);
    char line[VOCAB_MAX_WORD * 4 + 64];
    int64_t lineno = 0;
    bool ok = true;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            ok = err_set(e, "%s:line %lld: line too long for a vocabulary entry", path, (long long)lineno);
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (!len)
            continue;
        char *sp = strrchr(line, ' ');
        char *end = NULL;
        errno = 0;
        unsigned long long c = sp ? strtoull(sp + 1, &end, 10) : 0;
        if (!sp || sp == line || end == sp + 1 || *end || errno || sp[1] == '-') {
            ok = err_set(e, "%s:line %lld: expected 'word count'", path, (long long)lineno);
            break;
        }
        size_t wl = (size_t)(sp - line);
        if (memchr(line, ' ', wl) || memchr(line, '\t', wl)) {
            ok = err_set(e, "%s:line %lld: a word cannot contain whitespace", path, (long long)lineno);
            break;
        }
        if (wl > VOCAB_MAX_WORD) {
            ok = err_set(e, "%s:line %lld: word longer than %d bytes", path, (long long)lineno, VOCAB_MAX_WORD);
            break;
        }
        if (vocab_find(&v, line, wl) >= 0) {
            ok = err_set(e, "%s:line %lld: duplicate word '%.*s'", path, (long long)lineno, (int)wl, line);
            break;
        }
        if (vocab_add(&v, line, wl, c, e) < 0) {
            ok = err_prefix(e, "%s:line %lld: ", path, (long long)lineno);
            break;
        }
    }
    if (ok && ferror(f))
        ok = err_set(e, "%s: read error", path);
    if (ok && v.size == 0)
        ok = err_set(e, "%s: empty vocabulary", path);
    fclose(f);
    if (!ok) {
        vocab_deinit(&v);
        return false;
    }
    vocab_sort(&v);
    vocab_deinit(out);
    *out = v;
    return true;
}
