#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Graph-level statistics of a graph larger than memory (issue 20): writes a
# streamed CSBM with stored members, then times `stats --stream` on it and
# prints wall time, peak resident memory and bytes per edge of both steps.
#   bench-stream.sh PHILIA-CLI NODES DEGREE [DIR]
# 10^9 edges: bench-stream.sh build/src/cli/philia-cli 10000000 200 /tmp
# (an 8.1 GB file, deleted at the end).
set -eu

cli=$1
nodes=$2
degree=$3
dir=${4:-${TMPDIR:-/tmp}}
file=$dir/bench-stream-$$.npz
trap 'rm -f "$file" "$file.gen" "$file.stats"' EXIT

/usr/bin/time -v "$cli" generate csbm --stream --stored --nodes "$nodes" --degree "$degree" \
  --classes 5 --features 0 --splits 1 --homophily 0.6 --seed 1 --out "$file" \
  >/dev/null 2>"$file.gen"
/usr/bin/time -v "$cli" stats --stream --json "$file" >/dev/null 2>"$file.stats"
edges=$("$cli" stats --stream --json "$file" | grep -o '"edges":[0-9]*' | head -n 1 | cut -d: -f2)

for step in gen stats; do
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$file.$step")
  user=$(sed -n 's/.*User time (seconds): //p' "$file.$step")
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$file.$step")
  echo "$step: $edges edges, wall $wall, user ${user} s, peak $((kb / 1024)) MB," \
    "$(awk -v kb="$kb" -v m="$edges" 'BEGIN { printf "%.3f", kb * 1024 / m }') bytes/edge"
done
echo "load: $(uptime | sed 's/.*load average: //')"
