#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seeds of fuzz-npy and fuzz-npz-members into tests/fuzz/corpus/
from the .npz test files (tests/data/npz, tests/data/bad): every distinct .npy
member for fuzz-npy, and every archive's members in the input form of
fuzz-npz-members.c (a flag byte, bit k set when member k is deflated, then the
members in a fixed order separated by SEPARATOR), plus one archive with
node and class names. Standard library only; deterministic. Run it again when the .npz corpus changes.
"""

import glob
import hashlib
import os
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
CORPUS = os.path.join(HERE, "corpus")
SEPARATOR = b"<<member>>"
MEMBERS = ["node_features", "node_labels", "edges",
           "train_masks", "val_masks", "test_masks", "class_names", "node_names"]


def text_npy(strings):
    """A 1-D numpy '<U' array, as numpy writes it (version 1.0), by hand."""
    width = max(len(x) for x in strings)
    header = "{'descr': '<U%d', 'fortran_order': False, 'shape': (%d,), }" % (
        width, len(strings))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    payload = b"".join(x.ljust(width, "\0").encode("utf-32-le") for x in strings)
    return (b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode()
            + payload)


def write_unique(folder, data, suffix):
    os.makedirs(folder, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16] + suffix
    with open(os.path.join(folder, name), "wb") as fh:
        fh.write(data)


def main():
    for sub in ("npy", "npz-members"):
        for old in glob.glob(os.path.join(CORPUS, sub, "seed-*")):
            os.remove(old)
    paths = sorted(glob.glob(os.path.join(DATA, "npz", "*.npz")) +
                   glob.glob(os.path.join(DATA, "bad", "*.npz")))
    for path in paths:
        try:
            with zipfile.ZipFile(path) as zf:
                members = {}
                for info in zf.infolist():
                    members[info.filename] = (zf.read(info), info.compress_type)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError,
                ValueError):
            continue   # a broken container: fuzz-npz has it as a seed
        for data, _ in members.values():
            write_unique(os.path.join(CORPUS, "npy"), data, ".npy")
        flags = 0
        parts = []
        for k, name in enumerate(MEMBERS):
            data, method = members.get(name + ".npy", (b"", zipfile.ZIP_STORED))
            if method == zipfile.ZIP_DEFLATED:
                flags |= 1 << k
            parts.append(data)
        if any(parts):
            write_unique(os.path.join(CORPUS, "npz-members"),
                         bytes([flags]) + SEPARATOR.join(parts), ".bin")
        if os.path.basename(path) == "tiny-graph.npz":
            # The text members no test file has: names for its 5 nodes and 2 classes.
            parts[6] = text_npy(["even", "odd"])
            parts[7] = text_npy(["a", "b", "c\u00e9", "d", "\u4e2d"])
            write_unique(os.path.join(CORPUS, "npz-members"),
                         bytes([flags]) + SEPARATOR.join(parts), ".bin")


if __name__ == "__main__":
    main()
