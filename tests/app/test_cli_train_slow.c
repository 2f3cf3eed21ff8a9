/* Long runs of `embedscope train` as a user meets them (issue #16), the built binary
 * (EMBEDSCOPE_BIN) on @world: a run checkpointed every second and killed with SIGKILL has left
 * no output file, and `-resume` finishes it to the accuracy a normal run reaches on the
 * world's analogy questions; damaged or contradicted checkpoints give one line and a non-zero
 * exit; snapshots read during a run are always whole files; two MPI ranks of one thread reach
 * the world's bar together. About 15 s in a release build, hence `slow`: the sanitizer suites
 * skip it (test_ckpt covers the checkpoint code there; the sanitizer trees have no MPI). */
#include "tests/test.h"
#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[256], out[300], ckpt[300], questions[300], errpath[300], scratch[300];
static char err[8192], json[1 << 16];

static bool setup(void)
{
    if (dir[0])
        return true;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/embedscope-resume-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return false;
    snprintf(out, sizeof out, "%s/world.vec", dir);
    snprintf(ckpt, sizeof ckpt, "%s/run.ckpt", dir);
    snprintf(questions, sizeof questions, "%s/questions.txt", dir);
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", dir);
    snprintf(scratch, sizeof scratch, "%s/bad.ckpt", dir);
    return true;
}

