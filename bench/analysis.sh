#!/bin/sh
# Times the live analysis core (bench_analysis) for V = 10k, 100k and 1M rows at dim 100 and
# 300, one thread, and prints a Markdown table (the one in bench/README.md). Times are wall
# clock medians; "cpu" is the thread's CPU time, which a busy shared machine does not inflate.
# env: BUILD=build directory (default: build/ in the repo; configured and built if needed),
#      SIZES="10000 100000 1000000", DIMS="100 300", THREADS=1
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
SIZES=${SIZES:-"10000 100000 1000000"}
DIMS=${DIMS:-"100 300"}
THREADS=${THREADS:-1}

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" --target bench_analysis -j2 >/dev/null
BIN=$BUILD/bench/bench_analysis

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine: ${cpu:-unknown CPU}, $(nproc) cores; threads used: $THREADS"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| V | dim | snapshot publish | PCA warm refresh | PCA from scratch (passes) | project 3D | k-means iteration (k) | top-10 query | kNN index build |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for v in $SIZES; do
  for d in $DIMS; do
    "$BIN" --rows "$v" --dim "$d" --threads "$THREADS" | awk '
      { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
      END {
        printf "| %d | %d | %s ms | %s ms (cpu %s) | %s ms (%s) | %s ms | %s ms (%s) | %s ms (cpu %s) | %s ms |\n",
          f["rows"], f["dim"], f["publish_ms"], f["pca_warm_ms"], f["pca_warm_cpu_ms"],
          f["pca_cold_ms"], f["pca_cold_passes"], f["pca_project_ms"], f["kmeans_iter_ms"],
          f["kmeans_k"], f["knn_query_ms"], f["knn_query_cpu_ms"], f["knn_build_ms"]
      }'
  done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
