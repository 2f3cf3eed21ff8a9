#!/bin/bash
# What the window's learned positions (the tiny GPT training in the Positions view) cost the
# word trainer when both run (issue #15): the window on @world, 2 trainer threads, 15 s in the
# Positions view with the sinusoidal table (without) or the learned one training (with),
# alternating; the trainer's words/s from --stats and the process's CPU time.
# usage: bench/positions_cost.sh [ROUNDS]     (default 3)
set -u
cd "$(dirname "$0")/.."
bin=$PWD/build/embedscope
[ -x "$bin" ] || { echo "positions_cost.sh: build first"; exit 1; }
rounds=${1:-3}
out=$(mktemp -d /tmp/embedscope-poscost.XXXXXX)
printf 'wait_open 60\nview positions\nset pos_kind learned\nwait_posview 60\npos_train start\nwait_ms 15000\nquit\n' > "$out/with.script"
printf 'wait_open 60\nview positions\nwait_ms 15000\nquit\n' > "$out/without.script"
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
echo "| run | learned positions | trainer words/s | process CPU s / wall s | load before |"
echo "|---|---|---:|---:|---:|"
for ((r = 1; r <= rounds; r++)); do
    for k in without with; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        SDL_VIDEODRIVER=dummy XDG_CONFIG_HOME=$out/cfg EMBEDSCOPE_CURVES_EVAL=0 \
            /usr/bin/time -f "%e %U %S" -o "$out/time" "$bin" --epochs 100 --threads 2 --stats \
            --script "$out/$k.script" > "$out/$k.$r.out" 2> "$out/$k.$r.err" || { echo "run failed: $(tail -2 "$out/$k.$r.err")"; exit 1; }
        wps=$(sed -n 's/.*(\([0-9]*\) words\/s.*/\1/p' "$out/$k.$r.out")
        read -r wall user sys < "$out/time"
        echo "| $r | $k | $wps | $(echo "$user + $sys" | bc) / $wall | $load |"
    done
done
