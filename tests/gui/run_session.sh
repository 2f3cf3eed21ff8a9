#!/bin/bash
# Runs session.script in the real window; usage: run_session.sh EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2 src=$3
rm -rf "$out" && mkdir -p "$out" || exit 1
sed "s|@OUT@|$out|g" "$src/session.script" > "$out/session.script" || exit 1
"$bin" --stats --script "$out/session.script" || { echo "FAIL: session exited with $?"; exit 1; }
for f in start 2d 3d rotated; do
  [ -s "$out/$f.png" ] || { echo "FAIL: $out/$f.png missing"; exit 1; }
done
echo "PASS: session"
