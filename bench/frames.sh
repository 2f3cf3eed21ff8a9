#!/bin/bash
# Frame-time benchmark of the explorer (not a test): for each cloud size, a synthetic corpus
# with that many distinct words is trained in the window while a script rotates, zooms and then
# idles; prints the frame-time percentiles (wall and UI-thread CPU) of the frames after the
# waits ("marked frames"; the "frames" lines are the whole session's), where the UI thread's time
# went (projection, depth sort, density image, splat, labels, picking: EMBEDSCOPE_SCENE_TIMES),
# and the trainer's words/s beside `embedscope train` alone with the same settings.
# Each window run is done in every VIEW (pca: the default projection; umap: X, then the script
# waits up to UMAP_WAIT s for the first UMAP layout) and every MODE (auto: the default, the
# density image while many points are in view; points: D twice, every point drawn), and the
# whole set ROUNDS times, alternating. Ends with a table of medians (min-max) over the rounds.
# Each run's CPU/wall ratio and the load before it are printed: with 2 training threads a ratio
# under 1.75 means something else had the cores (the table flags it). A UMAP run also gives the
# seconds from X to the first layout on screen ("first layout s": above 100,000 words the
# sampled one, model/layout/sampled.h) and which layout was on screen when the frames ended
# (UMAP_FULL=1: wait for layout 2 as well, the full graph's, before the marked frames).
# EMBEDSCOPE_UI_THREADS=1 gives the explorer's one-thread path; ALONE=0 skips the runs alone.
# usage: [ROUNDS=1] [VIEWS="pca umap"] [MODES="auto points"] [UMAP_WAIT=600] [UMAP_FULL=0]
#        bench/frames.sh BUILD/embedscope [WORDS...]   (default: 10000 100000; 1000000 ~ 2 min a run)
set -eu
bin=$1
shift
sizes=${*:-10000 100000}
rounds=${ROUNDS:-1}
views=${VIEWS:-pca umap}
modes=${MODES:-auto points}
umap_wait=${UMAP_WAIT:-600}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-dummy}
export EMBEDSCOPE_SCENE_TIMES=1 # the scene's stage times at exit
threads=$(nproc)
exec 3>&2
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $threads CPUs; $(date -u '+%F %H:%M UTC')"
echo "load: $(uptime | sed 's/.*load average/load average/')"
# timed CMD...: runs CMD, then prints the load average at its start and its CPU/wall ratio (to
# stderr, and as "cpuwall R load L" to the file in $ratio_to when set)
timed() {
  local load t0 c0 t1 c1
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s.%N)
  c0=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
  "$@"
  t1=$(date +%s.%N)
  c1=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
  awk -v a="$t0" -v b="$t1" -v c="$c0" -v d="$c1" -v l="$load" -v hz="$(getconf CLK_TCK)" \
    -v out="${ratio_to:-/dev/null}" \
    'BEGIN { w = b - a; r = (d - c) / hz / w
             printf "  (wall %.1f s, cpu/wall %.2f, load before %s)\n", w, r, l
             printf "cpuwall %.2f load %s\n", r, l > out }' >&3
}
# script VIEW MODE: the session's script
script() {
  [ "$2" = points ] && printf 'key d\nkey d\n'
  echo "wait_snapshots 2 900"
  [ "$1" = umap ] && printf 'echo umap asked\nkey x\nwait_layout 1 %s\nprint_layout\n' "$umap_wait"
  [ "$1" = umap ] && [ "${UMAP_FULL:-0}" = 1 ] && printf 'wait_layout 2 %s\nprint_layout\n' "$umap_wait"
  echo "frames_mark" # the frames of the motions and the idle end, not of the waits
  for i in 1 2 3 4 5; do
    echo "drag 400 400 600 450"
    echo "wheel 1 640 400"
    echo "drag 600 450 420 380"
    echo "wheel -1 640 400"
  done
  echo "key 2"
  echo "drag 300 300 500 500"
  echo "key 3"
  echo "wait_ms 3000"
  echo "print_frames"
  [ "$1" = umap ] && echo "print_layout"
  echo "quit"
}
# window ARGS...: the window, its "umap asked" and "layout N" lines stamped with the time
# (/proc/uptime, s) at which they were written
window() {
  local line up rest
  "$bin" "$@" | while IFS= read -r line; do # read takes a line as it comes; awk may wait for a block
    case $line in
      "umap asked"* | "layout "[0-9]*) read -r up rest < /proc/uptime; line="$line at $up" ;;
    esac
    printf '%s\n' "$line"
  done
  return "${PIPESTATUS[0]}"
}
results=$tmp/results.txt
: > "$results"
for n in $sizes; do
  corpus=$tmp/c$n.txt
  # about 12 occurrences per word (min-count 5 keeps nearly all), sentences of 10 neighbours
  awk -v n="$n" 'BEGIN { srand(1); for (s = 0; s < n * 12 / 10; s++) { b = int(rand() * n);
      line = ""; for (k = 0; k < 10; k++) line = line (k ? " " : "") "w" ((b + int(rand() * 50)) % n);
      print line } }' > "$corpus"
  for r in $(seq 1 "$rounds"); do
    for view in $views; do
      for mode in $modes; do
        script "$view" "$mode" > "$tmp/s.script"
        echo "== $n words, $view, $mode, round $r ($(date -u +%H:%M:%S))"
        ratio_to=$tmp/ratio.txt
        timed window --stats --corpus "$corpus" --dim 50 --epochs 100 \
          --threads "$threads" --script "$tmp/s.script" > "$tmp/run.txt" 2>&1 || echo "  (session failed)"
        unset ratio_to
        cat "$tmp/run.txt"
        # one line per run for the table: size view mode points wall-p95 cpu-p95 words/s cpuwall
        # load first-layout-s last-layout-shown
        awk -v n="$n" -v view="$view" -v mode="$mode" -v ratio="$(cat "$tmp/ratio.txt")" '
          /^umap asked at / { asked = $4 }
          /^layout [0-9]/ { if (first == "" && asked != "") first = sprintf("%.1f", $NF - asked); last = $2 }
          /^trainer/ { wps = $7; sub(/\(/, "", wps) }
          /^frames .* wall/ { pts = $4 }
          /^marked frames .* wall/ { wall = $9 }
          /^marked frames .* cpu/ { cpu = $9 }
          END { split(ratio, q, " "); if (wall != "")
                  print n, view, mode, pts, wall, cpu, wps, q[2], q[4], first == "" ? "-" : first,
                        last == "" ? "-" : last }' "$tmp/run.txt" >> "$results"
      done
    done
  done
  [ "${ALONE:-1}" = 0 ] && continue
  iter=$(( n >= 1000000 ? 2 : 20 )) # 24M words or more: a steady words/s in under a minute
  timed "$bin" train -train "$corpus" -output "$tmp/v.txt" -size 50 -iter "$iter" -threads "$threads" \
    > "$tmp/train.log" 2>&1
  grep -E "^Trained" "$tmp/train.log" | sed 's/^/alone: /'
done
echo
echo "load after: $(uptime | sed 's/.*load average/load average/')"
echo "medians (min-max) over $rounds round(s); * = a run with CPU/wall under 1.75 (disturbed)"
echo
echo "| points | view | mode | runs | wall p95 ms | UI CPU p95 ms | trainer words/s | CPU/wall | load before | first layout s | layout at the end |"
echo "|---:|---|---|---:|---|---|---|---|---|---|---|"
# med LIST: "median (min-max)" of space-separated numbers
awk '
  function med(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n == 1 ? a[1] : sprintf("%s (%s-%s)", a[int((n + 1) / 2)], a[1], a[n])
  }
  { k = $1 " " $2 " " $3; if (!(k in runs)) order[++nk] = k
    runs[k]++; pts[k] = $4; wall[k] = wall[k] " " $5; cpu[k] = cpu[k] " " $6
    wps[k] = wps[k] " " $7; rat[k] = rat[k] " " $8; load[k] = load[k] " " $9
    if ($10 != "-") first[k] = first[k] " " $10
    lastl[k] = lastl[k] (lastl[k] == "" ? "" : ",") $11
    if ($8 + 0 < 1.75) bad[k] = "*" }
  END { for (i = 1; i <= nk; i++) { k = order[i]; split(k, f, " ")
          printf "| %s | %s | %s | %d | %s | %s | %s | %s%s | %s | %s | %s |\n", pts[k], f[2], f[3], runs[k],
                 med(wall[k]), med(cpu[k]), med(wps[k]), med(rat[k]), bad[k], med(load[k]),
                 first[k] == "" ? "-" : med(first[k]), lastl[k] } }' "$results"
