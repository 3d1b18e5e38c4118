#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run-forceatlas2.sh BUILD_DIR [NODES] [DEGREE]: the ForceAtlas2 plugin through
# philia-cli on a generated CSBM graph (default 10^5 nodes, mean degree 20,
# so 10^6 edges), with wall time and peak memory.
set -euo pipefail
build=$(realpath "${1:-build}")
nodes=${2:-100000}
degree=${3:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cli="$build/src/cli/philia-cli"
"$cli" generate csbm --nodes "$nodes" --degree "$degree" --classes 5 --homophily 0.7 \
  --features 0 --splits 0 --out "$tmp/csbm.npz" --json
PHILIA_PLUGIN_PATH="$build/plugins" /usr/bin/time -f 'wall %e s, peak RSS %M KiB' \
  "$cli" layout "$tmp/csbm.npz" --algorithm forceatlas2 --out "$tmp/pos.csv" --json
