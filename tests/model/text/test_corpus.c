/* Corpus reader: tokens, sentence ends, long tokens cut on UTF-8 boundaries, shards that cover
 * every line exactly once, gzip input, and bad paths. */
#include "model/text/corpus.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

/* Reads all tokens of a shard into out as "w w|w|" ('|' = sentence end). */
static bool read_all(const Corpus *c, int shard, int n, char *out, size_t cap)
{
    CorpusReader r;
    Err e = {0};
    if (!corpus_reader_open(&r, c, shard, n, 0, 1, &e))
        return false;
    char tok[CORPUS_MAX_TOKEN + 1];
    size_t len, used = 0;
    out[0] = 0;
    for (;;) {
        CorpusTok k = corpus_next(&r, tok, &len, &e);
        if (k == CORPUS_EOF)
            break;
        if (k == CORPUS_ERROR) {
            corpus_reader_close(&r);
            return false;
        }
        const char *s = k == CORPUS_EOS ? "|" : tok;
        size_t l = strlen(s);
        if (used + l + 2 >= cap)
            break;
        if (k == CORPUS_WORD && used && out[used - 1] != '|')
            out[used++] = ' ';
        memcpy(out + used, s, l);
        used += l;
        out[used] = 0;
    }
    corpus_reader_close(&r);
    return true;
}

TEST(corpus_tokens_and_sentence_ends)
{
    char path[] = "/tmp/es_corpus_XXXXXX";
    close(mkstemp(path));
    const char *text = "the cat\tsat\r\n\n  on the\fmat  \nlast";
    write_file(path, text, strlen(text));
    Corpus c;
    Err e = {0};
    CHECKF(corpus_open(&c, path, &e), "%s", e.msg);
    CHECK(!c.compressed);
    char out[256];
    CHECK(read_all(&c, 0, 1, out, sizeof out));
    CHECKF(!strcmp(out, "the cat sat||on the mat|last"), "got '%s'", out);
    corpus_close(&c);
    unlink(path);
}

TEST(corpus_long_token_cut_on_utf8_boundary)
{
    char path[] = "/tmp/es_corpus_XXXXXX";
    close(mkstemp(path));
    /* 99 ASCII bytes then a 2-byte 'ö': the cut at 100 would split it, so it goes. */
    char text[300];
    memset(text, 'a', 99);
    memcpy(text + 99, "\xc3\xb6xyz b\n", 8);
    write_file(path, text, 107);
    Corpus c;
    Err e = {0};
    CHECK(corpus_open(&c, path, &e));
    CorpusReader r;
    CHECK(corpus_reader_open(&r, &c, 0, 1, 0, 1, &e));
    char tok[CORPUS_MAX_TOKEN + 1];
    size_t len;
    CHECK(corpus_next(&r, tok, &len, &e) == CORPUS_WORD);
    CHECKF(len == 99, "len %zu", len);
    CHECK(corpus_next(&r, tok, &len, &e) == CORPUS_WORD && !strcmp(tok, "b"));
    CHECK(corpus_next(&r, tok, &len, &e) == CORPUS_EOS);
    CHECK(corpus_next(&r, tok, &len, &e) == CORPUS_EOF);
    corpus_reader_close(&r);
    /* Invalid UTF-8 (lone continuation bytes) passes through and is cut at 100. */
    memset(text, 0x80, 150);
    text[150] = '\n';
    write_file(path, text, 151);
    CHECK(corpus_reader_open(&r, &c, 0, 1, 0, 1, &e));
    CHECK(corpus_next(&r, tok, &len, &e) == CORPUS_WORD && len == 100);
    CHECK((unsigned char)tok[0] == 0x80);
    corpus_reader_close(&r);
    corpus_close(&c);
    unlink(path);
}

static int count_words(const char *s)
{
    int n = 0;
    for (const char *p = s; *p;) {
        while (*p == ' ' || *p == '|')
            p++;
        if (!*p)
            break;
        n++;
        while (*p && *p != ' ' && *p != '|')
            p++;
    }
    return n;
}

/* Shards concatenated give the whole stream, also when a shard boundary falls right after a
 * newline (found by fuzz_tokenizer: the line after it was read by both shards). Short lines
 * of every length put newlines on every boundary for some shard count. */
