/* A trainer thread's word ids, one epoch at a time. The first epoch over a file tokenises and
 * looks up every word once and records the ids (IDS_EOS between lines); later epochs replay
 * the recording, so hashing leaves the training loop. Built-in corpora generate new text every
 * epoch and are streamed; so is a shard whose ids outgrow the cache budget. A recording made
 * while the vocabulary was counted (CorpusIds) can be adopted, so that no epoch tokenises.
 * Each IdSource belongs to one thread; the Corpus and Vocab it reads are shared and
 * immutable. */
#ifndef EMBEDSCOPE_IDS_H
#define EMBEDSCOPE_IDS_H
#include "model/base/err.h"
#include "model/text/corpus.h"
#include "model/text/vocab.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { IDS_EOS = -1, IDS_EOF = -2, IDS_ERROR = -3 }; /* what ids_next returns besides an id */
_Static_assert(IDS_EOS == CORPUS_IDS_EOS, "a CorpusIds recording is replayed as it is");

typedef enum {
    IDS_RECORDING, /* reading the corpus and keeping its ids (the first epoch of a file) */
    IDS_REPLAYING, /* the recording is complete: epochs read it, not the corpus */
    IDS_STREAMING, /* reading the corpus every epoch (built-ins; a shard over the budget) */
} IdsState;

typedef struct IdSource {
    const Corpus *corpus;
    const Vocab *vocab;
    int nshards;       /* the threads sharing the corpus: this source reads one shard */
    uint64_t seed;     /* built-in corpora's generator seed */
    CorpusReader r;
    bool reading;      /* r is open */
    int32_t *ids;      /* (cap) the recording, n used; pos: the replay's next, end: where the
                          replay stops (n, or less once another thread took the rest) */
    size_t n, cap, pos, end;
    bool borrowed;     /* ids is another source's recording (ids_view): not freed here */
    uint64_t at;       /* what ids_next returned (ids and IDS_EOS) since ids_open: the epoch's
                          position, which a checkpoint records and ids_skip goes back to */
    IdsState state;
} IdSource;

void ids_init(IdSource *s, const Corpus *c, const Vocab *v, int nshards, uint64_t seed);
/* Before the first ids_open: takes ids (malloc'ed, n entries; CorpusIds's recording of the
 * shard this source will read, whose CORPUS_IDS_EOS is IDS_EOS) as a complete recording, so
 * even the first epoch replays. Frees ids and returns false, leaving the source to tokenise,
 * when it does not fit (a built-in corpus, an id outside the vocabulary, reading begun). */
bool ids_adopt(IdSource *s, int32_t *ids, size_t n);
/* Starts an epoch over shard `shard`. */
bool ids_open(IdSource *s, int shard, int epoch, Err *e);
/* The next word id (words not in the vocabulary are skipped), IDS_EOS at the end of a line,
 * IDS_EOF at the end of the shard, IDS_ERROR with e filled on a read error. */
int32_t ids_next(IdSource *s, Err *e);
/* Reads past the next n results of ids_next (a resumed run's position in its epoch); false,
 * with e filled, on a read error or when the shard ends first (the corpus changed). */
bool ids_skip(IdSource *s, uint64_t n, Err *e);
/* A source that replays ids[from, to) of another source's recording, which must outlive it
 * and is not freed by it: the range another thread gave up (ids_split). */
void ids_view(IdSource *s, const Corpus *c, const Vocab *v, int32_t *ids, size_t from, size_t to);
/* While replaying with at least min ids left: gives up the second half of what is left, from
 * the line end after its middle, as [*from, *to) of s->ids, and stops this source's replay
 * there. False (nothing given) otherwise. The caller serialises this with s's reads. */
bool ids_split(IdSource *s, size_t min, size_t *from, size_t *to);
/* Ends an epoch: a complete recording is replayed from now on. */
void ids_close_epoch(IdSource *s);
void ids_deinit(IdSource *s);

#endif
