/* `embedscope neighbours` and `embedscope analogy`: cosine queries on a vector file.
 * Returns the process exit code (0 ok, 1 runtime error, 2 usage error). Main thread. */
#ifndef EMBEDSCOPE_CLI_QUERY_H
#define EMBEDSCOPE_CLI_QUERY_H

int cmd_neighbours(int argc, char **argv);
int cmd_analogy(int argc, char **argv);

#endif
