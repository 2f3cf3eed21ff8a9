/* `embedscope train`: word2vec.c's command line over the model/ trainer. The training flags
 * and their help come from the TrainParam table (model/train/train_desc.h); only the files,
 * the schedules of checkpoints and snapshots and the output's verbosity are this command's
 * own. Main thread polls progress, and takes the checkpoints and snapshots, while the
 * trainer's threads run. */
#include "app/args.h"
#include "app/cli/train.h"
#include "model/base/clock.h"
#include "model/base/pool.h"
#include "model/text/corpus.h"
#include "model/train/ckpt.h"
#include "model/train/dist.h"
#include "model/train/train.h"
#include "model/files/vecfile.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct Opts {
    const char *train, *output, *save_vocab, *read_vocab, *checkpoint, *resume, *snapshot;
    long long binary, debug, checkpoint_every, snapshot_every, sync_words;
    TrainDesc d;
    bool given[TRAIN_P_COUNT]; /* training flags on the command line */
    bool own_given[16];        /* the command's own flags on the command line, by own[] index */
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
    {"-checkpoint", "FILE", "save the whole run here now and then, to -resume it", O(checkpoint), 0, 0},
    {"-checkpoint-every", "S", "seconds between checkpoints [60]", O(checkpoint_every), 1, 10000000},
    {"-resume", "FILE", "continue the run of a checkpoint, with its settings", O(resume), 0, 0},
    {"-snapshot", "FILE", "where -snapshot-every writes the vectors [the -output file]", O(snapshot), 0, 0},
    {"-snapshot-every", "S", "write the current vectors every S seconds while training", O(snapshot_every), 1, 10000000},
    {"-sync-words", "N", "under mpirun: words of each rank between synchronisations [500000]",
     O(sync_words), 1000, 1000000000000LL},
};
#undef O
#define NOWN (sizeof own / sizeof own[0])
_Static_assert(NOWN <= 16, "Opts.own_given holds 16 flags");

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
    *o = (Opts){.train = "@world", .debug = 2, .checkpoint_every = 60};
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
        if (p)
            o->given[p->id] = true;
        else
            o->own_given[k - own] = true;
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

/* The vocabulary: read from -read-vocab (pruned to -min-count) or counted from the corpus;
 * ids (NULL: not wanted) then holds the words the count read, for the first epoch. */
static bool make_vocab(const Opts *o, const Corpus *c, Vocab *v, CorpusIds *ids, Err *e)
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
        ok = corpus_count_ids(c, v, (uint64_t)d->min_count, d->max_vocab, d->threads, pool,
                              count_progress, (void *)o, ids, e);
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

/* The command's own flags a checkpoint keeps (Ckpt.front, "flag=value" lines), so that
 * `-resume FILE` alone carries on writing the same files. */
static const char *const kept[] = {"-output", "-binary", "-checkpoint", "-checkpoint-every",
                                   "-snapshot", "-snapshot-every"};
#define NKEPT (sizeof kept / sizeof kept[0])

static const OwnFlag *own_flag(const char *flag)
{
    for (size_t i = 0; i < NOWN; i++)
        if (!strcmp(own[i].flag, flag))
            return &own[i];
    return NULL;
}

static bool front_write(const Opts *o, char *buf, size_t cap, Err *e)
{
    size_t n = 0;
    for (size_t i = 0; i < NKEPT; i++) {
        const OwnFlag *k = own_flag(kept[i]);
        const char *path = k->lo == k->hi ? *(const char *const *)((const char *)o + k->off) : NULL;
        long long v = k->lo == k->hi ? 0 : *(const long long *)((const char *)o + k->off);
        if ((k->lo == k->hi && !path) || v < k->lo)
            continue; /* not set */
        if (path && strchr(path, '\n'))
            return err_set(e, "%s: a path with a newline cannot be kept in a checkpoint", k->flag);
        int w = path ? snprintf(buf + n, cap - n, "%s=%s\n", k->flag, path)
                     : snprintf(buf + n, cap - n, "%s=%lld\n", k->flag, v);
        if (w < 0 || (size_t)w >= cap - n)
            return err_set(e, "the paths are too long to be kept in a checkpoint");
        n += (size_t)w;
    }
    return true;
}

/* The kept flags of a checkpoint's text (in text, which is cut into strings and must outlive
 * o) that the command line did not give. */
