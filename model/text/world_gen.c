/* The sentence generator of the demo world: an endless seeded stream of clauses drawn from a
 * World's sections, templates and noise words (world_gen.h). A World is shared read-only;
 * each thread drives its own WorldGen. */
#include "model/text/world_gen.h"
#include "model/base/rng.h"
#include "model/text/world_types.h"
#include <stdlib.h>
#include <string.h>

static uint64_t next(WorldGen *g) /* xoroshiro128+ */
{
    uint64_t s0 = g->s[0], s1 = g->s[1], r = s0 + s1;
    s1 ^= s0;
    g->s[0] = ((s0 << 24) | (s0 >> 40)) ^ s1 ^ (s1 << 16);
    g->s[1] = (s1 << 37) | (s1 >> 27);
    return r;
}

uint32_t world_gen_below(WorldGen *g, uint32_t n)
{
    return (uint32_t)(((next(g) >> 32) * n) >> 32);
}

static double unit(WorldGen *g) { return (double)(next(g) >> 11) * 0x1.0p-53; }

WorldGen *world_gen_create(const World *w, uint64_t seed)
{
    WorldGen *g = malloc(sizeof *g);
    if (!g)
        return NULL;
    g->w = w;
    g->s[0] = rng_splitmix(&seed);
    g->s[1] = rng_splitmix(&seed);
    if (!g->s[0] && !g->s[1])
        g->s[1] = 1;
    return g;
}

void world_gen_destroy(WorldGen *g) { free(g); }

/* Output cursor: words are written whole or not at all; 2 bytes stay free for "\n\0". */
typedef struct Out { char *buf; size_t cap, len; bool full; } Out;

