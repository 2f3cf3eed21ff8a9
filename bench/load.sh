#!/usr/bin/env bash
# Loading vectors (issue #7): a seeded 400,000 x 300 word2vec text file (6 decimals, ~1.1 GB)
# and its binary twin, generated once and cached in $DATA (default /tmp/embedscope-bench-load),
# then RUNS rounds (default 3) that alternate, in this order:
#   wc -l                   reading and counting lines, the floor for any reader
#   strtof                  bench_load strtof: every float through strtof, nothing stored
#   load text / load bin    bench_load load: vecfile_load, the loader the CLI and GUI call
#   cli text                embedscope neighbours FILE word0 -k 1 (load + kNN index + a query)
#   gensim text / bin       KeyedVectors.load_word2vec_format with /usr/bin/python3
# Each is timed by /usr/bin/time -v (wall, user + system CPU, peak RSS); the table gives the
# median with min..max. The bar: load text <= 2 x (wc -l + strtof), medians.
#   bench/load.sh [RUNS]     (BUILD=dir: a configured build directory, default build-bench)
# env: ROOT=tree to build and time (default this script's; bench/before_after.sh points it at
#      an older checkout), LOAD_GENSIM=0 skips the gensim rows (a peer that did not change).
set -euo pipefail
RUNS=${1:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=${ROOT:-$(cd "$here/.." && pwd)}
BUILD=${BUILD:-$root/build-bench}
DATA=${DATA:-/tmp/embedscope-bench-load}
ROWS=400000 DIM=300
cmake -S "$root" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j2 --target bench_load embedscope >/dev/null
mkdir -p "$DATA"
txt=$DATA/vec_${ROWS}x${DIM}.txt bin=$DATA/vec_${ROWS}x${DIM}.bin
if [ ! -s "$txt" ] || [ ! -s "$bin" ]; then
    echo "generating $txt and $bin (once)" >&2
    "$BUILD/bench/bench_load" gen $ROWS $DIM 7 "$txt.part" "$bin.part"
    mv "$txt.part" "$txt"
    mv "$bin.part" "$bin"
fi
cat "$txt" "$bin" >/dev/null # warm the page cache: every run reads from memory
PY=/usr/bin/python3
gensim_ok=1
$PY -c 'import gensim' 2>/dev/null || gensim_ok=0
[ "${LOAD_GENSIM:-1}" = 0 ] && gensim_ok=0

declare -A cmds=(
    [wc]="wc -l $txt"
    [strtof]="$BUILD/bench/bench_load strtof $txt"
    [load_text]="$BUILD/bench/bench_load load $txt"
    [load_bin]="$BUILD/bench/bench_load load $bin"
    [cli_text]="$BUILD/embedscope neighbours $txt word0 -k 1"
    [gensim_text]="$PY -c 'import sys; from gensim.models import KeyedVectors as K; K.load_word2vec_format(sys.argv[1], binary=False)' $txt"
    [gensim_bin]="$PY -c 'import sys; from gensim.models import KeyedVectors as K; K.load_word2vec_format(sys.argv[1], binary=True)' $bin"
)
order=(wc strtof load_text load_bin cli_text gensim_text gensim_bin)
[ $gensim_ok = 1 ] || { order=(wc strtof load_text load_bin cli_text); echo "no gensim for $PY: skipped" >&2; }
res=$DATA/results.txt
if [ "${SUMMARY_ONLY:-0}" = 1 ]; then RUNS=0; else : >"$res"; fi
for r in $(seq 1 "$RUNS"); do
    for k in "${order[@]}"; do
        t=$(mktemp)
        /usr/bin/time -v -o "$t" bash -c "${cmds[$k]}" >/dev/null
        awk -v k="$k" -F': ' '
            /Elapsed \(wall clock\)/ { n = split($2, a, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + a[i] }
            /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { m = $2 }
            END { printf "%s %.2f %.2f %.0f\n", k, w, u + s, m / 1024 }' "$t" >>"$res"
        rm -f "$t"
        echo "round $r: $(tail -1 "$res")" >&2
    done
done
summarize() {
    echo
    printf '| %-12s | %-26s | %-26s | %-7s |\n' step "wall s: median (min..max)" "CPU s: median (min..max)" "RSS MB"
    printf '|%s|%s|%s|%s|\n' "--------------" "----------------------------" "----------------------------" "---------"
    for k in "${order[@]}"; do
        awk -v k="$k" '$1 == k { i = n + 0; w[i] = $2; c[i] = $3; if ($4 > m) m = $4; n = i + 1 }
            function med(a, n,   i, j, t) { for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                            return n % 2 ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2 }
            END { if (!n) exit; wm = med(w, n); cm = med(c, n)   # sorted now: min first, max last
                  printf "| %-12s | %6.2f (%6.2f..%6.2f)     | %6.2f (%6.2f..%6.2f)     | %7d |\n", k, wm, w[0], w[n - 1], cm, c[0], c[n - 1], m }' "$res"
    done
    awk '{ w[$1, n[$1]++] = $2; c[$1, m[$1]++] = $3 }
         function med(v, k,   a, i, j, t, cnt) { cnt = n[k]; for (i = 0; i < cnt; i++) a[i] = v[k, i]
             for (i = 0; i < cnt; i++) for (j = i + 1; j < cnt; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
             return cnt % 2 ? a[int(cnt / 2)] : (a[cnt / 2 - 1] + a[cnt / 2]) / 2 }
         END { bw = med(w, "wc") + med(w, "strtof"); lw = med(w, "load_text")
               bc = med(c, "wc") + med(c, "strtof"); lc = med(c, "load_text")
               printf "\nbar (medians): load text %.2f s wall, %.2f s CPU; 2 x (wc -l + strtof) = %.2f s wall, %.2f s CPU: %s (%.2fx / %.2fx the baseline)\n",
                      lw, lc, 2 * bw, 2 * bc, lw <= 2 * bw && lc <= 2 * bc ? "met" : "MISSED", lw / bw, lc / bc }' "$res"
}
summarize
