/* Bookmarks: a saved view of the explorer (what was open, the camera, the selection, pinned
 * expressions, the training settings) as a small text file a person can read and edit. Any
 * thread; no shared state.
 *
 * The file is UTF-8 text, one `key = value` per line; blank lines and lines whose first
 * non-blank byte is '#' are ignored. The first key must be `version = 1`. `word` (up to
 * BOOKMARK_MAX_WORDS times) and `pin` (up to BOOKMARK_MAX_PINS) may repeat, in order; any other
 * key at most once. A value is the rest of the line after the first '=', without the blanks
 * (spaces, tabs) around it, so '=', '#' and quotes inside a value are literal. Backslash
 * escapes keep everything else representable: `\\` a backslash, `\n` `\r` `\t` those
 * controls, `\s` a space (the saver writes it for a leading or trailing space), `\xHH` any
 * byte (the saver writes it for other control bytes and bytes that are not valid UTF-8). A NUL
 * byte is refused. Numbers are C-locale decimals; NaN and infinities are refused.
 *
 * Keys and ranges:
 *   source      corpus or vectors path, up to BOOKMARK_MAX_PATH - 1 bytes
 *   view        lowercase name [a-z0-9_-], up to 31 bytes ("space", "table", "positions", ...)
 *   two_d       0 or 1
 *   rotation    x y z w: camera orientation quaternion, length within 1e-3 of 1
 *   target      x y z: the point the camera orbits; each |v| <= 1e9
 *   distance    camera distance, in (0, 1e9]
 *   label_size  1..200 (points)        k           1..1000 (neighbours)
 *   selected    the selected word (may be empty), up to VOCAB_MAX_WORD bytes
 *   word        another selected word (non-empty), up to VOCAB_MAX_WORD bytes
 *   pin         a pinned expression such as "king - man + woman", up to 255 bytes
 *   projection  a name as view: "pca", "axes", "umap", "tsne" (the window checks which)
 *   axis_x axis_y  the custom axes' texts ("man -> woman"; axis_y may be empty), up to 127
 *               bytes each
 *   color_by    "cluster", "frequency", "movement" or "metadata COLUMN", up to 127 bytes
 *   density     a name as view: "auto", "on", "points" (how big clouds are drawn)
 *   layout_neighbors 0..256, layout_min_dist 0..10, layout_perplexity 0..200, layout_epochs
 *               0..10000: the neighbour layouts' parameters, as the projection panel takes
 *               them (0: the default)
 *   model       sg or cbow
 *   dim window negative sample alpha epochs min_count threads seed: the training settings, in
 *               the ranges of the TrainParam of the same name (model/train/train_desc.c), as a
 *               person types them (negative 0 and sample 0 are "off")
 * Errors are "FILE:line N: reason" (unknown key, repeated key, bad or out-of-range number,
 * line longer than BOOKMARK_MAX_LINE, no version line, ...). */
#ifndef EMBEDSCOPE_BOOKMARK_H
#define EMBEDSCOPE_BOOKMARK_H
#include "model/base/err.h"
#include "model/text/vocab.h"
#include "model/train/train_desc.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BOOKMARK_VERSION 1
#define BOOKMARK_MAX_PATH 4096   /* bytes with the NUL */
#define BOOKMARK_MAX_VIEW 32     /* bytes with the NUL */
#define BOOKMARK_MAX_PIN 256     /* bytes with the NUL */
#define BOOKMARK_MAX_WORDS 16
#define BOOKMARK_MAX_PINS 4
#define BOOKMARK_MAX_AXIS 128    /* bytes with the NUL: an axis or a colouring */
#define BOOKMARK_MAX_LINE 20000  /* bytes: a longest path written all as \xHH, plus the key */
#define BOOKMARK_MAX_FILE (1u << 20) /* bytes: a real bookmark is a few KiB */

/* Bits of Bookmark.set: which single-valued fields hold a value. Zero is "nothing set", so a
 * zeroed Bookmark is empty and a value of 0 (seed 0, sample 0, two_d 0) is still expressible. */
