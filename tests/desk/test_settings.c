/* The remembered settings file: a round trip, defaults for a missing file, one clear error for
 * each kind of corrupt file, the recent list's order and cap, the XDG path rule. */
#include "app/desk/settings.h"
#include "tests/test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *tmpdir(void) { return test_tmpdir(); }

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(round_trip_through_a_new_folder)
{
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/embedscope/settings", tmpdir());
    Settings s = {.hint_seen = true, .label_px = 17};
    snprintf(s.last_folder, sizeof s.last_folder, "/home/x/data");
    CHECK(settings_add_recent(&s, "/one.vec"));
    CHECK(settings_add_recent(&s, "/two words.txt"));
    Err e = {{0}};
    CHECK(settings_save(&s, path, &e));
    Settings t;
    CHECK(settings_load(&t, path, &e) == SETTINGS_LOADED);
    CHECK(t.hint_seen && t.label_px == 17);
    CHECK(!strcmp(t.last_folder, "/home/x/data"));
    CHECK(t.nrecent == 2 && !strcmp(t.recent[0], "/two words.txt") && !strcmp(t.recent[1], "/one.vec"));
    struct stat st;
    char folder[256];
    snprintf(folder, sizeof folder, "%s/a/b/embedscope", tmpdir());
    CHECK(stat(folder, &st) == 0 && (st.st_mode & 0777) == 0700);
}

TEST(missing_file_is_defaults)
{
    char path[256];
    snprintf(path, sizeof path, "%s/none", tmpdir());
    Settings s;
    Err e = {{0}};
    CHECK(settings_load(&s, path, &e) == SETTINGS_MISSING);
    CHECK(!s.hint_seen && s.label_px == 0 && s.nrecent == 0 && !e.msg[0]);
}

TEST(corrupt_files_are_named_and_give_defaults)
{
    static const struct { const char *text, *want; } cases[] = {
        {"", "empty"},
        {"hint_seen = 1\n", "line 1: not an embedscope settings file"},
        {"embedscope_settings = 1\nhint_seen = 2\n", "line 2: hint_seen: '2' is not 0 or 1"},
        {"embedscope_settings = 1\nlabel_size = 99\n", "line 2: label_size"},
        {"embedscope_settings = 1\n\nlast_folder = relative/x\n", "line 3: last_folder: not an absolute path"},
        {"embedscope_settings = 1\nhint_seen = 1\nhint_seen = 0\n", "line 3: 'hint_seen' given twice"},
        {"embedscope_settings = 1\ngarbage\n", "line 2: expected 'key = value'"},
        {"embedscope_settings = 1\nhint\0_seen = 1\n", "NUL byte"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/bad%zu", tmpdir(), i);
        FILE *f = fopen(path, "wb");
        CHECK(f);
        size_t n = strlen(cases[i].text);
        if (strstr(cases[i].want, "NUL"))
            n = 40;
        fwrite(cases[i].text, 1, n, f);
        fclose(f);
        Settings s;
        Err e = {{0}};
        CHECK(settings_load(&s, path, &e) == SETTINGS_BAD);
        CHECKF(strstr(e.msg, cases[i].want) && strstr(e.msg, path), "case %zu: '%s'", i, e.msg);
        CHECK(!s.hint_seen && s.label_px == 0);
        /* the next save replaces it with a good file */
        CHECK(settings_save(&s, path, &e));
        CHECK(settings_load(&s, path, &e) == SETTINGS_LOADED);
    }
}

TEST(unreadable_and_oversized_are_refused)
{
    char path[256];
    Settings s;
    Err e = {{0}};
    snprintf(path, sizeof path, "%s/adir", tmpdir());
    mkdir(path, 0700);
    CHECK(settings_load(&s, path, &e) == SETTINGS_BAD && strstr(e.msg, "not a regular file"));
    snprintf(path, sizeof path, "%s/big", tmpdir());
    FILE *f = fopen(path, "wb");
    CHECK(f);
    fputs("embedscope_settings = 1\n", f);
    for (int i = 0; i < SETTINGS_MAX_BYTES; i++)
        fputc('#', f);
    fclose(f);
    CHECK(settings_load(&s, path, &e) == SETTINGS_BAD && strstr(e.msg, "more than a settings file holds"));
}

TEST(newer_keys_are_skipped)
{
    char path[256];
    snprintf(path, sizeof path, "%s/newer", tmpdir());
    write_file(path, "# a comment\r\nembedscope_settings = 1\r\ntheme = dark\r\nrecent = /x y.vec  \r\n");
    Settings s;
    Err e = {{0}};
    CHECK(settings_load(&s, path, &e) == SETTINGS_LOADED);
    CHECK(s.nrecent == 1 && !strcmp(s.recent[0], "/x y.vec"));
}

TEST(recent_list_order_dedupe_cap)
{
    Settings s = {0};
    char p[64];
    for (int i = 0; i < SETTINGS_MAX_RECENT + 3; i++) {
        snprintf(p, sizeof p, "/f%d", i);
        CHECK(settings_add_recent(&s, p));
    }
    CHECK(s.nrecent == SETTINGS_MAX_RECENT);
    snprintf(p, sizeof p, "/f%d", SETTINGS_MAX_RECENT + 2);
    CHECK(!strcmp(s.recent[0], p));
    CHECK(!strcmp(s.recent[SETTINGS_MAX_RECENT - 1], "/f3"));
    CHECK(settings_add_recent(&s, "/f5"));
    CHECK(!strcmp(s.recent[0], "/f5") && s.nrecent == SETTINGS_MAX_RECENT);
    int count = 0;
    for (int i = 0; i < s.nrecent; i++)
        count += !strcmp(s.recent[i], "/f5");
    CHECK(count == 1);
    CHECK(!settings_add_recent(&s, "relative.vec"));
    CHECK(!settings_add_recent(&s, "/a\nb"));
    CHECK(settings_forget_recent(&s, "/f5") && s.nrecent == SETTINGS_MAX_RECENT - 1);
    CHECK(!settings_forget_recent(&s, "/f5"));
}

TEST(path_follows_xdg)
{
    char buf[512];
    Err e = {{0}};
    setenv("XDG_CONFIG_HOME", "/cfg", 1);
    setenv("HOME", "/home/u", 1);
    CHECK(settings_path(buf, sizeof buf, &e) && !strcmp(buf, "/cfg/embedscope/settings"));
    setenv("XDG_CONFIG_HOME", "relative", 1); /* the spec says: ignore it */
    CHECK(settings_path(buf, sizeof buf, &e) && !strcmp(buf, "/home/u/.config/embedscope/settings"));
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("HOME");
    CHECK(!settings_path(buf, sizeof buf, &e) && e.msg[0]);
}
