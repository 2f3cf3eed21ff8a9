/* The trainer's per-thread random stream, xorshift64* (Vigna 2016): a multiply and three
 * shifts per draw, which matters at one draw per word. The state must be non-zero. Pure
 * function of caller-owned state; any thread. */
#ifndef EMBEDSCOPE_XORSHIFT_H
#define EMBEDSCOPE_XORSHIFT_H
#include <stdint.h>

static inline uint64_t xorshift_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ull;
}

#endif
