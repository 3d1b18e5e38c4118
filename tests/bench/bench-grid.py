#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 20 "every shape": per-epoch time and peak memory of Philia
# (philia-cli train --json, its epoch_ms_median: forward + backward + step)
# beside Debian's PyTorch (grid-torch.py, the same recipe and scope) in the
# same run, one process per cell and side, each process's own peak RSS
# (GNU time). Models GCN, SAGE, GAT, MLP, SGC; hidden widths 16 to 512 (GAT: the
# width of its 8 heads together); feature widths 10 and 128 (dense Gaussian,
# from generate csbm) and 1,500 and 8,000 (sparse bag-of-words, 20 and 40
# words a node, drawn per class); CSBM graphs of 2,708 to 10^6 nodes, mean
# degree 4 to 88.
#
# Usage: bench-grid.py [--quick | --medium | --full | --offgrid] [--epochs N]
#                      [--out FILE.md] [--threads 1,2] [--max-nodes N] [--rounds R]
#                      [--only TEXT] [--no-pin] [--datasets DIR] [--cpu-clock]
# --quick (default) runs a few-minute subset; --medium the 90 cells of the idle
# grids in GRID.md (the six graphs of at most 11,758 nodes, GAT on the
# 2,708-node ones), one and two threads, about 15 minutes; --full the whole
# grid (hours; the 10^6-node graphs need a few GB). --threads runs every cell
# of the mode at each of the given thread counts (default: the mode's own);
# --max-nodes leaves out larger graphs; --only keeps the cells whose
# "nodes-degree-features-model-hidden" contains TEXT. --rounds runs each cell
# R times, Philia and PyTorch alternately, and reports each side's median over
# the rounds (a single run of either side can be off by 2x on a shared
# machine) with the range beside it.
#
# --cpu-clock compares process CPU time instead of wall time: Philia's
# epoch_ms_median under PHILIA_EPOCH_CLOCK=cpu against grid-torch.py's
# epoch_cpu_ms_median, both the median epoch. On a machine other work shares,
# wall time counts the waits for a core and CPU time does not; at one thread
# the two measure the same work. At two threads CPU time sums both threads,
# so it shows the work, not the speed-up.
#
# --offgrid runs shapes the grid does not have: widths that are not a multiple
# of 16 (hidden 24, 100, 200; GAT heads of 3, 12 and 25), dense features of
# 3, 50 and 300, a 3,000-word vocabulary, degrees 2 to 150, and the real
# datasets of --datasets DIR (the shared .npz layout, binary words, so
# normalized). The grid's fast paths were tuned on its widths; this mode
# asks whether they hold elsewhere. Beside each cell Philia also runs alone at
# the next multiple of 16 of the width (8 per head for GAT), and the "cliff"
# column is the odd width's epoch over that wider one's: a ratio above 1
# means the narrower layer costs more than the wider, a path that falls off.
# Off the grid, a dense product of thousands of rows by hundreds of columns is
# bound by the FMA units on both sides, so the summary counts the cliffs and
# the cells below 10x without treating 10x as the bar there.
#
# Rounds are paired. On a VM one vCPU can run the same work 25-50 % slower
# than another, which one changing from minute to minute (GRID.md, "Idle
# grids after session 21"); a ratio of two medians taken on whichever vCPUs
# each process landed on inherits that swing. So both sides of a round run
# on the same CPUs (sched_setaffinity, when the cell uses fewer threads than
# there are CPUs; round r takes the next CPUs in turn, so every CPU is
# sampled), one right after the other, the side that goes first alternating
# from round to round; the ratio reported is the median of the rounds'
# ratios. --no-pin leaves placement to the scheduler. Needs PHILIA_CLI (the
# philia-cli binary). Prints a table with the load average; --out appends it as
# Markdown. When a cell ran at one and at two threads, a summary follows: the
# cells below 10x, those where two threads were over 5 % slower than one, and
# those where Philia's peak memory exceeded PyTorch's.
import argparse, datetime, json, os, platform, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
cli = os.environ.get("PHILIA_CLI", "philia-cli")
python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
# GNU time measures each side's own peak RSS (see run); without it the figure
# falls back to wait4's, which includes this script's pages.
timer = os.access("/usr/bin/time", os.X_OK)


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run(cmd, threads, cpus=None, cpu_clock=False):
    """Runs @cmd; its last JSON line on stdout and its own peak RSS in MB.

    The peak comes from /usr/bin/time, not from this process's wait4: a child
    forked (or vforked) from Python starts with this interpreter's pages, and
    Linux carries the larger of the old and the new address space's peak
    across exec, so wait4's ru_maxrss counted the parent's numpy arrays on
    both sides. /usr/bin/time is a small process: what its child inherits is
    negligible."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               PYTHONWARNINGS="ignore")
    if cpu_clock:
        env["PHILIA_EPOCH_CLOCK"] = "cpu"
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as peak:
        wrapped = ["/usr/bin/time", "-f", "%M", "-o", peak.name] + cmd if timer else cmd
        pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
        p = subprocess.Popen(wrapped, stdout=out, stderr=subprocess.DEVNULL, env=env,
                             preexec_fn=pin)
        _, status, usage = os.wait4(p.pid, 0)
        out.seek(0)
        text = out.read().decode()
        kb = usage.ru_maxrss
        if timer:
            # time writes "Command exited with non-zero status N" first on failure.
            lines = peak.read().split()
            kb = int(lines[-1]) if lines and lines[-1].isdigit() else float("nan")
    result = None
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                result = json.loads(line)
            except ValueError:
                pass
    if status != 0 or result is None:
        return None, kb / 1024
    return result, kb / 1024


def make_graph(folder, nodes, degree, features, sparse):
    """A CSBM graph (5 classes) with dense Gaussian features, or sparse binary
    bag-of-words ones of @features words."""
    name = os.path.join(folder, "csbm-n%d-d%g-f%d%s.npz" % (nodes, degree, features,
                                                              "s" if sparse else ""))
    if os.path.exists(name):
        return name
    subprocess.run([cli, "generate", "csbm", "--nodes", str(nodes), "--degree", str(degree),
                    "--classes", "5", "--features", "2" if sparse else str(features),
                    "--homophily", "0.6", "--splits", "1", "--seed", "1", "-o", name],
                   check=True, stdout=subprocess.DEVNULL)
    if sparse:
        import numpy as np
        d = dict(np.load(name))
        rng = np.random.default_rng(1)
        y = d["node_labels"]
        words = 20 if features <= 2000 else 40
        x = np.zeros((nodes, features), dtype=np.float32)
        # Half of a node's words from its class's tenth of the vocabulary.
        topic = (y[:, None] * (features // 10) + rng.integers(0, features // 10, (nodes, words)))
        noise = rng.integers(0, features, (nodes, words))
        pick = np.where(rng.random((nodes, words)) < 0.5, topic, noise) % features
        x[np.arange(nodes)[:, None], pick] = 1
        d["node_features"] = x
        np.savez(name, **d)
    return name


def graph_path(folder, g):
    """The .npz of graph spec @g: a (nodes, degree, features, sparse) CSBM
    made by make_graph, or ("file", PATH, LABEL) for a dataset on disk."""
    if g[0] == "file":
        return g[1]
    return make_graph(folder, *g)


def graph_label(g):
    """The table's graph and feature columns for graph spec @g."""
    if g[0] == "file":
        import numpy as np
        with np.load(g[1]) as d:
            n, f = d["node_features"].shape
        return "%s (%d n)" % (g[2], n), "%d words" % f
    nodes, degree, features, sparse = g
    return "%d n, deg %g" % (nodes, degree), "%d%s" % (features, " sparse" if sparse else "")