static bool front_read(Opts *o, char *text, const char *path)
{
    for (char *line = text, *nl; *line; line = nl + 1) {
        if (!(nl = strchr(line, '\n')))
            break;
        *nl = 0;
        char *eq = strchr(line, '=');
        const OwnFlag *k = eq ? (*eq = 0, own_flag(line)) : NULL;
        if (!k) {
            fprintf(stderr, "embedscope train: %s: unknown kept flag '%.40s'\n", path, line);
            return false;
        }
        if (o->own_given[k - own])
            continue;
        if (k->lo == k->hi)
            *(const char **)((char *)o + k->off) = eq + 1;
        else if (!args_int(k->flag, eq + 1, k->lo, k->hi, (long long *)((char *)o + k->off)))
            return false;
    }
    return true;
}

/* -resume: the checkpoint's settings replace the command line's, which may only repeat them.
 * Returns -1 to go on, else the exit code. */
static int resume_settings(Opts *o, const Ckpt *k, char *kept_text)
{
    char have[64], want[64];
    for (int i = 0; i < TRAIN_P_COUNT; i++) {
        const TrainParam *p = train_param((TrainParamId)i);
        if (o->given[i] && !train_param_equal(p, &o->d, &k->d)) {
            fprintf(stderr, "embedscope train: %s %s: the checkpoint's run has %s, and a resumed "
                            "run keeps its settings\n", p->flag,
                    train_param_format(p, &o->d, have, sizeof have),
                    train_param_format(p, &k->d, want, sizeof want));
            return 2;
        }
    }
    if (o->own_given[own_flag("-train") - own] && strcmp(o->train, k->corpus) != 0) {
        fprintf(stderr, "embedscope train: -train %s: the checkpoint's run trains on %s\n",
                o->train, k->corpus);
        return 2;
    }
    if (o->read_vocab) {
        fprintf(stderr, "embedscope train: -read-vocab: a resumed run has its vocabulary\n");
        return 2;
    }
    o->d = k->d;
    o->train = k->corpus;
    return front_read(o, kept_text, o->resume) ? -1 : 2;
}

/* The periodic work of a run, done on the main thread: checkpoints, snapshots and, under
 * mpirun, the ranks' synchronisations. */
typedef struct Saver {
    Dist dist;
    Ckpt k;
    double next_ckpt, next_snap; /* clock_s deadlines */
    int ckpts, snaps, failed;
    double held_ms_max, held_ms_sum;
    char kept[CKPT_FRONT_MAX]; /* a resumed checkpoint's kept flags: Opts points into it */
} Saver;

static void checkpoint_now(Saver *s, Trainer *t, const Opts *o)
{
    Err e;
    double t0 = clock_s();
    bool ok = ckpt_take(t, &s->k, &e) && ckpt_save(o->checkpoint, &s->k, &e);
    double held = (s->k.wait_s + s->k.copy_s) * 1e3;
    if (!ok) {
        fprintf(stderr, "\nembedscope train: checkpoint: %s\n", e.msg);
        s->failed++;
        return;
    }
    s->ckpts++;
    s->held_ms_sum += held;
    if (held > s->held_ms_max)
        s->held_ms_max = held;
    if (o->debug >= 1)
        fprintf(stderr, "%sCheckpoint %d: %s at %llu words (threads held %.1f ms: %.1f waiting, "
                        "%.1f copying; saved in %.2f s)\n", isatty(2) ? "\n" : "", s->ckpts,
                o->checkpoint, (unsigned long long)s->k.words_done, held, s->k.wait_s * 1e3,
                s->k.copy_s * 1e3, clock_s() - t0);
}

static void snapshot_now(Saver *s, const Trainer *t, const Opts *o)
{
    const char *path = o->snapshot ? o->snapshot : o->output;
    Err e;
    Embeddings emb;
    emb_init(&emb);
    bool ok = trainer_export(t, &emb, &e) &&
              vecfile_save(path, &emb, o->binary ? VEC_BINARY : VEC_TEXT, &e);
    emb_deinit(&emb);
    if (!ok) {
        fprintf(stderr, "\nembedscope train: snapshot: %s\n", e.msg);
        s->failed++;
        return;
    }
    s->snaps++;
}

/* Takes what is due; a deadline moves on by whole periods, so a slow save never queues up
 * several. */
static void save_due(Saver *s, Trainer *t, const Opts *o)
{
    double now = clock_s();
    if (o->checkpoint && now >= s->next_ckpt) {
        checkpoint_now(s, t, o);
        while (s->next_ckpt <= clock_s())
            s->next_ckpt += (double)o->checkpoint_every;
    }
    if (o->snapshot_every && now >= s->next_snap) {
        snapshot_now(s, t, o);
        while (s->next_snap <= clock_s())
            s->next_snap += (double)o->snapshot_every;
    }
}

/* Prints word2vec.c's progress line until the run ends: in place on a terminal, every 5 s of
 * training into a file. Checkpoints and snapshots are taken on the way. */
