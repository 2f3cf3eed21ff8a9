#!/bin/bash
# Region names over the cloud (issue #14) on small pretrained vectors of the demo world;
# usage: run_regions.sh EMBEDSCOPE OUTDIR SRCDIR [planted]
# planted: instead of training (72 s of CPU under ThreadSanitizer), three planted groups of the
# world's countries, animals and months, so the TSan job sees the region worker cheaply.
set -u
bin=$1 out=$2 src=$3 mode=${4:-trained}
rm -rf "$out" && mkdir -p "$out" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
if [ "$mode" = planted ]; then
    words="france germany italy spain portugal greece netherlands russia japan china india egypt
    britain canada brazil peru chile cuba kenya nigeria turkey poland sweden norway|dog cat horse
    cow pig sheep goat wolf fox bear lion tiger frog owl eagle goose duck chicken mouse snake|
    january february march april may june july august september october november december"
    echo "$words" | tr '\n' ' ' | awk -v RS='|' 'BEGIN { srand(3) }
        { for (i = 1; i <= NF; i++) { n++; line[n] = $i; grp[n] = NR - 1 } }
        END { print n, 16
              for (k = 1; k <= n; k++) { s = line[k]
                  for (d = 0; d < 16; d++) s = s " " sprintf("%.5f", (d == grp[k]) + 0.3 * (rand() - 0.5))
                  print s } }' > "$out/world.vec" || fail "planted vectors"
    # no "man -> woman" here, so X goes from PCA straight to UMAP: one projection key less
    sed -e "/^assert_rows/d" -e "0,/^projection$/{/^projection$/d}" "$src/regions.script" > "$out/regions.in"
else
    # 32 dimensions, 1 epoch (16 s of CPU under ASan): enough for the categories to gather
    "$bin" train -size 32 -iter 1 -output "$out/world.vec" > "$out/train.log" 2>&1 || fail "train: $(tail -1 "$out/train.log")"
    cp "$src/regions.script" "$out/regions.in"
fi
sed "s|@OUT@|$out|g" "$out/regions.in" > "$out/regions.script" || exit 1
start=$(date +%s)
"$bin" --vectors "$out/world.vec" --script "$out/regions.script" || fail "session exited with $?"
[ -s "$out/regions.png" ] && [ -s "$out/clusters.png" ] || fail "no screenshots"
echo "PASS: regions in $(( $(date +%s) - start )) s"
