#!/bin/bash
# Training benchmark: embedscope vs fastText (word-level) vs gensim, same hyperparameters, same
# corpus, alternating runs, each timed by /usr/bin/time -v; then every model is evaluated with
# `embedscope eval` and one table is printed (see bench/README.md, "Training", for each column).
#
# usage: bench/train.sh CORPUS [--model sg|cbow] [--runs N] [--threads T] [options]
#   --tools LIST        comma list of ours,fasttext,gensim,gensim-file (default: all four;
#                       gensim-file is gensim reading with corpus_file=, gensim a LineSentence)
#   --ours LABEL:ARGS   an embedscope variant with extra train flags, e.g. --ours 'perpair:-batch 0';
#                       repeatable; default one variant "embedscope" with no extra flags
#   --ours-bin LABEL=PATH:ARGS  the same with another embedscope binary (a before/after pair
#                       in one alternation: --ours-bin 'before=/tmp/old/embedscope:')
#   --alpha A           the starting learning rate given to every tool (default: 0.025 sg, 0.05
#                       cbow, word2vec.c's; see bench/README.md on gensim corpus_file's schedule)
#   --max-reruns K      reruns of a run whose CPU/wall is below 0.875*T while other processes
#                       kept >= 0.1 core busy (default 3)
#   --gensim-corpus-file  the gensim entry, too, reads with corpus_file=
#   --crosscheck        also evaluate every model with gensim's own evaluate_word_analogies
#   --no-eval           time only
#   --wait-quiet S      before each timed run, wait up to S seconds for the other processes on
#                       the machine to use less than 0.25 cores (default 0: do not wait)
#   --workdir DIR       where models and logs go (default: a new /tmp/embedscope-bench.XXXX);
#                       if DIR already holds runs of the same model, new runs are added to them
#                       and the table covers all (so sg and cbow rounds can be interleaved)
#   --first-run K       number the new runs from K (default: after the workdir's last run)
# env: EMBEDSCOPE=path (default build/embedscope in the repo), FASTTEXT=path, PYTHON=path
set -euo pipefail
# The whole script is one brace group, so bash parses all of it before running: editing this file
# while a long benchmark runs cannot change what the running instance executes next.
{

usage() { sed -n '6,26p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "train.sh: $*" >&2; exit 1; }

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DATA=$(cd "$ROOT/../shared/data" 2>/dev/null && pwd || true)
EMBEDSCOPE=${EMBEDSCOPE:-$ROOT/build/embedscope}
FASTTEXT=${FASTTEXT:-fasttext}
PYTHON=${PYTHON:-/usr/bin/python3}   # Debian's python3-gensim lives in the system python

[ $# -ge 1 ] || usage
case $1 in -h|--help) usage ;; esac
CORPUS=$1; shift
ALPHA="" MODEL=sg RUNS=3 THREADS=2 TOOLS=ours,fasttext,gensim,gensim-file MAX_RERUNS=3 WORKDIR="" EVAL=1 CROSS=0 WAIT_QUIET=0 FIRST_RUN=""
GENSIM_FILE=0
OURS=()
while [ $# -gt 0 ]; do
  case $1 in
    --model) MODEL=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --threads) THREADS=${2:?}; shift 2 ;;
    --tools) TOOLS=${2:?}; shift 2 ;;
    --ours) OURS+=("${2:?}"); shift 2 ;;
    --ours-bin) v=${2:?}; [[ $v == *=*:* ]] || die "--ours-bin wants LABEL=PATH:ARGS, not '$v'"
      [ -x "${v#*=}" ] || [ -x "$(cut -d: -f1 <<<"${v#*=}")" ] || die "--ours-bin: no executable in '$v'"
      OURS+=("$v"); shift 2 ;;
    --max-reruns) MAX_RERUNS=${2:?}; shift 2 ;;
    --alpha) ALPHA=${2:?}; shift 2 ;;
    --workdir) WORKDIR=${2:?}; shift 2 ;;
    --gensim-corpus-file) GENSIM_FILE=1; shift ;;
    --crosscheck) CROSS=1; shift ;;
    --no-eval) EVAL=0; shift ;;
    --wait-quiet) WAIT_QUIET=${2:?}; shift 2 ;;
    --first-run) FIRST_RUN=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "train.sh: unknown option '$1'" >&2; usage ;;
  esac
