#!/bin/bash
# Region names over the cloud (issue #14) on small pretrained vectors of the demo world;
# usage: run_regions.sh EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2 src=$3
rm -rf "$out" && mkdir -p "$out" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
# 32 dimensions, 1 epoch (16 s of CPU under ASan): enough for the categories to gather
"$bin" train -size 32 -iter 1 -output "$out/world.vec" > "$out/train.log" 2>&1 || fail "train: $(tail -1 "$out/train.log")"
sed "s|@OUT@|$out|g" "$src/regions.script" > "$out/regions.script" || exit 1
start=$(date +%s)
"$bin" --vectors "$out/world.vec" --script "$out/regions.script" || fail "session exited with $?"
[ -s "$out/regions.png" ] && [ -s "$out/clusters.png" ] || fail "no screenshots"
echo "PASS: regions in $(( $(date +%s) - start )) s"
