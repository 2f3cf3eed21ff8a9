/* Snapshots: immutable copies of vectors that are being trained, handed from one publisher
 * thread to any number of reader threads. The publisher fills a free buffer (snap_pub_begin,
 * copy, snap_pub_publish); readers hold the latest published one as long as they like
 * (snap_acquire / snap_release). Buffers are reference-counted and reused: publishing never
 * waits for a reader (only for a mutex guarding a few counters), and memory stays bounded by
 * max_buffers. One publisher thread; any number of reader threads. */
#ifndef EMBEDSCOPE_SNAPSHOT_H
#define EMBEDSCOPE_SNAPSHOT_H
#include "model/base/err.h"
#include "model/text/vocab.h"
#include <stdbool.h>
#include <stdint.h>

#define SNAP_MAX_BUFFERS 16

/* Everything here is written by the publisher between snap_pub_begin and snap_pub_publish and
 * never changes afterwards. */
typedef struct Snapshot {
    float *vec;            /* (rows, stride) 64-byte aligned; padding columns 0 unless the
                              filler writes them */
    float *norms;          /* (rows) L2 norm of each row (snap_compute_norms) */
    int32_t *group;        /* (rows) free per-row ids (e.g. clusters); -1 after begin */
    int64_t rows;
    int dim, stride;       /* stride: floats per row, dim rounded up to 16 */
    const Vocab *vocab;    /* shared, immutable for the run (row i is word i); may be NULL */
    uint64_t words_done, words_total;
    double loss, words_per_sec, alpha, elapsed;
    int epoch, epochs;
    uint64_t step;         /* publisher-defined progress marker */
    uint64_t seq;          /* set by snap_pub_publish: 1, 2, ... */
} Snapshot;

typedef struct SnapPub SnapPub;

/* max_buffers: 0 means 4 (the one readers hold, the latest, the one being filled, and one
 * spare for a second reader); at most SNAP_MAX_BUFFERS. */
SnapPub *snap_pub_create(int max_buffers, Err *e);
/* Frees everything; every reader must have released (join readers first). NULL is fine. */
void snap_pub_destroy(SnapPub *p);

/* A buffer of rows x dim for the publisher to fill (contents are stale: overwrite rows, set the
 * statistics). NULL with e set when every buffer is held by readers or being filled (skip this
 * publication: nothing blocks) or on bad shape or no memory. */
Snapshot *snap_pub_begin(SnapPub *p, int64_t rows, int dim, Err *e);
/* Makes s the latest snapshot and stamps its seq; the previous latest is freed for reuse once
 * no reader holds it. */
void snap_pub_publish(SnapPub *p, Snapshot *s);
/* Gives s back unpublished. */
void snap_pub_cancel(SnapPub *p, Snapshot *s);

/* The latest snapshot with a reference taken (NULL before the first publication). It stays
 * valid and unchanged until snap_release. */
const Snapshot *snap_acquire(SnapPub *p);
void snap_release(SnapPub *p, const Snapshot *s); /* NULL is fine */
/* seq of the latest publication (0: none), without locking: "is there anything new?". */
uint64_t snap_latest_seq(const SnapPub *p);
/* Buffers allocated so far (for tests and the status line). */
int snap_pub_buffers(SnapPub *p);

/* Fills s->norms from s->vec. */
void snap_compute_norms(Snapshot *s);

/* Copies a running trainer's vectors (a Hogwild read: each float is whole, a row may mix two
 * updates), progress and vocabulary (by reference: it lives as long as the trainer) into s,
 * and computes the norms. s must come from snap_pub_begin with the trainer's vocabulary size
 * and dim. */
struct Trainer;
bool snap_fill_from_trainer(Snapshot *s, const struct Trainer *t, Err *e);
/* begin + fill from the trainer + publish; returns the new seq, 0 when skipped or failed (e
 * says why). */
uint64_t snap_publish_trainer(SnapPub *p, const struct Trainer *t, Err *e);

#endif
