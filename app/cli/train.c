/* `embedscope train`: word2vec.c's command line over the model/ trainer. The training flags
 * and their help come from the TrainParam table (model/train/train_desc.h); only the files
 * and the output's verbosity are this command's own. Main thread polls progress while the
 * trainer's threads run. */
#include "app/args.h"
#include "app/cli/train.h"
#include "model/base/pool.h"
#include "model/text/corpus.h"
#include "model/train/train.h"
#include "model/files/vecfile.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct Opts {
    const char *train, *output, *save_vocab, *read_vocab;
    long long binary, debug;
    TrainDesc d;
} Opts;

/* The command's own flags: a path when lo == hi == 0, else an integer in lo..hi. */
typedef struct OwnFlag {
    const char *flag, *value, *help;
    size_t off; /* into Opts */
    long long lo, hi;
} OwnFlag;

#define O(field) offsetof(Opts, field)
static const OwnFlag own[] = {
    {"-train", "FILE", "corpus: text or .gz, one sentence per line [@world, built in]", O(train), 0, 0},
    {"-output", "FILE", "word vectors (word2vec format)", O(output), 0, 0},
    {"-binary", "0|1", "write binary vectors [0]", O(binary), 0, 1},
    {"-save-vocab", "FILE", "write the vocabulary as 'word count' lines", O(save_vocab), 0, 0},
    {"-read-vocab", "FILE", "read the vocabulary (as -save-vocab writes it) instead of counting",
     O(read_vocab), 0, 0},
    {"-debug", "N", "0 = quiet, 1 = summary, 2 = progress line [2]", O(debug), 0, 3},
};
#undef O
#define NOWN (sizeof own / sizeof own[0])

static void usage(FILE *f)
{
    TrainDesc d = train_desc_defaults(NULL);
    char col[40], val[64];
    fprintf(f, "usage: embedscope train [-train FILE|@world] [-output FILE] [options]\n"
               "Flags as word2vec.c (defaults in brackets):\n");
    for (size_t i = 0; i < NOWN; i++) {
        snprintf(col, sizeof col, "%s %s", own[i].flag, own[i].value);
        fprintf(f, "  %-18s %s\n", col, own[i].help);
    }
    for (int i = 0; i < TRAIN_P_COUNT; i++) {
        const TrainParam *p = train_param((TrainParamId)i);
        const char *v = p->kind == TRAIN_PARAM_DOUBLE ? "X"
                        : p->kind == TRAIN_PARAM_FLAG || p->kind == TRAIN_PARAM_MODEL ? "0|1" : "N";
        snprintf(col, sizeof col, "%s %s", p->flag, v);
        fprintf(f, "  %-18s %s [%s]\n", col, p->help, train_param_format(p, &d, val, sizeof val));
    }
}

/* Fills o from argv. Returns -1 to go on, else the exit code (0 after --help, 2 on misuse). */
static int parse_args(int argc, char **argv, Opts *o)
{
    *o = (Opts){.train = "@world", .debug = 2};
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "-h") || !strcmp(f, "--help") || !strcmp(f, "-help")) {
            usage(stdout);
            return 0;
        }
        const TrainParam *p = train_param_by_flag(f);
        const OwnFlag *k = NULL;
        for (size_t j = 0; j < NOWN && !p && !k; j++)
            k = !strcmp(f, own[j].flag) ? &own[j] : NULL;
        if (!p && !k) {
            fprintf(stderr, "embedscope train: unknown flag %s\n", f);
            usage(stderr);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "embedscope train: %s needs a value (see --help)\n", f);
            return 2;
        }
        const char *a = argv[++i];
        Err e;
        if (p && !train_param_parse(p, f, a, &o->d, &e)) {
            fprintf(stderr, "embedscope: %s\n", e.msg);
            return 2;
        }
        if (k && k->lo == k->hi)
            *(const char **)((char *)o + k->off) = a;
        else if (k && !args_int(f, a, k->lo, k->hi, (long long *)((char *)o + k->off)))
            return 2;
    }
    Err e;
    if (!train_desc_check(&o->d, &e)) {
        fprintf(stderr, "embedscope train: %s\n", e.msg);
        return 2;
    }
    return -1;
}

