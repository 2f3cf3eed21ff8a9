/* `embedscope world`: shows the built-in demo world (or another description given with
 * --world): sample sentences, the analogy questions and the similarity pairs it implies.
 * Main thread. */
#include "app/args.h"
#include "app/cli/world.h"
#include "model/text/world.h"
#include "model/text/world_gen.h"
#include "model/text/world_sets.h"
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: embedscope world [--world FILE] --dump N [--seed S]\n"
               "       embedscope world [--world FILE] --questions | --pairs | --check\n"
               "  --dump N     write N generated sentences (what the trainer reads from @world)\n"
               "  --questions  analogy questions in questions-words.txt format\n"
               "  --pairs      word-similarity pairs: word1<TAB>word2<TAB>score (0-10)\n"
               "  --check      load the description, print its size, report any error\n");
}

static int dump(const World *w, long long n, long long seed)
{
    WorldGen *g = world_gen_create(w, (uint64_t)seed);
    if (!g) {
        fprintf(stderr, "embedscope: out of memory\n");
        return 1;
    }
    char buf[4096];
    for (long long i = 0; i < n; i++) {
        size_t len = world_gen_sentence(g, buf, sizeof buf);
        if (fwrite(buf, 1, len, stdout) != len)
            break;
    }
    world_gen_destroy(g);
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "embedscope: world: write error on stdout\n");
        return 1;
    }
    return 0;
}

static int check(const World *w)
{
    uint32_t cats = 0, rels = 0, items = 0;
    for (uint32_t i = 0; i < world_section_count(w); i++) {
        bool rel;
        uint32_t n;
        world_section_info(w, i, &rel, &n);
        rels += rel;
        cats += !rel;
        items += n;
    }
    printf("%u words, %u categories, %u relations, %u members and pairs; "
           "an epoch is %d sentences\n", world_word_count(w), cats, rels, items,
           WORLD_EPOCH_SENTENCES);
    return 0;
}

int cmd_world(int argc, char **argv)
{
    const char *path = NULL;
    long long n = -1, seed = 1;
    int mode = 0; /* 'd'ump, 'q'uestions, 'p'airs, 'c'heck */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_val = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--world") && has_val) {
            path = argv[++i];
        } else if (!strcmp(a, "--dump") && has_val) {
            if (!args_int("--dump", argv[++i], 0, 1000000000LL, &n))
                return 2;
            mode = mode ? -1 : 'd';
        } else if (!strcmp(a, "--seed") && has_val) {
            if (!args_int("--seed", argv[++i], 0, (long long)(~0ULL >> 1), &seed))
                return 2;
        } else if (!strcmp(a, "--questions") || !strcmp(a, "--pairs") || !strcmp(a, "--check")) {
            mode = mode ? -1 : a[2];
        } else {
            fprintf(stderr, "embedscope: world: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (mode <= 0) {
        fprintf(stderr, "embedscope: world: give exactly one of --dump N, --questions, "
                        "--pairs, --check\n");
        usage(stderr);
        return 2;
    }
    Err e = {{0}};
    World *w = path ? world_load(path, &e) : world_builtin(&e);
    if (!w) {
        fprintf(stderr, "embedscope: %s\n", e.msg);
        return 1;
    }
    int rc = 0;
    if (mode == 'd') {
        rc = dump(w, n, seed);
    } else if (mode == 'c') {
        rc = check(w);
    } else {
        bool ok = mode == 'q' ? world_write_questions(w, stdout, &e)
                              : world_write_pairs(w, stdout, &e);
        if (ok && (fflush(stdout) || ferror(stdout)))
            ok = err_set(&e, "write error on stdout");
        if (!ok) {
            fprintf(stderr, "embedscope: world: %s\n", e.msg);
            rc = 1;
        }
    }
    world_destroy(w);
    return rc;
}