TEST(corpus_shards_at_line_boundaries)
{
    char path[] = "/tmp/es_corpus_XXXXXX";
    close(mkstemp(path));
    for (int len = 1; len <= 4; len++) {
        char text[256];
        size_t n = 0;
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < len; j++)
                text[n++] = (char)('a' + (i + j) % 26);
            text[n++] = '\n';
        }
        write_file(path, text, n);
        Corpus c;
        Err e = {0};
        CHECK(corpus_open(&c, path, &e));
        char whole[1024], part[1024], joined[1024];
        CHECK(read_all(&c, 0, 1, whole, sizeof whole));
        for (int shards = 2; shards <= 13; shards++) {
            joined[0] = 0;
            for (int s = 0; s < shards; s++) {
                CHECK(read_all(&c, s, shards, part, sizeof part));
                if (part[0] && joined[0] && joined[strlen(joined) - 1] != '|')
                    strcat(joined, " ");
                strcat(joined, part);
            }
            CHECKF(!strcmp(joined, whole), "lines of %d, %d shards: '%s', want '%s'", len, shards, joined, whole);
        }
        corpus_close(&c);
    }
    unlink(path);
}

/* A NUL byte separates words like a blank: a token holding one would be cut short by every C
 * string that stores it (found by fuzz_tokenizer). */
TEST(corpus_nul_separates)
{
    char path[] = "/tmp/es_corpus_XXXXXX";
    close(mkstemp(path));
    write_file(path, "a\0b c\0\0\nd", 10);
    Corpus c;
    Err e = {0};
    CHECK(corpus_open(&c, path, &e));
    char out[64];
    CHECK(read_all(&c, 0, 1, out, sizeof out));
    CHECKF(!strcmp(out, "a b c|d"), "%s", out);
    corpus_close(&c);
    unlink(path);
}

/* Every line lands in exactly one shard, for plain and gzip files alike. */
TEST(corpus_shards_cover_every_line_once)
{
    char path[] = "/tmp/es_corpus_XXXXXX";
    close(mkstemp(path));
    char gzpath[64];
    snprintf(gzpath, sizeof gzpath, "%s.gz", path);
    size_t cap = 1 << 20, n = 0;
    char *text = malloc(cap);
    CHECK(text);
    int words = 0;
    for (int i = 0; i < 3000; i++) {
        int k = 1 + i % 7;
        for (int j = 0; j < k; j++) {
            n += (size_t)snprintf(text + n, cap - n, "%sw%d_%d", j ? " " : "", i, j);
            words++;
        }
        text[n++] = '\n';
    }
    write_file(path, text, n);
    gzFile gz = gzopen(gzpath, "wb");
    CHECK(gz);
    CHECK(gzwrite(gz, text, (unsigned)n) == (int)n);
    gzclose(gz);
    free(text);
    const char *paths[2] = {path, gzpath};
    for (int p = 0; p < 2; p++) {
        Corpus c;
        Err e = {0};
        CHECK(corpus_open(&c, paths[p], &e));
        CHECK(c.compressed == (p == 1));
        for (int shards = 1; shards <= 5; shards++) {
            int total = 0;
            for (int s = 0; s < shards; s++) {
                char *out = malloc(1 << 20);
                CHECK(out && read_all(&c, s, shards, out, 1 << 20));
                total += count_words(out);
                free(out);
            }
            CHECKF(total == words, "%s, %d shards: %d words, want %d", paths[p], shards, total, words);
        }
        Vocab v;
        vocab_init(&v);
        CHECK(corpus_count(&c, &v, 1, 0, NULL, NULL, &e));
        CHECK(v.size == words && v.total == (uint64_t)words);
        vocab_deinit(&v);
        corpus_close(&c);
    }
    unlink(path);
    unlink(gzpath);
}

TEST(corpus_count_prunes_and_sorts)
{
    char path[] = "/tmp/es_corpus_XXXXXX";
    close(mkstemp(path));
    const char *text = "a b a c a b\nd a\n";
    write_file(path, text, strlen(text));
    Corpus c;
    Err e = {0};
    CHECK(corpus_open(&c, path, &e));
    Vocab v;
    vocab_init(&v);
    CHECK(corpus_count(&c, &v, 2, 0, NULL, NULL, &e));
    CHECK(v.size == 2 && !strcmp(vocab_word(&v, 0), "a") && v.counts[0] == 4);
    CHECK(!strcmp(vocab_word(&v, 1), "b") && v.counts[1] == 2);
    CHECK(!corpus_count(&c, &v, 100, 0, NULL, NULL, &e) && strstr(e.msg, path));
    CHECK(v.size == 2); /* unchanged on failure */
    vocab_deinit(&v);
    corpus_close(&c);
    unlink(path);
}

TEST(corpus_bad_sources)
{
    Corpus c;
    Err e = {0};
    CHECK(!corpus_open(&c, "/tmp", &e) && strstr(e.msg, "directory"));
    CHECK(!corpus_open(&c, "/nonexistent/x.txt", &e) && strstr(e.msg, "/nonexistent/x.txt"));
    CHECK(!corpus_open(&c, "@nope", &e) && strstr(e.msg, "@nope"));
    CHECK(!corpus_open(&c, "", &e));
}

