#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The numpy + scipy baseline for bench-load.c: numpy.load of every member plus
the symmetric CSR adjacency with scipy.sparse, best and median of 5 runs after
one warm-up. Usage: bench-load.py [FILE.npz ...]; without arguments,
pubmed.npz and squirrel.npz from $PHILIA_SHARED_DATASETS."""

import os
import sys
import time

import numpy as np
import scipy.sparse as sp

RUNS = 5


def load(path):
    with np.load(path, allow_pickle=False) as d:
        arrays = {k: d[k] for k in d.files}
    e = arrays["edges"]
    n = arrays["node_labels"].shape[0]
    src = np.concatenate([e[:, 0], e[:, 1]])
    dst = np.concatenate([e[:, 1], e[:, 0]])
    adj = sp.csr_matrix((np.ones(len(src), dtype=np.float32), (src, dst)), shape=(n, n))
    adj.sum_duplicates()
    return n, len(e), arrays, adj


def bench(path):
    times = []
    for run in range(RUNS + 1):
        start = time.perf_counter()
        n, m, _, _ = load(path)
        if run > 0:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print("numpy   %-14s nodes %7d  edges %8d  best %8.2f ms  median %8.2f ms"
          % (os.path.basename(path), n, m, times[0], times[RUNS // 2]))


def main():
    paths = sys.argv[1:]
    if not paths:
        folder = os.environ.get("PHILIA_SHARED_DATASETS")
        if not folder:
            sys.stderr.write("Set PHILIA_SHARED_DATASETS or name the files to load.\n")
            sys.exit(77)
        paths = [os.path.join(folder, f) for f in ("pubmed.npz", "squirrel.npz")]
    for path in paths:
        bench(path)


if __name__ == "__main__":
    main()
