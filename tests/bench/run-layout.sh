#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run-layout.sh BUILD_DIR [NODES] [DEGREE] [RUNS] [LARGE_RUNS]: FR and DrL in Philia,
# igraph's C API and python-igraph on the same graphs, one run.
set -euo pipefail
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/tests/bench/bench-layout" "$tmp" "${2:-100000}" "${3:-20}" "${4:-3}" "${5:-1}"
/usr/bin/python3 "$(dirname "$0")/bench-layout.py" "$tmp"
