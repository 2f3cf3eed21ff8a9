#!/bin/bash
# Script and option errors are reported naming the line / flag, with a non-zero exit code.
# usage: run_errors.sh EMBEDSCOPE OUTDIR SRCDIR
set -u
bin=$1 out=$2
rm -rf "$out" && mkdir -p "$out" || exit 1
fails=0
expect() { # expect NAME EXIT_CODE PATTERN -- command...
  local name=$1 code=$2 pat=$3; shift 4
  "$@" > "$out/$name.out" 2>&1
  local rc=$?
  if [ "$rc" != "$code" ] || { [ -n "$pat" ] && ! grep -q -- "$pat" "$out/$name.out"; }; then
    echo "FAIL: $name: exit $rc (want $code), output:"; cat "$out/$name.out"; fails=$((fails+1))
  else
    echo "ok: $name"
  fi
}
printf 'wait_frames 1\n\n# comment\nfrobnicate 3\n' > "$out/unknown.script"
expect unknown_command 1 "unknown.script:4: unknown command 'frobnicate'" -- "$bin" --script "$out/unknown.script"
printf 'wait_frames 1\nwheel lots\n' > "$out/badarg.script"
expect bad_argument 1 "badarg.script:2: bad arguments for wheel" -- "$bin" --script "$out/badarg.script"
printf 'key hyperspace\n' > "$out/badkey.script"
expect bad_key 1 "badkey.script:1: unknown key 'hyperspace'" -- "$bin" --script "$out/badkey.script"
printf 'wait_snapshots 1 300\nassert_panel no-such-text-anywhere\nquit\n' > "$out/assert.script"
expect failed_assert 1 "assert.script:2: assert_panel: 'no-such-text-anywhere' is not in the panels" -- "$bin" --script "$out/assert.script"
expect missing_script 1 "nope.script: cannot open script" -- "$bin" --script "$out/nope.script"
printf 'quit\n' > "$out/quit.script"
expect missing_font 1 "no-such-font.ttf: cannot open font" -- "$bin" --font "$out/no-such-font.ttf" --script "$out/quit.script"
printf '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n' > "$out/empty-fonts.conf"
FONTCONFIG_FILE="$out/empty-fonts.conf" expect no_font_found 1 "no TrueType font found: fontconfig searched for 'DejaVu Sans'" -- "$bin" --script "$out/quit.script"
mono=/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
if [ -f "$mono" ]; then
  printf 'wait_snapshots 1 300\nscreenshot %s/mono.png\nquit\n' "$out" > "$out/mono.script"
  expect font_override 0 "" -- "$bin" --font "$mono" --script "$out/mono.script"
fi
expect bad_size 2 "bad value for --size" -- "$bin" --size 10x10
expect unknown_option 2 "unknown option '--frobnicate'" -- "$bin" --frobnicate 1
[ "$fails" = 0 ] && echo "PASS: errors" || { echo "FAIL: $fails error checks"; exit 1; }
