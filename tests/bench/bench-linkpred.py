#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The PyTorch side of the link-prediction benchmark (run-linkpred.sh): the
# recipe of `philia-cli linkpred --model gcn` — row-normalised features, a
# 2-layer GCN of 256 over the training edges' D^-1/2(A+I)D^-1/2, ReLU and
# dropout 0.5 between layers, a dot-product decoder, BCE against as many
# uniformly drawn non-training pairs as training edges (fresh each epoch),
# Adam lr 0.01, up to 300 epochs kept by validation Hits@100 with patience
# 50 — on its own seeded 85/5/10 split (the same shares and rules, not the
# same edges). Prints the median epoch time (forward + backward + step) and
# test Hits@100 against as many random non-edges as test edges (OGB's rule).
# MODEL gcn|sage|mlp (default gcn) picks the encoder as in Philia: GraphSAGE is
# PyG's SAGEConv with the mean aggregator (mean of the neighbours' H W plus
# H W_root plus b), mlp the features alone; DECODER dot|mlp (default dot), the
# MLP one a 2-layer perceptron (ReLU and dropout between) on z_u * z_v.
# Sparse features (under a tenth nonzero) are multiplied as a sparse matrix,
# as Philia does; OpenBLAS and OpenMP get THREADS threads.
# Needs python3-torch.
# Usage: bench-linkpred.py DATASET SEED THREADS [EPOCHS [MODEL [DECODER]]]
import os, sys, time

# torch.set_num_threads() sets OpenMP's threads, not those of the OpenBLAS
# Debian's torch calls for its dense products (which otherwise start one per
# core): both are read when the libraries load, so set them first.
if len(sys.argv) > 3:
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = sys.argv[3]
import numpy as np
import torch
import torch.nn.functional as F

folder = os.environ.get("PHILIA_SHARED_DATASETS", "../shared/datasets")
name, seed, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
max_epochs = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else 300
kind = sys.argv[5] if len(sys.argv) > 5 else "gcn"
decoder = sys.argv[6] if len(sys.argv) > 6 else "dot"
torch.set_num_threads(threads)
torch.manual_seed(seed)
rng = np.random.default_rng(seed)

d = np.load(name if name.endswith(".npz") else os.path.join(folder, name + ".npz"))
x = torch.tensor(d["node_features"], dtype=torch.float32)
x = x / x.sum(1, keepdim=True).clamp(min=1e-12)
n = x.shape[0]
e = np.asarray(d["edges"], dtype=np.int64)
e = np.unique(np.sort(e[e[:, 0] != e[:, 1]], axis=1), axis=0)
m = len(e)
perm = rng.permutation(m)
n_test, n_valid = round(0.10 * m), round(0.05 * m)
test, valid, train = e[perm[:n_test]], e[perm[n_test:n_test + n_valid]], e[perm[n_test + n_valid:]]
edge_set = set(map(tuple, e))

def non_edges(count, taken):
    out = []
    while len(out) < count:
        u, v = sorted(rng.integers(0, n, 2))
        if u != v and (u, v) not in edge_set and (u, v) not in taken:
            taken.add((u, v)); out.append((u, v))
    return np.array(out)

taken = set()
test_neg, valid_neg = non_edges(n_test, taken), non_edges(n_valid, taken)

src = torch.tensor(np.concatenate([train[:, 0], train[:, 1], np.arange(n)]))
dst = torch.tensor(np.concatenate([train[:, 1], train[:, 0], np.arange(n)]))
deg = torch.bincount(dst, minlength=n).float()
a = torch.sparse_coo_tensor(torch.stack([dst, src]), deg[src].rsqrt() * deg[dst].rsqrt(),
                            (n, n)).coalesce()
train_t = torch.tensor(train).t()

# Features stored sparse when under a tenth are nonzero, as Philia stores
# them (Cora's 1.3 %): X W then gathers W's rows for the stored entries, as
# Philia's product does, instead of a dense [n, f] by [f, 256] sgemm each way
# (COO: faster here than CSR or dense, forward and backward, in torch 1.13).
x_sparse = x.to_sparse().coalesce() if x.numel() and (x != 0).float().mean() < 0.10 else None

