#!/bin/bash
# Cost of the training curves' background analogy evaluation (not a test): the explorer trains
# the demo world with the curves view open for a fixed time, with the evaluation on (the
# default: the world's question set, on a 5% budget of one core) and off
# (EMBEDSCOPE_CURVES_EVAL=0), runs alternating so drift in the machine's load hits both; prints
# each run's trainer words/s (from --stats), evaluations made, CPU and wall (/usr/bin/time -v),
# then medians with min/max and the slowdown.
# usage: bench/curves.sh BUILD/embedscope [RUNS] [SECONDS]   (default 3 runs of 20 s each)
set -eu
bin=$1
runs=${2:-3}
secs=${3:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy}
cat > "$tmp/s.script" <<END
view curves
wait_snapshots 1 120
wait_ms $((secs * 1000))
quit
END
run() { # run MODE I: one session, its words/s into $tmp/MODE.wps
  local mode=$1 i=$2 out=$tmp/$1.$2
  if [ "$mode" = off ]; then export EMBEDSCOPE_CURVES_EVAL=0; else unset EMBEDSCOPE_CURVES_EVAL; fi
  /usr/bin/time -v "$bin" --epochs 1000 --threads 2 --stats --script "$tmp/s.script" >"$out" 2>"$out.time"
  local wps cpu wall
  wps=$(sed -n 's/.*(\([0-9]*\) words\/s.*/\1/p' "$out" | head -1)
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$out.time")
  wall=$(awk -F': ' '/Elapsed \(wall/ { n = split($2, a, ":"); print a[n] + 60 * a[n - 1] }' "$out.time")
  # words per CPU-second of the whole process (trainers, UI, analysis, evaluation): on a busy
  # machine the share of the cores each run gets varies more than the evaluation costs
  local wpc
  wpc=$(awk -v w="$wps" -v c="$cpu" -v t="$wall" 'BEGIN { printf "%.0f", w * t / c }')
  printf "%-4s run %d  %9s words/s  %9s words/cpu-s  cpu %6.1f s  wall %5.1f s  load %s\n" "$mode" "$i" \
    "$wps" "$wpc" "$cpu" "$wall" "$(cut -d' ' -f1 /proc/loadavg)"
  echo "$wps" >> "$tmp/$mode.wps"
  echo "$wpc" >> "$tmp/$mode.wpc"
}
for i in $(seq 1 "$runs"); do
  run on "$i"
  run off "$i"
done
stats() { sort -n "$tmp/$1" | awk '{ v[NR] = $1 } END { printf "%.0f %.0f %.0f\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
read -r on_med on_min on_max < <(stats on.wps)
read -r off_med off_min off_max < <(stats off.wps)
read -r onc_med onc_min onc_max < <(stats on.wpc)
read -r offc_med offc_min offc_max < <(stats off.wpc)
echo
echo "| evaluation | words/s median (min-max) | words/cpu-s median (min-max) |"
echo "| --- | --- | --- |"
echo "| on (5% budget) | $on_med ($on_min-$on_max) | $onc_med ($onc_min-$onc_max) |"
echo "| off | $off_med ($off_min-$off_max) | $offc_med ($offc_min-$offc_max) |"
awk -v a="$on_med" -v b="$off_med" -v c="$onc_med" -v d="$offc_med" \
  'BEGIN { printf "\nslowdown of the medians: %.1f%% words/s, %.1f%% words/cpu-s\n", (1 - a / b) * 100, (1 - c / d) * 100 }'
