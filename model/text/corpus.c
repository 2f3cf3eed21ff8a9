/* Corpora and their tokenizer: see corpus.h. Files go through zlib's gzread, which reads plain
 * files transparently (and seeks in them cheaply), so one code path serves both. */
#include "model/text/corpus.h"
#include "model/base/rng.h"
#include "model/text/world.h"
#include "model/text/world_gen.h"
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define READ_BLOCK (1 << 20) /* bytes per gzread: large blocks keep syscalls rare */

bool corpus_open(Corpus *c, const char *name, Err *e)
{
    memset(c, 0, sizeof *c);
    if (!name || !*name)
        return err_set(e, "no corpus given");
    if (strlen(name) >= sizeof c->name)
        return err_set(e, "%.64s...: path too long", name);
    snprintf(c->name, sizeof c->name, "%s", name);
    if (name[0] == '@') {
        if (strcmp(name, "@world") != 0)
            return err_set(e, "%s: unknown built-in corpus (built-ins: @world)", name);
        c->builtin = true;
        c->world = world_builtin(e);
        if (!c->world)
            return err_prefix(e, "%s: ", name);
        c->epoch_sentences = WORLD_EPOCH_SENTENCES;
        return true;
    }
    struct stat st;
    if (stat(name, &st) != 0)
        return err_set(e, "%s: %s", name, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return err_set(e, "%s: is a directory, not a corpus file", name);
    gzFile gz = gzopen(name, "rb");
    if (!gz)
        return err_set(e, "%s: %s", name, errno ? strerror(errno) : "cannot open");
    /* gzdirect is only meaningful after the first read looked at the header. */
    char probe[2];
    int n = gzread(gz, probe, sizeof probe);
    if (n < 0) {
        int zerr = 0;
        const char *msg = gzerror(gz, &zerr);
        err_set(e, "%s: %s", name, zerr == Z_ERRNO ? strerror(errno) : msg);
        gzclose(gz);
        return false;
    }
    c->compressed = !gzdirect(gz);
    gzclose(gz);
    c->bytes = (int64_t)st.st_size;
    return true;
}

void corpus_close(Corpus *c)
{
    if (!c)
        return;
    world_destroy(c->world);
    memset(c, 0, sizeof *c);
}

static size_t world_gen_fn(void *ctx, char *buf, size_t cap)
{
    return world_gen_sentence(ctx, buf, cap);
}


static bool fill(CorpusReader *r, Err *e);

bool corpus_reader_open(CorpusReader *r, const Corpus *c, int shard, int nshards, int epoch,
                        uint64_t seed, Err *e)
{
    memset(r, 0, sizeof *r);
    r->corpus = c;
    r->end = -1;
    r->line = 1;
    if (nshards < 1 || shard < 0 || shard >= nshards)
        return err_set(e, "bad shard %d of %d", shard, nshards);
    r->buf_cap = READ_BLOCK;
    r->buf = malloc(r->buf_cap + 1);
    if (!r->buf)
        return err_set(e, "out of memory for the corpus reader");
    if (c->builtin) {
        uint64_t per = c->epoch_sentences / (uint64_t)nshards;
        if ((uint64_t)shard < c->epoch_sentences % (uint64_t)nshards)
            per++;
        r->end = (int64_t)per;
        r->gen = world_gen_create(c->world, rng_mix(seed ^ rng_mix((uint64_t)shard << 32 ^ (uint64_t)epoch)));
        if (!r->gen) {
            corpus_reader_close(r);
            return err_set(e, "%s: out of memory for the generator", c->name);
        }
        r->gen_fn = world_gen_fn;
        return true;
    }
    gzFile gz = gzopen(c->name, "rb");
    if (!gz) {
        corpus_reader_close(r);
        return err_set(e, "%s: %s", c->name, errno ? strerror(errno) : "cannot open");
    }
    gzbuffer(gz, 256 * 1024);
    r->gz = gz;
    if (c->compressed) {
        r->shard = shard;
        r->nshards = nshards;
        for (int skipped = 0; skipped < shard && !r->eof;) {
            if (r->buf_pos == r->buf_len && !fill(r, e)) {
                corpus_reader_close(r);
                return false;
            }
            if (r->buf_pos == r->buf_len)
                continue; /* fill set eof */
            unsigned char ch = r->buf[r->buf_pos++];
            r->pos++;
            if (ch == '\n') {
                skipped++;
                r->line++;
            }
        }
        return true;
    }
    int64_t start = c->bytes * shard / nshards;
    r->end = shard + 1 == nshards ? -1 : c->bytes * (shard + 1) / nshards;
    if (start > 0) {
        /* Start at the first line that begins at or after `start`. */
        if (gzseek(gz, (z_off_t)(start - 1), SEEK_SET) < 0) {
            corpus_reader_close(r);
            return err_set(e, "%s: cannot seek to byte %lld", c->name, (long long)start - 1);
        }
        r->pos = start - 1;
        for (;;) {
            if (r->buf_pos == r->buf_len && !fill(r, e)) {
                corpus_reader_close(r);
                return false;
            }
            if (r->eof && r->buf_pos == r->buf_len)
                break;
            unsigned char ch = r->buf[r->buf_pos++];
            r->pos++;
            if (ch == '\n')
                break;
        }
    }
    /* A shard owns the lines that start in [start, end). With more shards than bytes a range
     * can be empty even at byte 0, where the line start is the first shard's to read. */
    if (r->end >= 0 && r->pos >= r->end)
        r->eof = true, r->buf_len = r->buf_pos;
    return true;
}

void corpus_reader_close(CorpusReader *r)
{
    if (!r)
        return;
    if (r->gz)
        gzclose(r->gz);
    if (r->gen)
        world_gen_destroy(r->gen);
    free(r->buf);
    memset(r, 0, sizeof *r);
}

/* Refills the buffer; sets eof when the source is exhausted. */
static bool fill(CorpusReader *r, Err *e)
{
    r->buf_pos = r->buf_len = 0;
    if (r->eof)
        return true;
    if (r->gen_fn) {
        /* Whole sentences only; a sentence never exceeds the block. */
        while ((int64_t)r->sentences < r->end && r->buf_len + 4096 < r->buf_cap) {
            size_t n = r->gen_fn(r->gen, (char *)r->buf + r->buf_len, r->buf_cap - r->buf_len);
            if (!n)
                break;
            r->buf_len += n;
            r->sentences++;
        }
        if (!r->buf_len)
            r->eof = true;
        return true;
    }
    int n = gzread(r->gz, r->buf, (unsigned)r->buf_cap);
    if (n < 0) {
        int zerr = 0;
        const char *msg = gzerror(r->gz, &zerr);
        r->eof = true;
        return err_set(e, "%s: byte %lld: %s", r->corpus->name, (long long)r->pos,
                       zerr == Z_ERRNO ? strerror(errno) : msg);
    }
    if (n == 0)
        r->eof = true;
    r->buf_len = (size_t)n;
    return true;
}

/* NUL separates too: a token holding one would be cut short by every C string that stores it
 * (the vocabulary, the saved vectors), so two different tokens could become one word. */
static inline bool is_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f' || ch == 0;
}

