/* Folder listings, file classes and path completion for the open dialog (see browse.h). Any
 * thread with its own BrowseList. */

#include "app/desk/browse.h"
#include "model/files/meta.h"
#include "model/files/sniff.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define HEAD_BYTES 4096

/* "a//b/./c/../d/" -> "a/b/d" on absolute paths: in place, out keeps its leading '/'. */
static void tidy(char *p)
{
    char *out = p, *in = p;
    while (*in) {
        while (*in == '/')
            in++;
        char *seg = in;
        while (*in && *in != '/')
            in++;
        size_t n = (size_t)(in - seg);
        if (n == 0 || (n == 1 && seg[0] == '.'))
            continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            while (out > p && *--out != '/')
                ;
            continue;
        }
        *out++ = '/';
        memmove(out, seg, n);
        out += n;
    }
    if (out == p)
        *out++ = '/';
    *out = 0;
}

bool browse_resolve(const char *base, const char *typed, char *out, size_t cap)
{
    const char *home = getenv("HOME");
    int n;
    if (typed[0] == '~' && (typed[1] == 0 || typed[1] == '/') && home && home[0] == '/')
        n = snprintf(out, cap, "%s/%s", home, typed + 1);
    else if (typed[0] == '/')
        n = snprintf(out, cap, "%s", typed);
    else
        n = snprintf(out, cap, "%s/%s", base && base[0] == '/' ? base : "/", typed);
    if (n < 0 || (size_t)n >= cap)
        return false;
    tidy(out);
    return true;
}

/* A bookmark's first meaningful line is `version = 1` (model/files/bookmark.h). */
static bool is_bookmark(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
            j++;
        if (j < n && s[j] != '\n' && s[j] != '#') {
            size_t k = j;
            if (n - k < 7 || memcmp(s + k, "version", 7))
                return false;
            for (k += 7; k < n && (s[k] == ' ' || s[k] == '\t'); k++)
                ;
            if (k >= n || s[k++] != '=')
                return false;
            while (k < n && (s[k] == ' ' || s[k] == '\t'))
                k++;
            return k < n && s[k] == '1' && (k + 1 == n || s[k + 1] == '\n' || s[k + 1] == '\r' ||
                                            s[k + 1] == ' ');
        }
        const char *nl = memchr(s + j, '\n', n - j);
        if (!nl)
            return false;
        i = (size_t)(nl - s) + 1;
    }
    return false;
}

/* Text a person could train on: no NUL, and control bytes (but tab, CR, LF, FF) under 1%. */
static bool is_text(const unsigned char *s, size_t n)
{
    size_t ctl = 0;
    for (size_t i = 0; i < n; i++) {
        if (!s[i])
            return false;
        ctl += s[i] < 32 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f';
    }
    return n > 0 && ctl * 100 < n;
}

BrowseKind browse_kind(const char *path)
{
    struct stat st;
    if (stat(path, &st))
        return BROWSE_OTHER;
    if (S_ISDIR(st.st_mode))
        return BROWSE_FOLDER;
    /* a FIFO or a device would block or never end: only regular files are read */
    if (!S_ISREG(st.st_mode) || st.st_size == 0)
        return BROWSE_OTHER;
    gzFile z = gzopen(path, "rb");
    if (!z)
        return BROWSE_OTHER;
    unsigned char head[HEAD_BYTES];
    int n = gzread(z, head, sizeof head);
    gzclose(z);
    if (n <= 0)
        return BROWSE_OTHER;
    if (is_bookmark((const char *)head, (size_t)n))
        return BROWSE_BOOKMARK;
    if (sniff_path(path) == SNIFF_VECTORS)
        return BROWSE_VECTORS;
    if (meta_sniff((const char *)head, (size_t)n))
        return BROWSE_METADATA;
    return is_text(head, (size_t)n) ? BROWSE_CORPUS : BROWSE_OTHER;
}

const char *browse_kind_name(BrowseKind k)
{
    static const char *const names[] = {"folder", "vectors", "corpus", "bookmark", "metadata", "other"};
    return k <= BROWSE_OTHER ? names[k] : "?";
}

const char *browse_filter_name(BrowseFilter f)
{
    static const char *const names[BROWSE_SHOW_COUNT] = {"readable", "vectors", "corpora",
                                                         "bookmarks", "all files"};
    return f < BROWSE_SHOW_COUNT ? names[f] : "?";
}

bool browse_keep(const BrowseEntry *en, BrowseFilter f, const char *prefix)
{
    if (prefix && strncmp(en->name, prefix, strlen(prefix)))
        return false;
    switch (f) {
    case BROWSE_SHOW_READABLE: return en->kind != BROWSE_OTHER;
    case BROWSE_SHOW_VECTORS: return en->kind == BROWSE_FOLDER || en->kind == BROWSE_VECTORS;
    case BROWSE_SHOW_CORPORA: return en->kind == BROWSE_FOLDER || en->kind == BROWSE_CORPUS;
    case BROWSE_SHOW_BOOKMARKS: return en->kind == BROWSE_FOLDER || en->kind == BROWSE_BOOKMARK;
    default: return true;
    }
}

