/* The ranks' interface without mpirun: one rank, nothing to synchronise, and a run through it
 * bit-identical to a run without it; a build without MPI started by mpirun says so; a trainer
 * told it is rank 1 of 2 reads only its half of the corpus. */
#include "model/text/corpus.h"
#include "model/train/dist.h"
#include "model/train/train.h"
#include "tests/model/files/vecfixture.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>

static const char *corpus_file(void)
{
    static char path[300];
    if (path[0])
        return path;
    snprintf(path, sizeof path, "%s", tmp_path("corpus.txt"));
    FILE *f = fopen(path, "w");
    for (int i = 0; f && i < 2000; i++)
        fprintf(f, "a%d b%d c%d d%d e the of\n", i % 7, i % 11, i % 13, i % 5);
    if (f)
        fclose(f);
    return path;
}

static Trainer *make(Corpus *c, TrainDesc d)
{
    Err e = {0};
    Vocab v;
    vocab_init(&v);
    Trainer *t = NULL;
    if (corpus_open(c, corpus_file(), &e) && corpus_count(c, &v, 1, 0, NULL, NULL, &e))
        t = trainer_create(&d, c, &v, &e);
    vocab_deinit(&v);
    return t;
}

static const TrainDesc desc = {.model = TRAIN_SKIPGRAM, .dim = 8, .iter = 2, .min_count = 1,
                               .deterministic = 1, .seed = 3};

/* Trains (through a Dist of one rank when dist) and returns syn0's bytes. */
static float *train(bool dist, size_t *n)
{
    Corpus c;
    Trainer *t = make(&c, desc);
    Dist d;
    Err e = {0};
    bool ok = t && dist_init(&d, NULL, NULL, &e);
    if (ok && dist)
        ok = dist_same_vocab(&d, trainer_vocab(t), &e) && dist_attach(&d, t, 0, &e) &&
             d.nranks == 1 && d.rank == 0 && d.planned == 0;
    ok = ok && trainer_start(t, &e);
    if (ok && dist)
        ok = dist_step(&d, t, &e);
    if (ok)
        trainer_wait(t);
    if (ok && dist)
        ok = dist_finish(&d, t, &e) && d.stats.syncs == 0;
    Embeddings m;
    emb_init(&m);
    float *out = NULL;
    if (ok && trainer_export(t, &m, &e) && (out = malloc((size_t)(m.rows * m.stride) * sizeof(float)))) {
        *n = (size_t)(m.rows * m.stride);
        memcpy(out, m.vec, *n * sizeof(float));
    }
    if (!out)
        fprintf(stderr, "    %s\n", e.msg);
    emb_deinit(&m);
    dist_deinit(&d);
    trainer_destroy(t);
    corpus_close(&c);
    return out;
}

TEST(one_rank_changes_nothing)
{
    unsetenv("OMPI_COMM_WORLD_SIZE");
    unsetenv("PMI_SIZE");
    size_t na = 0, nb = 0;
    float *a = train(false, &na), *b = train(true, &nb);
    CHECK(a && b && na == nb && !memcmp(a, b, na * sizeof(float)));
    free(a), free(b);
}

TEST(a_build_without_mpi_says_so_under_mpirun)
{
    if (dist_available())
        SKIP("this build has MPI: dist_init would join a real job");
    setenv("OMPI_COMM_WORLD_SIZE", "4", 1);
    Dist d;
    Err e = {{0}};
    bool ok = dist_init(&d, NULL, NULL, &e);
    unsetenv("OMPI_COMM_WORLD_SIZE");
    CHECK(!ok && strstr(e.msg, "4 ranks") && strstr(e.msg, "without MPI"));
}

TEST(rank_one_of_two_reads_its_half)
{
    Corpus c;
    Trainer *t = make(&c, desc);
    Err e = {0};
    CHECK(t);
    uint64_t all = trainer_progress(t).words_total;
    CHECK(trainer_set_ranks(t, 1, 2, 0, &e));
    CHECK(!trainer_set_ranks(t, 2, 2, 0, &e) && strstr(e.msg, "bad rank 2 of 2"));
    CHECK(trainer_start(t, &e));
    trainer_wait(t);
    TrainProgress p = trainer_progress(t);
    CHECK(p.words_total == all / 2);
    /* its shard is the second half of the file's bytes: about half the words, whole lines */
    CHECKF(p.words_done > all / 2 - all / 50 && p.words_done < all / 2 + all / 50,
           "%llu of %llu words", (unsigned long long)p.words_done, (unsigned long long)all);
    CHECK(!trainer_set_ranks(t, 0, 2, 0, &e)); /* not after the start */
    trainer_destroy(t);
    corpus_close(&c);
}
