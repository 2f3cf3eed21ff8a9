/* Vector files: word2vec text (also fastText .vec), word2vec binary, GloVe text (no header)
 * and the TensorBoard projector's vectors.tsv (no words; see projector.h for its labels).
 * Loaders treat every file as hostile. Any thread; no shared state. */
#ifndef EMBEDSCOPE_W2V_IO_H
#define EMBEDSCOPE_W2V_IO_H
#include "model/vectors/embed.h"
#include "model/base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* W2V_PROJECTOR: rows of tab-separated floats and nothing else; row i is named "i" (decimal).
 * W2V_AUTO picks it when the first line is tab-separated numbers with no space and the next
 * lines at hand are numbers too, so a vectors.tsv is never taken for GloVe (whose first
 * number would become a word) and a GloVe file starting with a number word ("1990") is not
 * taken for a vectors.tsv. */
typedef enum { W2V_AUTO = 0, W2V_TEXT, W2V_BINARY, W2V_GLOVE, W2V_PROJECTOR } W2vFormat;

/* Longest text line (and longest binary word) a loader accepts, in bytes: a row of
 * EMB_MAX_DIM values at ~100 bytes each. Longer input is an error, not an allocation. */
#define W2V_MAX_LINE (1 << 20)

/* Loads path into out (emb_init'ed; replaced only on success). max_words > 0 keeps the first
 * max_words rows. The format is detected from content when fmt is W2V_AUTO; gzip files are
 * decompressed on the fly. Errors name the file and the line (text) or byte offset (binary).
 * Counts are set to rows - index so the vocabulary order (by frequency, as files are written)
 * is kept by vocab_sort. */
bool w2v_load(const char *path, W2vFormat fmt, int64_t max_words, Embeddings *out, Err *e);
/* Writes word2vec text or binary atomically (temp file in the same folder, fsync, rename). */
bool w2v_save(const char *path, const Embeddings *emb, bool binary, Err *e);
const char *w2v_format_name(W2vFormat f);

/* What a load found, for the UI and the CLI to report. */
typedef struct W2vInfo {
    W2vFormat format;      /* the format actually read (never W2V_AUTO after a success) */
    int64_t header_rows;   /* rows the header declares; -1 for GloVe (no header) */
    int64_t rows_read;     /* rows parsed, duplicates included */
    int64_t duplicates;    /* rows skipped because an earlier row had the same word */
    int64_t truncated;     /* words cut to VOCAB_MAX_WORD bytes (at a UTF-8 boundary) */
    bool limited;          /* stopped early because of max_words */
    bool compressed;       /* the file was gzip (read through zlib) */
} W2vInfo;

/* w2v_load with a report (info may be NULL). */
bool w2v_load_ex(const char *path, W2vFormat fmt, int64_t max_words, Embeddings *out,
                 W2vInfo *info, Err *e);
/* Progress of a load from a file: the fraction of the file read so far (of the compressed
 * bytes for gzip), called from the loading thread every few MB. Returning false cancels: the
 * load fails with "cancelled" and out is untouched. */
typedef bool (*W2vProgressFn)(void *ctx, double fraction);
/* w2v_load_ex with progress (progress may be NULL). */
bool w2v_load_progress(const char *path, W2vFormat fmt, int64_t max_words, Embeddings *out,
                       W2vInfo *info, W2vProgressFn progress, void *ctx, Err *e);
/* The same loader over a memory buffer; name stands for the path in messages. Used by the
 * fuzz targets and by callers that already hold the bytes. */
bool w2v_load_mem(const char *name, const void *data, size_t len, W2vFormat fmt,
                  int64_t max_words, Embeddings *out, W2vInfo *info, Err *e);

#endif