static int by_kind_then_name(const void *pa, const void *pb)
{
    const BrowseEntry *a = pa, *b = pb;
    bool fa = a->kind == BROWSE_FOLDER, fb = b->kind == BROWSE_FOLDER;
    if (fa != fb)
        return fa ? -1 : 1;
    int c = strcasecmp(a->name, b->name);
    return c ? c : strcmp(a->name, b->name);
}

void browse_free(BrowseList *l)
{
    free(l->entries);
    memset(l, 0, sizeof *l);
}

static bool push(BrowseList *l, const char *name, BrowseKind kind, int64_t size)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 64;
        BrowseEntry *p = realloc(l->entries, (size_t)cap * sizeof *p);
        if (!p)
            return false;
        l->entries = p;
        l->cap = cap;
    }
    BrowseEntry *en = &l->entries[l->n++];
    snprintf(en->name, sizeof en->name, "%s", name);
    en->kind = kind;
    en->size = size;
    return true;
}

bool browse_list(BrowseList *l, const char *dir, const BrowseDesc *d, Err *e)
{
    BrowseDesc def = {0};
    d = d ? d : &def;
    BrowseList nl = {0};
    char cwd[BROWSE_MAX_PATH], full[BROWSE_MAX_PATH + BROWSE_MAX_NAME + 2];
    if (!getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, "/");
    if (!browse_resolve(cwd, dir, nl.dir, sizeof nl.dir))
        return err_set(e, "%s: path too long", dir);
    DIR *dp = opendir(nl.dir);
    if (!dp)
        return err_set(e, "%s: %s", nl.dir, strerror(errno));
    struct dirent *de;
    bool ok = true;
    while ((de = readdir(dp))) {
        const char *name = de->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..") || (name[0] == '.' && !d->show_hidden) ||
            strlen(name) >= BROWSE_MAX_NAME)
            continue;
        if (nl.n == BROWSE_MAX_ENTRIES) {
            nl.truncated = true;
            break;
        }
        snprintf(full, sizeof full, "%s/%s", strcmp(nl.dir, "/") ? nl.dir : "", name);
        struct stat st;
        bool have = stat(full, &st) == 0; /* follows links: a link to a folder is a folder */
        BrowseKind k = have && S_ISDIR(st.st_mode) ? BROWSE_FOLDER : browse_kind(full);
        if (!push(&nl, name, k, have && k != BROWSE_FOLDER ? (int64_t)st.st_size : 0)) {
            ok = err_set(e, "%s: out of memory listing it", nl.dir);
            break;
        }
    }
    closedir(dp);
    if (!ok) {
        browse_free(&nl);
        return false;
    }
    if (nl.n) /* an empty folder has no array to sort */
        qsort(nl.entries, (size_t)nl.n, sizeof *nl.entries, by_kind_then_name);
    browse_free(l);
    *l = nl;
    return true;
}

int browse_complete(const char *base, const char *typed, char *out, size_t cap)
{
    snprintf(out, cap, "%s", typed);
    if (!strcmp(typed, "~")) {
        snprintf(out, cap, "~/");
        return 1;
    }
    const char *slash = strrchr(typed, '/');
    size_t dlen = slash ? (size_t)(slash - typed) + 1 : 0;
    const char *prefix = typed + dlen;
    char dtyped[BROWSE_MAX_PATH], dir[BROWSE_MAX_PATH];
    if (dlen >= sizeof dtyped)
        return 0;
    memcpy(dtyped, typed, dlen);
    dtyped[dlen] = 0;
    if (!browse_resolve(base, dlen ? dtyped : ".", dir, sizeof dir))
        return 0;
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    char common[BROWSE_MAX_NAME] = "";
    int matches = 0;
    bool folder = false;
    struct dirent *de;
    size_t plen = strlen(prefix);
    while ((de = readdir(dp))) {
        const char *name = de->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..") || strncmp(name, prefix, plen) ||
            (name[0] == '.' && prefix[0] != '.') || strlen(name) >= sizeof common)
            continue;
        if (matches++ == 0) {
            snprintf(common, sizeof common, "%s", name);
            char full[2 * BROWSE_MAX_PATH];
            snprintf(full, sizeof full, "%s/%s", dir, name);
            struct stat st;
            folder = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
        } else {
            size_t i = 0;
            while (common[i] && common[i] == name[i])
                i++;
            common[i] = 0;
        }
    }
    closedir(dp);
    if (matches == 0)
        return 0;
    /* a shared prefix must not end inside a UTF-8 character */
    size_t cl = strlen(common), j = cl;
    while (j > plen && ((unsigned char)common[j - 1] & 0xC0) == 0x80)
        j--;
    if (j > plen) {
        unsigned char lead = (unsigned char)common[j - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (cl - (j - 1) < need)
            common[j - 1] = 0;
    }
    int n = snprintf(out, cap, "%.*s%s%s", (int)dlen, typed, common, matches == 1 && folder ? "/" : "");
    if (n < 0 || (size_t)n >= cap)
        snprintf(out, cap, "%s", typed);
    return matches;
}
