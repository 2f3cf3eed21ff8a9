/* The kinds of vector file and what a load found: the types vecfile.h's callers and the
 * format readers behind it share (types only; the functions are in vecfile.h). */
#ifndef EMBEDSCOPE_VECFORMAT_H
#define EMBEDSCOPE_VECFORMAT_H
#include <stdbool.h>
#include <stdint.h>

/* VEC_TEXT: word2vec text, also fastText .vec ("rows dim" header, then "word v1 ... vdim").
 * VEC_BINARY: word2vec binary (the header, then "word " + dim little-endian float32).
 * VEC_GLOVE: text rows without a header. VEC_PROJECTOR: the TensorBoard projector's
 * vectors.tsv, rows of tab-separated floats and nothing else; row i is named "i" (decimal)
 * unless metadata.tsv labels it. VEC_AUTO: by content, see sniff.h for the rules. */
typedef enum { VEC_AUTO = 0, VEC_TEXT, VEC_BINARY, VEC_GLOVE, VEC_PROJECTOR } VecFormat;

/* The fraction of the file read so far (of the compressed bytes for gzip), called from the
 * loading thread every few MB. Returning false cancels: the load fails with "cancelled". */
typedef bool (*VecProgressFn)(void *ctx, double fraction);

/* Which row of a repeated word a load keeps. */
enum { VEC_DUP_KEEP_FIRST = 0 };

/* What a load found, for the UI and the CLI to report. */
typedef struct VecInfo {
    VecFormat format;      /* the format actually read (never VEC_AUTO after a success) */
    int64_t header_rows;   /* rows the header declares; -1 without a header (GloVe, projector) */
    int64_t rows_read;     /* rows parsed, duplicates included */
    int64_t duplicates;    /* rows skipped because an earlier row had the same word: the
                            * first row of a word is kept (VEC_DUP_KEEP_FIRST, as gensim) */
    int dup_rule;          /* VEC_DUP_KEEP_FIRST, the one rule */
    int64_t dup_first_row; /* 1-based row (in file order) of the first skipped one; 0: none */
    char dup_first_word[48]; /* its word, shown as in messages (cut, \xNN escapes) */
    int64_t truncated;     /* words or labels cut to VOCAB_MAX_WORD bytes (at a UTF-8 boundary) */
    bool limited;          /* stopped early because of max_words */
    bool compressed;       /* the file was gzip (read through zlib) */
    /* projector labels (tbproj.h) */
    bool metadata;         /* labels came from a metadata file */
    bool metadata_header;  /* it had a header row (more than one column) */
    int metadata_columns;  /* tab-separated columns per metadata line */
    int64_t renamed;       /* labels adjusted to make distinct valid words (see tbproj.h) */
} VecInfo;

#endif
