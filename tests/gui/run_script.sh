#!/bin/bash
# Runs one scripted session in the real window and fails on a non-zero exit (a sanitizer
# report exits non-zero too). usage: run_script.sh EMBEDSCOPE OUTDIR SRCDIR NAME.script
# (@OUT@ in the script is OUTDIR)
set -u
bin=$1 out=$2 src=$3 name=$4
rm -rf "$out" && mkdir -p "$out" || exit 1
sed "s|@OUT@|$out|g" "$src/$name" > "$out/$name" || exit 1
start=$(date +%s)
"$bin" --stats --script "$out/$name" || { echo "FAIL: $name exited with $?"; exit 1; }
echo "PASS: $name in $(( $(date +%s) - start )) s"
