/* The Positions view's learned source, on the UI side: its settings (preset S or M, any
 * max_len, dim, layers and heads, the init, the text, the learning rate), checked before
 * anything starts (the shape, heads dividing dim, the memory it needs) and handed to the
 * helper thread (poslearn.h); its controls (start, pause, step, reset), the estimate shown
 * before it trains, what the init changes, and the frames and messages taken each frame. The
 * GPT pauses while none of its views (Positions with this source, or the lookup table on wpe
 * or wte) is on screen. UI thread. */
#ifndef EMBEDSCOPE_GUI_VIEWS_POSCTL_H
#define EMBEDSCOPE_GUI_VIEWS_POSCTL_H
#include "app/gui/core/app.h"

#define POSCTL_STEP 10    /* steps of one Step */
#define POS_MAX_LEN 4096  /* positions offered in the Positions view (the PCA path draws each) */

/* Whole number s in [lo, hi] into *out. */
bool gui_posctl_parse_int(const char *s, long long lo, long long hi, long long *out);
/* The learned settings' defaults and box texts, once. */
void gui_posctl_prepare(GuiApp *g);
/* A new session with the settings in views.pos.learn; false (e set, nothing started) when
 * they are refused. */
bool gui_posctl_request(GuiApp *g, Err *e);
/* A refused setting: said in the status line and in the view, the current table kept. */
void gui_posctl_refuse(GuiApp *g, const char *msg);
/* A learned setting by its script name: pos_len, pos_dim, pos_layers, pos_heads,
 * pos_shape "LEN DIM LAYERS HEADS", pos_preset S|M, pos_init gpt2|torch, pos_text PATH|@world
 * (a new session each) or pos_lr (live). false with e, and nothing changed, when refused. */
bool gui_posctl_set(GuiApp *g, const char *name, const char *val, Err *e);
/* "start", "pause", "reset" or "step" (POSCTL_STEP steps, n when given): false for another
 * word or without a session. */
bool gui_posctl_control(GuiApp *g, const char *what, int n);
/* The rows under the source buttons: settings, controls, estimate, what the init changes;
 * returns their height. */
float gui_posctl_draw(GuiApp *g, float x, float y, float w);
/* Each frame: the latest learned frame (true when it is new) and messages; pauses the GPT
 * while it is not shown. */
bool gui_posctl_poll(GuiApp *g);
void gui_posctl_free(GuiApp *g);

#endif
