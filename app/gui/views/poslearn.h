/* The Positions view's third source, "learned (training)": the small GPT of model/gpt trained
 * in the background, its position table (wpe) turned into the view's PCA path and similarity
 * map on the way. One helper thread owns the GptTrain: it loads the text and creates sessions
 * (a new one replaces the running one only once it is ready, so a refused one changes
 * nothing), starts and resets them, reads their snapshots (the only gptt_acquire reader) and
 * publishes built frames to the UI through three slots. Controls: UI thread; the helper thread
 * and the GPT's threads run 5 nice levels below the UI. */
#ifndef EMBEDSCOPE_GUI_VIEWS_POSLEARN_H
#define EMBEDSCOPE_GUI_VIEWS_POSLEARN_H
#include "model/analysis/posview.h"
#include "model/base/err.h"
#include "model/gpt/session.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POSLEARN_BUILD_MS 250  /* a frame is built at most this often while training runs */
#define POSLEARN_HISTORY 1024  /* measure samples kept; thinned to every other one when full */

/* The table's measures at one step (the curves of the view). */
typedef struct PosLearnSample {
    float step, adjacent, far, pc1, cos5_6, cos5_100;
} PosLearnSample;

/* One built frame: never changes while the UI holds it. */
typedef struct PosLearnFrame {
    uint64_t seq;               /* frames published, from 1 */
    uint64_t run;               /* a session or a reset: each run starts again at step 0 */
    PosView view;               /* of wpe: PCA path, similarity, probes */
    GptProgress prog;
    GptPosStats pos;            /* of wpe, from the snapshot */
    double unigram_loss, bigram_loss;
    int rows, dim, vocab;
    float *wte;                 /* (vocab, dim) token table, token id order */
    uint8_t byte_of[256];       /* token id -> byte */
    int ncurve;                 /* the session's loss curve (step, mean loss) */
    float *curve_step, *curve_loss;
    int nhist;                  /* the measures over the run, oldest first */
    PosLearnSample *hist;
    GptTrainDesc desc;          /* in use: shape, init, lr, threads */
    GptEstimate est;            /* for that desc, before it trained */
    char text[1024];            /* what it trains on, as given */
    size_t text_tokens;
    /* capacities (the helper thread's) */
    int cap_wte, cap_step, cap_loss, cap_hist;
} PosLearnFrame;

typedef struct PosLearn PosLearn;

/* Starts the helper thread (lowered 5 nice levels; the GPT's threads it starts inherit that).
 * wake(ctx) is called from it when a frame or a message is ready. NULL with e on failure. */
PosLearn *poslearn_create(void (*wake)(void *), void *ctx, Err *e);
void poslearn_destroy(PosLearn *l); /* stops the training, joins everything; NULL is fine */

/* Asks for a new session over text (a path or "@world"): loaded and created in the helper
 * thread, shown at its initial table and not started. A later request replaces an earlier
 * one that has not begun. The one running stays until the new one is ready; a failure is a
 * message (poslearn_message) and changes nothing. */
void poslearn_configure(PosLearn *l, const GptTrainDesc *d, const char *text);
/* Start (also after a pause), pause, n steps while paused (starting paused threads when
 * none run), a new random init, the learning rate from the next step. No-ops without a
 * session. */
void poslearn_start(PosLearn *l);
void poslearn_pause(PosLearn *l);
void poslearn_step(PosLearn *l, int n);
void poslearn_reset(PosLearn *l);
void poslearn_set_lr(PosLearn *l, double lr);
/* The running session's progress (has: there is a session); whether a configure or a reset
 * is under way (until its first frame is out); whether the frame held is the latest. */
GptProgress poslearn_progress(PosLearn *l, bool *has);
bool poslearn_busy(PosLearn *l);
bool poslearn_fresh(PosLearn *l);
/* The latest frame, held unchanged until the next call; NULL before the first. */
const PosLearnFrame *poslearn_acquire(PosLearn *l);
/* A message from the helper thread since the last call (a session ready, a refusal, a
 * training error): true with it copied into msg, *error saying which kind. */
bool poslearn_message(PosLearn *l, char *msg, size_t cap, bool *error);

#endif
