/* Training on many processes (Open MPI): `mpirun -np N embedscope train ...` runs N ranks, each
 * a Trainer over its own shards with its own threads, and dist_sync keeps their models one:
 * every so many words each rank's change since the last synchronisation (its delta) is summed
 * over the ranks with an all-reduce and added to every rank's model, the frequent rows every
 * time and the others only when some rank touched them; the threads wait while the ranks
 * meet and pack, and train on during the all-reduce. The sum (not the mean) is what
 * threads sharing one model do: every update of every rank counts once. The only file with
 * MPI calls; built without MPI it is the same interface with one rank, so the trainer and the
 * command line never #ifdef. Main thread only (the one that called dist_init). */
#ifndef EMBEDSCOPE_DIST_H
#define EMBEDSCOPE_DIST_H
#include "model/base/err.h"
#include "model/text/vocab.h"
#include "model/train/train.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct DistStats {
    int syncs, full;   /* synchronisations, and of them those with the touched rare rows */
    double rows;       /* rows sent (syn0 and syn1neg), summed over the syncs */
    double bytes;      /* this rank's payload (deltas + touched flags), summed over the syncs */
    double seconds;    /* wall time in dist_sync, summed */
    double held;       /* of which the threads were held */
    double max_seconds;
} DistStats;

typedef struct Dist {
    int rank, nranks;
    bool mpi;          /* MPI_Init was called (and dist_deinit finalises) */
    int64_t frequent;  /* rows 0..frequent-1 are sent every time */
    uint64_t every;    /* words of this rank between synchronisations */
    int planned, done; /* synchronisations in the run (the same on every rank), taken so far */
    float *ref;        /* the model as of the last synchronisation: syn0, syn1neg, syn1 rows */
    float *send, *recv;
    int32_t *rows[2];      /* the rows of syn0 and of syn1neg to send this time */
    int64_t nrows[2];
    unsigned char *flags;  /* (2 (V - frequent)) the touched flags of syn0, then syn1neg */
    DistStats stats;
} Dist;

/* True when this build has MPI. */
bool dist_available(void);
/* Joins the MPI job when the process was started by mpirun (else one rank, no MPI). */
bool dist_init(Dist *d, int *argc, char ***argv, Err *e);
void dist_deinit(Dist *d);
/* The ranks counted the same vocabulary (a checksum of words and counts), or e says not. */
bool dist_same_vocab(Dist *d, const Vocab *v, Err *e);
/* Before trainer_start: tells t its rank and plans the synchronisations, one every `every`
 * words of this rank (0: 50k); every second one and the last also carry the rarer rows. */
bool dist_attach(Dist *d, Trainer *t, uint64_t every, Err *e);
/* Synchronises when this rank's progress has reached the next planned point; after the run
 * has finished, takes every synchronisation left (the other ranks wait for them) and a final
 * one. Call it often from the main thread. False on an MPI error or out of memory. */
bool dist_step(Dist *d, Trainer *t, Err *e);
/* dist_step until the last synchronisation, once t has finished. */
bool dist_finish(Dist *d, Trainer *t, Err *e);

#endif
