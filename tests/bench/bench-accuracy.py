#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 5: test accuracy of every built-in model with its default recipe,
# mean ± std over splits 0–9 with seed 0 (the heterophilous datasets' ten
# Geom-GCN splits) or over seeds 0–9 on split 0 (Cora's public split), run
# through `philia-cli train --json`. Usage:
#   bench-accuracy.py [--models m1,m2] [--datasets cora:seeds,chameleon:splits] [--threads T]
# Needs PHILIA_CLI (set by meson) and PHILIA_SHARED_DATASETS.
import argparse, json, os, statistics, subprocess, sys

parser = argparse.ArgumentParser()
parser.add_argument("--models", default="mlp,gcn,sgc,appnp,gat,sage,h2gcn,gprgnn")
parser.add_argument("--datasets", default="cora:seeds,chameleon:splits,squirrel:splits")
parser.add_argument("--threads", default="1")
parser.add_argument("--runs", type=int, default=10)
args = parser.parse_args()

cli = os.environ.get("PHILIA_CLI", "philia-cli")
folder = os.environ.get("PHILIA_SHARED_DATASETS", "../shared/datasets")
table = {}
for spec in args.datasets.split(","):
    name, mode = spec.split(":")
    for model in args.models.split(","):
        accs = []
        for run in range(args.runs):
            split, seed = (run, 0) if mode == "splits" else (0, run)
            out = subprocess.run([cli, "train", os.path.join(folder, name + ".npz"),
                                  "--model", model, "--split", str(split), "--seed", str(seed),
                                  "--threads", args.threads, "--json"],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                print("%s %s run %d failed: %s" % (name, model, run, out.stderr.strip()),
                      file=sys.stderr)
                break
            accs.append(100 * json.loads(out.stdout)["test_accuracy"])
            print("# %s %s split %d seed %d: %.2f" % (name, model, split, seed, accs[-1]),
                  flush=True)
        if accs:
            sd = statistics.stdev(accs) if len(accs) > 1 else 0.0
            table[(name, model)] = "%.2f±%.2f" % (statistics.mean(accs), sd)
            print("%-10s %-7s %-6s n=%d  %s" % (name, model, mode, len(accs),
                                                  table[(name, model)]), flush=True)

datasets = [s.split(":")[0] for s in args.datasets.split(",")]
print("\n%-8s" % "model" + "".join("%16s" % d for d in datasets))
for model in args.models.split(","):
    print("%-8s" % model + "".join("%16s" % table.get((d, model), "-") for d in datasets))
