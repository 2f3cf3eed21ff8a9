/* libFuzzer target for the world description parser (world_parse). Besides the sanitizers: a
 * parsed world has distinct non-empty words without whitespace, sections that introspect
 * consistently, and a generator whose sentences fit the buffer, end in '\n' and are made of the
 * world's words; the evaluation sets write. A failed parse gives one line naming the input. */
#include "model/text/world.h"
#include "model/text/world_gen.h"
#include "model/text/world_sets.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void check_world(const World *w, size_t size)
{
    uint32_t n = world_word_count(w);
    const char **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted)
        abort();
    for (uint32_t i = 0; i < n; i++) {
        const char *s = world_word(w, i);
        if (!s[0] || strlen(s) > 100 || strpbrk(s, " \t\r\n\v\f")) /* the corpus tokenizer splits on these */
            abort();
        sorted[i] = s;
    }
    qsort(sorted, n, sizeof *sorted, cmp);
    for (uint32_t i = 1; i < n; i++)
        if (!strcmp(sorted[i - 1], sorted[i]))
            abort();
    for (uint32_t s = 0; s < world_section_count(w); s++) {
        bool rel;
        uint32_t items;
        if (!world_section_info(w, s, &rel, &items))
            abort();
        for (uint32_t j = 0; j < items && j < 64; j++) {
            const char *a, *b;
            world_section_item(w, s, j, &a, &b);
            if (!a || (rel != (b != NULL)))
                abort();
        }
    }
    WorldGen *g = world_gen_create(w, size);
    if (!g)
        abort();
    static char buf[4096];
    for (int k = 0; k < 40; k++) {
        size_t cap = k % 4 == 0 ? 2 + ((size_t)k * 37 + size) % 200 : sizeof buf;
        memset(buf, 0x7F, sizeof buf);
        size_t len = world_gen_sentence(g, buf, cap);
        if (len >= cap || buf[len] != 0 || strlen(buf) != len || (len && buf[len - 1] != '\n'))
            abort();
        /* every token is a world word */
        for (char *p = buf, *end = buf + len; p < end;) {
            char *q = p;
            while (q < end && *q != ' ' && *q != '\n')
                q++;
            if (q > p) {
                char tok[128];
                size_t tl = (size_t)(q - p);
                if (tl >= sizeof tok)
                    abort();
                memcpy(tok, p, tl);
                tok[tl] = 0;
                const char *key = tok;
                if (!bsearch(&key, sorted, n, sizeof *sorted, cmp))
                    abort();
            }
            p = q + 1;
        }
    }
    world_gen_destroy(g);
    free(sorted);
    char *text = NULL;
    size_t tn = 0;
    FILE *f = open_memstream(&text, &tn);
    Err e;
    if (!f || !world_write_questions(w, f, &e) || !world_write_pairs(w, f, &e))
        abort();
    fclose(f);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Err e = {{0}};
    World *w = world_parse((const char *)data, size, "fuzz", &e);
    if (!w) {
        if (strncmp(e.msg, "fuzz", 4) || strchr(e.msg, '\n'))
            abort();
        return 0;
    }
    check_world(w, size);
    world_destroy(w);
    return 0;
}
