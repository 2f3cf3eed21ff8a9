/* Script verbs that wait: wait_words, wait_snapshots, wait_frames, wait_ms, wait_open; and
 * frames_mark / print_frames (frame times since the mark). UI thread. */
#ifndef EMBEDSCOPE_GUI_SCRIPT_WAITS_H
#define EMBEDSCOPE_GUI_SCRIPT_WAITS_H
#include "app/gui/script/line.h"

/* NULL-terminated. */
extern const ScriptVerb script_wait_verbs[];

#endif
