/* Names for groups of rows (k-means clusters, dense regions of a layout) by their most typical
 * words: members near their group's centre and distinctive for it, so a legend reads as topics
 * rather than as the most frequent words ("she, her, him") or one-off tokens ("277, tic").
 * Pure function of its inputs, no shared state: any thread. */
#ifndef EMBEDSCOPE_TYPICAL_H
#define EMBEDSCOPE_TYPICAL_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stdint.h>

#define TYPICAL_MAX_WORDS 16

/* Zero means default (typical_desc_defaults fills them in). */
typedef struct TypicalDesc {
    int words;          /* names per group, <= TYPICAL_MAX_WORDS: 3 */
    int64_t floor_rows; /* frequency floor: rows are in frequency order (word2vec files, our
                           trainer), and only the first floor_rows may name a group; 0:
                           max(1000, rows / 8). A group with fewer than `words` members above
                           the floor is named by its most frequent members instead */
    double other;       /* weight of the distinctiveness term (below): 1; a negative value
                           means 0 (pure centrality) */
} TypicalDesc;

TypicalDesc typical_desc_defaults(const TypicalDesc *d, int64_t rows);

/* Score of a unit row x in group g: cos(x, centre of g) - other * max over the other groups h
 * of cos(x, centre of h), where a centre is the normalised sum of its members' unit vectors and
 * the rows in no group (group -1), when there are any, are one more "other" group. A single
 * group of every row has no other term: its names are its most central members.
 *
 * Names each group of vec ((rows, stride) floats, stride >= dim): group[r] in -1..ngroups-1.
 * Writes names ((ngroups, words) row indices, best first, -1 padded: an empty group has none).
 * Zero rows are never names. False (e says why) on a bad shape, a group id out of range, a
 * non-finite value or no memory. */
bool typical_name(const float *vec, int64_t rows, int dim, int stride, const int32_t *group,
                  int ngroups, const TypicalDesc *d, int64_t *names, Err *e);

#endif
