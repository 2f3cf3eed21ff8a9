#!/bin/bash
# Before and after a change that must not move any figure (issue #12's rule): runs the four
# benchmarks on two checkouts, alternating old, new, old, new, ... in one session, and keeps
# every table in a work directory for bench/README.md.
#   bench/before_after.sh OLD_TREE NEW_TREE CORPUS [ROUNDS]     (default 2 rounds)
# Each tree must be a checkout with its Release build in TREE/build (cmake -B build). Per round
# and tree: bench/analysis.sh (BUILD=TREE/build), bench/frames.sh TREE/build/embedscope 10000
# 100000, bench/train.sh CORPUS --tools ours --runs 1 for skip-gram and CBOW (the runs of a tree
# accumulate in one train.sh work directory, so its table gives medians over the rounds), and
# bench/load.sh 1 without gensim (LOAD_GENSIM=0; the peer does not change between trees; the
# new tree's script with ROOT=TREE, since the old one may not know these variables).
# env: WORK=dir (default a new /tmp/embedscope-before-after.XXXX), LOAD_DATA=dir
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
OLD=$(readlink -f "$1") NEW=$(readlink -f "$2") CORPUS=$(readlink -f "$3") ROUNDS=${4:-2}
WORK=${WORK:-$(mktemp -d /tmp/embedscope-before-after.XXXXXX)}
LOAD_DATA=${LOAD_DATA:-/tmp/embedscope-bench-load} # the 1.1 GB test files, made once
mkdir -p "$WORK"
for t in "$OLD" "$NEW"; do
    [ -x "$t/build/embedscope" ] || { echo "before_after.sh: $t/build/embedscope missing" >&2; exit 1; }
done
echo "work: $WORK; old $OLD ($(git -C "$OLD" rev-parse --short HEAD)), new $NEW ($(git -C "$NEW" rev-parse --short HEAD))" | tee "$WORK/meta.txt"
lscpu | sed -n 's/^Model name: *//p' | tee -a "$WORK/meta.txt"
for r in $(seq 1 "$ROUNDS"); do
    for side in old new; do
        tree=$OLD
        [ $side = new ] && tree=$NEW
        echo "== round $r: $side ($(date -u +%H:%M:%S))" >&2
        BUILD=$tree/build "$tree/bench/analysis.sh" >"$WORK/analysis.$side.r$r.md"
        "$tree/bench/frames.sh" "$tree/build/embedscope" 10000 100000 >"$WORK/frames.$side.r$r.txt" 2>&1
        for m in sg cbow; do
            EMBEDSCOPE=$tree/build/embedscope "$NEW/bench/train.sh" "$CORPUS" --model $m --tools ours \
                --runs 1 --workdir "$WORK/train-$m-$side" >"$WORK/train-$m.$side.r$r.md"
        done
        ROOT=$tree LOAD_GENSIM=0 BUILD=$tree/build-bench DATA=$LOAD_DATA "$NEW/bench/load.sh" 1 \
            >"$WORK/load.$side.r$r.md" 2>"$WORK/load.$side.r$r.log"
    done
done
echo "tables in $WORK" >&2
