/* `embedscope positions`: trains the small transformer (model/gpt/) on a corpus and writes its
 * learned position table (and token table) as projector vectors.tsv files. Returns the
 * process exit code (0 ok, 1 runtime error, 2 usage error). Main thread. */
#ifndef EMBEDSCOPE_CLI_POSITIONS_H
#define EMBEDSCOPE_CLI_POSITIONS_H

int cmd_positions(int argc, char **argv);

#endif
