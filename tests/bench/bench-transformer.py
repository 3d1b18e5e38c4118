#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The PyTorch side of the transformer benchmark: the architecture of
# src/core/learning/philia-models-transformer.c (per node: itself, 4 random
# walks of 3 steps, 4 distinct sampled neighbours; position-kind embeddings;
# 2 pre-norm layers of width 64 with 4 heads and a ReLU feed-forward of 128;
# final layer norm; a linear classifier on the node's own token), the same
# full-batch step on split 0's training nodes with fresh sequences each step,
# and the median time of one epoch (sampling + forward + backward + Adam
# step) with 1 and 2 threads, next to philia-cli's epoch_ms_median for the
# same run. Needs python3-torch and python3-numpy.
# Usage: bench-transformer.py [EPOCHS [DATASET [THREADS]]]   (from the repository root, after
# meson compile -C build)
import json, os, subprocess, sys, time
import numpy as np
import torch
import torch.nn.functional as F

folder = os.environ.get("PHILIA_SHARED_DATASETS", "../shared/datasets")
cli = os.environ.get("PHILIA_CLI", "build/src/cli/philia-cli")
epochs = int(sys.argv[1]) if len(sys.argv) >= 2 else 30
# Optional: one dataset and one thread count (e.g. "5 squirrel 1"), for a
# quick re-run of the slow case.
datasets = [sys.argv[2]] if len(sys.argv) >= 3 else ["cora", "squirrel"]
thread_counts = [int(sys.argv[3])] if len(sys.argv) >= 4 else [1, 2]
WALKS, WALK_LEN, HOPS, WIDTH, HEADS, LAYERS = 4, 3, 4, 64, 4, 2
L = 1 + WALKS * WALK_LEN + HOPS

def load(name):
    d = np.load(os.path.join(folder, name + ".npz"))
    x = torch.tensor(d["node_features"], dtype=torch.float32)
    x = x / x.sum(1, keepdim=True).clamp(min=1e-12)
    n = x.shape[0]
    e = d["edges"]
    e = e[e[:, 0] != e[:, 1]]
    e = np.unique(np.sort(e, axis=1), axis=0)
    src = np.concatenate([e[:, 0], e[:, 1]]); dst = np.concatenate([e[:, 1], e[:, 0]])
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    off = np.zeros(n + 1, dtype=np.int64); np.add.at(off, src + 1, 1); off = np.cumsum(off)
    train = np.flatnonzero(d["train_masks"][0])
    return x, torch.tensor(d["node_labels"]), off, dst, train

def sample(nodes, off, nb, rng):
    """Itself, walks, distinct neighbours; padded with the node, lengths."""
    tok = np.repeat(nodes[:, None], L, axis=1); pos = np.zeros((len(nodes), L), dtype=np.int64)
    lens = np.ones(len(nodes), dtype=np.int64)
    for b, v in enumerate(nodes):
        k = 1
        for _ in range(WALKS):
            at = v
            for t in range(1, WALK_LEN + 1):
                d = off[at + 1] - off[at]
                if d == 0: break
                at = nb[off[at] + rng.integers(d)]; tok[b, k] = at; pos[b, k] = t; k += 1
        d = off[v + 1] - off[v]
        if d > 0:
            for u in rng.permutation(d)[:HOPS]:
                tok[b, k] = nb[off[v] + u]; pos[b, k] = WALK_LEN + 1; k += 1
        lens[b] = k
    return torch.tensor(tok), torch.tensor(pos), torch.tensor(lens)

class Block(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.ln1 = torch.nn.LayerNorm(WIDTH); s.qkv = torch.nn.Linear(WIDTH, 3 * WIDTH)
        s.o = torch.nn.Linear(WIDTH, WIDTH); s.ln2 = torch.nn.LayerNorm(WIDTH)
        s.f1 = torch.nn.Linear(WIDTH, 2 * WIDTH); s.f2 = torch.nn.Linear(2 * WIDTH, WIDTH)
    def forward(s, h, pad, p):
        B = h.shape[0]
        q, k, v = s.qkv(s.ln1(h)).view(B, L, 3, HEADS, -1).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / (q.shape[-1] ** 0.5)
        att = att.masked_fill(pad[:, None, None, :], float("-inf")).softmax(-1)
        a = (att @ v).transpose(1, 2).reshape(B, L, WIDTH)
        h = h + F.dropout(s.o(a), p, s.training)
        f = F.dropout(F.relu(s.f1(s.ln2(h))), p, s.training)
        return h + F.dropout(s.f2(f), p, s.training)

class Transformer(torch.nn.Module):
    def __init__(s, f, c):
        super().__init__()
        s.inp = torch.nn.Linear(f, WIDTH); s.pos = torch.nn.Embedding(WALK_LEN + 2, WIDTH)
        s.blocks = torch.nn.ModuleList(Block() for _ in range(LAYERS))
        s.lnf = torch.nn.LayerNorm(WIDTH); s.out = torch.nn.Linear(WIDTH, c)
    def forward(s, x, tok, pos, lens, p=0.5):
        xw = s.inp(F.dropout(x, p, s.training))
        h = xw[tok] + s.pos(pos)
        pad = torch.arange(L)[None, :] >= lens[:, None]
        for b in s.blocks: h = b(h, pad, p)
        return s.out(s.lnf(h)[:, 0])

def torch_epoch_ms(name, threads):
    torch.set_num_threads(threads); torch.manual_seed(0)
    x, y, off, nb, train = load(name)
    model = Transformer(x.shape[1], int(y.max()) + 1)
    opt = torch.optim.Adam(model.parameters(), lr=0.005, weight_decay=5e-4)
    rng = np.random.default_rng(0); times = []
    model.train()
    for _ in range(epochs):
        t0 = time.perf_counter()
        tok, pos, lens = sample(train, off, nb, rng)
        loss = F.cross_entropy(model(x, tok, pos, lens), y[train])
        opt.zero_grad(); loss.backward(); opt.step()
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times))

def philia_epoch_ms(name, threads):
    out = subprocess.run([cli, "train", os.path.join(folder, name + ".npz"), "--model",
                          "transformer", "--epochs", str(epochs), "--threads", str(threads),
                          "--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)["epoch_ms_median"]

print("dataset   threads  philia ms/epoch  torch ms/epoch  speed-up")
for name in datasets:
    for threads in thread_counts:
        ph = philia_epoch_ms(name, threads); pt = torch_epoch_ms(name, threads)
        print(f"{name:9} {threads:7}  {ph:15.1f}  {pt:14.1f}  {pt / ph:7.1f}x")
