#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs both loading benchmarks and prints a comparison table.
# Usage: tests/bench/run-load.sh [BUILD_DIR] [FILE.npz ...]
# BUILD_DIR defaults to ./build; files default to pubmed.npz and squirrel.npz from
# $PHILIA_SHARED_DATASETS (default: ../shared/datasets next to the source tree).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
: "${PHILIA_SHARED_DATASETS:=$top/../shared/datasets}"
export PHILIA_SHARED_DATASETS

bench_c="$build/tests/bench/bench-load"
[ -x "$bench_c" ] || { echo "No $bench_c: build first (meson compile -C $build)." >&2; exit 1; }

# A Python with numpy and scipy: $PYTHON, else the first python3 on the usual paths.
python=
for candidate in ${PYTHON:-} python3 /usr/bin/python3 /usr/local/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import numpy, scipy' >/dev/null 2>&1; then
    python=$candidate
    break
  fi
done
[ -n "$python" ] || { echo "No Python with numpy and scipy (set PYTHON)." >&2; exit 1; }

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$bench_c" "$@" | tee -a "$tmp"
"$python" "$here/bench-load.py" "$@" | tee -a "$tmp"

echo
awk '
  { name = $2; best[$1, name] = $(NF - 4); median[$1, name] = $(NF - 1); names[name] = 1 }
  END {
    printf "%-14s %14s %14s %14s %14s %8s\n", "file", "philia best", "philia median",
           "numpy best", "numpy median", "ratio"
    for (n in names)
      printf "%-14s %11.2f ms %11.2f ms %11.2f ms %11.2f ms %7.2fx\n", n,
             best["philia", n], median["philia", n], best["numpy", n], median["numpy", n],
             median["philia", n] / median["numpy", n]
    print "ratio = philia median / numpy+scipy median (lower is better; target < 2)"
  }' "$tmp"
