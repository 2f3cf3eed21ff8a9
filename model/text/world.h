/* The built-in demo world: a small world description (assets/world/world.txt), parsed and
 * loaded here; world_gen.h generates an endless seeded stream of sentences about it and
 * world_sets.h writes the analogy and similarity sets it implies. A World is immutable after
 * loading: any thread may read it. */
#ifndef EMBEDSCOPE_WORLD_H
#define EMBEDSCOPE_WORLD_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sentences in one "epoch" of the @world corpus (documented in assets/world/README.md). */
#define WORLD_EPOCH_SENTENCES 200000

/* Training settings recommended for @world (time-to-accuracy curve in bench/README.md):
 * skip-gram with these values. Plain numbers, so the trainer, the CLI and the GUI can apply
 * them without world.h knowing about train.h. */
#define WORLD_DEFAULT_SKIPGRAM 1   /* skip-gram; CBOW groups by category, not by subject */
#define WORLD_DEFAULT_DIM 100
#define WORLD_DEFAULT_WINDOW 5
#define WORLD_DEFAULT_NEGATIVE 5
#define WORLD_DEFAULT_SAMPLE 1e-3
#define WORLD_DEFAULT_ALPHA 0.025
#define WORLD_DEFAULT_ITER 5
#define WORLD_DEFAULT_MIN_COUNT 5

typedef struct World World;

/* Parses a world description from text; errors are "name:line: reason". */
World *world_parse(const char *text, size_t len, const char *name, Err *e);
World *world_load(const char *path, Err *e);
/* The description compiled into the binary (assets/world/world.txt). */
World *world_builtin(Err *e);
void world_destroy(World *w);

/* Introspection (tests, the UI): words by id (0..count-1, first-seen order) and the sections
 * in file order. A category item is one word (*b = NULL); a relation item is a pair. */
uint32_t world_word_count(const World *w);
const char *world_word(const World *w, uint32_t id);
uint32_t world_section_count(const World *w);
const char *world_section_info(const World *w, uint32_t i, bool *is_relation, uint32_t *items);
void world_section_item(const World *w, uint32_t i, uint32_t j, const char **a, const char **b);

#endif
