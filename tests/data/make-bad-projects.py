#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the malformed .philia project files into tests/data/bad/ (their
expectations are in tests/data/bad/EXPECTED). Each is a small, otherwise valid
project embedding tests/data/npz/tiny-graph.npz (5 nodes, one split) with one
thing wrong. Deterministic: fixed zip timestamps. Needs only the standard
library (the .npy members are written by hand).
"""

import copy
import io
import json
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.join(HERE, "bad")
STAMP = (1980, 1, 1, 0, 0, 0)
N = 5


def npy(descr, shape, payload):
    """A .npy 1.0 blob: @descr such as '<f8', @shape a tuple."""
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload


def positions(values):
    return npy("<f8", (N, 2), struct.pack("<%dd" % (2 * N), *values))


def base():
    """The manifest and members of a valid project."""
    with open(os.path.join(HERE, "npz", "tiny-graph.npz"), "rb") as f:
        dataset = f.read()
    manifest = {
        "format": "philia-project",
        "format_version": 1,
        "generator": "make-bad-projects.py",
        "dataset": {"embedded": "dataset/tiny-graph.npz", "name": "tiny-graph.npz"},
        "n_nodes": N,
        "layouts": [{"name": "fr", "algorithm": "fr", "seed": 1,
                     "positions": "layouts/0.npy"}],
        "current_layout": "fr",
        "selection": "selection.npy",
        "view": {"color_by": "class", "edge_style": "class", "overlay": "", "zoom": 1.0,
                 "center_x": 0.0, "center_y": 0.0},
        "conventions": {"keep_self_loops": False, "directed": False},
        "notes": "",
        "origin": None,
        "next_run_id": 1,
        "next_evaluation_id": 1,
        "runs": [],
        "evaluations": [],
        "pairs": [],
    }
    members = {
        "layouts/0.npy": positions([float(i) for i in range(2 * N)]),
        "selection.npy": npy("<u4", (1,), struct.pack("<I", 2)),
        "dataset/tiny-graph.npz": dataset,
    }
    return manifest, members


def write(name, manifest, members):
    with zipfile.ZipFile(os.path.join(BAD, name), "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("philia-project.json", STAMP)
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, json.dumps(manifest, indent=1) if isinstance(manifest, dict)
                   else manifest)
        for member, data in members.items():
            info = zipfile.ZipInfo(member, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def main():
    manifest, members = base()

    def variant(name, edit=None, edit_members=None):
        m, b = copy.deepcopy(manifest), dict(members)
        if edit:
            edit(m)
        if edit_members:
            edit_members(b)
        write(name, m, b)

    variant("newer-version.philia", lambda m: m.update(format_version=2))
    variant("other-format.philia", lambda m: m.update(format="philia-session"))
    variant("missing-dataset.philia",
            lambda m: m.update(dataset={"path": "no-such-dataset.npz",
                                        "absolute_path": "/nonexistent/no-such-dataset.npz"}))
    variant("nan-position.philia", edit_members=lambda b: b.update(
        {"layouts/0.npy": positions([0.0, 1.0, float("nan")] + [0.0] * (2 * N - 3))}))
    variant("missing-member.philia", edit_members=lambda b: b.pop("layouts/0.npy"))
    variant("duplicate-layout.philia",
            lambda m: m["layouts"].append(dict(m["layouts"][0])))
    variant("unknown-current-layout.philia", lambda m: m.update(current_layout="kk"))
    variant("selection-out-of-range.philia", edit_members=lambda b: b.update(
        {"selection.npy": npy("<u4", (1,), struct.pack("<I", N))}))
    variant("wrong-node-count.philia", lambda m: m.update(n_nodes=N + 1))
    write("bad-json.philia", '{"format": "philia-project", "format_version": 1,', members)

    # A valid project cut in half.
    buf = io.BytesIO()
    write("truncated.philia", manifest, members)
    with open(os.path.join(BAD, "truncated.philia"), "rb") as f:
        whole = f.read()
    with open(os.path.join(BAD, "truncated.philia"), "wb") as f:
        f.write(whole[: len(whole) // 2])
    with open(os.path.join(BAD, "not-a-zip.philia"), "wb") as f:
        f.write(b"This is a text file, not a project.\n")
    with open(os.path.join(HERE, "npz", "tiny-graph.npz"), "rb") as f:
        dataset = f.read()
    with open(os.path.join(BAD, "dataset-as-project.philia"), "wb") as f:
        f.write(dataset)


if __name__ == "__main__":
    main()
