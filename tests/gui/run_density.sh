#!/bin/bash
# The density view switched on and off in the real window (density.script), and the same pixels
# of the scene with the UI pool as with one thread (EMBEDSCOPE_UI_THREADS=1). usage: run_density.sh
# EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2 src=$3
rm -rf "$out" && mkdir -p "$out/pool" "$out/one" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
# about 12,000 words (12 occurrences each, as bench/frames.sh makes them), 8 dimensions, in an
# 800x500 window (0.4 Mpx: auto fades between 7,800 and 19,500 points in view), so the cloud is
# between the auto thresholds and the session stays short under the sanitizers
awk -v n=12000 'BEGIN { srand(1); for (s = 0; s < n * 12 / 10; s++) { b = int(rand() * n);
    line = ""; for (k = 0; k < 10; k++) line = line (k ? " " : "") "w" ((b + int(rand() * 50)) % n);
    print line } }' > "$out/corpus.txt" || fail "corpus"
"$bin" train -train "$out/corpus.txt" -size 8 -iter 1 -threads 2 -seed 1 -output "$out/cloud.vec" \
  > "$out/train.log" 2>&1 || fail "train: $(tail -1 "$out/train.log")"
for t in pool one; do
  sed "s|@OUT@|$out/$t|g" "$src/density.script" > "$out/$t.script" || exit 1
  threads=""
  [ "$t" = one ] && threads=1
  EMBEDSCOPE_UI_THREADS=$threads "$bin" --vectors "$out/cloud.vec" --size 800x500 --script "$out/$t.script" \
    || fail "$t: session exited with $?"
done
# the scene alone (the window's status line shows the frame time)
for f in fading density points; do
  cmp -s "$out/pool/${f}_scene.png" "$out/one/${f}_scene.png" \
    || fail "${f}_scene.png differs between the pool and one thread"
done
echo "PASS: density"
