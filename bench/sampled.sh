#!/bin/bash
# Sampled cold start benchmark (issue #14: a first UMAP of a million words within a minute;
# model/layout/sampled.h). Not a test. Two parts, each timed by /usr/bin/time -v, alternating
# runs ROUNDS times, medians (min-max) in Markdown tables with the load before each run:
#
# 1. Quality on VECTORS (default: the benchmark corpus trained once with -min-count 2, 123,451
#    words x 100, into the workdir), 2 threads, all with 100 epochs (the window's): the full
#    UMAP (`embedscope layout --epochs 100`), the sampled layout (`--sample S`), the sampled
#    layout refined as the window's second layout (`--refine-epochs 33`), and umap-learn's own
#    sample-then-place (bench/umap_sampled.py: fit on the same rule's sample, transform the
#    rest; PEER=0 skips it). Every layout is measured by `embedscope layout --json` or
#    `--score`: 10-NN preservation and trustworthiness on 1,000 sampled words.
# 2. Time to the placed layout of a million words: bench/frames.sh's synthetic corpus of
#    1,000,000 distinct words trained 2 epochs (50 dimensions, 987,933 words kept), then
#    `layout --sample S --epochs 100` on 1 thread (what the window's analysis thread has) and
#    on 2; the seconds from the end of loading to "placing 100%" on stderr.
#
# A 2-thread run with CPU/wall under 1.75 had something else on the cores (flagged *).
# usage: [ROUNDS=3] [SAMPLE=50000] [PEER=1] [PARTS="1 2"] [WORKDIR=/tmp/embedscope-bench-sampled]
#        bench/sampled.sh BUILD/embedscope [VECTORS]
set -eu
bin=$(readlink -f "$1")
vec=${2:-}
rounds=${ROUNDS:-3}
sample=${SAMPLE:-50000}
peer=${PEER:-1}
parts=${PARTS:-1 2}
work=${WORKDIR:-/tmp/embedscope-bench-sampled}
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
mkdir -p "$work"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $(date -u '+%F %H:%M UTC')"
echo "load: $(uptime | sed 's/.*load average/load average/')"
if [ -z "$vec" ]; then
  vec=$work/mc2.txt
  [ -s "$vec" ] || "$bin" train -train /work/corpus/bench.txt -output "$vec" -size 100 -window 5 \
    -negative 5 -sample 1e-4 -min-count 2 -iter 3 -threads 2 -debug 0
fi
# timed NAME CMD...: runs CMD under /usr/bin/time -v; appends "NAME wall cpu rss load" to
# $work/times.txt and leaves CMD's stdout in $work/NAME.out, its stderr in $work/NAME.err
timed() {
  local name=$1 load
  shift
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$work/time.txt" "$@" > "$work/$name.out" 2> "$work/$name.err"
  awk -v n="$name" -v l="$load" '/Elapsed/ { split($NF, t, ":"); w = t[1] * 60 + t[2]; if (length(t) == 3) w = t[1] * 3600 + t[2] * 60 + t[3] }
    /User time/ { u = $NF } /System time/ { s = $NF } /Maximum resident/ { r = $NF }
    END { printf "%s %.2f %.2f %.0f %s\n", n, w, u + s, r / 1024, l }' "$work/time.txt" >> "$work/times.txt"
}
# json FILE KEY: the number after "KEY": in FILE (the first one)
json() { grep -o "\"$2\": [0-9.e+-]*" "$1" | head -1 | sed 's/.*: //'; }
# table: medians (min-max) of $work/rows.txt's columns per name, in first-seen order
table() {
  awk -v hdr="$1" '
    function med(s,   a, n, i, j, t) {
      n = split(s, a, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n == 1 ? a[1] : sprintf("%s (%s-%s)", a[int((n + 1) / 2)], a[1], a[n])
    }
    { if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 }
      for (c = 2; c <= NF; c++) v[$1, c] = v[$1, c] " " $c; nf = NF; runs[$1]++
      if ($NF == "2t" && $3 / $2 < 1.75) bad[$1] = "*" }
    END { print hdr; h = hdr; gsub(/[^|]+/, "---", h); print h
          for (i = 1; i <= k; i++) { n = order[i]; line = "| " n bad[n] " | " runs[n]
            for (c = 2; c < nf; c++) line = line " | " med(v[n, c]); print line " |" } }' "$work/rows.txt"
}

