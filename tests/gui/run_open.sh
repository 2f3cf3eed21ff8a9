#!/bin/bash
# The open dialog and the remembered settings (issue #13) in a scripted session: a corrupt
# settings file reported and replaced, Ctrl+O, a typed name with Tab completion, Enter on a
# corpus, a bookmark and a missing file, the filter hiding what we do not read; then the
# settings file must hold the recent files, the last folder and the hint seen.
# usage: run_open.sh EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2 src=$3
rm -rf "$out" && mkdir -p "$out/files" "$out/config/embedscope" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
files=$out/files
"$bin" train -size 16 -iter 1 -output "$files/world.vec" > "$out/train.log" 2>&1 || fail "train: $(tail -1 "$out/train.log")"
"$bin" world --dump 3000 > "$files/story.txt" || fail "world --dump"
printf '# embedscope bookmark\nversion = 1\nsource = %s/world.vec\nview = table\n' "$files" > "$files/view.bookmark"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' > "$files/picture.png"
mkdir -p "$files/sub"
export XDG_CONFIG_HOME=$out/config
settings=$XDG_CONFIG_HOME/embedscope/settings
printf 'embedscope_settings = 1\nhint_seen = maybe\n' > "$settings"
sed "s|@OUT@|$out|g" "$src/open.script" > "$out/open.script" || exit 1
(cd "$files" && "$bin" --script "$out/open.script") || fail "session exited with $?"
cat "$settings"
grep -qx "hint_seen = 1" "$settings" || fail "the hint seen was not remembered"
grep -qx "last_folder = $files" "$settings" || fail "last folder not remembered"
[ "$(grep '^recent = ' "$settings" | head -2 | tr '\n' ' ')" = "recent = $files/view.bookmark recent = $files/story.txt " ] ||
    fail "recent files: $(grep recent "$settings")"
ls "$XDG_CONFIG_HOME/embedscope" | grep -q '\.tmp' && fail "temporary files left"
# a second launch reads them back: no complaint, the dialog lists the recent files
printf 'wait_open 120\nassert_no_panel settings ignored\nkey ctrl+o\nwait_frames 2\nassert_panel Recent\nassert_panel view.bookmark\nquit\n' > "$out/again.script"
(cd / && "$bin" --script "$out/again.script" 2> "$out/again.err") || fail "second session exited with $?"
grep -q settings "$out/again.err" && fail "the second launch complained: $(cat "$out/again.err")"
echo "PASS: open"
