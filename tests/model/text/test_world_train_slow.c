/* The demo world teaches what issue #3 promises: trains @world from random vectors (one
 * thread, fixed seed, a budget of epochs rather than seconds, so the run is reproducible) and
 * checks the analogies, the neighbourhoods and the separation of categories. */
#include "model/text/corpus.h"
#include "model/vectors/evalset.h"
#include "model/vectors/knn.h"
#include "tests/test.h"
#include "model/train/train.h"
#include "model/text/world.h"
#include "model/text/world_sets.h"
#include <stdlib.h>
#include <string.h>

/* The @world defaults (world.h), single thread, deterministic. The budget is 3 epochs
 * (~9M words) instead of the default 5: the 2-thread bench passes 95% after ~1.2M words and
 * levels off by ~4M, so 3 epochs leave a wide margin while keeping the test short. */
static TrainDesc world_desc(void)
{
    return (TrainDesc){.model = WORLD_DEFAULT_SKIPGRAM ? TRAIN_SKIPGRAM : TRAIN_CBOW,
                       .dim = WORLD_DEFAULT_DIM, .window = WORLD_DEFAULT_WINDOW,
                       .negative = WORLD_DEFAULT_NEGATIVE, .sample = WORLD_DEFAULT_SAMPLE,
                       .alpha = WORLD_DEFAULT_ALPHA, .iter = 3,
                       .min_count = WORLD_DEFAULT_MIN_COUNT, .threads = 1, .deterministic = 1,
                       .seed = 7};
}

static Corpus corpus;
static Embeddings emb;
static KnnIndex ix;
static bool trained;

static bool train_once(void)
{
    if (trained)
        return emb.rows > 0;
    trained = true;
    Err e = {{0}};
    Vocab v;
    vocab_init(&v);
    emb_init(&emb);
    TrainDesc d = world_desc();
    Trainer *t = NULL;
    bool ok = corpus_open(&corpus, "@world", &e) &&
              corpus_count(&corpus, &v, (uint64_t)d.min_count, 0, NULL, NULL, &e) &&
              (t = trainer_create(&d, &corpus, &v, &e)) && trainer_start(t, &e);
    if (ok) {
        trainer_wait(t);
        ok = trainer_export(t, &emb, &e) &&
             knn_build(&ix, emb.vec, emb.rows, emb.dim, emb.stride, &e);
    }
    if (!ok) {
        fprintf(stderr, "    training @world failed: %s\n", e.msg);
        emb.rows = 0;
    }
    trainer_destroy(t);
    vocab_deinit(&v);
    return ok;
}

__attribute__((destructor)) static void release(void)
{
    knn_deinit(&ix);
    emb_deinit(&emb);
    corpus_close(&corpus);
}

static int64_t idx(const char *w) { return vocab_find(&emb.vocab, w, strlen(w)); }

/* Whether each of want is among word's k nearest neighbours (the word itself excluded). */
static bool near(const char *word, int k, const char *a, const char *b)
{
    int64_t i = idx(word);
    Neighbour n[16];
    if (i < 0 || k > 16)
        return false;
    int got = knn_query(&ix, knn_row(&ix, i), k, &i, 1, n);
    bool ha = false, hb = false;
    fprintf(stderr, "    %s:", word);
    for (int j = 0; j < got; j++) {
        const char *w = vocab_word(&emb.vocab, n[j].index);
        fprintf(stderr, " %s %.2f", w, n[j].score);
        ha |= !strcmp(w, a);
        hb |= !strcmp(w, b);
    }
    fprintf(stderr, "\n");
    return ha && hb;
}

static const char *analogy(const char *a, const char *b, const char *c)
{
    int64_t ia = idx(a), ib = idx(b), ic = idx(c);
    Neighbour n;
    if (ia < 0 || ib < 0 || ic < 0 || knn_analogy(&ix, ia, ib, ic, 0, 1, &n, NULL) < 1)
        return "?";
    return vocab_word(&emb.vocab, n.index);
}

