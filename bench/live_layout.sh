#!/bin/bash
# Live UMAP and t-SNE in the window while it trains (issue #14's bars: the layout view refreshes
# at least every 3 s, and after the first epoch the median point moves less than 2% of the
# layout's extent between refreshes). The real window under SDL's dummy driver trains the
# corpus as it does by default (CBOW; dim 100, min-count 5, 2 threads, 10 epochs: 3 are over
# in ~8 s, too few refreshes to measure), shows the layout (script verb
# set_layout) and prints a line per layout it shows (print_layout); this script turns them
# into a table per layout: refresh interval (time between two layouts on screen), layout time
# and its graph part, epochs per refresh, and median move, over all refreshes and after the
# first epoch while training, and the layout of the final vectors apart. A run per kind, one
# after the other; `uptime` before each.
# usage: bench/live_layout.sh [--corpus FILE] [--layouts N] [--kinds "umap tsne"] [--dims 2] [--epochs 10] [--bin build/embedscope]
set -u
cd "$(dirname "$0")/.."
corpus=/work/corpus/bench.txt n=30 kinds="umap tsne" dims=2 epochs=10 bin=build/embedscope
while [ $# -gt 0 ]; do
    case $1 in
    --corpus) corpus=$2; shift 2 ;;
    --layouts) n=$2; shift 2 ;;
    --kinds) kinds=$2; shift 2 ;;
    --dims) dims=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "usage: bench/live_layout.sh [--corpus FILE] [--layouts N] [--kinds \"umap tsne\"] [--dims 2|3]"; exit 2 ;;
    esac
done
[ -x "$bin" ] || { echo "live_layout.sh: build first (./dev.sh test or cmake --build build)"; exit 1; }
[ -r "$corpus" ] || { echo "live_layout.sh: $corpus: no such corpus (../shared/corpus/make_corpus.sh builds it)"; exit 1; }
out=$(mktemp -d /tmp/embedscope-live-layout.XXXXXX)
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; commit $(git rev-parse --short HEAD 2>/dev/null)"
echo "# corpus $corpus ($(wc -w < "$corpus") words); dim 100, min-count 5, 2 trainer threads, $epochs epochs; ${dims}D"
for kind in $kinds; do
    {
        echo "wait_open 1200"
        echo "set_layout $kind $dims"
        # the first layout may take minutes; a later one that does not come in 60 s means
        # training has ended (the script then fails and the lines so far are the table)
        for ((i = 1; i <= n; i++)); do echo "wait_layout $i $([ $i = 1 ] && echo 900 || echo 60)"; echo "print_layout"; done
        echo "quit"
    } > "$out/$kind.script"
    echo
    echo "## $kind ${dims}D; uptime before: $(uptime | sed 's/.*load/load/')"
    SDL_VIDEODRIVER=dummy EMBEDSCOPE_CURVES_EVAL=0 XDG_CONFIG_HOME=$out/config \
        /usr/bin/time -v -o "$out/$kind.time" "$bin" --corpus "$corpus" --dim 100 --min-count 5 --threads 2 \
        --epochs "$epochs" --script "$out/$kind.script" > "$out/$kind.txt" 2> "$out/$kind.err"
    rc=$?
    [ $rc = 0 ] || echo "(the window exited with $rc: $(tail -1 "$out/$kind.err"))"
    python3 - "$out/$kind.txt" "$out/$kind.time" "$epochs" <<'PY'
import re, statistics, sys
rows = []
for l in open(sys.argv[1]):
    w = l.split()
    if len(w) > 2 and w[0] == "layout" and w[1] != "none":
        r = dict(zip(w[2::2], w[3::2]))
        r["n"] = int(w[1])
        for k in ("ms", "graph_ms", "moved", "epoch", "t", "epochs", "build_ms"):
            r[k] = float(r[k])
        rows.append(r)
t = open(sys.argv[2]).read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", t).group(1)
cpu = float(re.search(r"User time \(seconds\): (.*)", t).group(1)) + float(re.search(r"System time \(seconds\): (.*)", t).group(1))
def hms(s):
    p = [float(x) for x in s.split(":")]
    return sum(v * 60 ** i for i, v in enumerate(reversed(p)))
med = lambda v: f"{statistics.median(v):.2f} [{min(v):.2f}-{max(v):.2f}]" if v else "-"
def row(name, sel):
    # the refresh interval: between this layout and the one shown before it
    gaps = [b["t"] - a["t"] for a, b in zip(rows, rows[1:]) if b in sel]
    moves = [r["moved"] * 100 for r in sel if r["warm"] == "1"]
    print(f"| {name} | {len(sel)} | {med(gaps)} | {max(gaps):.2f} | {med([r['ms'] / 1e3 for r in sel])} | "
          f"{med([r['graph_ms'] / 1e3 for r in sel])} | {med([r['epochs'] for r in sel])} | {med(moves)} |" if gaps else f"| {name} | {len(sel)} | - | - | - | - | - | - |")
print("| layouts | n | refresh interval s, median [min-max] | max | layout s | of which graph s | epochs | median move % of extent |")
print("|---|---|---|---|---|---|---|---|")
if rows:
    f = rows[0]
    print(f"| first (from scratch, epoch {f['epoch']:.2f}, at t {f['t']:.1f} s) | 1 | - | - | {f['ms'] / 1e3:.2f} | {f['graph_ms'] / 1e3:.2f} | {f['epochs']:.0f} | - |")
row("all refinements", rows[1:])
# the bar is about the trainer running: a layout of the final vectors (a big table's full
# graph after its sampled refreshes) is counted apart
epochs = float(sys.argv[3])
row("after the first epoch, training", [r for r in rows[1:] if 1 <= r["epoch"] < epochs])
row("after training ended", [r for r in rows[1:] if r["epoch"] >= epochs])
print("\neach layout, median move % at its snapshot's epoch: " +
      " ".join(f"{r['moved'] * 100:.2f}@{r['epoch']:.2f}" for r in rows[1:]))
print(f"\nwindow process: wall {wall}, CPU {cpu:.1f} s, CPU/wall {cpu / max(hms(wall), 1e-9):.2f} "
      f"(trainer, analysis and UI threads together); last epoch {rows[-1]['epoch']:.2f}" if rows else "")
PY
    echo "uptime after: $(uptime | sed 's/.*load/load/')"
done
echo "# raw lines: $out/*.txt"
