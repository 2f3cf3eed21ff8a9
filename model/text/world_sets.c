/* The evaluation sets the demo world implies (world_sets.h): analogy questions from its
 * one-to-one relations and scored word pairs from its relations and categories. Reads a
 * World only: any thread. */
#include "model/text/world_sets.h"
#include "model/text/world_gen.h"
#include "model/text/world_types.h"

/* Whether pair j of relation s has an a and a b that occur only once on their side, so an
 * analogy that asks for it has one right answer. */
static bool pair_unique(const World *w, const Section *s, uint32_t j)
{
    const uint32_t *p = w->pairs + 2 * s->items;
    for (uint32_t i = 0; i < s->nitems; i++)
        if (i != j && (p[2 * i] == p[2 * j] || p[2 * i + 1] == p[2 * j + 1]))
            return false;
    return true;
}

/* Whether the pair (a, b) also belongs to a relation other than si: then b - a mixes two
 * relations (france -> french is both a language and a nationality), so it cannot serve as
 * the example half of a question. */
static bool pair_elsewhere(const World *w, uint32_t si, uint32_t a, uint32_t b)
{
    for (uint32_t i = w->occ_start[a]; i < w->occ_start[a + 1]; i++) {
        Occ o = w->occ[i];
        const Section *s = &w->secs[o.sec];
        if (o.sec != si && s->kind == SEC_RELATION && w->pairs[2 * (s->items + o.item)] == a &&
            w->pairs[2 * (s->items + o.item) + 1] == b)
            return true;
    }
    return false;
}

bool world_write_questions(const World *w, FILE *f, Err *e)
{
    for (uint32_t si = 0; si < w->nsecs; si++) {
        const Section *s = &w->secs[si];
        if (s->kind != SEC_RELATION || !s->questions)
            continue;
        const uint32_t *p = w->pairs + 2 * s->items;
        bool header = false;
        for (uint32_t i = 0; i < s->nitems; i++) {
            if (!pair_unique(w, s, i) || pair_elsewhere(w, si, p[2 * i], p[2 * i + 1]))
                continue;
            for (uint32_t j = 0; j < s->nitems; j++) {
                uint32_t q[4] = {p[2 * i], p[2 * i + 1], p[2 * j], p[2 * j + 1]};
                if (i == j || !pair_unique(w, s, j) || q[0] == q[3] || q[1] == q[2])
                    continue;
                if (!header)
                    fprintf(f, ": %s\n", s->name);
                header = true;
                fprintf(f, "%s %s %s %s\n", world_word(w, q[0]), world_word(w, q[1]),
                        world_word(w, q[2]), world_word(w, q[3]));
            }
        }
    }
    if (ferror(f))
        return err_set(e, "writing questions: write error");
    return true;
}

/* 2: the words are the two sides of one relation pair; 1: they share a category; 0: neither. */
static int kinship(const World *w, uint32_t x, uint32_t y)
{
    int k = 0;
    for (uint32_t i = w->occ_start[x]; i < w->occ_start[x + 1]; i++) {
        Occ a = w->occ[i];
        const Section *s = &w->secs[a.sec];
        if (s->kind == SEC_RELATION) {
            const uint32_t *p = w->pairs + 2 * (s->items + a.item);
            if (p[0] == y || p[1] == y)
                return 2;
            continue;
        }
        for (uint32_t j = w->occ_start[y]; j < w->occ_start[y + 1]; j++)
            if (w->occ[j].sec == a.sec)
                k = 1;
    }
    return k;
}

bool world_write_pairs(const World *w, FILE *f, Err *e)
{
    /* A fixed generator state: the same description always yields the same file. */
    WorldGen g = {w, {0x243F6A8885A308D3ull, 0x13198A2E03707344ull}};
    static const double score[3] = {1.0, 7.0, 9.0};
    uint32_t ncat = 0;
    for (uint32_t si = 0; si < w->nsecs; si++)
        ncat += w->secs[si].kind == SEC_CATEGORY && w->secs[si].nitems > 1;
    for (uint32_t si = 0; si < w->nsecs; si++) {
        const Section *s = &w->secs[si];
        for (uint32_t k = 0; k < 12 && s->nitems > 1; k++) {
            uint32_t x, y;
            if (s->kind == SEC_RELATION) {
                uint32_t j = world_gen_below(&g, s->nitems);
                x = w->pairs[2 * (s->items + j)];
                y = w->pairs[2 * (s->items + j) + 1];
            } else {
                x = w->members[s->items + world_gen_below(&g, s->nitems)];
                y = w->members[s->items + world_gen_below(&g, s->nitems)];
                if (x == y)
                    continue;
            }
            fprintf(f, "%s\t%s\t%.1f\n", world_word(w, x), world_word(w, y),
                    score[kinship(w, x, y)]);
            /* and a word from elsewhere, as a low-similarity counterpart */
            const Section *o = &w->secs[world_gen_below(&g, w->nsecs)];
            uint32_t z = o->kind == SEC_CATEGORY ? w->members[o->items + world_gen_below(&g, o->nitems)]
                                                 : w->pairs[2 * o->items + world_gen_below(&g, 2 * o->nitems)];
            if (ncat > 1 && z != x)
                fprintf(f, "%s\t%s\t%.1f\n", world_word(w, x), world_word(w, z),
                        score[kinship(w, x, z)]);
        }
    }
    if (ferror(f))
        return err_set(e, "writing pairs: write error");
    return true;
}
