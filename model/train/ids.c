/* A trainer thread's word ids: see ids.h. The recording grows by doubling until its share of
 * CORPUS_IDS_BUDGET is used up; then it is dropped and the source streams from the corpus.
 * One thread per IdSource. */
#include "model/train/ids.h"
#include <stdlib.h>
#include <string.h>


void ids_init(IdSource *s, const Corpus *c, const Vocab *v, int nshards, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->corpus = c;
    s->vocab = v;
    s->nshards = nshards;
    s->seed = seed;
    s->state = IDS_RECORDING;
}

bool ids_adopt(IdSource *s, int32_t *ids, size_t n)
{
    bool fits = s->state == IDS_RECORDING && !s->corpus->builtin && !s->n;
    for (size_t k = 0; fits && k < n; k++)
        fits = ids[k] == IDS_EOS || (ids[k] >= 0 && ids[k] < s->vocab->size);
    if (!fits) {
        free(ids);
        return false;
    }
    free(s->ids);
    s->ids = ids;
    s->n = s->cap = s->end = n;
    s->state = IDS_REPLAYING;
    return true;
}

void ids_view(IdSource *s, const Corpus *c, const Vocab *v, int32_t *ids, size_t from, size_t to)
{
    ids_init(s, c, v, 1, 0);
    s->ids = ids;
    s->borrowed = true;
    s->n = s->cap = s->end = to;
    s->pos = from;
    s->state = IDS_REPLAYING;
}

bool ids_split(IdSource *s, size_t min, size_t *from, size_t *to)
{
    if (s->state != IDS_REPLAYING || s->pos >= s->end || s->end - s->pos < min)
        return false;
    size_t mid = s->pos + (s->end - s->pos) / 2;
    while (mid < s->end && s->ids[mid - 1] != IDS_EOS)
        mid++; /* a line is trained whole, by one thread */
    if (mid >= s->end)
        return false;
    *from = mid;
    *to = s->end;
    s->end = mid;
    return true;
}

bool ids_open(IdSource *s, int shard, int epoch, Err *e)
{
    s->pos = 0;
    s->at = 0;
    if (s->state == IDS_REPLAYING) {
        s->end = s->n;
        return true;
    }
    if (s->corpus->builtin)
        s->state = IDS_STREAMING; /* a new stream every epoch: nothing to replay */
    if (!corpus_reader_open(&s->r, s->corpus, shard, s->nshards, epoch, s->seed, e))
        return false;
    s->reading = true;
    return true;
}

static void record(IdSource *s, int32_t id)
{
    if (s->state != IDS_RECORDING)
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : (size_t)1 << 16;
        size_t limit = CORPUS_IDS_BUDGET / sizeof(int32_t) / (size_t)s->nshards;
        int32_t *p = cap <= limit ? realloc(s->ids, cap * sizeof *p) : NULL;
        if (!p) {
            free(s->ids);
            s->ids = NULL;
            s->n = s->cap = 0;
            s->state = IDS_STREAMING;
            return;
        }
        s->ids = p;
        s->cap = cap;
    }
    s->ids[s->n++] = id;
}

static int32_t next(IdSource *s, Err *e);

int32_t ids_next(IdSource *s, Err *e)
{
    int32_t id = next(s, e);
    if (id >= 0 || id == IDS_EOS)
        s->at++;
    return id;
}

bool ids_skip(IdSource *s, uint64_t n, Err *e)
{
    while (s->at < n) {
        uint64_t at = s->at;
        int32_t id = ids_next(s, e);
        if (id == IDS_ERROR)
            return false;
        if (id == IDS_EOF)
            return err_set(e, "%s: shard ends after %llu words and line ends, before the "
                              "checkpoint's position %llu (has the corpus changed?)",
                           s->corpus->name, (unsigned long long)at, (unsigned long long)n);
    }
    return true;
}

static int32_t next(IdSource *s, Err *e)
{
    if (s->state == IDS_REPLAYING)
        return s->pos < s->end ? s->ids[s->pos++] : IDS_EOF;
    char tok[CORPUS_MAX_TOKEN + 1];
    size_t len;
    for (;;) {
        CorpusTok k = corpus_next(&s->r, tok, &len, e);
        if (k == CORPUS_ERROR)
            return IDS_ERROR;
        if (k == CORPUS_EOF)
            return IDS_EOF;
        if (k == CORPUS_EOS) {
            record(s, IDS_EOS);
            return IDS_EOS;
        }
        int64_t id = vocab_find(s->vocab, tok, len);
        if (id >= 0) {
            record(s, (int32_t)id);
            return (int32_t)id;
        }
    }
}

void ids_close_epoch(IdSource *s)
{
    if (s->reading) {
        corpus_reader_close(&s->r);
        s->reading = false;
    }
    if (s->state == IDS_RECORDING) {
        s->state = IDS_REPLAYING;
        s->end = s->n;
    }
}

void ids_deinit(IdSource *s)
{
    if (s->reading)
        corpus_reader_close(&s->r);
    if (!s->borrowed)
        free(s->ids);
    memset(s, 0, sizeof *s);
}
