/* `embedscope neighbours` and `embedscope analogy`: exact cosine queries on a vector file, as
 * word2vec's distance and word-analogy tools, with expressions and JSON output. Main thread. */
#include "app/args.h"
#include "app/cli/query.h"
#include "model/vectors/expr.h"
#include "model/vectors/knn.h"
#include "app/cli/vectors.h"
#include "model/files/vecfile.h"
#include <stdlib.h>
#include <string.h>

#define MAX_K 10000

typedef struct QueryArgs {
    const char *pos[64]; /* positional arguments: VECTORS then words */
    int npos;
    long long k, restrict_rows;
    int json, cosmul, help;
} QueryArgs;

/* Options may appear anywhere; "--" ends them, so a word may start with '-'. Returns 0 or the
 * usage exit code 2 (after printing why). */
static int parse_args(int argc, char **argv, bool allow_cosmul, QueryArgs *a)
{
    memset(a, 0, sizeof *a);
    a->k = 10;
    bool opts = true;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (opts && !strcmp(s, "--")) {
            opts = false;
        } else if (opts && (!strcmp(s, "-h") || !strcmp(s, "--help"))) {
            a->help = 1;
        } else if (opts && !strcmp(s, "--json")) {
            a->json = 1;
        } else if (opts && allow_cosmul && (!strcmp(s, "-cosmul") || !strcmp(s, "--cosmul"))) {
            a->cosmul = 1;
        } else if (opts && (!strcmp(s, "-k") || !strcmp(s, "--restrict"))) {
            if (i + 1 >= argc) {
                fprintf(stderr, "embedscope: %s needs a value\n", s);
                return 2;
            }
            long long *dst = s[1] == 'k' ? &a->k : &a->restrict_rows;
            if (!args_int(s, argv[++i], 1, s[1] == 'k' ? MAX_K : INT64_MAX, dst))
                return 2;
        } else if (opts && s[0] == '-' && s[1] && !strpbrk(s, " \t")) {
            fprintf(stderr, "embedscope: unknown option '%s' (put -- before a word that starts "
                            "with '-')\n", s);
            return 2;
        } else if (a->npos == (int)(sizeof a->pos / sizeof a->pos[0])) {
            fprintf(stderr, "embedscope: too many arguments (at most %d)\n", a->npos);
            return 2;
        } else {
            a->pos[a->npos++] = s;
        }
    }
    return 0;
}

/* Loads the vectors (only the first restrict_rows when > 0) and builds the index. */
static bool load_index(const char *path, int64_t restrict_rows, Embeddings *emb, KnnIndex *ix,
                       Err *e)
{
    emb_init(emb);
    VecLoadDesc d = {.path = path, .max_words = restrict_rows > 0 ? restrict_rows : 0};
    if (!cli_load_vectors(&d, emb, e))
        return false;
    if (emb->rows == 0)
        return err_set(e, "%s: no vectors", path);
    return knn_build(ix, emb->vec, emb->rows, emb->dim, emb->stride, e);
}

static void print_neighbours_text(const Vocab *v, const Neighbour *nb, int n)
{
    for (int r = 0; r < n; r++)
        printf("%5d  %-30s %8.4f\n", r + 1, vocab_word(v, nb[r].index), nb[r].score);
}

static void print_neighbours_json(const Vocab *v, const Neighbour *nb, int n)
{
    fputc('[', stdout);
    for (int r = 0; r < n; r++) {
        printf("%s{\"word\":", r ? "," : "");
        args_json_string(stdout, vocab_word(v, nb[r].index));
        printf(",\"score\":%.6f}", nb[r].score);
    }
    fputc(']', stdout);
}

static int finish(void)
{
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "embedscope: write error on stdout\n");
        return 1;
    }
    return 0;
}

