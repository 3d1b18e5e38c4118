#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run-homophily.sh BUILD_DIR [NODES] [DEGREE]: Philia, igraph and numpy on one graph, one run.
set -euo pipefail
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/tests/bench/bench-homophily" "${2:-1000000}" "${3:-20}" "$tmp/graph.npz"
/usr/bin/python3 "$(dirname "$0")/bench-homophily.py" "$tmp/graph.npz"
