#!/bin/bash
# t-SNE benchmark (issue #14): embedscope's Barnes-Hut t-SNE (bench_tsne: load, exact cosine kNN
# graph, PCA start, 1000 iterations) against scikit-learn's TSNE(n_components=2, perplexity=30,
# init='pca', method='barnes_hut', n_jobs=T) on the N most frequent words of the benchmark
# vectors. Runs alternate ours, sklearn, ours, sklearn...; each is timed by /usr/bin/time -v, and
# one script (bench/tsne_metrics.py) measures every layout the same way. Prints one table (see
# bench/README.md, "t-SNE").
#
# usage: bench/tsne.sh [--n N] [--runs R] [--threads T] [--vectors FILE] [--workdir DIR]
#                      [--tools ours,sklearn] [--ours-args 'ARGS']
#   --n N          words (the file's first N rows; default 20000)
#   --runs R       alternating rounds (default 3)
#   --threads T    threads of both tools (default 2)
#   --vectors FILE word2vec vectors; default /tmp/embedscope-tsne-bench/bench.bin, trained on first
#                  use from $CORPUS (/work/corpus/bench.txt) with bench/train.sh's flags
#   --workdir DIR  layouts, logs, runs.tsv, metrics.jsonl, table.md (default: a new /tmp dir)
#   --ours-args    extra bench_tsne flags, e.g. '--theta 0.7'
# env: BUILD=dir (default build; needs BUILD/bench/bench_tsne and BUILD/embedscope),
#      PYTHON (default /usr/bin/python3, where Debian's python3-sklearn lives), CORPUS
set -euo pipefail
{

usage() { sed -n '9,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "tsne.sh: $*" >&2; exit 1; }

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
PYTHON=${PYTHON:-/usr/bin/python3}
CORPUS=${CORPUS:-/work/corpus/bench.txt}
N=20000 RUNS=3 THREADS=2 VECTORS="" WORKDIR="" TOOLS=ours,sklearn OURS_ARGS=""
while [ $# -gt 0 ]; do
  case $1 in
    --n) N=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --threads) THREADS=${2:?}; shift 2 ;;
    --vectors) VECTORS=${2:?}; shift 2 ;;
    --workdir) WORKDIR=${2:?}; shift 2 ;;
    --tools) TOOLS=${2:?}; shift 2 ;;
    --ours-args) OURS_ARGS=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "tsne.sh: unknown option '$1'" >&2; usage ;;
  esac
done
[[ $N =~ ^[1-9][0-9]*$ ]] || die "--n must be a positive integer, not '$N'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$RUNS'"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, not '$THREADS'"
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"
BENCH=$BUILD/bench/bench_tsne
[ -x "$BENCH" ] || die "$BENCH not built (cmake --build $BUILD --target bench_tsne)"
"$PYTHON" -c 'import sklearn, numpy' 2>/dev/null ||
  die "$PYTHON cannot import sklearn (apt-get install python3-sklearn)"

if [ -z "$VECTORS" ]; then
  VECTORS=/tmp/embedscope-tsne-bench/bench.bin
  if ! [ -s "$VECTORS" ]; then
    [ -x "$BUILD/embedscope" ] || die "$BUILD/embedscope not built (needed to train $VECTORS)"
    [ -f "$CORPUS" ] || die "corpus $CORPUS not found (set CORPUS=path or pass --vectors)"
    mkdir -p "$(dirname "$VECTORS")"
    echo "training $VECTORS from $CORPUS (bench/train.sh's flags)" >&2
    "$BUILD/embedscope" train -train "$CORPUS" -output "$VECTORS.tmp" -cbow 0 -size 100 \
      -window 5 -negative 5 -hs 0 -sample 1e-4 -min-count 5 -iter 3 -threads "$THREADS" \
      -binary 1 >/dev/null
    mv "$VECTORS.tmp" "$VECTORS"
  fi
fi
[ -s "$VECTORS" ] || die "$VECTORS: no such vectors file"

[ -n "$WORKDIR" ] || WORKDIR=$(mktemp -d /tmp/embedscope-tsne.XXXXXX)
mkdir -p "$WORKDIR"
WORKDIR=$(readlink -f "$WORKDIR")
TICK=$(getconf CLK_TCK)
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
  echo "vectors: $VECTORS ($(head -1 "$VECTORS" | tr -d '\n') rows x dim), first $N rows"
  echo "threads: $THREADS, runs: $RUNS (alternating), ours: bench_tsne $OURS_ARGS"
  echo "sklearn: $("$PYTHON" -c 'import sklearn; print(sklearn.__version__)')"
  echo "load before: $(uptime)"
} >"$WORKDIR/meta.txt"
cat "$WORKDIR/meta.txt" >&2
printf 'tool\trun\twall_s\tcpu_s\tcpu_wall\tmaxrss_kb\tother_load\tload1\tlayout\n' >"$WORKDIR/runs.tsv"

timed() { # tool run
  local tool=$1 run=$2 base=$WORKDIR/$1.r$2 cmd=()
  case $tool in
    # shellcheck disable=SC2206  # extra flags are split on purpose
    ours) cmd=("$BENCH" "$VECTORS" "$N" "$base.tsv" --threads "$THREADS" $OURS_ARGS) ;;
    sklearn) cmd=("$PYTHON" "$HERE/tsne_metrics.py" sklearn "$VECTORS" "$N" "$base.tsv"
                  --threads "$THREADS") ;;
  esac
  local load1 b0 b1
  load1=$(cut -d' ' -f1 /proc/loadavg)
  b0=$(busy_jiffies)
  /usr/bin/time -v -o "$base.time" "${cmd[@]}" >"$base.log" 2>&1 ||
    { tail -5 "$base.log" >&2; die "$tool run $run failed; log: $base.log"; }
  b1=$(busy_jiffies)
  awk -v b0="$b0" -v b1="$b1" -v tick="$TICK" -v tool="$tool" -v run="$run" -v l1="$load1" \
      -v lay="$(basename "$base.tsv")" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { r = $2 }
    END { o = ((b1 - b0) / tick - u - s) / w; if (o < 0) o = 0
          printf "%s\t%s\t%.2f\t%.2f\t%.2f\t%d\t%.2f\t%s\t%s\n", tool, run, w, u + s, (u + s) / w, r, o, l1, lay }' \
      "$base.time" | tee -a "$WORKDIR/runs.tsv" >&2
}

IFS=, read -r -a tool_list <<<"$TOOLS"
for run in $(seq 1 "$RUNS"); do
  for tool in "${tool_list[@]}"; do
    case $tool in ours|sklearn) timed "$tool" "$run" ;; *) die "unknown tool '$tool'" ;; esac
  done
done
echo "load after: $(uptime)" >>"$WORKDIR/meta.txt"

echo "measuring layouts" >&2
"$PYTHON" "$HERE/tsne_metrics.py" measure "$VECTORS" "$N" "$WORKDIR"/*.r*.tsv >"$WORKDIR/metrics.jsonl"
{ sed 's/^/    /' "$WORKDIR/meta.txt"; echo
  "$PYTHON" "$HERE/tsne_metrics.py" table "$WORKDIR"; } | tee "$WORKDIR/table.md"
echo "layouts and logs: $WORKDIR" >&2
exit 0
}
