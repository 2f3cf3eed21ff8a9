/* `embedscope layout`: a 2D or 3D layout (UMAP or PCA) of a vector file written as a
 * coordinates file, with its graph recall and neighbourhood preservation on request.
 * Returns the process exit code (0 ok, 1 runtime error, 2 usage error). Main thread. */
#ifndef EMBEDSCOPE_CLI_LAYOUT_H
#define EMBEDSCOPE_CLI_LAYOUT_H

int cmd_layout(int argc, char **argv);

#endif
