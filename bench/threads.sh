#!/bin/bash
# 1 -> 2 threads, and what the machine itself allows (issue #16's bar: 1 to 2 threads >= 1.9x).
# Each round runs, alternating the order between rounds:
#   one     embedscope train -threads 1, alone on the machine
#   two     embedscope train -threads 2: two threads sharing one model
#   apart   two `-threads 1` processes at the same time, each with its own model (seeds 7, 9)
# "apart" shares no row between the cores, only the machine (caches, memory, the host), so
# one / (apart / 2) is the scaling this machine allows when nothing is shared, and two against
# apart / 2 is what sharing the model costs. Times are the training alone as the trainer
# reports it ("Trained N words in S s"; the count of the corpus before it is single-threaded
# in part) and /usr/bin/time's CPU seconds; per-round ratios, then medians [min-max].
# usage: bench/threads.sh CORPUS [--model cbow|sg] [--rounds N] [--epochs E] [--bin PATH]
set -euo pipefail
{
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage
case $1 in -h|--help) usage ;; esac
corpus=$1; shift
model=cbow rounds=6 epochs=3 bin=$(cd "$(dirname "$0")/.." && pwd)/build/embedscope
while [ $# -gt 0 ]; do
    case $1 in
    --model) model=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    --epochs) epochs=${2:?}; shift 2 ;;
    --bin) bin=${2:?}; shift 2 ;;
    *) echo "threads.sh: unknown option '$1'" >&2; usage ;;
    esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "threads.sh: --rounds must be a positive integer, not '$rounds'" >&2; exit 2; }
[[ $epochs =~ ^[1-9][0-9]*$ ]] || { echo "threads.sh: --epochs must be a positive integer, not '$epochs'" >&2; exit 2; }
case $model in cbow) cbow=1 alpha=0.05 ;; sg) cbow=0 alpha=0.025 ;;
    *) echo "threads.sh: --model must be cbow or sg, not '$model'" >&2; exit 2 ;; esac
[ -x "$bin" ] || { echo "threads.sh: $bin: not built (./dev.sh test or cmake --build build)" >&2; exit 1; }
[ -r "$corpus" ] || { echo "threads.sh: $corpus: no such corpus (../shared/corpus/make_corpus.sh builds it)" >&2; exit 1; }
out=$(mktemp -d /tmp/embedscope-threads.XXXXXX)
args=(-train "$corpus" -cbow $cbow -size 100 -window 5 -negative 5 -hs 0 -sample 1e-4 -min-count 5
      -iter "$epochs" -binary 1 -alpha $alpha -debug 1)

# run NAME THREADS SEED: one training in the background; its log and time in $out
run() {
    /usr/bin/time -v -o "$out/$1.time" "$bin" train "${args[@]}" -threads "$2" -seed "$3" \
        -output "$out/$1.bin" > "$out/$1.log" 2>&1
}
trained() { sed -n 's/.*Trained [0-9]* words in \([0-9.]*\) s.*/\1/p' "$out/$1.log"; }
cpu() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$out/$1.time"; }
check() { [ -n "$(trained "$1")" ] || { echo "threads.sh: $1 failed: $(tail -1 "$out/$1.log")" >&2; exit 1; }; }
one() { run one 1 1; check one; }
two() { run two 2 1; check two; }
apart() { run a1 1 7 & local p=$!; run a2 1 9; wait $p; check a1; check a2; }

echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $("$bin" --version 2>/dev/null | head -1)"
echo "# $model, dim 100, window 5, negative 5, sample 1e-4, min-count 5, $epochs epochs, $corpus; uptime: $(uptime | sed 's/.*load/load/')"
echo
echo "| round | one: s (CPU s) | two: s (CPU s) | apart: s, s (CPU s) | one / two | apart / one | two / (apart / 2) |"
echo "|---|---|---|---|---:|---:|---:|"
ratios=$out/ratios
: > "$ratios"
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then one; two; apart; else apart; two; one; fi
    o=$(trained one) t=$(trained two) a1=$(trained a1) a2=$(trained a2)
    read -r s d p < <(python3 -c "o,t,a=$o,$t,($a1+$a2)/2; print(f'{o/t:.3f} {a/o:.3f} {t/(a/2):.3f}')")
    echo "$s $d $p $o $t $a1 $a2" >> "$ratios"
    echo "| $r | $o ($(cpu one)) | $t ($(cpu two)) | $a1, $a2 ($(cpu a1), $(cpu a2)) | $s | $d | $p |"
done
python3 - "$ratios" <<'PY'
import statistics, sys
rows = [[float(x) for x in l.split()] for l in open(sys.argv[1])]
med = lambda v: f"{statistics.median(v):.2f} [{min(v):.2f}-{max(v):.2f}]"
col = lambda i: [r[i] for r in rows]
print(f"\none thread {med(col(3))} s, two threads {med(col(4))} s, apart {med(col(5) + col(6))} s")
print(f"one / two (the scaling): {med(col(0))}")
print(f"apart / one (what a second busy core costs a process that shares nothing): {med(col(1))}")
print(f"two / (apart / 2) (what sharing one model costs two threads): {med(col(2))}")
print(f"the scaling this machine allows with nothing shared, 2 / (apart / one): {2 / statistics.median(col(1)):.2f}")
PY
echo "# uptime after: $(uptime | sed 's/.*load/load/'); runs in $out"
}
