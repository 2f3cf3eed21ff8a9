/* The one place that decides what a file is, from its first bytes: the session opener asks
 * "a corpus or vectors?", vecfile_load "which vector format?". Any thread; no state.
 *
 * Corpus or vectors (sniff_path). "@..." (the demo world) is a corpus. Otherwise the first
 * line of the first 4095 bytes (gzip decompressed; a UTF-8 byte order mark skipped, as the
 * loader skips it) is split on space, tab, '\r' and NUL, and
 * its first 64 fields decide: exactly two fields that are both integers ("rows dim": word2vec
 * text or binary, fastText .vec) is vectors; three or more whose second and later fields are
 * all numbers (strtod in the process locale, under 64 bytes, in range) is vectors (GloVe
 * "word x y ...", a projector vectors.tsv of 3 or more columns); anything else is a corpus,
 * as are an unreadable or empty file (the corpus reader then names the error), a blank first
 * line, and a projector file of 1 or 2 float
 * columns (the loader would read all three).
 * NaN and Inf count as numbers here (strtod reads them); the loader refuses them. A first
 * line of three or more fields with exactly one later field that is not a number is vectors
 * when the next line is a whole GloVe row of as many fields (a GloVe file with a bad value in
 * its first row, which the loader then names instead of the window training on it).
 *
 * Which vector format (vecfile_load with VEC_AUTO), in this order:
 * 1. sniff_foreign: files people try instead of vector files are named and refused: gzip
 *    inside gzip, a fastText .bin model, a Python pickle (gensim .model).
 * 2. A UTF-8 byte order mark is skipped and blank lines before the first row are passed.
 * 3. sniff_projector: the first line is tab-separated numbers with no space, and so are the
 *    next few lines (up to 8) already in the buffer (NaN and inf count as numbers, so the
 *    projector reader names them): VEC_PROJECTOR. A word2vec header and GloVe rows are
 *    space-separated, and a GloVe row starts with a word that may be a number ("1990"),
 *    hence the look at later lines.
 * 4. sniff_header: exactly two integer fields ("rows dim") is a header; anything else is
 *    VEC_GLOVE.
 * 5. After a header, sniff_binary. A file is binary only when its bytes are binary rows; a
 *    text file with a bad value stays text, so its parser names the line and column. Over
 *    the rows at hand (64 KiB and a row):
 *    0. Text if they all read as the header's text rows with finite values (even when the
 *       bytes are binary rows too: "1 1\n0 101\n").
 *    a. Text if the lines are text rows in all but their values: printable (no control byte
 *       but tab and CR, no DEL, bytes from 0x80 only as valid UTF-8), one line ending
 *       throughout (LF or CRLF), a word and exactly dim fields on each, no more rows than
 *       declared; AND either the bytes do not read as binary rows ("word " + dim finite
 *       float32, optional separators between rows, ending with the input when it ends in the
 *       window), or they do but not with word2vec.c's '\n' right after every row's floats,
 *       and some row has dim finite numbers or every field reads as a number (NaN, Inf and
 *       overflow, which the parser names). Bytes that are both, with that newline, stay
 *       binary, so whatever loads saves as binary and loads back (the roundtrip fuzz
 *       target): a text file whose every row has exactly 4 * dim bytes of values before its
 *       '\n' ("0.1 0.2 0.3\r" for dim 3, CRLF; "0.1 -0.2 0.3 1.4" for dim 4) and a bad value
 *       reads as binary rows of tiny floats (~1e-19).
 *    b. Lines of text (printable, one line ending) that are not the declared rows (a row
 *       with too few or too many fields, or more rows than declared): binary only if the bytes
 *       read as binary rows, else text, whose parser names the line.
 *    c. Otherwise (rows that are not text rows, or text-shaped rows none of which is good and
 *       some of which hold a non-number, which are binary rows), as before: binary as soon as
 *       one byte of the first row after the word and its space cannot be part of a text
 *       number (a float32 in [-1, 1] has a high byte 0x3x/0xBx, which no text number has), or
 *       a newline comes sooner than a text row allows; else text if the rows at hand all read
 *       as text rows with finite values, else binary if they all read as binary rows, else
 *       text, whose parser names the bad line.
 *    What stays ambiguous: bytes that are both (", 6nnN\n" is one text row and one binary
 *    row of the float 1000050048) read as text when they are all good text rows, otherwise
 *    as binary with the newline of (a) or when no row is good text. */
#ifndef EMBEDSCOPE_SNIFF_H
#define EMBEDSCOPE_SNIFF_H
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { SNIFF_CORPUS = 0, SNIFF_VECTORS } SniffKind;

/* Corpus or vectors: reads the start of path (rule above). */
SniffKind sniff_path(const char *path);

/* Why the first have bytes at b are not a vector file ("a fastText .bin model, not vectors;
 * ..."), or NULL. compressed: they came out of a gzip file. */
const char *sniff_foreign(const unsigned char *b, size_t have, bool compressed);

/* Is the first line [s, s+n) (trimmed) the first row of a projector vectors.tsv? [rest, end)
 * holds the bytes after it that are already read. loc is a "C" locale. */
bool sniff_projector(const char *s, size_t n, const char *rest, const char *end, locale_t loc);

/* True if [s, s+n) is exactly two integer fields ("rows dim"), their values in v;
 * range_err when one overflows. */
bool sniff_header(const char *s, size_t n, long long v[2], bool *range_err);

/* After a "rows dim" header: are the rows binary? [p, end) holds the bytes after the header
 * (at least 64 KiB + a row of them when the input has that many; at_eof: the input ends at
 * end). */
bool sniff_binary(const char *p, const char *end, bool at_eof, int64_t rows, int dim, locale_t loc);
/* Bytes sniff_binary wants to see after the header. */
static inline size_t sniff_binary_window(int dim) { return 65536 + (size_t)dim * 4 + 2; }

#endif
