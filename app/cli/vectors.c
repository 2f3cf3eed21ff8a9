/* Loading a vector file for a command (see vectors.h). Main thread. */
#include "app/cli/vectors.h"
#include <stdio.h>

bool cli_load_vectors(const VecLoadDesc *d, Embeddings *out, Err *e)
{
    VecInfo info;
    char note[256];
    if (!vecfile_load(d, out, &info, e))
        return false;
    if (vecfile_duplicates_note(&info, note, sizeof note))
        fprintf(stderr, "embedscope: %s: %s\n", d->path ? d->path : "vectors", note);
    return true;
}
