/* word2vec text and GloVe rows (see w2v_text.h): each row parsed in place in the read buffer,
 * every value checked finite. The loading thread only. */
#include "model/files/w2v_text.h"
#include "model/files/lex.h"
#include "model/vectors/embed.h"
#include <string.h>

/* Parses "word v1 ... vdim" (trimmed, n bytes) into dst and the vocabulary. */
static bool text_row(VecLoad *L, const char *s, size_t n, float *dst)
{
    const char *p = s, *end = s + n;
    char sw[200];
    while (p < end && lex_is_sep(*p))
        p++;
    const char *w = p;
    while (p < end && !lex_is_sep(*p))
        p++;
    size_t wl = (size_t)(p - w);
    if (memchr(w, 0, wl))
        return vecload_fail_line(L, L->line, "word '%s' contains a NUL byte", vecload_shown(sw, w, wl));
    if (!vecload_values(L, p, end, dst, w, wl))
        return false;
    return vecload_keep_row(L, w, vecload_cut_word(L, w, wl));
}

bool w2v_text_rows(VecLoad *L)
{
    char *s;
    size_t n;
    int64_t want = L->header_rows;
    for (;;) {
        if (want >= 0 && L->info.rows_read == want)
            break;
        if (L->max_words > 0 && L->rows == L->max_words) {
            L->info.limited = true;
            return true;
        }
        int rc = vecload_next_line(L, &s, &n);
        if (rc < 0)
            return false;
        if (rc == READBUF_EOF) {
            if (want >= 0)
                return vecload_fail_line(L, L->line + 1, "file ends after %lld of the %lld rows the header declares",
                                         (long long)L->info.rows_read, (long long)want);
            return true;
        }
        if (!vecload_reserve_row(L, w2v_text_min_row(L)))
            return false;
        if (!text_row(L, s, n, vecload_row(L)))
            return false;
    }
    int rc = vecload_next_line(L, &s, &n);
    if (rc == READBUF_LINE)
        return vecload_fail_line(L, L->line, "more rows than the %lld the header declares", (long long)want);
    return rc == READBUF_EOF;
}

bool w2v_text_glove(VecLoad *L, char *s, size_t n)
{
    size_t f = lex_count_fields(s, s + n);
    L->fmt = VEC_GLOVE;
    L->header_rows = -1;
    if (f < 2)
        return vecload_fail_line(L, L->line, "expected 'word v1 v2 ...' (GloVe) or a 'rows dim' header");
    if (f - 1 > EMB_MAX_DIM)
        return vecload_fail_line(L, L->line, "%zu values per row; the limit is %d", f - 1, EMB_MAX_DIM);
    if (!vecload_set_dim(L, (long long)(f - 1)))
        return false;
    if (!vecload_first_rows_like(L, n, w2v_text_min_row(L)))
        return false;
    if (!text_row(L, s, n, L->vec))
        return false;
    return w2v_text_rows(L);
}