done
case $MODEL in sg) CBOW=0 FT_CMD=skipgram LR=0.025 ;; cbow) CBOW=1 FT_CMD=cbow LR=0.05 ;;
  *) die "--model must be sg or cbow, not '$MODEL'" ;; esac
if [ -n "$ALPHA" ]; then
  [[ $ALPHA =~ ^0?\.[0-9]+$ ]] || die "--alpha must be a number between 0 and 1, not '$ALPHA'"
  LR=$ALPHA
fi
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$RUNS'"
[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer, not '$THREADS'"
[[ $MAX_RERUNS =~ ^[0-9]+$ ]] || die "--max-reruns must be an integer >= 0, not '$MAX_RERUNS'"
[[ -z $FIRST_RUN || $FIRST_RUN =~ ^[1-9][0-9]*$ ]] || die "--first-run must be a positive integer"
[[ $WAIT_QUIET =~ ^[0-9]+$ ]] || die "--wait-quiet must be seconds >= 0, not '$WAIT_QUIET'"
[ -f "$CORPUS" ] && [ -r "$CORPUS" ] || die "$CORPUS: not a readable file"
CORPUS=$(readlink -f "$CORPUS")
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"
[ ${#OURS[@]} -gt 0 ] || OURS=("embedscope:")

# The tool list, expanded: one entry per embedscope variant.
ENTRIES=()
IFS=, read -r -a tool_list <<<"$TOOLS"
for t in "${tool_list[@]}"; do
  case $t in
    ours)
      [ -x "$EMBEDSCOPE" ] || die "$EMBEDSCOPE: not an executable (build it, or set EMBEDSCOPE=path)"
      for v in "${OURS[@]}"; do ENTRIES+=("ours=$v"); done ;;
    fasttext) command -v "$FASTTEXT" >/dev/null || die "fasttext not found (apt-get install fasttext)"
      ENTRIES+=("fasttext=") ;;
    gensim|gensim-file) "$PYTHON" -c 'import gensim' 2>/dev/null || die "$PYTHON cannot import gensim (apt-get install python3-gensim)"
      ENTRIES+=("$t=") ;;
    *) die "unknown tool '$t' in --tools (ours, fasttext, gensim, gensim-file)" ;;
  esac
done
if [ "$EVAL" = 1 ]; then
  [ -x "$EMBEDSCOPE" ] || die "$EMBEDSCOPE: needed for 'embedscope eval' (or pass --no-eval)"
  for f in questions-words.txt wordsim353.tsv simlex999.txt; do
    [ -n "$DATA" ] && [ -f "$DATA/$f" ] || die "evaluation set $f not found in ../shared/data"
  done
fi

[ -n "$WORKDIR" ] || WORKDIR=$(mktemp -d /tmp/embedscope-bench.XXXXXX)
mkdir -p "$WORKDIR"
WORKDIR=$(readlink -f "$WORKDIR")
RUNS_TSV=$WORKDIR/runs.tsv
WORDS=$(wc -w <"$CORPUS")
EPOCHS=3
TICK=$(getconf CLK_TCK)
FIRST=1
if [ -s "$RUNS_TSV" ]; then
  awk -F'\t' -v m="$MODEL" 'NR > 1 && $3 != m { exit 1 }' "$RUNS_TSV" ||
    die "$WORKDIR holds runs of another model: use another --workdir"
  FIRST=${FIRST_RUN:-$(awk -F'\t' 'NR > 1 && $4 > n { n = $4 } END { print n + 1 }' "$RUNS_TSV")}
  echo "adding runs $FIRST..$((FIRST + RUNS - 1)) to $RUNS_TSV" >&2
  echo "more runs: $(date -u '+%Y-%m-%d %H:%M UTC'), runs $FIRST..$((FIRST + RUNS - 1)), embedscope: $EMBEDSCOPE" >>"$WORKDIR/meta.txt"
