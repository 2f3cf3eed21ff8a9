/* The one way a result crosses from the thread that makes it to the thread that shows it: a
 * triple buffer over PUB_SLOTS slots that live in the caller's struct (an array of frames, of
 * progress records, of anything). The writer takes a free slot (neither the one the reader
 * holds nor the latest), fills it and publishes it; the reader acquires the latest, which stays
 * valid and unchanged until its next acquire. Nobody ever waits: one atomic word holds both
 * indices and the sequence number. One writer thread and one reader thread; pub_seq from any. */
#ifndef EMBEDSCOPE_PUBLISH_H
#define EMBEDSCOPE_PUBLISH_H
#include <stdatomic.h>
#include <stdint.h>

#define PUB_SLOTS 3 /* the reader's, the latest, the one being filled */

/* bits 0-1: held slot + 1, bits 2-3: latest slot + 1 (0: none), bits 4-63: seq of the latest.
 * All zero (static or calloc'd storage, or pub_init) is a publisher with nothing published. */
typedef struct Pub {
    _Atomic uint64_t state;
} Pub;

void pub_init(Pub *p);

/* Writer: the index of a slot the reader cannot see, to fill. *seq (unless NULL) gets the
 * number the slot will carry if it is published next. Not publishing it is fine: nothing is
 * reserved. The writer may go on reading the slot it published last; it only writes the slot
 * begin gave it. */
int pub_begin(const Pub *p, uint64_t *seq);
/* Writer: makes slot (from pub_begin) the latest, its writes visible to the reader's next
 * acquire. Returns its sequence number: 1, 2, ... */
uint64_t pub_publish(Pub *p, int slot);

/* Reader: the latest slot (-1 before the first publication), held until the next acquire (the
 * previously held slot goes back to the writer). *seq (unless NULL) gets its number, 0 for
 * none. */
int pub_acquire(Pub *p, uint64_t *seq);

/* Publications so far, without locking: "is there anything new?". Any thread. */
uint64_t pub_seq(const Pub *p);

#endif
