/* Opening data in the background: a corpus (its vocabulary counted with progress, then a
 * trainer built over it, not started) or a file of vectors (loaded), on a loader thread, so
 * the window stays responsive and the session on screen stays exactly as it is until the new
 * one is ready; a failed open changes nothing. The UI thread starts, polls and finishes a job;
 * the loader thread owns what it builds until gui_open_finish hands it over. */
#ifndef EMBEDSCOPE_GUI_OPEN_H
#define EMBEDSCOPE_GUI_OPEN_H
#include "model/text/corpus.h"
#include "model/vectors/embed.h"
#include "model/base/err.h"
#include "model/train/train.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum { GUI_OPEN_AUTO = 0, GUI_OPEN_CORPUS, GUI_OPEN_VECTORS } GuiOpenKind;

/* What the window shows: a live trainer over a corpus, or fixed vectors. */
typedef struct GuiSession {
    char source[1024];     /* the path (or "@world") as given */
    Corpus *corpus;        /* training: heap-allocated, the trainer keeps a pointer to it */
    Trainer *trainer;      /*   created, not started */
    Embeddings *table;     /* or fixed vectors */
    char summary[256];     /* what the open found, for the status line */
} GuiSession;

/* Frees whatever the session holds (stops the trainer first); zeroes it. */
void gui_session_free(GuiSession *s);

typedef struct GuiOpenDesc {
    const char *path;      /* copied */
    GuiOpenKind kind;      /* AUTO: "@..." and text are a corpus, vector files by content */
    TrainDesc train;       /* corpus: zero fields take the corpus's defaults */
    int64_t max_words;     /* vectors: keep the first N rows (files are ordered by frequency) */
} GuiOpenDesc;

typedef struct GuiOpenProgress {
    char phase[64];        /* "counting words", "loading vectors", "initialising"... */
    uint64_t words;        /* corpus words counted so far */
    double fraction;       /* 0..1 of the phase, < 0 when unknown */
    double elapsed, eta;   /* seconds since the start, and left (< 0 unknown) */
    bool done;             /* the thread has finished (gui_open_finish will not wait) */
} GuiOpenProgress;

typedef struct GuiOpen GuiOpen;

/* Starts a loader thread. wake(ctx) is called from it on progress (at most ~10 times a second)
 * and when it ends. */
GuiOpen *gui_open_start(const GuiOpenDesc *d, void (*wake)(void *), void *ctx, Err *e);
GuiOpenProgress gui_open_progress(GuiOpen *o);
const char *gui_open_path(const GuiOpen *o);
/* Waits for the thread (cancel: asks it to stop early) and frees the job. True: *out owns the
 * new session. False: e says why and nothing is left to free. */
bool gui_open_finish(GuiOpen *o, bool cancel, GuiSession *out, Err *e);

/* What a path holds, from its first bytes: vectors (word2vec text or binary, GloVe, fastText
 * .vec, a projector vectors.tsv) or text to train on. "@world" is a corpus. */
GuiOpenKind gui_open_sniff(const char *path);

#endif
