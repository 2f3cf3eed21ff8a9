#!/usr/bin/env bash
# Self-test of tests/structure/check.py: builds one small clean tree (with the constructs the
# parser must get right: multi-line prototypes, attributes, function-pointer typedefs, static
# inline functions, a data table, braces in strings and comments, a 700-line file and a
# 120-line function) and copies of it that each break exactly one rule, and asserts the check
# passes on the first and fails on each copy naming that rule and no other.
# Usage: tests/structure/test_check.sh [PYTHON]     (exit status: the number of failures)
set -u
PY=${1:-python3}
CHECK="$(cd "$(dirname "$0")" && pwd)/check.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

# put PATH: writes stdin to $tree/PATH
put() { mkdir -p "$(dirname "$tree/$1")" && cat >"$tree/$1"; }

clean_tree() {
    tree=$1
    put model/base/err.h <<'EOF'
/* Errors as values. Any thread. */
#ifndef ERR_H
#define ERR_H
#include <stdbool.h>
typedef struct Err { char msg[256]; } Err;
bool err_set(Err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif
EOF
    {
        printf '/* Errors as values: the formatter. Any thread. */\n'
        printf '#include "model/base/err.h"\n#include <stdarg.h>\n#include <stdio.h>\n\n'
        printf 'bool err_set(Err *e, const char *fmt, ...)\n{\n    va_list ap;\n'
        printf '    va_start(ap, fmt);\n    vsnprintf(e->msg, sizeof e->msg, fmt, ap);\n'
        printf '    va_end(ap);\n    return false;\n}\n'
        for i in $(seq 14 700); do printf '/* padding line %d */\n' "$i"; done
    } >"$tree/model/base/err.c"
    put model/text/vocab.h <<'EOF'
/* The vocabulary: words and their counts.
 * One owner thread. */
#ifndef VOCAB_H
#define VOCAB_H
#include "model/base/err.h"
#include <stddef.h>

typedef struct Vocab {
    int n;
    void (*on_add)(void *ctx, const char *word); /* not a declaration */
} Vocab;
typedef int (*VocabCmp)(const char *a,
                        const char *b);
extern int (*vocab_hook)(int);

static inline int vocab_size(const Vocab *v) { return v->n; }

/* a prototype over three lines, with an attribute */
int vocab_add(Vocab *v,
              const char *word,
              Err *e) __attribute__((nonnull(1)));
__attribute__((warn_unused_result)) int vocab_find(const Vocab *v, const char *word);
int vocab_long(int x);
#endif
EOF
    {
        printf '/* The vocabulary: words and their counts. One owner thread. */\n'
        printf '#include "model/text/vocab.h"\n#include <string.h>\n\n'
        printf 'int (*vocab_hook)(int) = 0;\n\n'
        printf '/* a data table is not a function, however long */\nstatic const int table[] = {\n'
        for i in $(seq 1 200); do printf '    %d,\n' "$i"; done
        printf '};\n\n'
        printf 'int vocab_add(Vocab *v, const char *word, Err *e)\n{\n'
        printf '    const char *tricky = "}}} {";  /* } */\n    char c = '"'"'}'"'"';\n'
        printf '    // }\n    if (!word || c != '"'"'}'"'"')\n        return err_set(e, "%%s", tricky);\n'
        printf '    v->n += table[0];\n    return 1;\n}\n\n'
        printf 'int vocab_find(const Vocab *v, const char *word)\n{\n'
        printf '    return v->n && strlen(word) ? 0 : -1;\n}\n\n'
        printf '#if 0\nint never_compiled(void) {\n#endif\n\n'
        # body: opening brace line + 119 statement lines + closing brace = 120 lines long
        printf 'int vocab_long(int x)\n{\n'
        for i in $(seq 1 118); do printf '    x += %d;\n' "$i"; done
        printf '    return x;\n}\n'
    } >"$tree/model/text/vocab.c"
    put model/train/train.h <<'EOF'
/* The trainer. Trainer threads. */
#ifndef TRAIN_H
#define TRAIN_H
#include "model/text/vocab.h"
void train_run(Vocab *v);
#endif
EOF
    put model/train/train.c <<'EOF'
/* The trainer. Trainer threads. */
#include "model/train/train.h"

static void step(Vocab *v) { v->n++; }

void train_run(Vocab *v)
{
    step(v);
}
EOF
    put render/draw.h <<'EOF'
/* The draw list. UI thread. */
#ifndef DRAW_H
#define DRAW_H
void draw_rect(int x, int y);
#endif
EOF
    put render/draw.c <<'EOF'
/* The draw list. UI thread. */
#include "render/draw.h"
#include "model/base/err.h"

void draw_rect(int x, int y) { (void)x; (void)y; }
EOF
    put render/window.c <<'EOF'
/* The window. Main thread. */
#include "render/draw.h"
#include <SDL.h>
EOF
    put app/args.h <<'EOF'
/* Shared argument parsing. Main thread. */
#ifndef ARGS_H
#define ARGS_H
int args_int(const char *s);
#endif
EOF
    put app/args.c <<'EOF'
/* Shared argument parsing. Main thread. */
#include "app/args.h"
#include "model/base/err.h"
#include <stdlib.h>

int args_int(const char *s) { return atoi(s); }
EOF
    put app/ui/ui.h <<'EOF'
/* The immediate-mode UI. UI thread. */
#ifndef UI_H
#define UI_H
#include "render/draw.h"
void ui_begin(void);
#endif
EOF
    put app/ui/ui.c <<'EOF'
/* The immediate-mode UI. UI thread. */
#include "app/ui/ui.h"
#include "model/base/err.h"

void ui_begin(void) { draw_rect(0, 0); }
EOF
    put app/cli/train.h <<'EOF'
/* embedscope train. Main thread. */
#ifndef CLI_TRAIN_H
#define CLI_TRAIN_H
int cmd_train(int argc, char **argv);
#endif
EOF
    put app/cli/train.c <<'EOF'
/* embedscope train. Main thread. */
#include "app/cli/train.h"
#include "app/args.h"
#include "model/train/train.h"

int cmd_train(int argc, char **argv)
{
    Vocab v = {0};
    train_run(&v);
    return argc > 1 ? args_int(argv[1]) : 0;
}
EOF
    put app/gui/LAYERS <<'EOF'
# The window's layers, lowest first.
core              # the state
scene views/      # two folders, one layer
panels
EOF
    local layer
    for layer in core/app scene/scene views/table panels/panels; do
        local name=${layer#*/}
        local inc=""
        case $layer in
            core/*) inc='#include "model/text/vocab.h"
#include "render/draw.h"
#include "app/ui/ui.h"
#include "app/args.h"' ;;
            scene/*) inc='#include "app/gui/core/app.h"' ;;
            views/*) inc='#include "app/gui/scene/scene.h"
#include "app/gui/core/app.h"' ;;
            panels/*) inc='#include "app/gui/views/table.h"
#include "app/gui/scene/scene.h"' ;;
        esac
        put "app/gui/$layer.h" <<EOF
/* gui $name. UI thread. */
#ifndef GUI_${name^^}_H
#define GUI_${name^^}_H
$inc
void gui_$name(void);
#endif
EOF
        put "app/gui/$layer.c" <<EOF
/* gui $name. UI thread. */
#include "app/gui/$layer.h"

void gui_$name(void) {}
EOF
    done
    put app/gui/main.h <<'EOF'
/* The window's entry point. Main thread. */
int gui_main(int argc, char **argv);
EOF
    put app/gui/main.c <<'EOF'
/* The window's entry point. Main thread. */
#include "app/gui/main.h"
#include "app/gui/panels/panels.h"
#include <SDL.h>

int gui_main(int argc, char **argv) { (void)argv; gui_panels(); return argc; }
EOF
    put app/main.c <<'EOF'
/* embedscope's entry point. Main thread. */
#include "app/cli/train.h"
#include "app/gui/main.h"

int main(int argc, char **argv) { return argc > 1 ? cmd_train(argc, argv) : gui_main(argc, argv); }
EOF
    put tests/test.h <<'EOF'
/* The test runner. */
#define CHECK(x) ((void)(x))
EOF
    put tests/model/test_vocab.c <<'EOF'
/* Vocabulary tests. */
#include "model/text/vocab.h"
#include "tests/test.h"
EOF
    put bench/bench.c <<'EOF'
/* A benchmark. */
#include "model/train/train.h"
EOF
}

# expect NAME RULE: the check fails on $TMP/NAME, naming RULE and no other rule
expect() {
    local name=$1 rule=$2 out rc others
    out=$("$PY" "$CHECK" "$TMP/$name" 2>&1)
    rc=$?
    others=$(printf '%s\n' "$out" | grep -E '^[^ :]+:[0-9]+: [a-z-]+: ' | grep -v -E "^[^ :]+:[0-9]+: $rule: ")
    if [ $rc -ne 1 ] || ! printf '%s\n' "$out" | grep -q -E "^[^ :]+:[0-9]+: $rule: " || [ -n "$others" ]; then
        echo "FAIL $name: want exit 1 and rule '$rule' only, got exit $rc:"
        printf '%s\n' "$out" | sed 's/^/    /'
        failures=$((failures + 1))
    else
        echo "ok   $name: $(printf '%s\n' "$out" | grep -E ": $rule: " | head -1)"
    fi
}

# variant NAME: a copy of the clean tree in $TMP/NAME, as $tree
variant() { rm -rf "${TMP:?}/$1"; cp -r "$TMP/clean" "$TMP/$1"; tree=$TMP/$1; }

clean_tree "$TMP/clean"
out=$("$PY" "$CHECK" "$TMP/clean" 2>&1)
rc=$?
if [ $rc -ne 0 ] || printf '%s\n' "$out" | grep -q -E '^[^ :]+:[0-9]+: ' ||
    ! printf '%s\n' "$out" | tail -1 | grep -q 'longest function vocab_long at model/text/vocab.c:[0-9]* (120 lines)'; then
    echo "FAIL clean: want exit 0, no violation and vocab_long as the longest function, got exit $rc:"
    printf '%s\n' "$out" | sed 's/^/    /'
    failures=$((failures + 1))
else
    echo "ok   clean: $out"
fi

variant gui_upward
put app/gui/core/status.c <<'EOF'
/* The status line. UI thread. */
#include "app/gui/panels/panels.h"
EOF
expect gui_upward include-direction

variant gui_top
put app/gui/scene/pick.c <<'EOF'
/* Picking. UI thread. */
#include "app/gui/main.h"
EOF
expect gui_top include-direction

variant model_upward
put model/text/corpus.c <<'EOF'
/* The corpus reader. Reader thread. */
#include "model/train/train.h"
EOF
expect model_upward include-direction

variant render_app
put render/font.c <<'EOF'
/* Fonts. UI thread. */
#include "app/ui/ui.h"
EOF
expect render_app include-direction

variant cli_gui
put app/cli/world.c <<'EOF'
/* embedscope world. Main thread. */
#include "app/gui/core/app.h"
EOF
expect cli_gui include-direction

variant relative
sed -i 's|#include "model/text/vocab.h"|#include "vocab.h"|' "$tree/model/text/vocab.c"
expect relative include-path

variant sdl
sed -i 's|#include "model/base/err.h"|#include <SDL.h>|' "$tree/app/ui/ui.c"
expect sdl no-sdl

variant new_folder
put model/extra/thing.c <<'EOF'
/* Something new. Any thread. */
#include "model/base/err.h"
EOF
expect new_folder unlisted-folder

variant new_layer
put app/gui/dialogs/open.c <<'EOF'
/* The open dialog. UI thread. */
#include "app/gui/core/app.h"
EOF
expect new_layer unlisted-folder

variant cycle
put model/text/a.h <<'EOF'
/* a. Any thread. */
#include "model/text/b.h"
EOF
put model/text/b.h <<'EOF'
/* b. Any thread. */
EOF
put model/text/b.c <<'EOF'
/* b. Any thread. */
#include "model/text/b.h"
#include "model/text/a.h"
EOF
expect cycle cycle
if [ "$("$PY" "$CHECK" "$TMP/cycle" | grep -c ': cycle: ')" -ne 1 ]; then
    echo "FAIL cycle: the cycle is reported more than once"
    failures=$((failures + 1))
fi

variant hub
sed -i 's|^int cmd_train.*;|&\nint cmd_eval(int argc, char **argv);|' "$tree/app/cli/train.h"
put app/cli/eval.c <<'EOF'
/* embedscope eval. Main thread. */
#include "app/cli/train.h"

int cmd_eval(int argc, char **argv) { (void)argv; return argc; }
EOF
expect hub hub-header

variant hub_nowhere
sed -i 's|^void draw_rect.*;|&\nvoid draw_missing(void);|' "$tree/render/draw.h"
expect hub_nowhere hub-header

variant long_file
echo '/* line 701 */' >>"$tree/model/base/err.c"
expect long_file file-size

variant long_function
sed -i 's|^    return x;|    x += 1;\n&|' "$tree/model/text/vocab.c"
expect long_function function-size

variant no_comment
sed -i '1d' "$tree/render/draw.c"
expect no_comment top-comment

echo "$failures failure(s)"
exit $failures
