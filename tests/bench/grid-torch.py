#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The PyTorch side of bench-grid.py (issue 20): one model, one graph, one
# width, one thread count per process, with Philia's recipes (dropout, learning
# rate, weight decay, Adam, full-batch on the first split's training nodes).
# Prints one JSON line: epoch_ms_median (forward + backward + step, the scope
# of philia-cli train's epoch_ms_median), epoch_cpu_ms (process CPU time per
# epoch), epoch_cpu_ms_median (the median epoch's process CPU time, what
# PHILIA_EPOCH_CLOCK=cpu makes Philia's epoch_ms_median), eval_cpu_ms (process CPU time of the one evaluation pass, which
# philia-cli train runs after every epoch), test_accuracy. The parent
# measures this process's peak RSS.
# Usage: grid-torch.py FILE.npz MODEL HIDDEN THREADS EPOCHS normalize|raw
# GAT: HIDDEN is the width of its 8 heads together (HIDDEN / 8 per head).
import json, sys, time
import numpy as np
import torch
import torch.nn.functional as F

path, model_name, hidden, threads, epochs, norm = sys.argv[1:7]
hidden, threads, epochs = int(hidden), int(threads), int(epochs)
torch.set_num_threads(threads)
torch.manual_seed(0)

d = np.load(path)
xn = d["node_features"].astype(np.float32)
if norm == "normalize":
    s = xn.sum(1, keepdims=True)
    xn = np.divide(xn, s, out=np.zeros_like(xn), where=s != 0)
y = torch.tensor(d["node_labels"]).long()
e = torch.tensor(d["edges"].astype(np.int64)).t()
train = torch.tensor(d["train_masks"][0]).bool()
test = torch.tensor(d["test_masks"][0]).bool()
n, f = xn.shape
c = int(y.max()) + 1
# Sparse features (bag of words) stay sparse, as PyG keeps them when asked.
sparse_x = f >= 1000 and np.count_nonzero(xn) < 0.1 * xn.size
if sparse_x:
    r, k = np.nonzero(xn)
    x = torch.sparse_coo_tensor(torch.tensor(np.stack([r, k])), torch.tensor(xn[r, k]),
                                (n, f)).coalesce()
else:
    x = torch.tensor(xn)
del xn, d

loops = torch.arange(n)
src = torch.cat([e[0], e[1], loops]); dst = torch.cat([e[1], e[0], loops])
deg = torch.bincount(dst, minlength=n).float()
a = torch.sparse_coo_tensor(torch.stack([dst, src]), deg[src].rsqrt() * deg[dst].rsqrt(),
                            (n, n)).coalesce().to_sparse_csr()
# SAGE's mean over the neighbours (no self-loops).
nsrc = torch.cat([e[0], e[1]]); ndst = torch.cat([e[1], e[0]])
ndeg = torch.bincount(ndst, minlength=n).float().clamp(min=1)
mean = torch.sparse_coo_tensor(torch.stack([ndst, nsrc]), 1 / ndeg[ndst],
                               (n, n)).coalesce().to_sparse_csr()
del e, loops


def drop_input(x, p, training):
    if not training or p == 0:
        return x
    if x.is_sparse:
        return torch.sparse_coo_tensor(x.indices(), F.dropout(x.values(), p, True), x.shape)
    return F.dropout(x, p, True)


def mm(x, w):
    return torch.sparse.mm(x, w) if x.is_sparse else x @ w


def propagate_linear(s, x, lin):
    # S X W in the cheaper order (dense features narrower than the layer: (S X) W).
    if not x.is_sparse and x.shape[1] < lin.weight.shape[0]:
        return lin(s @ x)
    return s @ mm(x, lin.weight.t()) + lin.bias


class MLP(torch.nn.Module):
    def __init__(s):
        super().__init__(); s.l1 = torch.nn.Linear(f, hidden); s.l2 = torch.nn.Linear(hidden, c)
    def forward(s):
        h = drop_input(x, 0.5, s.training)
        h = F.relu(mm(h, s.l1.weight.t()) + s.l1.bias)
        return s.l2(F.dropout(h, 0.5, s.training))


