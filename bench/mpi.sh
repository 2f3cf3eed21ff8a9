#!/bin/bash
# MPI benchmark (issue #16): `embedscope train` as 1 rank x 2 threads against 2 ranks x 1 thread
# (mpirun on this machine), same corpus and flags as bench/train.sh's skip-gram, runs
# alternating, each timed by /usr/bin/time -v and scored with `embedscope eval analogies`; the
# 2-rank runs also report their synchronisations (count, rows, bytes and time each) from
# `-debug 1`. Prints one table (medians [min-max]) with the CPU model and the load.
#
# usage: bench/mpi.sh [CORPUS] [--runs N] [--sync-words N] [--workdir DIR]
#   CORPUS defaults to /work/corpus/bench.txt; questions-words.txt comes from ../shared/data.
# env: EMBEDSCOPE=path (default build/embedscope), MPIRUN=path (default mpirun)
set -euo pipefail
{
die() { echo "mpi.sh: $*" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
EMBEDSCOPE=${EMBEDSCOPE:-$ROOT/build/embedscope}
MPIRUN=${MPIRUN:-mpirun}
QUESTIONS=$ROOT/../shared/data/questions-words.txt
CORPUS=/work/corpus/bench.txt RUNS=3 SYNC="" WORKDIR=""
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=${2:?}; shift 2 ;;
    --sync-words) SYNC=${2:?}; shift 2 ;;
    --workdir) WORKDIR=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1'" ;;
    *) CORPUS=$1; shift ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
[ -r "$CORPUS" ] || die "$CORPUS: not readable"
[ -x "$EMBEDSCOPE" ] || die "$EMBEDSCOPE: not built"
command -v "$MPIRUN" >/dev/null || die "mpirun not found (apt-get install openmpi-bin)"
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time"
[ -r "$QUESTIONS" ] || die "$QUESTIONS not found"
[ -n "$WORKDIR" ] || WORKDIR=$(mktemp -d /tmp/embedscope-mpi.XXXXXX)
mkdir -p "$WORKDIR"

FLAGS=(-train "$CORPUS" -cbow 0 -size 100 -window 5 -negative 5 -hs 0 -sample 1e-4 -min-count 5
       -iter 3 -binary 1 -debug 1)
[ -n "$SYNC" ] && FLAGS+=(-sync-words "$SYNC")
TSV=$WORKDIR/runs.tsv
printf 'config\trun\twall_s\tcpu_s\tcpu_wall\tacc\tsyncs\tMB_per_sync\tms_per_sync\theld_ms\tload\n' >"$TSV"

# One timed run. Args: config run.
one() {
  local cfg=$1 run=$2 base=$WORKDIR/$1.r$2 cmd
  case $cfg in
    1x2) cmd=("$EMBEDSCOPE" train "${FLAGS[@]}" -threads 2 -output "$base.bin") ;;
    2x1) cmd=("$MPIRUN" --allow-run-as-root --oversubscribe -np 2 "$EMBEDSCOPE" train "${FLAGS[@]}"
              -threads 1 -output "$base.bin") ;;
  esac
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$base.time" "${cmd[@]}" >"$base.log" 2>&1 || { tail -5 "$base.log"; die "$cfg run $run failed"; }
  local acc
  acc=$("$EMBEDSCOPE" eval analogies "$base.bin" "$QUESTIONS" --json |
        python3 -c 'import json,sys; print("%.2f" % (100 * json.load(sys.stdin)["total"]["accuracy"]))')
  awk -v cfg="$cfg" -v run="$run" -v acc="$acc" -v load="$load" -F': ' '
    FILENAME ~ /time$/ && /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    FILENAME ~ /time$/ && /User time/ { u = $2 } FILENAME ~ /time$/ && /System time/ { s = $2 }
    FILENAME ~ /log$/ && /^Ranks:/ { if (match($0, /[0-9]+ synchronisations/)) syncs = substr($0, RSTART, RLENGTH - 17) + 0
      if (match($0, /[0-9.]+ MB/)) mb = substr($0, RSTART, RLENGTH - 3)
      if (match($0, /MB and [0-9.]+ ms/)) ms = substr($0, RSTART + 7, RLENGTH - 10)
      if (match($0, /held [0-9.]+ ms/)) held = substr($0, RSTART + 5, RLENGTH - 8) }
    END { printf "%s\t%s\t%.2f\t%.2f\t%.2f\t%s\t%s\t%s\t%s\t%s\t%s\n", cfg, run, w, u + s, (u + s) / w, acc,
          syncs == "" ? "-" : syncs, mb == "" ? "-" : mb, ms == "" ? "-" : ms, held == "" ? "-" : held, load }
  ' "$base.time" "$base.log" >>"$TSV"
  tail -1 "$TSV" >&2
}

for r in $(seq 1 "$RUNS"); do one 1x2 "$r"; one 2x1 "$r"; done

echo "corpus: $CORPUS ($(wc -w <"$CORPUS") words), skip-gram, flags: ${FLAGS[*]:2}"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; uptime: $(uptime)"
echo "runs: $RUNS each, alternating; all runs in $TSV"
python3 - "$TSV" <<'EOF'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def m(vals):
    v = [float(x) for x in vals if x not in ("-", "")]
    return "-" if not v else f"{st.median(v):.2f} [{min(v):.2f}-{max(v):.2f}]"
print("| config | wall s | CPU s | CPU/wall | analogy % | syncs | MB per sync | ms per sync | threads held ms | load at start |")
print("|---|---|---|---|---|---|---|---|---|---|")
for cfg, name in (("1x2", "1 rank x 2 threads"), ("2x1", "2 ranks x 1 thread")):
    r = [x for x in rows if x["config"] == cfg]
    cols = [m(x[k] for x in r) for k in ("wall_s", "cpu_s", "cpu_wall", "acc", "syncs", "MB_per_sync", "ms_per_sync", "held_ms", "load")]
    print(f"| {name} | " + " | ".join(cols) + " |")
low = [f'{x["config"]} run {x["run"]} ({x["cpu_wall"]})' for x in rows if float(x["cpu_wall"]) < 1.75]
if low:
    print("disturbed (CPU/wall below 1.75 with 2 cores busy): " + ", ".join(low))
EOF
}