def first(lin, x):
    # Without features (x has no columns) the input is the identity, as in
    # Philia: X W is W itself, a free embedding per node.
    if x.shape[1] == 0:
        return lin.weight.t()
    if x_sparse is not None:
        return torch.sparse.mm(x_sparse, lin.weight.t())
    return x @ lin.weight.t()

# The mean of the training neighbours (no self-loop), D^-1 A, for GraphSAGE.
nsrc = torch.tensor(np.concatenate([train[:, 0], train[:, 1]]))
ndst = torch.tensor(np.concatenate([train[:, 1], train[:, 0]]))
ndeg = torch.bincount(ndst, minlength=n).float()
mean = torch.sparse_coo_tensor(torch.stack([ndst, nsrc]), 1.0 / ndeg[ndst], (n, n)).coalesce()

class Encoder(torch.nn.Module):
    def __init__(s, f, h):
        super().__init__()
        s.l1 = torch.nn.Linear(f, h, bias=kind != "sage")
        s.l2 = torch.nn.Linear(h, h, bias=kind != "sage")
        if kind == "sage":
            s.r1 = torch.nn.Linear(f, h); s.r2 = torch.nn.Linear(h, h)
    def layer(s, x, lin, root, last):
        # The input layer's X W through first() (sparse or identity X), the
        # hidden one's a dense product.
        mm = first if not last else (lambda l, h: h @ l.weight.t())
        if kind == "gcn":
            h = torch.sparse.mm(a, mm(lin, x)) + lin.bias
        elif kind == "sage":
            h = torch.sparse.mm(mean, mm(lin, x)) + mm(root, x) + root.bias
        else:
            h = mm(lin, x) + lin.bias
        return h if last else F.dropout(F.relu(h), 0.5, s.training)
    def forward(s, x):
        h = s.layer(x, s.l1, getattr(s, "r1", None), False)
        return s.layer(h, s.l2, getattr(s, "r2", None), True)

class Decoder(torch.nn.Module):
    def __init__(s, h):
        super().__init__()
        if decoder == "mlp":
            s.d1 = torch.nn.Linear(h, h); s.d2 = torch.nn.Linear(h, 1)
    def forward(s, z, u, v):
        if decoder == "dot":
            return (z[u] * z[v]).sum(1)
        h = F.dropout(F.relu(s.d1(z[u] * z[v])), 0.5, s.training)
        return s.d2(h).squeeze(1)

def score(z, pairs):
    p = torch.tensor(pairs)
    return dec(z, p[:, 0], p[:, 1])

def hits(pos, neg, k=100):
    if len(neg) < k:
        return 1.0
    kth = torch.topk(neg, k).values[-1]
    return (pos > kth).float().mean().item()

if kind == "mlp" and x.shape[1] == 0:
    sys.exit("bench-linkpred.py: the mlp encoder needs node features")
model = Encoder(x.shape[1] if x.shape[1] > 0 else n, 256)
dec = Decoder(256)
params = torch.nn.ModuleList([model, dec])
opt = torch.optim.Adam(params.parameters(), lr=0.01)
times, cpus, best, best_state, since = [], [], -1.0, None, 0
for epoch in range(max_epochs):
    neg = torch.randint(0, n, (2, train_t.shape[1]))
    t0 = time.perf_counter(); c0 = time.process_time()
    params.train(); opt.zero_grad()
    z = model(x)
    pos_logit = dec(z, train_t[0], train_t[1])
    neg_logit = dec(z, neg[0], neg[1])
    logits = torch.cat([pos_logit, neg_logit])
    target = torch.cat([torch.ones_like(pos_logit), torch.zeros_like(neg_logit)])
    loss = F.binary_cross_entropy_with_logits(logits, target)
    loss.backward(); opt.step()
    times.append(time.perf_counter() - t0); cpus.append(time.process_time() - c0)
    params.eval()
    with torch.no_grad():
        z = model(x)
        h = hits(score(z, valid), score(z, valid_neg))
    if h > best:
        best, since = h, 0
        best_state = {k: v.clone() for k, v in params.state_dict().items()}
    else:
        since += 1
        if since >= 50:
            break
params.load_state_dict(best_state); params.eval()
with torch.no_grad():
    z = model(x)
    test_hits = hits(score(z, test), score(z, test_neg))
print("RESULT %.3f %.4f %d %.3f" % (1e3 * float(np.median(times)), test_hits, len(times),
                                   1e3 * float(np.median(cpus))))
