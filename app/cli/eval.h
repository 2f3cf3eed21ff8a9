/* `embedscope eval analogies|similarity`: the standard evaluations of a vector file.
 * Returns the process exit code (0 ok, 1 runtime error, 2 usage error). Main thread. */
#ifndef EMBEDSCOPE_CLI_EVAL_H
#define EMBEDSCOPE_CLI_EVAL_H

int cmd_eval(int argc, char **argv);

#endif
