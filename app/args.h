/* Command-line arguments shared by the commands (app/cli/) and the window's options
 * (app/gui/): whole-argument numbers with range checks and one-line messages, and JSON string
 * output. Main thread. */
#ifndef EMBEDSCOPE_ARGS_H
#define EMBEDSCOPE_ARGS_H
#include <stdio.h>

/* Parses a whole decimal/float argument in [lo, hi]; on error prints "embedscope: bad value for
 * FLAG: 'x' (want ...)" and returns 0. */
int args_int(const char *flag, const char *s, long long lo, long long hi, long long *out);
int args_double(const char *flag, const char *s, double lo, double hi, double *out);
/* Writes s as a JSON string literal (quoted, escaped; invalid UTF-8 becomes U+FFFD) to f. */
void args_json_string(FILE *f, const char *s);

#endif
