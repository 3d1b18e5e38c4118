#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 18 "Speed", in one run: the median time of one SOGA adaptation epoch
# (pair sampling, forward, objective, backward, Adam step) on the ArnetMiner
# pair, philia-cli adapt beside the same objective in PyTorch
# (bench-adapt.py, dense and sparse features), 1 and 2 threads, each in its
# own process. Usage: run-adapt-bench.py [EPOCHS] (default 50). Needs
# PHILIA_CLI and PHILIA_SHARED_DATASETS.
#
# Measured (run-adapt-bench.py 30, release build, 2 shared cores loaded by
# other jobs; PyTorch suffers more from that load than Philia, so the
# ratios flatter Philia against an idle machine), ms per epoch, Philia /
# PyTorch sparse X / dense X. Load average 11.6 -> 9.4:
#   1 thread:  DBLP 0.74 / 17.4 / 104.8, ACM 1.36 / 31.4 / 109.9
#   2 threads: DBLP 3.91 / 266 / 237,    ACM 3.68 / 307 / 255
# Load average 30 -> 23:
#   1 thread:  DBLP 0.86 / 71.1 / 302.5, ACM 1.33 / 81.8 / 316.2
# Before the vectorised Adam step and the log1pf-free objective, Philia
# took 8.5-10.1 ms (ACM) and 1.5 ms (DBLP) per epoch against 1.35-2.1 and
# 0.78-1.1 after, interleaved in one run (load average 23 -> 19).
# Wall times under this load flatter Philia; instruction counts do not
# depend on it: valgrind --tool=callgrind on philia-cli adapt, 30 epochs
# minus 10, per epoch. ACM: 14.7M before the padded-row objective and the
# one-call spmm row kernels, 10.7M after the first, 7.9M after both (the
# objective 6.7M -> 2.6M, the 16-wide products' calls and zero count
# 4.1M -> 1.4M); DBLP 9.9M -> 5.2M. Interleaved Philia before/after, 100 epochs, load
# average 22: ACM 1.29 -> 0.82 ms, DBLP 0.81 -> 0.52 ms.
import json, os, subprocess, sys, tempfile

epochs = sys.argv[1] if len(sys.argv) > 1 else "50"
here = os.path.dirname(os.path.abspath(__file__))
cli = os.environ["PHILIA_CLI"]
folder = os.environ.get("PHILIA_SHARED_DATASETS", "../shared/datasets")
python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def load_average():
    with open("/proc/loadavg") as f:
        return "load average " + " ".join(f.read().split()[:3])


def torch_ms(threads, features):
    out = subprocess.run([python, os.path.join(here, "bench-adapt.py"), epochs, str(threads),
                          features], capture_output=True, text=True, env=dict(os.environ))
    result = {}
    for line in out.stdout.splitlines():
        if line.startswith("RESULT"):
            _, name, ms = line.split()
            result[name] = float(ms)
    if not result:
        sys.stderr.write(out.stderr[-800:])
    return result


print(load_average())
with tempfile.TemporaryDirectory() as tmp:
    pairs = (("arnet_acm", "arnet_dblp"), ("arnet_dblp", "arnet_acm"))
    models = {}
    for source, target in pairs:
        models[target] = os.path.join(tmp, source + ".philia-model")
        subprocess.run([cli, "train", os.path.join(folder, source + ".npz"), "--model", "gcn",
                        "--save-model", models[target]], check=True, capture_output=True)
    print("| target | threads | Philia ms/epoch | PyTorch dense X | ratio | PyTorch sparse X "
          "| ratio |")
    print("|---|---|---|---|---|---|---|")
    for threads in (1, 2):
        dense = torch_ms(threads, "dense")
        sparse = torch_ms(threads, "sparse")
        for source, target in pairs:
            out = subprocess.run([cli, "adapt", models[target],
                                  os.path.join(folder, target + ".npz"), "--epochs", epochs,
                                  "--threads", str(threads), "--json"],
                                 check=True, capture_output=True, text=True)
            ms = json.loads(out.stdout)["epoch_ms_median"]
            d, s = dense.get(target, float("nan")), sparse.get(target, float("nan"))
            print("| %s | %d | %.2f | %.2f | %.1f× | %.2f | %.1f× |"
                  % (target, threads, ms, d, d / ms, s, s / ms), flush=True)
print(load_average())