def graph_normalized(g):
    """Bag-of-words features are row-normalized (PyG's NormalizeFeatures),
    dense Gaussian ones are not: the real datasets here are binary words."""
    return g[0] == "file" or g[3]


def twin_width(model, hidden):
    """The width the off-grid cliff is measured against: the next multiple of
    16, or for GAT (hidden = 8 heads together) of 8 a head; None when
    @hidden is already one."""
    if model == "sgc":
        return None
    step = 64 if model == "gat" else 16
    up = -(-hidden // step) * step
    return None if up == hidden else up


def train_cmd(path, model, hidden, threads, epochs, normalized):
    """philia-cli train's command line for one cell."""
    cmd = [cli, "train", path, "--model", model, "--epochs", str(epochs), "--threads",
           str(threads), "--json"]
    if not normalized:
        cmd.append("--no-normalize")
    if model == "gat":
        cmd += ["--hidden", str(max(hidden // 8, 1)), "--heads", "8"]
    elif model != "sgc":
        cmd += ["--hidden", str(hidden)]
    return cmd


def median(values):
    """The median of @values (the mean of the middle two for an even count);
    NaN when any run failed, so a failure is never hidden by the others."""
    v = sorted(values)
    if any(x != x for x in v):
        return float("nan")
    return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2


def summary(rows, emit):
    """For the cells run at one and at two threads: the cells below 10x at
    either count, the ones where two threads were over 5 % slower than one,
    and the peaks above PyTorch's."""
    both = [(k, r) for k, r in rows.items() if 1 in r and 2 in r]
    if not both:
        return
    below = {1: [], 2: []}
    slower, heavier = [], []
    for key, r in both:
        name = "%s, %s, %s %s" % key
        for t in (1, 2):
            ph, pt, ph_mb, pt_mb, ratio = r[t]
            if not ratio >= 10:
                below[t].append("%s (%.2f / %.2f ms, %.1f×)" % (name, ph, pt, ratio))
            if not ph_mb <= pt_mb:
                heavier.append("%s at %d thread%s (%.0f / %.0f MB)" % (
                    name, t, "s" if t > 1 else "", ph_mb, pt_mb))
        if not r[2][0] <= 1.05 * r[1][0]:
            slower.append("%s (%.2f → %.2f ms)" % (name, r[1][0], r[2][0]))
    emit("")
    emit("%d cells at one and two threads. Below 10×: %d at one thread, %d at two. "
         "Two threads over 5 %% slower than one: %d. Peak memory above PyTorch's: %d." % (
             len(both), len(below[1]), len(below[2]), len(slower), len(heavier)))
    for title, items in (("Below 10× at one thread", below[1]), ("Below 10× at two threads",
                         below[2]), ("Two threads slower", slower), ("Peak above PyTorch's",
                                                                    heavier)):
        if items:
            emit("")
            emit(title + ":")
            for item in items:
                emit("- " + item)


def grid(mode, threads=None, max_nodes=None, datasets=None):
    """The mode's cells, at @threads (a list) instead of their own thread
    counts when given, on graphs of at most @max_nodes nodes."""
    cells = mode_grid(mode, datasets)
    if threads:
        seen, picked = set(), []
        for g, m, h, _ in cells:
            if (g, m, h) not in seen:
                seen.add((g, m, h))
                picked += [(g, m, h, t) for t in threads]
        cells = picked
    if max_nodes:
        cells = [c for c in cells if c[0][0] == "file" or c[0][0] <= max_nodes]
    return cells


# The real datasets --offgrid runs, when --datasets names their folder.
OFFGRID_DATASETS = ["cora", "citeseer", "chameleon", "squirrel", "actor", "wisconsin",
                    "arnet_acm"]


def mode_grid(mode, datasets=None):
    """(nodes, degree, features, sparse) graphs and the cells on each."""
    models = ["gcn", "sage", "gat", "mlp", "sgc"]
    if mode == "offgrid":
        graphs = [(5000, 30, 300, False), (30000, 6, 50, False), (20000, 2, 3, False),
                  (4000, 150, 64, False), (8000, 10, 3000, True)]
        if datasets:
            graphs += [("file", os.path.join(datasets, name + ".npz"), name)
                       for name in OFFGRID_DATASETS
                       if os.path.exists(os.path.join(datasets, name + ".npz"))]
        cells = []
        for g in graphs:
            for m in models:
                for h in ([16] if m == "sgc" else [24, 100, 200]):
                    cells.append((g, m, h, 1))
        return cells
    if mode == "medium":
        # PyTorch's GAT takes seconds an epoch on the degree-88 graphs: GAT
        # runs on the 2,708-node ones only, as in the quick subset.
        cells = []
        for g in [(11758, 88, 10, False), (2708, 4, 1500, True), (2708, 4, 8000, True),
                  (2708, 4, 10, False), (11758, 88, 128, False), (11758, 20, 8000, True)]:
            for m in models:
                if m == "gat" and g[0] > 2708:
                    continue
                for h in ([16] if m == "sgc" else [16, 64, 256, 512]):
                    cells += [(g, m, h, 1), (g, m, h, 2)]
        return cells
    if mode == "quick":
        # PyTorch's GAT takes seconds an epoch on the 10^6-entry graph: the
        # quick subset times GAT on the small one only.
        cells = [((11758, 88, 10, False), m, h, 1) for m in ["gcn", "sage", "mlp"]
                 for h in [16, 64, 256]]
        cells += [((11758, 88, 10, False), "sgc", 16, 1), ((11758, 88, 10, False), "gcn", 64, 2)]
        cells += [((2708, 4, 1500, True), m, h, 1) for m in ["gcn", "sage", "gat", "mlp"]
                  for h in [16, 64, 256]]
        cells += [((2708, 4, 1500, True), "sgc", 16, 1), ((2708, 4, 1500, True), "gcn", 64, 2)]
        return cells
    else:
        graphs = [(2708, 4, 1500, True), (2708, 4, 8000, True), (2708, 4, 10, False),
                  (11758, 88, 10, False), (11758, 88, 128, False), (11758, 20, 8000, True),
                  (100000, 10, 128, False), (100000, 10, 1500, True), (1000000, 4, 10, False)]
        hiddens, threads = [16, 64, 256, 512], [1, 2]
        extra = []
    cells = []
    for g in graphs:
        for m in models:
            for h in ([hiddens[0]] if m == "sgc" else hiddens):
                for t in threads:
                    cells.append((g, m, h, t))
    return cells + extra


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_const", dest="mode", const="quick", default="quick")
    ap.add_argument("--medium", action="store_const", dest="mode", const="medium")
    ap.add_argument("--full", action="store_const", dest="mode", const="full")
    ap.add_argument("--offgrid", action="store_const", dest="mode", const="offgrid")
    ap.add_argument("--datasets", help="--offgrid: folder of the real datasets' .npz files")
    ap.add_argument("--cpu-clock", action="store_true",
                    help="compare the median epoch's process CPU time, not its wall time")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--out")
    ap.add_argument("--threads", help="thread counts to run every cell at, e.g. 1,2")
    ap.add_argument("--max-nodes", type=int, help="leave out graphs with more nodes")
    ap.add_argument("--rounds", type=int, default=1,
                    help="runs of each side per cell, alternating; the median is reported")
    ap.add_argument("--only", help="keep cells whose nodes-degree-features-model-hidden "
                    "contains this text")
    ap.add_argument("--no-pin", action="store_true",
                    help="do not run both sides of a round on the same CPUs")
    ap.add_argument("--folder",
                    help="where the generated graphs are kept (default: a temporary one)")
    args = ap.parse_args()

    tmp = None
    folder = args.folder
    if folder is None:
        tmp = tempfile.TemporaryDirectory()
        folder = tmp.name
    os.makedirs(folder, exist_ok=True)
    out = open(args.out, "a") if args.out else None

    def emit(text):
        print(text, flush=True)
        if out is not None:
            out.write(text + "\n")
            out.flush()

    allowed = sorted(os.sched_getaffinity(0))
    emit("bench-grid --%s, %d epochs, %s, %s, %d CPUs; load average at start %s; %s" % (
        args.mode, args.epochs, datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"),
        platform.processor() or platform.machine(), os.cpu_count(), load(),
        ("rounds unpinned" if args.no_pin else
         "both sides of a round pinned to the same CPUs; ratio = median of the rounds' ratios")
        + ("; process CPU time of the median epoch" if args.cpu_clock else "")))
    emit("")
    spread = args.rounds > 1
    offgrid = args.mode == "offgrid"
    emit("| graph | F | model | H | T | Philia ms | PyTorch ms | ratio | Philia MB | PyTorch MB "
         "| load |" + (" next H | its ms | cliff |" if offgrid else "")
         + (" Philia range | PyTorch range | ratio range |" if spread else ""))
    emit("|---|---|---|---|---|---|---|---|---|---|---|" + ("---|---|---|" if offgrid else "")
         + ("---|---|---|" if spread else ""))
    rows, cliffs = {}, []
    torch_field = "epoch_cpu_ms_median" if args.cpu_clock else "epoch_ms_median"
    for g, model, hidden, threads in grid(
            args.mode, [int(t) for t in args.threads.split(",")] if args.threads else None,
            args.max_nodes, args.datasets):
        name = g[2] if g[0] == "file" else "%d-%g-%d%s" % (g[0], g[1], g[2],
                                                          "s" if g[3] else "")
        if args.only and args.only not in "%s-%s-%d" % (name, model, hidden):
            continue
        path = graph_path(folder, g)
        normalized = graph_normalized(g)
        cmd = train_cmd(path, model, hidden, threads, args.epochs, normalized)
        torch_cmd = [python, os.path.join(here, "grid-torch.py"), path, model, str(hidden),
                     str(threads), str(args.epochs), "normalize" if normalized else "raw"]
        twin = twin_width(model, hidden) if args.mode == "offgrid" else None
        twin_cmd = (train_cmd(path, model, twin, threads, args.epochs, normalized)
                    if twin else None)
        ph_all, pt_all, tw_all, ph_mb, pt_mb = [], [], [], 0.0, 0.0
        for r in range(args.rounds):
            cpus = None
            if not args.no_pin and threads < len(allowed):
                cpus = {allowed[(r * threads + i) % len(allowed)] for i in range(threads)}
            for side in ((0, 1) if r % 2 == 0 else (1, 0)):
                if side == 0:
                    ph, mb = run(cmd, threads, cpus, args.cpu_clock)
                    ph_all.append(ph["epoch_ms_median"] if ph else float("nan"))
                    ph_mb = max(ph_mb, mb)
                    if twin_cmd:
                        # Right after the odd width, on the same CPUs: the
                        # cliff is a ratio of two runs a second apart.
                        tw, _ = run(twin_cmd, threads, cpus, args.cpu_clock)
                        tw_all.append(tw["epoch_ms_median"] if tw else float("nan"))
                else:
                    pt, mb = run(torch_cmd, threads, cpus)
                    pt_all.append(pt[torch_field] if pt else float("nan"))
                    pt_mb = max(pt_mb, mb)
        ph_ms, pt_ms = median(ph_all), median(pt_all)
        ratios = [b / a if a > 0 else float("nan") for a, b in zip(ph_all, pt_all)]
        ratio = median(ratios)
        key = graph_label(g) + (model, "-" if model == "sgc" else str(hidden))
        rows.setdefault(key, {})[threads] = (ph_ms, pt_ms, ph_mb, pt_mb, ratio)
        extra = ""
        if args.mode == "offgrid":
            extra = " - | - | - |"
        if twin:
            cliff = median([a / b if b > 0 else float("nan") for a, b in zip(ph_all, tw_all)])
            extra = " %d | %.2f | %.2f |" % (twin, median(tw_all), cliff)
            if not cliff <= 1.10:
                cliffs.append("%s, %s, %s %s at %d thread%s: %.2f ms against %.2f ms at %d "
                              "(%.2f)" % (key + (threads, "s" if threads > 1 else "", ph_ms,
                                                 median(tw_all), twin, cliff)))
        emit("| %s | %s | %s | %s | %d | %.2f | %.2f | %.1f× | %.0f | %.0f | %s |" % (
            key + (threads, ph_ms, pt_ms, ratio, ph_mb, pt_mb, load().split()[0])) + extra
             + (" %.2f–%.2f | %.2f–%.2f | %.1f–%.1f× |" % (
                 min(ph_all), max(ph_all), min(pt_all), max(pt_all), min(ratios), max(ratios))
                if spread else ""))
    summary(rows, emit)
    if args.mode == "offgrid":
        below = ["%s, %s, %s %s at %d (%.1f×)" % (k + (t, v[4])) for k, r in rows.items()
                 for t, v in sorted(r.items()) if not v[4] >= 10]
        heavier = ["%s, %s, %s %s at %d (%.0f / %.0f MB)" % (k + (t, v[2], v[3]))
                   for k, r in rows.items() for t, v in sorted(r.items()) if not v[2] <= v[3]]
        emit("")
        emit("%d off-grid cells. Cliffs (an odd width over 1.10 of the next multiple's "
             "epoch): %d. Below 10×: %d. Peak memory above PyTorch's: %d." % (
                 sum(len(r) for r in rows.values()), len(cliffs), len(below), len(heavier)))
        for title, items in (("Cliffs", cliffs), ("Below 10×", below),
                             ("Peak above PyTorch's", heavier)):
            if items:
                emit("")
                emit(title + ":")
                for item in items:
                    emit("- " + item)
    emit("")
    emit("load average at end %s" % load())
    emit("")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
