/* `embedscope train`: word2vec.c's command line over the model/ trainer. Main thread polls
 * progress while the trainer's threads run. */
#include "app/args.h"
#include "app/cli/train.h"
#include "model/text/corpus.h"
#include "model/train/train.h"
#include "model/files/w2v_io.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
    TrainDesc d = train_desc_defaults(NULL);
    fprintf(f,
            "usage: embedscope train [-train FILE|@world] [-output FILE] [options]\n"
            "Flags as word2vec.c (defaults in brackets):\n"
            "  -train FILE      corpus: text or .gz, one sentence per line [@world, built in]\n"
            "  -output FILE     word vectors (word2vec format)\n"
            "  -size N          dimensions [%d]\n"
            "  -window N        max context window [%d]\n"
            "  -sample X        subsampling threshold, 0 = off [%g]\n"
            "  -hs 0|1          hierarchical softmax [%d]\n"
            "  -negative N      negative samples, 0 = off [%d]\n"
            "  -threads N       training threads [%d: this machine's cores]\n"
            "  -iter N          epochs [%d]\n"
            "  -min-count N     drop rarer words [%d]\n"
            "  -alpha X         starting learning rate [0.05 CBOW, 0.025 skip-gram]\n"
            "  -cbow 0|1        1 = CBOW, 0 = skip-gram [1; 0 for @world]\n"
            "  -binary 0|1      write binary vectors [0]\n"
            "  -save-vocab FILE / -read-vocab FILE   vocabulary as 'word count' lines\n"
            "Also:\n"
            "  -max-vocab N     prune while counting above N words [%lld]\n"
            "  -seed N          random seed [%llu]\n"
            "  -deterministic 1 one thread, bit-identical output for the same seed\n"
            "  -batch 0|1       skip-gram: 1 = shared negatives per window (HogBatch), 0 = per pair [1]\n"
            "  -debug N         0 = quiet, 1 = summary, 2 = progress line [2]\n",
            d.dim, d.window, d.sample, d.hs, d.negative, d.threads, d.iter, d.min_count,
            (long long)d.max_vocab, (unsigned long long)d.seed);
}

static bool count_progress(void *ctx, uint64_t words, double fraction)
{
    int *debug = ctx;
    if (*debug >= 2)
        fprintf(stderr, "\rCounting: %llu words (%.0f%%)  ", (unsigned long long)words, fraction * 100);
    return true;
}

int cmd_train(int argc, char **argv)
{
    TrainDesc d = {0};
    const char *train = "@world", *output = NULL, *save_vocab = NULL, *read_vocab = NULL;
    int binary = 0, debug = 2, cbow = -1;
    long long v;
    double x;
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "-h") || !strcmp(f, "--help") || !strcmp(f, "-help")) {
            usage(stdout);
            return 0;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "embedscope train: %s needs a value (see --help)\n", f);
            return 2;
        }
        const char *a = argv[++i];
#define INT_FLAG(name, lo, hi, dst)                                                               \
    if (!strcmp(f, name)) {                                                                       \
        if (!args_int(name, a, lo, hi, &v))                                                        \
            return 2;                                                                             \
        dst = v;                                                                                  \
        continue;                                                                                 \
    }
        if (!strcmp(f, "-train")) { train = a; continue; }
        if (!strcmp(f, "-output")) { output = a; continue; }
        if (!strcmp(f, "-save-vocab")) { save_vocab = a; continue; }
        if (!strcmp(f, "-read-vocab")) { read_vocab = a; continue; }
        INT_FLAG("-size", 1, EMB_MAX_DIM, d.dim)
        INT_FLAG("-window", 1, 1000, d.window)
        INT_FLAG("-hs", 0, 1, d.hs)
        INT_FLAG("-threads", 1, 1024, d.threads)
        INT_FLAG("-iter", 1, 100000, d.iter)
        INT_FLAG("-min-count", 1, 1000000000, d.min_count)
        INT_FLAG("-cbow", 0, 1, cbow)
        INT_FLAG("-binary", 0, 1, binary)
        INT_FLAG("-max-vocab", 1, 1LL << 40, d.max_vocab)
        INT_FLAG("-seed", 1, 1LL << 62, d.seed)
        INT_FLAG("-deterministic", 0, 1, d.deterministic)
        INT_FLAG("-debug", 0, 3, debug)
        if (!strcmp(f, "-batch")) {
            if (!args_int(f, a, 0, 1, &v))
                return 2;
            d.batch = v ? 1 : -1;
            continue;
        }
        if (!strcmp(f, "-negative")) {
            if (!args_int(f, a, 0, 1000, &v))
                return 2;
            d.negative = v ? (int)v : -1;
            continue;
        }
        if (!strcmp(f, "-sample")) {
            if (!args_double(f, a, 0, 1, &x))
                return 2;
            d.sample = x > 0 ? x : -1;
            continue;
        }
        if (!strcmp(f, "-alpha")) {
            if (!args_double(f, a, 0, 10, &x))
                return 2;
            d.alpha = x;
            continue;
        }
        fprintf(stderr, "embedscope train: unknown flag %s (see --help)\n", f);
        return 2;
