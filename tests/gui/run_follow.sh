#!/bin/bash
# --follow (issue #16): the window reopens a vectors file each time another program replaces
# it (atomically, by rename), keeping the selection and the pins; a version that does not load
# leaves the last one on screen. usage: run_follow.sh EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2 src=$3
rm -rf "$out" && mkdir -p "$out" || exit 1
fail() { echo "FAIL: $*"; [ -n "${app:-}" ] && kill "$app" 2>/dev/null; exit 1; }
"$bin" train -size 16 -iter 1 -output "$out/a.vec" > "$out/train.log" 2>&1 || fail "train a"
"$bin" train -size 16 -iter 1 -min-count 40 -seed 7 -output "$out/b.vec" >> "$out/train.log" 2>&1 || fail "train b"
rows_b=$(head -1 "$out/b.vec" | cut -d' ' -f1)
cp "$out/a.vec" "$out/follow.vec"
cat > "$out/follow.script" <<EOS
wait_open 120
type cat
key enter
wait_frames 3
assert_selected cat
type king - man + woman
key enter
wait_frames 3
export_coords $out/ready.tsv
wait_status version 1 shown
assert_source follow.vec
assert_rows $rows_b
assert_selected cat
assert_panel king - man + woman
export_coords $out/shown.tsv
wait_status did not load
assert_rows $rows_b
assert_selected cat
quit
EOS
"$bin" --follow "$out/follow.vec" --script "$out/follow.script" > "$out/app.log" 2>&1 &
app=$!
for ((i = 0; i < 600; i++)); do [ -s "$out/ready.tsv" ] && break; sleep 0.2; done
[ -s "$out/ready.tsv" ] || fail "the session never got ready: $(tail -3 "$out/app.log")"
cp "$out/b.vec" "$out/follow.vec.tmp" && mv "$out/follow.vec.tmp" "$out/follow.vec"
# once the new version is shown, a broken one
for ((i = 0; i < 600; i++)); do [ -s "$out/shown.tsv" ] && break; sleep 0.2; done
[ -s "$out/shown.tsv" ] || fail "the new version was never shown: $(tail -3 "$out/app.log")"
printf '3 4\nfoo 1 2 3 4\nbar 1 2 x 4\n' > "$out/follow.vec.tmp" && mv "$out/follow.vec.tmp" "$out/follow.vec"
wait "$app" || fail "session exited with $?: $(tail -5 "$out/app.log")"
echo "PASS: follow"
