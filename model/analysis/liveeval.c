/* Budgeted analogy evaluation during training: see liveeval.h. One thread at a time. */
#include "model/analysis/liveeval.h"
#include "model/base/clock.h"
#include "model/vectors/evalset.h"
#include "model/text/world.h"
#include "model/text/world_sets.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void liveeval_init(LiveEval *l, const LiveEvalDesc *d)
{
    memset(l, 0, sizeof *l);
    if (d)
        l->desc = *d;
    if (!(l->desc.budget > 0 && l->desc.budget <= 1))
        l->desc.budget = 0.05;
    if (l->desc.restrict_vocab <= 0)
        l->desc.restrict_vocab = EVAL_DEFAULT_ANALOGY_RESTRICT;
    if (l->desc.max_questions == 0)
        l->desc.max_questions = 1000;
    l->accuracy = NAN;
}

void liveeval_deinit(LiveEval *l)
{
    free(l->text);
    liveeval_init(l, &l->desc);
}

static bool is_question(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
        i++;
    return i < n && s[i] != ':';
}

/* Keeps headers and every k-th question line in place (in text, len updated), so every
 * section keeps its share; returns the questions there were. */
static int64_t thin(char *text, size_t *len, int64_t max)
{
    int64_t nq = 0;
    for (char *p = text, *end = text + *len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        nq += is_question(p, n);
        p += n + 1;
    }
    if (max < 0 || nq <= max)
        return nq;
    int64_t k = (nq + max - 1) / max, i = 0;
    size_t out = 0;
    for (char *p = text, *end = text + *len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        bool q = is_question(p, n);
        if (!q || i++ % k == 0) {
            memmove(text + out, p, n);
            out += n;
        }
        p += n;
    }
    text[out] = 0;
    *len = out;
    return nq;
}

static void take(LiveEval *l, char *text, size_t len, const char *name)
{
    LiveEvalDesc d = l->desc;
    free(l->text);
    liveeval_init(l, &d);
    l->file_questions = thin(text, &len, l->desc.max_questions);
    l->text = text;
    l->len = len;
    snprintf(l->name, sizeof l->name, "%s", name);
}

bool liveeval_load(LiveEval *l, const char *path, Err *e)
{
    char *text;
    size_t len;
    if (!eval_read_file(path, EVAL_MAX_FILE, &text, &len, e))
        return false;
    take(l, text, len, path);
    return true;
}

bool liveeval_set_text(LiveEval *l, const char *text, size_t len, const char *name, Err *e)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return err_set(e, "%s: out of memory", name);
    memcpy(copy, text, len);
    copy[len] = 0;
    take(l, copy, len, name);
    return true;
}

bool liveeval_load_world(LiveEval *l, Err *e)
{
    World *w = world_builtin(e);
    char *text = NULL;
    size_t len = 0;
    FILE *f = w ? open_memstream(&text, &len) : NULL;
    bool ok = false;
    if (w && !f)
        err_set(e, "@world questions: out of memory");
    else if (f) {
        ok = world_write_questions(w, f, e);
        if (fclose(f) != 0 && ok)
            ok = err_set(e, "@world questions: out of memory");
    }
    world_destroy(w);
    if (ok)
        take(l, text, len, "@world questions");
    else
        free(text);
    return ok;
}

bool liveeval_due(const LiveEval *l, double now_ms)
{
    if (!l->text || l->err[0])
        return false;
    if (!l->ran)
        return true;
    return now_ms - l->last_end_ms >= l->last_ms * (1 / l->desc.budget - 1);
}

bool liveeval_step(LiveEval *l, const Vocab *v, const KnnIndex *ix, double now_ms)
{
    if (!liveeval_due(l, now_ms))
        return false;
    double t0 = clock_ms();
    AnalogyReport r;
    memset(&r, 0, sizeof r);
    Err e = {{0}};
    bool ok = eval_analogies_text(l->text, l->len, l->name, v, ix, l->desc.restrict_vocab, NULL,
                                  NULL, &r, &e);
    double ms = clock_ms() - t0;
    l->ran = true;
    l->last_ms = ms;
    l->last_end_ms = now_ms + ms;
    l->total_ms += ms;
    if (!ok) {
        snprintf(l->err, sizeof l->err, "%s", e.msg);
        return false;
    }
    l->accuracy = eval_accuracy(r.total);
    l->answered = r.total.answered;
    l->questions = r.questions;
    l->runs++;
    analogy_report_deinit(&r);
    return true;
}
