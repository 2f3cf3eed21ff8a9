/* `embedscope positions`: a tiny GPT trained on a corpus's bytes, for its learned position
 * table (issue #15). Options, the estimate of time and memory, progress on stderr, the tables
 * as vectors.tsv (atomic writes) and the summary as one JSON object. The main thread polls
 * while the session's threads train. */
#include "app/args.h"
#include "app/cli/positions.h"
#include "model/base/atomicfile.h"
#include "model/gpt/session.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct Opts {
    const char *train, *output, *tokens, *labels;
    GptTrainDesc d;
    long long steps;
    double seconds;
    bool json, until_smooth, quiet;
    GptDesc preset; /* --preset's shape, under the explicit --len, --dim, --layers, --heads */
} Opts;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: embedscope positions -train CORPUS|@world (--steps N | --seconds S) --output wpe.tsv [options]\n"
            "Trains a 1-layer character-level GPT (learned positions, tied token table, pre-LN,\n"
            "AdamW) and writes its position table, one row per position (projector vectors.tsv).\n"
            "  -train FILE|@world  plain or .gz text, read as bytes; @world: 1 MiB of the demo world\n"
            "  --preset S|M        S: dim 32, 1 layer, 4 heads, context 128 [S]; M: dim 64, 2 layers, context 256\n"
            "  --len N             context length = rows of the position table [128]\n"
            "  --dim N             embedding width [32]\n"
            "  --layers N          transformer blocks [1]\n"
            "  --heads N           attention heads, dividing dim [4]\n"
            "  --batch N           sequences per step [8]\n"
            "  --lr X              AdamW learning rate, constant [0.003]\n"
            "  --init gpt2|torch   tables N(0, 0.02) as GPT-2, or N(0, 1) as nn.Embedding [gpt2]\n"
            "  --seed N            parameters and batches [1]\n"
            "  --threads N         training threads [the CPUs, at most batch]\n"
            "  --steps N           optimiser steps (0: write the initial table)\n"
            "  --seconds S         train this long instead\n"
            "  --until-smooth      stop early once the table is smooth (mean adjacent cosine >= 0.5\n"
            "                      and cos(5,6) - cos(5,100) >= 0.5, tried every 10 steps)\n"
            "  --output FILE       the position table (max_len rows, dim columns, tab-separated)\n"
            "  --tokens FILE       the token table too (one row per byte that occurs, in byte order)\n"
            "  --token-labels FILE its rows' bytes, one per line (the projector's metadata.tsv):\n"
            "                      printable ASCII as itself, a blank as 'space', \\n, \\t, others 0xNN\n"
            "  --json              the summary as one JSON object on stdout (seconds: training wall time\n"
            "                      without pauses; cpu_seconds: CPU time of all threads meanwhile)\n"
            "  --quiet             no progress on stderr\n");
}

/* Options with a value; the index is what set_opt switches on. */
static const char *const valued[] = {"-train", "--train", "--preset", "--len", "--dim",
                                     "--layers", "--heads", "--batch", "--lr", "--init",
                                     "--seed", "--threads", "--steps", "--seconds", "--output",
                                     "--tokens", "--token-labels"};
#define NVALUED (int)(sizeof valued / sizeof valued[0])

static int valued_index(const char *f)
{
    for (int i = 0; i < NVALUED; i++)
        if (!strcmp(f, valued[i]))
            return i;
    return -1;
}

/* Sets option k to a; false (message printed) on a bad value. */
static bool set_opt(Opts *o, int k, const char *f, const char *a)
{
    GptDesc *m = &o->d.model;
    long long v = 0;
    switch (k) {
    case 0: case 1: o->train = a; return true;
    case 2:
        if (strlen(a) == 1 && gptm_preset(a[0], &o->preset))
            return true;
        fprintf(stderr, "embedscope: bad value for --preset: '%s' (want S or M)\n", a);
        return false;
    case 3: if (!args_int(f, a, 1, GPT_MAX_LEN, &v)) return false; m->max_len = (int)v; return true;
    case 4: if (!args_int(f, a, 1, GPT_MAX_DIM, &v)) return false; m->dim = (int)v; return true;
    case 5: if (!args_int(f, a, 1, GPT_MAX_LAYERS, &v)) return false; m->layers = (int)v; return true;
    case 6: if (!args_int(f, a, 1, GPT_MAX_DIM, &v)) return false; m->heads = (int)v; return true;
    case 7: if (!args_int(f, a, 1, 1 << 20, &v)) return false; o->d.batch = (int)v; return true;
    case 8: return args_double(f, a, 1e-8, 10, &o->d.lr);
    case 9:
        if (!strcmp(a, "gpt2") || !strcmp(a, "torch")) {
            m->init = !strcmp(a, "torch") ? GPT_INIT_TORCH : GPT_INIT_GPT2;
            return true;
        }
        fprintf(stderr, "embedscope: bad value for --init: '%s' (want gpt2 or torch)\n", a);
        return false;
    case 10: if (!args_int(f, a, 1, 1LL << 62, &v)) return false; m->seed = (uint64_t)v; return true;
    case 11: if (!args_int(f, a, 1, 256, &v)) return false; o->d.threads = (int)v; return true;
    case 12: return args_int(f, a, 0, 1LL << 40, &o->steps);
    case 13: return args_double(f, a, 0.001, 1e7, &o->seconds);
    case 14: o->output = a; return true;
    case 15: o->tokens = a; return true;
    default: o->labels = a; return true;
    }
}

