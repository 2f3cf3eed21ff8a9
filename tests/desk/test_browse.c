/* The open dialog's file system side: classes by content, folders first in name order, the
 * filters, hidden files, path tidying and Tab completion. */
#include "app/desk/browse.h"
#include "tests/test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static char root[64];

static void put(const char *name, const void *data, size_t n)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, name);
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

static void puts_file(const char *name, const char *text) { put(name, text, strlen(text)); }

/* A folder of every class once, made on first use. */
static const char *tree(void)
{
    if (root[0])
        return root;
    snprintf(root, sizeof root, "%s", test_tmpdir());
    if (!root[0])
        return root;
    char p[256];
    snprintf(p, sizeof p, "%s/Sub", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/alpha", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/.hidden", root);
    mkdir(p, 0755);
    puts_file("words.vec", "2 3\ncat 0.1 0.2 0.3\ndog 0.2 0.1 0.3\n");
    puts_file("glove.txt", "cat 0.1 0.2 0.3\ndog 0.2 0.1 0.3\n");
    puts_file("story.txt", "the cat sat on the mat and the dog slept\n");
    puts_file("view.bookmark", "# embedscope bookmark\nversion = 1\nsource = @world\n");
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    put("picture.png", png, sizeof png);
    puts_file("empty.txt", "");
    snprintf(p, sizeof p, "%s/corpus.txt.gz", root);
    gzFile z = gzopen(p, "wb");
    if (z) {
        gzputs(z, "a corpus compressed with gzip is still a corpus\n");
        gzclose(z);
    }
    return root;
}

static const BrowseEntry *find(const BrowseList *l, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->entries[i].name, name))
            return &l->entries[i];
    return NULL;
}

TEST(classes_by_content)
{
    BrowseList l = {0};
    Err e = {{0}};
    CHECK(browse_list(&l, tree(), NULL, &e));
    CHECK(find(&l, "words.vec") && find(&l, "words.vec")->kind == BROWSE_VECTORS);
    CHECK(find(&l, "glove.txt")->kind == BROWSE_VECTORS);
    CHECK(find(&l, "story.txt")->kind == BROWSE_CORPUS);
    CHECK(find(&l, "corpus.txt.gz")->kind == BROWSE_CORPUS);
    CHECK(find(&l, "view.bookmark")->kind == BROWSE_BOOKMARK);
    CHECK(find(&l, "picture.png")->kind == BROWSE_OTHER);
    CHECK(find(&l, "empty.txt")->kind == BROWSE_OTHER);
    CHECK(find(&l, "Sub")->kind == BROWSE_FOLDER && find(&l, "Sub")->size == 0);
    CHECK(find(&l, "story.txt")->size == 41);
    CHECK(!find(&l, ".hidden"));
    browse_free(&l);
}

TEST(folders_first_then_names_ignoring_case)
{
    BrowseList l = {0};
    Err e = {{0}};
    CHECK(browse_list(&l, tree(), NULL, &e));
    CHECK(l.n >= 4);
    CHECK(!strcmp(l.entries[0].name, "alpha") && !strcmp(l.entries[1].name, "Sub"));
    for (int i = 3; i < l.n; i++)
        CHECK(l.entries[i].kind != BROWSE_FOLDER);
    browse_free(&l);
    BrowseDesc d = {.show_hidden = true};
    CHECK(browse_list(&l, tree(), &d, &e));
    CHECK(find(&l, ".hidden"));
    browse_free(&l);
}