static bool watch(Trainer *t, const Opts *o, Saver *s, Err *e)
{
    int tty = isatty(2);
    double last_print = -1e9, start = clock_s();
    s->next_ckpt = start + (double)o->checkpoint_every;
    s->next_snap = start + (double)o->snapshot_every;
    for (;;) {
        TrainProgress p = trainer_progress(t);
        if (o->debug >= 2 && (tty || p.elapsed - last_print >= 5.0 || p.finished)) {
            last_print = p.elapsed;
            char ranks[32] = "";
            if (s->dist.nranks > 1)
                snprintf(ranks, sizeof ranks, "ranks %d  ", s->dist.nranks);
            fprintf(stderr, "%sAlpha: %f  Progress: %.2f%%  Words/thread/sec: %.2fk  %s%s",
                    tty ? "\r" : "", p.alpha,
                    p.words_total ? 100.0 * (double)p.words_done / (double)p.words_total : 0.0,
                    p.words_per_sec / o->d.threads / 1000.0, ranks, tty ? "" : "\n");
        }
        if (p.finished)
            break;
        save_due(s, t, o);
        if (!dist_step(&s->dist, t, e))
            return false;
        /* a synchronisation is due at a word count: look often when there are ranks */
        trainer_wait_for(t, s->dist.nranks > 1 ? 0.010 : 0.100);
    }
    if (o->debug >= 2 && tty)
        fprintf(stderr, "\n");
    return true;
}

/* After the run: the trainer's error, or the summary and the vectors (written only now, and
 * atomically, so a run killed before has no output file). */
static bool finish(Trainer *t, const Opts *o, Saver *s, Err *e)
{
    trainer_wait(t);
    if (trainer_error(t, e) || !dist_finish(&s->dist, t, e))
        return false;
    TrainProgress p = trainer_progress(t);
    const DistStats *ds = &s->dist.stats;
    if (o->debug >= 1 && ds->syncs)
        fprintf(stderr, "Ranks: %d, %d synchronisations: %.0f rows, %.2f MB and %.1f ms each on "
                        "average (threads held %.1f ms), %.1f ms at most\n", s->dist.nranks,
                ds->syncs, ds->rows / ds->syncs, ds->bytes / ds->syncs / 1e6,
                ds->seconds / ds->syncs * 1e3, ds->held / ds->syncs * 1e3, ds->max_seconds * 1e3);
    if (o->debug >= 1) {
        fprintf(stderr, "Trained %llu words in %.2f s (%.0f words/s, %d threads%s)\n",
                (unsigned long long)p.words_done, p.elapsed, p.words_per_sec, o->d.threads,
                s->dist.nranks > 1 ? ", on rank 0 alone" : "");
        if (s->ckpts)
            fprintf(stderr, "Checkpoints: %d, threads held %.1f ms on average, %.1f ms at most\n",
                    s->ckpts, s->held_ms_sum / s->ckpts, s->held_ms_max);
        if (s->snaps)
            fprintf(stderr, "Snapshots: %d\n", s->snaps);
        if (p.ranges_taken)
            fprintf(stderr, "Balanced: %llu ranges taken by threads that had finished\n",
                    (unsigned long long)p.ranges_taken);
    }
    if (!o->output || s->dist.rank != 0) /* every rank holds the same model: rank 0 writes it */
        return true;
    Embeddings emb;
    emb_init(&emb);
    double t0 = clock_s();
    bool ok = trainer_export(t, &emb, e) &&
              vecfile_save(o->output, &emb, o->binary ? VEC_BINARY : VEC_TEXT, e);
    emb_deinit(&emb);
    if (ok && o->debug >= 1)
        fprintf(stderr, "Saved %s in %.3f s\n", o->output, clock_s() - t0);
    return ok;
}

/* A new run: the corpus's defaults, its vocabulary, a trainer. */
static Trainer *new_run(Opts *o, const Corpus *c, Dist *dist, Err *e)
{
    Vocab vocab;
    vocab_init(&vocab);
    CorpusIds ids = {0};
    o->d = train_desc_for_corpus(c, &o->d);
    /* ranks read other shards than the count's, so only a process alone replays them */
    double t0 = clock_s();
    bool counted = make_vocab(o, c, &vocab, dist->nranks == 1 ? &ids : NULL, e);
    double t1 = clock_s();
    Trainer *t = counted && dist_same_vocab(dist, &vocab, e)
                     ? trainer_create(&o->d, c, &vocab, e) : NULL;
    if (t)
        trainer_adopt_ids(t, &ids);
    if (t && o->debug >= 1)
        fprintf(stderr, "Counted in %.3f s, set up in %.3f s\n", t1 - t0, clock_s() - t1);
    corpus_ids_free(&ids);
    vocab_deinit(&vocab);
    if (t && !dist_attach(dist, t, (uint64_t)o->sync_words, e)) {
        trainer_destroy(t);
        t = NULL;
    }
    return t;
}

