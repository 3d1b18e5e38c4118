#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# philia-cli under mpirun -np 1, 2 and 4 prints, byte for byte, what one
# process prints: stats, proximity and linkpred, text and --json, on the
# bundled dataset and on a generated graph (HACKING.md, "Past one
# machine: MPI"). TAP on stdout; skipped (77) without mpirun.
#   test-mpi.sh PHILIA-CLI DATASET.npz NPZ-FIXTURES-DIR
set -u

cli=$1
bundled=$2
fixtures=$3
mpirun=$(command -v mpirun) || { echo "1..0 # SKIP no mpirun"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# One machine, more ranks than cores; a container often runs as root.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
run_mpi() {   # NP ARGS...: philia-cli under mpirun, stdout only
  np=$1; shift
  "$mpirun" --oversubscribe -np "$np" "$cli" "$@" 2>"$tmp/mpi.err" </dev/null
}

n=0
failed=0
say() { printf '%s\n' "$*"; }
check() {   # DESCRIPTION STATUS
  n=$((n + 1))
  if [ "$2" -eq 0 ]; then
    say "ok $n - $1"
  else
    say "not ok $n - $1"
    failed=1
  fi
}
# linkpred --json reports its wall-clock seconds: the one field that differs.
clean() { sed 's/"seconds":[-0-9.e+]*,//' "$1"; }

"$cli" generate csbm --nodes 3000 --classes 4 --degree 12 --features 16 --homophily 0.3 \
  --heterophilous-fraction 0.3 --seed 5 --out "$tmp/csbm.npz" >/dev/null ||
  { say "Bail out! generate csbm failed"; exit 1; }
# Streamed edges: a stored member (each rank reads its slice in place) and
# a deflated one (each rank inflates up to the end of its slice).
"$cli" generate csbm --stream --stored --nodes 2500 --classes 3 --degree 9 --features 0 \
  --homophily 0.4 --heterophilous-fraction 0.2 --seed 3 --out "$tmp/stored.npz" >/dev/null ||
  { say "Bail out! generate csbm --stream --stored failed"; exit 1; }
"$cli" generate csbm --stream --nodes 2500 --classes 3 --degree 9 --features 2 \
  --homophily 0.4 --seed 4 --out "$tmp/deflated.npz" >/dev/null ||
  { say "Bail out! generate csbm --stream failed"; exit 1; }
# Pairs with repeated sources, a self-pair and a duplicate row.
awk -v n=2708 'BEGIN { srand(7); print "u,v"; for (i = 0; i < 300; i++)
  print int(rand() * n) "," int(rand() * n); print "5,5"; print "7,9"; print "7,9" }' \
  >"$tmp/pairs.csv"
awk -v n=3000 'BEGIN { srand(11); print "u,v"; for (i = 0; i < 400; i++)
  print int(rand() * 40) "," int(rand() * n) }' >"$tmp/csbm-pairs.csv"

# Pairs for the streamed proximity: hubs, a self-pair, the last node.
awk -v n=300 'BEGIN { srand(13); print "u,v"; for (i = 0; i < 250; i++)
  print int(rand() * n) "," int(rand() * 8); print "5,5"; print "299,0"; print "7,9" }' \
  >"$tmp/stream-pairs.csv"

