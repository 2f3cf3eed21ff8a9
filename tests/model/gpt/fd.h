/* Helpers of the transformer's gradient tests: seeded random fills and a central
 * finite-difference check of an analytic gradient. Single-threaded test code. */
#ifndef EMBEDSCOPE_TESTS_GPT_FD_H
#define EMBEDSCOPE_TESTS_GPT_FD_H
#include "model/base/rng.h"
#include <math.h>

static inline void fill(float *p, int n, double scale, uint64_t *s)
{
    for (int i = 0; i < n; i++)
        p[i] = (float)(scale * rng_gauss(s));
}

/* A scalar function of the inputs, recomputed after each nudge. */
typedef double (*FdLoss)(void *ctx);

/* Largest |numeric - analytic| over the entries idx[0..n) of x (every entry when idx is
 * NULL), relative to the largest |analytic| among them (at least floor). Numeric is the
 * central difference (f(x + h) - f(x - h)) / 2h. */
static inline double fd_error(FdLoss f, void *ctx, float *x, const float *ana, const int *idx,
                              int n, float h, double floor)
{
    double worst = 0, big = floor;
    for (int k = 0; k < n; k++) {
        int i = idx ? idx[k] : k;
        float keep = x[i];
        x[i] = keep + h;
        double up = f(ctx);
        x[i] = keep - h;
        double down = f(ctx);
        x[i] = keep;
        double num = (up - down) / (2.0 * (double)h);
        double diff = fabs(num - (double)ana[i]);
        worst = diff > worst ? diff : worst;
        big = fabs((double)ana[i]) > big ? fabs((double)ana[i]) : big;
    }
    return worst / big;
}

#endif