/* Fills o from argv. Returns -1 to go on, else the exit code (0 after --help, 2 on misuse). */
static int parse_args(int argc, char **argv, Opts *o)
{
    *o = (Opts){.train = NULL, .steps = -1};
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (!strcmp(f, "-h") || !strcmp(f, "--help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(f, "--json") || !strcmp(f, "--until-smooth") || !strcmp(f, "--quiet")) {
            *(f[2] == 'j' ? &o->json : f[2] == 'u' ? &o->until_smooth : &o->quiet) = true;
            continue;
        }
        int k = valued_index(f);
        if (k < 0) {
            fprintf(stderr, "embedscope positions: unknown option %s\n", f);
            usage(stderr);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "embedscope positions: %s needs a value (see --help)\n", f);
            return 2;
        }
        if (!set_opt(o, k, f, argv[++i]))
            return 2;
    }
    const char *miss = !o->train ? "-train CORPUS|@world" : !o->output ? "--output FILE" : NULL;
    if (!miss && (o->steps >= 0) == (o->seconds > 0))
        miss = "exactly one of --steps N and --seconds S";
    if (miss) {
        fprintf(stderr, "embedscope positions: needs %s (see --help)\n", miss);
        return 2;
    }
    GptDesc *m = &o->d.model;
    m->max_len = m->max_len ? m->max_len : o->preset.max_len;
    m->dim = m->dim ? m->dim : o->preset.dim;
    m->layers = m->layers ? m->layers : o->preset.layers;
    m->heads = m->heads ? m->heads : o->preset.heads;
    o->d.max_steps = o->steps > 0 ? o->steps : 0;
    o->d.max_seconds = o->seconds;
    o->d.stop_when_smooth = o->until_smooth;
    return -1;
}

/* rows x cols floats as tab-separated lines, written atomically */
static bool write_tsv(const char *path, const float *x, int rows, int cols, Err *e)
{
    AtomicFile a = {0};
    if (!af_open(&a, path, e))
        return false;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            fprintf(a.f, "%.9g%c", (double)x[(long)i * cols + j], j + 1 < cols ? '\t' : '\n');
    return af_commit(&a, e);
}

/* One label per token: what the byte is, readable in a TSV cell */
static bool write_labels(const char *path, const GptText *t, Err *e)
{
    AtomicFile a = {0};
    if (!af_open(&a, path, e))
        return false;
    for (int i = 0; i < t->vocab; i++) {
        int b = t->byte_of[i];
        if (b == ' ')
            fputs("space\n", a.f);
        else if (b == '\n' || b == '\t')
            fputs(b == '\n' ? "\\n\n" : "\\t\n", a.f);
        else if (b > ' ' && b < 127)
            fprintf(a.f, "%c\n", b);
        else
            fprintf(a.f, "0x%02x\n", b);
    }
    return af_commit(&a, e);
}

static void json_number(const char *key, double v, bool last)
{
    if (isfinite(v))
        printf("\"%s\": %.9g%s", key, v, last ? "" : ", ");
    else
        printf("\"%s\": null%s", key, last ? "" : ", ");
}