CorpusTok corpus_next(CorpusReader *r, char tok[CORPUS_MAX_TOKEN + 1], size_t *len, Err *e)
{
    /* Token bytes beyond what we keep are still scanned so we can cut them UTF-8 safely:
     * keep up to 4 extra bytes to look at. */
    unsigned char t[CORPUS_MAX_TOKEN + 4];
    size_t n = 0, total = 0;
    for (;;) {
        if (r->buf_pos == r->buf_len) {
            if (!fill(r, e))
                return CORPUS_ERROR;
            if (r->buf_len == 0) {
                if (r->gz) {
                    int zerr = Z_OK;
                    gzerror(r->gz, &zerr);
                    if (zerr != Z_OK) {
                        err_set(e, "%s: byte %lld: truncated or corrupt compressed data",
                                r->corpus->name, (long long)r->pos);
                        return CORPUS_ERROR;
                    }
                }
                if (total)
                    break;
                return CORPUS_EOF;
            }
        }
        unsigned char ch = r->buf[r->buf_pos];
        if (ch == '\n') {
            if (total)
                break; /* the newline is seen again on the next call */
            r->buf_pos++;
            r->pos++;
            int64_t nl = r->pos - 1;
            r->line++;
            if (r->nshards > 1) {
                /* gzip shards: skip whole lines that belong to other shards. */
                while ((r->line - 1) % r->nshards != r->shard) {
                    for (;;) {
                        if (r->buf_pos == r->buf_len) {
                            if (!fill(r, e))
                                return CORPUS_ERROR;
                            if (r->buf_len == 0)
                                goto eos; /* EOF inside a skipped line */
                        }
                        unsigned char c2 = r->buf[r->buf_pos++];
                        r->pos++;
                        if (c2 == '\n')
                            break;
                    }
                    r->line++;
                }
            }
            /* The next line starts at nl + 1; from `end` on, lines belong to the next shard
             * (which starts at the first line start >= end), so none is read twice. */
            if (!r->gen_fn && r->end >= 0 && nl + 1 >= r->end) {
                r->eof = true;
                r->buf_pos = r->buf_len;
            }
        eos:
            *len = 0;
            tok[0] = 0;
            return CORPUS_EOS;
        }
        r->buf_pos++;
        r->pos++;
        if (is_space(ch)) {
            if (total)
                break;
            continue;
        }
        if (n < sizeof t)
            t[n++] = ch;
        total++;
    }
    size_t keep = vocab_utf8_cut((const char *)t, n, CORPUS_MAX_TOKEN);
    memcpy(tok, t, keep);
    tok[keep] = 0;
    *len = keep;
    return CORPUS_WORD;
}

