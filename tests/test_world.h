/* A trainer on the built-in demo world, for the tests of what reads a live training run (the
 * analysis thread, its layouts). The object lives in the testmain library apart from main, so
 * only the binaries that call it need the model library. */
#ifndef EMBEDSCOPE_TEST_WORLD_H
#define EMBEDSCOPE_TEST_WORLD_H
#include "model/train/train.h"

/* Opens @world into c and makes a trainer of dim dimensions, one thread and iter epochs (not
 * started); NULL with e filled on failure. The caller destroys it, then closes c. */
Trainer *test_world_trainer(Corpus *c, int dim, int iter, Err *e);

#endif
