#!/bin/bash
# Live UMAP in the window while it trains (issue #14's bars: the UMAP view refreshes at least
# every 3 s, and after the first epoch the median point moves less than 2% of the layout's
# extent between refreshes). The real window under SDL's dummy driver trains skip-gram on the
# corpus (dim 100, min-count 5, 2 threads, 3 epochs), switches to UMAP (X twice: PCA -> axes ->
# UMAP) and prints a line per layout (script verb print_layout); this script turns them into a
# table: refresh interval, layout time and median move, before and after the first epoch.
# usage: bench/live_layout.sh [CORPUS] [LAYOUTS]     (defaults /work/corpus/bench.txt, 30)
set -u
cd "$(dirname "$0")/.."
corpus=${1:-/work/corpus/bench.txt} n=${2:-30}
bin=build/embedscope
[ -x "$bin" ] || { echo "live_layout.sh: build first (./dev.sh test or cmake --build build)"; exit 1; }
[ -r "$corpus" ] || { echo "live_layout.sh: $corpus: no such corpus (../shared/corpus/make_corpus.sh builds it)"; exit 1; }
out=$(mktemp -d /tmp/embedscope-live-layout.XXXXXX)
{
    echo "wait_open 1200"
    echo "projection"
    echo "projection"
    for ((i = 1; i <= n; i++)); do echo "wait_layout $i 600"; echo "print_layout"; done
    echo "quit"
} > "$out/live.script"
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# corpus $corpus ($(wc -w < "$corpus") words)"
SDL_VIDEODRIVER=dummy EMBEDSCOPE_CURVES_EVAL=0 XDG_CONFIG_HOME=$out/config \
    /usr/bin/time -v -o "$out/time.txt" "$bin" --corpus "$corpus" --dim 100 --min-count 5 --threads 2 \
    --epochs 3 --script "$out/live.script" > "$out/layouts.txt" 2> "$out/stderr.txt"
rc=$?
[ $rc = 0 ] || { echo "live_layout.sh: the window exited with $rc:"; tail -5 "$out/stderr.txt"; exit 1; }
python3 - "$out/layouts.txt" "$out/time.txt" <<'PY'
import re, statistics, sys
rows = [dict(zip(*[iter(l.split()[1:])] * 2)) | {"n": l.split()[1]} for l in open(sys.argv[1]) if l.startswith("layout ") and "none" not in l]
for r in rows:
    for k in ("ms", "moved", "epoch", "t"):
        r[k] = float(r[k])
t = open(sys.argv[2]).read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", t).group(1)
cpu = float(re.search(r"User time \(seconds\): (.*)", t).group(1)) + float(re.search(r"System time \(seconds\): (.*)", t).group(1))
def row(name, sel):
    if len(sel) < 2:
        print(f"| {name} | {len(sel)} | - | - | - |"); return
    gaps = [b["t"] - a["t"] for a, b in zip(sel, sel[1:])]
    med = lambda v: f"{statistics.median(v):.2f} [{min(v):.2f}-{max(v):.2f}]"
    print(f"| {name} | {len(sel)} | {med(gaps)} | {med([r['ms'] / 1e3 for r in sel])} | "
          f"{med([r['moved'] * 100 for r in sel if r['warm'] == '1'] or [0])} |")
print("| layouts | n | refresh interval s, median [min-max] | layout s | median move % of extent |")
print("|---|---|---|---|---|")
first = rows[0] if rows else None
if first:
    print(f"| first (from scratch) | 1 | - | {first['ms'] / 1e3:.2f} | - |")
row("all refinements", [r for r in rows[1:]])
row("after the first epoch", [r for r in rows[1:] if r["epoch"] >= 1])
print(f"\nwindow process: wall {wall}, CPU {cpu:.1f} s (trainer, analysis and UI threads together)")
PY
echo "# raw lines: $out/layouts.txt"