static Trainer *resumed_run(const Opts *o, const Ckpt *k, const Corpus *c, Err *e)
{
    Trainer *t = ckpt_trainer(k, c, e);
    if (t && o->debug >= 1) {
        TrainProgress p = trainer_progress(t);
        fprintf(stderr, "Resuming %s: %llu of %llu words done (%.2f%%), %.1f s trained\n",
                o->resume, (unsigned long long)p.words_done, (unsigned long long)p.words_total,
                p.words_total ? 100.0 * (double)p.words_done / (double)p.words_total : 0.0,
                p.elapsed);
    }
    return t;
}

/* Loads -resume's checkpoint into s->k and takes its settings. -1 to go on, else the exit code. */
static int load_resume(Opts *o, Saver *s)
{
    Err e;
    if (!ckpt_load(o->resume, &s->k, &e)) {
        fprintf(stderr, "embedscope train: %s\n", e.msg);
        return 1;
    }
    memcpy(s->kept, s->k.front, sizeof s->kept);
    return resume_settings(o, &s->k, s->kept);
}

/* The periodic files need somewhere to go. -1 to go on, else the exit code. */
static int check_schedules(const Opts *o)
{
    const char *why = !o->checkpoint && o->own_given[own_flag("-checkpoint-every") - own]
                          ? "-checkpoint-every needs -checkpoint FILE"
                      : o->snapshot && !o->snapshot_every ? "-snapshot needs -snapshot-every S"
                      : o->snapshot_every && !o->snapshot && !o->output
                          ? "-snapshot-every needs -snapshot FILE or -output FILE"
                          : NULL;
    if (why)
        fprintf(stderr, "embedscope train: %s\n", why);
    return why ? 2 : -1;
}

/* "rank 3: " before a message of a rank but the first, under mpirun. */
static const char *ranked(const Dist *d)
{
    static char buf[32];
    if (d->rank == 0)
        return "";
    snprintf(buf, sizeof buf, "rank %d: ", d->rank);
    return buf;
}

/* Joins the ranks under mpirun; only rank 0 talks and writes files. -1 to go on, else the exit
 * code. */
static int join_ranks(Opts *o, Dist *d, int *argc, char ***argv)
{
    Err e;
    if (!dist_init(d, argc, argv, &e)) {
        fprintf(stderr, "embedscope train: %s\n", e.msg);
        return 1;
    }
    if (d->nranks > 1 && (o->checkpoint || o->resume)) {
        fprintf(stderr, "embedscope train: %s-checkpoint and -resume are not supported with "
                        "several ranks yet\n", ranked(d));
        return 2;
    }
    if (d->rank > 0) {
        o->debug = 0;
        o->save_vocab = NULL;
        o->snapshot_every = 0;
    }
    return -1;
}

int cmd_train(int argc, char **argv)
{
    Opts o;
    Saver s = {0};
    ckpt_init(&s.k);
    int rc = parse_args(argc, argv, &o);
    if (rc < 0)
        rc = join_ranks(&o, &s.dist, &argc, &argv);
    if (rc < 0 && o.resume)
        rc = load_resume(&o, &s);
    if (rc < 0)
        rc = check_schedules(&o);
    Err e = {0};
    if (rc < 0 && o.checkpoint && !front_write(&o, s.k.front, sizeof s.k.front, &e)) {
        fprintf(stderr, "embedscope train: %s\n", e.msg);
        rc = 2;
    }
    if (rc >= 0) {
        ckpt_deinit(&s.k);
        dist_deinit(&s.dist);
        return rc;
    }
    Corpus c;
    Trainer *t = NULL;
    bool opened = corpus_open(&c, o.train, &e), ok = opened;
    /* the threads end together unless something must hold them (checkpoints, ranks) */
    ok = ok && (t = o.resume ? resumed_run(&o, &s.k, &c, &e) : new_run(&o, &c, &s.dist, &e)) &&
         trainer_set_balance(t, !o.checkpoint && s.dist.nranks == 1, &e) && trainer_start(t, &e);
    ok = ok && watch(t, &o, &s, &e) && finish(t, &o, &s, &e);
    if (!ok)
        fprintf(stderr, "embedscope train: %s%s\n", ranked(&s.dist), e.msg);
    trainer_destroy(t);
    ckpt_deinit(&s.k);
    dist_deinit(&s.dist);
    if (opened)
        corpus_close(&c);
    return !ok ? 1 : s.failed ? 1 : 0;
}
