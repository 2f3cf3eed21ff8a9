/* A program of your own over the installed model/ library: trains word vectors on a corpus (a
 * text file, plain or .gz, or the built-in demo world @world) with the trainer's threads, saves
 * them, loads the file back and prints a word's nearest neighbours and an analogy's answer.
 * Training flags are embedscope train's (word2vec.c's), read through the library's table.
 *   cc -std=c11 example_train.c $(pkg-config --cflags --libs embedscope-model) -o example_train
 *   ./example_train -iter 1 -size 16 @world world.vec king man king woman */
#include "model/files/vecfile.h"
#include "model/text/corpus.h"
#include "model/train/train.h"
#include "model/vectors/knn.h"
#include <stdio.h>
#include <string.h>

typedef struct Args {
    TrainDesc train;     /* zero fields: the library's defaults for the corpus */
    const char *corpus, *output;
    const char *word;    /* neighbours of this word */
    const char *abc[3];  /* a : b :: c : ? */
} Args;

static int usage(const char *prog)
{
    fprintf(stderr, "usage: %s [TRAIN FLAGS] CORPUS|@world OUTPUT.vec [WORD [A B C]]\n"
                    "  TRAIN FLAGS as embedscope train's: -size N -iter N -threads N ...\n"
                    "  WORD defaults to king, A B C to man king woman (@world's words)\n", prog);
    return 2;
}

/* Fills a from argv; false after printing why. */
static bool parse(int argc, char **argv, Args *a)
{
    *a = (Args){.word = "king", .abc = {"man", "king", "woman"}};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i += 2) {
        const TrainParam *p = train_param_by_flag(argv[i]);
        Err e = {{0}};
        if (!p) {
            fprintf(stderr, "example_train: unknown flag %s\n", argv[i]);
            return false;
        }
        if (i + 1 >= argc || !train_param_parse(p, argv[i], argv[i + 1], &a->train, &e)) {
            fprintf(stderr, "example_train: %s\n", e.msg[0] ? e.msg : "a flag needs a value");
            return false;
        }
    }
    int left = argc - i;
    if (left != 2 && left != 3 && left != 6)
        return false;
    a->corpus = argv[i];
    a->output = argv[i + 1];
    if (left >= 3)
        a->word = argv[i + 2];
    for (int k = 0; left == 6 && k < 3; k++)
        a->abc[k] = argv[i + 3 + k];
    return true;
}

/* Counts the corpus, trains on it with the trainer's threads and saves the vectors. The
 * vocabulary is counted first because the trainer takes it ready-made (it moves into the
 * trainer). */
static bool train_and_save(const Args *a, Err *e)
{
    Corpus c;
    if (!corpus_open(&c, a->corpus, e))
        return false;
    Vocab v;
    vocab_init(&v);
    Embeddings emb;
    emb_init(&emb);
    Trainer *t = NULL;
    TrainDesc d = train_desc_for_corpus(&c, &a->train); /* every field filled in */
    bool ok = train_desc_check(&d, e) &&
              corpus_count(&c, &v, (uint64_t)d.min_count, d.max_vocab, NULL, NULL, e) &&
              (t = trainer_create(&d, &c, &v, e)) && trainer_start(t, e);
    if (ok) {
        trainer_wait(t);
        ok = !trainer_error(t, e);
    }
    if (ok) {
        TrainProgress p = trainer_progress(t);
        printf("trained %llu words in %.2f s on %d threads, loss %.3f\n",
               (unsigned long long)p.words_done, p.elapsed, trainer_desc(t)->threads, p.loss);
        ok = trainer_export(t, &emb, e) && vecfile_save(a->output, &emb, VEC_TEXT, e);
    }
    if (ok)
        printf("saved %lld words x %d dimensions to %s\n", (long long)emb.rows, emb.dim, a->output);
    emb_deinit(&emb);
    trainer_destroy(t);
    vocab_deinit(&v);
    corpus_close(&c);
    return ok;
}

/* The row of word w in emb, or -1 with e filled. */
static int64_t find(const Embeddings *emb, const char *w, const char *path, Err *e)
{
    int64_t i = vocab_find(&emb->vocab, w, strlen(w));
    if (i < 0)
        err_set(e, "'%s' is not in %s", w, path);
    return i;
}

/* Loads the saved file as any other program would and queries it. */
static bool load_and_query(const Args *a, Err *e)
{
    Embeddings emb;
    emb_init(&emb);
    KnnIndex ix = {0};
    int64_t w = -1, abc[3] = {-1, -1, -1};
    bool ok = vecfile_load(&(VecLoadDesc){.path = a->output}, &emb, NULL, e) &&
              knn_build(&ix, emb.vec, emb.rows, emb.dim, emb.stride, e) &&
              (w = find(&emb, a->word, a->output, e)) >= 0;
    for (int k = 0; ok && k < 3; k++)
        ok = (abc[k] = find(&emb, a->abc[k], a->output, e)) >= 0;
    if (ok) {
        printf("loaded %lld words x %d dimensions from %s\n", (long long)emb.rows, emb.dim,
               a->output);
        Neighbour nb[5];
        int n = knn_query(&ix, knn_row(&ix, w), 5, &w, 1, nb); /* the word itself excluded */
        printf("%s:", a->word);
        for (int r = 0; r < n; r++)
            printf(" %s %.4f", vocab_word(&emb.vocab, nb[r].index), (double)nb[r].score);
        printf("\n");
        n = knn_analogy(&ix, abc[0], abc[1], abc[2], 0, 1, nb, NULL); /* 3CosAdd, top 1 */
        printf("%s : %s :: %s : %s %.4f\n", a->abc[0], a->abc[1], a->abc[2],
               n ? vocab_word(&emb.vocab, nb[0].index) : "?", n ? (double)nb[0].score : 0.0);
    }
    knn_deinit(&ix);
    emb_deinit(&emb);
    return ok;
}

int main(int argc, char **argv)
{
    Args a;
    if (!parse(argc, argv, &a))
        return usage(argv[0]);
    Err e = {{0}};
    if (!train_and_save(&a, &e) || !load_and_query(&a, &e)) {
        fprintf(stderr, "example_train: %s\n", e.msg);
        return 1;
    }
    return 0;
}
