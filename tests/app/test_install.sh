#!/usr/bin/env bash
# `cmake --install` into a temporary prefix (no root needed), then the installed tree used as a
# user would: from /, so nothing may come from the source or build folder. Checks the files,
# the desktop entry (desktop-file-validate, when installed), the man page (man -l, when
# installed), builds docs/example_query.c and docs/example_train.c against the installed library
# with pkg-config (the second trains on a small corpus, saves, loads back and queries), and
# removes the prefix.
#   test_install.sh BUILD_DIR SOURCE_DIR   (EXAMPLE_CFLAGS: a sanitizer build's -fsanitize=...)
set -euo pipefail
build=$1
src=$2
prefix=$(mktemp -d "${TMPDIR:-/tmp}/embedscope-install-XXXXXX")
trap 'rm -rf "$prefix"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

cmake --install "$build" --prefix "$prefix" >"$prefix/install.log" ||
    { cat "$prefix/install.log" >&2; echo "FAIL: cmake --install" >&2; exit 1; }

for f in bin/embedscope share/applications/embedscope.desktop \
         share/icons/hicolor/scalable/apps/embedscope.svg share/man/man1/embedscope.1 \
         lib/libembedscope_model.a lib/pkgconfig/embedscope-model.pc \
         include/embedscope/model/base/err.h include/embedscope/model/files/vecfile.h \
         include/embedscope/model/vectors/knn.h include/embedscope/model/train/train.h; do
    [ -s "$prefix/$f" ] || fail "$f is not installed"
done
[ -x "$prefix/bin/embedscope" ] || fail "bin/embedscope is not executable"

cd /
version=$("$prefix/bin/embedscope" --version) || fail "--version exits $?"
[[ $version =~ ^embedscope\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed '$version'"

out=$prefix/out.vec
"$prefix/bin/embedscope" train -train @world -iter 1 -size 16 -threads 2 -debug 0 -output "$out" ||
    fail "train from / exits $?"
read -r rows dim <"$out" || true
[ "${dim:-}" = 16 ] && [ "${rows:-0}" -gt 100 ] || fail "train wrote a header '${rows:-} ${dim:-}'"
"$prefix/bin/embedscope" neighbours "$out" king -k 3 >/dev/null || fail "neighbours on it exits $?"

# The window too, headless: one snapshot of the demo world, then quit.
if SDL_VIDEODRIVER=dummy "$prefix/bin/embedscope" --script - >"$prefix/gui.log" 2>&1 \
       <<<$'wait_snapshots 1 30\nquit'; then :; else
    cat "$prefix/gui.log" >&2
    fail "the window from / exits with an error"
fi

if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$prefix/share/applications/embedscope.desktop" ||
        fail "desktop-file-validate"
else
    echo "skip: desktop-file-validate not installed (desktop-file-utils)"
fi
grep -qx 'Exec=embedscope' "$prefix/share/applications/embedscope.desktop" || fail "Exec line"
grep -qx 'Icon=embedscope' "$prefix/share/applications/embedscope.desktop" || fail "Icon line"
grep -q '<svg' "$prefix/share/icons/hicolor/scalable/apps/embedscope.svg" || fail "icon is no SVG"

if command -v man >/dev/null; then
    page=$prefix/share/man/man1/embedscope.1
    if ! LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" >"$prefix/man.txt" \
            2>"$prefix/man.err" || [ -s "$prefix/man.err" ]; then
        cat "$prefix/man.err" >&2
        fail "man -l renders the page with warnings or errors"
    fi
    for want in NAME SYNOPSIS COMMANDS "WINDOW OPTIONS" "TRAIN OPTIONS" KEYS "training curves"; do
        grep -q "$want" "$prefix/man.txt" || fail "the man page lacks '$want'"
    done
else
    echo "skip: man not installed"
fi

# C programs of one's own over the installed library, built from / with pkg-config only.
pcdir=$(dirname "$(find "$prefix" -name embedscope-model.pc | head -1)")
build_example() { # build_example NAME: docs/NAME.c -> $prefix/NAME
    local flags
    flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs embedscope-model) &&
        cc -std=c11 -Wall -Wextra -Werror ${EXAMPLE_CFLAGS:-} "$src/docs/$1.c" $flags -o "$prefix/$1" ||
        { fail "docs/$1.c does not build against the installed tree"; return 1; }
}
if command -v pkg-config >/dev/null && command -v cc >/dev/null; then
    if build_example example_query; then
        got=$("$prefix/example_query" "$out" king) || fail "example_query exits $?"
        [[ $got =~ ^king:\ [^\ ]+\ [0-9.-]+ ]] || fail "example_query printed '$got'"
    fi
    if build_example example_train; then
        # 10000 sentences of @world (150k words), one epoch at 16 dimensions: 0.1 s here, about
        # 5 s of CPU under TSan (all of @world takes 90 s there; tests/app/test_deb.sh trains on it)
        ex=$prefix/example.vec
        "$prefix/bin/embedscope" world --dump 10000 >"$prefix/corpus.txt" || fail "world --dump exits $?"
        got=$("$prefix/example_train" -iter 1 -size 16 -threads 2 "$prefix/corpus.txt" "$ex") ||
            fail "example_train exits $?"
        read -r rows dim <"$ex" || true
        grep -qx "saved ${rows:-x} words x 16 dimensions to $ex" <<<"$got" ||
            fail "example_train's file header '${rows:-} ${dim:-}' is not what it said it saved: '$got'"
        grep -qx "loaded ${rows:-x} words x 16 dimensions from $ex" <<<"$got" ||
            fail "example_train did not load back what it saved: '$got'"
        # its neighbours of king on the file it wrote are the command line's
        mine=$(sed -n 's/^king: //p' <<<"$got" | awk '{ for (i = 1; i <= NF; i += 2) print $i }')
        cli=$("$prefix/bin/embedscope" neighbours "$ex" king -k 5 | awk 'NR > 1 { print $2 }')
        [ -n "$mine" ] && [ "$mine" = "$cli" ] ||
            fail "example_train's neighbours of king '${mine//$'\n'/ }' differ from embedscope neighbours' '${cli//$'\n'/ }'"
        # too little text to learn queen (test_deb.sh checks that on all of @world): only the form
        grep -qE '^man : king :: woman : [^ ]+ [0-9.-]+$' <<<"$got" ||
            fail "example_train's analogy line: '$(grep ' :: ' <<<"$got")'"
        "$prefix/example_train" -iter 0 @world "$ex" 2>"$prefix/ex.err" && fail "example_train -iter 0 exits 0"
        grep -q "bad value for -iter" "$prefix/ex.err" || fail "example_train -iter 0 said '$(cat "$prefix/ex.err")'"
    fi
else
    echo "skip: pkg-config or cc not installed"
fi

echo "test_install: $fails failed"
exit $((fails > 0))
