/* Bookmarks: a full round trip through the file with hostile strings, the escaping as written,
 * hand-written files (comments, blanks, CRLF, BOM), every way the strict loader refuses a file
 * (each with "FILE:line N: reason" and `out` untouched), and saves that must fail while
 * keeping the older file: a missing folder, a read-only folder, a bookmark the loader would
 * refuse. */
#include "model/files/bookmark.h"
#include "tests/test.h"
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp_root[64];

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void rm_tmp(void)
{
    if (tmp_root[0]) {
        char ro[128];
        snprintf(ro, sizeof ro, "%s/ro", tmp_root);
        chmod(ro, 0755);
        nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
}

/* A per-process scratch folder (readable by all, for the unprivileged child), removed at exit. */
static const char *tmp_path(const char *name)
{
    static char buf[8][256];
    static int next;
    if (!tmp_root[0]) {
        snprintf(tmp_root, sizeof tmp_root, "/tmp/test_bookmark.XXXXXX");
        if (!mkdtemp(tmp_root) || chmod(tmp_root, 0755) != 0) {
            perror("mkdtemp");
            exit(1);
        }
        atexit(rm_tmp);
    }
    char *b = buf[next++ % 8];
    snprintf(b, 256, "%s/%s", tmp_root, name);
    return b;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* Every field set, strings full of what a naive format would break on. */
static void full(Bookmark *b)
{
    memset(b, 0, sizeof *b);
    b->set = BOOKMARK_SOURCE | BOOKMARK_VIEW | BOOKMARK_TWO_D | BOOKMARK_ROTATION | BOOKMARK_TARGET |
             BOOKMARK_DISTANCE | BOOKMARK_LABEL_SIZE | BOOKMARK_K | BOOKMARK_SELECTED | BOOKMARK_MODEL |
             BOOKMARK_DIM | BOOKMARK_WINDOW | BOOKMARK_NEGATIVE | BOOKMARK_SAMPLE | BOOKMARK_ALPHA |
             BOOKMARK_EPOCHS | BOOKMARK_MIN_COUNT | BOOKMARK_THREADS | BOOKMARK_SEED |
             BOOKMARK_PROJECTION | BOOKMARK_AXIS_X | BOOKMARK_AXIS_Y | BOOKMARK_COLOR_BY | BOOKMARK_DENSITY |
             BOOKMARK_LAYOUT_NEIGHBORS | BOOKMARK_LAYOUT_MIN_DIST | BOOKMARK_LAYOUT_PERPLEXITY | BOOKMARK_LAYOUT_EPOCHS;
    strcpy(b->source, " /data/my corpus = \"v2\" #1\\x.txt ");
    strcpy(b->view, "positions");
    b->two_d = true;
    b->rotation[0] = 0.0f, b->rotation[1] = 0.70710677f, b->rotation[2] = 0.0f, b->rotation[3] = 0.70710677f;
    b->target[0] = -1.5f, b->target[1] = 1e-7f, b->target[2] = 123456.789f;
    b->distance = 7.25f;
    b->label_size = 14;
    b->k = 12;
    strcpy(b->selected, "caf\xc3\xa9");
    b->n_words = BOOKMARK_MAX_WORDS;
    for (int i = 0; i < BOOKMARK_MAX_WORDS; i++)
        snprintf(b->words[i], sizeof b->words[i], "w%d\t=\n#", i);
    strcpy(b->words[3], "\xff\xfe invalid \x01 \x7f");
    b->n_pins = BOOKMARK_MAX_PINS;
    strcpy(b->pins[0], "king - man + woman");
    strcpy(b->pins[1], "\\n is not a newline, \"quoted\" 'single'");
    strcpy(b->pins[2], "\xe6\x97\xa5\xe6\x9c\xac + \xf0\x9f\x98\x80\r\n");
    memset(b->pins[3], 'p', BOOKMARK_MAX_PIN - 1);
    b->model = BOOKMARK_CBOW;
    b->dim = 300, b->window = 8, b->negative = 0, b->epochs = 3, b->min_count = 1, b->threads = 2;
    b->sample = 0.0, b->alpha = 0.025;
    b->seed = 18446744073709551615ull;
    strcpy(b->projection, "axes");
    strcpy(b->axis[0], " man -> woman = #x ");
    memset(b->axis[1], 'y', BOOKMARK_MAX_AXIS - 1);
    strcpy(b->color_by, "metadata part of speech");
    strcpy(b->density, "points");
    b->layout_neighbors = 256, b->layout_epochs = 0, b->layout_min_dist = 0.05, b->layout_perplexity = 200;
}

TEST(round_trip_every_field)
{
    Bookmark a, b;
    Err e;
    full(&a);
    CHECKF(bookmark_save(tmp_path("full.ini"), &a, &e), "%s", e.msg);
    memset(&b, 0x5A, sizeof b);
    CHECKF(bookmark_load(tmp_path("full.ini"), &b, &e), "%s", e.msg);
    CHECK(!memcmp(&a, &b, sizeof a));
    /* the escaping, as a person sees it */
    const char *t = read_file(tmp_path("full.ini"));
    CHECK(t && !strncmp(t, "# embedscope bookmark\nversion = 1\n", 34));
    CHECKF(strstr(t, "\nsource = \\s/data/my corpus = \"v2\" #1\\\\x.txt\\s\n"), "%s", t);
    CHECK(strstr(t, "\nword = w0\\t=\\n#\n") && strstr(t, "\nword = \\xFF\\xFE invalid \\x01 \\x7F\n"));
    CHECK(strstr(t, "\npin = \xe6\x97\xa5\xe6\x9c\xac + \xf0\x9f\x98\x80\\r\\n\n"));
    CHECK(strstr(t, "\nrotation = 0 0.707106769 0 0.707106769\n") && strstr(t, "\nmodel = cbow\n"));
    CHECK(strstr(t, "\nseed = 18446744073709551615\n") && strstr(t, "\nsample = 0\n"));
    CHECKF(strstr(t, "\nprojection = axes\n") && strstr(t, "\naxis_x = \\sman -> woman = #x\\s\n") &&
           strstr(t, "\ncolor_by = metadata part of speech\n") && strstr(t, "\ndensity = points\n"), "%s", t);
    CHECKF(strstr(t, "\nlayout_neighbors = 256\n") && strstr(t, "\nlayout_epochs = 0\n") &&
           strstr(t, "\nlayout_min_dist = 0.050000000000000003\n") && strstr(t, "\nlayout_perplexity = 200\n"),
           "%s", t);
}

TEST(zero_is_empty)
{
    Bookmark a, b;
    Err e;
    memset(&a, 0, sizeof a);
    CHECKF(bookmark_save(tmp_path("zero.ini"), &a, &e), "%s", e.msg);
    CHECK(!strcmp(read_file(tmp_path("zero.ini")), "# embedscope bookmark\nversion = 1\n"));
    memset(&b, 1, sizeof b);
    CHECKF(bookmark_load(tmp_path("zero.ini"), &b, &e), "%s", e.msg);
    CHECK(!memcmp(&a, &b, sizeof a));
    /* a set field whose value is zero is still set */
    a.set = BOOKMARK_TWO_D | BOOKMARK_SEED | BOOKMARK_SELECTED;
    CHECKF(bookmark_save(tmp_path("zero.ini"), &a, &e), "%s", e.msg);
    CHECK(bookmark_load(tmp_path("zero.ini"), &b, &e) && b.set == a.set && !b.two_d && !b.seed);
    CHECK(strstr(read_file(tmp_path("zero.ini")), "\nselected =\n"));
}

TEST(hand_written)
{
    const char *t = "\xEF\xBB\xBF# my view\r\n\r\n   version=1\r\n"
                    "\tview   =   space  \r\n"
                    "  # k = 3 is commented out\n"
                    "k=7\n"
                    "selected = a b\\sc  \n"
                    "pin = x = y # not a comment\n"
                    "target = 1 2\t3\n"
                    "sample = 1e-4\n";
    Bookmark b;
    Err e;
    CHECKF(bookmark_parse("hand", t, strlen(t), &b, &e), "%s", e.msg);
    CHECK(b.set == (BOOKMARK_VIEW | BOOKMARK_K | BOOKMARK_SELECTED | BOOKMARK_TARGET | BOOKMARK_SAMPLE));
    CHECK(!strcmp(b.view, "space") && b.k == 7 && !strcmp(b.selected, "a b c"));
    CHECK(b.n_pins == 1 && !strcmp(b.pins[0], "x = y # not a comment"));
    CHECK(b.target[2] == 3.0f && b.sample == 1e-4);
}

/* Parses text; must fail with `want` in the message and leave out untouched. 0 when it does. */
static int refuse(const char *text, const char *want)
{
    Bookmark b, keep;
    Err e = {{0}};
    memset(&b, 0x33, sizeof b);
    memcpy(&keep, &b, sizeof b);
    bool ok = bookmark_parse("bm.ini", text, strlen(text), &b, &e);
    int bad = ok || !strstr(e.msg, want) || strchr(e.msg, '\n') || memcmp(&b, &keep, sizeof b);
    if (bad)
        fprintf(stderr, "    '%.60s': expected '%s', got %s '%s'\n", text, want, ok ? "success" : "", e.msg);
    return bad;
}

TEST(strict_loading)
{
    int bad = 0;
    bad += refuse("", "bm.ini:line 1: no 'version = 1' line");
    bad += refuse("# only a comment\n", "bm.ini:line 2: no 'version = 1' line");
    bad += refuse("k = 3\nversion = 1\n", "bm.ini:line 1: no 'version = 1' before the first key");
    bad += refuse("version = 2\n", "bm.ini:line 1: version 2 is not 1");
    bad += refuse("version = 1\nversion = 1\n", "bm.ini:line 2: repeated key 'version'");
    bad += refuse("version = 1\nzoom = 3\n", "bm.ini:line 2: unknown key 'zoom'");
    bad += refuse("version = 1\nk\n", "bm.ini:line 2: expected 'key = value'");
    bad += refuse("version = 1\nk = 3\nk = 4\n", "bm.ini:line 3: repeated key 'k'");
    bad += refuse("version = 1\nk = 3x\n", "bm.ini:line 2: k: '3x' is not a whole number");
    bad += refuse("version = 1\nk =\n", "bm.ini:line 2: k: '' is not a whole number");
    bad += refuse("version = 1\nk = 1e3\n", "k: '1e3' is not a whole number");
    /* an escaped newline quoted back stays on one line (found by fuzz_bookmark) */
    bad += refuse("version = 1\nk = 3\\n4\n", "k: '3?4' is not a whole number");
    bad += refuse("version = 1\nk = 0\n", "bm.ini:line 2: k: 0 is outside 1..1000");
    bad += refuse("version = 1\ndim = 10001\n", "dim: 10001 is outside 1..10000");
    bad += refuse("version = 1\nthreads = 99999999999999999999\n", "threads: 99999999999999999999 is outside");
    bad += refuse("version = 1\ntwo_d = 2\n", "two_d: 2 is outside 0..1");
    bad += refuse("version = 1\nseed = -1\n", "seed: '-1' is not a whole number >= 0");
    bad += refuse("version = 1\nseed = 18446744073709551616\n", "seed: 18446744073709551616 is larger than 2^64 - 1");
    bad += refuse("version = 1\nsample = nan\n", "bm.ini:line 2: sample: NaN is not allowed");
    bad += refuse("version = 1\nalpha = inf\n", "alpha: an infinite value is not allowed");
    bad += refuse("version = 1\nalpha = 1e999\n", "alpha: an infinite value");
    bad += refuse("version = 1\nalpha = 11\n", "alpha: 11 is outside [0..10]");
    bad += refuse("version = 1\ntarget = 1 nan 2\n", "target: NaN is not allowed");
    bad += refuse("version = 1\ntarget = 1 2\n", "target: expected 3 numbers, found 2");
    bad += refuse("version = 1\ntarget = 1 2 3 4\n", "target: expected 3 numbers, found more");
    bad += refuse("version = 1\ntarget = 1 2 3e10\n", "target: 3e10 is outside");
    bad += refuse("version = 1\ndistance = 0\n", "distance: 0 is outside (0..1e+09]");
    bad += refuse("version = 1\nrotation = 0 0 0 2\n", "rotation: 2 is outside");
    bad += refuse("version = 1\nrotation = 0.5 0.5 0.5 0.4\n", "rotation: not a unit quaternion");
    bad += refuse("version = 1\nmodel = skip\n", "model: 'skip' is not sg or cbow");
    bad += refuse("version = 1\nview = Space\n", "view: 'Space' is not a name");
    bad += refuse("version = 1\nview =\n", "view: '' is not a name");
    bad += refuse("version = 1\nprojection = UMAP\n", "bm.ini:line 2: projection: 'UMAP' is not a name");
    bad += refuse("version = 1\ndensity = on off\n", "density: 'on off' is not a name");
    bad += refuse("version = 1\nlayout_neighbors = 257\n", "layout_neighbors: 257 is outside 0..256");
    bad += refuse("version = 1\nlayout_min_dist = -0.1\n", "layout_min_dist: -0.1 is outside [0..10]");
    bad += refuse("version = 1\nlayout_epochs = 1e3\n", "layout_epochs: '1e3' is not a whole number");
    bad += refuse("version = 1\nword =\n", "bm.ini:line 2: word: empty");
    bad += refuse("version = 1\npin = a\\qb\n", "unknown escape '\\q'");
    bad += refuse("version = 1\npin = a\\x4\n", "'\\x' needs two hex digits");
    bad += refuse("version = 1\npin = a\\x00b\n", "a NUL byte cannot be stored");
    bad += refuse("version = 1\npin = a\\\n", "a lone '\\' ends the value");
    bad += refuse("version = 1\npin = a\x01z\n", "control byte 0x01 in the value");
    CHECK(bad == 0);
    /* sizes: a pin of 256 bytes, a 17th word, a fifth pin, a line over the limit, a NUL */
    static char t[2 * BOOKMARK_MAX_LINE];
    char *o = t + sprintf(t, "version = 1\npin = ");
    memset(o, 'x', 256);
    strcpy(o + 256, "\n");
    bad += refuse(t, "bm.ini:line 2: value longer than 255 bytes");
    o = t + sprintf(t, "version = 1\n");
    for (int i = 0; i <= BOOKMARK_MAX_WORDS; i++)
        o += sprintf(o, "word = w%d\n", i);
    bad += refuse(t, "bm.ini:line 18: more than 16 'word' lines");
    o = t + sprintf(t, "version = 1\n");
    for (int i = 0; i <= BOOKMARK_MAX_PINS; i++)
        o += sprintf(o, "pin = p%d\n", i);
    bad += refuse(t, "bm.ini:line 6: more than 4 'pin' lines");
    o = t + sprintf(t, "version = 1\n# ");
    memset(o, 'c', BOOKMARK_MAX_LINE);
    strcpy(o + BOOKMARK_MAX_LINE, "\n");
    bad += refuse(t, "bm.ini:line 2: line longer than 20000 bytes");
    CHECK(bad == 0);
    Bookmark b;
    Err e;
    CHECK(!bookmark_parse("nul", "version = 1\nk = 1\0\n", 19, &b, &e) && strstr(e.msg, "nul:line 2: NUL byte"));
    /* the whole-file cap, before any parsing */
    char *big = calloc(1, BOOKMARK_MAX_FILE + 1);
    CHECK(big);
    bool ok = bookmark_parse("big", big, BOOKMARK_MAX_FILE + 1, &b, &e);
    free(big);
    CHECK(!ok && strstr(e.msg, "big: 1048577 bytes"));
    /* a missing file and a folder */
    CHECK(!bookmark_load(tmp_path("none.ini"), &b, &e) && strstr(e.msg, "none.ini: No such file"));
    CHECK(!bookmark_load(tmp_root, &b, &e) && strstr(e.msg, ": not a regular file"));
}

/* Saves that fail keep the older file byte for byte and say why. */
TEST(failed_saves_keep_the_old_file)
{
    Bookmark a, bad;
    Err e;
    full(&a);
    const char *p = tmp_path("keep.ini");
    CHECKF(bookmark_save(p, &a, &e), "%s", e.msg);
    char old[1 << 16];
    strcpy(old, read_file(p));
    /* a bookmark the loader would refuse is not written */
    memcpy(&bad, &a, sizeof a);
    bad.alpha = NAN;
    CHECK(!bookmark_save(p, &bad, &e) && strstr(e.msg, "cannot save: ") && strstr(e.msg, "alpha: NaN"));
    memcpy(&bad, &a, sizeof a);
    bad.n_words = 17;
    CHECK(!bookmark_save(p, &bad, &e) && strstr(e.msg, "cannot save: 17 words (at most 16)"));
    memcpy(&bad, &a, sizeof a);
    memset(bad.view, 'v', sizeof bad.view);
    CHECK(!bookmark_save(p, &bad, &e) && strstr(e.msg, "view is not NUL-terminated"));
    CHECK(!strcmp(read_file(p), old));
    /* a missing folder */
    CHECK(!bookmark_save(tmp_path("no/such/dir/x.ini"), &a, &e));
    CHECKF(strstr(e.msg, "no/such/dir/x.ini: cannot create a temporary file beside it: No such file"), "%s", e.msg);
    /* a read-only folder; root writes anyway, so the check runs as nobody in a child */
    const char *ro = tmp_path("ro"), *rp = tmp_path("ro/view.ini");
    CHECK(mkdir(ro, 0755) == 0);
    CHECKF(bookmark_save(rp, &a, &e), "%s", e.msg);
    CHECK(chmod(ro, 0555) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(99);
        Err ce;
        Bookmark z;
        memset(&z, 0, sizeof z);
        bool saved = bookmark_save(rp, &z, &ce);
        const char *t = read_file(rp);
        _exit(saved ? 1 : !strstr(ce.msg, "cannot create a temporary file beside it: Permission denied") ? 2
              : !t || strcmp(t, old) ? 3 : 0);
    }
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
    if (WEXITSTATUS(st) == 99)
        SKIP("cannot drop root to test a read-only folder");
    CHECKF(WEXITSTATUS(st) == 0, "child status %d", WEXITSTATUS(st));
    Bookmark back;
    CHECK(bookmark_load(rp, &back, &e) && !memcmp(&back, &a, sizeof a));
}

/* The training keys read and write a TrainDesc through the TrainParam table: the same ranges
 * as the command line, "off" as 0 in the file and -1 in the desc, epochs as iter. */
TEST(training_settings_through_the_table)
{
    TrainDesc d = train_desc_defaults(NULL), back = {0};
    d.model = TRAIN_SKIPGRAM, d.negative = -1, d.hs = 1, d.sample = -1, d.alpha = 0.1 + 0.2;
    d.iter = 12, d.window = 1000, d.seed = 18446744073709551615ull, d.threads = 3;
    Bookmark *b = calloc(1, sizeof *b), *l = calloc(1, sizeof *l);
    Err e;
    CHECK(b && l && bookmark_store_train(b, &d));
    CHECK(b->set == (BOOKMARK_MODEL | BOOKMARK_DIM | BOOKMARK_WINDOW | BOOKMARK_NEGATIVE |
                     BOOKMARK_SAMPLE | BOOKMARK_ALPHA | BOOKMARK_EPOCHS | BOOKMARK_MIN_COUNT |
                     BOOKMARK_THREADS | BOOKMARK_SEED));
    CHECK(b->model == BOOKMARK_SG && b->negative == 0 && b->sample == 0 && b->epochs == 12);
    CHECKF(bookmark_save(tmp_path("train.ini"), b, &e), "%s", e.msg);
    CHECKF(bookmark_load(tmp_path("train.ini"), l, &e), "%s", e.msg);
    bookmark_apply_train(l, &back);
    CHECK(back.model == TRAIN_SKIPGRAM && back.negative == -1 && back.sample == -1);
    CHECK(back.alpha == d.alpha && back.iter == 12 && back.window == 1000 && back.threads == 3);
    CHECK(back.seed == d.seed && back.dim == d.dim && back.min_count == d.min_count);
    CHECK(back.hs == 0 && back.max_vocab == 0); /* not bookmark keys: d's fields stay */
    /* a value the table refuses is not stored */
    d.window = 1001;
    memset(b, 0, sizeof *b);
    CHECK(!bookmark_store_train(b, &d) && !(b->set & BOOKMARK_WINDOW) && (b->set & BOOKMARK_DIM));
    free(b);
    free(l);
    int bad = refuse("version = 1\nwindow = 1001\n", "window: 1001 is outside 1..1000");
    bad += refuse("version = 1\nepochs = 100001\n", "epochs: 100001 is outside 1..100000");
    bad += refuse("version = 1\nnegative = -1\n", "negative: -1 is outside 0..1000");
    CHECK(bad == 0);
}
