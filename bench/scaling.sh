#!/usr/bin/env bash
# Thread scaling of `embedscope train` alone: alternating 1- and 2-thread runs (3 each) of
# skip-gram or CBOW on CORPUS, with wall time, CPU time and CPU/wall per run.
#   bench/scaling.sh CORPUS [sg|cbow] [RUNS]      (EMBEDSCOPE=path/to/embedscope, default build/)
# Reruns are left to the reader: a 2-thread run with CPU/wall below 1.75 did not get two cores.
set -euo pipefail
CORPUS=${1:?usage: bench/scaling.sh CORPUS [sg|cbow] [RUNS]}
MODEL=${2:-sg}
RUNS=${3:-3}
BIN=${EMBEDSCOPE:-$(dirname "$0")/../build/embedscope}
CB=0; [ "$MODEL" = cbow ] && CB=1
printf '%-5s %-7s %-4s %8s %8s %6s\n' model threads run wall_s cpu_s ratio
for r in $(seq 1 "$RUNS"); do
  for th in 1 2; do
    t=$(mktemp)
    /usr/bin/time -f "%e %U %S" -o "$t" "$BIN" train -train "$CORPUS" -cbow $CB -size 100 -window 5 \
      -negative 5 -sample 1e-4 -min-count 5 -iter 3 -threads "$th" -debug 0
    read -r w u s < "$t"; rm -f "$t"
    awk -v m="$MODEL" -v th="$th" -v r="$r" -v w="$w" -v u="$u" -v s="$s" \
      'BEGIN { printf "%-5s %-7s %-4s %8.2f %8.2f %6.2f\n", m, th, r, w, u + s, (u + s) / w }'
  done
done
