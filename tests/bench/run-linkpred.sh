#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 17: a GNN link-predictor epoch (forward + backward + step, median)
# and test Hits@100 on Cora and PubMed, philia-cli against the same recipe in
# PyTorch (bench-linkpred.py), same seeds, same thread count, the two sides
# interleaved so they share the machine's load.
# Usage: run-linkpred.sh BUILD_DIR [SEEDS] [THREADS] [EPOCHS] [MODELS]
# (EPOCHS: a fixed number for timing alone, empty for the full recipe, 300
# with patience 50, for Hits@100. MODELS: encoder:decoder pairs, default
# "gcn:dot gcn:mlp sage:dot sage:mlp mlp:dot mlp:mlp"; the mlp encoder is
# skipped on a graph without node features. DATASETS overrides "cora pubmed".)
set -eu
build=$1
seeds=${2:-"0 1 2"}
threads=${3:-2}
epochs=${4:-}
models=${5:-"gcn:dot gcn:mlp sage:dot sage:mlp mlp:dot mlp:mlp"}
here=$(dirname "$0")
# Debian's python3-torch belongs to the system Python, which may not be first on PATH.
python=${PYTHON:-python3}
if ! "$python" -c 'import torch' 2>/dev/null && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  python=/usr/bin/python3
fi
data=${PHILIA_SHARED_DATASETS:-$here/../../../shared/datasets}
printf '%-8s %-9s %4s %-8s %10s %10s %9s %7s\n' \
  dataset model seed impl epoch_ms cpu_ms hits@100 epochs
for name in ${DATASETS:-cora pubmed}; do
  for md in $models; do
    model=${md%%:*}
    decoder=${md#*:}
    for seed in $seeds; do
      out=$("$build/src/cli/philia-cli" linkpred "$data/$name.npz" --model "$model" \
            --decoder "$decoder" --seed "$seed" --threads "$threads" \
            ${epochs:+--epochs "$epochs" --patience 0} --json 2>/dev/null) || continue
      echo "$out" | "$python" -c '
import json, sys
d = json.load(sys.stdin)
print("%-8s %-9s %4s %-8s %10.2f %10.2f %9.4f %7d" % (sys.argv[1], sys.argv[2], sys.argv[3],
      "philia", d["epoch_ms_median"], d["epoch_cpu_ms_median"], d["hits@100"], d["epochs"]))' \
        "$name" "$md" "$seed"
      if "$python" -c 'import torch' 2>/dev/null; then
        "$python" "$here/bench-linkpred.py" "$data/$name.npz" "$seed" "$threads" "$epochs" \
          "$model" "$decoder" | awk -v n="$name" -v m="$md" -v s="$seed" \
          '/^RESULT/ { printf "%-8s %-9s %4s %-8s %10.2f %10.2f %9.4f %7d\n", n, m, s, "torch", $2, $5, $3, $4 }'
      fi
    done
  done
done
