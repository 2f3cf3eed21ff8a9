/* One-line text fields that behave like every desktop's: focusing one (by key or click)
 * selects its text, so typing replaces it; Ctrl+A selects all; Home/End, Left/Right by
 * character or, with Ctrl, by word; Shift extends the selection; Backspace/Delete (with Ctrl:
 * a word); Ctrl+C/X/V through the clipboard the window lends (Ui.clip); a click places the
 * caret, a double-click selects a word, a drag selects; Esc clears the text, and a second Esc
 * leaves the field. UTF-8 throughout: nothing splits a character. UI thread. */
#ifndef EMBEDSCOPE_UI_TEXTBOX_H
#define EMBEDSCOPE_UI_TEXTBOX_H
#include "app/ui/ui.h"

/* A field editing buf (cap bytes with the NUL). Returns UI_ACTIVE while focused, UI_CHANGED
 * when edited, UI_SUBMITTED on Enter, UI_PASTED when text was pasted this frame. placeholder is
 * shown when empty and unfocused. */
int ui_textbox(Ui *ui, const char *label, char *buf, size_t cap, float x, float y, float w,
               const char *placeholder);
/* Gives the keyboard to the field label, with its text selected. */
void ui_focus(Ui *ui, const char *label);

#endif
