#!/bin/bash
# Runs views.script (teaching views and live controls) in the real window; usage:
# run_views.sh EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2 src=$3
rm -rf "$out" && mkdir -p "$out" || exit 1
sed "s|@OUT@|$out|g" "$src/views.script" > "$out/views.script" || exit 1
"$bin" --epochs 100 --threads 2 --script "$out/views.script" || { echo "FAIL: views exited with $?"; exit 1; }
for f in table0 table1 controls positions positions-random curves; do
  [ -s "$out/$f.png" ] || { echo "FAIL: $out/$f.png missing"; exit 1; }
done
echo "PASS: views"
