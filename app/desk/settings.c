/* The window's remembered settings file (see settings.h). Any thread with its own Settings. */
#include "app/desk/settings.h"
#include "model/base/atomicfile.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAGIC "embedscope_settings"

bool settings_path(char *buf, size_t cap, Err *e)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/embedscope/settings", xdg);
    else if (home && home[0])
        n = snprintf(buf, cap, "%s/.config/embedscope/settings", home);
    else
        return err_set(e, "settings: neither XDG_CONFIG_HOME nor HOME is set");
    if (n < 0 || (size_t)n >= cap)
        return err_set(e, "settings: the path under %s is too long", xdg && xdg[0] == '/' ? xdg : home);
    return true;
}

/* A path the file can hold: absolute, fits, no byte that would end or blur its line. */
static bool storable(const char *p)
{
    size_t n = strlen(p);
    if (p[0] != '/' || n >= SETTINGS_MAX_PATH)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 32 || p[i] == 127)
            return false;
    return p[n - 1] != ' ' && p[n - 1] != '\t'; /* trailing blanks would not survive the trim */
}

bool settings_forget_recent(Settings *s, const char *path)
{
    for (int i = 0; i < s->nrecent; i++)
        if (!strcmp(s->recent[i], path)) {
            memmove(s->recent[i], s->recent[i + 1], (size_t)(s->nrecent - i - 1) * sizeof s->recent[0]);
            s->nrecent--;
            return true;
        }
    return false;
}

bool settings_add_recent(Settings *s, const char *path)
{
    if (!storable(path))
        return false;
    settings_forget_recent(s, path);
    if (s->nrecent == SETTINGS_MAX_RECENT)
        s->nrecent--;
    memmove(s->recent[1], s->recent[0], (size_t)s->nrecent * sizeof s->recent[0]);
    snprintf(s->recent[0], sizeof s->recent[0], "%s", path);
    s->nrecent++;
    return true;
}

static bool parse_int(const char *v, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || errno || x < lo || x > hi)
        return false;
    *out = (int)x;
    return true;
}

/* One `key = value` line (trimmed, not a comment). */
static bool parse_line(Settings *s, char *line, int lineno, unsigned *seen, const char *path, Err *e)
{
    char *eq = strchr(line, '=');
    if (!eq)
        return err_set(e, "%s:line %d: expected 'key = value'", path, lineno);
    char *k = line, *v = eq + 1, *kend = eq;
    while (kend > k && (kend[-1] == ' ' || kend[-1] == '\t'))
        kend--;
    *kend = 0;
    while (*v == ' ' || *v == '\t')
        v++;
    if (!(*seen & 1)) {
        if (strcmp(k, MAGIC) || strcmp(v, "1"))
            return err_set(e, "%s:line %d: not an embedscope settings file (want '" MAGIC " = 1' first)",
                           path, lineno);
        *seen |= 1;
        return true;
    }
    static const char *const once[] = {"hint_seen", "label_size", "last_folder"};
    for (unsigned i = 0; i < 3; i++)
        if (!strcmp(k, once[i])) {
            if (*seen & (2u << i))
                return err_set(e, "%s:line %d: '%s' given twice", path, lineno, k);
            *seen |= 2u << i;
        }
    int x;
    if (!strcmp(k, "hint_seen")) {
        if (!parse_int(v, 0, 1, &x))
            return err_set(e, "%s:line %d: hint_seen: '%s' is not 0 or 1", path, lineno, v);
        s->hint_seen = x != 0;
    } else if (!strcmp(k, "label_size")) {
        if (!parse_int(v, 6, 48, &x))
            return err_set(e, "%s:line %d: label_size: '%s' is not a whole number in 6..48", path, lineno, v);
        s->label_px = x;
    } else if (!strcmp(k, "last_folder") || !strcmp(k, "recent")) {
        if (!storable(v))
            return err_set(e, "%s:line %d: %s: not an absolute path", path, lineno, k);
        if (k[0] == 'l')
            snprintf(s->last_folder, sizeof s->last_folder, "%s", v);
        else if (s->nrecent < SETTINGS_MAX_RECENT)
            snprintf(s->recent[s->nrecent++], sizeof s->recent[0], "%s", v);
    } /* else: a key of a newer version, skipped */
    return true;
}

static bool parse(Settings *s, char *buf, size_t n, const char *path, Err *e)
{
    unsigned seen = 0;
    int lineno = 0;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == 0)
            return err_set(e, "%s: a NUL byte at offset %zu: not a text file", path, i);
    for (char *line = buf; line && line < buf + n;) {
        char *nl = memchr(line, '\n', (size_t)(buf + n - line));
        if (nl)
            *nl = 0;
        lineno++;
        char *t = line, *end = line + strlen(line);
        while (end > t && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
            *--end = 0;
        while (*t == ' ' || *t == '\t')
            t++;
        if (*t && *t != '#' && !parse_line(s, t, lineno, &seen, path, e))
            return false;
        line = nl ? nl + 1 : NULL;
    }
    if (!(seen & 1))
        return err_set(e, "%s: empty: not an embedscope settings file", path);
    return true;
}

SettingsStatus settings_load(Settings *s, const char *path, Err *e)
{
    memset(s, 0, sizeof *s);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return SETTINGS_MISSING;
        err_set(e, "%s: %s", path, strerror(errno));
        return SETTINGS_BAD;
    }
    struct stat st;
    char *buf = NULL;
    SettingsStatus rc = SETTINGS_BAD;
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
        err_set(e, "%s: not a regular file", path);
        goto done;
    }
    if (st.st_size > SETTINGS_MAX_BYTES) {
        err_set(e, "%s: %lld bytes, more than a settings file holds (%d)", path, (long long)st.st_size,
                SETTINGS_MAX_BYTES);
        goto done;
    }
    buf = malloc((size_t)st.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    if (!buf || ferror(f)) {
        err_set(e, "%s: %s", path, buf ? "read error" : "out of memory");
        goto done;
    }
    buf[n] = 0;
    Settings tmp = {0};
    if (parse(&tmp, buf, n, path, e)) {
        *s = tmp;
        rc = SETTINGS_LOADED;
    }
done:
    free(buf);
    fclose(f);
    return rc;
}

/* mkdir -p of path's folder, 0700 for the folders it creates (settings are the user's). */
static bool make_parent(const char *path, Err *e)
{
    char dir[SETTINGS_MAX_PATH + 64];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return true;
    *slash = 0;
    for (char *p = dir + 1;; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = 0;
            if (mkdir(dir, 0700) && errno != EEXIST)
                return err_set(e, "settings: cannot create %s: %s", dir, strerror(errno));
            *p = c;
            if (!c)
                break;
        }
    }
    return true;
}

bool settings_save(const Settings *s, const char *path, Err *e)
{
    AtomicFile a = {0};
    if (!make_parent(path, e) || !af_open(&a, path, e))
        return false;
    fprintf(a.f, "# embedscope's remembered settings; rewritten by the window\n" MAGIC " = 1\n");
    fprintf(a.f, "hint_seen = %d\n", s->hint_seen ? 1 : 0);
    if (s->label_px >= 6 && s->label_px <= 48)
        fprintf(a.f, "label_size = %d\n", s->label_px);
    if (storable(s->last_folder))
        fprintf(a.f, "last_folder = %s\n", s->last_folder);
    for (int i = 0; i < s->nrecent && i < SETTINGS_MAX_RECENT; i++)
        if (storable(s->recent[i]))
            fprintf(a.f, "recent = %s\n", s->recent[i]);
    return af_commit(&a, e);
}
