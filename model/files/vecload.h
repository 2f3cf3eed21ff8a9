/* A vector load in progress, shared by the format readers (w2v_text, w2v_bin, tbproj) and
 * vecfile: the reader, the growing row matrix and vocabulary, and messages naming the file
 * with its line or byte offset. The matrix is capped by what the input can really hold, so a
 * lying header cannot make us allocate for it. One thread per VecLoad. */
#ifndef EMBEDSCOPE_VECLOAD_H
#define EMBEDSCOPE_VECLOAD_H
#include "model/base/err.h"
#include "model/files/readbuf.h"
#include "model/files/vecformat.h"
#include "model/text/vocab.h"
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VECLOAD_NAME_SHOWN 120 /* bytes of a path shown in messages, so the reason fits in Err */

typedef struct VecLoad {
    ReadBuf r;
    char name[VECLOAD_NAME_SHOWN + 4];
    Err *e;
    locale_t loc;          /* "C": a decimal point whatever the process locale */
    VecFormat fmt;
    int64_t line;          /* text: 1-based line last read */
    int64_t header_rows;   /* -1: no header */
    int64_t max_words;     /* 0: all */
    int dim, stride;
    float *vec;            /* (cap, stride), EMB_ALIGN-aligned, zeroed padding */
    int64_t cap, rows;     /* rows kept */
    Vocab voc;
    VecInfo info;
} VecLoad;

/* Zeroes L and names it (paths longer than VECLOAD_NAME_SHOWN keep their end). */
void vecload_init(VecLoad *L, const char *name, int64_t max_words, Err *e);

/* "name: reason", "name:line N: reason", "name: byte N[ (uncompressed)]: reason"; false. */
bool vecload_fail(VecLoad *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool vecload_fail_line(VecLoad *L, int64_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool vecload_fail_byte(VecLoad *L, uint64_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A word for a one-line message: at most ~40 bytes, control bytes and invalid UTF-8 as \xNN. */
const char *vecload_shown(char out[200], const char *w, size_t n);

/* L->dim values from [p, end) into dst; errors name the line and, when w is not NULL, the
 * row's word w (wl bytes): "value 2 of 'cat' is NaN". */
bool vecload_values(VecLoad *L, const char *p, const char *end, float *dst, const char *w, size_t wl);

/* Next non-blank line, trimmed, counting lines; READBUF_* codes, the error set on failures. */
int vecload_next_line(VecLoad *L, char **s, size_t *n);
/* Checks dim against 1..EMB_MAX_DIM (naming the current line) and sets dim and stride. */
bool vecload_set_dim(VecLoad *L, long long dim);

/* Most rows this load can end with: the header, max_words, and (for regular files and
 * memory) the rows kept so far plus the rows of min_row_bytes the unread bytes can hold. */
int64_t vecload_row_bound(const VecLoad *L, uint64_t min_row_bytes);
/* First allocation: the bound, but when the input size is unknown (a pipe) at most 16 MiB of
 * rows; vecload_reserve_row grows it as rows really arrive. */
bool vecload_first_rows(VecLoad *L, int64_t bound);
/* First allocation for a file without a header, whose first line is n bytes long. */
bool vecload_first_rows_like(VecLoad *L, size_t n, uint64_t min_row_bytes);
/* Room for row L->rows: grow by half again, never past what the input can hold. */
bool vecload_reserve_row(VecLoad *L, uint64_t min_row_bytes);
/* Row L->rows of the matrix. */
static inline float *vecload_row(VecLoad *L) { return L->vec + L->rows * (int64_t)L->stride; }
/* Cuts an over-long word at VOCAB_MAX_WORD bytes (counted in info.truncated). */
size_t vecload_cut_word(VecLoad *L, const char *w, size_t n);
/* Adds word (already cut) for the row just parsed into slot L->rows; a repeated word keeps
 * the first row, as gensim does, and is counted. */
bool vecload_keep_row(VecLoad *L, const char *w, size_t n);

#endif
