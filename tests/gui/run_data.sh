#!/bin/bash
# Opens vectors by command line and by simulated drops, exports, and checks what was written;
# usage: run_data.sh EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2 src=$3
rm -rf "$out" && mkdir -p "$out" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
# a small pretrained file: the demo world, 32 dimensions, 3 epochs (quick under ASan), on one
# thread: the same vectors every run, so the restored bookmark's view is the same picture (two
# threads train other vectors each time, and once in CI the pinned 'king' fell under a panel
# and had no label for assert_label)
"$bin" train -size 32 -iter 3 -threads 1 -output "$out/world.vec" > "$out/train.log" 2>&1 || fail "train: $(tail -1 "$out/train.log")"
"$bin" world --dump 20000 > "$out/small.txt" || fail "world --dump"
printf '3 4\nfoo 1 2 3 4\nbar 1 2 x 4\n' > "$out/corrupt.vec"
sed "s|@OUT@|$out|g" "$src/data.script" > "$out/data.script" || exit 1
"$bin" --vectors "$out/world.vec" --script "$out/data.script" || fail "session exited with $?"
# the coordinates read back (exported in 2D: two columns): a header, one row per word in the
# file's order, finite numbers, cluster ids of the legend
rows=$(head -1 "$out/world.vec" | cut -d' ' -f1)
[ "$(head -1 "$out/coords.tsv")" = "$(printf 'word\tpc1\tpc2\tcluster')" ] || fail "coords header: $(head -1 "$out/coords.tsv")"
[ "$(($(wc -l < "$out/coords.tsv") - 1))" = "$rows" ] || fail "coords rows: $(wc -l < "$out/coords.tsv") for $rows words"
diff <(tail -n +2 "$out/world.vec" | cut -d' ' -f1) <(tail -n +2 "$out/coords.tsv" | cut -f1) > /dev/null \
  || fail "coords words differ from the vector file's"
awk -F'\t' 'NF != 4 { print "columns", NR, NF; exit 1 }
            NR > 1 { for (i = 2; i <= 3; i++) if ($i !~ /^-?[0-9.]+(e[-+][0-9]+)?$/) { print "bad number", NR, $i; exit 1 }
                     if ($4 !~ /^[0-7]$/) { print "bad cluster", NR, $4; exit 1 } }' "$out/coords.tsv" || fail "coords values"
[ "$(wc -l < "$out/projector/vectors.tsv")" = "$rows" ] || fail "projector vectors.tsv rows"
[ "$(($(wc -l < "$out/projector/metadata.tsv") - 1))" = "$rows" ] || fail "projector metadata.tsv rows"
[ "$(awk -F'\t' '{ print NF }' "$out/projector/vectors.tsv" | sort -u)" = 32 ] || fail "projector columns"
grep -q '^source = .*world.vec$' "$out/view.bookmark" && grep -q '^two_d = 1$' "$out/view.bookmark" \
  && grep -q '^pin = king - man + woman$' "$out/view.bookmark" || fail "bookmark: $(cat "$out/view.bookmark")"
# the layouts' epochs saved, and restored by the load (set to 120 between, they were 77 again)
grep -q '^layout_epochs = 77$' "$out/look.bookmark" || fail "look bookmark: $(cat "$out/look.bookmark")"
grep -q '^layout_epochs = 77$' "$out/look-again.bookmark" || fail "restored look: $(cat "$out/look-again.bookmark")"
# a full disk (a file size limit; SIGXFSZ ignored so writes fail with EFBIG, as ENOSPC would):
# the error is shown and the older file stays whole
sum=$(md5sum < "$out/coords.tsv")
printf 'wait_open 120\nexport_coords %s/coords.tsv\nassert_status export failed\nquit\n' "$out" > "$out/full.script"
(trap '' XFSZ; ulimit -f 8; "$bin" --vectors "$out/world.vec" --script "$out/full.script") || fail "full-disk session exited with $?"
[ "$(md5sum < "$out/coords.tsv")" = "$sum" ] || fail "a failed export changed coords.tsv"
ls "$out" | grep -q '\.tmp' && fail "temporary files left: $(ls "$out")"
for f in before after-corrupt big restored; do [ -s "$out/$f.png" ] || fail "$f.png missing"; done
echo "PASS: data"
