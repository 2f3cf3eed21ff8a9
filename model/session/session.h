/* Opening data in the background: a corpus (its vocabulary counted with progress, then a
 * trainer built over it, not started) or a file of vectors (loaded), on a loader thread, so
 * the window stays responsive and the session on screen stays exactly as it is until the new
 * one is ready; a failed open changes nothing. The UI thread starts, polls and finishes a job;
 * the loader thread owns what it builds until session_open_finish hands it over. */
#ifndef EMBEDSCOPE_SESSION_H
#define EMBEDSCOPE_SESSION_H
#include "model/text/corpus.h"
#include "model/vectors/embed.h"
#include "model/base/err.h"
#include "model/train/train.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum { SESSION_AUTO = 0, SESSION_CORPUS, SESSION_VECTORS } SessionKind;

/* What the window shows: a live trainer over a corpus, or fixed vectors. */
typedef struct Session {
    char source[1024];     /* the path (or "@world") as given */
    Corpus *corpus;        /* training: heap-allocated, the trainer keeps a pointer to it */
    Trainer *trainer;      /*   created, not started */
    Embeddings *table;     /* or fixed vectors */
    char summary[256];     /* what the open found, for the status line */
    bool in_memory;        /* made by the program (no file behind source: nothing to follow) */
} Session;

/* Frees whatever the session holds (stops the trainer first); zeroes it. */
void session_free(Session *s);

typedef struct SessionOpenDesc {
    const char *path;      /* copied */
    SessionKind kind;      /* AUTO: "@..." and text are a corpus, vector files by content */
    TrainDesc train;       /* corpus: zero fields take the corpus's defaults */
    int64_t max_words;     /* vectors: keep the first N rows (files are ordered by frequency) */
} SessionOpenDesc;

typedef struct SessionProgress {
    char phase[64];        /* "counting words", "loading vectors", "initialising"... */
    uint64_t words;        /* corpus words counted so far */
    double fraction;       /* 0..1 of the phase, < 0 when unknown */
    double elapsed, eta;   /* seconds since the start, and left (< 0 unknown) */
    bool done;             /* the thread has finished (session_open_finish will not wait) */
} SessionProgress;

typedef struct SessionOpen SessionOpen;

/* Starts a loader thread. wake(ctx) is called from it on progress (at most ~10 times a second)
 * and when it ends. */
SessionOpen *session_open_start(const SessionOpenDesc *d, void (*wake)(void *), void *ctx, Err *e);
SessionProgress session_open_progress(SessionOpen *o);
const char *session_open_path(const SessionOpen *o);
/* Waits for the thread (cancel: asks it to stop early) and frees the job. True: *out owns the
 * new session. False: e says why and nothing is left to free. */
bool session_open_finish(SessionOpen *o, bool cancel, Session *out, Err *e);

/* What a path holds, from its first bytes: vectors (word2vec text or binary, GloVe, fastText
 * .vec, a projector vectors.tsv) or text to train on. "@world" is a corpus. */
SessionKind session_sniff(const char *path);

#endif
