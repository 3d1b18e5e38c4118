#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Heuristics for many pairs on a graph too large to load comfortably
# (issue 20): writes a streamed CSBM with stored members and P uniformly
# random pairs, then scores cn, jaccard, aa, ra and pa twice, loaded and
# with --stream, checks the two CSVs are the same, and prints wall time,
# CPU time, peak resident memory and bytes per edge of each, with the load
# average before and after. HEURISTICS (optional, e.g. katz) are then timed
# on the loaded graph alone, on the same pairs.
#   bench-stream-pairs.sh PHILIA-CLI NODES DEGREE PAIRS [DIR [HEURISTICS]]
# 10^8 edges, 10^6 pairs:
#   bench-stream-pairs.sh build/src/cli/philia-cli 2000000 100 1000000 /tmp
# (an 822 MB graph and a 16 MB pair file, deleted at the end). Measured on the
# shared 2-core machine, load average 17-31 (eight other jobs), nice'd:
#   generate: 99975980 edges, wall 2:02, user 24 s, peak 58 MB
#   loaded:   wall 3:45, user 31 s, sys 14 s, peak 4696 MB, 49.3 bytes/edge
#   stream:   wall 2:08, user 19 s, sys 4 s, peak 800 MB, 8.4 bytes/edge
#   same CSV: yes
# Katz and sp on that graph, before and after meeting halfway: STREAM-PAIRS.md.
set -eu

cli=$1
nodes=$2
degree=$3
n_pairs=$4
dir=${5:-${TMPDIR:-/tmp}}
extra=${6:-}
base=$dir/bench-stream-pairs-$$
trap 'rm -f "$base".npz "$base".csv "$base".loaded "$base".stream "$base".extra "$base".t.*' EXIT

report() {   # STEP EDGES
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$base.t.$1")
  user=$(sed -n 's/.*User time (seconds): //p' "$base.t.$1")
  sys=$(sed -n 's/.*System time (seconds): //p' "$base.t.$1")
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$base.t.$1")
  echo "$1: wall $wall, user $user s, sys $sys s, peak $((kb / 1024)) MB," \
    "$(awk -v kb="$kb" -v m="$2" 'BEGIN { printf "%.1f", kb * 1024 / m }') bytes/edge"
}
load() { echo "load: $(uptime | sed 's/.*load average: //')"; }

load
/usr/bin/time -v "$cli" generate csbm --stream --stored --nodes "$nodes" --degree "$degree" \
  --classes 5 --features 0 --splits 1 --homophily 0.6 --seed 1 --out "$base.npz" \
  >/dev/null 2>"$base.t.generate"
edges=$("$cli" stats --stream --json "$base.npz" | grep -o '"edges":[0-9]*' | head -n 1 |
  cut -d: -f2)
echo "graph: $nodes nodes, $edges edges, $(($(wc -c <"$base.npz") / 1048576)) MB on disk"
report generate "$edges"
awk -v n="$nodes" -v p="$n_pairs" 'BEGIN { srand(7); print "u,v"
  for (i = 0; i < p; i++) printf "%d,%d\n", int(rand() * n), int(rand() * n) }' >"$base.csv"

load
/usr/bin/time -v "$cli" proximity "$base.npz" --pairs "$base.csv" \
  --heuristics cn,jaccard,aa,ra,pa -o "$base.loaded" >/dev/null 2>"$base.t.loaded"
report loaded "$edges"
load
/usr/bin/time -v "$cli" proximity --stream "$base.npz" --pairs "$base.csv" \
  --heuristics cn,jaccard,aa,ra,pa -o "$base.stream" >/dev/null 2>"$base.t.stream"
report stream "$edges"
load
if cmp -s "$base.loaded" "$base.stream"; then echo "same CSV: yes"; else echo "same CSV: NO"; fi

if [ -n "$extra" ]; then
  /usr/bin/time -v "$cli" proximity "$base.npz" --pairs "$base.csv" --heuristics "$extra" \
    -o "$base.extra" >/dev/null 2>"$base.t.$extra"
  report "$extra" "$edges"
  load
fi
