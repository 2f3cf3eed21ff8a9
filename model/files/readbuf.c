/* The loaders' reader (see readbuf.h): one buffer that grows to READBUF_MAX at most, filled by
 * gzread or memcpy, with the input's size bound kept for the row allocator. One thread per
 * ReadBuf. */
#include "model/files/readbuf.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The largest expansion deflate allows (about 1032:1), to bound a gzip file's content. */
#define GZ_MAX_RATIO 1032u

static bool open_failed(ReadBuf *r, int fd, int er, const char *why)
{
    snprintf(r->why, sizeof r->why, "%s", why ? why : strerror(er));
    if (fd >= 0)
        close(fd);
    return false;
}

bool readbuf_open_file(ReadBuf *r, const char *path, bool (*progress)(void *, double), void *ctx)
{
    memset(r, 0, sizeof *r);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return open_failed(r, -1, errno, NULL);
    struct stat st;
    if (fstat(fd, &st) != 0)
        return open_failed(r, fd, errno, NULL);
    if (S_ISDIR(st.st_mode))
        return open_failed(r, fd, 0, "is a directory, not a vector file");
    /* zlib reads plain files as they are and gzip files (.vec.gz, .bin.gz) decompressed. */
    r->gz = gzdopen(fd, "rb");
    if (!r->gz)
        return open_failed(r, fd, 0, "out of memory opening the file");
    gzbuffer(r->gz, 1u << 20);
    r->compressed = !gzdirect(r->gz);
    uint64_t size = (uint64_t)st.st_size;
    if (S_ISREG(st.st_mode) && (!r->compressed || size <= UINT64_MAX / GZ_MAX_RATIO)) {
        r->size_known = true; /* an upper bound on the bytes we will read */
        r->size = r->compressed ? size * GZ_MAX_RATIO : size;
    }
    r->progress = progress;
    r->pctx = ctx;
    r->file_size = S_ISREG(st.st_mode) ? size : 0;
    return true;
}

void readbuf_open_mem(ReadBuf *r, const void *data, size_t len)
{
    memset(r, 0, sizeof *r);
    r->mem = data;
    r->mem_len = len;
    r->size_known = true;
    r->size = len;
}

bool readbuf_alloc(ReadBuf *r)
{
    uint64_t hint = r->size_known ? r->size : READBUF_MAX;
    size_t cap = hint < READBUF_MAX - 64 ? (size_t)hint + 64 : READBUF_MAX;
    if (cap < 4096)
        cap = 4096;
    r->buf = malloc(cap + 1);
    r->cap = cap;
    if (r->buf)
        r->buf[0] = 0;
    return r->buf != NULL;
}

void readbuf_close(ReadBuf *r)
{
    if (r->gz)
        gzclose(r->gz); /* closes the fd too */
    free(r->buf);
    r->gz = NULL;
    r->buf = NULL;
}

/* gzread's error, as zlib words it without its "<fd:3>: " prefix. */
static void gz_error(ReadBuf *r, int n)
{
    int zerr;
    const char *msg = gzerror(r->gz, &zerr);
    if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
        r->err = zerr ? zerr : EIO;
        const char *colon = strncmp(msg, "<fd:", 4) ? NULL : strstr(msg, ": ");
        if (zerr == Z_ERRNO)
            snprintf(r->why, sizeof r->why, "%s", strerror(errno));
        else
            snprintf(r->why, sizeof r->why, "gzip: %s", colon ? colon + 2 : msg);
    }
    r->eof = true;
}

/* Calls progress with the fraction of the file read, every 4 MiB and at the end. */
static void report(ReadBuf *r)
{
    uint64_t at = (uint64_t)gzoffset(r->gz); /* bytes read from the file, compressed or not */
    if (at < r->next_report && !r->eof)
        return;
    r->next_report = at + (4u << 20);
    if (!r->progress(r->pctx, (double)at / (double)r->file_size)) {
        r->err = ECANCELED;
        snprintf(r->why, sizeof r->why, "cancelled");
        r->eof = true;
    }
}

size_t readbuf_fill(ReadBuf *r)
{
    if (r->eof)
        return 0;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->base += r->pos;
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->len == r->cap && r->cap < READBUF_MAX) {
        size_t cap = r->cap * 2 < READBUF_MAX ? r->cap * 2 : READBUF_MAX;
        char *b = realloc(r->buf, cap + 1);
        if (!b) {
            r->err = ENOMEM;
            snprintf(r->why, sizeof r->why, "%s", strerror(ENOMEM));
            r->eof = true;
            return 0;
        }
        r->buf = b;
        r->cap = cap;
    }
    size_t room = r->cap - r->len, got;
    if (r->gz) {
        int n = gzread(r->gz, r->buf + r->len, (unsigned)room); /* room <= READBUF_MAX */
        got = n > 0 ? (size_t)n : 0;
        if (got < room)
            gz_error(r, n);
    } else {
        size_t left = r->mem_len - r->mem_pos;
        got = left < room ? left : room;
        memcpy(r->buf + r->len, r->mem + r->mem_pos, got);
        r->mem_pos += got;
        if (r->mem_pos == r->mem_len)
            r->eof = true;
    }
    if (r->progress && r->gz && r->file_size)
        report(r);
    r->len += got;
    r->buf[r->len] = 0;
    return got;
}

bool readbuf_need(ReadBuf *r, size_t n)
{
    while (r->len - r->pos < n)
        if (readbuf_fill(r) == 0)
            return false;
    return true;
}

int readbuf_line(ReadBuf *r, char **line, size_t *n)
{
    size_t scanned = 0; /* bytes after pos known to hold no '\n' */
    for (;;) {
        char *s = r->buf + r->pos;
        char *nl = memchr(s + scanned, '\n', r->len - r->pos - scanned);
        if (nl) {
            *line = s;
            *n = (size_t)(nl - s);
            r->pos += *n + 1;
            return READBUF_LINE;
        }
        scanned = r->len - r->pos;
        if (scanned > READBUF_MAX_LINE)
            return READBUF_TOO_LONG;
        if (readbuf_fill(r) == 0) {
            if (r->err)
                return READBUF_IOERR;
            if (r->len == r->pos)
                return READBUF_EOF;
            *line = r->buf + r->pos;
            *n = r->len - r->pos;
            r->pos = r->len;
            return READBUF_LINE;
        }
    }
}
