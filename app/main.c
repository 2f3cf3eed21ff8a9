/* embedscope's entry point: dispatches `embedscope <command> ...`; with no command (or only
 * options starting with "--") it opens the explorer window. `--version`, `-V` and `version`
 * print the version (also after a command), `--help`, `-h` and `help` the commands. Main thread. */
#include "app/cli/eval.h"
#include "app/cli/export.h"
#include "app/cli/positions.h"
#include "app/cli/query.h"
#include "app/cli/train.h"
#include "app/cli/world.h"
#include "app/gui/gui.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} commands[] = {
    {"train", cmd_train, "train vectors on a corpus (word2vec.c flags: -train -output -size ...)"},
    {"neighbours", cmd_neighbours, "VECTORS WORD... [-k N] [--json]: nearest words by cosine"},
    {"neighbors", cmd_neighbours, NULL},
    {"analogy", cmd_analogy, "VECTORS A B C [-k N] [-cosmul] [--json]: B - A + C"},
    {"eval", cmd_eval, "analogies|similarity VECTORS FILE [--json]: standard evaluations"},
    {"export", cmd_export, "VECTORS --coords F | --projector DIR | --vectors F: coordinates, clusters, files"},
    {"positions", cmd_positions, "-train CORPUS|@world --steps N --output wpe.tsv: a tiny GPT's learned position table"},
    {"world", cmd_world, "--dump N | --questions | --pairs: the built-in demo world"},
    {"gui", gui_main, "[--corpus FILE] [--script FILE] ...: the explorer window (default)"},
    {"version", NULL, "print the version"},
    {"help", NULL, "this list; `embedscope COMMAND --help` for one command's options"},
};

static bool is(const char *a, const char *long_name, const char *short_name)
{
    return !strcmp(a, long_name) || !strcmp(a, short_name);
}

static int print_version(void)
{
    printf("embedscope %s\n", EMBEDSCOPE_VERSION);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: embedscope [command] [args]\n"
               "       embedscope --version | --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (commands[i].help)
            fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\nWith no command, embedscope opens the explorer window on the demo world.\n");
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (is(argv[1], "--version", "-V") || !strcmp(argv[1], "version")))
        return print_version();
    if (argc >= 2 && (is(argv[1], "--help", "-h") || !strcmp(argv[1], "help"))) {
        usage(stdout);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-')
        return gui_main(argc, argv);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (commands[i].fn && !strcmp(argv[1], commands[i].name)) {
            /* no command takes --version as its first argument */
            if (argc >= 3 && is(argv[2], "--version", "-V"))
                return print_version();
            return commands[i].fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "embedscope: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