#undef INT_FLAG
    }
    d.model = cbow < 0 ? TRAIN_MODEL_DEFAULT : cbow ? TRAIN_CBOW : TRAIN_SKIPGRAM;
    if (d.negative < 0 && !d.hs) {
        fprintf(stderr, "embedscope train: -negative 0 needs -hs 1 (nothing to train otherwise)\n");
        return 2;
    }
    Err e = {0};
    Corpus c;
    if (!corpus_open(&c, train, &e)) {
        fprintf(stderr, "embedscope train: %s\n", e.msg);
        return 1;
    }
    d = train_desc_for_corpus(&c, &d);
    Vocab vocab;
    vocab_init(&vocab);
    bool ok;
    if (read_vocab) {
        ok = vocab_load(&vocab, read_vocab, &e);
        if (ok) {
            vocab_prune(&vocab, (uint64_t)d.min_count);
            if (!vocab.size)
                ok = err_set(&e, "%s: no word with count >= %d", read_vocab, d.min_count);
        }
    } else {
        ok = corpus_count_threads(&c, &vocab, (uint64_t)d.min_count, d.max_vocab, d.threads,
                                  count_progress, &debug, &e);
        if (debug >= 2)
            fprintf(stderr, "\n");
    }
    if (ok && save_vocab)
        ok = vocab_save(&vocab, save_vocab, &e);
    if (!ok) {
        fprintf(stderr, "embedscope train: %s\n", e.msg);
        vocab_deinit(&vocab);
        corpus_close(&c);
        return 1;
    }
    if (debug >= 1)
        fprintf(stderr, "Vocab size: %lld\nWords in train file: %llu\n", (long long)vocab.size,
                (unsigned long long)vocab.total);
    Trainer *t = trainer_create(&d, &c, &vocab, &e);
    if (!t || !trainer_start(t, &e)) {
        fprintf(stderr, "embedscope train: %s\n", e.msg);
        trainer_destroy(t);
        vocab_deinit(&vocab);
        corpus_close(&c);
        return 1;
    }
    int tty = isatty(2);
    double last_print = 0;
    for (;;) {
        TrainProgress p = trainer_progress(t);
        if (debug >= 2 && (tty || p.elapsed - last_print >= 5.0 || p.finished)) {
            last_print = p.elapsed;
            fprintf(stderr, "%sAlpha: %f  Progress: %.2f%%  Words/thread/sec: %.2fk  %s",
                    tty ? "\r" : "", p.alpha,
                    p.words_total ? 100.0 * (double)p.words_done / (double)p.words_total : 0.0,
                    p.words_per_sec / d.threads / 1000.0, tty ? "" : "\n");
        }
        if (p.finished)
            break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    trainer_wait(t);
    if (debug >= 2 && tty)
        fprintf(stderr, "\n");
    int rc = 0;
    if (trainer_error(t, &e)) {
        fprintf(stderr, "embedscope train: %s\n", e.msg);
        rc = 1;
    } else {
        TrainProgress p = trainer_progress(t);
        if (debug >= 1)
            fprintf(stderr, "Trained %llu words in %.2f s (%.0f words/s, %d threads)\n",
                    (unsigned long long)p.words_done, p.elapsed, p.words_per_sec, d.threads);
        if (output) {
            Embeddings emb;
            emb_init(&emb);
            if (!trainer_export(t, &emb, &e) || !w2v_save(output, &emb, binary, &e)) {
                fprintf(stderr, "embedscope train: %s\n", e.msg);
                rc = 1;
            }
            emb_deinit(&emb);
        }
    }
    trainer_destroy(t);
    corpus_close(&c);
    return rc;
}