TEST(filters_keep_folders_and_their_class)
{
    BrowseList l = {0};
    Err e = {{0}};
    CHECK(browse_list(&l, tree(), NULL, &e));
    int n[BROWSE_SHOW_COUNT] = {0};
    for (int f = 0; f < BROWSE_SHOW_COUNT; f++)
        for (int i = 0; i < l.n; i++)
            n[f] += browse_keep(&l.entries[i], (BrowseFilter)f, NULL);
    CHECK(n[BROWSE_SHOW_ALL] == 9);
    CHECK(n[BROWSE_SHOW_READABLE] == 7);  /* not the picture, not the empty file */
    CHECK(n[BROWSE_SHOW_VECTORS] == 4);   /* 2 folders + 2 */
    CHECK(n[BROWSE_SHOW_CORPORA] == 4);
    CHECK(n[BROWSE_SHOW_BOOKMARKS] == 3);
    CHECK(browse_keep(find(&l, "story.txt"), BROWSE_SHOW_ALL, "sto"));
    CHECK(!browse_keep(find(&l, "story.txt"), BROWSE_SHOW_ALL, "w"));
    browse_free(&l);
}

TEST(a_missing_folder_is_an_error_and_keeps_the_list)
{
    BrowseList l = {0};
    Err e = {{0}};
    CHECK(browse_list(&l, tree(), NULL, &e));
    int n = l.n;
    CHECK(!browse_list(&l, "/no/such/folder", NULL, &e));
    CHECKF(strstr(e.msg, "/no/such/folder") && strstr(e.msg, "No such file"), "%s", e.msg);
    CHECK(l.n == n);
    browse_free(&l);
}

TEST(resolve_tidies)
{
    char out[512];
    setenv("HOME", "/home/u", 1);
    CHECK(browse_resolve("/a/b", "c/./d/../e/", out, sizeof out) && !strcmp(out, "/a/b/c/e"));
    CHECK(browse_resolve("/a/b", "../../..", out, sizeof out) && !strcmp(out, "/"));
    CHECK(browse_resolve("/a", "/x//y", out, sizeof out) && !strcmp(out, "/x/y"));
    CHECK(browse_resolve("/a", "~/docs", out, sizeof out) && !strcmp(out, "/home/u/docs"));
    CHECK(browse_resolve("/a", "~", out, sizeof out) && !strcmp(out, "/home/u"));
    CHECK(browse_resolve("/a", "~x", out, sizeof out) && !strcmp(out, "/a/~x"));
}

TEST(tab_completes)
{
    char out[512], typed[300];
    const char *r = tree();
    CHECK(browse_complete(r, "sto", out, sizeof out) == 1 && !strcmp(out, "story.txt"));
    CHECK(browse_complete(r, "S", out, sizeof out) == 1 && !strcmp(out, "Sub/"));
    CHECK(browse_complete(r, "w", out, sizeof out) == 1 && !strcmp(out, "words.vec"));
    CHECK(browse_complete(r, "zz", out, sizeof out) == 0 && !strcmp(out, "zz"));
    puts_file("story2.txt", "more\n");
    CHECK(browse_complete(r, "st", out, sizeof out) == 2 && !strcmp(out, "story"));
    snprintf(typed, sizeof typed, "%s/S", r); /* absolute */
    snprintf(out, sizeof out, "x");
    CHECK(browse_complete("/", typed, out, sizeof out) == 1);
    CHECK(strlen(out) == strlen(typed) + 3 && !strcmp(out + strlen(typed), "ub/"));
    CHECK(browse_complete(r, ".h", out, sizeof out) == 1 && !strcmp(out, ".hidden/"));
    CHECK(browse_complete(r, "~", out, sizeof out) == 1 && !strcmp(out, "~/"));
    /* two names that share the first byte of a two-byte character: never half of it */
    puts_file("caf\xc3\xa9.txt", "x\n");
    puts_file("caf\xc3\xa8.txt", "y\n");
    CHECK(browse_complete(r, "ca", out, sizeof out) == 2 && !strcmp(out, "caf"));
}

TEST(an_empty_folder_lists_nothing)
{
    char p[300];
    snprintf(p, sizeof p, "%s/Sub", tree());
    BrowseList l = {0};
    Err e = {{0}};
    CHECK(browse_list(&l, p, NULL, &e));
    CHECK(l.n == 0 && !l.truncated && !strcmp(l.dir, p));
    browse_free(&l);
}
