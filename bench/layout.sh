#!/bin/bash
# Layout benchmark (issue #14): `embedscope layout --method umap` against Debian's umap-learn
# on the benchmark vectors (every word), same parameters (15 neighbours, min_dist 0.1, cosine,
# 2D), 2 threads each (NUMBA_NUM_THREADS=2), alternating runs each timed by /usr/bin/time -v.
# Every layout is then measured by the same code, `embedscope layout VECTORS --score FILE
# --json`: 10-NN preservation and trustworthiness, the mean over 10 samples of 1,000 words
# (--seed 1..10); each tool's graph recall is measured against exact cosine neighbours of
# 1,000 sampled words (ours by
# `--json` on a one-epoch run, whose graph is the timed run's: the graph depends on the seed
# only; umap-learn's by bench/umap_learn.py recall). One Markdown table: medians [min-max].
# Then the cost of refining the previous graph against a build, after the vectors move
# (bench/layout_refine.c, compiled here with cc against the model library).
#
# usage: bench/layout.sh [--vectors FILE] [--runs N] [--threads T] [--wait-quiet S]
#                        [--workdir DIR] [--no-peer] [--no-refine]
#   --vectors FILE   word2vec text vectors (default: trained once from $CORPUS into the
#                    workdir with issue #14's command: embedscope train -size 100 -window 5
#                    -negative 5 -sample 1e-4 -min-count 5 -iter 3, CBOW as the default)
#   --wait-quiet S   before each timed run, wait up to S s for other processes to use < 0.25
#                    cores (default 0)
# env: CORPUS (default /work/corpus/bench.txt), BUILD (default build), PYTHON (/usr/bin/python3)
set -euo pipefail
{
usage() { sed -n '13,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "layout.sh: $*" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
PYTHON=${PYTHON:-/usr/bin/python3}
CORPUS=${CORPUS:-/work/corpus/bench.txt}
VEC="" RUNS=3 THREADS=2 WAIT_QUIET=0 WORKDIR="" PEER=1 REFINE=1
while [ $# -gt 0 ]; do
  case $1 in
    --vectors) VEC=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --threads) THREADS=${2:?}; shift 2 ;;
    --wait-quiet) WAIT_QUIET=${2:?}; shift 2 ;;
    --workdir) WORKDIR=${2:?}; shift 2 ;;
    --no-peer) PEER=0; shift ;;
    --no-refine) REFINE=0; shift ;;
    -h|--help) usage ;;
    *) echo "layout.sh: unknown option '$1'" >&2; usage ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer"
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j2 --target embedscope model >/dev/null
ES=$BUILD/embedscope
if [ "$PEER" = 1 ]; then
  "$PYTHON" -c 'import umap' 2>/dev/null || die "$PYTHON cannot import umap (apt-get install umap-learn)"
fi
[ -n "$WORKDIR" ] || WORKDIR=$(mktemp -d /tmp/embedscope-bench-layout.XXXXXX)
mkdir -p "$WORKDIR"
WORKDIR=$(readlink -f "$WORKDIR")
if [ -z "$VEC" ]; then
  VEC=$WORKDIR/bench.vec
  if [ ! -s "$VEC" ]; then
    [ -r "$CORPUS" ] || die "$CORPUS: not readable (set CORPUS or pass --vectors)"
    echo "training $VEC from $CORPUS (once)" >&2
    "$ES" train -train "$CORPUS" -output "$VEC" -size 100 -window 5 -negative 5 -sample 1e-4 \
      -min-count 5 -iter 3 -threads "$THREADS" >"$WORKDIR/train.log" 2>&1
  fi
fi
[ -s "$VEC" ] || die "$VEC: no vectors"
head -c 200 "$VEC" | head -1 | grep -qE '^[0-9]+ [0-9]+$' ||
  die "$VEC: not word2vec text (umap_learn.py reads text; save with -binary 0)"
