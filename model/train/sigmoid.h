/* The sigmoid of word2vec's updates, shared by the portable and the AVX-512 kernels: a table
 * over [-SGNS_MAX_EXP, SGNS_MAX_EXP] (filled by sgns_init_table), read at the nearest entry,
 * and the exact log-sigmoid of the loss terms. Pure inline functions; any thread. */
#ifndef EMBEDSCOPE_SIGMOID_H
#define EMBEDSCOPE_SIGMOID_H
#include <math.h>

#define SGNS_MAX_EXP 6.0f      /* sigmoid is saturated beyond +-6, as in word2vec.c */
#define SGNS_TABLE_SIZE 1024   /* entries of the sigmoid table over [-6, 6] */

static inline float sigmoid_lookup(const float *sig, float f)
{
    if (f >= SGNS_MAX_EXP)
        return 1.0f;
    if (f <= -SGNS_MAX_EXP)
        return 0.0f;
    /* Round to the nearest table entry. */
    int i = (int)((f + SGNS_MAX_EXP) * (SGNS_TABLE_SIZE / (2.0f * SGNS_MAX_EXP)) + 0.5f);
    return sig[i];
}

static inline float sigmoid_log(float f)
{
    /* -log(1 + e^-f), stable for large |f| */
    return f > 0 ? -log1pf(expf(-f)) : f - log1pf(expf(f));
}

#endif