double corpus_reader_fraction(const CorpusReader *r)
{
    const Corpus *c = r->corpus;
    if (!c)
        return 0;
    if (c->builtin)
        return r->end > 0 ? (double)r->sentences / (double)r->end : 1.0;
    if (c->compressed)
        return c->bytes > 0 ? (double)gzoffset(r->gz) / (double)c->bytes : 1.0;
    return c->bytes > 0 ? (double)r->pos / (double)c->bytes : 1.0;
}

/* One shard's count, a task of corpus_count_threads. */
typedef struct CountJob {
    const Corpus *c;
    int shard, nshards;
    int64_t max_vocab;
    CorpusProgressFn progress; /* shard 0 only */
    void *ctx;
    _Atomic int *cancel;
    Vocab v;
    uint64_t words, min_reduce;
    bool ok;
    Err e;
    /* corpus_count_ids: the shard's tokens as indices of v (CORPUS_IDS_EOS at line ends),
     * then as ids of the merged vocabulary; NULL when not recorded or dropped. */
    int32_t *rec;
    size_t rec_n, rec_cap, rec_max;
    int32_t *merged;         /* (v.size) each of v's words' index in the merge (shard 0's
                                are its own: NULL) */
    const int32_t *moved_to; /* each merged index's final id, -1 for a word pruned */
} CountJob;

/* Appends one token to the shard's recording, dropping the whole recording (the trainer then
 * tokenises this shard itself) when it would outgrow its share of the budget or memory. */
static void rec_push(CountJob *j, int64_t id)
{
    if (!j->rec)
        return;
    if (j->rec_n == j->rec_cap) {
        size_t cap = j->rec_cap * 2;
        int32_t *p = cap <= j->rec_max ? realloc(j->rec, cap * sizeof *p) : NULL;
        if (!p) {
            free(j->rec);
            j->rec = NULL;
            return;
        }
        j->rec = p;
        j->rec_cap = cap;
    }
    j->rec[j->rec_n++] = (int32_t)id;
}

