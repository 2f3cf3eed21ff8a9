#!/bin/bash
# Regenerates docs/colorby-metadata.png (not a test): the demo world's vectors exported as a
# projector pair, its metadata.tsv given a "topic" column (the world's categories, grouped in
# seven topics; words in none, such as "the", have no value), opened in the real window under
# Xvfb; a click on the legend's "animals" entry marks those words, as a person would, and the
# X server pictures the screen (ImageMagick's import).
# usage: tests/gui/docs_color_x11.sh BUILD_DIR/embedscope [DOCS_DIR]
set -eu
bin=$1
docs=${2:-$(cd "$(dirname "$0")/../../docs" && pwd)}
src=$(cd "$(dirname "$0")/../.." && pwd)
for t in Xvfb xdotool import; do
    command -v $t >/dev/null || { echo "docs_color_x11.sh: $t not found (./dev.sh deps)"; exit 1; }
done
tmp=$(mktemp -d)
app= xvfb=
cleanup() {
    [ -n "$app" ] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null
    [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
"$bin" train -size 32 -iter 5 -output "$tmp/world.vec" > "$tmp/train.log" 2>&1
mkdir -p "$tmp/pair"
"$bin" export "$tmp/world.vec" --projector "$tmp/pair" --dims 3 > "$tmp/export.log" 2>&1
# word -> topic from the world's [category NAME] members (the first category of a word wins)
awk 'BEGIN {
         split("animal baby_animal animal_family animal_sound", a); for (i in a) t[a[i]] = "animals"
         split("male female profession workplace", a); for (i in a) t[a[i]] = "people"
         split("country capital", a); for (i in a) t[a[i]] = "places"
         split("number ordinal_number day month", a); for (i in a) t[a[i]] = "numbers and time"
         split("verb past_verb ing_verb", a); for (i in a) t[a[i]] = "verbs"
         split("adjective comparative_adj superlative_adj colour", a); for (i in a) t[a[i]] = "adjectives"
         split("plural_noun food vehicle body", a); for (i in a) t[a[i]] = "things" }
     /^\[/ { cat = ($1 == "[category") ? substr($2, 1, length($2) - 1) : ""; next }
     cat == "" || /^template:/ || /^#/ || NF == 0 { next }
     { gsub(/,/, " "); for (i = 1; i <= NF; i++) if (!($i in topic)) topic[$i] = t[cat] }
     END { for (w in topic) print w "\t" topic[w] }' "$src/assets/world/world.txt" > "$tmp/topics.tsv"
awk -F'\t' 'NR == FNR { topic[$1] = $2; next }
            FNR == 1 { print $1 "\ttopic\t" $2; next }
            { print $1 "\t" topic[$1] "\t" $2 }' "$tmp/topics.tsv" "$tmp/pair/metadata.tsv" > "$tmp/meta.tsv"
mv "$tmp/meta.tsv" "$tmp/pair/metadata.tsv"
export XDG_CONFIG_HOME=$tmp/config DISPLAY=:94
Xvfb :94 -screen 0 1280x800x24 -nolisten tcp > "$tmp/xvfb.log" 2>&1 &
xvfb=$!
sleep 1
"$bin" --vectors "$tmp/pair/vectors.tsv" --size 1280x800 > "$tmp/app.log" 2>&1 &
app=$!
win=$(xdotool search --sync --onlyvisible --name embedscope | head -1)
xdotool windowfocus --sync "$win"
sleep 3
# the legend's first entry (the most common topic) sits under its title and "metadata" rows:
# app/gui/scene/colorby.c lays it out at the left, below the search box
xdotool mousemove --window "$win" 120 109
sleep 0.3
xdotool mousedown 1; sleep 0.1; xdotool mouseup 1
sleep 0.5
xdotool mousemove --window "$win" 640 700
sleep 1.5
import -window root "$docs/colorby-metadata.png"
echo "wrote $docs/colorby-metadata.png"
