/* Triple buffer over caller-owned slots: see publish.h. Only the writer moves `latest` (and
 * seq) and only the reader moves `held`, each by compare-and-swap on the one state word, so a
 * slot begin finds free stays free until the writer itself publishes it: the reader can only
 * take the current latest. Release on publish and acquire on acquire order the slot's
 * contents; the reader's swap also releases, so the writer's later acquire load sees the
 * reader done with the slot it let go before writing into it. */
#include "model/analysis/publish.h"

#define HELD(s) ((int)((s)&3u) - 1)
#define LATEST(s) ((int)(((s) >> 2) & 3u) - 1)
#define SEQ(s) ((s) >> 4)
#define STATE(held, latest, seq)                                                                 \
    ((uint64_t)((held) + 1) | (uint64_t)((latest) + 1) << 2 | (uint64_t)(seq) << 4)

void pub_init(Pub *p) { atomic_init(&p->state, 0); }

int pub_begin(const Pub *p, uint64_t *seq)
{
    uint64_t s = atomic_load_explicit(&p->state, memory_order_acquire);
    int slot = 0;
    while (slot == HELD(s) || slot == LATEST(s))
        slot++;
    if (seq)
        *seq = SEQ(s) + 1;
    return slot;
}

uint64_t pub_publish(Pub *p, int slot)
{
    uint64_t s = atomic_load_explicit(&p->state, memory_order_relaxed), next;
    do
        next = STATE(HELD(s), slot, SEQ(s) + 1);
    while (!atomic_compare_exchange_weak_explicit(&p->state, &s, next, memory_order_release,
                                                  memory_order_relaxed));
    return SEQ(next);
}

int pub_acquire(Pub *p, uint64_t *seq)
{
    uint64_t s = atomic_load_explicit(&p->state, memory_order_acquire), next;
    do
        next = STATE(LATEST(s), LATEST(s), SEQ(s));
    while (!atomic_compare_exchange_weak_explicit(&p->state, &s, next, memory_order_acq_rel,
                                                  memory_order_acquire));
    if (seq)
        *seq = LATEST(next) >= 0 ? SEQ(next) : 0;
    return LATEST(next);
}

uint64_t pub_seq(const Pub *p) { return SEQ(atomic_load_explicit(&p->state, memory_order_acquire)); }
