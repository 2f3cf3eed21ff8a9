#!/bin/bash
# Smoke run under a real X server (xvfb-run): the window opens, trains, draws and quits.
# usage: run_smoke.sh EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2
rm -rf "$out" && mkdir -p "$out" || exit 1
cat > "$out/smoke.script" <<EOS
wait_snapshots 2 300
type cat
key enter
wait_frames 3
assert_selected cat
screenshot $out/smoke.png
quit
EOS
unset SDL_VIDEODRIVER
"$bin" --script "$out/smoke.script" || { echo "FAIL: smoke exited with $?"; exit 1; }
[ -s "$out/smoke.png" ] || { echo "FAIL: no screenshot"; exit 1; }
echo "PASS: smoke"