# (bippr's walks are seeded per pair and walk, so its pairs are shared out like the others)
# name|np list|arguments ($B bundled, $G generated, $P and $Q their pairs, $S and $D
# streamed with stored and deflated members, $M and $N rows stored in any order with
# repeats and self-loops, stored and deflated, $R their pairs)
cases='stats-text|1 2 4|stats $B
stats-json-conventions|1 2 4|stats --json --directed --keep-self-loops --bins 7 $B
proximity-text|1 2 4|proximity $B --pairs $P
proximity-json|2 4|proximity --json $B --pairs $P --heuristics cn,katz,ppr,sp,fp
linkpred-text|1 2 4|linkpred $B --heuristic ppr
linkpred-json|2 4|linkpred --json $B --heuristic sp
generated-stats-json|2 4|stats --json $G
generated-proximity-text|2 4|proximity $G --pairs $Q
generated-linkpred-json|2 4|linkpred --json $G --heuristic aa --mrr-negatives 20
stream-stored-text|1 2 4|stats --stream $S
stream-stored-json|2 4|stats --stream --json --bins 7 $S
stream-deflated-json|2 4|stats --stream --json $D
stream-bundled-text|2 4|stats --stream $B
stream-generated-json|4|stats --stream --json $G
sliced-stored-proximity|1 2 4|proximity $S --pairs $R --heuristics cn,jaccard,aa,ra,pa
sliced-deflated-proximity|1 2 4|proximity --json $D --pairs $R --heuristics ra,pa,aa
sliced-messy-stored-proximity|1 2 4|proximity $M --pairs $R --heuristics cn,jaccard,aa,ra,pa
sliced-messy-deflated-proximity|1 2 4|proximity $N --pairs $R --heuristics cn,jaccard,aa,ra,pa
sliced-bundled-proximity|2 4|proximity $B --pairs $P --heuristics aa,cn,jaccard
stream-messy-proximity|2 4|proximity --stream $N --pairs $R --heuristics ra,cn
bippr-text|1 2 4|proximity $B --pairs $P --heuristics cn,ppr,sp --ppr-method bippr --ppr-seed 3
bippr-json|2 4|proximity --json $G --pairs $Q --heuristics ppr --ppr-method bippr --ppr-epsilon 0.5
bippr-linkpred-json|2 4|linkpred --json $B --heuristic ppr --ppr-method bippr --mrr-negatives 10'

B=$bundled G=$tmp/csbm.npz P=$tmp/pairs.csv Q=$tmp/csbm-pairs.csv
S=$tmp/stored.npz D=$tmp/deflated.npz
M=$fixtures/messy-edges-stored.npz N=$fixtures/messy-edges.npz R=$tmp/stream-pairs.csv
printf '%s\n' "$cases" >"$tmp/cases"
while IFS='|' read -r name nps args; do
  args=$(eval "printf '%s' \"$args\"")
  # shellcheck disable=SC2086 # the arguments are words
  "$cli" $args >"$tmp/one.out" 2>"$tmp/one.err" </dev/null
  status=$?
  clean "$tmp/one.out" >"$tmp/one"
  for np in $nps; do
    # shellcheck disable=SC2086
    run_mpi "$np" $args >"$tmp/many.out"
    mpi_status=$?
    clean "$tmp/many.out" >"$tmp/many"
    if [ "$status" -eq 0 ] && [ "$mpi_status" -eq 0 ] && [ -s "$tmp/one" ] &&
       cmp -s "$tmp/one" "$tmp/many"; then
      check "$name, -np $np: the output of one process" 0
    else
      check "$name, -np $np: the output of one process" 1
      say "# exit $status, under mpirun $mpi_status"
      diff "$tmp/one" "$tmp/many" | head -20 | sed 's/^/# /'
      sed 's/^/# /' "$tmp/one.err" "$tmp/mpi.err" | head -20
    fi
  done
done <"$tmp/cases"

# proximity --stream in one process: the loaded graph's scores, to the last digit.
for f in "$S" "$D" "$M" "$N" "$B"; do
  pairs=$R
  case $f in "$B") pairs=$P ;; esac
  "$cli" proximity "$f" --pairs "$pairs" --heuristics cn,jaccard,aa,ra,pa >"$tmp/one" 2>&1
  "$cli" proximity --stream "$f" --pairs "$pairs" --heuristics cn,jaccard,aa,ra,pa \
    >"$tmp/many" 2>&1
  [ -s "$tmp/one" ] && cmp -s "$tmp/one" "$tmp/many"
  check "proximity --stream $(basename "$f"): the loaded graph's scores" $?
done

# --out: rank 0 writes the file, the same file.
"$cli" proximity "$B" --pairs "$P" --out "$tmp/one.csv" >/dev/null 2>&1
run_mpi 2 proximity "$B" --pairs "$P" --out "$tmp/many.csv" >"$tmp/many.out"
cmp -s "$tmp/one.csv" "$tmp/many.csv" && [ ! -s "$tmp/many.out" ]
check "proximity --out, -np 2: the same file" $?

# A failure: rank 0 prints the one message once, and the status is 1.
run_mpi 2 stats "$tmp/missing.npz" >"$tmp/many.out"
mpi_status=$?
[ "$mpi_status" -eq 1 ] && [ ! -s "$tmp/many.out" ] &&
  [ "$(grep -c 'missing.npz' "$tmp/mpi.err")" -eq 1 ]
check "stats on a missing file, -np 2: one message, status 1" $?

say "1..$n"
exit $failed
