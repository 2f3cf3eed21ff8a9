/* Every column of a metadata file (the projector's metadata.tsv, or a TSV for any vectors
 * file such as a word -> part-of-speech table), for colouring points by it. Any thread; no
 * shared state.
 *
 * The file: a header line "key<TAB>name<TAB>..." (at least two columns: a one-column file is
 * the projector's labels only, nothing to colour by), then one row per point with exactly as
 * many tab-separated cells. Column 0 is the key: the word, or for a projector pair simply the
 * row's label (rows are then matched by position). A UTF-8 byte order mark and CRLF endings
 * are accepted.
 *
 * Each column after the key is classed:
 *   numeric      every non-blank cell is a finite number (C locale, as strtod reads it); blank
 *                cells are missing. Exception: integers with at most META_MAX_CATEGORIES
 *                distinct values (cluster ids, classes) are categorical.
 *   categorical  otherwise: distinct values counted (compared by their first VOCAB_MAX_WORD
 *                bytes); more than META_MAX_CATEGORIES of them keep the META_MAX_CATEGORIES - 1
 *                most common and group the rest as "other". Ties: bytewise order.
 *
 * Hostile input gives one error naming the file and line: a row with another number of cells
 * than the header, a line over READBUF_MAX_LINE bytes, more than META_MAX_COLUMNS columns or
 * META_MAX_CELLS cells, a file over META_MAX_BYTES. It degrades as documented instead for:
 * NUL bytes (read as '_', as tbproj does for labels), invalid UTF-8 and control bytes in names
 * shown on screen ('?'; the values themselves are kept as bytes), long names (cut to
 * META_NAME_MAX - 1 bytes at a UTF-8 boundary), and any number of distinct values. */
#ifndef EMBEDSCOPE_META_H
#define EMBEDSCOPE_META_H
#include "model/base/err.h"
#include "model/text/vocab.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define META_MAX_BYTES (256u << 20)
#define META_MAX_COLUMNS 1024
#define META_MAX_CELLS (32ll << 20) /* rows x columns: 128 MB of cell offsets at most */
#define META_MAX_CATEGORIES 20      /* 19 most common values + "other" when there are more */
#define META_NAME_MAX 64
#define META_MISSING 255            /* MetaColumn.code of a blank cell */

typedef enum MetaKind { META_CATEGORICAL = 0, META_NUMERIC = 1 } MetaKind;

typedef struct MetaCategory {
    char name[META_NAME_MAX];   /* display-safe; "other" for the grouped rest */
    int64_t count;              /* rows of the file with it */
} MetaCategory;

typedef struct MetaColumn {
    char name[META_NAME_MAX];   /* from the header, display-safe */
    MetaKind kind;
    int64_t missing;            /* blank cells */
    int64_t distinct;           /* distinct non-blank values */
    float lo, hi;               /* numeric: smallest and largest value (0, 0 if none) */
    float *num;                 /* numeric: (rows) the value, NaN when blank */
    uint8_t *code;              /* categorical: (rows) category index, META_MISSING when blank */
    int ncat;                   /* categorical: categories, the "other" one included */
    bool other;                 /* categorical: the last category groups the rarer values */
    MetaCategory cat[META_MAX_CATEGORIES];
} MetaColumn;

typedef struct Meta {
    char name[256];             /* the file, for messages */
    int ncols;                  /* header columns, the key included (>= 2 when loaded) */
    MetaColumn *col;            /* (ncols); col[0] is the key and is not classed */
    int64_t rows;               /* data rows (after the header) */
    char *text;                 /* the file with every cell NUL-terminated */
    uint32_t *cell;             /* (rows + 1, ncols) offset of each cell in text; row 0 the header */
} Meta;

void meta_init(Meta *m);
void meta_deinit(Meta *m);

/* Parses [data, data + len) (name: for messages). m is replaced on success only. */
bool meta_parse(Meta *m, const char *name, const char *data, size_t len, Err *e);
/* The same from a regular file of at most META_MAX_BYTES bytes. */
bool meta_load(Meta *m, const char *path, Err *e);

/* Cell (row, col) as stored (NUL-terminated; row < rows, col < ncols). */
static inline const char *meta_value(const Meta *m, int64_t row, int col)
{
    return m->text + m->cell[(size_t)(row + 1) * (size_t)m->ncols + (size_t)col];
}

/* row_of[i] (v->size entries) = the metadata row of word i, or -1. by_row: row i of a
 * projector pair (the labels were read from this very file, so positions line up); else by the
 * key = the word (whitespace in a key never matches; a repeated key keeps its first row).
 * Returns the number of words without a row. */
int64_t meta_match(const Meta *m, const Vocab *v, bool by_row, int64_t *row_of);

/* Does [data, data + len) (the start of a file) look like a metadata file: a first line of at
 * least two tab-separated fields that are not all numbers (a vectors.tsv row)? For classing
 * files by content. */
bool meta_sniff(const char *data, size_t len);

#endif
