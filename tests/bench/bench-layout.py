#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench-layout.py OUTDIR: python-igraph's Fruchterman-Reingold and DrL on the
graphs bench-layout wrote to OUTDIR (pubmed.npz, generated.npz), with the
parameters Philia passes (niter=500, start_temp=sqrt(n), grid auto; DrL's
default options), as many runs as Philia had. Then the side-by-side table with
OUTDIR/philia.tsv. Graph construction is timed apart from the layout.

python-igraph's own start_temp default is sqrt(n)/10; Philia's (and R's) is
sqrt(n), so it is passed explicitly here."""
import math
import os
import random
import sys
import time

import numpy as np

try:
    import igraph
except ImportError:
    print("bench-layout.py: python3-igraph is not installed; skipping.")
    sys.exit(77)


def load(path):
    with np.load(path, allow_pickle=False) as d:
        edges = d["edges"]
        n = d["node_labels"].shape[0]
    t = time.perf_counter()
    g = igraph.Graph(n=int(n), edges=edges.astype(np.int64).tolist(), directed=False)
    return g, time.perf_counter() - t


def layout(g, algorithm):
    random.seed(42)
    if algorithm == "fr":
        return g.layout_fruchterman_reingold(niter=500, start_temp=math.sqrt(g.vcount()),
                                             grid="auto")
    return g.layout_drl()


def main():
    out = sys.argv[1]
    rows = []
    with open(os.path.join(out, "philia.tsv")) as f:
        for line in f:
            name, algorithm, n, m, runs, impl, best, median = line.rstrip("\n").split("\t")
            rows.append((name, algorithm, int(runs), impl, float(best), float(median)))

    graphs = {}
    results = {}
    for name, algorithm, runs, impl, best, median in rows:
        results[(name, algorithm, impl)] = (best, median, runs)
        if impl != "philia":
            continue
        if name not in graphs:
            graphs[name] = load(os.path.join(out, name + ".npz"))
            g, build = graphs[name]
            print(f"{name:10s} python-igraph Graph() from the edge list {build:.2f} s "
                  f"({g.vcount()} nodes, {g.ecount()} edges, "
                  f"{len(g.components())} component(s))")
        g = graphs[name][0]
        # One untimed run first, as bench-layout.c gives each of its sides
        # (not for the generated graph's DrL, about 27 minutes a run).
        if not (algorithm == "drl" and name == "generated"):
            layout(g, algorithm)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            layout(g, algorithm)
            times.append(time.perf_counter() - t)
        times.sort()
        results[(name, algorithm, "python")] = (times[0], times[runs // 2], runs)
        print(f"{name:10s} {algorithm:4s} python-igraph  best {times[0]:8.2f} s  "
              f"median {times[runs // 2]:8.2f} s  ({runs} runs)", flush=True)

    print()
    print("graph      algo  runs   philia   igraph C  python-igraph   philia/C  philia/python")
    for (name, algorithm, impl), (best, median, runs) in results.items():
        if impl != "philia":
            continue
        c = results[(name, algorithm, "igraph-c")][1]
        py = results[(name, algorithm, "python")][1]
        print(f"{name:10s} {algorithm:4s} {runs:4d} {median:8.2f} s {c:8.2f} s {py:10.2f} s"
              f"   {median / c:8.3f}  {median / py:10.3f}")
    print("(medians, seconds)")


main()
