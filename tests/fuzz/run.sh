#!/usr/bin/env bash
# Builds the vector-file fuzz targets with clang (libFuzzer + ASan + UBSan) and runs each for
# SECONDS (default 60). Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
# Targets: text binary glove auto roundtrip. Work files go to $FUZZ_DIR (default /tmp/embedscope-fuzz);
# the committed seeds in tests/fuzz/seeds are copied, never written. Exits non-zero when a
# target finds a crash (the reproducer is left in $FUZZ_DIR/<target>/).
set -euo pipefail
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(text binary glove auto roundtrip)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${FUZZ_DIR:-/tmp/embedscope-fuzz}
cc=${CC_FUZZ:-$(command -v clang || command -v clang-14)}
mkdir -p "$out"

# Only the loader and what it links against: the rest of model/ may be mid-edit.
srcs=("$root"/model/{w2v_io,atomicfile,err,embed,vocab}.c)
flags=(-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$root/model")

status=0
for t in "${targets[@]}"; do
    case $t in
        text) fmt=W2V_TEXT; seeds=(text) ;;
        binary) fmt=W2V_BINARY; seeds=(binary) ;;
        glove) fmt=W2V_GLOVE; seeds=(glove) ;;
        auto) fmt=W2V_AUTO; seeds=(text binary glove) ;;
        roundtrip) fmt="W2V_AUTO -DFUZZ_ROUNDTRIP"; seeds=(text binary glove) ;;
        *) echo "run.sh: unknown target '$t' (text binary glove auto roundtrip)" >&2; exit 2 ;;
    esac
    bin="$out/fuzz_w2v_$t"
    # shellcheck disable=SC2086 # $fmt may carry a second -D
    "$cc" "${flags[@]}" -DFUZZ_FORMAT=$fmt "$here/fuzz_w2v.c" "${srcs[@]}" -lm -lz -o "$bin"
    work="$out/$t"
    mkdir -p "$work/corpus"
    for s in "${seeds[@]}"; do cp -n "$here/seeds/$s"/* "$work/corpus/" 2>/dev/null || true; done
    echo "== fuzz_w2v_$t for ${secs}s"
    if ! (cd "$work" && "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
            -dict="$here/w2v.dict" -print_final_stats=1 corpus >"$work/log.txt" 2>&1); then
        echo "fuzz_w2v_$t: FAILED, see $work/log.txt and the crash-* file there" >&2
        tail -40 "$work/log.txt" >&2
        status=1
    else
        grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$work/log.txt" || true
        tail -1 "$work/log.txt" | grep -E "^#|Done" || true
    fi
done
exit $status
