#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer + ASan + UBSan) and runs each for SECONDS
# (default 60), as many at a time as there are cores (FUZZ_JOBS).
#   tests/fuzz/run.sh [SECONDS] [TARGET...]   # default: every target
#   tests/fuzz/run.sh --smoke [SECONDS]       # CI: every target, SECONDS (default 20) each
# Targets: text binary glove auto roundtrip (fuzz_w2v.c), projector, bookmark, world, tokenizer.
# Work files go to $FUZZ_DIR (default /tmp/embedscope-fuzz, or /tmp/embedscope-fuzz-smoke); the
# committed seeds in tests/fuzz/seeds are copied, never written. Exits non-zero when a target
# fails to build or finds a crash (the reproducer is left in $FUZZ_DIR/<target>/).
set -euo pipefail
all=(text binary glove auto roundtrip projector bookmark world tokenizer)
smoke=0
if [ "${1:-}" = "--smoke" ]; then
    smoke=1
    shift
    secs=${1:-20}
    targets=("${all[@]}")
else
    secs=${1:-60}
    shift || true
    targets=("$@")
    [ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $smoke = 1 ]; then out=${FUZZ_DIR:-/tmp/embedscope-fuzz-smoke}; else out=${FUZZ_DIR:-/tmp/embedscope-fuzz}; fi
cc=${CC_FUZZ:-$(command -v clang || command -v clang-14 || true)}
if [ -z "$cc" ]; then
    echo "run.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
fi
mkdir -p "$out"

# Only the loaders and what they link against: the rest of model/ may be mid-edit. The demo
# world's text is embedded as the CMake build does it (corpus.c can open @world).
cmake -DIN="$root/assets/world/world.txt" -DOUT="$out/world_builtin.c" -DSYMBOL=world_builtin \
      -P "$root/model/text/embed_asset.cmake"
srcs=("$root"/model/files/{lex,readbuf,sniff,vecload,w2v_text,w2v_bin,w2v_save,tbproj,vecfile,bookmark}.c "$root"/model/text/{world,world_gen,world_sets,corpus,vocab}.c
      "$root"/model/train/train_desc.c "$root"/model/base/{atomicfile,err,pool}.c "$root"/model/vectors/embed.c "$out/world_builtin.c")
flags=(-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined -I"$root")
# Jobs at a time (compiles, then fuzz runs: each libFuzzer run is one process on one core), so
# the smoke's 9 x 20 s of fuzzing takes about 9 x 20 s / cores.
jobs=${FUZZ_JOBS:-$(nproc)}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: FUZZ_JOBS must be a positive integer, not '$jobs'" >&2; exit 2; }
# Waits until fewer than $jobs background jobs run. Each job leaves its result in a file, so a
# status that `wait -n` would report to nobody is not lost.
throttle() { while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done; }

# target T: its source, the defines it is built with, its seed folders and its dictionary
target() {
    defs=(); dict=""
    case $1 in
        text) src=fuzz_w2v.c; defs=(-DFUZZ_FORMAT=VEC_TEXT); seeds=(text); dict=w2v.dict ;;
        binary) src=fuzz_w2v.c; defs=(-DFUZZ_FORMAT=VEC_BINARY); seeds=(binary); dict=w2v.dict ;;
        glove) src=fuzz_w2v.c; defs=(-DFUZZ_FORMAT=VEC_GLOVE); seeds=(glove); dict=w2v.dict ;;
        auto) src=fuzz_w2v.c; defs=(-DFUZZ_FORMAT=VEC_AUTO); seeds=(text binary glove projector); dict=w2v.dict ;;
        roundtrip) src=fuzz_w2v.c; defs=(-DFUZZ_FORMAT=VEC_AUTO -DFUZZ_ROUNDTRIP); seeds=(text binary glove projector); dict=w2v.dict ;;
        projector) src=fuzz_projector.c; seeds=(projector); dict=projector.dict ;;
        bookmark) src=fuzz_bookmark.c; seeds=(bookmark); dict=bookmark.dict ;;
        world) src=fuzz_world.c; seeds=(world); dict=world.dict ;;
        tokenizer) src=fuzz_tokenizer.c; seeds=(tokenizer) ;;
        *) echo "run.sh: unknown target '$1' (${all[*]})" >&2; exit 2 ;;
    esac
}
for t in "${targets[@]}"; do target "$t"; done # an unknown name stops the run before any build

# The loaders' sources are compiled once, instrumented but without libFuzzer's main (nine
# targets used to compile all of them nine times, one after the other), then each target's
# own file is compiled and linked against them.
obj="$out/obj"
rm -rf "$obj"
mkdir -p "$obj"
objs=()
for f in "${srcs[@]}"; do
    o="$obj/$(basename "$f" .c).o"
    objs+=("$o")
    throttle
    { "$cc" "${flags[@]}" -fsanitize=fuzzer-no-link,address,undefined -c "$f" -o "$o" 2>"$o.log" ||
        echo "$f" >"$o.failed"; } &
done
wait
if compgen -G "$obj/*.failed" >/dev/null; then
    for f in "$obj"/*.failed; do echo "run.sh: $(cat "$f"): BUILD FAILED" >&2; cat "${f%.failed}.log" >&2; done
    exit 1
fi
for t in "${targets[@]}"; do
    target "$t"
    throttle
    { "$cc" "${flags[@]}" -fsanitize=fuzzer,address,undefined "${defs[@]}" "$here/$src" "${objs[@]}" \
        -lm -lz -lpthread -o "$out/fuzz_$t" 2>"$out/fuzz_$t.build.log" || rm -f "$out/fuzz_$t"; } &
done
wait

# fuzz T: one target's run; its log in $out/T/log.txt and its verdict in $out/T/status
fuzz() {
    local t=$1 work="$out/$1"
    target "$t"
    mkdir -p "$work/corpus"
    rm -f "$work/status"
    for s in "${seeds[@]}"; do cp -n "$here/seeds/$s"/* "$work/corpus/" 2>/dev/null || true; done
    local opts=(-max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
    [ -n "$dict" ] && opts+=(-dict="$here/$dict")
    if (cd "$work" && "$out/fuzz_$t" "${opts[@]}" corpus >"$work/log.txt" 2>&1); then
        echo ok >"$work/status"
    else
        echo failed >"$work/status"
    fi
}
status=0
for t in "${targets[@]}"; do
    if [ ! -x "$out/fuzz_$t" ]; then
        echo "fuzz_$t: BUILD FAILED" >&2
        cat "$out/fuzz_$t.build.log" >&2
        status=1
        continue
    fi
    echo "== fuzz_$t for ${secs}s"
    throttle
    fuzz "$t" &
done
wait
# the results in the targets' order, whatever order the runs ended in
for t in "${targets[@]}"; do
    work="$out/$t"
    [ -x "$out/fuzz_$t" ] || continue
    if [ "$(cat "$work/status" 2>/dev/null)" != ok ]; then
        echo "fuzz_$t: FAILED, see $work/log.txt and the crash-* file there" >&2
        tail -40 "$work/log.txt" >&2
        status=1
    else
        echo "fuzz_$t:"
        grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$work/log.txt" || true
        grep -E "^#[0-9]+" "$work/log.txt" | tail -1 || true
    fi
done
exit $status
