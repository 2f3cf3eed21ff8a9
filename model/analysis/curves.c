/* Training-curve history: see curves.h. One thread. */
#include "model/analysis/curves.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool curves_init(Curves *c, int cap, Err *e)
{
    memset(c, 0, sizeof *c);
    cap = cap <= 0 ? CURVES_DEFAULT_CAP : cap < 4 ? 4 : cap;
    c->s = malloc((size_t)cap * sizeof *c->s);
    if (!c->s)
        return err_set(e, "curves: out of memory for %d samples", cap);
    c->cap = cap;
    return true;
}

void curves_deinit(Curves *c)
{
    free(c->s);
    memset(c, 0, sizeof *c);
}

void curves_clear(Curves *c)
{
    c->n = 0;
    c->halvings = 0;
}

CurveSample curves_sample(void)
{
    CurveSample s;
    memset(&s, 0, sizeof s);
    s.accuracy = NAN;
    for (int p = 0; p < CURVES_MAX_PINS; p++)
        s.pin_rank[p] = s.pin_cos[p] = NAN;
    return s;
}

/* Keeps samples 0, 2, 4... and the newest: the curve still starts at the random init and ends
 * at the latest value. */
static void halve(Curves *c)
{
    int m = 0;
    for (int i = 0; i < c->n; i += 2)
        c->s[m++] = c->s[i];
    if (c->n % 2 == 0)
        c->s[m++] = c->s[c->n - 1];
    c->n = m;
    c->halvings++;
}

void curves_push(Curves *c, const CurveSample *s)
{
    if (!c->s)
        return;
    if (c->n && c->s[c->n - 1].words == s->words) {
        CurveSample *last = &c->s[c->n - 1];
        double acc = last->accuracy;
        *last = *s;
        if (isnan(s->accuracy))
            last->accuracy = acc;
        return;
    }
    if (c->n == c->cap)
        halve(c);
    c->s[c->n++] = *s;
}

double curves_get(const CurveSample *s, CurveField f)
{
    switch (f) {
    case CURVE_LOSS: return s->loss;
    case CURVE_WPS: return s->wps;
    case CURVE_ALPHA: return s->alpha;
    case CURVE_ACCURACY: return s->accuracy;
    default: break;
    }
    if (f >= CURVE_PIN_RANK && f < CURVE_PIN_RANK + CURVES_MAX_PINS)
        return s->pin_rank[f - CURVE_PIN_RANK];
    if (f >= CURVE_PIN_COS && f < CURVE_PIN_COS + CURVES_MAX_PINS)
        return s->pin_cos[f - CURVE_PIN_COS];
    return NAN;
}

bool curves_range(const Curves *c, CurveField f, double *lo, double *hi)
{
    bool any = false;
    for (int i = 0; i < c->n; i++) {
        double v = curves_get(&c->s[i], f);
        if (!isfinite(v))
            continue;
        if (!any || v < *lo)
            *lo = v;
        if (!any || v > *hi)
            *hi = v;
        any = true;
    }
    return any;
}
