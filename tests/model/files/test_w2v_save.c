/* word2vec text and binary writing (w2v_save through vecfile_save): round trips bit for bit,
 * the exact layouts word2vec.c writes, refused tables, a failed write that keeps the old file,
 * and gensim reading what we write when it is installed. */
#include "tests/model/files/vecfixture.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* ---- round trips ---- */

static int round_trip(bool binary)
{
    Embeddings t, back;
    Err e = {{0}};
    VecInfo info;
    /* dim 37: not a multiple of the 16-float stride, so padding is exercised */
    if (!make_table(&t, 50, 37, 1234))
        return 1;
    const char *p = tmp_path(binary ? "rt.bin" : "rt.txt");
    int bad = 0;
    emb_init(&back);
    if (!vecfile_save(p, &t, binary ? VEC_BINARY : VEC_TEXT, &e)) {
        fprintf(stderr, "    save: %s\n", e.msg);
        bad = 1;
    } else if (!load_path(p, VEC_AUTO, 0, &back, &info, &e)) {
        fprintf(stderr, "    load: %s\n", e.msg);
        bad = 1;
    } else {
        /* Binary copies the bits. Text uses %.9g, which reads back to the same float32 (9
         * significant digits suffice for binary32), so text is exact too. */
        bad |= !same_table(&t, &back, true);
        bad |= info.format != (binary ? VEC_BINARY : VEC_TEXT);
        bad |= back.stride != 48 || emb_row(&back, 7)[40] != 0.0f; /* padding stays zero */
        bad |= back.vocab.counts[0] != 50 || back.vocab.counts[49] != 1;
        bad |= vocab_find(&back.vocab, "w17", 3) != 17;
    }
    emb_deinit(&t);
    emb_deinit(&back);
    return bad;
}

TEST(text_round_trip) { CHECK(round_trip(false) == 0); }
TEST(binary_round_trip) { CHECK(round_trip(true) == 0); }

/* Text saving must read back bit for bit for every finite float: random bit patterns plus the
 * edges (subnormals, FLT_MIN/FLT_MAX, powers of ten, -0). */
TEST(text_round_trip_every_kind_of_float)
{
    Embeddings t, back;
    Err e;
    emb_init(&back);
    CHECK(make_table(&t, 2000, 100, 1));
    static const float edge[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.1f, 1e-45f, -1.4e-45f, 1.17549435e-38f,
                                 1.17549421e-38f, 3.40282347e38f, -3.40282347e38f, 1e-5f, 1e-6f,
                                 123456789.0f, 999999999.0f, 0.999999940f, 9.99999997e-7f, 1e9f,
                                 1e10f, 16777216.0f, 16777218.0f, 0.3f, 2.5e-10f, 1e38f};
    uint32_t s = 5;
    for (int64_t i = 0; i < t.rows; i++)
        for (int k = 0; k < t.dim; k++) {
            float x;
            do {
                s = s * 1664525u + 1013904223u;
                uint32_t u = s ^ (s >> 13) * 2654435761u;
                memcpy(&x, &u, sizeof x);
            } while (!isfinite(x));
            emb_row(&t, i)[k] = x;
        }
    for (size_t j = 0; j < sizeof edge / sizeof edge[0]; j++)
        emb_row(&t, 0)[j] = edge[j];
    const char *p = tmp_path("bits.txt");
    CHECKF(vecfile_save(p, &t, VEC_TEXT, &e), "%s", e.msg);
    CHECKF(load_path(p, VEC_TEXT, 0, &back, NULL, &e), "%s", e.msg);
    for (int64_t i = 0; i < t.rows; i++)
        for (int k = 0; k < t.dim; k++) {
            float x = emb_row(&t, i)[k], y = emb_row(&back, i)[k];
            CHECKF(!memcmp(&x, &y, sizeof x), "row %lld value %d: %.9g came back as %.9g",
                   (long long)i, k, x, y);
        }
    emb_deinit(&t);
    emb_deinit(&back);
}

TEST(text_format_is_word2vec)
{
    Embeddings t;
    Err e;
    CHECK(make_table(&t, 2, 3, 5));
    emb_row(&t, 0)[0] = 0.5f;
    emb_row(&t, 0)[1] = -2.0f;
    emb_row(&t, 0)[2] = 1e-7f;
    const char *p = tmp_path("fmt.txt");
    CHECK(vecfile_save(p, &t, VEC_TEXT, &e));
    size_t n;
    char *s = read_all(p, &n);
    emb_deinit(&t);
    CHECK(s);
    bool ok = !strncmp(s, "2 3\nw0 0.5 -2 1.00000001e-07\nw1 ", 32) && s[n - 1] == '\n';
    free(s);
    CHECKF(ok, "unexpected text layout");
    /* saved files get the usual umask permissions, not a temp file's 0600 */
    struct stat st;
    CHECK(stat(p, &st) == 0);
    mode_t um = umask(022);
    umask(um);
    CHECKF((st.st_mode & 0777) == (0666 & ~um), "mode %o", (unsigned)(st.st_mode & 0777));
}

