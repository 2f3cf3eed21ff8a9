/* Vocabulary: words in an arena, their counts, and an open-addressing hash for lookup.
 * After vocab_sort, index 0 is the most frequent word. Not thread-safe for writes; any number
 * of threads may call vocab_find on a vocabulary nobody is modifying. */
#ifndef EMBEDSCOPE_VOCAB_H
#define EMBEDSCOPE_VOCAB_H
#include "model/base/err.h"
#include <stddef.h>
#include <stdint.h>

#define VOCAB_MAX_WORD 100 /* bytes; longer tokens are truncated by the corpus reader */

typedef struct Vocab {
    int64_t size, cap;
    uint64_t *counts;   /* (size) */
    uint64_t *offs;     /* (size) byte offset of each NUL-terminated word in arena */
    char *arena;
    size_t arena_len, arena_cap;
    int64_t *hash;      /* (hash_cap) word index or -1; hash_cap a power of two */
    size_t hash_cap;
    uint64_t total;     /* sum of counts */
    uint64_t min_reduce; /* pruning threshold reached while counting (max-vocab) */
} Vocab;

void vocab_init(Vocab *v);
void vocab_deinit(Vocab *v);
/* Adds count to word (inserting it; words longer than VOCAB_MAX_WORD are cut with
 * vocab_utf8_cut first). Returns its index, or -1 when out of memory. */
int64_t vocab_add(Vocab *v, const char *w, size_t len, uint64_t count, Err *e);
/* Length of the longest prefix of w[0..len) of at most max bytes that does not cut a
 * well-formed UTF-8 sequence in two (invalid bytes pass through as bytes). */
size_t vocab_utf8_cut(const char *w, size_t len, size_t max);
/* Length of the well-formed UTF-8 sequence at s (n >= 1 bytes left): 1 for ASCII, 2-4 for a
 * valid multi-byte character (no overlong forms, surrogates or code points past U+10FFFF),
 * 0 when invalid. */
size_t vocab_utf8_len(const unsigned char *s, size_t n);
/* Index of word, or -1. */
int64_t vocab_find(const Vocab *v, const char *w, size_t len);
static inline const char *vocab_word(const Vocab *v, int64_t i) { return v->arena + v->offs[i]; }
/* Drops words with count < min_count (keeps order of the rest, rebuilds the hash). */
void vocab_prune(Vocab *v, uint64_t min_count);
/* Sorts by count descending (ties: bytewise ascending, so the order is reproducible). */
void vocab_sort(Vocab *v);
/* vocab_prune then vocab_sort in one step, telling where each word went: moved_to (v->size
 * entries before the call) gets each old index's new one, -1 for a word dropped. False, with v
 * untouched, when out of memory or over INT32_MAX words. */
bool vocab_prune_sort(Vocab *v, uint64_t min_count, int32_t *moved_to);
/* Keeps only the first n words (call after sorting). */
void vocab_truncate(Vocab *v, int64_t n);
/* Deep copy. */
bool vocab_copy(Vocab *dst, const Vocab *src, Err *e);
/* `word count` per line, atomic write. */
bool vocab_save(const Vocab *v, const char *path, Err *e);
bool vocab_load(Vocab *v, const char *path, Err *e);

#endif
