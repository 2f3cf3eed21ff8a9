/* A small immediate-mode UI (after rxi/microui): each frame ui_begin, panels and widgets,
 * ui_end. Widgets return UI_* flags; the output is a DrawList that render/ plays back, so this
 * file never calls SDL and tests can drive it with synthetic input. UI thread only. */
#ifndef EMBEDSCOPE_UI_H
#define EMBEDSCOPE_UI_H
#include "render/draw.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { UI_CHANGED = 1, UI_SUBMITTED = 2, UI_ACTIVE = 4 };

enum { UI_PASTED = 8 };

typedef enum {
    UI_KEY_NONE, UI_KEY_BACKSPACE, UI_KEY_DELETE, UI_KEY_LEFT, UI_KEY_RIGHT, UI_KEY_HOME,
    UI_KEY_END, UI_KEY_ENTER, UI_KEY_TAB, UI_KEY_ESCAPE, UI_KEY_UP, UI_KEY_DOWN,
    UI_KEY_SELECT_ALL, UI_KEY_COPY, UI_KEY_CUT, UI_KEY_PASTE, /* Ctrl+A, C, X, V */
} UiKey;

/* Modifiers held with a key (UiInput.key_mods). */
enum { UI_MOD_CTRL = 1, UI_MOD_SHIFT = 2 };

#define UI_MAX_KEYS 16
#define UI_TEXT_CAP 128

/* Input gathered since the previous frame; pixels, y down. */
typedef struct UiInput {
    float mx, my;
    bool down[3];          /* left, right, middle */
    bool pressed[3], released[3];
    float press_x[3], press_y[3]; /* where the last press of each button was: a press, moves and
                                     a release in one frame are a drag from here, not a click */
    float wheel;
    char text[UI_TEXT_CAP]; /* committed UTF-8 text (truncated past the cap) */
    size_t text_len;
    char editing[UI_TEXT_CAP]; /* IME composition, shown but not committed */
    UiKey keys[UI_MAX_KEYS];
    uint8_t key_mods[UI_MAX_KEYS]; /* UI_MOD_* held with keys[i] */
    int nkeys;
    bool ctrl, shift;
    int clicks;            /* of the last left press: 1, 2 (double click), ... */
} UiInput;

/* The system clipboard, lent by the window (the UI never calls SDL): get copies its text
 * into buf (cap bytes with the NUL) and returns the length; set replaces it. */
typedef struct UiClipboard {
    size_t (*get)(void *ctx, char *buf, size_t cap);
    void (*set)(void *ctx, const char *text, size_t len);
    void *ctx;
} UiClipboard;

typedef int (*UiTextWidth)(void *ctx, int font, const char *s, size_t len);

typedef struct UiTheme {
    uint32_t panel, border, text, dim, accent, field, field_focus, button, button_hot, error;
} UiTheme;

#define UI_MAX_RECTS 32

typedef struct Ui {
    DrawList *dl;
    UiInput in;
    UiTextWidth text_width;
    void *text_ctx;
    int line_h;            /* UI font line height, pixels */
    float pad;
    UiTheme theme;
    uint32_t hot, focus, active;  /* widget ids */
    bool key_used[UI_MAX_KEYS];
    /* current panel layout */
    float px, py, pw, cy;
    /* panel rectangles this frame, to tell whether the mouse belongs to the UI or the scene */
    float rects[UI_MAX_RECTS][4];
    int nrects;
    size_t caret;          /* byte offset in the focused text box */
    size_t anchor;         /* the other end of its selection (== caret: none) */
    bool select_all;       /* focused by ui_focus or a click: select everything first */
    UiClipboard clip;
    size_t panel_bg;       /* draw command index of the open panel's background */
} Ui;

void ui_init(Ui *ui, DrawList *dl, UiTextWidth tw, void *ctx, int line_h);
void ui_begin(Ui *ui, const UiInput *in);
void ui_end(Ui *ui);
uint32_t ui_id(const char *label, uint32_t seed);
/* True when (x, y) is inside a panel declared this frame. */
bool ui_over(const Ui *ui, float x, float y);
/* The part of a vw x vh window that this frame's panels leave free, as (x, y, w, h) pixels:
 * each panel, the largest first, is cut away by the side that keeps the most of what is still
 * free (the rectangle then ends left of it, right of it, above or below it), so no panel
 * overlaps what is left; the right column goes by the right (in a narrow window its top panel
 * may go by the top instead). A panel over the whole window (a modal) is ignored; if the
 * panels leave less than a quarter of either side, the whole window. */
void ui_free_rect(const Ui *ui, float vw, float vh, float r[4]);
/* Consumes key k if pressed this frame and not used by a widget. */
bool ui_key(Ui *ui, UiKey k);
int ui_text_w(const Ui *ui, const char *s);

/* A panel: background box at (x, y) of width w; widgets stack downwards inside it.
 * ui_panel_end closes it at the height used and returns that height. */
void ui_panel_begin(Ui *ui, float x, float y, float w);
float ui_panel_end(Ui *ui);
/* Reserves a rectangle declared by the caller (for mouse ownership) without drawing. */
void ui_claim(Ui *ui, float x, float y, float w, float h);
/* A line of text; one wider than the panel wraps at spaces onto as many lines as it needs. */
void ui_label(Ui *ui, const char *s, uint32_t color);
/* Left text and right-aligned value on one row; a left text too long for the room the value
 * leaves is cut with "..." (a long stage name or file name must not run under the value). */
void ui_row(Ui *ui, const char *left, const char *right, uint32_t color);
/* Bytes of s (whole UTF-8 characters) that fit in w pixels: all of it when it fits, else the
 * longest prefix that leaves room for "...". */
size_t ui_fit(const Ui *ui, const char *s, float w);
/* s drawn at (x, y) in the UI font, cut with "..." to fit in w; true when it was cut. */
bool ui_text_cut(Ui *ui, float x, float y, const char *s, float w, uint32_t color);
int ui_button(Ui *ui, const char *label, float x, float y, float w, float h);
void ui_progress(Ui *ui, float x, float y, float w, float h, double frac, uint32_t color);
void ui_space(Ui *ui, float h);

#endif
