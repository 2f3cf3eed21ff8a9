/* The negative-sampling noise distribution, unigram^0.75, as a Walker/Vose alias table:
 * O(1) per draw from 8 bytes per word (word2vec.c uses a 400 MB table of 1e8 ints).
 * Immutable after noise_init; any number of threads may draw. */
#ifndef EMBEDSCOPE_NOISE_H
#define EMBEDSCOPE_NOISE_H
#include "model/base/err.h"
#include <stdint.h>

/* One slot of the table: a draw lands in slot i, keeps i with probability threshold / 2^32,
 * otherwise returns alias. Both in one 8-byte record, so a draw touches one cache line. */
typedef struct NoiseSlot {
    uint32_t threshold;
    int32_t alias;
} NoiseSlot;

typedef struct Noise {
    NoiseSlot *slot; /* (n) */
    int64_t n;
} Noise;

bool noise_init(Noise *z, const uint64_t *counts, int64_t n, double power, Err *e);
void noise_deinit(Noise *z);
/* One draw from a 64-bit uniform random number. */
static inline int32_t noise_draw(const Noise *z, uint64_t r)
{
    uint32_t slot = (uint32_t)(((r >> 32) * (uint64_t)z->n) >> 32);
    NoiseSlot s = z->slot[slot];
    return (uint32_t)r < s.threshold ? (int32_t)slot : s.alias;
}

#endif
