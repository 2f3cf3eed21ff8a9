/* `embedscope eval analogies|similarity`: the standard intrinsic evaluations of a vector file
 * (gensim's protocol, see model/evalset.h), as text or one JSON object. Main thread. */
#include "app/args.h"
#include "app/cli/eval.h"
#include "model/vectors/evalset.h"
#include "model/vectors/knn.h"
#include "app/cli/vectors.h"
#include "model/files/vecfile.h"
#include <math.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: embedscope eval analogies VECTORS QUESTIONS [--restrict N] [--json]\n"
            "       embedscope eval similarity VECTORS PAIRS [--restrict N] [--json]\n"
            "  analogies   questions-words.txt format; 3CosAdd top-1 among the N most frequent\n"
            "              words (default %d); questions with other words are skipped\n"
            "  similarity  `word word score` lines; Spearman of cosine vs score over pairs whose\n"
            "              words are among the N most frequent (default %d)\n"
            "  --json      one JSON object on stdout\n",
            EVAL_DEFAULT_ANALOGY_RESTRICT, EVAL_DEFAULT_SIMILARITY_RESTRICT);
}

typedef struct EvalArgs {
    const char *kind, *vectors, *set;
    long long restrict_rows;
    int json, help;
} EvalArgs;

static int parse_args(int argc, char **argv, EvalArgs *a)
{
    memset(a, 0, sizeof *a);
    const char **pos[3] = {&a->kind, &a->vectors, &a->set};
    int npos = 0;
    bool opts = true;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (opts && !strcmp(s, "--")) {
            opts = false;
        } else if (opts && (!strcmp(s, "-h") || !strcmp(s, "--help"))) {
            a->help = 1;
        } else if (opts && !strcmp(s, "--json")) {
            a->json = 1;
        } else if (opts && !strcmp(s, "--restrict")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "embedscope: --restrict needs a value\n");
                return 2;
            }
            if (!args_int(s, argv[++i], 1, INT64_MAX, &a->restrict_rows))
                return 2;
        } else if (opts && s[0] == '-' && s[1]) {
            fprintf(stderr, "embedscope: unknown option '%s'\n", s);
            return 2;
        } else if (npos == 3) {
            fprintf(stderr, "embedscope: unexpected argument '%s'\n", s);
            return 2;
        } else {
            *pos[npos++] = s;
        }
    }
    if (a->help)
        return 0;
    if (npos < 3) {
        fprintf(stderr, "embedscope: eval needs a kind, VECTORS and a file\n");
        return 2;
    }
    if (strcmp(a->kind, "analogies") && strcmp(a->kind, "similarity")) {
        fprintf(stderr, "embedscope: unknown evaluation '%s' (analogies or similarity)\n",
                a->kind);
        return 2;
    }
    return 0;
}

/* JSON has no NaN: an undefined value is null. */
static void json_number(double x)
{
    if (isfinite(x))
        printf("%.6f", x);
    else
        printf("null");
}

static void json_score(const char *key, EvalScore s)
{
    printf("\"%s\":{\"correct\":%lld,\"answered\":%lld,\"accuracy\":", key, (long long)s.correct,
           (long long)s.answered);
    json_number(eval_accuracy(s));
    fputc('}', stdout);
}

static void text_score(const char *name, EvalScore s, int64_t skipped, bool show_skipped)
{
    double acc = eval_accuracy(s);
    if (isfinite(acc))
        printf("%-32s %7.2f%%  (%lld/%lld", name, 100 * acc, (long long)s.correct,
               (long long)s.answered);
    else
        printf("%-32s %8s  (%lld/%lld", name, "n/a", (long long)s.correct, (long long)s.answered);
    if (show_skipped)
        printf(", %lld skipped", (long long)skipped);
    printf(")\n");
}