/* CPU seconds of the whole process (every training thread) */
static double process_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void print_json(const Opts *o, const GptTrain *s, const GptSnap *p, double cpu)
{
    const GptTrainDesc *d = gptt_desc(s);
    const GptText *t = gptt_text(s);
    const GptProgress *g = &p->progress;
    printf("{\"corpus\": ");
    args_json_string(stdout, o->train);
    printf(", \"len\": %d, \"dim\": %d, \"layers\": %d, \"heads\": %d, \"vocab\": %d, "
           "\"batch\": %d, \"threads\": %d, \"init\": \"%s\", \"seed\": %llu, ",
           d->model.max_len, d->model.dim, d->model.layers, d->model.heads, d->model.vocab,
           d->batch, d->threads, d->model.init == GPT_INIT_TORCH ? "torch" : "gpt2",
           (unsigned long long)d->model.seed);
    printf("\"steps\": %lld, \"tokens\": %llu, ", (long long)g->step, (unsigned long long)g->tokens);
    json_number("seconds", g->elapsed, false);
    json_number("cpu_seconds", cpu, false);
    json_number("tokens_per_sec", g->tokens_per_sec, false);
    json_number("loss", g->loss, false);
    json_number("unigram_loss", t->unigram_loss, false);
    json_number("bigram_loss", t->bigram_loss, false);
    json_number("mean_adjacent_cosine", p->pos.adjacent, false);
    json_number("mean_far_cosine", p->pos.far, false);
    json_number("cos_5_6", p->pos.cos5_6, false);
    json_number("cos_5_100", p->pos.cos5_100, false);
    json_number("pc1_share", p->pos.pc1, false);
    json_number("smooth_seconds", g->smooth_seconds, false);
    if (g->smooth_step >= 0)
        printf("\"smooth_step\": %lld}\n", (long long)g->smooth_step);
    else
        printf("\"smooth_step\": null}\n");
}

/* The estimate before anything is allocated: one line on stderr. */
static bool announce(const Opts *o, const GptText *t, Err *e)
{
    GptTrainDesc d = gptt_desc_defaults(&o->d);
    d.model.vocab = t->vocab;
    GptEstimate est;
    if (!gptm_estimate(&d.model, d.batch, d.threads, &est, e))
        return false;
    if (!o->quiet)
        fprintf(stderr, "%s: %zu tokens, %d distinct; model %zu parameters, ~%.0f MiB on %d "
                "threads, ~%.3g s per step of %d x %d tokens (estimate)\n", t->name, t->n,
                t->vocab, est.params, est.total_bytes / 1048576.0, d.threads,
                est.step_seconds, d.batch, d.model.max_len);
    return true;
}

/* Progress on stderr until the run ends: in place on a terminal, every 5 s into a file. */
static void watch(GptTrain *s, const Opts *o)
{
    int tty = isatty(2);
    double last = -10;
    for (;;) {
        GptProgress p = gptt_progress(s);
        if (!o->quiet && (tty || p.elapsed - last >= 5.0)) {
            last = p.elapsed;
            fprintf(stderr, "%sstep %lld  loss %.4f  %.0f tokens/s  %.1f s%s", tty ? "\r" : "",
                    (long long)p.step, p.loss, p.tokens_per_sec, p.elapsed, tty ? "  " : "\n");
        }
        if (!p.running)
            break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (!o->quiet && tty)
        fprintf(stderr, "\n");
}

int cmd_positions(int argc, char **argv)
{
    Opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    Err e = {0};
    GptText text;
    GptTrain *s = NULL;
    bool ok = gptc_load(&text, o.train, &e) && announce(&o, &text, &e) &&
              (s = gptt_create(&o.d, &text, &e)) != NULL;
    gptc_deinit(&text); /* moved into s, or left over by a failure */
    double cpu = process_cpu_s();
    if (ok && o.steps != 0) {
        ok = gptt_start(s, &e);
        if (ok) {
            watch(s, &o);
            gptt_wait(s);
            ok = !gptt_error(s, &e);
        }
    }
    cpu = process_cpu_s() - cpu; /* training: the main thread only polls meanwhile */
    const GptSnap *p = ok ? gptt_acquire(s) : NULL;
    if (ok)
        ok = write_tsv(o.output, p->wpe, p->rows, p->dim, &e) &&
             (!o.tokens || write_tsv(o.tokens, p->wte, p->vocab, p->dim, &e)) &&
             (!o.labels || write_labels(o.labels, gptt_text(s), &e));
    if (ok && o.json)
        print_json(&o, s, p, cpu);
    else if (ok && !o.quiet)
        fprintf(stderr, "%lld steps, loss %.4f (unigram %.4f, bigram %.4f), mean adjacent cosine "
                "%.3f, cos(5,6) %.3f, cos(5,100) %.3f\n", (long long)p->progress.step,
                p->progress.loss, gptt_text(s)->unigram_loss, gptt_text(s)->bigram_loss,
                p->pos.adjacent, p->pos.cos5_6, p->pos.cos5_100);
    if (!ok)
        fprintf(stderr, "embedscope positions: %s\n", e.msg);
    gptt_destroy(s);
    return ok ? 0 : 1;
}
