#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench-proximity.py DIR: the heuristics of bench-proximity.c with scipy sparse
products (and numpy) and with networkx's link-prediction functions, on the same
graphs and the same pairs that bench-proximity wrote into DIR. Loading and
building the matrices/graphs is not timed. Each baseline's scores are checked
against Philia's. Where a baseline would take far too long (networkx sp and
ppr, scipy sp on 10^5 nodes), it runs on a prefix of the pairs for a time
budget and is extrapolated linearly (marked "~")."""
import math
import os
import sys
import time

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

BETA, LEN, ALPHA = 0.005, 3, 0.15
BUDGET = 20.0  # seconds per slow baseline before extrapolating
FAST_RUNS = 10  # best of this many runs for pa and fp, as bench-proximity.c does


def load(path):
    d = np.load(path)
    e = d["edges"]
    x = d["node_features"] if "node_features" in d.files else np.zeros((0, 0), np.float32)
    n = len(d["node_labels"])
    e = e[e[:, 0] != e[:, 1]]
    a = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n)).tocsr()
    a = ((a + a.T) > 0).astype(np.float64).tocsr()
    a.sort_indices()
    return a, x.astype(np.float64) if x.size else x


def timed(fn, runs=1):
    best, out = math.inf, None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


# ---------------------------------------------------------------- scipy


def sp_local(a, deg, u, v, which):
    common = a[u].multiply(a[v])
    if which == "cn":
        return np.asarray(common.sum(1)).ravel()
    if which == "jaccard":
        cn = np.asarray(common.sum(1)).ravel()
        uni = deg[u] + deg[v] - cn
        return np.divide(cn, uni, out=np.zeros_like(cn), where=uni > 0)
    with np.errstate(divide="ignore"):
        w = 1 / np.log(deg) if which == "aa" else 1 / deg
    w[deg == 0] = 0
    return common @ w


def sp_katz(a, u, v):
    uu, inv = np.unique(u, return_inverse=True)
    av = a[v]
    rows = a[uu]
    out = BETA * np.asarray(a[u, v]).ravel()
    bl = BETA
    for _ in range(2, LEN + 1):
        bl *= BETA
        out += bl * np.asarray(rows[inv].multiply(av).sum(1)).ravel()
        rows = rows @ a
    return out


def sp_ppr(a, deg, u, v):
    """Block power iteration over the distinct sources, enough steps for an L1
    error below 1e-10: 2 (1 − α)^k < 1e-10."""
    n = a.shape[0]
    steps = math.ceil(math.log(0.5e-10) / math.log(1 - ALPHA))
    uu, inv = np.unique(u, return_inverse=True)
    dinv = np.divide(1.0, deg, out=np.zeros(n), where=deg > 0)
    walk = (a @ sp.diags(dinv)).tocsr()  # column-stochastic A D⁻¹ (zero columns dangle)
    dangling = deg == 0
    out = np.empty(len(u))
    for start in range(0, len(uu), 256):
        src = uu[start:start + 256]
        k = len(src)
        x = np.zeros((n, k))
        x[src, np.arange(k)] = 1
        for _ in range(steps):
            lost = x[dangling].sum(0)
            y = (1 - ALPHA) * (walk @ x)
            y[src, np.arange(k)] += ALPHA + (1 - ALPHA) * lost
            x = y
        sel = (inv >= start) & (inv < start + k)
        out[sel] = x[v[sel], inv[sel] - start]
    return out


def sp_sp(a, u, v, budget):
    uu, inv = np.unique(u, return_inverse=True)
    out = np.full(len(u), np.nan)
    t0 = time.perf_counter()
    done = 0
    for start in range(0, len(uu), 200):
        src = uu[start:start + 200]
        dist = csgraph.shortest_path(a, unweighted=True, directed=False, indices=src)
        sel = (inv >= start) & (inv < start + len(src))
        dv = dist[inv[sel] - start, v[sel]]
        out[sel] = np.where(np.isinf(dv), -1, dv)
        done += len(src)
        if time.perf_counter() - t0 > budget:
            break
    return out, done / len(uu)


def np_fp(x, u, v):
    norms = np.linalg.norm(x, axis=1)
    safe = np.where(norms > 0, norms, 1)
    xn = x / safe[:, None]
    out = (xn[u] * xn[v]).sum(1)
    out[(norms[u] == 0) | (norms[v] == 0)] = 0
    return out


# ------------------------------------------------------------- networkx


def nx_local(g, pairs, which):
    if which == "cn":
        return np.array([len(list(nx.common_neighbors(g, a, b))) for a, b in pairs], float)
    fn = {"jaccard": nx.jaccard_coefficient, "aa": nx.adamic_adar_index,
          "ra": nx.resource_allocation_index, "pa": nx.preferential_attachment}[which]
    return np.array([s for _, _, s in fn(g, pairs)], float)


def nx_prefix(fn, pairs, budget):
    out, t0 = [], time.perf_counter()
    for a, b in pairs:
        out.append(fn(a, b))
        if time.perf_counter() - t0 > budget:
            break
    return np.array(out, float), len(out) / len(pairs)


def nx_sp(g):
    def one(a, b):
        try:
            return nx.shortest_path_length(g, a, b)
        except nx.NetworkXNoPath:
            return -1
    return one


def nx_ppr(g):
    n = g.number_of_nodes()

    def one(a, b):
        return nx.pagerank(g, alpha=1 - ALPHA, personalization={a: 1}, tol=1e-10 * ALPHA / n,
                           max_iter=10000)[b]
    return one


# ----------------------------------------------------------------- main


def agree(ours, theirs):
    m = ~np.isnan(theirs)
    if not m.any():
        return "-"
    d = np.abs(ours[: len(theirs)][m] - theirs[m]) / np.maximum(1, np.abs(theirs[m]))
    return f"{d.max():.1e}"


def bench(folder, name, path, philia):
    a, x = load(path)
    n = a.shape[0]
    deg = np.asarray(a.sum(1)).ravel()
    pairs = np.fromfile(os.path.join(folder, f"{name}-pairs.bin"), dtype="<i8").reshape(-1, 2)
    u, v = pairs[:, 0], pairs[:, 1]
    g = nx.from_scipy_sparse_array(a)
    # networkx's Adamic–Adar divides by log 1 on a (u, u) pair: self pairs are
    # left out of the networkx runs (a few in 10^5).
    distinct = [(int(p), int(q)) for p, q in pairs if p != q]
    print(f"{name}: {n} nodes, {a.nnz // 2} edges, {x.shape[1] if x.size else 0} features, "
          f"{len(pairs)} pairs")
    print(f"  {'heuristic':9} {'pairs':>7} {'philia s':>10} {'scipy s':>10} {'networkx s':>11} "
          f"{'best/philia':>11}  agreement")
    total_ours = total_best = 0.0
    for h in ["cn", "jaccard", "aa", "ra", "pa", "katz", "ppr", "sp", "fp"]:
        count, ours_t = philia[(name, h)]
        ours = np.fromfile(os.path.join(folder, f"{name}-scores-{h}.bin"), dtype="<f8")
        uu, vv = u[:count], v[:count]
        sci_t = nxt = math.inf
        sci = None
        mark_s = mark_n = " "
        if h in ("cn", "jaccard", "aa", "ra"):
            sci_t, sci = timed(lambda: sp_local(a, deg, uu, vv, h), 3)
            nxt, _ = timed(lambda: nx_local(g, distinct, h))
        elif h == "pa":
            sci_t, sci = timed(lambda: deg[uu] * deg[vv], FAST_RUNS)
            nxt, _ = timed(lambda: nx_local(g, distinct, h))
        elif h == "katz":
            sci_t, sci = timed(lambda: sp_katz(a, uu, vv))
        elif h == "ppr":
            sci_t, sci = timed(lambda: sp_ppr(a, deg, uu, vv))
            t, (_, frac) = timed(lambda: nx_prefix(nx_ppr(g), distinct[:count], BUDGET / 2))
            nxt, mark_n = t / frac, "~"
        elif h == "sp":
            t, (sci, frac) = timed(lambda: sp_sp(a, uu, vv, BUDGET))
            sci_t, mark_s = t / frac, "~" if frac < 1 else " "
            t, (_, frac) = timed(lambda: nx_prefix(nx_sp(g), distinct, BUDGET))
            nxt, mark_n = t / frac, "~" if frac < 1 else " "
        elif h == "fp":
            if x.size:
                sci_t, sci = timed(lambda: np_fp(x, uu, vv), FAST_RUNS)
        best = min(sci_t, nxt)
        ratio = best / ours_t if math.isfinite(best) else math.nan
        print(f"  {h:9} {count:7d} {ours_t:10.6f} {mark_s}{sci_t:9.6f} {mark_n}{nxt:10.4f} "
              f"{ratio:10.1f}x  {agree(ours, sci) if sci is not None else '-'}")
        if h != "ppr" and math.isfinite(best):
            total_ours += ours_t
            total_best += best
    together = philia[(name, "together")][1]
    print(f"  all but ppr: philia {total_ours:.4f} s one by one, {together:.4f} s in one call; "
          f"best baseline {total_best:.4f} s → {total_best / together:.1f}x")


def main():
    folder = sys.argv[1]
    philia = {}
    with open(os.path.join(folder, "philia-times.txt")) as f:
        for line in f:
            name, h, count, t = line.split()
            philia[(name, h)] = (int(count), float(t))
    shared = os.environ.get("PHILIA_SHARED_DATASETS")
    if ("pubmed", "cn") in philia and shared:
        bench(folder, "pubmed", os.path.join(shared, "pubmed.npz"), philia)
    bench(folder, "generated", os.path.join(folder, "generated.npz"), philia)


main()
