#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks an .npz written by philia_npz_write() in tests/test-npz.c with numpy:
the same dtypes, shapes and values that the test generated."""

import sys
import zipfile

import numpy as np


def expected(dtype, shape):
    n = int(np.prod(shape)) if shape else 1
    i = np.arange(n, dtype=np.int64)
    if dtype == "|b1":
        v = (i % 3 == 0)
    else:
        v = (i * 7) % 100
        v = {
            "|u1": lambda: v, "|i1": lambda: -v, "<i2": lambda: -v * 300,
            "<i4": lambda: -v * 100000, "<i8": lambda: -v * 10000000000,
            "<u2": lambda: v * 600, "<u4": lambda: v * 40000000,
            "<u8": lambda: v.astype(np.uint64) << np.uint64(57),
            "<f4": lambda: v.astype(np.float32) / np.float32(8),
            "<f8": lambda: v / 3.0,
        }[dtype]()
    return np.asarray(v).astype(dtype).reshape(shape)


def main():
    path = sys.argv[1]
    cases = {
        "b": ("|b1", (3, 5)), "u1": ("|u1", (7,)), "i1": ("|i1", (7,)), "i2": ("<i2", (2, 9)),
        "i4": ("<i4", (11,)), "i8": ("<i8", (13, 2)), "u2": ("<u2", (5,)), "u4": ("<u4", (5,)),
        "u8": ("<u8", (5,)), "f4": ("<f4", (100, 33)), "f8": ("<f8", (4, 4)),
        "scalar": ("<f8", ()), "empty": ("<f4", (0,)), "no_cols": ("<i8", (6, 0)),
        "cube": ("|u1", (2, 3, 4)),
    }
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None, "a member fails its CRC check"
        for info in zf.infolist():
            assert info.compress_type == zipfile.ZIP_DEFLATED, info.filename
    d = np.load(path, allow_pickle=False)
    assert sorted(d.files) == sorted(cases), d.files
    for name, (dtype, shape) in cases.items():
        a = d[name]
        assert a.dtype.str == dtype, (name, a.dtype.str)
        assert a.shape == shape, (name, a.shape)
        assert np.array_equal(a, expected(dtype, shape)), name
    print("numpy read %d arrays from %s" % (len(cases), path))


if __name__ == "__main__":
    main()