static bool count_progress(void *ctx, uint64_t words, double fraction)
{
    const Opts *o = ctx;
    if (o->debug >= 2)
        fprintf(stderr, "\rCounting: %llu words (%.0f%%)  ", (unsigned long long)words, fraction * 100);
    return true;
}

/* The vocabulary: read from -read-vocab (pruned to -min-count) or counted from the corpus. */
static bool make_vocab(const Opts *o, const Corpus *c, Vocab *v, Err *e)
{
    const TrainDesc *d = &o->d;
    bool ok;
    if (o->read_vocab) {
        ok = vocab_load(v, o->read_vocab, e);
        if (ok)
            vocab_prune(v, (uint64_t)d->min_count);
        if (ok && !v->size)
            ok = err_set(e, "%s: no word with count >= %d", o->read_vocab, d->min_count);
    } else {
        Pool *pool = pool_create(d->threads); /* NULL (no threads to be had): counts here */
        ok = corpus_count_threads(c, v, (uint64_t)d->min_count, d->max_vocab, d->threads, pool,
                                  count_progress, (void *)o, e);
        pool_destroy(pool);
        if (o->debug >= 2)
            fprintf(stderr, "\n");
    }
    if (ok && o->save_vocab)
        ok = vocab_save(v, o->save_vocab, e);
    if (ok && o->debug >= 1)
        fprintf(stderr, "Vocab size: %lld\nWords in train file: %llu\n", (long long)v->size,
                (unsigned long long)v->total);
    return ok;
}

/* Prints word2vec.c's progress line until the run ends: in place on a terminal, every 5 s of
 * training into a file. */
static void watch(const Trainer *t, const Opts *o)
{
    int tty = isatty(2);
    double last_print = 0;
    for (;;) {
        TrainProgress p = trainer_progress(t);
        if (o->debug >= 2 && (tty || p.elapsed - last_print >= 5.0 || p.finished)) {
            last_print = p.elapsed;
            fprintf(stderr, "%sAlpha: %f  Progress: %.2f%%  Words/thread/sec: %.2fk  %s",
                    tty ? "\r" : "", p.alpha,
                    p.words_total ? 100.0 * (double)p.words_done / (double)p.words_total : 0.0,
                    p.words_per_sec / o->d.threads / 1000.0, tty ? "" : "\n");
        }
        if (p.finished)
            break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (o->debug >= 2 && tty)
        fprintf(stderr, "\n");
}

/* After the run: the trainer's error, or the summary and the vectors. */
static bool finish(Trainer *t, const Opts *o, Err *e)
{
    trainer_wait(t);
    if (trainer_error(t, e))
        return false;
    TrainProgress p = trainer_progress(t);
    if (o->debug >= 1)
        fprintf(stderr, "Trained %llu words in %.2f s (%.0f words/s, %d threads)\n",
                (unsigned long long)p.words_done, p.elapsed, p.words_per_sec, o->d.threads);
    if (!o->output)
        return true;
    Embeddings emb;
    emb_init(&emb);
    bool ok = trainer_export(t, &emb, e) &&
              vecfile_save(o->output, &emb, o->binary ? VEC_BINARY : VEC_TEXT, e);
    emb_deinit(&emb);
    return ok;
}

int cmd_train(int argc, char **argv)
{
    Opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    Err e = {0};
    Corpus c;
    Vocab vocab;
    vocab_init(&vocab);
    Trainer *t = NULL;
    bool opened = corpus_open(&c, o.train, &e), ok = opened;
    if (ok) {
        o.d = train_desc_for_corpus(&c, &o.d);
        ok = make_vocab(&o, &c, &vocab, &e);
    }
    ok = ok && (t = trainer_create(&o.d, &c, &vocab, &e)) && trainer_start(t, &e);
    if (ok) {
        watch(t, &o);
        ok = finish(t, &o, &e);
    }
    if (!ok)
        fprintf(stderr, "embedscope train: %s\n", e.msg);
    trainer_destroy(t);
    vocab_deinit(&vocab);
    if (opened)
        corpus_close(&c);
    return ok ? 0 : 1;
}
