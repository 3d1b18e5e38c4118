#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The one entry point for a fresh Debian 12 machine (see README):
#   .ci/dev.sh run  [FILE]   install what is missing, build, open the workbench
#   .ci/dev.sh test          install what is missing, build, run every test
#   .ci/dev.sh bench         install what is missing, build, run the benchmarks
# As root it installs packages with apt-get; otherwise it prints the exact
# sudo line and stops. Build trees: build/ (release) and build-asan/ (core under
# AddressSanitizer, for the malformed-file corpus), build-fuzz/ (clang, the
# libFuzzer targets of tests/fuzz).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
top=$PWD
mode=${1:-run}
[ $# -gt 0 ] && shift

# libopenmpi-dev: philia-cli's MPI build (meson -Dmpi, on where found).
build_pkgs="meson ninja-build gcc pkg-config libglib2.0-dev libglib2.0-bin libgtk-4-dev
  libigraph-dev libxml2-dev libopenblas-dev zlib1g-dev libcairo2-dev libpango1.0-dev gettext
  libjson-glib-dev desktop-file-utils appstream fonts-dejavu-core yelp-tools itstool
  libopenmpi-dev"
# clang and its runtimes build the libFuzzer targets; llvm-14 symbolises their reports.
# openmpi-bin's mpirun runs the mpi suite (philia-cli across processes).
test_pkgs="xvfb xauth dbus at-spi2-core imagemagick librsvg2-bin poppler-utils
  clang libclang-rt-14-dev llvm-14 xdotool flatpak-builder python3-pyatspi
  openmpi-bin"
bench_pkgs="python3 python3-numpy python3-scipy python3-igraph python3-networkx"

say() { printf '%s\n' "$*" >&2; }

ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    say "Philia needs these Debian packages. Install them, then run this again:"
    say "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
  say "Installing ${missing[*]}"
  apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null || { say "apt-get failed"; exit 1; }
}

configure_and_build() {   # DIR [meson options...]
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null || return 1
  else
    meson setup "$dir" "$@" >/dev/null || return 1
  fi
  meson compile -C "$dir" >/dev/null || meson compile -C "$dir" || return 1
}

# The test builds treat every compiler warning as an error: a warning is seen
# and fixed when it appears, not after it has been scrolled past for a month.
strict=(-Dwerror=true)

# Prints "N passed, N failed, N skipped" over the given meson test logs.
summarise() {
  local ok=0 bad=0 skip=0 log r
  for log in "$@"; do
    [ -f "$log" ] || continue
    while IFS= read -r r; do
      case "$r" in
        OK|EXPECTEDFAIL) ok=$((ok + 1)) ;;
        SKIP) skip=$((skip + 1)) ;;
        *) bad=$((bad + 1)) ;;
      esac
    done < <(sed -n 's/.*"result": *"\([A-Z]*\)".*/\1/p' "$log")
  done
  printf '%d passed, %d failed, %d skipped\n' "$ok" "$bad" "$skip"
}

case "$mode" in
  run)
    ensure_packages $build_pkgs
    configure_and_build build -Dgui=true || exit 1
    export GSETTINGS_SCHEMA_DIR="$top/build/data"
    # The shipped plugins, as built, before the user's and the installed ones.
    export PHILIA_PLUGIN_PATH="$top/build/plugins${PHILIA_PLUGIN_PATH:+:$PHILIA_PLUGIN_PATH}"
    exec "$top/build/src/app/philia" "$@"
    ;;

  test)
    ensure_packages $build_pkgs $test_pkgs
    configure_and_build build -Dgui=true "${strict[@]}" || exit 1
    rm -f build/meson-logs/testlog*.json build-asan/meson-logs/testlog*.json \
      build-fuzz/meson-logs/testlog*.json build-fuzz/tests/fuzz/runs/figures.txt
    export GUI_ARTIFACTS="$top/build/gui-artifacts"
    mkdir -p "$GUI_ARTIFACTS"
    # Every suite (core, cli, render, data validators, UI) under one private
    # Xvfb + D-Bus session.
    timeout -k 10 1800 tests/headless.sh \
      meson test -C build --print-errorlogs --num-processes 2
    rc=$?
    # The readers again under AddressSanitizer + UBSan: every malformed file
    # must give its message without a leak or a crash. An unoptimised
    # sanitizer build trains models several times slower: longer timeouts.
    if configure_and_build build-asan -Dgui=false -Db_sanitize=address,undefined \
         -Db_lundef=false -Dbuildtype=debug "${strict[@]}"; then
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      LSAN_OPTIONS=suppressions="$top/tests/lsan.supp":print_suppressions=0 \
        meson test -C build-asan --suite core --suite cli --print-errorlogs \
          --num-processes 2 --timeout-multiplier 4 || rc=1
    else
      rc=1
    fi
    # Every reader under libFuzzer (tests/fuzz/README.md): each target for
    # $PHILIA_FUZZ_SECONDS (20 s) from the committed seeds, failing on a
    # crash, leak, sanitizer report, out-of-memory or 10 s input. Only the
    # targets are built: the rest of the tree is tested above.
    fuzzers=$(cd tests/fuzz && ls fuzz-*.c | sed 's/\.c$//')
    if { { [ -f build-fuzz/build.ninja ] &&
             meson configure build-fuzz "${strict[@]}" >/dev/null; } ||
           CC=clang meson setup build-fuzz -Dgui=false -Dfuzz=true \
             -Db_sanitize=address,undefined -Db_lundef=false "${strict[@]}" >/dev/null; } &&
       { meson compile -C build-fuzz $fuzzers >/dev/null ||
           meson compile -C build-fuzz $fuzzers; }; then
      meson test -C build-fuzz --suite fuzz --no-rebuild --print-errorlogs \
        --num-processes 2 || rc=1
      say "Fuzzing, per target:"
      cat build-fuzz/tests/fuzz/runs/figures.txt >&2 2>/dev/null
    else
      rc=1
    fi
    summarise build/meson-logs/testlog.json build-asan/meson-logs/testlog.json \
      build-fuzz/meson-logs/testlog.json
    exit $rc
    ;;

  bench)
    ensure_packages $build_pkgs $bench_pkgs
    configure_and_build build -Dgui=true || exit 1
    meson test -C build --benchmark --print-errorlogs --verbose
    ;;

  *)
    say "usage: .ci/dev.sh run [FILE] | test | bench"
    exit 2
    ;;
esac
