/* How smooth a learned position table is: the mean cosine of neighbouring rows, of far rows
 * (i and i + rows/2), cos(5, 6), cos(5, 100) and the share of the variance on the first
 * principal component (a few power iterations, computed here because model/analysis is above
 * model/gpt). Issue #15's test of "pos 5 is closer to pos 6 than to pos 100". Pure functions:
 * any thread. */
#ifndef EMBEDSCOPE_GPT_POSSTATS_H
#define EMBEDSCOPE_GPT_POSSTATS_H
#include <stdbool.h>

typedef struct GptPosStats {
    double adjacent;  /* mean cos(row i, row i+1) */
    double far;       /* mean cos(row i, row i + rows/2), i < rows/2 */
    double cos5_6;    /* NAN when the table has fewer than 7 rows */
    double cos5_100;  /* NAN when it has fewer than 101 */
    double pc1;       /* variance on PC1 / total variance of the centred rows */
} GptPosStats;

/* The smoothness issue #15 asks for: adjacent >= 0.5 and cos5_6 - cos5_100 >= 0.5. */
#define GPTP_ADJACENT_MIN 0.5
#define GPTP_GAP_MIN 0.5

/* Measures the table (rows, dim), dense. pc1 is skipped (NAN) when pca is false. */
GptPosStats gptp_measure(const float *table, int rows, int dim, bool pca);
bool gptp_smooth(const GptPosStats *s);

#endif
