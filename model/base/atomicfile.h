/* Atomic file writes: write to "PATH.tmp.XXXXXX" in the same folder, fflush + fsync, rename
 * over PATH. A crash or a full disk leaves any older PATH intact. One thread per AtomicFile. */
#ifndef EMBEDSCOPE_ATOMICFILE_H
#define EMBEDSCOPE_ATOMICFILE_H
#include "model/base/err.h"
#include <stdio.h>

typedef struct AtomicFile {
    FILE *f;              /* write through this */
    char path[4096];
    char tmp[4096 + 16];
} AtomicFile;

bool af_open(AtomicFile *a, const char *path, Err *e);
/* Checks every write error (ferror, fflush, fsync, fclose), then renames; on any failure the
 * temp file is removed and e names the path. */
bool af_commit(AtomicFile *a, Err *e);
void af_abort(AtomicFile *a); /* removes the temp file; safe after commit and on a zeroed a */

#endif
