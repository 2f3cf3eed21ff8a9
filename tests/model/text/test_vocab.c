/* Vocabulary: counting, pruning, sorting, save/load round trip and hostile vocab files. */
#include "tests/test.h"
#include "model/text/vocab.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int64_t add(Vocab *v, const char *w, uint64_t c)
{
    Err e = {0};
    return vocab_add(v, w, strlen(w), c, &e);
}

TEST(vocab_counts_and_finds)
{
    Vocab v;
    vocab_init(&v);
    CHECK(add(&v, "cat", 1) == 0);
    CHECK(add(&v, "dog", 2) == 1);
    CHECK(add(&v, "cat", 3) == 0);
    CHECK(v.counts[0] == 4 && v.counts[1] == 2 && v.total == 6);
    CHECK(vocab_find(&v, "cat", 3) == 0);
    CHECK(vocab_find(&v, "ca", 2) == -1);
    CHECK(vocab_find(&v, "cats", 4) == -1);
    vocab_deinit(&v);
}

TEST(vocab_grows_past_hash_resizes)
{
    Vocab v;
    vocab_init(&v);
    char w[32];
    for (int i = 0; i < 50000; i++) {
        snprintf(w, sizeof w, "w%d", i);
        CHECK(add(&v, w, (uint64_t)(i % 7 + 1)) == i);
    }
    for (int i = 0; i < 50000; i += 997) {
        snprintf(w, sizeof w, "w%d", i);
        CHECK(vocab_find(&v, w, strlen(w)) == i);
    }
    vocab_deinit(&v);
}

TEST(vocab_sort_by_count_then_bytes)
{
    Vocab v;
    vocab_init(&v);
    add(&v, "b", 2);
    add(&v, "a", 2);
    add(&v, "the", 9);
    add(&v, "z", 1);
    vocab_sort(&v);
    CHECK(!strcmp(vocab_word(&v, 0), "the"));
    CHECK(!strcmp(vocab_word(&v, 1), "a"));
    CHECK(!strcmp(vocab_word(&v, 2), "b"));
    CHECK(!strcmp(vocab_word(&v, 3), "z"));
    CHECK(vocab_find(&v, "b", 1) == 2); /* hash rebuilt after reordering */
    vocab_prune(&v, 2);
    CHECK(v.size == 3 && v.total == 13 && vocab_find(&v, "z", 1) == -1);
    vocab_truncate(&v, 1);
    CHECK(v.size == 1 && vocab_find(&v, "a", 1) == -1);
    vocab_deinit(&v);
}

/* One step of prune and sort gives the vocabulary the two give, and says where each word went
 * (the count's recordings are mapped by it). */
TEST(vocab_prune_sort_tells_where_words_went)
{
    Vocab a, b;
    vocab_init(&a);
    vocab_init(&b);
    char w[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(w, sizeof w, "w%d", (i * 7919) % 3001);
        uint64_t c = (uint64_t)(i % 11);
        add(&a, w, c);
        add(&b, w, c);
    }
    char old[3000][32];
    for (int64_t i = 0; i < a.size; i++)
        snprintf(old[i], sizeof old[i], "%s", vocab_word(&a, i));
    int64_t before = a.size;
    int32_t *moved = malloc((size_t)a.size * sizeof *moved);
    CHECK(vocab_prune_sort(&a, 3, moved));
    vocab_prune(&b, 3);
    vocab_sort(&b);
    CHECK(a.size == b.size && a.total == b.total && a.size > 0 && a.size < before);
    for (int64_t i = 0; i < a.size; i++)
        CHECK(!strcmp(vocab_word(&a, i), vocab_word(&b, i)) && a.counts[i] == b.counts[i]);
    int64_t kept = 0;
    for (int64_t i = 0; i < before; i++) {
        CHECK(moved[i] == vocab_find(&a, old[i], strlen(old[i])));
        kept += moved[i] >= 0;
    }
    CHECK(kept == a.size);
    free(moved);
    vocab_deinit(&a);
    vocab_deinit(&b);
}

