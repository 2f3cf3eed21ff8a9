/* libFuzzer target for the corpus tokenizer (corpus_next over a plain file: the input is
 * written to /dev/shm and opened with corpus_open). Besides the sanitizers: every token is
 * non-empty, holds no whitespace or NUL, is at most CORPUS_MAX_TOKEN bytes and is its input
 * word cut at a UTF-8 boundary; the stream (words and sentence ends) equals a reference
 * tokenizer written here independently; and reading the file as 2-4 shards and concatenating
 * gives that same stream, because shards split at line starts. */
#include "model/text/corpus.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A stream: words as "w<bytes>\0", sentence ends as "\n\0", appended. */
typedef struct Stream { char *p; size_t len, cap; } Stream;

static void push(Stream *s, const char *w, size_t n, char kind)
{
    if (s->len + n + 2 > s->cap) {
        s->cap = (s->len + n + 2) * 2;
        s->p = realloc(s->p, s->cap);
        if (!s->p)
            abort();
    }
    s->p[s->len++] = kind;
    memcpy(s->p + s->len, w, n);
    s->len += n;
    s->p[s->len++] = 0;
}

static bool sep(uint8_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == 0; }

/* The tokenizer as documented: ASCII blanks (and NUL) separate words, '\n' ends a sentence,
 * a word longer than CORPUS_MAX_TOKEN keeps its longest prefix that does not split a
 * well-formed UTF-8 sequence. */
static void reference(const uint8_t *d, size_t n, Stream *out)
{
    size_t i = 0;
    while (i < n) {
        if (d[i] == '\n') {
            push(out, "", 0, '\n');
            i++;
            continue;
        }
        if (sep(d[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && d[j] != '\n' && !sep(d[j]))
            j++;
        size_t keep = vocab_utf8_cut((const char *)d + i, j - i, CORPUS_MAX_TOKEN);
        push(out, (const char *)d + i, keep, 'w');
        i = j;
    }
}

static void read_shard(const Corpus *c, int shard, int nshards, Stream *out)
{
    CorpusReader r;
    Err e;
    if (!corpus_reader_open(&r, c, shard, nshards, 0, 1, &e))
        abort();
    char tok[CORPUS_MAX_TOKEN + 1];
    size_t len;
    for (;;) {
        CorpusTok t = corpus_next(&r, tok, &len, &e);
        if (t == CORPUS_EOF)
            break;
        if (t == CORPUS_ERROR)
            abort();
        if (t == CORPUS_EOS) {
            if (len != 0 || tok[0])
                abort();
            push(out, "", 0, '\n');
            continue;
        }
        if (len == 0 || len > CORPUS_MAX_TOKEN || strlen(tok) != len || tok[len] ||
            vocab_utf8_cut(tok, len, CORPUS_MAX_TOKEN) != len)
            abort();
        for (size_t i = 0; i < len; i++)
            if (sep((uint8_t)tok[i]) || tok[i] == '\n')
                abort();
        push(out, tok, len, 'w');
    }
    corpus_reader_close(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "%s/fuzz_tok.%d.txt", access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm",
                 (int)getpid());
    /* gzip input is zlib's to fuzz; here the plain path only */
    if (size >= 2 && data[0] == 0x1F && data[1] == 0x8B)
        return 0;
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    Corpus c;
    Err e;
    if (!corpus_open(&c, path, &e))
        abort();
    Stream want = {0}, got = {0}, shards = {0};
    reference(data, size, &want);
    read_shard(&c, 0, 1, &got);
    if (got.len != want.len || (got.len && memcmp(got.p, want.p, got.len)))
        abort();
    int n = 2 + (int)(size % 3);
    for (int s = 0; s < n; s++)
        read_shard(&c, s, n, &shards);
    if (shards.len != want.len || (shards.len && memcmp(shards.p, want.p, shards.len)))
        abort();
    corpus_close(&c);
    free(want.p);
    free(got.p);
    free(shards.p);
    unlink(path);
    return 0;
}
