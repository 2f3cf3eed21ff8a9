#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs what embedscope needs (apt-get),
# builds, then runs the app or a test suite.
#   ./dev.sh run [APP ARGS]  Release build, then the explorer window on the built-in demo world
#   ./dev.sh test            Release build, then the whole CTest suite (every label)
#   ./dev.sh install [PREFIX] Release build, then cmake --install to PREFIX (/usr/local): bin/,
#                            the desktop entry, icon and man page under share/
#   ./dev.sh asan | tsan     the same suite built with ASan+UBSan / ThreadSanitizer
#   ./dev.sh deps            only install the packages
#   ./dev.sh fuzz [ARGS]     installs clang, then tests/fuzz/run.sh ARGS (e.g. --smoke 20)
# EMBEDSCOPE_WERROR=ON turns warnings into errors (CI sets it).
set -euo pipefail
cd "$(dirname "$0")"

PKGS="build-essential cmake pkg-config zlib1g-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
libcglm-dev libfontconfig-dev fonts-dejavu-core xvfb xauth xdotool imagemagick python3 python3-gensim python3-torch fasttext
desktop-file-utils"

deps() {
    local missing=()
    for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "dev.sh: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() { # build DIR [cmake args...]
    local dir=$1; shift
    cmake -S . -B "$dir" -DEMBEDSCOPE_WERROR="${EMBEDSCOPE_WERROR:-OFF}" "$@" >/dev/null
    cmake --build "$dir" -j "$(nproc)"
}

suite() { # suite DIR [ctest args...]
    local dir=$1; shift
    (cd "$dir" && ctest --output-on-failure -j "$(nproc)" "$@")
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
deps) deps ;;
run)
    deps
    build build -DCMAKE_BUILD_TYPE=Release
    exec ./build/embedscope "$@"
    ;;
test)
    deps
    build build -DCMAKE_BUILD_TYPE=Release
    suite build "$@"
    ;;
install)
    deps
    build build -DCMAKE_BUILD_TYPE=Release
    prefix=${1:-/usr/local}
    sudo=""
    if [ "$(id -u)" -ne 0 ] && ! { mkdir -p "$prefix" 2>/dev/null && [ -w "$prefix" ]; }; then
        sudo="sudo"
    fi
    $sudo cmake --install build --prefix "$prefix"
    ;;
asan)
    deps
    build build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMBEDSCOPE_SANITIZE=asan
    suite build-asan "$@"
    ;;
tsan)
    deps
    build build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMBEDSCOPE_SANITIZE=tsan
    suite build-tsan "$@"
    ;;
fuzz)
    deps
    PKGS="clang libclang-rt-14-dev" deps
    exec tests/fuzz/run.sh "$@"
    ;;
*) echo "usage: ./dev.sh run|test|install [PREFIX]|asan|tsan|deps|fuzz" >&2; exit 2 ;;
esac
