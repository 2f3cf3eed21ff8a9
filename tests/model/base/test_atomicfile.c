/* Atomic writes: a commit replaces the file whole, and every failure (abort, a full disk, a
 * missing folder, a directory in the way) leaves the old file as it was and no temp file. */
#include "model/base/atomicfile.h"
#include "tests/test.h"
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];

static void cleanup(void)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char p[512];
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            if (remove(p) != 0)
                rmdir(p);
        }
    closedir(d);
    rmdir(dir);
}

static const char *path_of(const char *name)
{
    static char buf[4][512];
    static int next;
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/test_atomicfile.XXXXXX");
        if (!mkdtemp(dir))
            exit(1);
        atexit(cleanup);
    }
    char *b = buf[next++ % 4];
    snprintf(b, 512, "%s/%s", dir, name);
    return b;
}

static void put(const char *p, const char *s)
{
    FILE *f = fopen(p, "wb");
    fputs(s, f);
    fclose(f);
}

/* True if file p holds exactly s. */
static bool holds(const char *p, const char *s)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return false;
    char b[256];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    return n == strlen(s) && !memcmp(b, s, n);
}

/* Files in the scratch folder whose name contains ".tmp." */
static int temp_files(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)))
        n += strstr(de->d_name, ".tmp.") != NULL;
    if (d)
        closedir(d);
    return n;
}

TEST(commit_replaces_whole_file)
{
    const char *p = path_of("a.txt");
    put(p, "old\n");
    AtomicFile a;
    Err e;
    CHECK(af_open(&a, p, &e));
    fputs("new contents\n", a.f);
    CHECK(holds(p, "old\n")); /* nothing visible before the commit */
    CHECK(temp_files() == 1);
    CHECK(af_commit(&a, &e));
    CHECK(holds(p, "new contents\n"));
    CHECK(temp_files() == 0);
    af_abort(&a); /* safe after a commit */
    CHECK(holds(p, "new contents\n"));
}

TEST(abort_keeps_old_file)
{
    const char *p = path_of("b.txt");
    put(p, "keep\n");
    AtomicFile a;
    Err e;
    CHECK(af_open(&a, p, &e));
    fputs("half written", a.f);
    af_abort(&a);
    CHECK(holds(p, "keep\n"));
    CHECK(temp_files() == 0);
    AtomicFile z;
    memset(&z, 0, sizeof z);
    af_abort(&z); /* safe on a zeroed struct */
}

TEST(new_file_gets_umask_mode)
{
    const char *p = path_of("mode.txt");
    AtomicFile a;
    Err e;
    mode_t old = umask(027);
    bool ok = af_open(&a, p, &e);
    umask(old);
    CHECK(ok);
    fputs("x", a.f);
    CHECK(af_commit(&a, &e));
    struct stat st;
    CHECK(stat(p, &st) == 0);
    CHECKF((st.st_mode & 0777) == 0640, "mode %o", (unsigned)(st.st_mode & 0777));
}

TEST(missing_folder_is_an_error)
{
    const char *p = path_of("nope/x.txt");
    AtomicFile a;
    Err e = {{0}};
    CHECK(!af_open(&a, p, &e));
    CHECKF(strstr(e.msg, p) && strstr(e.msg, "No such file"), "%s", e.msg);
    af_abort(&a);
}

TEST(directory_in_the_way)
{
    const char *p = path_of("adir");
    CHECK(mkdir(p, 0755) == 0);
    AtomicFile a;
    Err e = {{0}};
    CHECK(af_open(&a, p, &e));
    fputs("x", a.f);
    CHECK(!af_commit(&a, &e));
    CHECKF(strstr(e.msg, p) && strstr(e.msg, "write failed"), "%s", e.msg);
    CHECK(temp_files() == 0);
    struct stat st;
    CHECK(stat(p, &st) == 0 && S_ISDIR(st.st_mode));
}

TEST(path_too_long)
{
    static char p[5000];
    memset(p, 'a', sizeof p - 1);
    AtomicFile a;
    Err e = {{0}};
    CHECK(!af_open(&a, p, &e));
    CHECK(strstr(e.msg, "path too long") != NULL);
}

/* A full disk, simulated with a file size limit in a child process. */
TEST(full_disk_keeps_old_file)
{
    const char *p = path_of("full.txt");
    put(p, "precious\n");
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {4096, 4096}; /* bytes */
        setrlimit(RLIMIT_FSIZE, &rl);
        AtomicFile a;
        Err e = {{0}};
        if (!af_open(&a, p, &e))
            _exit(3);
        for (int i = 0; i < 100000; i++)
            fputs("0123456789", a.f);
        bool ok = af_commit(&a, &e);
        _exit(ok ? 1 : strstr(e.msg, "write failed") && strstr(e.msg, p) ? 0 : 2);
    }
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
    CHECK(holds(p, "precious\n"));
    CHECK(temp_files() == 0);
}