TEST(binary_layout_matches_word2vec_c)
{
    Embeddings t;
    Err e;
    CHECK(make_table(&t, 1, 2, 5));
    emb_row(&t, 0)[0] = 1.0f;
    emb_row(&t, 0)[1] = -2.0f;
    const char *p = tmp_path("fmt.bin");
    CHECK(vecfile_save(p, &t, VEC_BINARY, &e));
    emb_deinit(&t);
    size_t n;
    char *s = read_all(p, &n);
    CHECK(s);
    /* header, word, space, 1.0f and -2.0f little-endian, newline */
    static const unsigned char want[] = {'1', ' ', '2', '\n', 'w', '0', ' ', 0, 0, 0x80, 0x3F,
                                         0, 0, 0, 0xC0, '\n'};
    bool ok = n == sizeof want && !memcmp(s, want, n);
    free(s);
    CHECK(ok);
}

/* ---- saving failures ---- */

TEST(save_into_missing_folder_fails)
{
    Embeddings t;
    Err e = {{0}};
    CHECK(make_table(&t, 3, 4, 1));
    const char *p = tmp_path("no/such/dir/v.txt");
    bool ok = vecfile_save(p, &t, VEC_TEXT, &e);
    emb_deinit(&t);
    CHECK(!ok);
    CHECKF(strstr(e.msg, p) != NULL, "%s", e.msg);
}

TEST(save_refuses_bad_tables)
{
    Embeddings t;
    Err e = {{0}};
    CHECK(make_table(&t, 3, 4, 1));
    emb_row(&t, 1)[2] = NAN;
    const char *p = tmp_path("nan_out.txt");
    CHECK(!vecfile_save(p, &t, VEC_TEXT, &e));
    CHECKF(strstr(e.msg, "row 1 ('w1'): value 3 is not finite"), "%s", e.msg);
    CHECK(access(p, F_OK) != 0);
    emb_deinit(&t);
}

static int count_temp_files(const char *dir_prefix)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls %s.tmp.* 2>/dev/null | wc -l", dir_prefix);
    FILE *f = popen(cmd, "r");
    int n = -1;
    if (f) {
        if (fscanf(f, "%d", &n) != 1)
            n = -1;
        pclose(f);
    }
    return n;
}

/* A write that fails half way (file size limit, as on a full disk) leaves the old file as it
 * was and no temp file behind. Runs in a child because the limit is per process. */
TEST(failed_save_keeps_old_file)
{
    const char *p = tmp_path("keep.bin");
    const char *old = "1 1\nold 1\n";
    write_bytes(p, old, strlen(old));
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        Embeddings t;
        Err e = {{0}};
        if (!make_table(&t, 2000, 100, 3))
            _exit(3);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {100000, 100000}; /* bytes: the table needs ~800 kB */
        setrlimit(RLIMIT_FSIZE, &rl);
        bool ok = vecfile_save(p, &t, VEC_BINARY, &e);
        _exit(ok ? 1 : strstr(e.msg, p) && strstr(e.msg, "write failed") ? 0 : 2);
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    size_t n;
    char *s = read_all(p, &n);
    bool same = s && n == strlen(old) && !memcmp(s, old, n);
    free(s);
    CHECK(same);
    CHECK(count_temp_files(p) == 0);
}

/* ---- other writers ---- */

static const char *find_gensim_python(void)
{
    static const char *cands[] = {"python3", "/usr/bin/python3"};
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "%s -c 'import gensim' >/dev/null 2>&1", cands[i]);
        if (run(cmd) == 0)
            return cands[i];
    }
    return NULL;
}

/* gensim reads our text and binary files and writes them back in its own way; we must read
 * those and get the same table (gensim writes text floats as repr(float32): exact). */
TEST(gensim_interop)
{
    const char *py = find_gensim_python();
    if (!py)
        SKIP("no python3 imports gensim (install python3-gensim)");
    Embeddings t, back;
    Err e;
    CHECK(make_table(&t, 30, 7, 77));
    /* non-ASCII words must survive gensim's UTF-8 decoding */
    Embeddings u;
    emb_init(&u);
    CHECK(emb_alloc(&u, 30, 7, &e));
    for (int64_t i = 0; i < 30; i++) {
        char w[32];
        int n = snprintf(w, sizeof w, i % 2 ? "caf\xc3\xa9%lld" : "\xe6\x97\xa5%lld", (long long)i);
        CHECK(vocab_add(&u.vocab, w, (size_t)n, 1, &e) == i);
        memcpy(emb_row(&u, i), emb_row(&t, i), 7 * sizeof(float));
    }
    emb_deinit(&t);
    CHECK(vecfile_save(tmp_path("ours.txt"), &u, VEC_TEXT, &e));
    CHECK(vecfile_save(tmp_path("ours.bin"), &u, VEC_BINARY, &e));
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s -c \"import sys\nfrom gensim.models import KeyedVectors as K\n"
             "d=sys.argv[1]\nfor n,b in (('ours.txt',0),('ours.bin',1)):\n"
             "  kv=K.load_word2vec_format(d+'/'+n,binary=bool(b))\n"
             "  assert len(kv)==30 and kv.vector_size==7\n"
             "  kv.save_word2vec_format(d+'/gensim_'+n,binary=bool(b))\n\" %s",
             py, tmp_root);
    CHECK(run(cmd) == 0);
    const char *names[] = {"gensim_ours.txt", "gensim_ours.bin"};
    for (int i = 0; i < 2; i++) {
        VecInfo info;
        emb_init(&back);
        bool ok = load_path(tmp_path(names[i]), VEC_AUTO, 0, &back, &info, &e);
        bool same = ok && same_table(&u, &back, true) && info.format == (i ? VEC_BINARY : VEC_TEXT);
        emb_deinit(&back);
        CHECKF(same, "%s: %s", names[i], ok ? "differs" : e.msg);
    }
    emb_deinit(&u);
}
