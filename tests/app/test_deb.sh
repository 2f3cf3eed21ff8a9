#!/usr/bin/env bash
# The Debian packages as a user gets them: built by `./dev.sh deb` (lintian with no error) or
# taken from DIR, installed with dpkg -i, used from / (--version, train on @world, neighbours,
# the window headless, the man page, the desktop entry), the packaged example_train.c built
# with pkg-config against libembedscope-model-dev, then removed and purged, every file checked
# gone. Also: debian/control's Build-Depends are packages dev.sh installs. Needs root (dpkg);
# not a CTest for that reason: .ci/run runs it.
#   tests/app/test_deb.sh [DIR]   (DIR holds embedscope_*.deb and libembedscope-model-dev_*.deb)
set -uo pipefail
start=$(date +%s)
src=$(cd "$(dirname "$0")/../.." && pwd)
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
if [ "$(id -u)" -ne 0 ]; then
    echo "test_deb: needs root for dpkg -i (sudo $0)" >&2
    exit 1
fi
pkgs="embedscope libembedscope-model-dev"
for p in $pkgs; do
    if dpkg -s "$p" >/dev/null 2>&1; then
        echo "test_deb: $p is installed already; remove it first (dpkg --purge $p), this test purges it" >&2
        exit 1
    fi
done
if other=$(command -v embedscope); then
    echo "test_deb: $other would shadow the package's /usr/bin/embedscope; remove it first" >&2
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/embedscope-deb-XXXXXX")
installed=0
cleanup() {
    [ $installed = 1 ] && dpkg --purge $pkgs >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

# Build-Depends (without versions and :any) come from dev.sh's PKGS, so ./dev.sh deps suffices.
have=$(sed -n '/^PKGS="/,/"$/p' "$src/dev.sh" | tr -d '"' | sed 's/^PKGS=//' | tr ' ' '\n')
want=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$src/debian/control" | sed 's/^Build-Depends://' |
       grep -v '^[A-Z]' | tr ',' '\n' | sed -E 's/\(.*\)//; s/:any//; s/[[:space:]]//g' | grep .)
for p in $want; do
    [ "$p" = debhelper-compat ] || grep -qx -e "$p" <<<"$have" ||
        fail "Build-Depends $p is not in dev.sh's PKGS"
done

ver=$(sed -n 's/^project(embedscope VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
arch=$(dpkg --print-architecture)
if [ $# -ge 1 ]; then
    dir=$(cd "$1" && pwd)
    if command -v lintian >/dev/null; then
        lintian --fail-on error "$dir"/*_"${ver}"_"$arch".deb || fail "lintian reports errors"
    fi
else
    dir=$src/build-deb
    (cd "$src" && ./dev.sh deb) >"$tmp/deb.log" 2>&1 ||
        { tail -40 "$tmp/deb.log" >&2; echo "FAIL: ./dev.sh deb (lintian included)" >&2; exit 1; }
    grep -E '^[EWIX]: ' "$tmp/deb.log" || true  # lintian's words, if any
fi
debs=()
for p in $pkgs; do
    f=$dir/${p}_${ver}_$arch.deb
    [ -s "$f" ] || { echo "FAIL: no $f" >&2; exit 1; }
    debs+=("$f")
done
echo "test_deb: packages ready after $(( $(date +%s) - start )) s"

dpkg -i "${debs[@]}" >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; echo "FAIL: dpkg -i" >&2; exit 1; }
installed=1
for p in $pkgs; do
    dpkg-query -W -f '${Status}\n' "$p" | grep -qx 'install ok installed' || fail "$p is not installed"
    dpkg -L "$p" | while IFS= read -r f; do [ -d "$f" ] || echo "$f"; done >>"$tmp/files.txt"
done

cd /
[ "$(command -v embedscope)" = /usr/bin/embedscope ] || fail "embedscope on PATH is '$(command -v embedscope)'"
got=$(embedscope --version) || fail "embedscope --version exits $?"
[ "$got" = "embedscope $ver" ] || fail "embedscope --version printed '$got', want 'embedscope $ver'"
vec=$tmp/w.vec
embedscope train -train @world -iter 1 -size 16 -threads 2 -debug 0 -output "$vec" ||
    fail "embedscope train -train @world exits $?"
read -r rows dim <"$vec" || true
[ "${dim:-}" = 16 ] && [ "${rows:-0}" -gt 100 ] || fail "train wrote a header '${rows:-} ${dim:-}'"
got=$(embedscope neighbours "$vec" king -k 3) || fail "embedscope neighbours exits $?"
[ "$(grep -c '^ *[0-9]  ' <<<"$got")" = 3 ] || fail "neighbours printed '$got'"
# the window headless: the packaged binary finds a font through its Depends
SDL_VIDEODRIVER=dummy embedscope --script - >"$tmp/gui.log" 2>&1 <<<$'wait_snapshots 1 30\nquit' ||
    { cat "$tmp/gui.log" >&2; fail "the window exits with an error"; }

page=$(man -w embedscope 2>/dev/null) || page=""
[ "$page" = /usr/share/man/man1/embedscope.1.gz ] || fail "man -w embedscope says '$page'"
if [ -n "$page" ] && { ! LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" >"$tmp/man.txt" \
        2>"$tmp/man.err" || [ -s "$tmp/man.err" ]; }; then
    cat "$tmp/man.err" >&2
    fail "the installed man page renders with warnings"
fi
desktop-file-validate /usr/share/applications/embedscope.desktop || fail "desktop-file-validate"
[ -s /usr/share/icons/hicolor/scalable/apps/embedscope.svg ] || fail "no icon"

# The packaged example, built with the system's pkg-config only (no PKG_CONFIG_PATH).
ex=/usr/share/doc/libembedscope-model-dev/examples/example_train.c
if flags=$(pkg-config --cflags --libs embedscope-model) &&
   cc -std=c11 -Wall -Wextra -Werror "$ex" $flags -o "$tmp/example_train"; then
    got=$("$tmp/example_train" -iter 1 -size 16 -threads 2 @world "$tmp/ex.vec") ||
        fail "example_train exits $?"
    grep -qE '^king: [^ ]+ [0-9.-]+' <<<"$got" || fail "example_train printed '$got'"
    # one epoch of @world at 16 dimensions answers queen, about 0.05 in cosine above the next
    grep -qE '^man : king :: woman : queen ' <<<"$got" || fail "example_train's analogy: '$got'"
else
    fail "$ex does not build with pkg-config embedscope-model"
fi
[ "$(pkg-config --modversion embedscope-model)" = "$ver" ] || fail "pkg-config --modversion"

cd "$src"
dpkg -r $pkgs >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg -r"; }
dpkg --purge $pkgs >>"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log" >&2; fail "dpkg --purge"; }
installed=0
for p in $pkgs; do
    dpkg -s "$p" >/dev/null 2>&1 && fail "$p is still known to dpkg after --purge"
done
left=$(while IFS= read -r f; do [ -e "$f" ] && echo "$f"; done <"$tmp/files.txt")
[ -z "$left" ] || fail "files left after dpkg --purge: $left"
[ -s "$tmp/files.txt" ] || fail "the packages listed no files"
hash -r
command -v embedscope >/dev/null && fail "embedscope is still on PATH"

echo "test_deb: $(wc -l <"$tmp/files.txt") files installed and removed; $fails failed in $(( $(date +%s) - start )) s"
exit $((fails > 0))