TEST(vocab_save_load_round_trip)
{
    Vocab v, w;
    vocab_init(&v);
    vocab_init(&w);
    add(&v, "hello", 5);
    add(&v, "w\xc3\xb6rld", 3);
    add(&v, "x", 7);
    vocab_sort(&v);
    char path[] = "/tmp/es_vocab_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    Err e = {0};
    CHECK(vocab_save(&v, path, &e));
    CHECKF(vocab_load(&w, path, &e), "%s", e.msg);
    CHECK(w.size == 3 && w.total == 15);
    for (int64_t i = 0; i < 3; i++) {
        CHECK(!strcmp(vocab_word(&v, i), vocab_word(&w, i)));
        CHECK(v.counts[i] == w.counts[i]);
    }
    unlink(path);
    vocab_deinit(&v);
    vocab_deinit(&w);
}

static bool load_text(const char *text, Err *e)
{
    char path[] = "/tmp/es_vocab_bad_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return false;
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        close(fd);
        return false;
    }
    close(fd);
    Vocab v;
    vocab_init(&v);
    add(&v, "keep", 1);
    bool ok = vocab_load(&v, path, e);
    /* a failed load leaves the old vocabulary alone */
    if (!ok && (v.size != 1 || strcmp(vocab_word(&v, 0), "keep")))
        strcpy(e->msg, "old vocabulary changed");
    vocab_deinit(&v);
    unlink(path);
    return ok;
}

TEST(vocab_load_rejects_bad_lines)
{
    Err e = {0};
    CHECK(!load_text("", &e) && strstr(e.msg, "empty"));
    CHECK(!load_text("a 1\nb\n", &e) && strstr(e.msg, ":line 2:"));
    CHECK(!load_text("a 1\nb -3\n", &e) && strstr(e.msg, ":line 2:"));
    CHECK(!load_text("a 1\nb 2x\n", &e) && strstr(e.msg, ":line 2:"));
    CHECK(!load_text("a 1\na 2\n", &e) && strstr(e.msg, ":line 2: duplicate"));
    CHECK(!load_text("a 99999999999999999999999\n", &e) && strstr(e.msg, ":line 1:"));
    Vocab v;
    vocab_init(&v);
    CHECK(!vocab_load(&v, "/tmp", &e) && strstr(e.msg, "directory"));
    CHECK(!vocab_load(&v, "/nonexistent/vocab.txt", &e) && strstr(e.msg, "/nonexistent/vocab.txt"));
    vocab_deinit(&v);
}

/* The one UTF-8 checker the loaders, the world parser and the bookmark writer share. */
TEST(utf8_len_accepts_only_well_formed)
{
    const unsigned char *u;
    CHECK(vocab_utf8_len((const unsigned char *)"a", 1) == 1);
    u = (const unsigned char *)"\xc3\xa9";         /* é */
    CHECK(vocab_utf8_len(u, 2) == 2 && vocab_utf8_len(u, 1) == 0);
    CHECK(vocab_utf8_len((const unsigned char *)"\xe2\x82\xac", 3) == 3);      /* € */
    CHECK(vocab_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4) == 4);  /* U+1F600 */
    CHECK(vocab_utf8_len((const unsigned char *)"\xc0\xaf", 2) == 0);          /* overlong */
    CHECK(vocab_utf8_len((const unsigned char *)"\xe0\x80\xaf", 3) == 0);      /* overlong */
    CHECK(vocab_utf8_len((const unsigned char *)"\xed\xa0\x80", 3) == 0);      /* surrogate */
    CHECK(vocab_utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4) == 0);  /* > U+10FFFF */
    CHECK(vocab_utf8_len((const unsigned char *)"\xb8", 1) == 0);              /* continuation */
    CHECK(vocab_utf8_len((const unsigned char *)"\xc3(", 2) == 0);
}
