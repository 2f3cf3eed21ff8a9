/* The open dialog's file system side, without SDL: a folder's entries sorted as a file
 * chooser shows them (folders first, then names, case-insensitively), each file classified by
 * its content as the window would open it (vectors, a corpus, a bookmark, or something we do
 * not read), a filter on those classes, and Tab completion of a typed path. Any thread with
 * its own BrowseList; it reads the file system, so a slow folder is slow here. */
#ifndef EMBEDSCOPE_DESK_BROWSE_H
#define EMBEDSCOPE_DESK_BROWSE_H
#include "model/base/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BROWSE_MAX_ENTRIES 20000 /* a bigger folder is listed up to here and says so */
#define BROWSE_MAX_NAME 256
#define BROWSE_MAX_PATH 4096

/* BROWSE_METADATA: a TSV whose header names columns (model/files/meta.h), for colouring the
 * vectors shown */
typedef enum { BROWSE_FOLDER, BROWSE_VECTORS, BROWSE_CORPUS, BROWSE_BOOKMARK, BROWSE_METADATA,
               BROWSE_OTHER } BrowseKind;

/* Which entries a listing keeps (folders are always kept, so one can walk to the files). */
typedef enum {
    BROWSE_SHOW_READABLE,  /* vectors, corpora, bookmarks, metadata: what the window opens */
    BROWSE_SHOW_VECTORS, BROWSE_SHOW_CORPORA, BROWSE_SHOW_BOOKMARKS,
    BROWSE_SHOW_ALL,
    BROWSE_SHOW_COUNT
} BrowseFilter;

typedef struct BrowseEntry {
    char name[BROWSE_MAX_NAME];
    BrowseKind kind;
    int64_t size;          /* bytes; 0 for folders */
} BrowseEntry;

typedef struct BrowseList {
    char dir[BROWSE_MAX_PATH]; /* absolute, no trailing '/' except for "/" */
    BrowseEntry *entries;
    int n, cap;
    bool truncated;        /* the folder had more than BROWSE_MAX_ENTRIES */
} BrowseList;

typedef struct BrowseDesc {
    bool show_hidden;      /* names starting with '.' */
} BrowseDesc;

/* Lists every entry of dir (made absolute and tidied: "a/./b/../c" -> "/cwd/a/c"), each file
 * classified; a view keeps what browse_keep says. False (e names the folder and why) leaves
 * l as it was. */
bool browse_list(BrowseList *l, const char *dir, const BrowseDesc *d, Err *e);
/* Does the filter keep this entry, and does its name start with prefix (NULL: any)? */
bool browse_keep(const BrowseEntry *en, BrowseFilter f, const char *prefix);
void browse_free(BrowseList *l);
/* What a file holds, from its first bytes (folders: BROWSE_FOLDER). */
BrowseKind browse_kind(const char *path);
const char *browse_kind_name(BrowseKind k);
const char *browse_filter_name(BrowseFilter f);
/* Joins a typed path to base as the dialog reads it: "~" and "~/x" are under $HOME, an
 * absolute path stays, anything else is under base. Then tidied ("..", ".", "//"). False when
 * it does not fit. */
bool browse_resolve(const char *base, const char *typed, char *out, size_t cap);
/* Tab: completes typed (relative to base, as browse_resolve reads it) to the longest prefix
 * the entries of its folder share, with a '/' after a single folder. Writes the completed text
 * (in the user's own form: "~/Do" -> "~/Documents/") to out and returns the number of entries
 * that matched (0: nothing to complete; out is then typed). */
int browse_complete(const char *base, const char *typed, char *out, size_t cap);

#endif
