#!/bin/bash
# The window's live UMAP replayed offline (issue #14: why a refresh moves the points). Trains
# the window's model on the corpus (CBOW, as the window trains a corpus file: dim 100,
# min-count 5, 2 threads, 10 epochs), keeps a copy of every -snapshot-every 1 file, then runs
# bench_live_refine (bench/live_refine.c) on every --every'th of them: the first laid out from
# scratch, each next one refined as the window does, with the refresh's move split into its
# causes (the exact neighbours' change, the graph's churn, the same refinement on unchanged
# vectors and on an unchanged graph). --warm-epochs 5 is what the window's refinements get on
# a busy machine; pass extra bench_live_refine flags after --. `uptime` before and after.
# --sampled replays the same snapshots through bench_live_sampled (bench/live_sampled.c) instead:
# the layout of a big table as the window keeps it while training runs (sampled), each
# refresh's moves split into the sample's rows and the placed rows, the jumps, and each
# layout's 10-NN preservation against its own snapshot; then the finishing full layout.
# usage: bench/live_refine.sh [--corpus FILE] [--every 4] [--snapshots DIR] [--sampled] [-- --still-rate 1 ...]
set -u
cd "$(dirname "$0")/.."
corpus=/work/corpus/bench.txt every=4 snaps="" sampled=0 bin=build/embedscope bench=build/bench/bench_live_refine
while [ $# -gt 0 ]; do
    case $1 in
    --corpus) corpus=$2; shift 2 ;;
    --every) every=$2; shift 2 ;;
    --snapshots) snaps=$2; shift 2 ;;
    --sampled) sampled=1; shift ;;
    --) shift; break ;;
    *) echo "usage: bench/live_refine.sh [--corpus FILE] [--every N] [--snapshots DIR] [--sampled] [-- bench flags]"; exit 2 ;;
    esac
done
[ $sampled = 1 ] && bench=build/bench/bench_live_sampled
[ -x "$bin" ] && [ -x "$bench" ] || { echo "live_refine.sh: build first (cmake --build build)"; exit 1; }
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; commit $(git rev-parse --short HEAD 2>/dev/null)"
if [ -z "$snaps" ]; then
    snaps=$(mktemp -d /tmp/embedscope-live-refine.XXXXXX)
    echo "# training snapshots into $snaps; uptime: $(uptime | sed 's/.*load/load/')"
    /usr/bin/time -v -o "$snaps/train.time" "$bin" train -train "$corpus" -output "$snaps/final.bin" -binary 1 \
        -size 100 -min-count 5 -threads 2 -iter 10 -snapshot "$snaps/cur.bin" -snapshot-every 1 -debug 1 \
        > "$snaps/train.log" 2>&1 &
    tp=$! last="" n=0
    # a snapshot is written to a temporary file and renamed: a new inode is a new snapshot
    while kill -0 $tp 2>/dev/null; do
        i=$(stat -c %i "$snaps/cur.bin" 2>/dev/null)
        if [ -n "$i" ] && [ "$i" != "$last" ]; then
            last=$i n=$((n + 1))
            cp "$snaps/cur.bin" "$snaps/$(printf snap%03d.bin $n)"
        fi
        sleep 0.2
    done
    wait $tp || { echo "live_refine.sh: training failed: $(tail -1 "$snaps/train.log")"; exit 1; }
    t=$snaps/train.time
    echo "# trained: $(grep -h 'Trained' "$snaps/train.log"); wall $(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$t"), user $(sed -n 's/.*User time (seconds): //p' "$t") s"
fi
files=$(ls "$snaps"/snap*.bin | awk -v e="$every" '(NR - 1) % e == 0') 
echo "# replay of $(echo $files | wc -w) snapshots (every $every of $(ls "$snaps"/snap*.bin | wc -l), then the final vectors); uptime before: $(uptime | sed 's/.*load/load/')"
flags=(--warm-epochs 5)
[ $sampled = 1 ] && flags=() # the window's own epochs: the budget decides, as in the window
/usr/bin/time -v -o "$snaps/replay.time" "$bench" "${flags[@]}" "$@" $files "$snaps/final.bin"
t=$snaps/replay.time
echo "replay process: wall $(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$t"), user $(sed -n 's/.*User time (seconds): //p' "$t") s (one thread)"
echo "uptime after: $(uptime | sed 's/.*load/load/')"
