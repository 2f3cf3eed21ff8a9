#!/bin/bash
# The tiny GPT of `embedscope positions` (issue #15), three tables (see bench/README.md,
# "Learned positions"):
#   1. training speed, ours against PyTorch (bench/positions_torch.py, the same model, AdamW
#      and text; with OpenMP's default and its passive wait policy), preset S, 2 threads, batch
#      8 and 32, alternating runs, each under /usr/bin/time -v: tokens/s of the training loop
#      (median, min, max) with its CPU/wall;
#   2. time to a smooth position table (mean adjacent cosine >= 0.5 and cos(5,6) - cos(5,100)
#      >= 0.5) on @world, preset S, 2 threads, GPT-2's init and PyTorch's N(0, 1) tables, 3 seeds,
#      3000 steps; then PyTorch's init trained until smooth (at most --long-steps 20000);
#   3. memory of presets S and M and of a 512 x 768 table: our estimate against max RSS.
# usage: bench/positions.sh [--runs N] [--steps8 N] [--steps32 N] [--smooth-steps N]
#                           [--long-steps N] [--only speed|smooth|memory]
# env: EMBEDSCOPE (default build/embedscope), PYTHON (default /usr/bin/python3, Debian's torch)
set -euo pipefail
{
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
EMBEDSCOPE=${EMBEDSCOPE:-$ROOT/build/embedscope}
PYTHON=${PYTHON:-/usr/bin/python3}
RUNS=3 STEPS8=100 STEPS32=30 SMOOTH_STEPS=3000 LONG_STEPS=20000 ONLY=""
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=${2:?}; shift 2 ;;
    --steps8) STEPS8=${2:?}; shift 2 ;;
    --steps32) STEPS32=${2:?}; shift 2 ;;
    --smooth-steps) SMOOTH_STEPS=${2:?}; shift 2 ;;
    --long-steps) LONG_STEPS=${2:?}; shift 2 ;;
    --only) ONLY=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done
[ -x "$EMBEDSCOPE" ] || { echo "positions.sh: build $EMBEDSCOPE first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "positions.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
W=$(mktemp -d /tmp/embedscope-positions-bench.XXXXXX)
echo "work dir: $W" >&2
"$EMBEDSCOPE" world --dump 20000 > "$W/world.txt"   # the same text for both tools

# timed TAG CMD...: runs CMD under /usr/bin/time -v; appends "TAG<TAB>json<TAB>user+sys<TAB>wall<TAB>maxrss_kB"
timed() {
  local tag=$1; shift
  /usr/bin/time -v -o "$W/time.txt" "$@" > "$W/out.json" 2> "$W/err.txt" || { cat "$W/err.txt" >&2; exit 1; }
  local user sys wall rss
  user=$(awk -F': ' '/User time/ {print $2}' "$W/time.txt")
  sys=$(awk -F': ' '/System time/ {print $2}' "$W/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$W/time.txt" | awk -F: '{s=0; for (i=1;i<=NF;i++) s=s*60+$i; print s}')
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$W/time.txt")
  printf '%s\t%s\t%s\t%s\t%s\n' "$tag" "$(tail -1 "$W/out.json")" "$(echo "$user + $sys" | bc)" "$wall" "$rss" >> "$W/results.tsv"
  echo "  $tag: $(tail -1 "$W/out.json" | cut -c1-160)..." >&2
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs" 
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -z "$ONLY" ] || [ "$ONLY" = speed ]; then
  for r in $(seq 1 "$RUNS"); do
    for b in 8 32; do
      steps=$STEPS8; [ "$b" = 32 ] && steps=$STEPS32
      timed "speed ours b$b" "$EMBEDSCOPE" positions -train "$W/world.txt" --steps "$steps" --batch "$b" \
            --threads 2 --output "$W/wpe.tsv" --json --quiet
      timed "speed torch b$b" "$PYTHON" "$HERE/positions_torch.py" "$W/world.txt" --steps "$steps" --batch "$b" --threads 2
      # OpenMP's default wait policy spins; on a shared machine that costs torch up to 10x
      timed "speed torch-passive b$b" env OMP_WAIT_POLICY=PASSIVE "$PYTHON" "$HERE/positions_torch.py" \
            "$W/world.txt" --steps "$steps" --batch "$b" --threads 2
    done
  done
  echo "load after speed runs: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
if [ -z "$ONLY" ] || [ "$ONLY" = smooth ]; then
  for seed in 1 2 3; do
    for init in gpt2 torch; do
      timed "smooth $init" "$EMBEDSCOPE" positions -train @world --steps "$SMOOTH_STEPS" --init "$init" \
            --seed "$seed" --threads 2 --output "$W/wpe-$init-$seed.tsv" --json --quiet
    done
  done
  # PyTorch's init again, trained until smooth (at most LONG_STEPS steps; 0 skips this)
  for seed in 1 2 3; do
    [ "$LONG_STEPS" -gt 0 ] || break
    timed "long torch" "$EMBEDSCOPE" positions -train @world --steps "$LONG_STEPS" --until-smooth \
          --init torch --seed "$seed" --threads 2 --output "$W/wpe-long-$seed.tsv" --json --quiet
  done
  echo "load after smooth runs: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
if [ -z "$ONLY" ] || [ "$ONLY" = memory ]; then
  for shape in "S:--preset S" "M:--preset M" "512x768:--len 512 --dim 768 --heads 12 --batch 2"; do
    # shellcheck disable=SC2086
    timed "memory ${shape%%:*}" "$EMBEDSCOPE" positions -train @world --steps 1 --threads 2 ${shape#*:} \
          --output "$W/m.tsv" --json
    echo "    estimate: $(grep -o 'model [^(]*' "$W/err.txt")" >&2
    printf 'estimate %s\t%s\n' "${shape%%:*}" "$(grep -o 'model [^(]*' "$W/err.txt")" >> "$W/estimates.tsv"
  done
fi
touch "$W/estimates.tsv"
"$PYTHON" "$HERE/positions_table.py" "$W/results.tsv" "$W/estimates.tsv"
}
