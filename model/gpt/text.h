/* The transformer's training text: a corpus read whole into memory as byte tokens (the bytes
 * that occur, numbered in byte order, so the vocabulary is a few dozen for English), with the
 * unigram and bigram losses of the text as the baselines a language model must beat, and the
 * random windows a batch is drawn from. "@world" is the demo world's sentence stream, cut to a
 * fixed size. A GptText is immutable after gptc_load: any thread may read it. */
#ifndef EMBEDSCOPE_GPT_TEXT_H
#define EMBEDSCOPE_GPT_TEXT_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GPTC_MAX_BYTES (1ull << 30) /* a larger corpus is refused, not truncated */
#define GPTC_WORLD_BYTES (1u << 20) /* "@world": this many bytes of sentences (seed 1) */

typedef struct GptText {
    char name[1024];
    int32_t *tok;          /* (n) token ids */
    size_t n;
    int vocab;             /* distinct bytes */
    uint8_t byte_of[256];  /* token id -> byte */
    double unigram_loss;   /* entropy of the byte frequencies, nats per token */
    double bigram_loss;    /* entropy of a byte given the one before, nats per token */
} GptText;

/* Reads path (plain or gzip) or "@world" into t (zeroed first). An empty, unreadable or
 * too-large corpus is an error naming it. */
bool gptc_load(GptText *t, const char *name, Err *e);
/* The same from bytes in memory (tests). */
bool gptc_from_bytes(GptText *t, const char *name, const uint8_t *bytes, size_t n, Err *e);
void gptc_deinit(GptText *t);
/* A window start for len + 1 tokens, uniform over the text, from the splitmix64 stream *rng.
 * The text must hold at least len + 1 tokens. */
size_t gptc_sample(const GptText *t, int len, uint64_t *rng);

#endif
