#!/bin/bash
# Runs pos.script (the Positions view's learned source) in the real window; usage:
# run_pos.sh EMBEDSCOPE OUTDIR SRCDIR [SANITIZER]
# With a sanitizer named (asan, tsan) the lines between "#full-begin" and "#full-end" (training
# until smooth: 40 s of CPU under ASan) give way to the "#sanitized: " lines (a short training).
set -u
bin=$1 out=$2 src=$3 san=${4:-}
rm -rf "$out" && mkdir -p "$out" || exit 1
printf 'fewer bytes than one context of 128 positions\n' > "$out/short.txt" || exit 1
if [ -n "$san" ]; then
  sed -e "s|@OUT@|$out|g" -e 's/^#sanitized: //' -e '/^#full-begin$/,/^#full-end$/d' \
      "$src/pos.script" > "$out/pos.script" || exit 1
else
  sed "s|@OUT@|$out|g" "$src/pos.script" > "$out/pos.script" || exit 1
fi
start=$(date +%s)
"$bin" --threads 1 --script "$out/pos.script" || { echo "FAIL: pos exited with $?"; exit 1; }
for f in init smooth; do
  [ -s "$out/$f.png" ] || { echo "FAIL: $out/$f.png missing"; exit 1; }
done
echo "PASS: pos in $(( $(date +%s) - start )) s"
