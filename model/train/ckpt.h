/* Checkpoints: the whole state of a training run (its settings, vocabulary, matrices, each
 * thread's place in its shard with its random stream, the learning rate), copied from a
 * running Trainer while its threads are held for a moment, written to and read from a
 * versioned, checksummed file, and turned back into a Trainer that carries on where the run
 * stood. The file format is the trainer's own (not a vectors format), hence here and not in
 * model/files. ckpt_take: any thread but the trainer's; the rest touch only the caller's Ckpt.
 *
 * File (all little-endian): a 32-byte header (magic "EMBSCKPT", u32 version, u32 0, u64
 * payload bytes, u32 CRC-32 of the payload, u32 CRC-32 of the header's first 28 bytes), then
 * the payload: sections, each a u32 tag, u32 0, u64 length and its bytes, in this order:
 * SETS (the TrainParam table as "name=value" lines, then corpus=, corpus_bytes=), FRNT (the
 * front end's text), PROG (f64 alpha_base, alpha_now, elapsed), VOCB (u64 words, u64
 * min_reduce, then per word u32 length, bytes, u64 count), MATS (u32 dim, u32 which matrices:
 * 1 syn0, 2 syn1neg, 4 syn1; u64 rows; then each matrix's rows x dim f32), THRD (u32 threads,
 * u32 record bytes, then one TrainPos record per thread). */
#ifndef EMBEDSCOPE_CKPT_H
#define EMBEDSCOPE_CKPT_H
#include "model/base/err.h"
#include "model/text/corpus.h"
#include "model/text/vocab.h"
#include "model/train/train.h"
#include "model/train/trainpos.h"
#include <stdbool.h>
#include <stdint.h>

#define CKPT_VERSION 1
#define CKPT_FRONT_MAX 4096 /* bytes of the front end's own text */

typedef struct Ckpt {
    TrainDesc d;                 /* the values in use: no zero ("default") field */
    char corpus[1024];           /* Corpus.name the run trained on */
    int64_t corpus_bytes;        /* its size (0 for a built-in): a resumed run checks it */
    char front[CKPT_FRONT_MAX];  /* the front end's own settings (output file...), NUL-ended */
    Vocab vocab;
    int64_t rows;                /* vocab.size */
    int dim, stride;
    float *syn0, *syn1neg, *syn1; /* (rows, stride) each; NULL when the run has none */
    int nthreads;
    TrainPos *threads;           /* (nthreads) */
    double alpha_base, alpha_now, elapsed; /* alpha_now: the rate at words_done, for readers */
    uint64_t words_done;         /* sum of the threads' words: for messages */
    /* ckpt_take's cost: seconds the threads were held waiting for the last one to stop, then
     * while the matrices were copied */
    double wait_s, copy_s;
    const Trainer *from; /* the trainer last taken from: its vocabulary is not copied again */
} Ckpt;

void ckpt_init(Ckpt *k);
void ckpt_deinit(Ckpt *k);
/* Copies t's whole state into k (buffers reused when k already holds a checkpoint of the same
 * shape). Running threads are held at their next sentence boundary for the copy of the
 * matrices only; a paused, finished or stopped run is copied as it stands. False (k unusable)
 * when a thread failed, out of memory, or the run was stopped during the hold. */
bool ckpt_take(Trainer *t, Ckpt *k, Err *e);
/* Writes k atomically (model/base/atomicfile.h): a crash leaves any older file whole. */
bool ckpt_save(const char *path, const Ckpt *k, Err *e);
/* Reads a checkpoint into k (ckpt_init'ed). Refuses, naming the file and what is wrong, a file
 * that is not a checkpoint, of another version, truncated, failing its checksum, or holding
 * impossible sizes or settings; every size is checked against the file before allocating. */
bool ckpt_load(const char *path, Ckpt *k, Err *e);
/* A Trainer (not started) that continues k's run over corpus c, which must be the checkpoint's
 * (same name and size). Started, it trains the rest of the run: in deterministic mode the
 * result is bit-identical to the run that was never interrupted. */
Trainer *ckpt_trainer(const Ckpt *k, const Corpus *c, Err *e);

#endif
