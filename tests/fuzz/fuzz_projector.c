/* libFuzzer target for the projector loader (vecfile_load from memory with VEC_PROJECTOR:
 * vectors.tsv rows and labels from metadata.tsv, in tbproj.c). The input is vectors.tsv, then optionally the
 * separator "\n#---\n" and metadata.tsv. Besides the sanitizers: a successful load must be a
 * consistent table whose words are distinct, non-empty and whitespace-free, so it saves as
 * word2vec text and loads back bit for bit, and written back as projector files (the way
 * `embedscope export --projector` writes them) loads back the same; a failed load gives one
 * line naming one of the inputs and leaves the target untouched. */
#include "model/files/vecfile.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_table(const Embeddings *t, const VecInfo *info, bool meta)
{
    if (t->rows < 1 || t->rows != t->vocab.size || t->dim < 1 || t->dim > EMB_MAX_DIM ||
        t->stride != emb_stride(t->dim) || ((uintptr_t)t->vec & (EMB_ALIGN - 1)) ||
        info->format != VEC_PROJECTOR || info->metadata != meta || info->duplicates)
        abort();
    for (int64_t i = 0; i < t->rows; i++) {
        const char *w = vocab_word(&t->vocab, i);
        size_t n = strlen(w);
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)i);
        if (n == 0 || n > VOCAB_MAX_WORD || strpbrk(w, " \t\n\v\f\r") || vocab_find(&t->vocab, w, n) != i ||
            t->vocab.counts[i] != (uint64_t)(t->rows - i) || (!meta && strcmp(w, num)))
            abort();
        const float *x = emb_row(t, i);
        for (int k = 0; k < t->stride; k++)
            if (k < t->dim ? !isfinite(x[k]) : x[k] != 0.0f)
                abort();
    }
}

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

static void round_trips(const Embeddings *t)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "%s/fuzz_proj_rt.%d", access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm",
                 (int)getpid());
    Embeddings b;
    Err e;
    emb_init(&b);
    if (!vecfile_save(path, t, VEC_TEXT, &e) || !vecfile_load(&(VecLoadDesc){.path = path}, &b, NULL, &e)) {
        fprintf(stderr, "word2vec round trip: %s\n", e.msg);
        abort();
    }
    if (!same(t, &b))
        abort();
    unlink(path);
    /* projector files as the exporter writes them: %.9g values, a two-column metadata */
    char *vt = NULL, *mt = NULL;
    size_t vn = 0, mn = 0;
    FILE *vf = open_memstream(&vt, &vn), *mf = open_memstream(&mt, &mn);
    if (!vf || !mf)
        abort();
    fprintf(mf, "word\tcluster\n");
    for (int64_t i = 0; i < t->rows; i++) {
        for (int k = 0; k < t->dim; k++)
            fprintf(vf, k ? "\t%.9g" : "%.9g", emb_row(t, i)[k]);
        fprintf(vf, "\n");
        fprintf(mf, "%s\t0\n", vocab_word(&t->vocab, i));
    }
    fclose(vf);
    fclose(mf);
    VecInfo info;
    VecLoadDesc d = {.path = "v2", .data = vt, .len = vn, .format = VEC_PROJECTOR, .metadata = "m2",
                     .metadata_data = mt, .metadata_len = mn};
    if (!vecfile_load(&d, &b, &info, &e)) {
        fprintf(stderr, "projector round trip: %s\n", e.msg);
        abort();
    }
    if (!same(t, &b) || info.renamed)
        abort();
    free(vt);
    free(mt);
    emb_deinit(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n#---\n";
    const uint8_t *meta = memmem(data, size, sep, sizeof sep - 1);
    size_t vlen = meta ? (size_t)(meta - data) : size, mlen = 0;
    if (meta) {
        meta += sizeof sep - 1;
        mlen = size - (size_t)(meta - data);
    }
    Embeddings t;
    Err e = {{0}};
    VecInfo info;
    emb_init(&t);
    if (!emb_alloc(&t, 1, 1, &e) || vocab_add(&t.vocab, "keep", 4, 1, &e) != 0)
        abort();
    t.vec[0] = 42.0f;
    int64_t max_words = size % 7 == 0 ? 2 : 0;
    /* data is never NULL for a load from memory, even for an empty input */
    VecLoadDesc d = {.path = "fuzz", .data = size ? (const void *)data : "", .len = vlen, .format = VEC_PROJECTOR,
                     .max_words = max_words, .metadata = meta ? "meta" : NULL, .metadata_data = meta,
                     .metadata_len = mlen};
    if (vecfile_load(&d, &t, &info, &e)) {
        check_table(&t, &info, meta != NULL);
        if (max_words && t.rows > max_words)
            abort();
        round_trips(&t);
    } else if ((strncmp(e.msg, "fuzz", 4) && strncmp(e.msg, "meta", 4)) || strchr(e.msg, '\n') ||
               t.rows != 1 || t.vec[0] != 42.0f || strcmp(vocab_word(&t.vocab, 0), "keep")) {
        abort();
    }
    emb_deinit(&t);
    return 0;
}