__attribute__((destructor)) static void cleanup(void)
{
    if (!dir[0])
        return;
    DIR *d = opendir(dir);
    struct dirent *de;
    char p[600];
    while (d && (de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    rmdir(dir);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Runs a shell command line with stderr into err; returns the exit code, or -1. */
static int run(const char *cmd)
{
    char full[4096];
    snprintf(full, sizeof full, "%s 2>'%s'", cmd, errpath);
    FILE *p = popen(full, "r");
    if (!p)
        return -1;
    size_t n = fread(json, 1, sizeof json - 1, p);
    json[n] = 0;
    int st = pclose(p);
    FILE *f = fopen(errpath, "r");
    n = f ? fread(err, 1, sizeof err - 1, f) : 0;
    err[n] = 0;
    if (f)
        fclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Whether any file in dir starts with prefix (an atomic write's "world.vec.tmp.XXXXXX"). */
static bool any_file_starting(const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    bool found = false;
    while (d && (de = readdir(d)))
        found |= !strncmp(de->d_name, prefix, strlen(prefix));
    if (d)
        closedir(d);
    return found;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The share of the world's analogy questions `embedscope eval analogies` answers right with
 * the vectors in vec (its --json "total" accuracy), or -1. */
static double world_accuracy(const char *vec)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' world --questions > '%s'", EMBEDSCOPE_BIN, questions);
    if (run(cmd) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "'%s' eval analogies '%s' '%s' --json", EMBEDSCOPE_BIN, vec, questions);
    if (run(cmd) != 0)
        return -1;
    const char *t = strstr(json, "\"total\":{");
    const char *a = t ? strstr(t, "\"accuracy\":") : NULL;
    return a ? atof(a + strlen("\"accuracy\":")) : -1;
}

TEST(killed_run_resumes_to_a_normal_result)
{
    CHECK(setup());
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        /* 6 epochs of @world at 2 threads: 6 s on CI's fastest machine (one epoch took 1.0 s
         * there), so the first checkpoint, after 1 s, comes well before the end */
        execl(EMBEDSCOPE_BIN, EMBEDSCOPE_BIN, "train", "-train", "@world", "-output", out,
              "-iter", "6", "-threads", "2", "-checkpoint", ckpt, "-checkpoint-every", "1",
              "-debug", "0", (char *)NULL);
        _exit(127);
    }
    int waited_ms = 0;
    while (!exists(ckpt) && waited_ms < 120000) {
        sleep_ms(20);
        waited_ms += 20;
    }
    bool had_ckpt = exists(ckpt);
    kill(pid, SIGKILL);
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECKF(had_ckpt, "no checkpoint after %d ms", waited_ms);
    CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the run ended by itself (status %d)", st);
    /* the vectors are written only at the end: nothing, not even a temporary file */
    CHECK(!exists(out) && !any_file_starting("world.vec"));

    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' train -resume '%s' -debug 1", EMBEDSCOPE_BIN, ckpt);
    int rc = run(cmd);
    CHECKF(rc == 0, "resume exited %d: %s", rc, err);
    CHECKF(strstr(err, "Resuming ") && !strstr(err, "(0.00%)"), "%s", err);
    CHECK(exists(out)); /* -output came back from the checkpoint */
    double acc = world_accuracy(out);
    /* Uninterrupted 2-thread runs of 3 epochs score 99-100% here (bench/world.sh); the world's
     * bar (issue #3) is 95%. */
    CHECKF(acc >= 0.95, "accuracy %.4f after resuming", acc);
    fprintf(stderr, "    resumed run: %.2f%% of the world's analogies\n", acc * 100);
}

/* Runs on what the first test left (a finished run's last checkpoint). */
TEST(bad_checkpoints_and_changed_settings_are_refused)
{
    CHECK(setup());
    if (!exists(ckpt))
        SKIP("no checkpoint from killed_run_resumes_to_a_normal_result");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "head -c 5000 '%s' > '%s'", ckpt, scratch);
    CHECK(run(cmd) == 0);
    snprintf(cmd, sizeof cmd, "'%s' train -resume '%s'", EMBEDSCOPE_BIN, scratch);
    CHECK(run(cmd) == 1);
    CHECKF(strstr(err, scratch) && strstr(err, "truncated checkpoint") &&
           strchr(err, '\n') == err + strlen(err) - 1, "%s", err);
    snprintf(cmd, sizeof cmd, "'%s' train -resume '%s' -window 9", EMBEDSCOPE_BIN, ckpt);
    CHECK(run(cmd) == 2);
    CHECKF(strstr(err, "-window 9") && strstr(err, "keeps its settings"), "%s", err);
    snprintf(cmd, sizeof cmd, "'%s' train -resume '%s' -train /nonexistent", EMBEDSCOPE_BIN, ckpt);
    CHECK(run(cmd) == 2);
    snprintf(cmd, sizeof cmd, "'%s' train -train @world -checkpoint-every 5", EMBEDSCOPE_BIN);
    CHECK(run(cmd) == 2 && strstr(err, "needs -checkpoint"));
}

/* Whether path holds a whole word2vec text file: its header's row count, then exactly that
 * many rows of `dim` values, the last one ending in a newline. */
static bool whole_vectors(const char *path, long *rows_out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    long rows = -1, dim = -1, lines = 0, last = '\n';
    bool ok = fscanf(f, "%ld %ld", &rows, &dim) == 2 && rows > 0 && dim > 0;
    for (int c; ok && (c = fgetc(f)) != EOF; last = c)
        lines += c == '\n';
    fclose(f);
    *rows_out = rows;
    return ok && last == '\n' && lines == rows + 1;
}

TEST(snapshots_are_always_whole_files)
{
    CHECK(setup());
    char snap[400];
    snprintf(snap, sizeof snap, "%s/snap.vec", dir);
    /* far more epochs than the test waits for: it ends the run itself once the snapshot has
     * been replaced twice, however fast this machine trains (one epoch of @world took 1.0 s
     * on CI, less than the first snapshot's second) */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        execl(EMBEDSCOPE_BIN, EMBEDSCOPE_BIN, "train", "-train", "@world", "-iter", "200",
              "-size", "50", "-threads", "2", "-snapshot-every", "1", "-snapshot", snap,
              "-debug", "0", (char *)NULL);
        _exit(127);
    }
    /* read the snapshot as often as we can while the run goes on: never a partial file */
    int reads = 0, partial = 0, files = 0, waited_ms = 0, st = 0;
    long rows = 0;
    ino_t last = 0;
    bool ended = false;
    while (files < 3 && waited_ms < 120000 && !(ended = waitpid(pid, &st, WNOHANG) == pid)) {
        struct stat sb;
        if (stat(snap, &sb) == 0) {
            /* each snapshot is a new file renamed over the old one, so a new inode */
            files += sb.st_ino != last;
            last = sb.st_ino;
            reads++;
            partial += !whole_vectors(snap, &rows);
        }
        sleep_ms(5);
        waited_ms += 5;
    }
    if (!ended) {
        kill(pid, SIGKILL);
        CHECK(waitpid(pid, &st, 0) == pid);
    }
    CHECKF(!ended, "the run ended by itself (status %d) after %d ms", st, waited_ms);
    CHECKF(files >= 3 && partial == 0, "%d snapshots seen, %d reads, %d partial", files, reads,
           partial);
    CHECK(whole_vectors(snap, &rows) && rows > 1000);
    fprintf(stderr, "    %d reads of %d snapshots while training, all whole\n", reads, files);
}

TEST(two_mpi_ranks_reach_the_world_bar)
{
#ifndef TEST_HAVE_MPI
    SKIP("this build has no MPI (install openmpi-bin and libopenmpi-dev, then rerun cmake)");
#else
    CHECK(setup());
    if (system("command -v mpirun >/dev/null 2>&1") != 0)
        SKIP("mpirun not found (apt-get install openmpi-bin)");
    char vec[400], cmd[2048];
    snprintf(vec, sizeof vec, "%s/mpi.vec", dir);
    /* the command .ci/run gives, with the world's default 5 epochs cut to 3 */
    snprintf(cmd, sizeof cmd, "mpirun --allow-run-as-root --oversubscribe -np 2 '%s' train "
             "-train @world -output '%s' -iter 3 -threads 1 -debug 1", EMBEDSCOPE_BIN, vec);
    int rc = run(cmd);
    CHECKF(rc == 0, "mpirun exited %d: %s", rc, err);
    CHECKF(strstr(err, "Ranks: 2,") && strstr(err, "synchronisations"), "%s", err);
    double acc = world_accuracy(vec);
    CHECKF(acc >= 0.95, "accuracy %.4f with 2 ranks", acc);
    fprintf(stderr, "    2 ranks x 1 thread: %.2f%% of the world's analogies\n", acc * 100);
#endif
}
