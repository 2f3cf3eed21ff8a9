/* libFuzzer target for the bookmark parser (bookmark_parse). Besides the sanitizers: what
 * parses must write (bookmark_write) and parse back to the very same struct, and writing that
 * again gives the same text; a failed parse gives one line naming the input and leaves the
 * output untouched. */
#include "model/files/bookmark.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *write_text(const Bookmark *b, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    Err e;
    if (!f)
        abort();
    if (!bookmark_write(b, f, "out", &e)) {
        fprintf(stderr, "a parsed bookmark does not write: %s\n", e.msg);
        abort();
    }
    fclose(f);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Bookmark a, b, keep;
    Err e = {{0}};
    memset(&a, 0x5A, sizeof a);
    memcpy(&keep, &a, sizeof a);
    if (!bookmark_parse("fuzz", (const char *)data, size, &a, &e)) {
        if (strncmp(e.msg, "fuzz", 4) || strchr(e.msg, '\n') || memcmp(&a, &keep, sizeof a))
            abort();
        return 0;
    }
    size_t n1, n2;
    char *t1 = write_text(&a, &n1);
    memset(&b, 0xA5, sizeof b);
    if (!bookmark_parse("out", t1, n1, &b, &e)) {
        fprintf(stderr, "written bookmark does not parse: %s\n", e.msg);
        abort();
    }
    if (memcmp(&a, &b, sizeof a))
        abort();
    char *t2 = write_text(&b, &n2);
    if (n1 != n2 || memcmp(t1, t2, n1))
        abort();
    free(t1);
    free(t2);
    return 0;
}
