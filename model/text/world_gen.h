/* The demo world's sentence generator: a seeded, endless, allocation-free stream of sentences
 * about a World (the @world corpus). The World is shared read-only; each thread drives its own
 * WorldGen. */
#ifndef EMBEDSCOPE_WORLD_GEN_H
#define EMBEDSCOPE_WORLD_GEN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* world.h's type, named here rather than included: world.c calls world_gen_prepare, so
 * including world.h would make the two headers a cycle. */
typedef struct World World;
typedef struct WorldGen WorldGen;

WorldGen *world_gen_create(const World *w, uint64_t seed);
void world_gen_destroy(WorldGen *g);
/* Writes one sentence ending in '\n' into buf (NUL-terminated, at most cap bytes including
 * the NUL) and returns its length without the NUL. A sentence longer than the buffer is cut at
 * a word boundary (it still ends in '\n'); cap < 2 writes at most the NUL and returns 0.
 * Allocation-free; the same seed always gives the same stream. */
size_t world_gen_sentence(WorldGen *g, char *buf, size_t cap);
/* A uniform draw in [0, n) from g's stream (also what world_sets.c draws its pairs with). */
uint32_t world_gen_below(WorldGen *g, uint32_t n);

/* Builds the indices the generator draws from (clause starts per word, section weights, the
 * Zipf noise table) into a freshly parsed w; false when out of memory. Called by world_parse
 * before the World is shared. */
bool world_gen_prepare(World *w);

#endif
