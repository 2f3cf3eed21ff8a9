#!/bin/bash
# Regenerates the teaching views' screenshots in docs/ (not a test): the lookup table at the
# random init and after training with rows looked up, the positional views (sinusoidal and
# random), the training curves with a pinned analogy, and the training controls.
# usage: tests/gui/docs_views.sh BUILD_DIR/embedscope [DOCS_DIR]
set -eu
bin=$1
docs=${2:-$(cd "$(dirname "$0")/../../docs" && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/views.script" <<EOS
view table
wait_snapshots 1 300
set indices 0 2 5
wait_frames 2
screenshot $docs/views-table-init.png
type king - man + woman = queen
key enter
wait_words 6000000 300
wait_ms 1500
view curves
wait_frames 3
screenshot $docs/views-curves.png
view table
wait_frames 3
screenshot $docs/views-table-trained.png
view positions
wait_posview 300
screenshot $docs/views-positions-sinusoidal.png
set pos_kind random
wait_posview 300
screenshot $docs/views-positions-random.png
view space
key s
set model cbow
set dim 50
wait_frames 3
screenshot $docs/views-controls.png
key ?
wait_frames 3
screenshot $docs/views-help.png
quit
EOS
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy}
"$bin" --epochs 20 --script "$tmp/views.script"
echo "wrote $docs/views-*.png"