enum {
    BOOKMARK_SOURCE = 1u << 0,
    BOOKMARK_VIEW = 1u << 1,
    BOOKMARK_TWO_D = 1u << 2,
    BOOKMARK_ROTATION = 1u << 3,
    BOOKMARK_TARGET = 1u << 4,
    BOOKMARK_DISTANCE = 1u << 5,
    BOOKMARK_LABEL_SIZE = 1u << 6,
    BOOKMARK_K = 1u << 7,
    BOOKMARK_SELECTED = 1u << 8,
    BOOKMARK_MODEL = 1u << 9,
    BOOKMARK_DIM = 1u << 10,
    BOOKMARK_WINDOW = 1u << 11,
    BOOKMARK_NEGATIVE = 1u << 12,
    BOOKMARK_SAMPLE = 1u << 13,
    BOOKMARK_ALPHA = 1u << 14,
    BOOKMARK_EPOCHS = 1u << 15,
    BOOKMARK_MIN_COUNT = 1u << 16,
    BOOKMARK_THREADS = 1u << 17,
    BOOKMARK_SEED = 1u << 18,
    BOOKMARK_PROJECTION = 1u << 19,
    BOOKMARK_AXIS_X = 1u << 20,
    BOOKMARK_AXIS_Y = 1u << 21,
    BOOKMARK_COLOR_BY = 1u << 22,
    BOOKMARK_DENSITY = 1u << 23,
    BOOKMARK_LAYOUT_NEIGHBORS = 1u << 24,
    BOOKMARK_LAYOUT_MIN_DIST = 1u << 25,
    BOOKMARK_LAYOUT_PERPLEXITY = 1u << 26,
    BOOKMARK_LAYOUT_EPOCHS = 1u << 27,
};

typedef enum { BOOKMARK_SG = 0, BOOKMARK_CBOW = 1 } BookmarkModel;

typedef struct Bookmark {
    uint32_t set;                         /* BOOKMARK_* bits */
    char source[BOOKMARK_MAX_PATH];       /* corpus or vectors path */
    char view[BOOKMARK_MAX_VIEW];
    bool two_d;
    float rotation[4];                    /* quaternion x, y, z, w */
    float target[3];                      /* world units */
    float distance;                       /* world units */
    int label_size;                       /* points */
    int k;                                /* neighbours shown */
    char selected[VOCAB_MAX_WORD + 1];
    int n_words;                          /* extra selected words in words[0..n_words) */
    char words[BOOKMARK_MAX_WORDS][VOCAB_MAX_WORD + 1];
    int n_pins;                           /* pinned expressions in pins[0..n_pins) */
    char pins[BOOKMARK_MAX_PINS][BOOKMARK_MAX_PIN];
    char projection[BOOKMARK_MAX_VIEW];   /* "pca", "axes", "umap", "tsne" */
    char axis[2][BOOKMARK_MAX_AXIS];      /* custom axes: "man -> woman", "bad -> good" */
    char color_by[BOOKMARK_MAX_AXIS];     /* "cluster", "frequency", "movement", "metadata COL" */
    char density[BOOKMARK_MAX_VIEW];      /* "auto", "on", "points" */
    int layout_neighbors, layout_epochs;  /* UMAP / t-SNE parameters (0: the default) */
    double layout_min_dist, layout_perplexity;
    /* training settings */
    BookmarkModel model;
    int dim, window, negative, epochs, min_count, threads;
    double sample, alpha;
    uint64_t seed;
} Bookmark;

/* Reads path into out; out is untouched unless it succeeds. */
bool bookmark_load(const char *path, Bookmark *out, Err *e);
/* The same parser over memory (name stands for the path in messages). */
bool bookmark_parse(const char *name, const char *text, size_t len, Bookmark *out, Err *e);
/* The training settings b holds, over d's (each key b has set replaces d's field), read through
 * the TrainParam table: negative or sample 0 become "off" (-1), epochs is d->iter. A value
 * outside the table's range (only a Bookmark filled by hand has one) leaves d's field. */
void bookmark_apply_train(const Bookmark *b, TrainDesc *d);
/* Stores d's training settings (give the values in use: train_desc_defaults' or
 * trainer_desc's) in b and marks them set; "off" is stored as 0. False when some value is
 * outside its range; that key is left unset. */
bool bookmark_store_train(Bookmark *b, const TrainDesc *d);
/* Writes atomically (temp file in the same folder, fsync, rename): a failure leaves any older
 * file as it was. Refuses a bookmark that bookmark_load would refuse. */
bool bookmark_save(const char *path, const Bookmark *b, Err *e);
/* The text bookmark_save writes, to f (for tests and tools). Same checks as bookmark_save. */
bool bookmark_write(const Bookmark *b, FILE *f, const char *name, Err *e);

#endif