TEST(world_analogies_reach_95_percent)
{
    CHECK(train_once());
    char *q = NULL;
    size_t qlen = 0;
    FILE *f = open_memstream(&q, &qlen);
    Err e = {{0}};
    CHECK(f);
    bool ok = world_write_questions(corpus.world, f, &e);
    fclose(f);
    CHECKF(ok, "%s", e.msg);
    AnalogyReport r = {0};
    ok = eval_analogies_text(q, qlen, "world questions", &emb.vocab, &ix, 0, NULL, NULL, &r, &e);
    free(q);
    CHECKF(ok, "%s", e.msg);
    for (int i = 0; i < r.nsections; i++)
        fprintf(stderr, "    %-14s %6.2f%% of %lld\n", r.sections[i].name,
                100 * eval_accuracy(r.sections[i].score), (long long)r.sections[i].score.answered);
    double acc = eval_accuracy(r.total);
    fprintf(stderr, "    all            %6.2f%% of %lld\n", 100 * acc, (long long)r.total.answered);
    int64_t skipped = r.skipped;
    analogy_report_deinit(&r);
    CHECKF(skipped == 0, "%lld questions skipped (a world word below min-count?)",
           (long long)skipped);
    /* the acceptance bar */
    CHECKF(acc >= 0.95, "analogy accuracy %.2f%%", 100 * acc);
}

TEST(world_neighbours_are_the_animal_families)
{
    CHECK(train_once());
    CHECK(near("cat", 5, "kitten", "feline"));
    CHECK(near("dog", 5, "puppy", "canine"));
}

TEST(world_vector_arithmetic)
{
    CHECK(train_once());
    const char *q = analogy("man", "king", "woman");
    CHECKF(!strcmp(q, "queen"), "king - man + woman = %s", q);
    q = analogy("france", "paris", "italy");
    CHECKF(!strcmp(q, "rome"), "paris - france + italy = %s", q);
}

/* Category index of every vocabulary word, or -1 (a word in two categories keeps the first). */
static int *categories_of_words(const World *w, int *ncat)
{
    int *cat = malloc((size_t)emb.rows * sizeof *cat);
    if (!cat)
        return NULL;
    for (int64_t i = 0; i < emb.rows; i++)
        cat[i] = -1;
    *ncat = 0;
    for (uint32_t s = 0; s < world_section_count(w); s++) {
        bool rel;
        uint32_t n;
        world_section_info(w, s, &rel, &n);
        if (rel)
            continue;
        for (uint32_t j = 0; j < n; j++) {
            const char *a, *b;
            world_section_item(w, s, j, &a, &b);
            int64_t i = idx(a);
            if (i >= 0 && cat[i] < 0)
                cat[i] = *ncat;
        }
        (*ncat)++;
    }
    return cat;
}

/* Mean cosine of word pairs inside a category against pairs from two unrelated categories
 * (no relation links a member of one to a member of the other: animal and month, not country
 * and capital, which the world deliberately ties together). */
TEST(world_categories_are_apart)
{
    CHECK(train_once());
    const World *w = corpus.world;
    int ncat = 0;
    int *cat = categories_of_words(w, &ncat);
    CHECK(cat && ncat > 1);
    bool *related = calloc((size_t)ncat * (size_t)ncat, sizeof *related);
    CHECK(related);
    for (uint32_t s = 0; s < world_section_count(w); s++) {
        bool rel;
        uint32_t n;
        world_section_info(w, s, &rel, &n);
        for (uint32_t j = 0; rel && j < n; j++) {
            const char *a, *b;
            world_section_item(w, s, j, &a, &b);
            int64_t ia = idx(a), ib = idx(b);
            if (ia >= 0 && ib >= 0 && cat[ia] >= 0 && cat[ib] >= 0) {
                related[cat[ia] * ncat + cat[ib]] = true;
                related[cat[ib] * ncat + cat[ia]] = true;
            }
        }
    }
    double in = 0, across = 0;
    long nin = 0, nacross = 0;
    for (int64_t i = 0; i < emb.rows; i++) {
        for (int64_t j = i + 1; j < emb.rows && cat[i] >= 0; j++) {
            if (cat[j] < 0)
                continue;
            double c = knn_cosine(&ix, i, j);
            if (cat[i] == cat[j]) {
                in += c;
                nin++;
            } else if (!related[cat[i] * ncat + cat[j]]) {
                across += c;
                nacross++;
            }
        }
    }
    free(cat);
    free(related);
    CHECK(nin > 1000 && nacross > 1000);
    in /= (double)nin;
    across /= (double)nacross;
    fprintf(stderr, "    mean cosine within categories %.3f (%ld pairs), across unrelated "
                    "categories %.3f (%ld pairs)\n", in, nin, across, nacross);
    CHECKF(in >= across + 0.3, "within %.3f, across %.3f", in, across);
}
