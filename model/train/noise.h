/* The negative-sampling noise distribution, unigram^0.75, as a Walker/Vose alias table:
 * O(1) per draw from 8 bytes per word (word2vec.c uses a 400 MB table of 1e8 ints).
 * Immutable after noise_init; any number of threads may draw. */
#ifndef EMBEDSCOPE_NOISE_H
#define EMBEDSCOPE_NOISE_H
#include "model/base/err.h"
#include <stdint.h>

typedef struct Noise {
    uint32_t *threshold; /* (n) keep slot i with probability threshold[i] / 2^32 */
    int32_t *alias;      /* (n) otherwise return alias[i] */
    int64_t n;
} Noise;

bool noise_init(Noise *z, const uint64_t *counts, int64_t n, double power, Err *e);
void noise_deinit(Noise *z);
/* One draw from a 64-bit uniform random number. */
static inline int32_t noise_draw(const Noise *z, uint64_t r)
{
    uint32_t slot = (uint32_t)(((r >> 32) * (uint64_t)z->n) >> 32);
    return (uint32_t)r < z->threshold[slot] ? (int32_t)slot : z->alias[slot];
}

#endif
