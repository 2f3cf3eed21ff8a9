/* The window's one command table: every command with the keys that run it, its line on the
 * help screen and its name in scripts, so the help cannot drift from the keys. Printable keys
 * pressed while no text box has the focus run their command once per press; Esc runs the
 * escape command. UI thread. */
#ifndef EMBEDSCOPE_GUI_COMMANDS_H
#define EMBEDSCOPE_GUI_COMMANDS_H
#include "app/gui/core/app.h"

typedef enum GuiCmd {
    GUI_CMD_2D, GUI_CMD_3D, GUI_CMD_RESET_VIEW, GUI_CMD_FRAME, GUI_CMD_PAUSE, GUI_CMD_STEP,
    GUI_CMD_RESTART, GUI_CMD_SEARCH, GUI_CMD_FEWER, GUI_CMD_MORE, GUI_CMD_LABELS_UP,
    GUI_CMD_LABELS_DOWN, GUI_CMD_SCREENSHOT, GUI_CMD_EXPORT, GUI_CMD_BOOKMARK, GUI_CMD_LEGEND,
    GUI_CMD_TRAILS, GUI_CMD_COLOR, GUI_CMD_DENSITY, GUI_CMD_PROJECTION, GUI_CMD_VIEW_SPACE, GUI_CMD_VIEW_TABLE, GUI_CMD_VIEW_POSITIONS,
    GUI_CMD_VIEW_CURVES, GUI_CMD_SETTINGS, GUI_CMD_OPEN, GUI_CMD_QUIT, GUI_CMD_HELP, GUI_CMD_ESCAPE,
    GUI_CMD_COUNT
} GuiCmd;

typedef struct GuiBinding {
    GuiCmd cmd;
    const char *keys;      /* printable keys that run it ("+="), "" for none */
    const char *shown;     /* how the help screen names its keys ("+ / -"), NULL: keys */
    const char *name;      /* its name in scripts ("pause"), NULL for none */
    const char *help;      /* its line on the help screen */
    void (*run)(GuiApp *g);
    char ctrl;             /* the letter that runs it with Ctrl ('o': Ctrl+O), 0 for none; it
                              runs even while a text box has the focus */
} GuiBinding;

/* The binding of cmd (every command has exactly one). */
const GuiBinding *gui_binding(GuiCmd cmd);
/* The command a printable key or a script name runs; GUI_CMD_COUNT when none. */
GuiCmd gui_cmd_by_key(char key);
GuiCmd gui_cmd_by_name(const char *name);
/* The command Ctrl+letter runs (letter in lower case); GUI_CMD_COUNT when none. */
GuiCmd gui_cmd_by_ctrl(char letter);
void gui_cmd_run(GuiApp *g, GuiCmd cmd);
/* A printable key pressed this frame (loop/events.c). */
void gui_shortcut(GuiApp *g, char c);
/* Runs this frame's keys unless a text box has the focus. */
void gui_run_shortcuts(GuiApp *g);
/* The help screen's lines: gui_help_keys() key lines ("P: screenshot"), then gui_help_hints()
 * lines about the mouse and expressions. */
int gui_help_keys(void);
const char *gui_help_key(int i, char *buf, size_t cap);
int gui_help_hints(void);
const char *gui_help_hint(int i);

#endif
