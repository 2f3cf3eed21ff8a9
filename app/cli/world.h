/* `embedscope world`: the built-in demo world's sentences, questions and pairs.
 * Returns the process exit code (0 ok, 1 runtime error, 2 usage error). Main thread. */
#ifndef EMBEDSCOPE_CLI_WORLD_H
#define EMBEDSCOPE_CLI_WORLD_H

int cmd_world(int argc, char **argv);

#endif