static void count_shard(void *jobs, int shard)
{
    CountJob *j = (CountJob *)jobs + shard;
    vocab_init(&j->v);
    j->min_reduce = 1;
    j->ok = false;
    /* a pool with fewer threads than shards starts some late: none after a cancel */
    if (atomic_load_explicit(j->cancel, memory_order_relaxed)) {
        err_set(&j->e, "%s: counting cancelled", j->c->name);
        return;
    }
    CorpusReader r;
    if (!corpus_reader_open(&r, j->c, j->shard, j->nshards, 0, 0, &j->e))
        return;
    char tok[CORPUS_MAX_TOKEN + 1];
    size_t len;
    bool ok = true;
    for (;;) {
        CorpusTok k = corpus_next(&r, tok, &len, &j->e);
        if (k == CORPUS_EOF)
            break;
        if (k == CORPUS_ERROR) {
            ok = false;
            break;
        }
        if (k == CORPUS_EOS) {
            rec_push(j, CORPUS_IDS_EOS);
            continue;
        }
        int64_t id = vocab_add(&j->v, tok, len, 1, &j->e);
        if (id < 0) {
            ok = false;
            break;
        }
        rec_push(j, id);
        j->words++;
        if (j->max_vocab > 0 && j->v.size > j->max_vocab) {
            vocab_prune(&j->v, j->min_reduce + 1); /* renumbers v: the recording is void */
            j->min_reduce++;
            free(j->rec);
            j->rec = NULL;
        }
        if (j->words % (1u << 20) == 0) {
            if (atomic_load_explicit(j->cancel, memory_order_relaxed)) {
                ok = err_set(&j->e, "%s: counting cancelled", j->c->name);
                break;
            }
            /* Shard 0's fraction stands for all: the shards are the same size. */
            if (j->progress &&
                !j->progress(j->ctx, j->words * (uint64_t)j->nshards, corpus_reader_fraction(&r))) {
                atomic_store(j->cancel, 1);
                ok = err_set(&j->e, "%s: counting cancelled", j->c->name);
                break;
            }
        }
    }
    corpus_reader_close(&r);
    j->ok = ok;
}

bool corpus_count(const Corpus *c, Vocab *out, uint64_t min_count, int64_t max_vocab,
                  CorpusProgressFn progress, void *ctx, Err *e)
{
    return corpus_count_threads(c, out, min_count, max_vocab, 1, NULL, progress, ctx, e);
}

/* A task after the merge: shard i's recording rewritten from its own vocabulary's indices to
 * the final vocabulary's ids (own -> merged -> final), the words min_count dropped left out. */
static void map_shard(void *jobs, int shard)
{
    CountJob *j = (CountJob *)jobs + shard;
    if (j->rec && j->moved_to) {
        size_t out = 0;
        for (size_t k = 0; k < j->rec_n; k++) {
            int32_t x = j->rec[k];
            int32_t f = x == CORPUS_IDS_EOS ? x : j->moved_to[j->merged ? j->merged[x] : x];
            if (x == CORPUS_IDS_EOS || f >= 0)
                j->rec[out++] = f;
        }
        j->rec_n = out;
        int32_t *p = realloc(j->rec, (out ? out : 1) * sizeof *p); /* give the slack back */
        if (p)
            j->rec = p;
    } else {
        free(j->rec);
        j->rec = NULL;
    }
    free(j->merged);
    j->merged = NULL;
}

void corpus_ids_free(CorpusIds *ids)
{
    if (!ids)
        return;
    for (int i = 0; i < ids->nshards; i++)
        free(ids->ids[i]);
    memset(ids, 0, sizeof *ids);
}

bool corpus_count_threads(const Corpus *c, Vocab *out, uint64_t min_count, int64_t max_vocab,
                          int nshards, Pool *pool, CorpusProgressFn progress, void *ctx, Err *e)
{
    return corpus_count_ids(c, out, min_count, max_vocab, nshards, pool, progress, ctx, NULL, e);
}

