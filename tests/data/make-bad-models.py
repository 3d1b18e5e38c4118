#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the malformed saved models (*.philia-model) into tests/data/bad/ and
one good model into tests/fuzz/corpus/model/ (the fuzzer's seed).
Deterministic: fixed zip timestamps, no randomness. The expectations are in
tests/data/bad/EXPECTED."""

import io
import json
import os
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.join(HERE, "bad")
SEED = os.path.join(HERE, "..", "fuzz", "corpus", "model")
STAMP = (1980, 1, 1, 0, 0, 0)


def npy(array):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asanyarray(array), allow_pickle=False)
    return buf.getvalue()


def manifest(**changes):
    """A two-layer GCN on 4 features and 2 classes (hidden 3)."""
    m = {
        "format": "philia-model", "format_version": 1, "model": "gcn",
        "params": {"epochs": 200, "lr": 0.01, "weight_decay": 0.0005, "hidden": 3,
                   "dropout": 0.5, "heads": -1, "k": -1, "alpha": -1,
                   "optimizer": "adam", "normalize_features": True},
        "n_features": 4, "identity_features": False, "n_classes": 2,
        "class_names": ["a", "b"], "source": "tiny.npz", "seed": "0", "adapted_from": None,
        "weights": [{"member": "weight-%d" % i, "rows": r, "cols": c}
                    for i, (r, c) in enumerate([(4, 3), (1, 3), (3, 2), (1, 2)])],
    }
    m.update(changes)
    return json.dumps(m, indent=2).encode()


def weights():
    out = []
    for i, (r, c) in enumerate([(4, 3), (1, 3), (3, 2), (1, 2)]):
        w = (np.arange(r * c, dtype=np.float32).reshape(r, c) - 2) / 8
        out.append(("weight-%d.npy" % i, npy(w)))
    return out


def zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def write(name, data, folder=BAD):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


good = zip_bytes([("philia-model.json", manifest())] + weights())
# The fuzzer's input form (tests/fuzz/fuzz-model.c): a flag byte (all
# members deflated), then "name\nbytes" members separated by <<member>>.
write("seed-gcn", b"\xff" + b"<<member>>".join(
    [b"philia-model.json\n" + manifest()]
    + [name.encode() + b"\n" + data for name, data in weights()]), SEED)
write("truncated.philia-model", good[: len(good) * 2 // 3])
write("not-a-zip.philia-model", b"GCN weights, trust me\n")
write("newer-version.philia-model",
      zip_bytes([("philia-model.json", manifest(format_version=2))] + weights()))
write("project-as-model.philia-model",
      zip_bytes([("philia-project.json", b"{}")]))
write("bad-json-model.philia-model",
      zip_bytes([("philia-model.json", b'{"format": "philia-model",')] + weights()))
write("missing-weight.philia-model",
      zip_bytes([("philia-model.json", manifest())] + weights()[:3]))
wrong = weights()
wrong[0] = ("weight-0.npy", npy(np.zeros((3, 4), dtype=np.float32)))
write("weight-shape.philia-model", zip_bytes([("philia-model.json", manifest())] + wrong))
nan = weights()
nan[2] = ("weight-2.npy", npy(np.full((3, 2), np.nan, dtype=np.float32)))
write("nan-weight.philia-model", zip_bytes([("philia-model.json", manifest())] + nan))
write("names-count.philia-model",
      zip_bytes([("philia-model.json", manifest(class_names=["a"]))] + weights()))
corrupt = bytearray(good)
corrupt[len(good) // 2] ^= 0x5A
write("corrupt.philia-model", bytes(corrupt))