static void print_analogies(const EvalArgs *a, const Embeddings *emb, const AnalogyReport *r)
{
    double coverage = r->questions ? (double)r->total.answered / (double)r->questions : NAN;
    if (a->json) {
        printf("{\"vectors\":");
        args_json_string(stdout, a->vectors);
        printf(",\"questions_file\":");
        args_json_string(stdout, a->set);
        printf(",\"words\":%lld,\"dim\":%d,\"restrict\":%lld,\"sections\":[",
               (long long)emb->rows, emb->dim, (long long)r->restrict_rows);
        for (int i = 0; i < r->nsections; i++) {
            const EvalSection *s = &r->sections[i];
            printf("%s{\"name\":", i ? "," : "");
            args_json_string(stdout, s->name);
            printf(",\"syntactic\":%s,\"correct\":%lld,\"answered\":%lld,\"skipped\":%lld,"
                   "\"accuracy\":",
                   s->syntactic ? "true" : "false", (long long)s->score.correct,
                   (long long)s->score.answered, (long long)s->skipped);
            json_number(eval_accuracy(s->score));
            fputc('}', stdout);
        }
        printf("],");
        json_score("semantic", r->semantic);
        fputc(',', stdout);
        json_score("syntactic", r->syntactic);
        fputc(',', stdout);
        json_score("total", r->total);
        printf(",\"questions\":%lld,\"answered\":%lld,\"skipped\":%lld,\"coverage\":",
               (long long)r->questions, (long long)r->total.answered, (long long)r->skipped);
        json_number(coverage);
        printf("}\n");
        return;
    }
    printf("%s: %lld words, dim %d; questions restricted to the %lld most frequent\n", a->vectors,
           (long long)emb->rows, emb->dim, (long long)r->restrict_rows);
    for (int i = 0; i < r->nsections; i++)
        text_score(r->sections[i].name, r->sections[i].score, r->sections[i].skipped, true);
    printf("\n");
    text_score("semantic", r->semantic, 0, false);
    text_score("syntactic", r->syntactic, 0, false);
    text_score("total", r->total, 0, false);
    printf("coverage: %lld of %lld questions answered (%.2f%%), %lld skipped (a word outside the "
           "vocabulary)\n",
           (long long)r->total.answered, (long long)r->questions,
           isfinite(coverage) ? 100 * coverage : 0.0, (long long)r->skipped);
}

static void print_similarity(const EvalArgs *a, const Embeddings *emb, const SimilarityReport *r)
{
    if (a->json) {
        printf("{\"vectors\":");
        args_json_string(stdout, a->vectors);
        printf(",\"pairs_file\":");
        args_json_string(stdout, a->set);
        printf(",\"words\":%lld,\"dim\":%d,\"restrict\":%lld,\"spearman\":", (long long)emb->rows,
               emb->dim, (long long)r->restrict_rows);
        json_number(r->spearman);
        printf(",\"pearson\":");
        json_number(r->pearson);
        printf(",\"pairs\":%lld,\"used\":%lld,\"skipped\":%lld}\n", (long long)r->pairs,
               (long long)r->used, (long long)r->skipped);
        return;
    }
    printf("%s: %lld words, dim %d; pairs restricted to the %lld most frequent\n", a->vectors,
           (long long)emb->rows, emb->dim, (long long)r->restrict_rows);
    if (isfinite(r->spearman))
        printf("spearman: %.4f\npearson:  %.4f\n", r->spearman, r->pearson);
    else
        printf("spearman: n/a (fewer than 2 usable pairs, or constant scores)\n");
    printf("pairs used: %lld of %lld (%lld skipped: a word outside the vocabulary)\n",
           (long long)r->used, (long long)r->pairs, (long long)r->skipped);
}

int cmd_eval(int argc, char **argv)
{
    EvalArgs a;
    int rc = parse_args(argc, argv, &a);
    if (rc || a.help) {
        usage(rc ? stderr : stdout);
        return rc;
    }
    bool analogies = !strcmp(a.kind, "analogies");
    int64_t restrict_rows = a.restrict_rows > 0 ? a.restrict_rows
                            : analogies         ? EVAL_DEFAULT_ANALOGY_RESTRICT
                                                : EVAL_DEFAULT_SIMILARITY_RESTRICT;
    Embeddings emb;
    KnnIndex ix = {0};
    AnalogyReport ar = {0};
    SimilarityReport sr;
    Err e;
    rc = 1;
    emb_init(&emb);
    /* rows past the restriction are never looked at: do not load them */
    if (!cli_load_vectors(&(VecLoadDesc){.path = a.vectors, .max_words = restrict_rows}, &emb, &e) ||
        !knn_build(&ix, emb.vec, emb.rows, emb.dim, emb.stride, &e))
        goto fail;
    if (analogies) {
        if (!eval_analogies(a.set, &emb.vocab, &ix, restrict_rows, NULL, NULL, &ar, &e))
            goto fail;
        print_analogies(&a, &emb, &ar);
    } else {
        if (!eval_similarity(a.set, &emb.vocab, &ix, restrict_rows, &sr, &e))
            goto fail;
        print_similarity(&a, &emb, &sr);
    }
    rc = 0;
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "embedscope: write error on stdout\n");
        rc = 1;
    }
    goto done;
fail:
    fprintf(stderr, "embedscope: %s\n", e.msg);
done:
    analogy_report_deinit(&ar);
    knn_deinit(&ix);
    emb_deinit(&emb);
    return rc;
}
