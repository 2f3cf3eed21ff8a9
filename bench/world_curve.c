/* Time-to-accuracy on the built-in demo world: trains @world, snapshots the vectors every
 * --every seconds while training runs, then (after training, so evaluation does not steal the
 * trainers' cores) scores every snapshot on the world's own analogy questions and on
 * king - man + woman. Prints one table row per snapshot. Main thread + the trainer's threads. */
#include "model/text/corpus.h"
#include "model/vectors/evalset.h"
#include "model/vectors/knn.h"
#include "model/train/train.h"
#include "model/text/world.h"
#include "model/text/world_sets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SNAPS 600

typedef struct Snap { double t; uint64_t words; float *rows; } Snap;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int usage(void)
{
    fprintf(stderr, "usage: world_curve [--threads N] [--seconds S] [--every S] [--model cbow|sg]\n"
                    "  [--dim D] [--window W] [--negative K] [--sample S] [--alpha A] [--iter N]\n"
                    "  [--min-count N] [--seed N] [--show-fails SECTION]\n");
    return 2;
}

/* Top answer (word) for b - a + c, or "?" */
static const char *analogy(const KnnIndex *ix, const Vocab *v, const char *a, const char *b,
                           const char *c)
{
    int64_t ia = vocab_find(v, a, strlen(a)), ib = vocab_find(v, b, strlen(b)),
            ic = vocab_find(v, c, strlen(c));
    Neighbour n;
    if (ia < 0 || ib < 0 || ic < 0 || knn_analogy(ix, ia, ib, ic, 0, 1, &n, NULL) < 1)
        return "?";
    return vocab_word(v, n.index);
}

/* Lists up to 40 wrongly answered questions of one section (to see what a world teaches badly). */
static void show_fails(const KnnIndex *ix, const Vocab *v, const char *text, const char *section)
{
    bool in = false;
    int shown = 0;
    char line[512], q[4][128];
    for (const char *p = text; *p && shown < 40;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
        p += n + (nl != NULL);
        if (line[0] == ':') {
            in = !strcmp(line + 2, section);
            continue;
        }
        if (in && sscanf(line, "%127s %127s %127s %127s", q[0], q[1], q[2], q[3]) == 4) {
            const char *got = analogy(ix, v, q[0], q[1], q[2]);
            if (strcmp(got, q[3])) {
                printf("#   wrong: %s - %s + %s = %s, expected %s\n", q[1], q[0], q[2], got, q[3]);
                shown++;
            }
        }
    }
}

/* Spearman of the model's cosines against the world's own similarity pairs. */
static void print_similarity(const World *w, const Vocab *v, const KnnIndex *ix)
{
    char *text = NULL;
    size_t len = 0;
    Err e = {{0}};
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    bool ok = world_write_pairs(w, f, &e);
    fclose(f);
    SimilarityReport r = {0};
    if (ok && eval_similarity_text(text, len, "world pairs", v, ix, 0, &r, &e))
        printf("# similarity pairs: Spearman %.3f over %lld pairs\n", r.spearman,
               (long long)r.used);
    else
        printf("# similarity pairs: %s\n", e.msg);
    free(text);
}

