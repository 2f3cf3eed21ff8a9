/* word2vec binary rows (see w2v_bin.h): words are found by their space within
 * READBUF_MAX_LINE bytes, floats read little-endian whatever the host, and every value checked
 * finite. The loading thread only. */
#include "model/files/w2v_bin.h"
#include "model/files/lex.h"
#include <math.h>
#include <string.h>

static inline uint64_t offset(const VecLoad *L) { return readbuf_offset(&L->r); }

/* Skips separators before a row; false at the end of input (or a read error, set in r). */
static bool skip_seps(ReadBuf *r)
{
    for (;;) {
        while (r->pos < r->len && lex_is_sep(r->buf[r->pos]))
            r->pos++;
        if (r->pos < r->len)
            return true;
        if (readbuf_fill(r) == 0)
            return false;
    }
}

/* The space after the word at r->pos (at: its offset); NULL with the error set. */
static char *word_end(VecLoad *L, uint64_t at)
{
    ReadBuf *r = &L->r;
    size_t scanned = 0;
    for (;;) {
        char *sp = memchr(r->buf + r->pos + scanned, ' ', r->len - r->pos - scanned);
        if (sp)
            return sp;
        scanned = r->len - r->pos;
        if (scanned > READBUF_MAX_LINE)
            return vecload_fail_byte(L, at, "no space after a word within %d bytes (not word2vec binary?)",
                                     READBUF_MAX_LINE), NULL;
        if (readbuf_fill(r) == 0) {
            if (r->err)
                return vecload_fail_byte(L, offset(L), "read error: %s", r->why), NULL;
            return vecload_fail_byte(L, at, "truncated: the file ends inside the word of row %lld",
                                     (long long)L->info.rows_read + 1), NULL;
        }
    }
}

/* One row "word " + dim little-endian float32 (+ optional '\n'); READBUF_LINE, READBUF_EOF
 * or -1. */
static int bin_row(VecLoad *L, float *dst)
{
    ReadBuf *r = &L->r;
    char sw[200];
    if (!skip_seps(r))
        return r->err ? (vecload_fail_byte(L, offset(L), "read error: %s", r->why), -1) : READBUF_EOF;
    uint64_t at = offset(L);
    char *sp = word_end(L, at);
    if (!sp)
        return -1;
    const char *w = r->buf + r->pos;
    size_t wl = (size_t)(sp - w);
    for (size_t i = 0; i < wl; i++)
        if (w[i] == 0 || lex_is_sep(w[i]))
            return vecload_fail_byte(L, at + i, "control byte 0x%02X inside the word of row %lld (corrupt or misaligned binary)",
                                     (unsigned char)w[i], (long long)L->info.rows_read + 1), -1;
    size_t vb = (size_t)L->dim * sizeof(float);
    r->pos += wl + 1;
    uint64_t vat = offset(L);
    /* The word may move when the buffer refills, so copy it out first. */
    char word[VOCAB_MAX_WORD + 4];
    size_t kept = vecload_cut_word(L, w, wl);
    memcpy(word, w, kept);
    if (!readbuf_need(r, vb)) {
        if (r->err)
            return vecload_fail_byte(L, offset(L), "read error: %s", r->why), -1;
        return vecload_fail_byte(L, vat, "truncated: row %lld ('%s') needs %zu bytes of floats, the file has %zu more",
                                 (long long)L->info.rows_read + 1, vecload_shown(sw, word, kept), vb,
                                 r->len - r->pos), -1;
    }
    const unsigned char *b = (const unsigned char *)r->buf + r->pos;
    for (int k = 0; k < L->dim; k++, b += 4) {
        uint32_t u = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        float x;
        memcpy(&x, &u, sizeof x);
        if (!isfinite(x))
            return vecload_fail_byte(L, vat + 4 * (uint64_t)k, "value %d of row %lld ('%s') is %s", k + 1,
                                     (long long)L->info.rows_read + 1, vecload_shown(sw, word, kept),
                                     isnan(x) ? "NaN" : "infinite"), -1;
        dst[k] = x;
    }
    r->pos += vb;
    if (!vecload_keep_row(L, word, kept))
        return -1;
    return READBUF_LINE;
}

bool w2v_bin_rows(VecLoad *L)
{
    int64_t want = L->header_rows;
    while (L->info.rows_read < want) {
        if (L->max_words > 0 && L->rows == L->max_words) {
            L->info.limited = true;
            return true;
        }
        if (!vecload_reserve_row(L, w2v_bin_min_row(L)))
            return false;
        int rc = bin_row(L, vecload_row(L));
        if (rc < 0)
            return false;
        if (rc == READBUF_EOF)
            return vecload_fail_byte(L, offset(L), "truncated: the file ends after %lld of the %lld rows the header declares",
                                     (long long)L->info.rows_read, (long long)want);
    }
    if (skip_seps(&L->r))
        return vecload_fail_byte(L, offset(L), "data after the %lld rows the header declares", (long long)want);
    return L->r.err ? vecload_fail_byte(L, offset(L), "read error: %s", L->r.why) : true;
}
