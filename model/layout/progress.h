/* The progress callback the layout jobs share (the kNN graph, UMAP, t-SNE): called on the
 * thread that runs the job, between passes, with the stage's name and the fraction of it done.
 * Types only; any thread. */
#ifndef EMBEDSCOPE_LAYOUT_PROGRESS_H
#define EMBEDSCOPE_LAYOUT_PROGRESS_H
#include <stdbool.h>

/* stage: "graph", "refine", "umap" ...; fraction in [0, 1]. Returning false cancels: the job
 * fails with the message "cancelled" and leaves its outputs untouched. */
typedef bool (*LayoutProgressFn)(void *ctx, const char *stage, double fraction);

#endif
