/* The transformer's text: see text.h. Files go through zlib's gzread, which reads plain files
 * as they are; the size is checked as it grows, so a huge file fails before memory runs out.
 * Loading runs on the caller's thread. */
#include "model/gpt/text.h"
#include "model/base/rng.h"
#include "model/text/world.h"
#include "model/text/world_gen.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Entropies of the bytes and of a byte given its predecessor, in nats. */
static bool baselines(GptText *t)
{
    uint64_t(*pair)[256] = calloc(256, sizeof *pair);
    uint64_t one[256] = {0}, first[256] = {0};
    if (!pair)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        one[t->tok[i]]++;
        if (i + 1 < t->n) {
            pair[t->tok[i]][t->tok[i + 1]]++;
            first[t->tok[i]]++;
        }
    }
    double h1 = 0, h2 = 0, n = (double)t->n, np = (double)(t->n - 1);
    for (int a = 0; a < t->vocab; a++) {
        if (one[a])
            h1 -= (double)one[a] / n * log((double)one[a] / n);
        for (int b = 0; b < t->vocab; b++)
            if (pair[a][b])
                h2 -= (double)pair[a][b] / np * log((double)pair[a][b] / (double)first[a]);
    }
    t->unigram_loss = h1;
    t->bigram_loss = t->n > 1 ? h2 : h1;
    free(pair);
    return true;
}

bool gptc_from_bytes(GptText *t, const char *name, const uint8_t *bytes, size_t n, Err *e)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    if (n == 0)
        return err_set(e, "%s: the corpus is empty", name);
    int id[256];
    bool seen[256] = {false};
    for (size_t i = 0; i < n; i++)
        seen[bytes[i]] = true;
    for (int b = 0; b < 256; b++)
        if (seen[b]) {
            id[b] = t->vocab;
            t->byte_of[t->vocab++] = (uint8_t)b;
        }
    if (t->vocab < 2)
        return err_set(e, "%s: the corpus has only one distinct byte", name);
    t->tok = malloc(n * sizeof *t->tok);
    if (!t->tok)
        return err_set(e, "%s: out of memory for %zu tokens", name, n);
    for (size_t i = 0; i < n; i++)
        t->tok[i] = id[bytes[i]];
    t->n = n;
    if (!baselines(t)) {
        gptc_deinit(t);
        return err_set(e, "%s: out of memory", name);
    }
    return true;
}

static bool read_world(uint8_t **out, size_t *n, Err *e)
{
    World *w = world_builtin(e);
    WorldGen *g = w ? world_gen_create(w, 1) : NULL;
    uint8_t *buf = g ? malloc(GPTC_WORLD_BYTES + 1024) : NULL;
    bool ok = buf != NULL;
    if (!ok && w)
        err_set(e, "@world: out of memory");
    size_t len = 0;
    while (ok && len < GPTC_WORLD_BYTES)
        len += world_gen_sentence(g, (char *)buf + len, 1024);
    world_gen_destroy(g);
    world_destroy(w);
    *out = buf;
    *n = len < GPTC_WORLD_BYTES ? len : GPTC_WORLD_BYTES;
    return ok;
}

static bool read_file(const char *path, uint8_t **out, size_t *n, Err *e)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return err_set(e, "%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return err_set(e, "%s: not a regular file", path);
    gzFile f = gzopen(path, "rb");
    if (!f)
        return err_set(e, "%s: cannot open", path);
    size_t cap = 1 << 20, len = 0;
    uint8_t *buf = malloc(cap);
    bool ok = buf != NULL;
    while (ok) {
        if (len == cap) {
            uint8_t *nb = cap >= GPTC_MAX_BYTES ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                ok = cap >= GPTC_MAX_BYTES ? err_set(e, "%s: more than %llu bytes", path,
                                                     (unsigned long long)GPTC_MAX_BYTES)
                                           : err_set(e, "%s: out of memory", path);
                break;
            }
            buf = nb, cap *= 2;
        }
        int got = gzread(f, buf + len, (unsigned)(cap - len));
        if (got < 0) {
            int code;
            ok = err_set(e, "%s: read error after %zu bytes: %s", path, len, gzerror(f, &code));
        } else if (got == 0)
            break;
        len += (size_t)got;
    }
    if (!buf)
        err_set(e, "%s: out of memory", path);
    gzclose(f);
    if (!ok) {
        free(buf);
        buf = NULL;
    }
    *out = buf;
    *n = len;
    return ok;
}

bool gptc_load(GptText *t, const char *name, Err *e)
{
    memset(t, 0, sizeof *t);
    uint8_t *bytes = NULL;
    size_t n = 0;
    bool ok = !strcmp(name, "@world") ? read_world(&bytes, &n, e) : read_file(name, &bytes, &n, e);
    ok = ok && gptc_from_bytes(t, name, bytes, n, e);
    free(bytes);
    return ok;
}

void gptc_deinit(GptText *t)
{
    free(t->tok);
    memset(t, 0, sizeof *t);
}

size_t gptc_sample(const GptText *t, int len, uint64_t *rng)
{
    uint64_t starts = t->n - (size_t)len; /* windows of len + 1 tokens */
    return (size_t)(rng_uniform01(rng) * (double)starts);
}