TICK=$(getconf CLK_TCK)
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }
wait_quiet() {
  [ "$WAIT_QUIET" -gt 0 ] || return 0
  local start=$SECONDS a b load
  while :; do
    a=$(busy_jiffies); sleep 2; b=$(busy_jiffies)
    load=$(awk -v a="$a" -v b="$b" -v t="$TICK" 'BEGIN { printf "%.2f", (b - a) / t / 2 }')
    awk -v l="$load" 'BEGIN { exit !(l < 0.25) }' && return 0
    [ $((SECONDS - start)) -ge "$WAIT_QUIET" ] && { echo "  still busy ($load cores); running" >&2; return 0; }
    sleep 8
  done
}
RUNS_TSV=$WORKDIR/runs.tsv
printf 'tool\trun\twall_s\tcpu_s\tmaxrss_kb\tcpu_wall\tother_load\tinner_s\tout\n' >"$RUNS_TSV"
# One timed run. Args: tool run out cmd...; appends a line to runs.tsv.
timed() {
  local tool=$1 run=$2 out=$3; shift 3
  local base=$WORKDIR/$tool.r$run b0 b1
  wait_quiet
  b0=$(busy_jiffies)
  /usr/bin/time -v -o "$base.time" "$@" >"$base.log" 2>&1 || { tail -5 "$base.log" >&2; die "$tool run $run failed"; }
  b1=$(busy_jiffies)
  local inner
  inner=$(sed -n 's/^umap-learn fit_transform: \([0-9.]*\) s$/\1/p' "$base.log")
  awk -v b0="$b0" -v b1="$b1" -v tick="$TICK" -v tool="$tool" -v run="$run" -v out="$out" \
      -v inner="${inner:--}" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { r = $2 }
    END { c = u + s; o = (w > 0) ? ((b1 - b0) / tick - c) / w : 0; if (o < 0) o = 0
          printf "%s\t%s\t%.2f\t%.2f\t%d\t%.2f\t%.2f\t%s\t%s\n", tool, run, w, c, r, c / w, o, inner, out }' \
      "$base.time" >>"$RUNS_TSV"
  tail -1 "$RUNS_TSV" | awk -F'\t' '{ printf "  %s run %s: %s s wall, %s s CPU, CPU/wall %s, other load %s\n", $1, $2, $3, $4, $6, $7 }' >&2
}
{ echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, $(free -g | awk '/^Mem:/ { print $2 " GB RAM" }')"
  echo "vectors: $VEC ($(head -1 "$VEC"))"
  echo "umap-learn: $(dpkg-query -W -f '${Version}' umap-learn 2>/dev/null || echo '?'), pynndescent $(dpkg-query -W -f '${Version}' python3-pynndescent 2>/dev/null || echo '?'), numba $(dpkg-query -W -f '${Version}' python3-numba 2>/dev/null || echo '?')"
  echo "threads: $THREADS, runs: $RUNS"
  echo "load before: $(uptime | sed 's/.*load average: //')"
} | tee "$WORKDIR/meta.txt" >&2
cat "$VEC" >/dev/null # page cache: every run reads from memory
for run in $(seq 1 "$RUNS"); do
  timed ours "$run" "$WORKDIR/ours.r$run.tsv" "$ES" layout "$VEC" --output "$WORKDIR/ours.r$run.tsv" --threads "$THREADS"
  if [ "$PEER" = 1 ]; then
    timed umap-learn "$run" "$WORKDIR/umap-learn.r$run.tsv" env NUMBA_NUM_THREADS="$THREADS" "$PYTHON" \
      "$HERE/umap_learn.py" run "$VEC" "$WORKDIR/umap-learn.r$run.tsv" --knn-out "$WORKDIR/umap-learn.r$run.knn"
  fi
done
echo "load after: $(uptime | sed 's/.*load average: //')" | tee -a "$WORKDIR/meta.txt" >&2
echo "measuring the layouts and graphs (untimed)" >&2
tail -n +2 "$RUNS_TSV" | while IFS=$'\t' read -r tool run _ _ _ _ _ _ out; do
  # 10 samples of 1,000 words (seeds 1..10), one JSON line each: one sample's standard error
  # (~0.002 at these preservations) is larger than the tools' difference
  for s in $(seq 1 10); do
    "$ES" layout "$VEC" --score "$out" --seed "$s" --json --threads "$THREADS" 2>/dev/null
  done >"$out.score.json"
  if [ "$tool" = umap-learn ]; then
    "$PYTHON" "$HERE/umap_learn.py" recall "$VEC" "${out%.tsv}.knn" >"$out.recall.json"
  elif [ ! -s "$WORKDIR/ours.recall.json" ]; then
    "$ES" layout "$VEC" --output "$WORKDIR/ours.epoch1.tsv" --epochs 1 --json --threads "$THREADS" \
      >"$WORKDIR/ours.recall.json" 2>/dev/null
  fi
