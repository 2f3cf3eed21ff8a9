/* A panel row and a label (app/ui/ui.c ui_row, ui_fit, ui_text_cut, ui_label): a left text too
 * long for the room its right-aligned value leaves is cut with "...", on a whole UTF-8
 * character, and never runs under the value; a text that fits is drawn whole; a label wider
 * than its panel wraps at spaces. */
#include "app/ui/ui.h"
#include "tests/test.h"
#include <stdlib.h>
#include <string.h>

/* 7 pixels a byte */
static int fixed_width(void *ctx, int font, const char *s, size_t len)
{
    (void)ctx;
    (void)font;
    (void)s;
    return 7 * (int)len;
}

/* The text commands of one row of a panel 200 wide at x 0 (text from x 8 to 192). */
static DrawList *row(Ui *ui, const char *left, const char *right)
{
    DrawList *dl = malloc(sizeof *dl);
    ui_init(ui, dl, fixed_width, NULL, 16);
    draw_clear(dl);
    UiInput in = {.mx = -10, .my = -10};
    ui_begin(ui, &in);
    ui_panel_begin(ui, 0, 0, 200);
    ui_row(ui, left, right, 0);
    ui_panel_end(ui);
    ui_end(ui);
    return dl;
}

/* The right end of the text drawn left of x, and whether "..." was drawn. */
static float left_end(const DrawList *dl, float x, bool *dots)
{
    float end = 0;
    *dots = false;
    for (size_t i = 0; i < dl->ncmds; i++) {
        const DrawCmd *c = &dl->cmds[i];
        if (c->kind != DRAW_TEXT || c->x0 >= x)
            continue;
        float e = c->x0 + 7.f * (float)c->text_len;
        end = e > end ? e : end;
        *dots |= c->text_len == 3 && !memcmp(draw_cmd_text(dl, c), "...", 3);
    }
    return end;
}

TEST(a_long_left_text_is_cut_before_the_value)
{
    Ui ui;
    const char *stage = "refining: sample 15390 of 61561: placing 46171 rows";
    DrawList *dl = row(&ui, stage, "70%");
    float value_x = 200 - 8 - 21; /* "70%" right-aligned */
    bool dots;
    float end = left_end(dl, value_x, &dots);
    CHECKF(dots && end <= value_x - 8 + 0.01f, "ends at %.1f, value at %.1f", end, value_x);
    CHECK(draw_has_text(dl, "refining: sample") && !draw_has_text(dl, "46171 rows"));
    free(dl);
    /* one that fits is drawn whole, with no dots */
    dl = row(&ui, "layout 3 (refined)", "1.0 s");
    CHECK(draw_has_text(dl, "layout 3 (refined)"));
    left_end(dl, 200 - 8 - 35, &dots);
    CHECK(!dots);
    free(dl);
}

TEST(a_cut_keeps_utf8_characters_whole)
{
    Ui ui;
    DrawList *dl = malloc(sizeof *dl);
    ui_init(&ui, dl, fixed_width, NULL, 16);
    /* "é" is 2 bytes: every cut must land on an even byte */
    const char *s = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
    for (int w = 0; w < 140; w++) {
        int fit = w >= 7 * 16 ? 16 : w >= 21 ? (w - 21) / 7 / 2 * 2 : 0; /* whole, or room for "..." */
        size_t n = ui_fit(&ui, s, (float)w);
        CHECKF(n == (size_t)fit, "width %d: %zu bytes, expected %d", w, n, fit);
    }
    CHECK(ui_fit(&ui, s, 7 * 16) == 16 && ui_fit(&ui, "", 0) == 0);
    /* ui_text_cut says whether it cut (the status line then offers the whole width) */
    draw_clear(dl);
    CHECK(ui_text_cut(&ui, 0, 0, "abcdefghij", 70, 0) == false && draw_has_text(dl, "abcdefghij"));
    CHECK(ui_text_cut(&ui, 0, 0, "abcdefghijk", 70, 0) == true && draw_has_text(dl, "abcdefg"));
    free(dl);
}

/* A label wider than its panel wraps at spaces: every line fits between the panel's paddings,
 * the lines stack down, and together they hold every word in order; a word wider than the
 * panel keeps a line of its own (clipped) and the rest still follows. */
TEST(a_long_label_wraps_inside_its_panel)
{
    const char *texts[2] = {"type a new value; the learning rate applies at once",
                            "a supercalifragilisticexpialidocious_thing_of_forty word"};
    for (int k = 0; k < 2; k++) {
        Ui ui;
        DrawList *dl = malloc(sizeof *dl);
        ui_init(&ui, dl, fixed_width, NULL, 16);
        draw_clear(dl);
        UiInput in = {.mx = -10, .my = -10};
        ui_begin(&ui, &in);
        ui_panel_begin(&ui, 0, 0, 200);
        ui_label(&ui, texts[k], 0);
        float h = ui_panel_end(&ui);
        ui_end(&ui);
        char joined[128] = "";
        float last_y = -1;
        int lines = 0;
        for (size_t i = 0; i < dl->ncmds; i++) {
            const DrawCmd *c = &dl->cmds[i];
            if (c->kind != DRAW_TEXT)
                continue;
            bool long_word = memchr(draw_cmd_text(dl, c), ' ', c->text_len) == NULL;
            CHECKF(long_word || 7.f * (float)c->text_len <= 200 - 16, "text %zu: %.*s", i,
                   (int)c->text_len, draw_cmd_text(dl, c));
            CHECKF(c->y0 > last_y, "line %d is not below the one before", lines);
            last_y = c->y0;
            lines++;
            if (joined[0])
                strcat(joined, " ");
            strncat(joined, draw_cmd_text(dl, c), c->text_len);
        }
        CHECKF(!strcmp(joined, texts[k]), "lines hold '%s'", joined);
        CHECKF(lines >= 2 && h >= (float)lines * 16, "%d lines in a panel %.0f high", lines, h);
        free(dl);
    }
}
