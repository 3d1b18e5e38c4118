#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 18 "What must hold": source-only against SOGA-adapted accuracy on the
# target, mean ± sample std over seeds, with philia-cli train --save-model and
# adapt. Pairs: ArnetMiner ACM <-> DBLP (one feature space, one label set) and
# CSBM pairs generated here with the same classes and feature space but a
# homophily or degree shift. Each seed trains its own source model (seed S)
# and adapts it with seed S; target labels only score. Usage:
# run-adapt.py [SEEDS] [MODEL] [extra adapt options…] (default 5 gcn). Needs
# PHILIA_CLI and PHILIA_SHARED_DATASETS.
import json, os, statistics, subprocess, sys, tempfile

seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
model = sys.argv[2] if len(sys.argv) > 2 else "gcn"
extra = sys.argv[3:]
cli = os.environ["PHILIA_CLI"]
folder = os.environ.get("PHILIA_SHARED_DATASETS", "../shared/datasets")


def run(*args):
    out = subprocess.run([cli, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(args), out.stderr))
    return out.stdout


def mean_std(values):
    return "%.4f ± %.4f" % (statistics.mean(values),
                            statistics.stdev(values) if len(values) > 1 else 0.0)


def pair(name, source, target, tmp, *train_args):
    before, after, ms = [], [], []
    for s in range(seeds):
        m = os.path.join(tmp, "m.philia-model")
        run("train", source, "--model", model, "--seed", str(s), "--save-model", m, *train_args)
        r = json.loads(run("adapt", m, target, "--seed", str(s), "--json", *extra))
        before.append(r["source_only_accuracy"])
        after.append(r["adapted_accuracy"])
        ms.append(r["epoch_ms_median"])
    gain = [a - b for a, b in zip(after, before)]
    verdict = "helps" if statistics.mean(gain) > 0 else "DOES NOT HELP"
    print("| %s | %s | %s | %+.4f | %d/%d | %.2f | %s |" % (
        name, mean_std(before), mean_std(after), statistics.mean(gain),
        sum(g > 0 for g in gain), seeds, statistics.median(ms), verdict), flush=True)


with tempfile.TemporaryDirectory() as tmp:
    print("%s, %d seeds, adapt options: %s" % (model, seeds, " ".join(extra) or "defaults"))
    print("| pair | source-only | adapted | gain | seeds improved | ms/epoch | |")
    print("|---|---|---|---|---|---|---|")
    acm = os.path.join(folder, "arnet_acm.npz")
    dblp = os.path.join(folder, "arnet_dblp.npz")
    pair("ACM → DBLP", acm, dblp, tmp)
    pair("DBLP → ACM", dblp, acm, tmp)

    def csbm(name, homophily, degree, seed):
        path = os.path.join(tmp, name + ".npz")
        # 16 features >= 4 classes: the class means are the same for every
        # seed, so source and target share one feature space.
        run("generate", "csbm", "--nodes", "2000", "--classes", "4", "--features", "16",
            "--signal", "1.5", "--degree", str(degree), "--homophily", str(homophily),
            "--splits", "1", "--seed", str(seed), "--out", path)
        return path

    # Gaussian features: rows are not divided by their sums (the sum of a
    # Gaussian row is near zero); the saved model remembers that.
    raw = "--no-normalize"
    src = csbm("h09", 0.9, 10, 101)
    pair("CSBM h 0.9 → 0.5", src, csbm("h05", 0.5, 10, 102), tmp, raw)
    pair("CSBM h 0.9 → 0.3", src, csbm("h03", 0.3, 10, 103), tmp, raw)
    pair("CSBM h 0.5 → 0.9", csbm("h05s", 0.5, 10, 104), csbm("h09t", 0.9, 10, 105), tmp,
         raw)
    pair("CSBM degree 10 → 3 (h 0.8)", csbm("d10", 0.8, 10, 106), csbm("d3", 0.8, 3, 107), tmp,
         raw)