int main(int argc, char **argv)
{
    /* The defaults recommended for @world (assets/world/README.md). */
    TrainDesc d = {.model = WORLD_DEFAULT_SKIPGRAM ? TRAIN_SKIPGRAM : TRAIN_CBOW,
                   .dim = WORLD_DEFAULT_DIM, .window = WORLD_DEFAULT_WINDOW,
                   .negative = WORLD_DEFAULT_NEGATIVE, .sample = WORLD_DEFAULT_SAMPLE,
                   .alpha = WORLD_DEFAULT_ALPHA, .iter = WORLD_DEFAULT_ITER,
                   .min_count = WORLD_DEFAULT_MIN_COUNT, .threads = 2};
    double seconds = 30, every = 1;
    const char *show = NULL; /* section whose wrong answers are listed at the end */
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return usage();
        const char *k = argv[i], *x = argv[++i];
        if (!strcmp(k, "--threads")) d.threads = atoi(x);
        else if (!strcmp(k, "--seconds")) seconds = atof(x);
        else if (!strcmp(k, "--every")) every = atof(x);
        else if (!strcmp(k, "--model")) {
            d.model = !strcmp(x, "sg") ? TRAIN_SKIPGRAM : TRAIN_CBOW;
            if (d.model == TRAIN_CBOW && d.alpha == WORLD_DEFAULT_ALPHA)
                d.alpha = 0.05; /* word2vec.c's CBOW rate */
        }
        else if (!strcmp(k, "--dim")) d.dim = atoi(x);
        else if (!strcmp(k, "--window")) d.window = atoi(x);
        else if (!strcmp(k, "--negative")) d.negative = atoi(x);
        else if (!strcmp(k, "--sample")) d.sample = atof(x);
        else if (!strcmp(k, "--alpha")) d.alpha = atof(x);
        else if (!strcmp(k, "--iter")) d.iter = atoi(x);
        else if (!strcmp(k, "--min-count")) d.min_count = atoi(x);
        else if (!strcmp(k, "--seed")) d.seed = strtoull(x, NULL, 10);
        else if (!strcmp(k, "--show-fails")) show = x;
        else return usage();
    }
    Err e = {{0}};
    Corpus c;
    Vocab v;
    vocab_init(&v);
    if (!corpus_open(&c, "@world", &e)) {
        fprintf(stderr, "world_curve: %s\n", e.msg);
        return 1;
    }
    TrainDesc full = train_desc_defaults(&d);
    if (!corpus_count(&c, &v, (uint64_t)full.min_count, full.max_vocab, NULL, NULL, &e)) {
        fprintf(stderr, "world_curve: %s\n", e.msg);
        return 1;
    }
    Trainer *t = trainer_create(&d, &c, &v, &e);
    if (!t || !trainer_start(t, &e)) {
        fprintf(stderr, "world_curve: %s\n", e.msg);
        return 1;
    }
    const TrainDesc *u = trainer_desc(t);
    const Vocab *tv = trainer_vocab(t);
    int dim = trainer_dim(t), stride = (dim + 15) / 16 * 16;
    printf("# @world: %lld words in vocabulary, %llu tokens per epoch; %s dim %d window %d "
           "negative %d sample %g alpha %g iter %d threads %d seed %llu\n",
           (long long)tv->size, (unsigned long long)tv->total,
           u->model == TRAIN_SKIPGRAM ? "skip-gram" : "cbow", u->dim, u->window, u->negative,
           u->sample, u->alpha, u->iter, u->threads, (unsigned long long)u->seed);
    static Snap snaps[MAX_SNAPS];
    int ns = 0;
    double t0 = now();
    for (;;) {
        double due = t0 + every * (ns + 1);
        while (now() < due) {
            struct timespec ts = {0, 5000000};
            nanosleep(&ts, NULL);
            if (trainer_progress(t).finished)
                break;
        }
        TrainProgress p = trainer_progress(t);
        Snap *s = &snaps[ns];
        s->rows = malloc((size_t)tv->size * (size_t)stride * sizeof(float));
        if (!s->rows)
            return 1;
        trainer_copy_rows(t, s->rows, stride);
        s->t = now() - t0;
        s->words = p.words_done;
        ns++;
        if (p.finished || s->t >= seconds || ns == MAX_SNAPS)
            break;
    }
    trainer_stop(t);

    char *qtext = NULL;
    size_t qlen = 0;
    FILE *qf = open_memstream(&qtext, &qlen);
    if (!qf || !world_write_questions(c.world, qf, &e) || fclose(qf)) {
        fprintf(stderr, "world_curve: questions: %s\n", e.msg);
        return 1;
    }
    printf("%8s %12s %9s %9s  %s\n", "seconds", "words", "analogy", "answered",
           "king-man+woman  paris-france+italy");
    double first95 = -1, firstq = -1;
    for (int i = 0; i < ns; i++) {
        KnnIndex ix = {0};
        AnalogyReport r = {0};
        if (!knn_build(&ix, snaps[i].rows, tv->size, dim, stride, &e) ||
            !eval_analogies_text(qtext, qlen, "world questions", tv, &ix, 0, NULL, NULL, &r, &e)) {
            fprintf(stderr, "world_curve: %s\n", e.msg);
            return 1;
        }
        double acc = eval_accuracy(r.total);
        const char *q = analogy(&ix, tv, "man", "king", "woman");
        printf("%8.2f %12llu %8.2f%% %9lld  %-15s %s\n", snaps[i].t,
               (unsigned long long)snaps[i].words, 100 * acc, (long long)r.total.answered, q,
               analogy(&ix, tv, "france", "paris", "italy"));
        if (acc >= 0.95 && first95 < 0)
            first95 = snaps[i].t;
        if (!strcmp(q, "queen") && firstq < 0)
            firstq = snaps[i].t;
        if (i == ns - 1)
            for (int k = 0; k < r.nsections; k++)
                printf("#   %-14s %6.2f%% of %lld\n", r.sections[k].name,
                       100 * eval_accuracy(r.sections[k].score),
                       (long long)r.sections[k].score.answered);
        if (i == ns - 1 && show)
            show_fails(&ix, tv, qtext, show);
        if (i == ns - 1)
            print_similarity(c.world, tv, &ix);
        analogy_report_deinit(&r);
        knn_deinit(&ix);
        free(snaps[i].rows);
    }
    printf("# first >= 95%%: %s%.2f s; first king-man+woman=queen: %s%.2f s\n",
           first95 < 0 ? "never, last " : "", first95 < 0 ? snaps[ns - 1].t : first95,
           firstq < 0 ? "never, last " : "", firstq < 0 ? snaps[ns - 1].t : firstq);
    free(qtext);
    trainer_destroy(t);
    corpus_close(&c);
    return first95 < 0;
}
