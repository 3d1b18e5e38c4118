#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The PyTorch side of bench-train: the same recipes (dense row-normalised
# features, sparse Â), per-epoch time (forward + backward + step, median) with
# 1 and 2 threads. Needs python3-torch. Usage: bench-train.py [EPOCHS]
import os, resource, sys, time
import numpy as np
import torch
import torch.nn.functional as F

folder = os.environ.get("PHILIA_SHARED_DATASETS", "../shared/datasets")
epochs = int(sys.argv[1]) if len(sys.argv) == 2 else 50

def load(name, normalize=True):
    d = np.load(name if name.endswith(".npz") else os.path.join(folder, name + ".npz"))
    x = torch.tensor(d["node_features"], dtype=torch.float32)
    if normalize:
        x = x / x.sum(1, keepdim=True).clamp(min=1e-12)
    y = torch.tensor(d["node_labels"])
    e = torch.tensor(d["edges"]).t()
    n = x.shape[0]
    loops = torch.arange(n)
    src = torch.cat([e[0], e[1], loops]); dst = torch.cat([e[1], e[0], loops])
    deg = torch.bincount(dst, minlength=n).float()
    w = deg[src].rsqrt() * deg[dst].rsqrt()
    a = torch.sparse_coo_tensor(torch.stack([dst, src]), w, (n, n)).coalesce()
    train = torch.tensor(d["train_masks"][0]); test = torch.tensor(d["test_masks"][0])
    return x, y, a, src, dst, train, test

class MLP(torch.nn.Module):
    def __init__(s, f, c): super().__init__(); s.l1 = torch.nn.Linear(f, 64); s.l2 = torch.nn.Linear(64, c)
    def forward(s, x, a):
        x = F.dropout(x, 0.5, s.training); x = F.relu(s.l1(x))
        return s.l2(F.dropout(x, 0.5, s.training))

class GCN(torch.nn.Module):
    def __init__(s, f, c):
        super().__init__(); s.w1 = torch.nn.Linear(f, 16); s.w2 = torch.nn.Linear(16, c)
    def forward(s, x, a):
        x = F.dropout(x, 0.5, s.training)
        x = F.relu(torch.sparse.mm(a, x @ s.w1.weight.t()) + s.w1.bias)
        x = F.dropout(x, 0.5, s.training)
        return torch.sparse.mm(a, x @ s.w2.weight.t()) + s.w2.bias

class SGC(torch.nn.Module):
    def __init__(s, f, c): super().__init__(); s.l = torch.nn.Linear(f, c); s.pre = None
    def forward(s, x, a):
        if s.pre is None:
            with torch.no_grad(): s.pre = torch.sparse.mm(a, torch.sparse.mm(a, x))
        return s.l(s.pre)

class GAT(torch.nn.Module):
    def __init__(s, f, c, src, dst, n):
        super().__init__(); s.src, s.dst, s.n = src, dst, n
        s.w1 = torch.nn.Linear(f, 64, bias=False); s.a1s = torch.nn.Parameter(torch.randn(8, 8) * .1)
        s.a1d = torch.nn.Parameter(torch.randn(8, 8) * .1); s.b1 = torch.nn.Parameter(torch.zeros(64))
        s.w2 = torch.nn.Linear(64, c, bias=False); s.a2s = torch.nn.Parameter(torch.randn(1, c) * .1)
        s.a2d = torch.nn.Parameter(torch.randn(1, c) * .1); s.b2 = torch.nn.Parameter(torch.zeros(c))
    def layer(s, h, heads, asrc, adst, b):
        h = h.view(s.n, heads, -1)
        e = F.leaky_relu((h * asrc).sum(-1)[s.src] + (h * adst).sum(-1)[s.dst], 0.2)
        m = torch.full((s.n, heads), -1e30).scatter_reduce(0, s.dst[:, None].expand(-1, heads), e, "amax")
        p = (e - m[s.dst]).exp()
        z = torch.zeros(s.n, heads).index_add(0, s.dst, p)
        al = F.dropout(p / z[s.dst], 0.6, s.training)
        out = torch.zeros_like(h).index_add(0, s.dst, al[..., None] * h[s.src])
        return out.reshape(s.n, -1) + b
    def forward(s, x, a):
        x = F.dropout(x, 0.6, s.training)
        x = F.elu(s.layer(s.w1(x), 8, s.a1s, s.a1d, s.b1))
        x = F.dropout(x, 0.6, s.training)
        return s.layer(s.w2(x), 1, s.a2s, s.a2d, s.b2)

recipes = {"mlp": (0.01, 5e-4), "gcn": (0.01, 5e-4), "sgc": (0.2, 5e-5), "gat": (0.005, 5e-4)}


def run(x, y, a, src, dst, train, test, model_name, threads):
    n, f = x.shape; c = int(y.max()) + 1
    torch.set_num_threads(threads); torch.manual_seed(0)
    model = {"mlp": lambda: MLP(f, c), "gcn": lambda: GCN(f, c), "sgc": lambda: SGC(f, c),
             "gat": lambda: GAT(f, c, src, dst, n)}[model_name]()
    lr, wd = recipes[model_name]
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=wd)
    times = []
    cpu0 = time.process_time()
    for epoch in range(epochs):
        t0 = time.perf_counter()
        model.train(); opt.zero_grad()
        loss = F.nll_loss(F.log_softmax(model(x, a), 1)[train], y[train])
        loss.backward(); opt.step()
        times.append(time.perf_counter() - t0)
    cpu = (time.process_time() - cpu0) * 1e3 / epochs
    model.eval()
    with torch.no_grad():
        acc = (model(x, a).argmax(1)[test] == y[test]).float().mean().item()
    return 1e3 * float(np.median(times)), acc, cpu


# One model in this process (its own peak RSS): --one FILE MODEL THREADS EPOCHS normalize|raw
if len(sys.argv) == 7 and sys.argv[1] == "--one":
    epochs = int(sys.argv[5])
    x, y, a, src, dst, train, test = load(sys.argv[2], sys.argv[6] == "normalize")
    ms, acc, cpu = run(x, y, a, src, dst, train, test, sys.argv[3], int(sys.argv[4]))
    print("RESULT %.3f %.4f %.1f %.3f" % (ms, acc,
          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, cpu))
    sys.exit(0)
print("%-9s %-6s %7s %12s %9s" % ("dataset", "model", "threads", "epoch_ms", "test_acc"))
for name in ["cora", "citeseer", "squirrel"]:
    x, y, a, src, dst, train, test = load(name)
    n, f = x.shape; c = int(y.max()) + 1
    for model_name in ["mlp", "gcn", "sgc", "gat"]:
        for threads in (1, 2):
            torch.set_num_threads(threads); torch.manual_seed(0)
            model = {"mlp": lambda: MLP(f, c), "gcn": lambda: GCN(f, c), "sgc": lambda: SGC(f, c),
                     "gat": lambda: GAT(f, c, src, dst, n)}[model_name]()
            lr, wd = recipes[model_name]
            opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=wd)
            times = []
            for epoch in range(epochs):
                t0 = time.perf_counter()
                model.train(); opt.zero_grad()
                loss = F.nll_loss(F.log_softmax(model(x, a), 1)[train], y[train])
                loss.backward(); opt.step()
                times.append(time.perf_counter() - t0)
            model.eval()
            with torch.no_grad():
                acc = (model(x, a).argmax(1)[test] == y[test]).float().mean().item()
            print("%-9s %-6s %7d %12.3f %9.4f" % (name, model_name, threads,
                  1e3 * float(np.median(times)), acc), flush=True)
print("peak RSS %.1f MiB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
