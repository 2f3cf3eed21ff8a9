/* `embedscope train`: word2vec.c's command line over the trainer.
 * Returns the process exit code (0 ok, 1 runtime error, 2 usage error). Main thread. */
#ifndef EMBEDSCOPE_CLI_TRAIN_H
#define EMBEDSCOPE_CLI_TRAIN_H

int cmd_train(int argc, char **argv);

#endif