bool corpus_count_ids(const Corpus *c, Vocab *out, uint64_t min_count, int64_t max_vocab,
                      int nshards, Pool *pool, CorpusProgressFn progress, void *ctx,
                      CorpusIds *ids, Err *e)
{
    if (ids)
        memset(ids, 0, sizeof *ids);
    /* Built-in corpora count one fixed stream, so their vocabulary does not depend on the
     * number of shards; they make new text every epoch, so there is nothing to replay. */
    bool record = ids && !c->builtin;
    if (nshards < 1 || c->builtin)
        nshards = 1;
    if (nshards > CORPUS_MAX_SHARDS)
        nshards = CORPUS_MAX_SHARDS;
    CountJob jobs[CORPUS_MAX_SHARDS];
    _Atomic int cancel = 0;
    for (int i = 0; i < nshards; i++) {
        jobs[i] = (CountJob){.c = c, .shard = i, .nshards = nshards, .max_vocab = max_vocab,
                             .progress = i == 0 ? progress : NULL, .ctx = ctx, .cancel = &cancel};
        if (record) {
            jobs[i].rec_cap = (size_t)1 << 16;
            jobs[i].rec_max = CORPUS_IDS_BUDGET / sizeof(int32_t) / (size_t)nshards;
            jobs[i].rec = malloc(jobs[i].rec_cap * sizeof(int32_t));
        }
    }
    pool_run(pool, count_shard, jobs, nshards);
    bool ok = true;
    for (int i = 0; i < nshards && ok; i++)
        if (!jobs[i].ok) {
            *e = jobs[i].e;
            ok = false;
        }
    /* Merge the shards' counts into the first. A recording shard keeps where each of its
     * words went (shard 0's stay where they are), so its ids can be mapped without a lookup. */
    Vocab v = jobs[0].v;
    vocab_init(&jobs[0].v);
    uint64_t words = jobs[0].words, min_reduce = jobs[0].min_reduce;
    for (int i = 1; i < nshards; i++) {
        CountJob *j = &jobs[i];
        if (j->rec && !(j->merged = malloc((size_t)(j->v.size ? j->v.size : 1) * sizeof *j->merged))) {
            free(j->rec);
            j->rec = NULL;
        }
        for (int64_t w = 0; ok && w < j->v.size; w++) {
            const char *s = vocab_word(&j->v, w);
            int64_t at = vocab_add(&v, s, strlen(s), j->v.counts[w], e);
            if (at < 0)
                ok = false; /* e says why */
            else if (at > INT32_MAX)
                ok = err_set(e, "%s: more than %d different words", c->name, INT32_MAX);
            else if (j->merged)
                j->merged[w] = (int32_t)at;
        }
        words += j->words;
        if (j->min_reduce > min_reduce)
            min_reduce = j->min_reduce;
        vocab_deinit(&j->v);
    }
    int32_t *moved_to = NULL;
    if (ok) {
        v.min_reduce = min_reduce - 1;
        moved_to = record ? malloc((size_t)(v.size ? v.size : 1) * sizeof *moved_to) : NULL;
        if (!moved_to || !vocab_prune_sort(&v, min_count, moved_to)) {
            free(moved_to); /* not recording, or no room to: prune and sort as they are */
            moved_to = NULL;
            vocab_prune(&v, min_count);
            vocab_sort(&v);
        }
        if (v.size == 0)
            ok = err_set(e, "%s: no word occurs at least %llu times (%llu words read)", c->name,
                         (unsigned long long)min_count, (unsigned long long)words);
    }
    if (record) {
        for (int i = 0; i < nshards; i++)
            jobs[i].moved_to = ok ? moved_to : NULL;
        pool_run(pool, map_shard, jobs, nshards);
        ids->nshards = ok ? nshards : 0;
        for (int i = 0; i < nshards; i++) {
            if (!ok)
                free(jobs[i].rec);
            else
                ids->ids[i] = jobs[i].rec, ids->n[i] = jobs[i].rec ? jobs[i].rec_n : 0;
        }
    }
    free(moved_to);
    if (!ok) {
        vocab_deinit(&v);
        return false;
    }
    if (progress)
        progress(ctx, words, 1.0);
    vocab_deinit(out);
    *out = v;
    return true;
}
