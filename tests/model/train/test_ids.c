/* The ids a count records (corpus_count_ids) against the ids a trainer thread tokenises
 * itself (IdSource), and a trainer that replays the count's ids from its first epoch. */
#include "model/base/pool.h"
#include "model/text/corpus.h"
#include "model/train/ids.h"
#include "model/train/train.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Lines of 0-12 words from a vocabulary of 400, so that min_count 3 drops some words; one
 * word longer than the vocabulary keeps (cut the same way in both readings). */
static void make_corpus(char *path)
{
    strcpy(path, "/tmp/es_ids_XXXXXX");
    close(mkstemp(path));
    FILE *f = fopen(path, "w");
    uint64_t s = 5;
    for (int i = 0; i < 3000; i++) {
        int n = i % 13;
        for (int j = 0; j < n; j++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            unsigned w = (unsigned)((s >> 33) % 400);
            fprintf(f, "%sw%u", j ? " " : "", w * w % 401);
        }
        if (i == 17)
            fprintf(f, " %0120d", 7);
        fputc('\n', f);
    }
    fclose(f);
}

/* make_corpus, opened as c. */
static bool open_corpus(char *path, Corpus *c)
{
    make_corpus(path);
    Err e = {0};
    return corpus_open(c, path, &e);
}

/* A test's corpus file, opened, and a vocabulary to count into. */
typedef struct Fixture {
    char path[32];
    Corpus c;
    Vocab v;
} Fixture;

static bool fixture_open(Fixture *f)
{
    vocab_init(&f->v);
    return open_corpus(f->path, &f->c);
}

static void fixture_close(Fixture *f)
{
    vocab_deinit(&f->v);
    corpus_close(&f->c);
    unlink(f->path);
}

/* Shard `shard` of n as a trainer thread reads it: tokenised and looked up in v. */
static int32_t *tokenised(const Corpus *c, const Vocab *v, int shard, int n, size_t *len)
{
    IdSource src;
    ids_init(&src, c, v, n, 1);
    Err e = {0};
    size_t cap = 1024, k = 0;
    int32_t *out = malloc(cap * sizeof *out);
    if (!ids_open(&src, shard, 0, &e))
        return NULL;
    for (int32_t id; (id = ids_next(&src, &e)) != IDS_EOF;) {
        if (id == IDS_ERROR)
            return NULL;
        if (k == cap)
            out = realloc(out, (cap *= 2) * sizeof *out);
        out[k++] = id;
    }
    ids_deinit(&src);
    *len = k;
    return out;
}

TEST(count_records_what_each_shard_tokenises)
{
    char path[32];
    Corpus c;
    Err e = {0};
    CHECK(open_corpus(path, &c));
    Pool *pool = pool_create(2);
    for (int shards = 1; shards <= 3; shards++) {
        Vocab v;
        vocab_init(&v);
        CorpusIds ids;
        CHECKF(corpus_count_ids(&c, &v, 3, 0, shards, pool, NULL, NULL, &ids, &e), "%s", e.msg);
        CHECK(ids.nshards == shards);
        /* the same vocabulary as a count that records nothing */
        Vocab plain;
        vocab_init(&plain);
        CHECK(corpus_count_threads(&c, &plain, 3, 0, shards, pool, NULL, NULL, &e));
        CHECK(plain.size == v.size && plain.total == v.total && v.size < 400);
        for (int64_t i = 0; i < v.size; i++)
            CHECK(!strcmp(vocab_word(&v, i), vocab_word(&plain, i)));
        size_t words = 0;
        for (int i = 0; i < shards; i++) {
            size_t n = 0;
            int32_t *want = tokenised(&c, &v, i, shards, &n);
            CHECK(want && ids.ids[i]);
            CHECKF(ids.n[i] == n, "shard %d: %zu recorded, %zu tokenised", i, ids.n[i], n);
            CHECK(!memcmp(ids.ids[i], want, n * sizeof *want));
            for (size_t k = 0; k < n; k++)
                words += want[k] != IDS_EOS;
            free(want);
        }
        CHECK(words == v.total); /* every kept word once, none dropped twice */
        corpus_ids_free(&ids);
        CHECK(ids.nshards == 0);
        vocab_deinit(&v);
        vocab_deinit(&plain);
    }
    pool_destroy(pool);
    corpus_close(&c);
    unlink(path);
}

