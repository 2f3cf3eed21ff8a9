#!/bin/bash
# Colour by metadata (issue #14) in scripted sessions: a projector pair whose metadata.tsv has a
# categorical and a numeric column (read with the vectors), legend entries and their picks, a
# hostile metadata file dropped (refused, the view stays), one chosen in the open dialog; then
# word2vec vectors with --metadata FILE matched by word, the unmatched words counted, and a
# --metadata file that is not there.
# usage: run_color.sh EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2 src=$3
rm -rf "$out" && mkdir -p "$out/pair" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
# 30 rows of 4 values; pos: NOUN 12, VERB 10, ADJ 7, one blank; score: i / 2, one blank
awk 'BEGIN { for (i = 0; i < 30; i++) printf "%.4f\t%.4f\t%.4f\t%.4f\n", sin(i), cos(i * 1.3), sin(i * 0.7 + 1), cos(i * 2.1) }' \
    > "$out/pair/vectors.tsv"
awk 'BEGIN { print "word\tpos\tscore"
             for (i = 0; i < 30; i++) {
                 pos = i < 12 ? "NOUN" : i < 22 ? "VERB" : i < 29 ? "ADJ" : ""
                 printf "w%d\t%s\t%s\n", i, pos, i == 5 ? "" : i / 2 } }' > "$out/pair/metadata.tsv"
printf 'word\tpos\tscore\nw1\tNOUN\t1\nw2\tVERB\n' > "$out/ragged.tsv"
printf 'word\tkind\nw0\tA\nw1\tB\nw2\tA\nnot_a_word\tB\n' > "$out/kinds.tsv"
sed "s|@OUT@|$out|g" "$src/color.script" > "$out/color.script" || exit 1
"$bin" --vectors "$out/pair/vectors.tsv" --script "$out/color.script" || fail "pair session exited with $?"
# word2vec text with its own part-of-speech file: 3 of its 4 words have a row, one row matches nothing
printf '4 2\nthe 1 0\ncat 0 1\nsat 1 1\nzzz -1 0\n' > "$out/w.vec"
printf 'word\tpos\nthe\tDET\ncat\tNOUN\nsat\tVERB\nunseen\tNOUN\n' > "$out/pos.tsv"
printf 'wait_open 60\nassert_status pos.tsv: pos (3 values) for 3 of 4 words (the others have no row: grey)\nassert_color pos categorical\nwait_frames 2\nassert_color_legend 4\nassert_color_entry 0 NOUN 1\nassert_color_entry 3 (no value) 1\nquit\n' \
    > "$out/w2v.script"
"$bin" --vectors "$out/w.vec" --metadata "$out/pos.tsv" --script "$out/w2v.script" || fail "--metadata session exited with $?"
# --follow with --metadata: the file replaced (a fifth word) is reopened with its metadata,
# and the colouring chosen stays
cp "$out/w.vec" "$out/f.vec"
cat > "$out/follow.script" <<EOS
wait_open 60
assert_color pos categorical
color_by frequency
color_by metadata pos
export_coords $out/ready.tsv
wait_status version 1 shown
assert_rows 5
assert_color pos categorical
wait_frames 2
assert_color_entry 3 (no value) 2
quit
EOS
"$bin" --follow "$out/f.vec" --metadata "$out/pos.tsv" --script "$out/follow.script" > "$out/follow.log" 2>&1 &
app=$!
for ((i = 0; i < 300; i++)); do [ -s "$out/ready.tsv" ] && break; sleep 0.2; done
[ -s "$out/ready.tsv" ] || { kill $app; fail "the follow session never got ready: $(tail -3 "$out/follow.log")"; }
printf '5 2\nthe 1 0\ncat 0 1\nsat 1 1\nzzz -1 0\nyyy 0 -1\n' > "$out/f.vec.tmp" && mv "$out/f.vec.tmp" "$out/f.vec"
wait $app || fail "follow session exited with $?: $(tail -3 "$out/follow.log")"
# a --metadata file that is not there: one line in the status, the vectors are shown
printf 'wait_open 60\nassert_status metadata not loaded: %s/nosuch.tsv: No such file\nassert_color cluster\nassert_rows 4\nquit\n' "$out" \
    > "$out/missing.script"
"$bin" --vectors "$out/w.vec" --metadata "$out/nosuch.tsv" --script "$out/missing.script" || fail "missing --metadata session exited with $?"
echo "PASS: color"
