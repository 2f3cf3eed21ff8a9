/* Corpora: a text file (plain or .gz, read as a stream) or a built-in generator such as
 * "@world", both read through one tokenizer so the trainer cannot tell them apart.
 * A Corpus is immutable once opened and may be shared by threads; each thread reads through
 * its own CorpusReader. */
#ifndef EMBEDSCOPE_CORPUS_H
#define EMBEDSCOPE_CORPUS_H
#include "model/base/err.h"
#include "model/base/pool.h"
#include "model/text/vocab.h"
#include <stdbool.h>
#include <stdint.h>

#define CORPUS_MAX_TOKEN VOCAB_MAX_WORD /* bytes; never cut inside a UTF-8 sequence */

struct World;

typedef struct Corpus {
    char name[1024];       /* path, or "@world" */
    bool builtin;
    bool compressed;       /* gzip: read sequentially, shards by line number */
    int64_t bytes;         /* file size (0 for built-ins) */
    struct World *world;   /* for "@world" (owned) */
    uint64_t epoch_sentences; /* built-ins: sentences per epoch */
} Corpus;

/* Opens a file or a built-in ("@world"). A directory, a missing file or an unknown built-in is
 * an error naming it. */
bool corpus_open(Corpus *c, const char *name, Err *e);
void corpus_close(Corpus *c);

/* Generator behind a built-in corpus: appends one sentence ending in '\n' to buf (at most cap
 * bytes) and returns its length; returns 0 when the shard is exhausted. */
typedef size_t (*CorpusGenFn)(void *ctx, char *buf, size_t cap);

typedef enum { CORPUS_WORD = 1, CORPUS_EOS = 0, CORPUS_EOF = -1, CORPUS_ERROR = -2 } CorpusTok;

typedef struct CorpusReader {
    const Corpus *corpus;
    void *gz;              /* gzFile for files */
    void *gen;             /* generator state for built-ins */
    CorpusGenFn gen_fn;
    unsigned char *buf;
    size_t buf_len, buf_pos, buf_cap;
    bool eof;
    bool pending_eos;      /* a newline ended the previous token */
    int64_t line;          /* 1-based line of the current position (files) */
    int64_t pos;           /* bytes consumed from the start of the file */
    int64_t end;           /* stop at the first newline at or after this offset (-1: EOF) */
    int64_t shard, nshards; /* compressed files: keep lines with line % nshards == shard */
    uint64_t sentences;    /* sentences returned (built-ins: budget check) */
    char err[256];
} CorpusReader;

/* Opens shard `shard` of `nshards` for one epoch. Plain files: a byte range starting after a
 * newline; gzip: every nshards-th line; built-ins: epoch_sentences / nshards sentences from a
 * generator seeded with (seed, shard, epoch). */
bool corpus_reader_open(CorpusReader *r, const Corpus *c, int shard, int nshards, int epoch,
                        uint64_t seed, Err *e);
void corpus_reader_close(CorpusReader *r);
/* Next token into tok (NUL-terminated, *len bytes): CORPUS_WORD, CORPUS_EOS at a newline,
 * CORPUS_EOF at the end of the shard, CORPUS_ERROR with e filled (a read error). */
CorpusTok corpus_next(CorpusReader *r, char tok[CORPUS_MAX_TOKEN + 1], size_t *len, Err *e);
/* Progress through the shard in [0,1] (bytes for files, sentences for built-ins). */
double corpus_reader_fraction(const CorpusReader *r);

/* Counts every word of the corpus into v (one pass, one thread), pruning words of count <=
 * min_reduce whenever max_vocab is exceeded (as word2vec.c does), then drops words below
 * min_count and sorts by frequency. progress (may be NULL) gets words counted so far and the
 * fraction of the corpus read, every ~1M words; returning false cancels. */
typedef bool (*CorpusProgressFn)(void *ctx, uint64_t words, double fraction);
bool corpus_count(const Corpus *c, Vocab *v, uint64_t min_count, int64_t max_vocab,
                  CorpusProgressFn progress, void *ctx, Err *e);
/* The same in nshards shards (as the trainer reads them, at most CORPUS_MAX_SHARDS), counted
 * as tasks of a borrowed pool (NULL: one after the other on the caller's thread) and merged at
 * the end: the counts are exact whatever nshards is (pruning while counting aside: each shard
 * prunes on its own), and do not depend on the pool. progress is called by the thread that
 * counts the first shard (a pool worker or the caller, one call at a time), then once more by
 * the caller at the end. Built-in corpora are always counted as one shard. */
#define CORPUS_MAX_SHARDS 64
bool corpus_count_threads(const Corpus *c, Vocab *v, uint64_t min_count, int64_t max_vocab,
                          int nshards, Pool *pool, CorpusProgressFn progress, void *ctx, Err *e);

/* Bytes of word ids that a file's shards may keep in memory for replay, over all shards (here
 * and in the trainer's IdSource): a gigabyte holds ~250M words and leaves room for the
 * matrices on a laptop. */
#define CORPUS_IDS_BUDGET ((size_t)1 << 30)
#define CORPUS_IDS_EOS (-1) /* a line's end in a CorpusIds recording */

/* What the count read, as ids of the vocabulary it made: shard i's words in reading order,
 * words the vocabulary dropped left out, CORPUS_IDS_EOS at each line end: exactly what a
 * trainer thread reading shard i of nshards would look up, so its first epoch can replay this
 * instead of tokenising the file a second time. ids[i] is NULL for a shard that was not
 * recorded (over its share of CORPUS_IDS_BUDGET, pruned while counting, out of memory). */
typedef struct CorpusIds {
    int nshards; /* 0: nothing recorded (a built-in corpus) */
    int32_t *ids[CORPUS_MAX_SHARDS];
    size_t n[CORPUS_MAX_SHARDS];
} CorpusIds;
/* corpus_count_threads that also records the shards' ids into *ids (emptied first; free with
 * corpus_ids_free). A recording that cannot be made is dropped without failing the count. */
bool corpus_count_ids(const Corpus *c, Vocab *v, uint64_t min_count, int64_t max_vocab,
                      int nshards, Pool *pool, CorpusProgressFn progress, void *ctx,
                      CorpusIds *ids, Err *e);
void corpus_ids_free(CorpusIds *ids);

#endif