class GCN(torch.nn.Module):
    def __init__(s):
        super().__init__(); s.w1 = torch.nn.Linear(f, hidden); s.w2 = torch.nn.Linear(hidden, c)
    def forward(s):
        h = F.relu(propagate_linear(a, drop_input(x, 0.5, s.training), s.w1))
        h = F.dropout(h, 0.5, s.training)
        return a @ (h @ s.w2.weight.t()) + s.w2.bias


class SAGE(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.l1 = torch.nn.Linear(f, hidden); s.r1 = torch.nn.Linear(f, hidden, bias=False)
        s.l2 = torch.nn.Linear(hidden, c); s.r2 = torch.nn.Linear(hidden, c, bias=False)
    def forward(s):
        h = drop_input(x, 0.5, s.training)
        h = F.relu(propagate_linear(mean, h, s.l1) + mm(h, s.r1.weight.t()))
        h = F.dropout(h, 0.5, s.training)
        return mean @ (h @ s.l2.weight.t()) + s.l2.bias + s.r2(h)


class SGC(torch.nn.Module):
    def __init__(s):
        super().__init__(); s.l = torch.nn.Linear(f, c)
        with torch.no_grad():
            s.pre = a @ (a @ (x.to_dense() if x.is_sparse else x))
    def forward(s):
        return s.l(s.pre)


class GAT(torch.nn.Module):
    def __init__(s):
        super().__init__()
        d1 = max(hidden // 8, 1)
        s.w1 = torch.nn.Linear(f, 8 * d1, bias=False)
        s.a1s = torch.nn.Parameter(torch.randn(8, d1) * .1)
        s.a1d = torch.nn.Parameter(torch.randn(8, d1) * .1)
        s.b1 = torch.nn.Parameter(torch.zeros(8 * d1))
        s.w2 = torch.nn.Linear(8 * d1, c, bias=False)
        s.a2s = torch.nn.Parameter(torch.randn(1, c) * .1)
        s.a2d = torch.nn.Parameter(torch.randn(1, c) * .1)
        s.b2 = torch.nn.Parameter(torch.zeros(c))
    def layer(s, h, heads, asrc, adst, b):
        h = h.view(n, heads, -1)
        sc = F.leaky_relu((h * asrc).sum(-1)[src] + (h * adst).sum(-1)[dst], 0.2)
        m = torch.full((n, heads), -1e30).scatter_reduce(0, dst[:, None].expand(-1, heads), sc,
                                                         "amax")
        p = (sc - m[dst]).exp()
        z = torch.zeros(n, heads).index_add(0, dst, p)
        al = F.dropout(p / z[dst], 0.6, s.training)
        out = torch.zeros_like(h).index_add(0, dst, al[..., None] * h[src])
        return out.reshape(n, -1) + b
    def forward(s):
        h = drop_input(x, 0.6, s.training)
        h = F.elu(s.layer(mm(h, s.w1.weight.t()), 8, s.a1s, s.a1d, s.b1))
        h = F.dropout(h, 0.6, s.training)
        return s.layer(s.w2(h), 1, s.a2s, s.a2d, s.b2)


recipes = {"mlp": (MLP, 0.01, 5e-4), "gcn": (GCN, 0.01, 5e-4), "sage": (SAGE, 0.01, 5e-4),
           "sgc": (SGC, 0.2, 5e-5), "gat": (GAT, 0.005, 5e-4)}
cls, lr, wd = recipes[model_name]
model = cls()
opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=wd)
times, cpu_times = [], []
cpu0 = time.process_time()
for epoch in range(epochs):
    t0, c0 = time.perf_counter(), time.process_time()
    model.train(); opt.zero_grad()
    loss = F.nll_loss(F.log_softmax(model(), 1)[train], y[train])
    loss.backward(); opt.step()
    times.append(time.perf_counter() - t0)
    cpu_times.append(time.process_time() - c0)
cpu = (time.process_time() - cpu0) * 1e3 / epochs
model.eval()
cpu0 = time.process_time()
with torch.no_grad():
    acc = (model().argmax(1)[test] == y[test]).float().mean().item()
eval_cpu = (time.process_time() - cpu0) * 1e3
print(json.dumps({"epoch_ms_median": 1e3 * float(np.median(times)), "epoch_cpu_ms": cpu,
                  "epoch_cpu_ms_median": 1e3 * float(np.median(cpu_times)),
                  "eval_cpu_ms": eval_cpu, "test_accuracy": acc}))
