#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run-proximity.sh BUILD_DIR [NODES] [DEGREE] [PAIRS] [PPR_PUBMED] [PPR_GENERATED]:
# Philia, scipy and networkx on the same graphs and pairs, one run.
# PPR on 10^5 random PubMed pairs (issue 20's figure; the ms a pair is printed):
#   build/tests/bench/bench-proximity DIR 100000 20 100000 100000 200
set -euo pipefail
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/tests/bench/bench-proximity" "$tmp" "${2:-100000}" "${3:-20}" "${4:-100000}" \
  "${5:-2000}" "${6:-200}"
/usr/bin/python3 "$(dirname "$0")/bench-proximity.py" "$tmp"
