#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 20's grid by process CPU time, for machines too loaded for wall-clock
# ratios: per cell, Philia's CPU time per epoch is the difference between two
# runs of philia-cli train (E1 and E2 epochs) divided by E2 - E1, so loading
# and set-up cancel out; each of its epochs includes an evaluation pass (all
# rows, no dropout). PyTorch's is grid-torch.py's epoch_cpu_ms (process CPU
# time over its training steps) plus its eval_cpu_ms (its one evaluation
# pass), the same scope; the ratio is of those two. Peak RSS of each side is its
# own (GNU time), which does not depend on the load.
#
# Philia runs with PHILIA_EPOCH_CLOCK=cpu, so its epoch_ms_median is the
# median CPU time of its training steps alone (forward, backward, Adam; no
# loading, no evaluation): printed beside PyTorch's epoch_cpu_ms (the same
# scope, a mean over its steps) as the step columns, which need no
# difference of two runs. At --threads 2 every CPU time is the sum over the
# process's threads (what a step costs the machine, not how long it takes).
#
# Usage: grid-cpu.py [--epochs E1,E2] [--torch-epochs N] [--no-torch]
#                    [--threads T] GRAPH.npz:MODEL:HIDDEN ...
# Graphs come from bench-grid.py's make_graph; a name ending in "s.npz" has
# sparse (row-normalised) features, others raw dense ones. Needs PHILIA_CLI.
import argparse, json, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
cli = os.environ.get("PHILIA_CLI", "philia-cli")
python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def timed(cmd, threads=1):
    """Runs @cmd under GNU time with @threads threads: its last JSON line, its
    own peak RSS in MB and its CPU seconds (user + system)."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               PHILIA_EPOCH_CLOCK="cpu",
               PYTHONWARNINGS="ignore")
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as stats:
        status = subprocess.call(["/usr/bin/time", "-f", "%M %U %S", "-o", stats.name] + cmd,
                                 stdout=out, stderr=subprocess.DEVNULL, env=env)
        out.seek(0)
        text = out.read().decode()
        fields = stats.read().split()
    result = None
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                result = json.loads(line)
            except ValueError:
                pass
    if len(fields) < 3:
        return None, float("nan"), float("nan")
    kb, user, system = fields[-3:]
    return (result if status == 0 else None), int(kb) / 1024, float(user) + float(system)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", default="3,8")
    ap.add_argument("--torch-epochs", type=int, default=3)
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("cells", nargs="+")
    args = ap.parse_args()
    # One count (--epochs E) runs Philia once: the step columns only.
    counts = [int(v) for v in args.epochs.split(",")]
    e1, e2 = (None, counts[0]) if len(counts) == 1 else counts
    t = args.threads
    print("| graph | model | H | T | Philia CPU ms/epoch | PyTorch CPU ms/epoch (step + eval) "
          "| ratio | step CPU ms: Philia (median) / PyTorch (mean) | step ratio | Philia MB "
          "| PyTorch MB | Philia loss | load |", flush=True)
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    for cell in args.cells:
        path, model, hidden = cell.rsplit(":", 2)
        sparse = path.endswith("s.npz")
        cmd = [cli, "train", path, "--model", model, "--threads", str(t), "--json"]
        if not sparse:
            cmd.append("--no-normalize")
        if model == "gat":
            cmd += ["--hidden", str(max(int(hidden) // 8, 1)), "--heads", "8"]
        elif model != "sgc":
            cmd += ["--hidden", hidden]
        r1, mb1, cpu1 = (timed(cmd + ["--epochs", str(e1)], t) if e1
                         else ({}, 0, float("nan")))
        r2, mb2, cpu2 = timed(cmd + ["--epochs", str(e2)], t)
        ph = (cpu2 - cpu1) * 1e3 / (e2 - e1) if e1 and r1 and r2 else float("nan")
        loss = "%.9g" % r2["final_loss"] if r2 else "failed"
        pt, pt_step, pt_mb = float("nan"), float("nan"), float("nan")
        ph_step = r2["epoch_ms_median"] if r2 else float("nan")
        if not args.no_torch:
            res, pt_mb, _ = timed([python, os.path.join(here, "grid-torch.py"), path, model,
                                   hidden, str(t), str(args.torch_epochs),
                                   "normalize" if sparse else "raw"], t)
            if res:
                pt_step = res["epoch_cpu_ms"]
                pt = pt_step + res["eval_cpu_ms"]
        print("| %s | %s | %s | %d | %.1f | %.1f (%.1f + %.1f) | %.1f× | %.1f / %.1f | %.1f× "
              "| %.0f | %.0f | %s | %s |" % (
                  os.path.basename(path), model, "-" if model == "sgc" else hidden, t, ph, pt,
                  pt_step, pt - pt_step, pt / ph, ph_step, pt_step, pt_step / ph_step,
                  max(mb1, mb2), pt_mb, loss, load()), flush=True)


if __name__ == "__main__":
    main()
