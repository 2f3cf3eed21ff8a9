/* Errors as values: a fixed message buffer that loaders and commands fill and return false.
 * Any thread may use its own Err. */
#ifndef EMBEDSCOPE_ERR_H
#define EMBEDSCOPE_ERR_H
#include <stdbool.h>

typedef struct Err {
    char msg[256]; /* one line, no trailing newline: "file:line: reason" */
} Err;

/* Formats the message (truncating to fit) and returns false, so `return err_set(e, ...)`. */
bool err_set(Err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefixes the existing message with a formatted context ("loading x: "); returns false. */
bool err_prefix(Err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