else
printf 'tool\tlabel\tmodel\trun\tattempt\twall_s\tuser_s\tsys_s\tmaxrss_kb\tcpu_wall\tother_load\taccepted\tvectors\tlog\n' >"$RUNS_TSV"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: nproc $(nproc), $(awk -F': *' '/^model name/ { m = $2 } /^cpu family/ { f = $2 }
    /^model\t/ { n = $2 } /^flags/ { v = ($0 ~ / avx512f /) ? "AVX-512" : ($0 ~ / avx2 /) ? "AVX2" : "no AVX2"
    h = ($0 ~ / hypervisor /) ? ", virtual machine" : ""; exit }
    END { printf "%s (family %s model %s, %s%s)", m, f, n, v, h }' /proc/cpuinfo), $(free -g | awk '/^Mem:/ { print $2 " GB RAM" }')"
  echo "corpus: $CORPUS, $WORDS words (wc -w), $(wc -l <"$CORPUS") lines"
  echo "model: $MODEL, threads $THREADS, epochs $EPOCHS, runs $RUNS"
  [ -x "$EMBEDSCOPE" ] && echo "embedscope: $EMBEDSCOPE"
  echo "fasttext: $(dpkg-query -W -f '${Version}' fasttext 2>/dev/null || echo '?')," \
       "gensim: $("$PYTHON" -c 'import gensim; print(gensim.__version__)' 2>/dev/null || echo '?')"
} >"$WORKDIR/meta.txt"
fi
cat "$WORKDIR/meta.txt" >&2

# Busy jiffies of the whole machine (all cores), from /proc/stat.
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }

# Waits (up to WAIT_QUIET s) until other processes keep less than a quarter of a core busy, so
# that a timed run does not start in the middle of someone else's build.
wait_quiet() {
  [ "$WAIT_QUIET" -gt 0 ] || return 0
  local start=$SECONDS a b load
  while :; do
    a=$(busy_jiffies); sleep 2; b=$(busy_jiffies)
    load=$(awk -v a="$a" -v b="$b" -v t="$TICK" 'BEGIN { printf "%.2f", (b - a) / t / 2 }')
    awk -v l="$load" 'BEGIN { exit !(l < 0.25) }' && return 0
    if [ $((SECONDS - start)) -ge "$WAIT_QUIET" ]; then
      echo "  machine still busy ($load cores) after ${WAIT_QUIET} s; running anyway" >&2
      return 0
    fi
    sleep 8
  done
}

# One timed training. Args: tool label run attempt. Sets LAST_RATIO and appends to runs.tsv.
timed_run() {
  local tool=$1 label=$2 run=$3 attempt=$4 extra=${5:-} bin=${6:-$EMBEDSCOPE}
  local base=$WORKDIR/$label.$MODEL.r$run.a$attempt
  local out cmd=()
  case $tool in
    ours) out=$base.bin
      # shellcheck disable=SC2206  # extra flags are split on purpose
      cmd=("$bin" train -train "$CORPUS" -output "$out" -cbow "$CBOW" -size 100 -window 5
           -negative 5 -hs 0 -sample 1e-4 -min-count 5 -iter "$EPOCHS" -threads "$THREADS" -binary 1 -alpha "$LR" $extra) ;;
    fasttext) out=$base.vec
      cmd=("$FASTTEXT" "$FT_CMD" -input "$CORPUS" -output "$base" -dim 100 -ws 5 -neg 5 -loss ns
           -t 1e-4 -minCount 5 -epoch "$EPOCHS" -thread "$THREADS" -maxn 0 -minn 0 -lr "$LR") ;;
    gensim|gensim-file) out=$base.bin
      cmd=("$PYTHON" "$HERE/gensim_train.py" train "$CORPUS" "$out" --model "$MODEL"
           --threads "$THREADS" --epochs "$EPOCHS" --alpha "$LR")
      # corpus_file= reads the file in C threads, LineSentence in Python: both are measured
      { [ "$tool" = gensim-file ] || [ "$GENSIM_FILE" = 1 ]; } && cmd+=(--corpus-file) ;;
  esac
  echo "+ ${cmd[*]}" >"$base.log"
  local b0 b1 rc=0
  wait_quiet
  b0=$(busy_jiffies)
  /usr/bin/time -v -o "$base.time" "${cmd[@]}" >>"$base.log" 2>&1 || rc=$?
  b1=$(busy_jiffies)
  [ $rc = 0 ] || { tail -5 "$base.log" >&2; die "$label run $run failed (exit $rc); log: $base.log"; }
  [ -s "$out" ] || die "$label run $run wrote no $out; log: $base.log"
  [ "$tool" = fasttext ] && rm -f "$base.bin"    # fastText's own .bin (input+output matrices) is not needed
  # wall = elapsed of the whole process; cpu = user + sys of the process and its children;
  # other_load = cores kept busy by other processes meanwhile (machine busy time - ours) / wall.
  local line
  line=$(awk -v b0="$b0" -v b1="$b1" -v tick="$TICK" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { r = $2 }
    END { c = (w > 0) ? (u + s) / w : 0; o = (w > 0) ? ((b1 - b0) / tick - u - s) / w : 0
          if (o < 0) o = 0
          printf "%.2f\t%.2f\t%.2f\t%d\t%.3f\t%.2f", w, u, s, r, c, o }' "$base.time")
  LAST_RATIO=$(cut -f5 <<<"$line")
  # A low CPU/wall on an otherwise idle machine is the tool's own serial part (gensim's Python
  # vocabulary scan and job producer keep it near 1.6 even alone): rerunning would not change it.
  local ok=1
  awk -v c="$LAST_RATIO" -v o="$(cut -f6 <<<"$line")" -v t="$THREADS" \
    'BEGIN { exit !(c < 0.875 * t && o >= 0.1) }' && ok=0
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$label" "$MODEL" "$run" "$attempt" \
    "$line" "$ok" "$out" "$base.log" >>"$RUNS_TSV"
  echo "  $label run $run attempt $attempt: $(cut -f1 <<<"$line") s wall, CPU/wall $LAST_RATIO," \
       "other load $(cut -f6 <<<"$line"), $(( $(cut -f4 <<<"$line") / 1024 )) MB$([ $ok = 1 ] || echo ' -> contended')" >&2
  LAST_OK=$ok
}

