#!/bin/bash
# Regenerates docs/positions-learned-{init,mid,smooth,curves}.png (not a test): the real window
# under Xvfb, driven by xdotool's key presses and clicks as a person would, pictured by the X
# server (ImageMagick's import). The learned source is chosen with its button, trained with
# "Step 10" clicks to an exact step for the first two pictures (a paused session waits there,
# so a slow machine only takes longer), then with Start for a while.
# usage: tests/gui/docs_pos_x11.sh BUILD_DIR/embedscope [DOCS_DIR [MID_STEPS]]
# (POS_DOCS_KEEP=FILE also keeps the whole tall window the curves are cut from)
set -eu
bin=$1
docs=${2:-$(cd "$(dirname "$0")/../../docs" && pwd)}
mid=${3:-600}
for t in xvfb-run xdotool import convert compare identify; do
    command -v $t >/dev/null || { echo "docs_pos_x11.sh: $t not found (./dev.sh deps)"; exit 1; }
done
# an X server of its own, a screen taller than the window (it grows for the curves' picture)
if [ -z "${DOCS_POS_X11:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1280x1100x24 -nolisten tcp" env DOCS_POS_X11=1 \
        bash "$0" "$bin" "$docs" "$mid"
fi
tmp=$(mktemp -d)
app=
cleanup() {
    [ -n "$app" ] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
export XDG_CONFIG_HOME=$tmp/config
# the word trainer on one thread: the GPT gets the other core
"$bin" --threads 1 --size 1280x800 >"$tmp/app.log" 2>&1 &
app=$!
win=$(xdotool search --sync --onlyvisible --name embedscope | head -1)
xdotool windowfocus --sync "$win"
sleep 2
shot() { import -window "$win" "$docs/positions-learned-$1.png"; echo "wrote $docs/positions-learned-$1.png"; }
# Places in the 1280 x 800 window (app/gui/views/posview.c and posctl.c lay them out).
LEARNED="310 74"   # the source button "learned (training)"
START="51 142"     # Start / Pause
STEP="128 142"     # Step 10
# a press and a release a little apart, on a pointer that has come to rest
click() { xdotool mousemove --window "$win" $1 $2; sleep 0.3; xdotool mousedown 1; sleep 0.1; xdotool mouseup 1; }
rest() { xdotool mousemove --window "$win" 640 780; sleep 0.5; }  # off the buttons: no hover highlight
xdotool key o
sleep 3
import -window "$win" "$tmp/sin.png"
# the learned source's button, until its settings row is on screen (a busy machine may drop
# nothing, but a window still building its first table is slow to draw)
for ((i = 0; i < 5; i++)); do
    click $LEARNED
    rest
    sleep 4        # @world is read and the step-0 table built
    import -window "$win" "$tmp/learned.png"
    convert "$tmp/sin.png" -crop 900x30+22+96 +repage "$tmp/a.png"
    convert "$tmp/learned.png" -crop 900x30+22+96 +repage "$tmp/b.png"
    n=$(compare -metric AE "$tmp/a.png" "$tmp/b.png" null: 2>&1 | awk '{ printf "%d", $1 }')
    [ "${n:-0}" -gt 500 ] && break
done
shot init
xdotool mousemove --window "$win" $STEP
sleep 0.3
xdotool click --repeat $((mid / 10)) --delay 80 1
rest
sleep $((mid / 10))   # at ~10 steps/s or faster it has stopped at step $mid
shot mid
click $START
rest
sleep 60
click $START       # pause: the picture and its curves agree
rest
sleep 2
shot smooth
# the curves: the window made taller (the curves take a third of the height under the panes),
# and the X server's picture of it cut to them
xdotool windowmove --sync "$win" 0 0   # all of it on the screen
xdotool windowsize --sync "$win" 1280 1000
sleep 2
import -window "$win" "$tmp/tall.png"
# where posview.c puts them: the bottom 34% of what is left under the probes (which end 282 px
# down), above the status line
[ -n "${POS_DOCS_KEEP:-}" ] && cp "$tmp/tall.png" "$POS_DOCS_KEEP"
h=$(identify -format %h "$tmp/tall.png")
bottom=$((h - 50))
top=$((bottom - (bottom - 282) * 34 / 100 + 6))
convert "$tmp/tall.png" -crop 944x$((bottom - top + 4))+12+$((top - 2)) +repage \
    "$docs/positions-learned-curves.png"
echo "wrote $docs/positions-learned-curves.png (window 1280 x $h)"
