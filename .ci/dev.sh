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

configure() {   # DIR [meson options...]
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

configure_and_build() {   # DIR [meson options...]
  configure "$@" || return 1
  meson compile -C "$1" >/dev/null || meson compile -C "$1" || return 1
}

# The files DIR's tests of the given suites run and depend on: building only
# those leaves out the benchmarks and what other suites test.
suite_targets() {   # DIR SUITE...
  meson introspect "$1" --tests --targets | python3 -c '
import json, os, sys
build, suites = sys.argv[1], {"philia:" + s for s in sys.argv[2:]}
d = json.load(sys.stdin)
files = {t["id"]: t["filename"] for t in d["targets"]}
out = set()
for t in d["tests"]:
    if suites & set(t["suite"]):
        for dep in t["depends"]:
            out.update(files[dep])
for f in sorted(out):
    print(os.path.relpath(f, build))' "$@"
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
      build-fuzz/meson-logs/testlog*.json build-fuzz/tests/fuzz/runs/figures.txt \
      build/meson-logs/ui-lane.txt
    export GUI_ARTIFACTS="$top/build/gui-artifacts"
    mkdir -p "$GUI_ARTIFACTS"
    # Two lanes on the two cores (HACKING.md §13). The UI suite runs one test
    # at a time (one display, one keyboard): run after the other suites, it
    # kept one core busy for minutes and left the other idle. So it runs in
    # the background, under its own Xvfb + D-Bus session, then builds the
    # fuzz targets; its output is printed when it is done. The other lane runs
    # the other suites, then the sanitizer build and its tests. The fuzzers
    # run last, alone, as before.
    ui_lane() {
      local r=0
      timeout -k 10 1800 tests/headless.sh \
        meson test -C build --no-rebuild --print-errorlogs --suite ui \
          --num-processes 1 --logbase testlog-ui || r=1
      build_fuzz || r=1
      return $r
    }
    # Every reader under libFuzzer (tests/fuzz/README.md): only the targets
    # are built, with clang: the rest of the tree is tested by the other lanes.
    fuzzers=$(cd tests/fuzz && ls fuzz-*.c | sed 's/\.c$//')
    build_fuzz() {
      { { [ -f build-fuzz/build.ninja ] &&
            meson configure build-fuzz "${strict[@]}" >/dev/null; } ||
          CC=clang meson setup build-fuzz -Dgui=false -Dfuzz=true \
            -Db_sanitize=address,undefined -Db_lundef=false "${strict[@]}" >/dev/null; } &&
      { meson compile -C build-fuzz $fuzzers >/dev/null ||
          meson compile -C build-fuzz $fuzzers; }
    }
    ui_lane >build/meson-logs/ui-lane.txt 2>&1 &
    ui_pid=$!
    rc=0
    # Every other suite (core, cli, render, data validators, MPI, install)
    # under a private Xvfb + D-Bus session of its own.
    timeout -k 10 1800 tests/headless.sh \
      meson test -C build --no-rebuild --print-errorlogs --no-suite ui \
        --num-processes 2 || rc=1
    # The readers again under AddressSanitizer + UBSan: every malformed file
    # must give its message without a leak or a crash. An unoptimised
    # sanitizer build trains models several times slower: longer timeouts.
    if configure build-asan -Dgui=false -Db_sanitize=address,undefined \
         -Db_lundef=false -Dbuildtype=debug "${strict[@]}" &&
       asan_targets=$(suite_targets build-asan core cli) &&
       { ninja -C build-asan $asan_targets >/dev/null ||
           ninja -C build-asan $asan_targets; }; then
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      LSAN_OPTIONS=suppressions="$top/tests/lsan.supp":print_suppressions=0 \
        meson test -C build-asan --suite core --suite cli --no-rebuild \
          --print-errorlogs --num-processes 2 --timeout-multiplier 4 || rc=1
    else
      rc=1
    fi
    wait "$ui_pid" || rc=1
    say "UI suite and fuzz build (run beside the others):"
    cat build/meson-logs/ui-lane.txt >&2
    # Each fuzz target for $PHILIA_FUZZ_SECONDS (20 s) from the committed
    # seeds, failing on a crash, leak, sanitizer report, out-of-memory or
    # 10 s input; alone on the machine, so that each gets its 20 s of a core.
    if [ -f build-fuzz/build.ninja ]; then
      meson test -C build-fuzz --suite fuzz --no-rebuild --print-errorlogs \
        --num-processes 2 || rc=1
      say "Fuzzing, per target:"
      cat build-fuzz/tests/fuzz/runs/figures.txt >&2 2>/dev/null
    else
      rc=1
    fi
    summarise build/meson-logs/testlog.json build/meson-logs/testlog-ui.json \
      build-asan/meson-logs/testlog.json build-fuzz/meson-logs/testlog.json
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