static void neighbours_usage(FILE *f)
{
    fprintf(f, "usage: embedscope neighbours VECTORS WORD... [-k N] [--restrict N] [--json]\n"
               "  Each WORD may be an expression in one argument: 'king - man + woman'.\n"
               "  -k N          neighbours per query (default 10)\n"
               "  --restrict N  search only the N most frequent words\n"
               "  --json        one JSON object on stdout\n");
}

/* Compiles every query first, so a typo fails before anything is printed. */
static bool compile_all(const QueryArgs *a, const Embeddings *emb, const KnnIndex *ix, Expr *xs,
                        ExprQuery *qq, float *qv, Err *e)
{
    for (int i = 1; i < a->npos; i++) {
        float *q = qv + (size_t)(i - 1) * (size_t)ix->dim;
        if (!expr_compile(a->pos[i], &emb->vocab, ix, &xs[i - 1], q, &qq[i - 1], e))
            return err_prefix(e, "query '%s': ", a->pos[i]);
    }
    return true;
}

static void print_query_json(const char *text, const Expr *x, const ExprQuery *qq,
                             const Vocab *v, const Neighbour *nb, int n)
{
    printf("{\"query\":");
    args_json_string(stdout, text);
    printf(",\"terms\":[");
    for (int t = 0; t < x->nterms; t++) {
        printf("%s{\"word\":", t ? "," : "");
        args_json_string(stdout, vocab_word(v, x->terms[t].index));
        printf(",\"sign\":%d}", x->terms[t].sign);
    }
    printf("],\"analogy\":%s,\"neighbours\":", qq->is_analogy ? "true" : "false");
    print_neighbours_json(v, nb, n);
    fputc('}', stdout);
}

int cmd_neighbours(int argc, char **argv)
{
    QueryArgs a;
    int rc = parse_args(argc, argv, false, &a);
    if (rc || a.help || a.npos < 2) {
        neighbours_usage(rc || !a.help ? stderr : stdout);
        return rc ? rc : a.help ? 0 : 2;
    }
    Embeddings emb;
    KnnIndex ix = {0};
    Err e;
    int nq = a.npos - 1;
    Expr *xs = NULL;
    ExprQuery *qq = NULL;
    float *qv = NULL;
    Neighbour *nb = NULL;
    rc = 1;
    if (!load_index(a.pos[0], a.restrict_rows, &emb, &ix, &e))
        goto fail;
    xs = malloc((size_t)nq * sizeof *xs);
    qq = malloc((size_t)nq * sizeof *qq);
    qv = malloc((size_t)nq * (size_t)ix.dim * sizeof *qv);
    nb = malloc((size_t)a.k * sizeof *nb);
    if (!xs || !qq || !qv || !nb) {
        err_set(&e, "out of memory");
        goto fail;
    }
    if (!compile_all(&a, &emb, &ix, xs, qq, qv, &e))
        goto fail;
    if (a.json) {
        printf("{\"vectors\":");
        args_json_string(stdout, a.pos[0]);
        printf(",\"words\":%lld,\"dim\":%d,\"k\":%lld,\"queries\":[", (long long)emb.rows,
               emb.dim, a.k);
    }
    for (int i = 0; i < nq; i++) {
        float *q = qv + (size_t)i * (size_t)ix.dim;
        int n = knn_query(&ix, q, (int)a.k, qq[i].exclude, qq[i].nexclude, nb);
        if (a.json) {
            if (i)
                fputc(',', stdout);
            print_query_json(a.pos[i + 1], &xs[i], &qq[i], &emb.vocab, nb, n);
        } else {
            printf("%squery: %s\n", i ? "\n" : "", a.pos[i + 1]);
            print_neighbours_text(&emb.vocab, nb, n);
        }
    }
    if (a.json)
        printf("]}\n");
    rc = finish();
    goto done;
fail:
    fprintf(stderr, "embedscope: %s\n", e.msg);
done:
    free(xs);
    free(qq);
    free(qv);
    free(nb);
    knn_deinit(&ix);
    emb_deinit(&emb);
    return rc;
}

