/* The inside of a World, shared by the three files that make and read one: world.c (parse,
 * load, introspection), world_gen.c (sentences) and world_sets.c (evaluation sets). Types
 * only; not for use outside model/text/world*.c. Immutable once parsed: any thread. */
#ifndef EMBEDSCOPE_WORLD_TYPES_H
#define EMBEDSCOPE_WORLD_TYPES_H
#include <stdbool.h>
#include <stdint.h>

#define NOISE_TABLE 4096             /* Zipf lookup resolution (entries) */

/* Template tokens: >= 0 is a word id; the slots are negative. */
enum { SLOT_A = -1, SLOT_B = -2 };
enum { SEC_CATEGORY, SEC_RELATION };

typedef struct Seq { uint32_t start, len; } Seq; /* a run of tokens in World.tokens */

typedef struct Section {
    int kind;
    char name[64];
    int line;
    double weight;
    int questions;          /* relations: 1 = contributes analogy questions */
    uint32_t items, nitems; /* category: members at World.members[items..]; relation: pairs */
    uint32_t tmpls, ntmpls; /* templates at World.tmpls[tmpls..] (contiguous per section) */
} Section;

/* Where a word can start a clause: section s, item i (member index or pair index). */
typedef struct Occ { uint32_t sec, item; } Occ;

struct World {
    char name[256];
    /* words: NUL-terminated in arena, open-addressing hash over ids */
    char *arena;
    size_t arena_len;
    uint32_t *word_off, nwords;
    int32_t *hash;
    size_t hash_cap;
    int32_t *tokens;        /* all template / joiner / opener tokens */
    Seq *tmpls;             /* per section, contiguous */
    Section *secs;
    uint32_t nsecs;
    uint32_t *members;      /* category member word ids */
    uint32_t *pairs;        /* relation pairs: 2 word ids each */
    Seq *joiners, *openers;
    uint32_t njoiners, nopeners;
    uint32_t *occ_start;    /* (nwords + 1) CSR index into occ */
    Occ *occ;
    double *sec_cdf;        /* (nsecs) cumulative weight * items */
    uint32_t *noise;        /* noise word ids, most frequent first */
    uint32_t nnoise;
    uint16_t noise_table[NOISE_TABLE]; /* uniform slot -> noise rank, Zipf (1/rank) */
    double noise_rate, opener_rate;
    int max_clauses;
};

struct WorldGen {
    const World *w;
    uint64_t s[2];         /* xoroshiro128+ state */
};

#endif
