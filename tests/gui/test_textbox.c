/* Text fields as desktop users expect them (app/ui/textbox.c), driven with synthetic input:
 * focus selects all so typing replaces, selection with Shift, words with Ctrl, clipboard,
 * caret by click, word by double-click, Esc clears then leaves, UTF-8 kept whole. */
#include "app/ui/textbox.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>

/* 7 pixels a byte: caret positions are easy to aim at */
static int fixed_width(void *ctx, int font, const char *s, size_t len)
{
    (void)ctx;
    (void)font;
    (void)s;
    return 7 * (int)len;
}

static char clipboard[256];
static size_t clip_get(void *ctx, char *buf, size_t cap)
{
    (void)ctx;
    size_t n = strlen(clipboard) < cap - 1 ? strlen(clipboard) : cap - 1;
    memcpy(buf, clipboard, n);
    buf[n] = 0;
    return n;
}
static void clip_set(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    n = n < sizeof clipboard - 1 ? n : sizeof clipboard - 1;
    memcpy(clipboard, s, n);
    clipboard[n] = 0;
}

typedef struct Field {
    DrawList *dl;
    Ui ui;
    char buf[64];
} Field;

static Field *field_new(const char *text)
{
    Field *f = calloc(1, sizeof *f);
    f->dl = malloc(sizeof *f->dl);
    ui_init(&f->ui, f->dl, fixed_width, NULL, 16);
    f->ui.clip = (UiClipboard){.get = clip_get, .set = clip_set};
    snprintf(f->buf, sizeof f->buf, "%s", text);
    return f;
}

static void field_free(Field *f)
{
    free(f->dl);
    free(f);
}

/* One frame with input in; the field is at (0, 0), 300 wide; its text starts at x = 8. */
static int frame(Field *f, const UiInput *in)
{
    draw_clear(f->dl);
    ui_begin(&f->ui, in);
    int r = ui_textbox(&f->ui, "f", f->buf, sizeof f->buf, 0, 0, 300, "hint");
    ui_end(&f->ui);
    return r;
}

static int keys(Field *f, UiKey k, uint8_t mods)
{
    UiInput in = {.mx = -10, .my = -10};
    in.keys[0] = k;
    in.key_mods[0] = mods;
    in.nkeys = 1;
    return frame(f, &in);
}

static int type(Field *f, const char *s)
{
    UiInput in = {.mx = -10, .my = -10};
    snprintf(in.text, sizeof in.text, "%s", s);
    in.text_len = strlen(in.text);
    return frame(f, &in);
}

static int click(Field *f, float x, int clicks, bool shift)
{
    UiInput in = {.mx = x, .my = 10, .clicks = clicks, .shift = shift};
    in.pressed[0] = in.down[0] = true;
    int r = frame(f, &in);
    UiInput up = {.mx = x, .my = 10};
    up.released[0] = true;
    frame(f, &up);
    return r;
}

static void focus(Field *f)
{
    ui_focus(&f->ui, "f");
    UiInput none = {.mx = -10, .my = -10};
    frame(f, &none);
}

TEST(focus_selects_all_so_typing_replaces)
{
    Field *f = field_new("dog");
    focus(f);
    CHECK(f->ui.anchor == 0 && f->ui.caret == 3);
    type(f, "king - man + woman");
    CHECK(!strcmp(f->buf, "king - man + woman"));
    /* a click that focuses selects all too */
    Field *g = field_new("old query");
    click(g, 30, 1, false);
    CHECK(g->ui.focus == ui_id("f", 0));
    type(g, "cat");
    CHECK(!strcmp(g->buf, "cat"));
    field_free(f);
    field_free(g);
}

TEST(shift_ctrl_and_home_end_select_and_move)
{
    Field *f = field_new("king - man + woman");
    focus(f);
    keys(f, UI_KEY_END, 0);
    CHECK(f->ui.caret == 18 && f->ui.anchor == 18);
    keys(f, UI_KEY_LEFT, UI_MOD_CTRL | UI_MOD_SHIFT); /* selects "woman" */
    CHECK(f->ui.anchor == 18 && f->ui.caret == 13);
    type(f, "queen");
    CHECK(!strcmp(f->buf, "king - man + queen"));
    keys(f, UI_KEY_HOME, UI_MOD_SHIFT);
    CHECK(f->ui.caret == 0 && f->ui.anchor == 18);
    keys(f, UI_KEY_RIGHT, 0); /* collapses to the selection's end */
    CHECK(f->ui.caret == 18 && f->ui.anchor == 18);
    keys(f, UI_KEY_HOME, 0);
    keys(f, UI_KEY_RIGHT, UI_MOD_CTRL);
    CHECK(f->ui.caret == 4);
    keys(f, UI_KEY_SELECT_ALL, UI_MOD_CTRL);
    CHECK(f->ui.anchor == 0 && f->ui.caret == 18);
    field_free(f);
}