done
"$PYTHON" - "$WORKDIR" "$THREADS" <<'PYEOF' | tee "$WORKDIR/table.md"
import csv, json, statistics, sys
work, threads = sys.argv[1], int(sys.argv[2])
rows = list(csv.DictReader(open(work + "/runs.tsv"), delimiter="\t"))
def med(xs, fmt):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    m = statistics.median(xs)
    return (fmt % m) + (" [" + fmt % min(xs) + "-" + fmt % max(xs) + "]" if len(xs) > 1 else "")
def recall(tool, out):
    try:
        if tool == "ours":
            j = json.load(open(work + "/ours.recall.json"))
            return j["graph"]["recall"], j["graph"]["k"]
        j = json.load(open(out + ".recall.json"))
        return j["recall"], j["k"]
    except (OSError, ValueError, KeyError):
        return None, None
print("| tool | runs | wall s | CPU s | CPU/wall | inside s | peak RSS MB | graph recall (k) | 10-NN preservation | trustworthiness | other load |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for tool in ("ours", "umap-learn"):
    rs = [r for r in rows if r["tool"] == tool]
    if not rs:
        continue
    q = []  # per layout, the mean over its scored samples
    for r in rs:
        try:
            s = [json.loads(l)["quality"] for l in open(r["out"] + ".score.json") if l.strip()]
            q.append({k: statistics.mean(x[k] for x in s) for k in ("preservation", "trustworthiness")} if s else {})
        except (OSError, ValueError, KeyError):
            q.append({})
    rec = [recall(tool, r["out"]) for r in rs]
    f = lambda k: [float(r[k]) for r in rs]
    inner = [float(r["inner_s"]) for r in rs if r["inner_s"] != "-"]
    ks = sorted({k for _, k in rec if k is not None})
    print("| %s | %d | %s | %s | %s | %s | %s | %s (%s) | %s | %s | %s |" % (
        "embedscope layout" if tool == "ours" else "umap-learn", len(rs), med(f("wall_s"), "%.1f"),
        med(f("cpu_s"), "%.1f"), med(f("cpu_wall"), "%.2f"), med(inner, "%.1f"),
        med([x / 1024 for x in f("maxrss_kb")], "%.0f"), med([r for r, _ in rec], "%.3f"),
        ",".join(str(k) for k in ks), med([x.get("preservation") for x in q], "%.4f"),
        med([x.get("trustworthiness") for x in q], "%.4f"), med(f("other_load"), "%.2f")))
ours = [float(r["wall_s"]) for r in rows if r["tool"] == "ours"]
peer = [float(r["wall_s"]) for r in rows if r["tool"] == "umap-learn"]
if ours and peer:
    print("\nwall-time ratio umap-learn / ours (medians): %.1fx" % (statistics.median(peer) / statistics.median(ours)))
PYEOF
sed 's/^/    /' "$WORKDIR/meta.txt"
if [ "$REFINE" = 1 ]; then
  echo "refine against build (bench/layout_refine.c)" >&2
  cc -O2 -I"$ROOT" -o "$WORKDIR/bench_layout_refine" "$HERE/layout_refine.c" \
    "$BUILD/model/libembedscope_model.a" -lz -lm -lpthread
  echo
  echo "Refining the previous graph after the vectors move (Gaussian noise of sd per coordinate), $THREADS threads; load $(uptime | sed 's/.*load average: //'):"
  echo
  "$WORKDIR/bench_layout_refine" "$VEC" "$THREADS" 0.002 0.005 0.02 | tee "$WORKDIR/refine.md"
fi
echo "work directory: $WORKDIR" >&2
exit 0
}
