/* The bounded reader under every load (readbuf through vecfile_load): pipes, gzip, lines far
 * past the limit, hostile inputs under an address-space limit, open errors, and progress with
 * cancel. */
#include "tests/model/files/vecfixture.h"
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>

TEST(hostile_directory)
{
    CHECK(expect_fail(TEST_DATA_DIR "/hostile", ": ", "is a directory") == 0);
    CHECK(expect_fail(TEST_DATA_DIR "/hostile/no_such_file.txt", ": ", "No such file") == 0);
}

/* The same lying header through a pipe, where the file size cannot bound the allocation. */
TEST(hostile_lying_header_pipe)
{
    const char *fifo = tmp_path("fifo");
    CHECK(mkfifo(fifo, 0600) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        size_t n;
        char *s = read_all(HOSTILE "lying_header.txt", &n);
        int fd = open(fifo, O_WRONLY);
        ssize_t w = s && fd >= 0 ? write(fd, s, n) : -1;
        _exit(w == (ssize_t)n ? 0 : 1);
    }
    int r = expect_fail(fifo, ":line 12:", "after 10 of the 1000000000 rows");
    int status;
    waitpid(pid, &status, 0);
    CHECK(r == 0);
}

/* A 50 MB line (generated here, not committed) must fail quickly with bounded memory. */
static void write_long_line(const char *p, const char *head, size_t len)
{
    FILE *f = fopen(p, "wb");
    char block[65536];
    memset(block, '7', sizeof block);
    fputs(head, f);
    for (size_t done = 0; done < len; done += sizeof block)
        fwrite(block, 1, sizeof block, f);
    fputs("\n", f);
    fclose(f);
}

/* "2 3\nword 7777...": the 50 MB file, written once per run. */
static const char *fifty_mb_line(void)
{
    static const char *p;
    if (!p) {
        p = tmp_path("long_line.txt");
        write_long_line(p, "2 3\nword ", 50u << 20);
    }
    return p;
}

TEST(hostile_50mb_line)
{
    const char *p = fifty_mb_line();
    CHECK(expect_fail(p, ":line 2:", "line longer than 1048576 bytes") == 0);
    /* the same limit on the first line and on a binary word; 5 MB is well past it too */
    const char *q = tmp_path("long_first.txt");
    write_long_line(q, "", 5u << 20);
    CHECK(expect_fail(q, ":line 1:", "line longer than") == 0);
    const char *b = tmp_path("long_word.bin");
    write_long_line(b, "2 3\n", 5u << 20);
    CHECK(expect_fail_fmt(b, VEC_BINARY, ": byte 4:", "no space after a word within 1048576 bytes") == 0);
}

/* The hostile loads above again, under a 256 MB address-space limit: none may allocate by what
 * a header claims or by how long a line is. (Skipped under ASan, whose shadow memory needs
 * terabytes of address space.) */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
TEST(hostile_inputs_in_bounded_memory)
{
#ifdef UNDER_ASAN
    SKIP("under ASan, whose shadow memory needs more address space than the limit");
#else
    const char *p = fifty_mb_line();
    const char *q = tmp_path("big_claim.bin");
    /* binary, 1e9 rows of 10000 floats claimed, one row present (0.5f = 00 00 00 3F) */
    static unsigned char claim[17 + 2 + 40000 + 1] = "1000000000 10000\na ";
    for (int k = 0; k < 10000; k++)
        claim[19 + 4 * k + 3] = 0x3F;
    claim[sizeof claim - 1] = '\n';
    write_bytes(q, claim, sizeof claim);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {256u << 20, 256u << 20}; /* bytes of address space */
        setrlimit(RLIMIT_AS, &rl);
        int bad = expect_fail(HOSTILE "lying_header.txt", ":line 12:", "after 10 of the 1000000000 rows");
        bad |= expect_fail(p, ":line 2:", "line longer than");
        bad |= expect_fail(q, ": byte 40020:", "after 1 of the 1000000000 rows");
        /* gzip hides the real size: the bound is deflate's largest expansion (~1032:1) */
        const char *z = tmp_path("big_claim.bin.gz");
        gzip_file(q, z, 0);
        bad |= expect_fail(z, ": byte 40020 (uncompressed):", "after 1 of the 1000000000 rows");
        _exit(bad);
    }
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid);
    CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
#endif
}

/* gzip files (GoogleNews-vectors-negative300.bin.gz, cc.en.300.vec.gz) load as they are. */
TEST(gzip_files)
{
    Embeddings t, back;
    Err e;
    VecInfo info;
    CHECK(make_table(&t, 40, 20, 8));
    emb_init(&back);
    for (int binary = 0; binary < 2; binary++) {
        const char *p = tmp_path("gz_src"), *q = tmp_path("gz_src.gz");
        CHECK(vecfile_save(p, &t, binary ? VEC_BINARY : VEC_TEXT, &e));
        gzip_file(p, q, 0);
        CHECKF(load_path(q, VEC_AUTO, 0, &back, &info, &e), "%s", e.msg);
        CHECK(info.compressed && info.format == (binary ? VEC_BINARY : VEC_TEXT));
        CHECK(same_table(&t, &back, true));
        gzip_file(p, q, 200); /* truncated compressed stream */
        CHECK(expect_fail(q, ": ", "gzip: unexpected end of file") == 0);
    }
    /* errors in a gzip file count uncompressed bytes, and say so */
    const char *r = tmp_path("trunc.bin.gz");
    gzip_file(HOSTILE "truncated.bin", r, 0);
    CHECK(expect_fail(r, ": byte 25 (uncompressed):", "row 2 ('b') needs 16 bytes") == 0);
    emb_deinit(&t);
    emb_deinit(&back);
}

typedef struct ProgressLog {
    int calls, stop_at;
    double last;
    bool monotone;
} ProgressLog;

static bool log_progress(void *ctx, double fraction)
{
    ProgressLog *p = ctx;
    p->monotone &= fraction >= p->last && fraction <= 1.0;
    p->last = fraction;
    return ++p->calls != p->stop_at;
}

/* A load reports the fraction of the file read, ending at 1, and a progress function that says
 * stop cancels it, leaving the output untouched. */
TEST(load_progress_and_cancel)
{
    Embeddings t, u;
    Err e = {{0}};
    CHECK(make_table(&t, 20000, 60, 7)); /* ~12 MB of text: several progress calls */
    const char *p = tmp_path("progress.txt");
    CHECKF(vecfile_save(p, &t, VEC_TEXT, &e), "%s", e.msg);
    emb_init(&u);
    ProgressLog log = {.stop_at = -1, .monotone = true};
    CHECKF(vecfile_load(&(VecLoadDesc){.path = p, .progress = log_progress, .ctx = &log}, &u, NULL, &e), "%s", e.msg);
    CHECKF(log.calls >= 3, "%d calls", log.calls);
    CHECK(log.monotone && log.last == 1.0);
    CHECK(u.rows == 20000);
    emb_deinit(&u);
    make_sentinel(&u);
    ProgressLog stop = {.stop_at = 2, .monotone = true};
    CHECK(!vecfile_load(&(VecLoadDesc){.path = p, .progress = log_progress, .ctx = &stop}, &u, NULL, &e));
    CHECKF(strstr(e.msg, "cancelled") && strstr(e.msg, "progress.txt"), "%s", e.msg);
    CHECK(stop.calls == 2);
    CHECK(sentinel_intact(&u));
    emb_deinit(&u);
    emb_deinit(&t);
}
