/* Atomic file writes: see atomicfile.h. The temp file is created with open(O_EXCL, 0666) and
 * not mkstemp, so the saved file gets the usual umask permissions instead of mkstemp's 0600. */
#include "model/base/atomicfile.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A fresh name "PATH.tmp.XXXXXX": six letters from a mix of time, pid and a counter. */
static void tmp_name(AtomicFile *a, unsigned attempt)
{
    static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid() << 32 ^
                 (uint64_t)(uintptr_t)a ^ (uint64_t)attempt * 0xBF58476D1CE4E5B9ull;
    char suffix[7];
    for (int i = 0; i < 6; i++) {
        suffix[i] = abc[x % (sizeof abc - 1)];
        x /= sizeof abc - 1;
    }
    suffix[6] = 0;
    snprintf(a->tmp, sizeof a->tmp, "%s.tmp.%s", a->path, suffix);
}

bool af_open(AtomicFile *a, const char *path, Err *e)
{
    memset(a, 0, sizeof *a);
    if (strlen(path) >= sizeof a->path)
        return err_set(e, "%.64s...: path too long", path);
    snprintf(a->path, sizeof a->path, "%s", path);
    int fd = -1;
    for (unsigned attempt = 0; attempt < 100 && fd < 0; attempt++) {
        tmp_name(a, attempt);
        fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int er = errno;
        a->tmp[0] = 0;
        return err_set(e, "%s: cannot create a temporary file beside it: %s", path, strerror(er));
    }
    a->f = fdopen(fd, "wb");
    if (!a->f) {
        int er = errno;
        close(fd);
        unlink(a->tmp);
        a->tmp[0] = 0;
        return err_set(e, "%s: %s", path, strerror(er));
    }
    return true;
}

/* After the rename, make the directory entry durable too; failure here loses nothing. */
static void sync_dir(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = 0;
    else
        *slash = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

bool af_commit(AtomicFile *a, Err *e)
{
    if (!a->f)
        return err_set(e, "%s: not open for writing", a->path);
    int er = 0;
    if (ferror(a->f) || fflush(a->f) != 0)
        er = errno ? errno : EIO;
    else if (fsync(fileno(a->f)) != 0)
        er = errno;
    if (fclose(a->f) != 0 && !er)
        er = errno ? errno : EIO;
    a->f = NULL;
    if (!er && rename(a->tmp, a->path) != 0)
        er = errno;
    if (er) {
        unlink(a->tmp);
        a->tmp[0] = 0;
        return err_set(e, "%s: write failed: %s", a->path, strerror(er));
    }
    a->tmp[0] = 0;
    sync_dir(a->path);
    return true;
}

void af_abort(AtomicFile *a)
{
    if (a->f) {
        fclose(a->f);
        a->f = NULL;
    }
    if (a->tmp[0]) {
        unlink(a->tmp);
        a->tmp[0] = 0;
    }
}
