/* Errors as values: see err.h. */
#include "model/base/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool err_set(Err *e, const char *fmt, ...)
{
    if (!e)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return false;
}

bool err_prefix(Err *e, const char *fmt, ...)
{
    if (!e)
        return false;
    char head[sizeof e->msg], old[sizeof e->msg];
    memcpy(old, e->msg, sizeof old);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    size_t hl = strlen(head);
    memcpy(e->msg, head, hl);
    snprintf(e->msg + hl, sizeof e->msg - hl, "%s", old);
    return false;
}