static void analogy_usage(FILE *f)
{
    fprintf(f, "usage: embedscope analogy VECTORS A B C [-k N] [-cosmul] [--restrict N] [--json]\n"
               "  A is to B as C is to ?: the words nearest to B - A + C, A B C excluded.\n"
               "  -cosmul       rank by 3CosMul (Levy & Goldberg 2014) instead of 3CosAdd\n"
               "  -k N          answers (default 10)\n"
               "  --restrict N  search only the N most frequent words\n"
               "  --json        one JSON object on stdout\n");
}

/* Looks up A, B and C, naming every unknown one. */
static bool resolve_abc(const char *const *words, const Vocab *v, int64_t idx[3], Err *e)
{
    Expr x;
    char unknown[200] = "";
    int nunknown = 0;
    for (int i = 0; i < 3; i++) {
        if (!expr_parse(words[i], &x, e))
            return err_prefix(e, "'%s': ", words[i]);
        if (x.nterms != 1 || x.terms[0].sign < 0)
            return err_set(e, "'%s' is not a single word", words[i]);
        idx[i] = -1;
        if (expr_resolve(&x, v, e)) {
            idx[i] = x.terms[0].index;
        } else {
            size_t used = strlen(unknown);
            snprintf(unknown + used, sizeof unknown - used, "%s'%s'", nunknown ? ", " : "",
                     x.terms[0].word);
            nunknown++;
        }
    }
    if (nunknown)
        return err_set(e, "unknown word%s: %s", nunknown > 1 ? "s" : "", unknown);
    return true;
}

int cmd_analogy(int argc, char **argv)
{
    QueryArgs a;
    int rc = parse_args(argc, argv, true, &a);
    if (rc || a.help || a.npos != 4) {
        if (!rc && !a.help)
            fprintf(stderr, "embedscope: analogy needs VECTORS and three words, got %d "
                            "argument%s\n", a.npos, a.npos == 1 ? "" : "s");
        analogy_usage(rc || !a.help ? stderr : stdout);
        return rc ? rc : a.help ? 0 : 2;
    }
    Embeddings emb;
    KnnIndex ix = {0};
    Err e;
    int64_t idx[3];
    Neighbour *nb = NULL;
    rc = 1;
    if (!load_index(a.pos[0], a.restrict_rows, &emb, &ix, &e) ||
        !resolve_abc(a.pos + 1, &emb.vocab, idx, &e))
        goto fail;
    nb = malloc((size_t)a.k * sizeof *nb);
    if (!nb) {
        err_set(&e, "out of memory");
        goto fail;
    }
    /* B - A + C: a = idx[0] (A), b = idx[1] (B), c = idx[2] (C) */
    int n = knn_analogy(&ix, idx[0], idx[1], idx[2], a.cosmul, (int)a.k, nb, NULL);
    const char *method = a.cosmul ? "3CosMul" : "3CosAdd";
    const Vocab *v = &emb.vocab;
    if (a.json) {
        printf("{\"vectors\":");
        args_json_string(stdout, a.pos[0]);
        const char *keys[3] = {"a", "b", "c"};
        for (int i = 0; i < 3; i++) {
            printf(",\"%s\":", keys[i]);
            args_json_string(stdout, vocab_word(v, idx[i]));
        }
        printf(",\"method\":\"%s\",\"k\":%lld,\"results\":", method, a.k);
        print_neighbours_json(v, nb, n);
        printf("}\n");
    } else {
        printf("%s : %s :: %s : ?   (%s)\n", vocab_word(v, idx[0]), vocab_word(v, idx[1]),
               vocab_word(v, idx[2]), method);
        print_neighbours_text(v, nb, n);
    }
    rc = finish();
    goto done;
fail:
    fprintf(stderr, "embedscope: %s\n", e.msg);
done:
    free(nb);
    knn_deinit(&ix);
    emb_deinit(&emb);
    return rc;
}