if [[ " $parts " == *" 1 "* ]]; then
  : > "$work/rows.txt"
  echo
  echo "part 1: $vec ($(head -1 "$vec")), sample $sample, 2 threads, $rounds round(s)"
  for r in $(seq 1 "$rounds"); do
    for m in full sampled refined umap-learn; do
      [ "$m" = umap-learn ] && [ "$peer" = 0 ] && continue
      : > "$work/times.txt"
      out=$work/$m.tsv
      case $m in
        full) timed $m "$bin" layout "$vec" --output "$out" --epochs 100 --threads 2 --json ;;
        sampled) timed $m "$bin" layout "$vec" --output "$out" --epochs 100 --sample "$sample" --threads 2 --json ;;
        refined) timed $m "$bin" layout "$vec" --output "$out" --epochs 100 --sample "$sample" \
                   --refine-epochs 33 --threads 2 --json ;;
        umap-learn) NUMBA_NUM_THREADS=2 timed $m "$py" "$here/umap_sampled.py" "$vec" "$out" --sample "$sample" --epochs 100
                    "$bin" layout "$vec" --score "$out" --json > "$work/$m.out" 2>/dev/null ;;
      esac
      read -r _ wall cpu rss load < "$work/times.txt"
      # the layout's own seconds: graph + layout for ours (load and quality left out), fit +
      # transform for umap-learn
      if [ "$m" = umap-learn ]; then
        secs=$(sed -n 's/.*fit \([0-9.]*\) s, transform \([0-9.]*\) s.*/\1 \2/p' "$work/$m.err" | awk '{ print $1 + $2 }')
      else
        secs=$(awk -v g="$(json "$work/$m.out" graph)" -v l="$(json "$work/$m.out" layout)" 'BEGIN { print g + l }')
      fi
      echo "  $m round $r: wall $wall s, cpu $cpu s, layout $secs s, rss $rss MB, load before $load," \
           "preservation $(json "$work/$m.out" preservation), trustworthiness $(json "$work/$m.out" trustworthiness)"
      echo "$m $wall $cpu $secs $rss $(json "$work/$m.out" preservation) $(json "$work/$m.out" trustworthiness) $load 2t" >> "$work/rows.txt"
    done
  done
  echo
  table "| layout | runs | wall s | CPU s | layout s | RSS MB | 10-NN preservation | trustworthiness | load before |"
fi

if [[ " $parts " == *" 2 "* ]]; then
  big=$work/v1m.txt
  if [ ! -s "$big" ]; then
    n=1000000 # bench/frames.sh's corpus: about 12 occurrences per word, sentences of 10 neighbours
    awk -v n="$n" 'BEGIN { srand(1); for (s = 0; s < n * 12 / 10; s++) { b = int(rand() * n);
        line = ""; for (k = 0; k < 10; k++) line = line (k ? " " : "") "w" ((b + int(rand() * 50)) % n);
        print line } }' > "$work/c1m.txt"
    "$bin" train -train "$work/c1m.txt" -output "$big" -size 50 -iter 2 -threads 2 -debug 0
  fi
  : > "$work/rows.txt"
  echo
  echo "part 2: $big ($(head -1 "$big")), sample $sample, $rounds round(s)"
  for r in $(seq 1 "$rounds"); do
    for t in 1 2; do
      : > "$work/times.txt"
      # stderr's progress lines stamped with the monotonic time as they come
      timed "t$t" bash -c '"$0" layout "$1" --output "$2" --sample "$3" --epochs 100 --threads "$4" 2>&1 >/dev/null |
        while IFS= read -r l; do read -r up _ < /proc/uptime; echo "$up $l"; done' \
        "$bin" "$big" "$work/big.tsv" "$sample" "$t"
      read -r _ wall cpu rss load < "$work/times.txt"
      placed=$(awk '/graph 0%/ && !a { a = $1 } /placing .* 100%/ { b = $1 } END { printf "%.1f", b - a }' "$work/t$t.out")
      echo "  $t thread(s) round $r: wall $wall s, cpu $cpu s, rss $rss MB, load before $load, loaded to placed $placed s"
      echo "${t}-thread $wall $cpu $placed $rss $load ${t}t" >> "$work/rows.txt"
    done
  done
  echo
  table "| threads | runs | wall s (load, layout, write) | CPU s | loaded to placed s | RSS MB | load before |"
fi
echo
echo "load after: $(uptime | sed 's/.*load average/load average/')"
