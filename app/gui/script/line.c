/* Helpers every script verb shares (see line.h). UI thread. */
#include "app/gui/script/line.h"
#include "model/base/clock.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int script_fail(GuiScript *s, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const ScriptLine *l = &s->lines[s->pc < s->n ? s->pc : s->n - 1];
    fprintf(stderr, "%s:%d: %s: %s\n", s->name, l->line, l->cmd, msg);
    if (s->exit_code)
        *s->exit_code = 1;
    return SCRIPT_FAIL;
}

bool script_numbers(const char *s, double *out, int lo, int hi, int *n)
{
    *n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        if (*n >= hi)
            return false;
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (end == s || errno || !(v == v) || v > 1e15 || v < -1e15 || (*end && *end != ' ' && *end != '\t'))
            return false;
        out[(*n)++] = v;
        s = end;
    }
    return *n >= lo;
}

bool script_waited(GuiScript *s, double timeout_s)
{
    double now = clock_ms();
    if (s->wait_start == 0)
        s->wait_start = now;
    return now - s->wait_start > timeout_s * 1e3;
}

void script_wait_done(GuiScript *s) { s->wait_start = 0; }

double script_wait_args(const char *a, double *n)
{
    double v[2] = {0, 300};
    int k;
    script_numbers(a, v, 1, 2, &k);
    *n = v[0];
    return k > 1 ? v[1] : 300;
}

int script_until(GuiScript *s, bool cond, double timeout_s)
{
    if (cond) {
        script_wait_done(s);
        return SCRIPT_NEXT;
    }
    return script_waited(s, timeout_s) ? SCRIPT_FAIL : SCRIPT_WAIT;
}
