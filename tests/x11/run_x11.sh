#!/bin/bash
# The real window under a real X server (Xvfb), driven by real key and mouse events (xdotool)
# and judged by the X server's own screenshots (ImageMagick's import), as a person sees it: a
# key's effect must be on screen 200 ms after the key, in an idle window (training finished)
# and in a training one. The scripted sessions (tests/gui) push SDL events and read the app's
# own pixels, which is how a window that lagged one event behind passed them (issue #13).
# usage: run_x11.sh EMBEDSCOPE OUTDIR      (CTest label x11; screenshots stay in OUTDIR)
set -u
bin=$1 out=$2
rm -rf "$out" && mkdir -p "$out" || exit 1
for t in Xvfb xdotool import compare convert; do
    command -v $t >/dev/null || { echo "run_x11.sh: $t not found (xvfb, xdotool, imagemagick)"; exit 1; }
done
fails=0
app=
xvfb=
cleanup() {
    [ -n "$app" ] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null
    [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null
}
trap cleanup EXIT

# A display of our own: Xvfb picks a free number and writes it to fd 3 (a file here).
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$out/display" >"$out/xvfb.log" 2>&1 &
xvfb=$!
for ((i = 0; i < 100; i++)); do
    [ -s "$out/display" ] && break
    sleep 0.1
done
num=$(tr -dc 0-9 <"$out/display")
# settings of its own (recent files, the hint seen), never the user's
export XDG_CONFIG_HOME=$out/config
[ -n "$num" ] || { echo "FAIL: Xvfb did not start"; cat "$out/xvfb.log"; exit 1; }
export DISPLAY=:$num

# Regions of the 1280x800 window (logical pixels = screen pixels here), WxH+X+Y.
TABS=400x34+440+8        # the view tabs
SEARCH=372x34+8+8        # the search box
RIGHT=316x540+960+8      # the right column (training panel, neighbours, controls)
SCENE=600x500+300+150    # the middle of the embedding space
FIELD=870x30+204+160     # the open dialog's path field

shot() { import -window root "$out/$1.png"; }
# pixels that differ in REGION between two screenshots
diff_px() { # diff_px A B REGION
    convert "$out/$1.png" -crop "$3" +repage "$out/.a.png"
    convert "$out/$2.png" -crop "$3" +repage "$out/.b.png"
    # AE prints large counts as 1.02337e+06: awk reads that as a number
    compare -metric AE "$out/.a.png" "$out/.b.png" null: 2>&1 | awk '{ printf "%d\n", $1 }'
}
# same NAME A B REGION MAX: the two screenshots differ in REGION by at most MAX pixels
same() {
    local n
    n=$(diff_px "$2" "$3" "$4")
    if [ "${n:-999999}" -le "$5" ]; then ok "$1: $2 and $3 alike in $4 ($n pixels differ)"
    else fail "$1: $2 and $3 differ by ${n} pixels in $4 (want <= $5)"; fi
}
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect NAME REGION MIN_PIXELS DELAY_S -- xdotool args...: screenshot, act, wait DELAY, and
# the region must have changed by at least MIN_PIXELS. A change that comes later, within 1 s
# and with no other event, is counted as late: one late check passes (the 2-core host
# sometimes stalls the window for a moment: CI once saw the first idle key miss its 200 ms),
# more fail. A window that lags one event behind never changes without the next event, so
# it still fails here.
late=0
expect() {
    local name=$1 region=$2 min=$3 delay=$4
    shift 5
    shot "$name.before"
    xdotool "$@"
    sleep "$delay"
    shot "$name"
    local n
    n=$(diff_px "$name.before" "$name" "$region")
    if [ "${n:-0}" -ge "$min" ]; then ok "$name: $n pixels changed in $region after ${delay}s"; return; fi
    sleep 1
    shot "$name.late"
    local m
    m=$(diff_px "$name.before" "$name.late" "$region")
    if [ "${m:-0}" -ge "$min" ]; then
        late=$((late + 1))
        echo "late: $name: ${n:-0} pixels changed in $region after ${delay}s, $m after $(awk "BEGIN { print $delay + 1 }")s (load $(cut -d' ' -f1-3 /proc/loadavg))"
    else
        fail "$name: only ${n:-0} pixels changed in $region after ${delay}s, ${m:-0} after 1 s more (want >= $min)"
    fi
}

# Waits until two screenshots 1 s apart are the same: the window is idle (nothing trains,
# animates or refreshes). Gives up after $1 s.
wait_idle() {
    local i
    shot idle.a
    for ((i = 0; i < $1; i++)); do
        sleep 1
        shot idle.b
        [ "$(diff_px idle.a idle.b 1280x800+0+0)" = 0 ] && return 0
        mv "$out/idle.b.png" "$out/idle.a.png"
    done
    return 1
}

start() { # start ARGS...: the window, and waits until X shows it
    "$bin" --size 1280x800 "$@" >"$out/app.log" 2>&1 &
    app=$!
    xdotool search --sync --onlyvisible --name '^embedscope' >/dev/null 2>&1 &
    local s=$!
    ( sleep 20; kill $s 2>/dev/null ) &
    wait $s || { fail "no window within 20 s"; cat "$out/app.log"; exit 1; }
    win=$(xdotool search --onlyvisible --name '^embedscope' | head -1)
}

stop() {
    kill "$app" 2>/dev/null
    wait "$app" 2>/dev/null
    app=
}

# a folder with one vectors file for the open dialog, and the window started in it
files=$out/files
mkdir -p "$files"
"$bin" train -train @world -output "$files/w.vec" -iter 1 -size 20 >"$out/train.log" 2>&1 ||
    { fail "could not train the dialog's file"; cat "$out/train.log"; }
cd "$files" || exit 1

# ---- an idle window: the demo world, one epoch, then nothing moves
start --epochs 1
wait_idle 60 || fail "the window never became idle"
xdotool mousemove 640 790 # off the points, so hovering changes nothing
sleep 0.3
for k in t o c v; do
    expect "idle-key-$k" $TABS 200 0.2 -- key $k
done
expect idle-key-2 $SCENE 2000 0.2 -- key 2
expect idle-key-3 $SCENE 2000 0.2 -- key 3
expect idle-search-focus $SEARCH 50 0.2 -- key slash
expect idle-search-type $SEARCH 50 0.2 -- type --delay 20 cat
sleep 0.5 && shot idle-search-typed # settled: under load the last key may land after 0.2 s
expect idle-search-enter $RIGHT 2000 0.6 -- key Return # selects cat; the camera flies to it
# desktop text fields: focusing selects the old query, so typing replaces it; Ctrl+A too
expect idle-search-replace $SEARCH 50 0.2 -- key slash type --delay 20 dog
expect idle-search-ctrl-a $SEARCH 50 0.2 -- key ctrl+a type --delay 20 cat
sleep 0.5 && shot idle-search-retyped
# inside the field only: its background is opaque, the scene around it moved (the flight to
# cat). Both settled, so that this compares what was typed, not how fast it was drawn (the
# expects above judge that).
same idle-search-retyped idle-search-typed idle-search-retyped 354x22+15+15 0
expect idle-search-clear $SEARCH 50 0.2 -- key Escape # clears; a second Esc leaves the field
xdotool key Escape
expect idle-wheel $SCENE 2000 0.2 -- mousemove 640 400 click 5 click 5
expect idle-frame $SCENE 2000 0.6 -- mousemove 640 790 key f # flies back for 350 ms
# a drag as a hand makes one, spread over frames
expect idle-drag $SCENE 2000 0.2 -- mousemove 640 400 mousedown 1 sleep 0.1 mousemove 660 410 \
    sleep 0.05 mousemove 690 425 sleep 0.05 mousemove 720 440 sleep 0.1 mouseup 1
# and a drag sent in one burst (press, move, release within one frame) rotates too, as a fast
# hand's flick does; it used to read as a click
expect idle-drag-burst $SCENE 2000 0.2 -- mousemove 640 400 mousedown 1 mousemove 700 430 mouseup 1
expect idle-escape $RIGHT 2000 0.2 -- mousemove 640 790 key Escape
expect idle-help 1280x800+0+0 5000 0.2 -- mousemove 640 790 key h
expect idle-help-off 1280x800+0+0 5000 0.2 -- key h
# the open dialog: Ctrl+O, a typed name, Tab, Esc; then a real double-click on a row opens it
expect idle-open-dialog 1280x800+0+0 20000 0.2 -- key ctrl+o
expect idle-open-type $FIELD 50 0.2 -- type --delay 20 w
expect idle-open-tab $FIELD 20 0.2 -- key Tab
expect idle-open-escape 1280x800+0+0 20000 0.2 -- key Escape
same idle-open-closed idle-open-dialog.before idle-open-escape 1280x760+0+0 0 # not the status line (frame times)
expect idle-open-again 1280x800+0+0 20000 0.2 -- key ctrl+o
# rows: "../" then w.vec, 23 px apart from y 246 in a 1280x800 window
expect idle-open-double $RIGHT 2000 1.5 -- mousemove 520 269 click --repeat 2 --delay 80 1
if grep -qx "recent = $files/w.vec" "$XDG_CONFIG_HOME/embedscope/settings" 2>/dev/null; then
    ok "open: $files/w.vec is remembered as a recent file"
else fail "open: w.vec not in $XDG_CONFIG_HOME/embedscope/settings"; fi
# resize: the X server's window and the drawn picture follow
shot resize.before
xdotool windowsize "$win" 900 600
sleep 0.5
shot resize
geom=$(xdotool getwindowgeometry "$win" | sed -n 's/.*Geometry: //p')
n=$(diff_px resize.before resize 1280x800+0+0)
if [ "$geom" = 900x600 ] && [ "${n:-0}" -ge 10000 ]; then ok "resize: window $geom, $n pixels changed"
else fail "resize: window '$geom', $n pixels changed"; fi
stop

# ---- a training window: the same keys while snapshots keep arriving
start --epochs 50
sleep 3
xdotool mousemove 640 790
for k in t o c v; do
    expect "training-key-$k" $TABS 200 0.2 -- key $k
done
expect training-pause $RIGHT 100 0.3 -- key space
stop

[ "$late" -le 1 ] || fail "$late checks were late (at most one may be)"
[ "$fails" = 0 ] && echo "PASS: x11" || { echo "FAIL: $fails x11 checks (screenshots in $out)"; exit 1; }
