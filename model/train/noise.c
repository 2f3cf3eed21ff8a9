/* Alias table for the noise distribution: see noise.h. Built once on the caller's thread. */
#include "model/train/noise.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void noise_deinit(Noise *z)
{
    if (!z)
        return;
    free(z->slot);
    memset(z, 0, sizeof *z);
}

bool noise_init(Noise *z, const uint64_t *counts, int64_t n, double power, Err *e)
{
    memset(z, 0, sizeof *z);
    if (n <= 0 || n > INT32_MAX)
        return err_set(e, "noise table: bad vocabulary size %lld", (long long)n);
    double *p = malloc((size_t)n * sizeof *p);
    int32_t *small = malloc((size_t)n * sizeof *small), *large = malloc((size_t)n * sizeof *large);
    z->slot = malloc((size_t)n * sizeof *z->slot);
    if (!p || !small || !large || !z->slot) {
        free(p), free(small), free(large);
        noise_deinit(z);
        return err_set(e, "out of memory for the noise table of %lld words", (long long)n);
    }
    double sum = 0;
    for (int64_t i = 0; i < n; i++)
        sum += p[i] = pow((double)counts[i], power);
    int64_t ns = 0, nl = 0;
    for (int64_t i = 0; i < n; i++) {
        p[i] = sum > 0 ? p[i] * (double)n / sum : 1.0; /* mean 1 */
        if (p[i] < 1.0)
            small[ns++] = (int32_t)i;
        else
            large[nl++] = (int32_t)i;
    }
    while (ns && nl) {
        int32_t s = small[--ns], l = large[nl - 1];
        z->slot[s] = (NoiseSlot){(uint32_t)fmin(p[s] * 4294967296.0, 4294967295.0), l};
        p[l] -= 1.0 - p[s];
        if (p[l] < 1.0) {
            nl--;
            small[ns++] = l;
        }
    }
    /* Leftovers are 1 up to rounding: always keep. */
    while (nl) {
        int32_t l = large[--nl];
        z->slot[l] = (NoiseSlot){UINT32_MAX, l};
    }
    while (ns) {
        int32_t s = small[--ns];
        z->slot[s] = (NoiseSlot){UINT32_MAX, s};
    }
    z->n = n;
    free(p), free(small), free(large);
    return true;
}