TEST(corpus_truncated_gzip_is_an_error)
{
    char path[] = "/tmp/es_corpus_XXXXXX";
    close(mkstemp(path));
    char gzpath[64];
    snprintf(gzpath, sizeof gzpath, "%s.gz", path);
    gzFile gz = gzopen(gzpath, "wb");
    CHECK(gz);
    for (int i = 0; i < 20000; i++)
        gzprintf(gz, "line %d with some words %d\n", i, i * 7);
    gzclose(gz);
    FILE *f = fopen(gzpath, "rb");
    CHECK(f);
    char *buf = malloc(1 << 20);
    size_t n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    write_file(gzpath, buf, n / 2);
    free(buf);
    Corpus c;
    Err e = {0};
    CHECK(corpus_open(&c, gzpath, &e));
    Vocab v;
    vocab_init(&v);
    CHECK(!corpus_count(&c, &v, 1, 0, NULL, NULL, &e));
    CHECKF(strstr(e.msg, gzpath) && strstr(e.msg, "byte"), "%s", e.msg);
    vocab_deinit(&v);
    corpus_close(&c);
    unlink(path);
    unlink(gzpath);
}

/* max_vocab prunes rare words while counting (word2vec.c's ReduceVocab), so memory stays
 * bounded; frequent words survive with exact counts. */
TEST(corpus_count_prunes_while_counting)
{
    char path[] = "/tmp/es_corpus_XXXXXX";
    close(mkstemp(path));
    FILE *f = fopen(path, "w");
    CHECK(f);
    for (int i = 0; i < 5000; i++)
        fprintf(f, "common rare%d common\n", i);
    fclose(f);
    Corpus c;
    Err e = {0};
    CHECK(corpus_open(&c, path, &e));
    Vocab v;
    vocab_init(&v);
    CHECK(corpus_count(&c, &v, 1, 100, NULL, NULL, &e));
    CHECK(v.size <= 101);
    CHECK(!strcmp(vocab_word(&v, 0), "common") && v.counts[0] == 10000);
    CHECK(v.min_reduce >= 1);
    vocab_deinit(&v);
    corpus_close(&c);
    unlink(path);
}

/* Counting in several shards gives exactly the counts of one shard, whichever pool
 * runs the shards: one of 2 threads, one thread per shard, or the caller alone. */
TEST(corpus_count_threads_matches_one_thread)
{
    char path[] = "/tmp/es_corpus_XXXXXX";
    close(mkstemp(path));
    FILE *f = fopen(path, "w");
    CHECK(f);
    uint64_t s = 99;
    for (int i = 0; i < 20000; i++) {
        int n = 1 + i % 13;
        for (int j = 0; j < n; j++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            fprintf(f, "%sw%llu", j ? " " : "", (unsigned long long)((s >> 33) % 3000));
        }
        fputc('\n', f);
    }
    fclose(f);
    Corpus c;
    Err e = {0};
    CHECK(corpus_open(&c, path, &e));
    Vocab one, many;
    vocab_init(&one);
    vocab_init(&many);
    CHECK(corpus_count(&c, &one, 2, 0, NULL, NULL, &e));
    Pool *two = pool_create(2), *five = pool_create(5);
    for (int run = 0; run < 8; run++) {
        int t = 2 + run / 2;
        Pool *pool = run % 2 ? two : t == 5 ? five : NULL;
        CHECKF(corpus_count_threads(&c, &many, 2, 0, t, pool, NULL, NULL, &e), "%s", e.msg);
        CHECK(many.size == one.size && many.total == one.total);
        for (int64_t i = 0; i < one.size; i++) {
            CHECK(!strcmp(vocab_word(&one, i), vocab_word(&many, i)));
            CHECK(one.counts[i] == many.counts[i]);
        }
    }
    pool_destroy(two);
    pool_destroy(five);
    vocab_deinit(&one);
    vocab_deinit(&many);
    corpus_close(&c);
    unlink(path);
}

/* More shards than bytes: the first shard's range [0, 0) is empty, and the line at byte 0 must
 * be read once, by the shard whose range holds it (found by the fuzz smoke run in CI: "a\xb8"
 * read as 3 shards came out twice). */
TEST(corpus_more_shards_than_bytes)
{
    char path[] = "/tmp/es_corpus_XXXXXX";
    close(mkstemp(path));
    write_file(path, "a\xb8", 2);
    Corpus c;
    Err e = {0};
    CHECK(corpus_open(&c, path, &e));
    for (int shards = 1; shards <= 8; shards++) {
        char part[64], joined[256] = "";
        for (int s = 0; s < shards; s++) {
            CHECK(read_all(&c, s, shards, part, sizeof part));
            strcat(joined, part);
        }
        CHECKF(!strcmp(joined, "a\xb8"), "%d shards: '%s'", shards, joined);
    }
    corpus_close(&c);
    unlink(path);
}
