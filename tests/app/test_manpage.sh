#!/usr/bin/env bash
# Holds docs/embedscope.1 to the program: every command of `embedscope --help`, every option
# that `--help` and each `embedscope COMMAND --help` print, every key line of `embedscope --keys`
# (the window's help screen) and every mouse and search hint must be in the rendered page, and
# the page must render without a groff warning. New commands, options and keys are picked up
# from the program's own output, so adding one without its man page entry fails here. Then the
# same check runs on copies of the page with one key, one command and one option taken out, to
# show that each kind of omission is caught.
#   test_manpage.sh EMBEDSCOPE_BIN MANPAGE      (label cli; needs groff)
set -uo pipefail
bin=$1
page=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/embedscope-manpage-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

if ! command -v groff >/dev/null; then
    echo "FAIL: groff is not installed (groff-base; ./dev.sh deps installs it)" >&2
    exit 1
fi

# What the program says about itself.
"$bin" --help >"$tmp/help.txt" || { echo "FAIL: embedscope --help exits $?" >&2; exit 1; }
"$bin" --keys >"$tmp/keys.txt" || { echo "FAIL: embedscope --keys exits $?" >&2; exit 1; }
# `  NAME  text` lines after "commands:" (main.c's table)
commands=$(awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }' \
           "$tmp/help.txt")
[ -n "$commands" ] || fail "no commands found in embedscope --help"
cp "$tmp/help.txt" "$tmp/allhelp.txt"
for c in $commands; do
    "$bin" "$c" --help >>"$tmp/allhelp.txt" 2>&1 || fail "embedscope $c --help exits $?"
done
# Options as the helps write them: a token starting with - or -- and a letter, after a space,
# a bracket, a bar, a comma or a quote ("[-k N]", "(then -hs 1)", "'word count'" has none).
options=$(grep -oE "(^|[][ |(,\`'])--?[A-Za-z][A-Za-z0-9-]*" "$tmp/allhelp.txt" |
          sed -E 's/^[^-]//' | sort -u)
[ -n "$options" ] || fail "no options found in the --help outputs"
keys=$(sed '/^$/q' "$tmp/keys.txt" | sed '/^$/d')
hints=$(sed '1,/^$/d' "$tmp/keys.txt")
[ -n "$keys" ] || fail "embedscope --keys printed no key line"

# The page as plain text: no bold or underline, lines never broken or hyphenated, so a .TP
# entry is its tag at indent 7 with its body beside or below it (indent 14).
render() { groff -man -Tascii -P-c -P-b -P-u -P-o -rLL=2000n -rHY=0 "$1" 2>/dev/null; }
# One "SECTION<TAB>entry" line per paragraph, whitespace collapsed.
entries() {
    render "$1" | awk '
        function flush() { if (text != "") print sec "\t" text; text = "" }
        /^[A-Z]/ { flush(); sec = $0; next }
        /^       [^ ]/ { flush() }
        /^ *$/ { next }
        { line = $0; gsub(/[ \t]+/, " ", line); sub(/^ /, "", line)
          text = text == "" ? line : text " " line }
        END { flush() }'
}
collapse() { tr -s ' \t' '  ' | sed -E 's/^ //; s/ $//'; }

# check_page PAGE: prints one line per omission; the count of them is the exit status.
check_page() {
    local p=$1 n=0 entries_file=$tmp/entries.txt
    entries "$p" >"$entries_file"
    for c in $commands; do
        # a COMMANDS entry whose tag starts with the name: "neighbours (or neighbors)", "version, --version"
        awk -F'\t' -v c="$c" '$1 == "COMMANDS" { split($2, w, " "); sub(/,$/, "", w[1]); if (w[1] == c) f = 1 }
                              END { exit !f }' "$entries_file" ||
            { echo "command '$c' (embedscope --help) has no entry under COMMANDS"; n=$((n + 1)); }
    done
    # options: anywhere in the page but the synopsis and the examples, as a whole token
    awk -F'\t' '$1 != "SYNOPSIS" && $1 != "EXAMPLES" { print $2 }' "$entries_file" >"$tmp/body.txt"
    for o in $options; do
        grep -qE -e "(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|\$)" "$tmp/body.txt" ||
            { echo "option '$o' (a --help output) is not described"; n=$((n + 1)); }
    done
    # keys: a KEYS entry reading "KEYS HELP" (more text may follow), as the help screen says it
    awk -F'\t' '$1 == "KEYS" { print $2 }' "$entries_file" >"$tmp/keys_entries.txt"
    while IFS= read -r line; do
        want=$(printf '%s %s' "${line%%: *}" "${line#*: }" | collapse)
        awk -v w="$want" '$0 == w || index($0, w " ") == 1 { f = 1 } END { exit !f }' \
            "$tmp/keys_entries.txt" ||
            { echo "key line '$line' (embedscope --keys) has no KEYS entry '$want'"; n=$((n + 1)); }
    done <<<"$keys"
    # hints: each part (parts are 2+ spaces apart) names its action before ': ' (or is one
    # phrase); that name must be in the MOUSE section, in any case
    awk -F'\t' '$1 == "MOUSE" { print tolower($2) }' "$entries_file" >"$tmp/mouse.txt"
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        while IFS= read -r part; do
            label=$(printf '%s' "${part%%: *}" | collapse | tr '[:upper:]' '[:lower:]')
            [ -n "$label" ] || continue
            grep -qF -e "$label" "$tmp/mouse.txt" ||
                { echo "hint '$label' (embedscope --keys) is not under MOUSE"; n=$((n + 1)); }
        done < <(printf '%s\n' "$line" | sed -E 's/  +/\n/g')
    done <<<"$hints"
    return $((n > 255 ? 255 : n))
}

# 1. The page renders without a warning (groff's own and man's).
if ! groff -man -Tutf8 -ww -z "$page" 2>"$tmp/groff.err" || [ -s "$tmp/groff.err" ]; then
    cat "$tmp/groff.err" >&2
    fail "groff -man -ww warns about $page"
fi
if command -v man >/dev/null; then
    if ! LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" >/dev/null 2>"$tmp/man.err" ||
       [ -s "$tmp/man.err" ]; then
        cat "$tmp/man.err" >&2
        fail "man --warnings -l warns about $page"
    fi
fi

# 2. It covers the program.
if ! check_page "$page" >"$tmp/missing.txt"; then
    sed 's/^/  /' "$tmp/missing.txt" >&2
    fail "$(wc -l <"$tmp/missing.txt") things the program shows are missing from $page"
fi
echo "checked $(wc -w <<<"$commands") commands, $(wc -w <<<"$options") options, $(wc -l <<<"$keys") key lines, $(grep -c . <<<"$hints") hint lines"

# 3. Each kind of omission is caught: a key (B), a command (world), an option (--restrict).
sed '/^\.B B$/,+1d' "$page" >"$tmp/no_key.1"
sed '/^\.B world$/d' "$page" >"$tmp/no_command.1"
sed 's/\\-\\-restrict/\\-\\-limit/g' "$page" >"$tmp/no_option.1"
for m in "no_key:key line 'B: " "no_command:command 'world'" "no_option:option '--restrict'"; do
    f=${m%%:*}
    if check_page "$tmp/$f.1" >"$tmp/$f.txt"; then
        fail "the check passes a page with ${f//_/ } taken out"
    elif ! grep -qF -e "${m#*:}" "$tmp/$f.txt"; then
        cat "$tmp/$f.txt" >&2
        fail "the check of a page with ${f//_/ } taken out does not name it"
    fi
done

echo "test_manpage: $fails failed"
exit $((fails > 0))
