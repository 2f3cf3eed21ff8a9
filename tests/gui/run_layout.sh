#!/bin/bash
# Runs layout.script in the real window on the demo world (30 epochs, so it still trains while
# the layouts refine) and checks the layouts it printed; usage: run_layout.sh EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2 src=$3
rm -rf "$out" && mkdir -p "$out" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
sed "s|@OUT@|$out|g" "$src/layout.script" > "$out/layout.script" || exit 1
EMBEDSCOPE_CURVES_EVAL=0 "$bin" --epochs 30 --script "$out/layout.script" > "$out/layouts.txt" \
    || fail "session exited with $? ($(tail -3 "$out/layouts.txt"))"
cat "$out/layouts.txt"
# print_layout: "layout N kind K dims D warm W ms .. graph_ms .. epochs E moved M ..."
field() { sed -n "$1p" "$out/layouts.txt" | awk -v k="$2" '{ for (i = 3; i < NF; i += 2) if ($i == k) print $(i + 1) }'; }
[ "$(grep -c '^layout [0-9]' "$out/layouts.txt")" = 5 ] || fail "want 5 layout lines"
# line 1: the first t-SNE 2D shown; when it is layout 1 it was made from scratch (the demo
# world trains so fast that a refinement can arrive in the same frame, so layout 2 may be the
# first one the script sees)
[ "$(field 1 kind) $(field 1 dims)" = "tsne 2" ] || fail "line 1: a t-SNE 2D"
n1=$(sed -n 1p "$out/layouts.txt" | awk '{ print $2 }')
[ "$n1" != 1 ] || [ "$(field 1 warm)" = 0 ] || fail "line 1: layout 1 not from scratch"
[ "$(field 2 kind) $(field 2 dims) $(field 2 warm)" = "tsne 2 1" ] || fail "line 2: a refined t-SNE 2D"
# a refinement moves points, and less than a tenth of the layout (the demo world is small and
# still training fast: the benchmark's bar, 2% after the first epoch, is bench/live_layout.sh's)
awk -v m="$(field 2 moved)" 'BEGIN { exit !(m > 0 && m < 0.1) }' || fail "line 2: moved $(field 2 moved)"
[ "$(field 3 kind) $(field 3 dims)" = "tsne 3" ] || fail "line 3: t-SNE 3D"
[ "$(field 4 kind) $(field 4 dims)" = "umap 3" ] || fail "line 4: UMAP 3D"
# the epochs typed in the panel: a new request with them (line 5 may show a refinement of it)
[ "$(field 5 kind) $(field 5 dims) $(field 5 asked_epochs)" = "umap 3 37" ] && [ "$(field 5 request)" -gt "$(field 4 request)" ] \
    || fail "line 5: a new UMAP 3D request with 37 epochs"
# the coordinates export of the t-SNE view: its columns, a row per word, finite numbers
[ "$(head -1 "$out/tsne2d.tsv")" = "$(printf 'word\ttsne1\ttsne2\tcluster')" ] || fail "tsne2d.tsv header: $(head -1 "$out/tsne2d.tsv")"
awk -F'\t' 'NR > 1 && !($2 ~ /^-?[0-9]/ && $3 ~ /^-?[0-9]/) { bad = 1 } END { exit bad || NR != 1034 }' "$out/tsne2d.tsv" \
    || fail "tsne2d.tsv: want 1033 rows of numbers"
for f in tsne2d tsne3d; do [ -s "$out/$f.png" ] || fail "$f.png missing"; done
echo "PASS: layout"