TEST(count_drops_a_recording_it_cannot_keep)
{
    Fixture f;
    Err e = {0};
    CHECK(fixture_open(&f));
    CorpusIds ids;
    /* pruning while counting renumbers a shard's words: its recording is dropped, the
     * count still succeeds */
    CHECK(corpus_count_ids(&f.c, &f.v, 1, 50, 2, NULL, NULL, NULL, &ids, &e));
    CHECK(f.v.size > 0 && ids.nshards == 2 && !ids.ids[0] && !ids.ids[1]);
    corpus_ids_free(&ids);
    vocab_deinit(&f.v);
    /* a built-in corpus makes new text every epoch: nothing to replay */
    Corpus w;
    CHECK(corpus_open(&w, "@world", &e));
    CHECK(corpus_count_ids(&w, &f.v, 1, 0, 2, NULL, NULL, NULL, &ids, &e));
    CHECK(ids.nshards == 0);
    corpus_close(&w);
    fixture_close(&f);
}

TEST(adopt_refuses_ids_outside_the_vocabulary)
{
    Fixture f;
    Err e = {0};
    CHECK(fixture_open(&f));
    CHECK(corpus_count(&f.c, &f.v, 3, 0, NULL, NULL, &e));
    IdSource src;
    ids_init(&src, &f.c, &f.v, 1, 1);
    int32_t *bad = malloc(3 * sizeof *bad);
    bad[0] = 0, bad[1] = IDS_EOS, bad[2] = (int32_t)f.v.size;
    CHECK(!ids_adopt(&src, bad, 3)); /* freed; the source tokenises */
    size_t n = 0;
    int32_t *want = tokenised(&f.c, &f.v, 0, 1, &n);
    int32_t *good = malloc(n * sizeof *good);
    memcpy(good, want, n * sizeof *good);
    CHECK(ids_adopt(&src, good, n));
    for (int epoch = 0; epoch < 2; epoch++) {
        CHECK(ids_open(&src, 0, epoch, &e));
        for (size_t k = 0; k < n; k++)
            CHECK(ids_next(&src, &e) == want[k]);
        CHECK(ids_next(&src, &e) == IDS_EOF);
        ids_close_epoch(&src);
    }
    ids_deinit(&src);
    free(want);
    fixture_close(&f);
}

/* One deterministic thread, its first epoch replayed from the count or tokenised: the same
 * vectors to the bit. A replaying trainer never opens the file: it trains even when the file
 * is gone by the time it starts (gone: unlinked after the count), which a tokenising one
 * cannot (*failed). */
static float *train(const char *path, bool adopt, bool gone, bool *failed, int64_t *n)
{
    Corpus c;
    Err e = {0};
    if (!corpus_open(&c, path, &e))
        return NULL;
    Vocab v;
    vocab_init(&v);
    CorpusIds ids;
    if (!corpus_count_ids(&c, &v, 3, 0, 1, NULL, NULL, NULL, &ids, &e) || ids.nshards != 1)
        return NULL;
    TrainDesc d = {.model = TRAIN_SKIPGRAM, .dim = 16, .iter = 2, .min_count = 3,
                   .threads = 1, .deterministic = 1, .seed = 9};
    Trainer *t = trainer_create(&d, &c, &v, &e);
    if (adopt)
        trainer_adopt_ids(t, &ids);
    corpus_ids_free(&ids);
    if (gone)
        unlink(path);
    if (!t || !trainer_start(t, &e))
        return NULL;
    trainer_wait(t);
    *failed = trainer_error(t, &e);
    Embeddings m;
    emb_init(&m);
    trainer_export(t, &m, &e);
    *n = m.rows * m.stride;
    float *out = malloc((size_t)*n * sizeof *out);
    memcpy(out, m.vec, (size_t)*n * sizeof *out);
    emb_deinit(&m);
    trainer_destroy(t);
    vocab_deinit(&v);
    corpus_close(&c);
    return out;
}

TEST(trainer_replaying_the_count_trains_the_same_bits)
{
    char path[32];
    make_corpus(path);
    int64_t n1 = 0, n2 = 0, n3 = 0;
    bool failed_a = true, failed_b = true, failed_c = false;
    float *b = train(path, false, false, &failed_b, &n2);
    float *a = train(path, true, true, &failed_a, &n1); /* removes the file */
    CHECK(a && b && n1 == n2 && n1 > 0 && !failed_a && !failed_b);
    CHECK(!memcmp(a, b, (size_t)n1 * sizeof *a));
    free(a), free(b);
    make_corpus(path);
    float *c = train(path, false, true, &failed_c, &n3);
    CHECK(failed_c); /* the control: a trainer that tokenises needs the file */
    free(c);
}
