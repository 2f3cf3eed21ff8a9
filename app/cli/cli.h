/* The command line: one entry point per `embedscope <command>`, each in its own cli_*.c file.
 * Each returns the process exit code (0 ok, 1 runtime error, 2 usage error). Main thread. */
#ifndef EMBEDSCOPE_CLI_H
#define EMBEDSCOPE_CLI_H

int cmd_train(int argc, char **argv);      /* cli_train.c */
int cmd_neighbours(int argc, char **argv); /* cli_query.c */
int cmd_analogy(int argc, char **argv);    /* cli_query.c */
int cmd_eval(int argc, char **argv);       /* cli_eval.c */
int cmd_world(int argc, char **argv);      /* cli_world.c */
int cmd_export(int argc, char **argv);     /* cli_export.c */


/* Small helpers shared by the commands (cli_util.c). */
/* Parses a whole decimal/float argument; prints "embedscope: bad value for FLAG: 'x'" on error. */
int cli_int(const char *flag, const char *s, long long lo, long long hi, long long *out);
int cli_double(const char *flag, const char *s, double lo, double hi, double *out);
/* Writes s as a JSON string literal (quoted, escaped) to f. */
#include <stdio.h>
void cli_json_string(FILE *f, const char *s);

#endif
