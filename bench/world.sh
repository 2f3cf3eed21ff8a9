#!/bin/bash
# Time-to-accuracy on the built-in demo world (issue #3): trains @world from random vectors
# with the recommended defaults and 2 threads, snapshots the vectors every second, and prints
# one row per second: words read, analogy accuracy on the world's own questions (3CosAdd,
# question words excluded) and the answers to king - man + woman and paris - france + italy.
# Snapshots are scored after training stops, so scoring does not take cores from training.
#
# usage: bench/world.sh [--runs N] [world_curve options: --threads 2 --seconds 30 --model sg
#                        --dim 100 --window 5 --negative 5 --sample 1e-3 --alpha 0.025 --iter 5
#                        --seed 1 --show-fails SECTION]
# env: BUILD=dir (default build-bench in the repo; configured and built here, Release)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
RUNS=1
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DEMBEDSCOPE_GUI=OFF >/dev/null
cmake --build "$BUILD" -j2 --target bench_world_curve >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for ((r = 1; r <= RUNS; r++)); do
  [ "$RUNS" -gt 1 ] && echo "## run $r of $RUNS"
  "$BUILD/bench/bench_world_curve" --threads 2 --seconds 30 ${ARGS[@]+"${ARGS[@]}"} || status=1
done
exit $status
