/* Smoothness of a position table: see posstats.h. The PC1 share comes from 60 power
 * iterations on the centred rows (x -> X^T X x, never forming the covariance, so a 512 x 768
 * table costs 60 passes over it); a start vector with weight on every axis converges to PC1
 * unless the top two variances tie, and then the estimate is one of the two, which is what the
 * share means there anyway. Any thread. */
#include "model/gpt/posstats.h"
#include <math.h>
#include <stdlib.h>

#define POWER_ITERS 60

static double cosine(const float *a, const float *b, int dim)
{
    double ab = 0, aa = 0, bb = 0;
    for (int j = 0; j < dim; j++) {
        ab += (double)a[j] * b[j];
        aa += (double)a[j] * a[j];
        bb += (double)b[j] * b[j];
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : 0;
}

/* Largest eigenvalue of the centred rows' covariance over its trace. */
static double pc1_share(const float *x, int rows, int dim)
{
    double *mean = calloc((size_t)dim, sizeof *mean), *v = malloc((size_t)dim * sizeof *v),
           *u = malloc((size_t)dim * sizeof *u);
    double share = NAN;
    if (!mean || !v || !u || rows < 2)
        goto done;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < dim; j++)
            mean[j] += (double)x[(long)i * dim + j] / rows;
    double trace = 0;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < dim; j++) {
            double d = x[(long)i * dim + j] - mean[j];
            trace += d * d;
        }
    for (int j = 0; j < dim; j++)
        v[j] = 1.0 + 0.01 * j; /* no axis has weight zero */
    double lambda = 0;
    for (int it = 0; it < POWER_ITERS; it++) {
        double norm = 0;
        for (int j = 0; j < dim; j++)
            norm += v[j] * v[j];
        norm = sqrt(norm);
        if (norm == 0)
            break;
        for (int j = 0; j < dim; j++)
            v[j] /= norm, u[j] = 0;
        lambda = 0;
        for (int i = 0; i < rows; i++) {
            const float *r = x + (long)i * dim;
            double proj = 0;
            for (int j = 0; j < dim; j++)
                proj += (r[j] - mean[j]) * v[j];
            lambda += proj * proj; /* Rayleigh quotient of the unit v */
            for (int j = 0; j < dim; j++)
                u[j] += proj * (r[j] - mean[j]);
        }
        for (int j = 0; j < dim; j++)
            v[j] = u[j];
    }
    share = trace > 0 ? lambda / trace : 0;
done:
    free(mean);
    free(v);
    free(u);
    return share;
}

GptPosStats gptp_measure(const float *t, int rows, int dim, bool pca)
{
    GptPosStats s = {.cos5_6 = NAN, .cos5_100 = NAN, .pc1 = NAN};
    double sum = 0;
    for (int i = 0; i + 1 < rows; i++)
        sum += cosine(t + (long)i * dim, t + (long)(i + 1) * dim, dim);
    s.adjacent = rows > 1 ? sum / (rows - 1) : 0;
    int half = rows / 2;
    sum = 0;
    for (int i = 0; i < half; i++)
        sum += cosine(t + (long)i * dim, t + (long)(i + half) * dim, dim);
    s.far = half > 0 ? sum / half : 0;
    if (rows > 6)
        s.cos5_6 = cosine(t + 5L * dim, t + 6L * dim, dim);
    if (rows > 100)
        s.cos5_100 = cosine(t + 5L * dim, t + 100L * dim, dim);
    if (pca)
        s.pc1 = pc1_share(t, rows, dim);
    return s;
}

bool gptp_smooth(const GptPosStats *s)
{
    return s->adjacent >= GPTP_ADJACENT_MIN && s->cos5_6 - s->cos5_100 >= GPTP_GAP_MIN;
}
