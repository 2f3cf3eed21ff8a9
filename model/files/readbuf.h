/* Bounded buffered reading for the vector loaders: large reads from a file (plain or gzip,
 * through zlib) or a memory block, our own line splitting, progress and cancel, and a buffer
 * of at most READBUF_MAX bytes whatever the input. One thread per ReadBuf. */
#ifndef EMBEDSCOPE_READBUF_H
#define EMBEDSCOPE_READBUF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* Longest text line (and longest binary word) a loader accepts, in bytes: a row of
 * EMB_MAX_DIM values at ~100 bytes each. Longer input is an error, not an allocation. */
#define READBUF_MAX_LINE (1 << 20)
#define READBUF_MAX (4u << 20) /* bytes: >= 2 * READBUF_MAX_LINE so a maximal line plus a read fit */

typedef struct ReadBuf {
    gzFile gz;                /* NULL: read from mem */
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    char *buf;                /* cap + 1 bytes; data in [pos, len); buf[len] == 0 stops strtof */
    size_t cap, len, pos;
    uint64_t base;            /* input offset of buf[0] */
    bool eof;
    int err;                  /* nonzero after a failed read, explained in why */
    char why[96];
    bool compressed;          /* gzip: offsets count uncompressed bytes */
    bool size_known;
    uint64_t size;            /* most input bytes there can be, when size_known */
    bool (*progress)(void *ctx, double fraction); /* files only; NULL: none */
    void *pctx;
    uint64_t file_size, next_report; /* bytes on disk; offset of the next progress call */
} ReadBuf;

/* Opens path for reading (gzip decompressed on the fly). False: why holds the reason
 * (strerror, "is a directory, not a vector file", ...), nothing is left open. */
bool readbuf_open_file(ReadBuf *r, const char *path, bool (*progress)(void *, double), void *ctx);
/* Reads from [data, data + len) instead. */
void readbuf_open_mem(ReadBuf *r, const void *data, size_t len);
/* The buffer, sized for the input; false when out of memory. After an open. */
bool readbuf_alloc(ReadBuf *r);
void readbuf_close(ReadBuf *r);

/* Moves the unread bytes to the front and reads more; returns the number of bytes added. */
size_t readbuf_fill(ReadBuf *r);
/* Makes at least n unread bytes available (n <= READBUF_MAX_LINE); false at end of input. */
bool readbuf_need(ReadBuf *r, size_t n);
/* Input offset of the next unread byte. */
static inline uint64_t readbuf_offset(const ReadBuf *r) { return r->base + r->pos; }

enum { READBUF_LINE = 1, READBUF_EOF = 0, READBUF_TOO_LONG = -1, READBUF_IOERR = -2 };
/* Next line without its '\n', as a READBUF_* code. The pointer stays valid until the next
 * read, and the byte after the line is '\n' or the NUL sentinel. */
int readbuf_line(ReadBuf *r, char **line, size_t *n);

#endif
