/* Dense regions of a 2D layout (UMAP, t-SNE): the points' density on a grid (a histogram
 * blurred by a Gaussian), its local maxima that stand out from their surroundings by a
 * prominence threshold, and each point assigned to the peak whose basin its cell lies in.
 * Naming the regions is typical.h's job. Pure function of its inputs: any thread. */
#ifndef EMBEDSCOPE_REGIONS_H
#define EMBEDSCOPE_REGIONS_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stdint.h>

/* Zero means default (regions_desc_defaults fills them in). */
typedef struct RegionsDesc {
    int grid;           /* cells along the longer side of the points' extent: 128 */
    double sigma;       /* Gaussian blur, layout units; 0: smooth x Scott's rule for two
                           dimensions, rows^(-1/6) x the points' RMS spread about their mean */
    double smooth;      /* factor on Scott's bandwidth when sigma is 0: 0.3 (Scott's rule is
                           made for one bump: on a UMAP of 61,561 words it found 6 regions,
                           0.3 finds 36, among them "sail boat tackle anchor") */
    double prominence;  /* a peak counts when it rises this fraction of the highest peak's
                           density above the saddle to any higher peak: 0.05 */
    double noise;       /* and when its prominence is this many standard deviations of its
                           height's Poisson noise (the count under the blur): 3; < 0: off */
    double floor;       /* cells below this fraction of the highest density are in no region: 0.02 */
    int64_t min_size;   /* fewer members: no region (its points in none); 0: max(10, rows / 1000) */
    int max_regions;    /* the most prominent ones kept: 64 */
} RegionsDesc;

RegionsDesc regions_desc_defaults(const RegionsDesc *d, int64_t rows);

typedef struct Region {
    float x, y;         /* the peak's cell centre, layout units */
    double height;      /* blurred points per cell at the peak */
    double prominence;  /* above its highest saddle to a higher peak (the highest: its height) */
    int64_t size;       /* members */
} Region;

typedef struct Regions {
    int n;
    Region *region;     /* (n) most prominent first */
    int32_t *member;    /* (rows) region of each point, -1: none */
    int64_t rows;
} Regions;

/* Finds the regions of xy ((rows, stride) floats, x and y the first two of each row; stride
 * >= 2, so (rows, 3) with z ignored works). Replaces *out's contents only on success. False
 * (e says why) on a bad shape, a non-finite coordinate or no memory. All points equal (or one
 * point) make one region of every point. */
bool regions_find(Regions *out, const float *xy, int64_t rows, int stride, const RegionsDesc *d,
                  Err *e);
void regions_deinit(Regions *r);

#endif
