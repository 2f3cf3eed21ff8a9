/* libFuzzer target for the vector-file loaders (vecfile_load from memory). Built once per
 * format by run.sh with -DFUZZ_FORMAT=VEC_TEXT / VEC_BINARY / VEC_GLOVE / VEC_AUTO, and once more with
 * -DFUZZ_ROUNDTRIP (auto-detect, then save and reload what loaded). Besides the sanitizers, a
 * successful load must satisfy the table's invariants; a failed one must give one line naming
 * the input and leave the target untouched. */
#include "model/files/vecfile.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT VEC_AUTO
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_table(const Embeddings *t, const VecInfo *info)
{
    if (t->rows < 1 || t->rows != t->vocab.size || t->dim < 1 || t->dim > EMB_MAX_DIM ||
        t->stride != emb_stride(t->dim) || ((uintptr_t)t->vec & (EMB_ALIGN - 1)) ||
        info->format == VEC_AUTO || info->rows_read != t->rows + info->duplicates)
        abort();
    for (int64_t i = 0; i < t->rows; i++) {
        const char *w = vocab_word(&t->vocab, i);
        size_t n = strlen(w);
        if (n == 0 || n > VOCAB_MAX_WORD || vocab_find(&t->vocab, w, n) != i ||
            t->vocab.counts[i] != (uint64_t)(t->rows - i))
            abort();
        const float *x = emb_row(t, i);
        for (int k = 0; k < t->stride; k++)
            if (k < t->dim ? !isfinite(x[k]) : x[k] != 0.0f)
                abort();
    }
}

#ifdef FUZZ_ROUNDTRIP
#include <stdio.h>
#include <unistd.h>
static bool same(const Embeddings *a, const Embeddings *b)
{
    if (a->rows != b->rows || a->dim != b->dim)
        return false;
    for (int64_t i = 0; i < a->rows; i++)
        if (strcmp(vocab_word(&a->vocab, i), vocab_word(&b->vocab, i)) ||
            memcmp(emb_row(a, i), emb_row(b, i), (size_t)a->dim * sizeof(float)))
            return false;
    return true;
}

/* Whatever loads must save (text and binary) and load back to the same words and bits. */
static void round_trip(const Embeddings *t)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "%s/fuzz_w2v_rt.%d", access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm",
                 (int)getpid());
    for (int binary = 0; binary < 2; binary++) {
        Embeddings b;
        Err e;
        VecInfo bi;
        emb_init(&b);
        if (!vecfile_save(path, t, binary ? VEC_BINARY : VEC_TEXT, &e) ||
            !vecfile_load(&(VecLoadDesc){.path = path}, &b, &bi, &e)) {
            fprintf(stderr, "round trip (%s): %s\n", binary ? "binary" : "text", e.msg);
            abort();
        }
        /* A binary file whose first row's float bytes all read as text numbers is a valid
         * text file too, and detection keeps text (sniff_binary). That is accepted only
         * when it really loaded as text and the binary reading gives the table back. */
        if (binary && bi.format == VEC_TEXT && !same(&b, t)) {
            emb_deinit(&b);
            emb_init(&b);
            if (!vecfile_load(&(VecLoadDesc){.path = path, .format = VEC_BINARY}, &b, NULL, &e)) {
                fprintf(stderr, "round trip (binary, forced): %s\n", e.msg);
                abort();
            }
        }
        if (!same(&b, t))
            abort();
        emb_deinit(&b);
    }
    unlink(path);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Embeddings t;
    Err e = {{0}};
    VecInfo info;
    emb_init(&t);
    /* a sentinel row that a failed load must leave alone */
    if (!emb_alloc(&t, 1, 1, &e) || vocab_add(&t.vocab, "keep", 4, 1, &e) != 0)
        abort();
    t.vec[0] = 42.0f;
    int64_t max_words = size % 7 == 0 ? 2 : 0; /* exercise the early stop too */
    /* data is never NULL for a load from memory, even for an empty input */
    VecLoadDesc d = {.path = "fuzz", .data = size ? (const void *)data : "", .len = size,
                     .format = FUZZ_FORMAT, .max_words = max_words};
    if (vecfile_load(&d, &t, &info, &e)) {
        check_table(&t, &info);
#ifdef FUZZ_ROUNDTRIP
        round_trip(&t);
#endif
        if (max_words && t.rows > max_words)
            abort();
    } else if (strncmp(e.msg, "fuzz", 4) || strchr(e.msg, '\n') || t.rows != 1 || t.vec[0] != 42.0f ||
               strcmp(vocab_word(&t.vocab, 0), "keep")) {
        abort();
    }
    emb_deinit(&t);
    return 0;
}
