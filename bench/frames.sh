#!/bin/bash
# Frame-time benchmark of the explorer (not a test): for each cloud size, a synthetic corpus
# with that many distinct words is trained in the window while a script rotates, zooms and then
# idles; prints the frame-time percentiles (wall and UI-thread CPU) and the trainer's words/s
# beside `embedscope train` alone with the same settings. Each run's CPU/wall ratio is printed:
# with 2 training threads a ratio under 1.75 means something else had the cores (rerun).
# EMBEDSCOPE_UI_THREADS=1 gives the explorer's one-thread path; ALONE=0 skips the runs alone.
# usage: bench/frames.sh BUILD/embedscope [WORDS...]   (default: 10000 100000; 1000000 ~ 2 min)
set -eu
bin=$1
shift
sizes=${*:-10000 100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy}
threads=$(nproc)
exec 3>&2
# timed CMD...: runs CMD, then prints the load average at its start and its CPU/wall ratio (to stderr)
timed() {
  local load t0 c0 t1 c1
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s.%N)
  c0=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
  "$@"
  t1=$(date +%s.%N)
  c1=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
  awk -v a="$t0" -v b="$t1" -v c="$c0" -v d="$c1" -v l="$load" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { w = b - a; printf "  (wall %.1f s, cpu/wall %.2f, load before %s)\n", w, (d - c) / hz / w, l }' >&3
}
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
  timed "$bin" --stats --corpus "$corpus" --dim 50 --epochs 100 --threads "$threads" --script "$tmp/s.script"
  [ "${ALONE:-1}" = 0 ] && continue
  iter=$(( n >= 1000000 ? 2 : 20 )) # 24M words or more: a steady words/s in under a minute
  timed "$bin" train -train "$corpus" -output "$tmp/v.txt" -size 50 -iter "$iter" -threads "$threads" \
    > "$tmp/train.log" 2>&1
  grep -E "^Trained" "$tmp/train.log" | sed 's/^/alone: /'
done
