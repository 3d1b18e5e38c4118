#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 5 "Speed", in one run: per-epoch time (median, forward + backward +
# step) and peak RSS of MLP, GCN, SGC and GAT on Cora, CiteSeer, Squirrel and
# a CSBM graph of tolokers' size (11,758 nodes, ~519,000 edges, generated
# here), Philia (bench-train --one) beside PyTorch (bench-train.py --one),
# each model in its own process, 1 and 2 threads; then the kernels: sgemm
# 2048² peak vs Philia's products (GFLOP/s), spmm vs a STREAM-style copy
# (GB/s). Usage: run-train.py [EPOCHS] (default 20). Needs PHILIA_CLI,
# PHILIA_SHARED_DATASETS, BENCH_TRAIN (the bench-train binary).
import os, subprocess, sys, tempfile

epochs = sys.argv[1] if len(sys.argv) > 1 else "20"
here = os.path.dirname(os.path.abspath(__file__))
cli = os.environ["PHILIA_CLI"]
bench = os.environ["BENCH_TRAIN"]
folder = os.environ.get("PHILIA_SHARED_DATASETS", "../shared/datasets")
python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def uptime():
    with open("/proc/loadavg") as f:
        return "load average " + " ".join(f.read().split()[:3])


def one(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT"):
            return [float(v) for v in line.split()[1:]]
    sys.stderr.write("failed: %s\n%s" % (" ".join(cmd), out.stderr[-500:]))
    return None


with tempfile.TemporaryDirectory() as tmp:
    csbm = os.path.join(tmp, "csbm-tolokers.npz")
    # Mean degree 2·519000/11758 = 88.28; tolokers has 2 classes and 10 features.
    subprocess.run([cli, "generate", "csbm", "--nodes", "11758", "--degree", "88.28",
                    "--classes", "2", "--features", "10", "--homophily", "0.6",
                    "--splits", "1", "--seed", "1", "-o", csbm], check=True,
                   stdout=subprocess.DEVNULL)
    import numpy as np
    print("csbm graph: %d nodes, %d edges; %s" % (
        np.load(csbm)["node_labels"].shape[0], np.load(csbm)["edges"].shape[0], uptime()))
    graphs = [("cora", os.path.join(folder, "cora.npz"), "normalize"),
              ("citeseer", os.path.join(folder, "citeseer.npz"), "normalize"),
              ("squirrel", os.path.join(folder, "squirrel.npz"), "normalize"),
              ("csbm", csbm, "raw")]
    # Wall: median epoch (forward + backward + step). CPU: process CPU time per
    # epoch (Philia's includes setup and its per-epoch evaluation pass, torch's
    # only the training steps), which a loaded machine distorts far less.
    print("%-9s %-4s %2s %9s %9s %7s %9s %9s %7s %7s %7s %7s %7s" % (
        "dataset", "model", "T", "ph_wall", "pt_wall", "x_wall", "ph_cpu", "pt_cpu", "x_cpu",
        "ph_MiB", "pt_MiB", "acc_ph", "acc_pt"), flush=True)
    # The shared machine's load varies: Squirrel's SGC and GAT pairs run again at the end.
    runs = [(g, m, t) for g in graphs for m in ["mlp", "gcn", "sgc", "gat"] for t in ["1", "2"]]
    runs += [(graphs[2], m, t) for m in ["sgc", "gat"] for t in ["1", "2"]]
    for (name, path, norm), model, threads in runs:
        p = one([bench, "--one", path, model, threads, epochs, norm])
        t = one([python, os.path.join(here, "bench-train.py"), "--one", path, model, threads,
                 epochs, norm])
        if p is None or t is None:
            continue
        print("%-9s %-4s %2s %9.2f %9.2f %6.1fx %9.2f %9.2f %6.1fx %7.0f %7.0f %7.3f %7.3f" % (
            name, model, threads, p[0], t[0], t[0] / p[0], p[3], t[3], t[3] / p[3], p[2], t[2],
            p[1], t[1]), flush=True)
    print("\nkernels (%s)" % uptime())
    out = subprocess.run([bench, "--kernels", os.path.join(folder, "squirrel.npz"), csbm],
                         capture_output=True, text=True)
    kernels = {}
    for line in out.stdout.splitlines():
        if line.startswith("KERNEL"):
            _, kname, threads, value, unit = line.split()
            kernels[(kname, threads)] = float(value)
            ref = kernels.get(("sgemm2048" if unit == "GFLOP/s" else "copy", threads))
            share = " (%.0f%% of %s)" % (100 * float(value) / ref,
                                         "sgemm 2048²" if unit == "GFLOP/s" else "copy") \
                if ref and not kname.startswith(("sgemm", "copy")) else ""
            print("  %-40s T=%s %8.2f %s%s" % (kname, threads, float(value), unit, share))
    sys.stderr.write(out.stderr)
    print("done; %s" % uptime())