echo "training ($RUNS alternating round(s); CPU/wall threshold $(awk -v t="$THREADS" 'BEGIN{print 0.875*t}'))" >&2
for run in $(seq "$FIRST" $((FIRST + RUNS - 1))); do
  for e in "${ENTRIES[@]}"; do
    tool=${e%%=*} rest=${e#*=} label=$tool extra= bin=$EMBEDSCOPE
    if [ "$tool" = ours ]; then label=${rest%%:*} extra=${rest#*:}; fi
    if [[ $label == *=* ]]; then bin=${label#*=} label=${label%%=*}; fi
    attempt=1
    timed_run "$tool" "$label" "$run" "$attempt" "$extra" "$bin"
    while [ "$LAST_OK" = 0 ] && [ "$attempt" -le "$MAX_RERUNS" ]; do
      attempt=$((attempt + 1))
      timed_run "$tool" "$label" "$run" "$attempt" "$extra" "$bin"
    done
  done
done

# Evaluate the vectors of every accepted run (and of the last attempt where none was accepted).
if [ "$EVAL" = 1 ] || [ "$CROSS" = 1 ]; then
  echo "evaluating" >&2
  # Reruns stop at the first accepted attempt, so the last attempt of each run is the one used.
  tail -n +2 "$RUNS_TSV" | awk -F'\t' '{ last[$2 FS $4] = $13; order[++n] = $2 FS $4 }
    END { for (i = 1; i <= n; i++) if (!(order[i] in done)) { done[order[i]] = 1; print last[order[i]] } }' |
  while read -r vec; do
    [ "$EVAL" = 1 ] && ! [ -s "$vec.simlex.json" ] && {
      "$EMBEDSCOPE" eval analogies "$vec" "$DATA/questions-words.txt" --json >"$vec.analogies.json" 2>"$vec.eval.err" || true
      "$EMBEDSCOPE" eval similarity "$vec" "$DATA/wordsim353.tsv" --json >"$vec.ws353.json" 2>>"$vec.eval.err" || true
      "$EMBEDSCOPE" eval similarity "$vec" "$DATA/simlex999.txt" --json >"$vec.simlex.json" 2>>"$vec.eval.err" || true
      [ -s "$vec.eval.err" ] && { echo "  $vec: eval errors:" >&2; head -3 "$vec.eval.err" >&2; }
    }
    if [ "$CROSS" = 1 ] && ! [ -s "$vec.gensim-eval.json" ]; then
      txt=; case $vec in *.vec) txt=--text ;; esac
      "$PYTHON" "$HERE/gensim_train.py" eval $txt "$vec" "$DATA/questions-words.txt" \
        "$DATA/wordsim353.tsv" "$DATA/simlex999.txt" >"$vec.gensim-eval.json" 2>"$vec.gensim-eval.err" || true
    fi
    true
  done
fi

{ sed 's/^/    /' "$WORKDIR/meta.txt"; echo
  "$PYTHON" "$HERE/train_table.py" "$WORKDIR" "$WORDS" "$EPOCHS" "$THREADS"; } | tee "$WORKDIR/table.md"
echo "models and logs: $WORKDIR" >&2
exit 0
}
