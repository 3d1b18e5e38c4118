#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The PyTorch side of the adaptation benchmark (run-adapt-bench.py): one SOGA
# epoch as philia_adapt() runs it, on the ArnetMiner pair: pairs sampled
# (every node with neighbours: the end of a 1-2 step random walk, 5 negatives
# by degree^0.75), a two-layer GCN forward without dropout (hidden 16, dense
# row-normalised features, sparse Â, as bench-train.py), information
# maximisation + structure consistency, backward, Adam step (lr 0.001, the
# first layer's weight decay 5e-4). Prints "RESULT median_ms" per target.
# With "sparse", the features are a torch sparse matrix (Philia keeps them
# as CSR below 10 % density; ArnetMiner's are ~1 %). Usage:
# bench-adapt.py [EPOCHS] [THREADS] [dense|sparse]
import os, sys, time
import numpy as np
import torch
import torch.nn.functional as F

folder = os.environ.get("PHILIA_SHARED_DATASETS", "../shared/datasets")
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
sparse_x = len(sys.argv) > 3 and sys.argv[3] == "sparse"
torch.set_num_threads(threads)


def load(name):
    d = np.load(os.path.join(folder, name + ".npz"))
    x = torch.tensor(d["node_features"], dtype=torch.float32)
    x = x / x.sum(1, keepdim=True).clamp(min=1e-12)
    if sparse_x:
        x = x.to_sparse()
    e = torch.tensor(d["edges"]).t()
    n = x.shape[0]
    loops = torch.arange(n)
    src = torch.cat([e[0], e[1], loops]); dst = torch.cat([e[1], e[0], loops])
    deg = torch.bincount(dst, minlength=n).float()
    w = deg[src].rsqrt() * deg[dst].rsqrt()
    a = torch.sparse_coo_tensor(torch.stack([dst, src]), w, (n, n)).coalesce()
    # CSR of A without self-loops, for the walks.
    s = torch.cat([e[0], e[1]]); t = torch.cat([e[1], e[0]])
    order = torch.argsort(s * n + t)
    s, t = s[order], t[order]
    off = torch.zeros(n + 1, dtype=torch.long)
    off[1:] = torch.cumsum(torch.bincount(s, minlength=n), 0)
    return x, a, off, t


class GCN(torch.nn.Module):
    def __init__(s, f, c):
        super().__init__(); s.w1 = torch.nn.Linear(f, 16); s.w2 = torch.nn.Linear(16, c)
    def forward(s, x, a):
        h = torch.sparse.mm(x, s.w1.weight.t()) if x.is_sparse else x @ s.w1.weight.t()
        x = F.relu(torch.sparse.mm(a, h) + s.w1.bias)
        return torch.sparse.mm(a, x @ s.w2.weight.t()) + s.w2.bias


def sample(off, nbr, gen, window=2, k=5):
    n = off.shape[0] - 1
    deg = off[1:] - off[:-1]
    start = torch.nonzero(deg > 0).squeeze(1)
    v = start.clone()
    steps = torch.randint(1, window + 1, (start.shape[0],), generator=gen)
    for step in range(window):
        walking = steps > step
        d = deg[v[walking]]
        pick = (torch.rand(d.shape[0], generator=gen) * d).long()
        v[walking] = nbr[off[v[walking]] + pick]
    weights = deg.double() ** 0.75
    neg = torch.multinomial(weights, start.shape[0] * k, replacement=True,
                            generator=gen).view(-1, k)
    return start, v, neg


def soga_loss(logp, i, j, neg, lam=1.0):
    p = logp.exp()
    n = p.shape[0]
    entropy = -(p * logp).sum() / n
    mean = p.mean(0)
    marginal = -(mean * mean.clamp(min=1e-30).log()).sum()
    pos = (p[i] * p[j]).sum(1)
    negs = (p[i][:, None, :] * p[neg]).sum(2)
    structure = (-F.logsigmoid(pos).sum() - F.logsigmoid(-negs).sum()) / i.shape[0]
    return entropy - marginal + lam * structure


def bench(source, target):
    x, a, off, nbr = load(target)
    torch.manual_seed(0)
    model = GCN(x.shape[1], 5)
    model.eval()   # no dropout, as philia_adapt()
    opt = torch.optim.Adam([{"params": model.w1.parameters(), "weight_decay": 5e-4},
                            {"params": model.w2.parameters(), "weight_decay": 0}], lr=0.001)
    gen = torch.Generator().manual_seed(0)
    times = []
    for epoch in range(epochs):
        t0 = time.perf_counter()
        i, j, neg = sample(off, nbr, gen)
        opt.zero_grad()
        loss = soga_loss(F.log_softmax(model(x, a), 1), i, j, neg)
        loss.backward()
        opt.step()
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times))


for source, target in (("arnet_acm", "arnet_dblp"), ("arnet_dblp", "arnet_acm")):
    print("RESULT %s %.3f" % (target, bench(source, target)), flush=True)