TEST(ctrl_backspace_and_delete_remove_words)
{
    Field *f = field_new("cat dog horse");
    focus(f);
    keys(f, UI_KEY_END, 0);
    keys(f, UI_KEY_BACKSPACE, UI_MOD_CTRL);
    CHECK(!strcmp(f->buf, "cat dog "));
    keys(f, UI_KEY_HOME, 0);
    keys(f, UI_KEY_DELETE, UI_MOD_CTRL);
    CHECK(!strcmp(f->buf, " dog "));
    keys(f, UI_KEY_DELETE, 0);
    CHECK(!strcmp(f->buf, "dog "));
    field_free(f);
}

TEST(clipboard_copy_cut_paste)
{
    Field *f = field_new("kitten");
    focus(f); /* all selected */
    keys(f, UI_KEY_COPY, UI_MOD_CTRL);
    CHECK(!strcmp(clipboard, "kitten"));
    keys(f, UI_KEY_CUT, UI_MOD_CTRL);
    CHECK(!strcmp(f->buf, ""));
    strcpy(clipboard, "cat\ndog\r\nhorse\tpig\x01");
    int r = keys(f, UI_KEY_PASTE, UI_MOD_CTRL);
    CHECK(r & UI_PASTED);
    CHECK(!strcmp(f->buf, "cat dog horse pig")); /* one line; controls dropped */
    field_free(f);
}

TEST(click_places_caret_double_click_selects_word)
{
    Field *f = field_new("cat dog horse");
    focus(f);
    click(f, 8 + 7 * 5, 1, false); /* inside "dog", after 'o' */
    CHECK(f->ui.caret == 5 && f->ui.anchor == 5);
    click(f, 8 + 7 * 10, 2, false); /* double click in "horse" */
    CHECK(f->ui.anchor == 8 && f->ui.caret == 13);
    click(f, 8 + 7 * 1, 1, true); /* shift-click extends from the anchor */
    CHECK(f->ui.anchor == 8 && f->ui.caret == 1);
    field_free(f);
}

TEST(escape_clears_then_leaves)
{
    Field *f = field_new("cat");
    focus(f);
    int r = keys(f, UI_KEY_ESCAPE, 0);
    CHECK(r & UI_CHANGED);
    CHECK(!strcmp(f->buf, "") && f->ui.focus);
    keys(f, UI_KEY_ESCAPE, 0);
    CHECK(f->ui.focus == 0);
    field_free(f);
}

TEST(utf8_is_never_split)
{
    Field *f = field_new("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
    focus(f);
    keys(f, UI_KEY_END, 0);
    keys(f, UI_KEY_LEFT, UI_MOD_SHIFT); /* one character: three bytes */
    CHECK(f->ui.caret == 9 && f->ui.anchor == 12);
    keys(f, UI_KEY_BACKSPACE, 0);
    CHECK(!strcmp(f->buf, "caf\xc3\xa9 \xe6\x97\xa5"));
    keys(f, UI_KEY_BACKSPACE, UI_MOD_CTRL);
    CHECK(!strcmp(f->buf, "caf\xc3\xa9 "));
    keys(f, UI_KEY_LEFT, 0);
    keys(f, UI_KEY_LEFT, 0);
    CHECK(f->ui.caret == 3);
    /* a paste longer than the field stops before a whole character */
    keys(f, UI_KEY_END, 0);
    memset(clipboard, 0, sizeof clipboard);
    for (int i = 0; i < 40; i++)
        strcat(clipboard, "\xc3\xa9");
    keys(f, UI_KEY_PASTE, UI_MOD_CTRL);
    CHECK(strlen(f->buf) < sizeof f->buf);
    CHECK((strlen(f->buf) - 6) % 2 == 0);
    field_free(f);
}
