/* Small seeded random-number helpers shared by model/: splitmix64 (Steele et al. 2014) as a
 * stateful generator and as a one-shot mixer of seeds, and draws built on it. Pure functions
 * of caller-owned state; any thread. */
#ifndef EMBEDSCOPE_RNG_H
#define EMBEDSCOPE_RNG_H
#include <math.h>
#include <stdint.h>

/* Next value of the splitmix64 stream whose state is *s. */
static inline uint64_t rng_splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Decorrelates a seed (or a combination of seeds) in one step. */
static inline uint64_t rng_mix(uint64_t x) { return rng_splitmix(&x); }

/* Uniform in [0, 1) with 53 random bits. */
static inline double rng_uniform01(uint64_t *s)
{
    return (double)(rng_splitmix(s) >> 11) / 9007199254740992.0;
}

/* Standard normal by Box-Muller from two 53-bit uniforms in (0, 1). */
static inline double rng_gauss(uint64_t *s)
{
    double u = ((double)(rng_splitmix(s) >> 11) + 0.5) / 9007199254740992.0;
    double v = ((double)(rng_splitmix(s) >> 11) + 0.5) / 9007199254740992.0;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

#endif