static void put(Out *o, const World *w, uint32_t id)
{
    const char *s = w->arena + w->word_off[id];
    size_t n = strlen(s), sep = o->len ? 1 : 0;
    if (o->full || o->len + sep + n + 2 > o->cap) {
        o->full = true;
        return;
    }
    if (sep)
        o->buf[o->len++] = ' ';
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void put_word(WorldGen *g, Out *o, uint32_t id)
{
    const World *w = g->w;
    put(o, w, id);
    if (w->nnoise && unit(g) < w->noise_rate)
        put(o, w, w->noise[w->noise_table[world_gen_below(g, NOISE_TABLE)]]);
}

static void put_seq(WorldGen *g, Out *o, Seq q, const uint32_t slot[2])
{
    for (uint32_t i = 0; i < q.len; i++) {
        int32_t t = g->w->tokens[q.start + i];
        put_word(g, o, t >= 0 ? (uint32_t)t : slot[t == SLOT_A ? 0 : 1]);
    }
}

static uint32_t pick_section(WorldGen *g)
{
    const World *w = g->w;
    double x = unit(g) * w->sec_cdf[w->nsecs - 1];
    uint32_t lo = 0, hi = w->nsecs - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (w->sec_cdf[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Writes one clause for item `item` of section `si`; returns a word it mentioned (the next
 * clause continues from it, so one sentence stays on one subject). */
static uint32_t clause(WorldGen *g, Out *o, uint32_t si, uint32_t item)
{
    const World *w = g->w;
    const Section *s = &w->secs[si];
    uint32_t slot[2];
    if (s->kind == SEC_CATEGORY) {
        slot[0] = slot[1] = w->members[s->items + item];
    } else {
        slot[0] = w->pairs[2 * (s->items + item)];
        slot[1] = w->pairs[2 * (s->items + item) + 1];
    }
    Seq q = w->tmpls[s->tmpls + world_gen_below(g, s->ntmpls)];
    put_seq(g, o, q, slot);
    /* continue from a slot word the template used */
    int used = 0;
    for (uint32_t i = 0; i < q.len; i++)
        used |= w->tokens[q.start + i] == SLOT_A ? 1 : w->tokens[q.start + i] == SLOT_B ? 2 : 0;
    if (used == 3)
        return slot[world_gen_below(g, 2)];
    return slot[used == 2];
}

size_t world_gen_sentence(WorldGen *g, char *buf, size_t cap)
{
    const World *w = g->w;
    if (cap < 2) {
        if (cap)
            buf[0] = 0;
        return 0;
    }
    Out o = {buf, cap, 0, false};
    static const uint32_t none[2] = {0, 0};
    if (w->nopeners && unit(g) < w->opener_rate)
        put_seq(g, &o, w->openers[world_gen_below(g, w->nopeners)], none);
    uint32_t si = pick_section(g);
    uint32_t focus = clause(g, &o, si, world_gen_below(g, w->secs[si].nitems));
    uint32_t n = 1 + world_gen_below(g, (uint32_t)w->max_clauses);
    for (uint32_t k = 1; k < n; k++) {
        uint32_t lo = w->occ_start[focus], cnt = w->occ_start[focus + 1] - lo;
        Occ oc = w->occ[lo + world_gen_below(g, cnt)];
        put_seq(g, &o, w->joiners[world_gen_below(g, w->njoiners)], none);
        focus = clause(g, &o, oc.sec, oc.item);
    }
    o.buf[o.len++] = '\n';
    o.buf[o.len] = 0;
    return o.len;
}

/* ---- the indices the generator draws from ---- */

bool world_gen_prepare(World *w)
{
    w->occ_start = calloc((size_t)w->nwords + 1, sizeof *w->occ_start);
    if (!w->occ_start)
        return false;
    /* CSR over (word -> clause starts): count, prefix-sum, fill. */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t si = 0; si < w->nsecs; si++) {
            const Section *s = &w->secs[si];
            for (uint32_t i = 0; i < s->nitems; i++) {
                uint32_t ids[2], k = 0;
                if (s->kind == SEC_CATEGORY) {
                    ids[k++] = w->members[s->items + i];
                } else {
                    ids[k++] = w->pairs[2 * (s->items + i)];
                    ids[k++] = w->pairs[2 * (s->items + i) + 1];
                }
                for (uint32_t j = 0; j < k; j++) {
                    if (pass == 0)
                        w->occ_start[ids[j] + 1]++;
                    else
                        w->occ[w->occ_start[ids[j]]++] = (Occ){si, i};
                }
            }
        }
        if (pass == 0) {
            for (uint32_t i = 0; i < w->nwords; i++)
                w->occ_start[i + 1] += w->occ_start[i];
            w->occ = malloc(((size_t)w->occ_start[w->nwords] + 1) * sizeof *w->occ);
            if (!w->occ)
                return false;
        }
    }
    for (uint32_t i = w->nwords; i > 0; i--) /* fill advanced each start by its count */
        w->occ_start[i] = w->occ_start[i - 1];
    w->occ_start[0] = 0;

    w->sec_cdf = malloc(((size_t)w->nsecs + 1) * sizeof *w->sec_cdf);
    if (!w->sec_cdf)
        return false;
    double acc = 0;
    for (uint32_t i = 0; i < w->nsecs; i++) {
        acc += w->secs[i].weight * w->secs[i].nitems;
        w->sec_cdf[i] = acc;
    }
    /* A noise word that is also a member or pair word would blur what the world teaches
     * about it: such entries are dropped. */
    uint32_t kept = 0;
    for (uint32_t i = 0; i < w->nnoise; i++)
        if (w->occ_start[w->noise[i] + 1] == w->occ_start[w->noise[i]])
            w->noise[kept++] = w->noise[i];
    w->nnoise = kept;
    if (w->nnoise) {
        double z = 0, c = 0;
        for (uint32_t r = 0; r < w->nnoise; r++)
            z += 1.0 / (r + 1);
        uint32_t r = 0;
        c = 1.0 / z;
        for (uint32_t i = 0; i < NOISE_TABLE; i++) {
            while ((i + 0.5) / NOISE_TABLE > c && r + 1 < w->nnoise)
                c += 1.0 / (++r + 1) / z;
            w->noise_table[i] = (uint16_t)r;
        }
    }
    return true;
}
