#!/bin/bash
# Frame-time benchmark of the explorer (not a test): for each cloud size, a synthetic corpus
# with that many distinct words is trained in the window while a script rotates, zooms and then
# idles; prints the frame-time percentiles (wall and UI-thread CPU) and the trainer's words/s
# beside `embedscope train` alone with the same settings.
# usage: bench/frames.sh BUILD/embedscope [WORDS...]   (default: 10000 100000)
set -eu
bin=$1
shift
sizes=${*:-10000 100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy}
threads=$(nproc)
for n in $sizes; do
  corpus=$tmp/c$n.txt
  # about 12 occurrences per word (min-count 5 keeps nearly all), sentences of 10 neighbours
  awk -v n="$n" 'BEGIN { srand(1); for (s = 0; s < n * 12 / 10; s++) { b = int(rand() * n);
      line = ""; for (k = 0; k < 10; k++) line = line (k ? " " : "") "w" ((b + int(rand() * 50)) % n);
      print line } }' > "$corpus"
  {
    echo "wait_snapshots 2 900"
    for i in 1 2 3 4 5; do
      echo "drag 400 400 600 450"
      echo "wheel 1 640 400"
      echo "drag 600 450 420 380"
      echo "wheel -1 640 400"
    done
    echo "key 2"
    echo "drag 300 300 500 500"
    echo "key 3"
    echo "wait_ms 3000"
    echo "quit"
  } > "$tmp/s.script"
  echo "== $n words"
  "$bin" --stats --corpus "$corpus" --dim 50 --epochs 100 --threads "$threads" --script "$tmp/s.script"
  "$bin" train -train "$corpus" -output "$tmp/v.txt" -size 50 -iter 20 -threads "$threads" 2>&1 |
    grep -E "^Trained" | sed 's/^/alone: /'
done
