#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A straightforward PyTorch implementation of GCN, MLP, H2GCN and GPR-GNN with
# the recipes philia-cli uses (row-normalised features, Adam, test accuracy at
# the best validation epoch), on the same shared splits, to compare accuracies
# with bench-accuracy.py. Written from the papers, independent of Philia's code.
# Usage: accuracy-torch.py [--models gcn,h2gcn] [--datasets chameleon:splits] [--runs 10]
import argparse, os, statistics, time
import numpy as np
import scipy.sparse as sp
import torch
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--models", default="mlp,gcn,h2gcn,gprgnn")
parser.add_argument("--datasets", default="cora:seeds,chameleon:splits,squirrel:splits")
parser.add_argument("--runs", type=int, default=10)
parser.add_argument("--threads", type=int, default=1)
args = parser.parse_args()
torch.set_num_threads(args.threads)
folder = os.environ.get("PHILIA_SHARED_DATASETS", "../shared/datasets")


def to_torch(m):
    m = m.tocoo()
    return torch.sparse_coo_tensor(np.vstack([m.row, m.col]), m.data.astype(np.float32),
                                   m.shape).coalesce()


def sym(m):
    d = np.asarray(m.sum(1)).ravel()
    dinv = np.where(d > 0, 1 / np.sqrt(np.maximum(d, 1e-12)), 0)
    return sp.diags(dinv) @ m @ sp.diags(dinv)


def load(name):
    d = np.load(os.path.join(folder, name + ".npz"))
    x = d["node_features"].astype(np.float32)
    s = x.sum(1, keepdims=True)
    x = np.where(s > 0, x / np.where(s > 0, s, 1), 0)
    e = d["edges"]
    n = x.shape[0]
    a = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    a = ((a + a.T) > 0).astype(np.float64).tocsr()
    a2 = ((a @ a) > 0).astype(np.float64).tolil()
    a2.setdiag(0)
    a2 = a2.tocsr()
    a2 = a2 - a2.multiply(a)
    a2.eliminate_zeros()
    g = {"gcn": to_torch(sym(a + sp.eye(n))), "a1": to_torch(sym(a)), "a2": to_torch(sym(a2))}
    return (torch.tensor(x), torch.tensor(d["node_labels"]), g, d["train_masks"],
            d["val_masks"], d["test_masks"])


class MLP(torch.nn.Module):
    def __init__(s, f, c, h=64):
        super().__init__(); s.l1 = torch.nn.Linear(f, h); s.l2 = torch.nn.Linear(h, c)

    def forward(s, x, g):
        x = F.relu(s.l1(F.dropout(x, 0.5, s.training)))
        return s.l2(F.dropout(x, 0.5, s.training))


class GCN(torch.nn.Module):
    def __init__(s, f, c):
        super().__init__(); s.l1 = torch.nn.Linear(f, 16); s.l2 = torch.nn.Linear(16, c)

    def forward(s, x, g):
        x = F.dropout(x, 0.5, s.training)
        x = F.relu(torch.sparse.mm(g["gcn"], x @ s.l1.weight.t()) + s.l1.bias)
        x = F.dropout(x, 0.5, s.training)
        return torch.sparse.mm(g["gcn"], x @ s.l2.weight.t()) + s.l2.bias


class H2GCN(torch.nn.Module):
    def __init__(s, f, c, h=64, k=2):
        super().__init__(); s.k = k
        s.embed = torch.nn.Linear(f, h, bias=False)
        s.out = torch.nn.Linear(h * (2 ** (k + 1) - 1), c)

    def forward(s, x, g):
        r = F.relu(s.embed(x)); rs = [r]
        for _ in range(s.k):
            r = torch.cat([torch.sparse.mm(g["a1"], r), torch.sparse.mm(g["a2"], r)], 1)
            rs.append(r)
        return s.out(F.dropout(torch.cat(rs, 1), 0.5, s.training))


class GPRGNN(torch.nn.Module):
    def __init__(s, f, c, k=10, alpha=0.1):
        super().__init__(); s.mlp = MLP(f, c); s.k = k
        gamma = alpha * (1 - alpha) ** np.arange(k + 1); gamma[-1] = (1 - alpha) ** k
        s.gamma = torch.nn.Parameter(torch.tensor(gamma, dtype=torch.float32))

    def forward(s, x, g):
        h = F.dropout(s.mlp(x, g), 0.5, s.training); z = s.gamma[0] * h
        for k in range(s.k):
            h = torch.sparse.mm(g["gcn"], h); z = z + s.gamma[k + 1] * h
        return z


def make(model, f, c):
    if model == "mlp":
        m = MLP(f, c); return m, torch.optim.Adam(m.parameters(), 0.01, weight_decay=5e-4), 200
    if model == "gcn":
        m = GCN(f, c)
        return m, torch.optim.Adam([{"params": m.l1.parameters(), "weight_decay": 5e-4},
                                    {"params": m.l2.parameters(), "weight_decay": 0}], 0.01), 200
    if model == "h2gcn":
        m = H2GCN(f, c); return m, torch.optim.Adam(m.parameters(), 0.01, weight_decay=5e-4), 200
    m = GPRGNN(f, c)
    return m, torch.optim.Adam([{"params": m.mlp.parameters(), "weight_decay": 5e-4},
                                {"params": [m.gamma], "weight_decay": 0}], 0.002), 1000


for spec in args.datasets.split(","):
    name, mode = spec.split(":")
    x, y, g, trm, vam, tem = load(name)
    c = int(y.max()) + 1
    for model in args.models.split(","):
        accs = []; t0 = time.time()
        for run in range(args.runs):
            split, seed = (run, 0) if mode == "splits" else (0, run)
            tr, va, te = (torch.tensor(m[split]) for m in (trm, vam, tem))
            torch.manual_seed(seed)
            net, opt, epochs = make(model, x.shape[1], c)
            best = (-1, 0, 0)
            for epoch in range(epochs):
                net.train(); opt.zero_grad()
                F.nll_loss(F.log_softmax(net(x, g), 1)[tr], y[tr]).backward(); opt.step()
                net.eval()
                with torch.no_grad():
                    logp = F.log_softmax(net(x, g), 1)
                    pred = logp.argmax(1)
                    v = (pred[va] == y[va]).float().mean().item()
                    vl = F.nll_loss(logp[va], y[va]).item()
                    if v > best[0] or (v == best[0] and vl < best[1]):
                        best = (v, vl, (pred[te] == y[te]).float().mean().item())
            accs.append(100 * best[2])
        sd = statistics.stdev(accs) if len(accs) > 1 else 0.0
        print("torch %-10s %-7s %-6s n=%d  %.2f±%.2f  (%.0f s)" % (name, model, mode, len(accs),
              statistics.mean(accs), sd, time.time() - t0), flush=True)
