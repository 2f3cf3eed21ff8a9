/* What every script verb shares: a parsed script (its lines, the line running, its waits and
 * the gesture spread over frames), the verb table's entry type, and the helpers verbs use to
 * fail with the line's number, read their numbers and wait with a timeout. UI thread. */
#ifndef EMBEDSCOPE_GUI_SCRIPT_LINE_H
#define EMBEDSCOPE_GUI_SCRIPT_LINE_H
#include "app/gui/core/app.h"
#include <stddef.h>

typedef struct ScriptLine {
    int line;
    char cmd[24];
    char arg[488];
} ScriptLine;

struct GuiScript {
    char name[256];
    ScriptLine *lines;
    int n, pc;
    int wait_frames;
    double wait_start;       /* ms; 0 when not waiting */
    uint64_t wait_words;     /* wait_fresh: the word count once the new rate held (UINT64_MAX: not yet) */
    /* a gesture spread over frames: press, moves, release */
    int phase, nphases, button;
    bool ctrl;               /* SDL's modifier state is set to ctrl for the gesture */
    float x0, y0, x1, y1;
    bool done;
    int *exit_code;          /* of the step running */
    uint64_t frames_mark;    /* print_frames counts the frames drawn since (frames_mark) */
};

/* What a verb's run returns. */
enum { SCRIPT_FAIL = -1, SCRIPT_WAIT = 0, SCRIPT_NEXT = 1 };

/* How a verb's argument is checked when the script is loaded. */
typedef enum {
    SCRIPT_ARG_NONE,         /* nothing after the verb */
    SCRIPT_ARG_ANY,          /* text, possibly empty */
    SCRIPT_ARG_TEXT,         /* non-empty text */
    SCRIPT_ARG_NUMBERS,      /* nmin..nmax finite numbers in [lo, hi] */
} ScriptArgs;

typedef struct ScriptVerb {
    const char *name;
    ScriptArgs args;
    int nmin, nmax;
    double lo, hi;
    /* further checks of the argument at load time (NULL: none); false with why set */
    bool (*check)(const char *arg, char *why, size_t cap);
    /* SCRIPT_NEXT: go on with the next line; SCRIPT_WAIT: let a frame be drawn (a verb that
     * waits for something leaves wait_start set and is run again); SCRIPT_FAIL: script_fail
     * said why */
    int (*run)(GuiApp *g, GuiScript *s, const char *arg);
} ScriptVerb;

/* Prints "script:line: verb: message" and sets the exit code; returns SCRIPT_FAIL. */
int script_fail(GuiScript *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The numbers of s: exactly lo..hi of them, each finite and within +-1e15. */
bool script_numbers(const char *s, double *out, int lo, int hi, int *n);
/* True once timeout_s has passed since the wait began (the first call starts it). */
bool script_waited(GuiScript *s, double timeout_s);
/* Ends a wait: the next verb starts afresh. */
void script_wait_done(GuiScript *s);
/* A wait's arguments "N [TIMEOUT_S]": N into *n, returns the timeout (300 s when none). */
double script_wait_args(const char *a, double *n);
/* SCRIPT_NEXT once cond holds (the wait ends), SCRIPT_WAIT while it does not, SCRIPT_FAIL with
 * nothing printed once timeout_s has passed (the caller says what it found). */
int script_until(GuiScript *s, bool cond, double timeout_s);

#endif
