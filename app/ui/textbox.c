/* Text fields (see textbox.h). The caret and the selection's anchor are byte offsets that
 * always sit on a UTF-8 character boundary. UI thread. */
#include "app/ui/textbox.h"
#include <string.h>

#define CLIP_CAP 4096 /* bytes pasted at once (a field is shorter anyway) */

static size_t prev_char(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[--i] & 0xC0) == 0x80)
        ;
    return i;
}

static size_t next_char(const char *s, size_t len, size_t i)
{
    if (i < len)
        i++;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/* Words are runs of anything but blanks and the separators of lists and expressions. */
static bool is_sep(char c) { return c == ' ' || c == '\t' || c == ',' || c == ';'; }

static size_t prev_word(const char *s, size_t i)
{
    while (i > 0 && is_sep(s[i - 1]))
        i--;
    while (i > 0 && !is_sep(s[i - 1]))
        i--;
    return i;
}

static size_t next_word(const char *s, size_t len, size_t i)
{
    while (i < len && is_sep(s[i]))
        i++;
    while (i < len && !is_sep(s[i]))
        i++;
    return i;
}

void ui_focus(Ui *ui, const char *label)
{
    ui->focus = ui_id(label, 0);
    ui->select_all = true;
}

static size_t sel_lo(const Ui *ui) { return ui->caret < ui->anchor ? ui->caret : ui->anchor; }
static size_t sel_hi(const Ui *ui) { return ui->caret < ui->anchor ? ui->anchor : ui->caret; }

/* Removes the selection; true when there was one. */
static bool cut_selection(Ui *ui, char *buf, size_t *len)
{
    size_t lo = sel_lo(ui), hi = sel_hi(ui);
    if (lo == hi)
        return false;
    memmove(buf + lo, buf + hi, *len - hi + 1);
    *len -= hi - lo;
    ui->caret = ui->anchor = lo;
    return true;
}

/* Inserts s[0..n) at the caret, replacing the selection, as far as cap allows (whole
 * characters only). */
static void insert(Ui *ui, char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
    cut_selection(ui, buf, len);
    if (n > cap - 1 - *len) {
        n = cap - 1 - *len;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* s[n] would continue the cut character */
    }
    memmove(buf + ui->caret + n, buf + ui->caret, *len - ui->caret + 1);
    memcpy(buf + ui->caret, s, n);
    ui->caret += n;
    ui->anchor = ui->caret;
    *len += n;
}

/* Clipboard text as one line: line breaks and tabs become spaces, other controls go. */
static size_t paste_text(Ui *ui, char *out, size_t cap)
{
    if (!ui->clip.get)
        return 0;
    size_t n = ui->clip.get(ui->clip.ctx, out, cap), k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c == '\r' && i + 1 < n && out[i + 1] == '\n')
            continue;
        if (c == '\n' || c == '\r' || c == '\t')
            out[k++] = ' ';
        else if (c >= 0x20 && c != 0x7F)
            out[k++] = (char)c;
    }
    out[k] = 0;
    return k;
}

static void copy_selection(Ui *ui, const char *buf)
{
    if (ui->clip.set && sel_hi(ui) > sel_lo(ui))
        ui->clip.set(ui->clip.ctx, buf + sel_lo(ui), sel_hi(ui) - sel_lo(ui));
}

/* Moves the caret to `to`; with shift the selection follows, else it collapses. */
static void move(Ui *ui, size_t to, bool shift)
{
    ui->caret = to;
    if (!shift)
        ui->anchor = to;
}

/* One key on the focused field; returns its UI_* flags. */
static int key(Ui *ui, UiKey k, uint8_t mods, char *buf, size_t cap, size_t *len)
{
    bool ctrl = mods & UI_MOD_CTRL, shift = mods & UI_MOD_SHIFT, sel = ui->caret != ui->anchor;
    size_t c = ui->caret;
    char clip[CLIP_CAP];
    switch (k) {
    case UI_KEY_BACKSPACE:
    case UI_KEY_DELETE:
        if (!sel)
            ui->anchor = k == UI_KEY_BACKSPACE ? (ctrl ? prev_word(buf, c) : prev_char(buf, c))
                                               : (ctrl ? next_word(buf, *len, c) : next_char(buf, *len, c));
        return cut_selection(ui, buf, len) ? UI_CHANGED : 0;
    case UI_KEY_LEFT:
        move(ui, sel && !shift ? sel_lo(ui) : ctrl ? prev_word(buf, c) : prev_char(buf, c), shift);
        return 0;
    case UI_KEY_RIGHT:
        move(ui, sel && !shift ? sel_hi(ui) : ctrl ? next_word(buf, *len, c) : next_char(buf, *len, c), shift);
        return 0;
    case UI_KEY_HOME: move(ui, 0, shift); return 0;
    case UI_KEY_END: move(ui, *len, shift); return 0;
    case UI_KEY_SELECT_ALL:
        ui->anchor = 0;
        ui->caret = *len;
        return 0;
    case UI_KEY_COPY: copy_selection(ui, buf); return 0;
    case UI_KEY_CUT:
        copy_selection(ui, buf);
        return cut_selection(ui, buf, len) ? UI_CHANGED : 0;
    case UI_KEY_PASTE: {
        size_t n = paste_text(ui, clip, sizeof clip);
        if (!n)
            return 0;
        insert(ui, buf, cap, len, clip, n);
        return UI_CHANGED | UI_PASTED;
    }
    case UI_KEY_ENTER: return UI_SUBMITTED;
    case UI_KEY_ESCAPE: /* first clears, then leaves */
        if (!*len) {
            ui->focus = 0;
            return 0;
        }
        buf[0] = 0;
        *len = ui->caret = ui->anchor = 0;
        return UI_CHANGED;
    default: return -1; /* not a field's key: left for others */
    }
}

