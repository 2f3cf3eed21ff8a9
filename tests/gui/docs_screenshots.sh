#!/bin/bash
# Regenerates the screenshots in docs/ (not a test): the demo world after 2 s and 10 s of
# training (frame 1 is the random initialisation; training starts once it is shown), after
# 30 s (the demo's five epochs end at about 10 s on two cores), 2D and 3D, with a neighbour
# search and an analogy pinned.
# usage: tests/gui/docs_screenshots.sh BUILD_DIR/embedscope [DOCS_DIR]
# Runs under SDL_VIDEODRIVER=dummy unless DISPLAY is set and SDL_VIDEODRIVER is empty.
set -eu
bin=$1
docs=${2:-$(cd "$(dirname "$0")/../../docs" && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/docs.script" <<EOS
wait_snapshots 1 300
wait_ms 2000
screenshot $docs/explorer-2s.png
wait_ms 8000
screenshot $docs/explorer-10s.png
wait_ms 20000
screenshot $docs/explorer-30s.png
wait_words 1000000000000 900
wait_frames 3
type cat
key enter
wait_ms 800
screenshot $docs/explorer-neighbours.png
key escape
key r
clear
type king - man + woman
key enter
wait_ms 800
screenshot $docs/explorer-analogy-3d.png
key 2
wait_ms 500
screenshot $docs/explorer-analogy-2d.png
quit
EOS
SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy} "$bin" --script "$tmp/docs.script"
ls -la "$docs"/explorer-*.png
