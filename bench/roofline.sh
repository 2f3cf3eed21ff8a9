#!/bin/bash
# The word trainer against this machine's roofs (bench/README.md, "Roofline"): trains skip-gram
# (HogBatch and per pair) and CBOW on CORPUS with 1 and 2 threads, RUNS alternating rounds,
# each under /usr/bin/time -v; takes each kernel's median rate per core (the trainer's own count
# of trained, in-vocabulary words over the process's CPU seconds: steadier than wall time on a
# shared machine, and a lower bound, since counting the vocabulary is in it) and hands it to
# bench_roofline, which measures peak FMA, bandwidth and random-row rates and counts FLOPs and
# bytes per word from the corpus. Prints the machine, the load, every run and the tables.
#   bench/roofline.sh CORPUS [RUNS]      (EMBEDSCOPE=path, ROOFLINE=path; default build/)
set -euo pipefail
{
CORPUS=${1:?usage: bench/roofline.sh CORPUS [RUNS]}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${EMBEDSCOPE:-$ROOT/build/embedscope}
ROOF=${ROOFLINE:-$ROOT/build/bench/bench_roofline}
[ -x "$BIN" ] && [ -x "$ROOF" ] || { echo "roofline.sh: build first (cmake --build build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "roofline.sh: needs GNU time at /usr/bin/time" >&2; exit 1; }
TMP=$(mktemp -d /tmp/embedscope-roofline.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(lscpu | awk -F': +' '/^Model name/ { print $2 }'), nproc $(nproc)"
echo "load before: $(uptime | sed 's/.*load average/load average/')"
echo
echo "| kernel | threads | run | trained words/s (wall) | words per CPU s | wall s | CPU s | CPU/wall |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for r in $(seq 1 "$RUNS"); do
  for k in sg:0:1 sg-pairs:0:0 cbow:1:1; do
    IFS=: read -r name cbow batch <<<"$k"
    for th in 1 2; do
      "/usr/bin/time" -v -o "$TMP/time" "$BIN" train -train "$CORPUS" -output "$TMP/v.bin" -binary 1 \
        -cbow "$cbow" -batch "$batch" -size 100 -window 5 -negative 5 -hs 0 -sample 1e-4 \
        -min-count 5 -iter 3 -threads "$th" >"$TMP/log" 2>&1
      words=$(awk '/^Trained/ { print $2 }' "$TMP/log")
      line=$(awk -F': ' '/Elapsed/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time/ { u = $2 } /System time/ { s = $2 }
        END { printf "%.2f %.2f %.2f", w, u + s, (u + s) / w }' "$TMP/time")
      read -r w c ratio <<<"$line"
      wps=$(awk -v n="$words" -v w="$w" 'BEGIN { printf "%.0f", n / w }')
      wpc=$(awk -v n="$words" -v c="$c" 'BEGIN { printf "%.0f", n / c }')
      flag=; awk -v t="$th" -v q="$ratio" 'BEGIN { exit !(t == 2 && q < 1.75) }' && flag=" (disturbed)"
      echo "| $name | $th | $r | $wps | $wpc | $w | $c | $ratio$flag |"
      echo "$name $th $wpc" >>"$TMP/rates"
    done
  done
done
echo
ACH=()
for k in sg sg-pairs cbow; do
  for th in 1 2; do
    med=$(awk -v k="$k" -v t="$th" '$1 == k && $2 == t { print $3 }' "$TMP/rates" | sort -n |
          awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    ACH+=(--achieved "$k:$th:$med")
  done
done
"$ROOF" "$CORPUS" "${ACH[@]}"
echo
echo "load after: $(uptime | sed 's/.*load average/load average/')"
exit 0
}