/* Byte offset in buf nearest to x pixels from the text's start. */
static size_t offset_at(const Ui *ui, const char *buf, size_t len, float x)
{
    size_t best = 0;
    for (size_t i = 0; i <= len; i = next_char(buf, len, i)) {
        float w = (float)ui->text_width(ui->text_ctx, 0, buf, i);
        float nw = i < len ? (float)ui->text_width(ui->text_ctx, 0, buf, next_char(buf, len, i)) : w;
        best = i;
        if (x < (w + nw) / 2 || i >= len)
            break;
    }
    return best;
}

/* The mouse on a focused field: a click places the caret, a double-click selects the word,
 * a shift-click or a drag extends the selection. */
static void mouse(Ui *ui, uint32_t id, const char *buf, size_t len, float tx, bool over)
{
    const UiInput *in = &ui->in;
    size_t at = offset_at(ui, buf, len, in->mx - tx);
    if (over && in->pressed[0] && !ui->select_all) {
        if (in->clicks >= 2) {
            ui->anchor = at > 0 && !is_sep(buf[at - 1]) ? prev_word(buf, at) : at;
            while (ui->anchor < len && is_sep(buf[ui->anchor]))
                ui->anchor++;
            ui->caret = next_word(buf, len, ui->anchor);
        } else {
            move(ui, at, in->shift);
        }
    } else if (ui->active == id && in->down[0] && !in->pressed[0] && in->clicks < 2) {
        ui->caret = at; /* dragging */
    }
}

static int edit(Ui *ui, char *buf, size_t cap)
{
    size_t len = strlen(buf);
    if (ui->select_all) {
        ui->anchor = 0;
        ui->caret = len;
        ui->select_all = false;
    }
    ui->caret = ui->caret > len ? len : ui->caret;
    ui->anchor = ui->anchor > len ? len : ui->anchor;
    int res = 0;
    if (ui->in.text_len) {
        insert(ui, buf, cap, &len, ui->in.text, ui->in.text_len);
        res |= UI_CHANGED;
    }
    for (int i = 0; i < ui->in.nkeys && ui->focus; i++) {
        if (ui->key_used[i]) /* taken by a panel before the field (a dialog's Esc) */
            continue;
        int r = key(ui, ui->in.keys[i], ui->in.key_mods[i], buf, cap, &len);
        if (r < 0)
            continue;
        res |= r;
        ui->key_used[i] = true;
    }
    return res;
}

/* Pixels the text is shifted left so the caret of a focused field stays inside it (a long
 * path typed into a narrow field); 0 when it fits. */
static float scroll_of(const Ui *ui, const char *buf, bool focused, float w)
{
    if (!focused)
        return 0;
    float cx = (float)ui->text_width(ui->text_ctx, 0, buf, ui->caret), room = w - 24;
    return cx > room ? cx - room : 0;
}

static void draw(Ui *ui, const char *buf, bool focused, float x, float y, float w, float h,
                 const char *placeholder)
{
    draw_rect(ui->dl, x, y, w, h, focused ? ui->theme.field_focus : ui->theme.field);
    draw_outline(ui->dl, x, y, w, h, focused ? ui->theme.accent : ui->theme.border);
    float tx = x + 8 - scroll_of(ui, buf, focused, w), ty = y + 5;
    draw_clip(ui->dl, x + 2, y, w - 4, h);
    size_t len = strlen(buf);
    if (focused && ui->caret != ui->anchor) {
        float a = (float)ui->text_width(ui->text_ctx, 0, buf, sel_lo(ui));
        float b = (float)ui->text_width(ui->text_ctx, 0, buf, sel_hi(ui));
        draw_rect(ui->dl, tx + a, y + 4, b - a, h - 8, DRAW_RGBA(86, 180, 233, 110));
    }
    if (len)
        draw_text(ui->dl, 0, tx, ty, buf, len, ui->theme.text);
    else if (!focused && placeholder)
        draw_text(ui->dl, 0, tx, ty, placeholder, strlen(placeholder), ui->theme.dim);
    if (focused) {
        float cx = tx + (float)ui->text_width(ui->text_ctx, 0, buf, ui->caret);
        size_t el = strlen(ui->in.editing);
        if (el) {
            draw_text(ui->dl, 0, cx, ty, ui->in.editing, el, ui->theme.accent);
            cx += (float)ui->text_width(ui->text_ctx, 0, ui->in.editing, el);
        }
        draw_rect(ui->dl, cx, y + 4, 1.5f, h - 8, ui->theme.accent);
    }
    draw_noclip(ui->dl);
}

int ui_textbox(Ui *ui, const char *label, char *buf, size_t cap, float x, float y, float w,
               const char *placeholder)
{
    uint32_t id = ui_id(label, 0);
    float h = (float)ui->line_h + 10;
    const UiInput *in = &ui->in;
    bool over = in->mx >= x && in->my >= y && in->mx < x + w && in->my < y + h;
    if (over && in->pressed[0]) {
        ui->active = id;
        if (ui->focus != id) /* a click that focuses selects all, as the key does */
            ui_focus(ui, label);
    }
    int res = 0;
    bool focused = ui->focus == id;
    if (focused) {
        mouse(ui, id, buf, strlen(buf), x + 8 - scroll_of(ui, buf, true, w), over);
        res = edit(ui, buf, cap) | UI_ACTIVE;
        focused = ui->focus == id;
    }
    draw(ui, buf, focused, x, y, w, h, placeholder);
    ui_claim(ui, x, y, w, h);
    return res;
}
