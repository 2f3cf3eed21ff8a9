/* Loading a vector file for a command: vecfile_load, then what the load skipped (repeated
 * words, and the rule used) said once on stderr, so the commands report a file the same way.
 * Main thread. */
#ifndef EMBEDSCOPE_CLI_VECTORS_H
#define EMBEDSCOPE_CLI_VECTORS_H
#include "model/files/vecfile.h"

bool cli_load_vectors(const VecLoadDesc *d, Embeddings *out, Err *e);

#endif
