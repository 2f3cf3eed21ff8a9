/* `embedscope export`: coordinates, clusters and projector files from a vector file.
 * Returns the process exit code (0 ok, 1 runtime error, 2 usage error). Main thread. */
#ifndef EMBEDSCOPE_CLI_EXPORT_H
#define EMBEDSCOPE_CLI_EXPORT_H

int cmd_export(int argc, char **argv);

#endif
