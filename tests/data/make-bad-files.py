#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the malformed .npz corpus into tests/data/bad/ and the well-formed
parser fixtures into tests/data/npz/. Deterministic: fixed zip timestamps, no
randomness. Run it from anywhere; paths are relative to this script.

The .npz expectations live in tests/data/bad/EXPECTED (hand-maintained, shared
with the other readers' cases); this script only writes data files.
"""

import io
import os
import struct
import zipfile
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.join(HERE, "bad")
GOOD = os.path.join(HERE, "npz")
STAMP = (1980, 1, 1, 0, 0, 0)


# {{{ Building blocks

def npy(array, version=None):
    """The .npy bytes numpy writes for @array."""
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asanyarray(array), version=version, allow_pickle=True)
    return buf.getvalue()


def raw_npy(header, payload=b"", version=(1, 0), pad=True):
    """A .npy blob with a hand-written header dictionary."""
    text = header.encode("utf-8")
    prefix = 10 if version == (1, 0) else 12
    if pad:
        total = prefix + len(text) + 1
        text += b" " * ((64 - total % 64) % 64) + b"\n"
    length = struct.pack("<H" if version == (1, 0) else "<I", len(text))
    return b"\x93NUMPY" + bytes(version) + length + text + payload


def zip_bytes(members, compress=True, force_zip64=True, comment=b""):
    """An archive like numpy.savez(_compressed) writes, with fixed timestamps.
    @members: list of (name, bytes) or (name, bytes, compress)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for m in members:
            name, data = m[0], m[1]
            method = m[2] if len(m) > 2 else compress
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED if method else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            with zf.open(info, "w", force_zip64=force_zip64) as fh:
                fh.write(data)
        zf.comment = comment
    return buf.getvalue()


def graph_members(n=6, edges=None, labels=None, features=None, masks=True, drop=(), **replace):
    """The members of a small valid dataset, as (name, npy bytes), with some
    replaced by raw bytes (or dropped with None)."""
    if edges is None:
        edges = np.array([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]], dtype=np.int64)
    if labels is None:
        labels = (np.arange(n) % 3).astype(np.int64)
    if features is None:
        features = np.eye(n, 4, dtype=np.float32)
    def blob(a):
        return a if isinstance(a, bytes) else npy(a)

    arrays = {
        "node_features": blob(features),
        "node_labels": blob(labels),
        "edges": blob(edges),
    }
    if masks:
        tr = np.zeros((2, n), dtype=bool)
        va = np.zeros((2, n), dtype=bool)
        te = np.zeros((2, n), dtype=bool)
        tr[:, 0] = va[:, 1] = te[:, 2] = True
        arrays.update(train_masks=npy(tr), val_masks=npy(va), test_masks=npy(te))
    for key, value in replace.items():
        if value is None:
            arrays.pop(key, None)
        elif isinstance(value, bytes):
            arrays[key] = value
        else:
            arrays[key] = npy(value)
    return [(k + ".npy", v) for k, v in arrays.items() if k not in drop]


def graph_zip(compress=True, **kw):
    return zip_bytes(graph_members(**kw), compress=compress)


def write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as fh:
        fh.write(data)


def central_entries(data):
    """Offsets of each central directory header."""
    eocd = data.rfind(b"PK\x05\x06")
    offset = struct.unpack_from("<I", data, eocd + 16)[0]
    count = struct.unpack_from("<H", data, eocd + 10)[0]
    out = []
    for _ in range(count):
        out.append(offset)
        n, x, c = struct.unpack_from("<HHH", data, offset + 28)
        offset += 46 + n + x + c
    return out


def to_zip64(data):
    """Rewrites an archive's central directory the way a writer does for huge
    files: every 32-bit size and offset saturated and given in a zip64 extra
    field, plus a zip64 end record and locator."""
    eocd = data.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", data, eocd + 16)[0]
    count = struct.unpack_from("<H", data, eocd + 10)[0]
    out = bytearray(data[:cd_offset])
    pos = cd_offset
    for _ in range(count):
        n, x, c = struct.unpack_from("<HHH", data, pos + 28)
        head = bytearray(data[pos:pos + 46])
        comp, uncomp = struct.unpack_from("<II", head, 20)
        offset = struct.unpack_from("<I", head, 42)[0]
        extra = struct.pack("<HHQQQ", 1, 24, uncomp, comp, offset)
        struct.pack_into("<HH", head, 4, 45, 45)
        struct.pack_into("<II", head, 20, 0xFFFFFFFF, 0xFFFFFFFF)
        struct.pack_into("<H", head, 30, len(extra))
        struct.pack_into("<I", head, 42, 0xFFFFFFFF)
        name = data[pos + 46:pos + 46 + n]
        comment = data[pos + 46 + n + x:pos + 46 + n + x + c]
        out += head + name + extra + comment
        pos += 46 + n + x + c
    cd_size = len(out) - cd_offset
    record = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, cd_size,
                       cd_offset)
    out += struct.pack("<IIQI", 0x07064B50, 0, record, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return bytes(out)


def local_offset(data, central):
    return struct.unpack_from("<I", data, central + 42)[0]


def patch(data, offset, fmt, value):
    b = bytearray(data)
    struct.pack_into(fmt, b, offset, value)
    return bytes(b)

# }}}


def overlapping_members():
    """A stored member whose data holds a complete, valid member of its own, which
    the central directory lists too: two members sharing bytes."""
    members = dict(graph_members())
    edges = members.pop("edges.npy")
    name = b"edges.npy"
    crc = zlib.crc32(edges)
    inner = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0x21, crc, len(edges),
                        len(edges), len(name), 0) + name + edges
    outer = list(members.items()) + [("padding.npy", inner)]
    data = zip_bytes(outer, compress=False, force_zip64=False)
    cds = central_entries(data)
    lo = local_offset(data, cds[-1])
    inner_offset = lo + 30 + len(b"padding.npy")
    eocd = data.rfind(b"PK\x05\x06")
    count, cd_size, cd_offset = struct.unpack_from("<HII", data, eocd + 10)
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0x21, crc,
                        len(edges), len(edges), len(name), 0, 0, 0, 0, 0o644 << 16,
                        inner_offset) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count + 1, count + 1,
                      cd_size + len(entry), cd_offset, 0)
    return data[:eocd] + entry + end


def make_bad():
    os.makedirs(BAD, exist_ok=True)
    n = 6

    write(BAD, "empty.npz", b"")
    write(BAD, "not-a-zip.npz", b"source,target\n0,1\n1,2\nThis is a text file, not an archive.\n")

    good = graph_zip()
    cds = central_entries(good)
    # Cut in the middle of the second member's data, and inside the central directory.
    second = local_offset(good, cds[1])
    write(BAD, "truncated-member.npz", good[:second + 60])
    write(BAD, "truncated-directory.npz", good[:cds[2] + 20])

    # A member whose compressed size runs past the data (directory intact).
    stored = graph_zip(compress=False)
    cds = central_entries(stored)
    lo = local_offset(stored, cds[2])
    size = struct.unpack_from("<I", stored, cds[2] + 20)[0]
    bad = patch(stored, cds[2] + 20, "<I", size + 100000)
    bad = patch(bad, cds[2] + 24, "<I", size + 100000)
    # Python's zipfile keeps the real sizes in the local header next to the zip64 extra.
    bad = patch(bad, lo + 18, "<I", size + 100000)
    bad = patch(bad, lo + 22, "<I", size + 100000)
    write(BAD, "member-past-end.npz", bad)

    # Corrupt deflate data: overwrite the start of the edges stream.
    members = graph_members()
    data = zip_bytes(members)
    cds = central_entries(data)
    lo = local_offset(data, cds[2])
    nlen, xlen = struct.unpack_from("<HH", data, lo + 26)
    start = lo + 30 + nlen + xlen
    b = bytearray(data)
    b[start:start + 8] = b"\xff" * 8
    write(BAD, "corrupt-deflate.npz", bytes(b))

    # Wrong CRC in both headers of a stored member.
    data = graph_zip(compress=False)
    cds = central_entries(data)
    lo = local_offset(data, cds[2])
    crc = struct.unpack_from("<I", data, cds[2] + 16)[0] ^ 0x5A5A5A5A
    data = patch(patch(data, cds[2] + 16, "<I", crc), lo + 14, "<I", crc)
    write(BAD, "bad-crc.npz", data)

    # Encrypted flag; unsupported method; overlapping members; size bomb.
    data = graph_zip(compress=False)
    cds = central_entries(data)
    write(BAD, "encrypted.npz", patch(data, cds[0] + 8, "<H", 1))
    write(BAD, "method-bzip2.npz", patch(data, cds[0] + 10, "<H", 12))
    write(BAD, "overlapping-members.npz", overlapping_members())
    data = graph_zip()
    cds = central_entries(data)
    write(BAD, "size-bomb.npz", patch(data, cds[0] + 24, "<I", 0xFFFFFFF0))

    # A data descriptor that disagrees with the central directory.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, blob in graph_members():
            info = zipfile.ZipInfo(name, date_time=STAMP)
            zf.writestr(info, blob)
    data = buf.getvalue()
    cds = central_entries(data)
    lo = local_offset(data, cds[0])
    data = patch(patch(data, lo + 6, "<H", 8), cds[0] + 8, "<H", 8)
    write(BAD, "data-descriptor-mismatch.npz", data)

    # dtypes
    e = np.array([[0, 1], [1, 2], [2, 3]])
    write(BAD, "edges-float.npz", graph_zip(edges=e.astype(np.float64) + 0.5))
    write(BAD, "edges-object.npz",
          graph_zip(edges=np.array([[0, 1], [1, "x"]], dtype=object)))
    write(BAD, "edges-big-endian.npz", graph_zip(edges=e.astype(">i8")))
    write(BAD, "edges-unicode.npz", graph_zip(edges=e.astype("<U3")))
    write(BAD, "edges-structured.npz",
          graph_zip(edges=np.zeros(3, dtype=[("u", "<i8"), ("v", "<i8")])))

    # shapes and ids
    write(BAD, "edges-3-columns.npz",
          graph_zip(edges=np.array([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]])))
    write(BAD, "edges-2xE.npz", graph_zip(edges=np.array([[0, 1, 2, 3, 4], [1, 2, 3, 4, 5]])))
    write(BAD, "edges-past-n.npz", graph_zip(edges=np.array([[0, 1], [1, 2], [3, 6000]])))
    write(BAD, "edges-negative.npz", graph_zip(edges=np.array([[0, 1], [-1, 2]])))
    write(BAD, "labels-longer.npz", graph_zip(labels=np.arange(n + 3) % 3))
    write(BAD, "labels-shorter.npz", graph_zip(labels=np.arange(n - 2) % 3))
    write(BAD, "labels-2d.npz", graph_zip(labels=np.zeros((n, 3), dtype=np.int64)))
    write(BAD, "labels-non-integral.npz", graph_zip(labels=np.full(n, 1.5)))
    write(BAD, "labels-below-minus-one.npz",
          graph_zip(labels=np.array([0, 1, -2, 0, 1, 2])))
    write(BAD, "masks-wrong-shape.npz",
          graph_zip(train_masks=np.zeros((2, n + 1), dtype=bool)))
    write(BAD, "masks-disagree.npz", graph_zip(val_masks=np.zeros((3, n), dtype=bool)))
    write(BAD, "masks-incomplete.npz", graph_zip(test_masks=None))
    write(BAD, "masks-not-binary.npz",
          graph_zip(train_masks=np.full((2, n), 2, dtype=np.uint8)))
    write(BAD, "empty-graph.npz",
          graph_zip(n=0, labels=np.zeros(0, dtype=np.int64),
                    edges=np.zeros((0, 2), dtype=np.int64),
                    features=np.zeros((0, 4), dtype=np.float32), masks=False))
    write(BAD, "no-edges.npz", graph_zip(drop=("edges",)))
    write(BAD, "features-1d.npz", graph_zip(features=np.ones(n, dtype=np.float32)))
    x = np.ones((n, 4), dtype=np.float32)
    x[3, 2] = np.nan
    write(BAD, "features-nan.npz", graph_zip(features=x))

    # .npy headers
    header = "{'descr': '<i8', 'fortran_order': False, 'shape': (3, 2), }"
    payload = np.array([[0, 1], [1, 2], [2, 3]], dtype="<i8").tobytes()
    write(BAD, "npy-bad-magic.npz",
          graph_zip(edges=b"\x93NUMPZ" + raw_npy(header, payload)[6:]))
    blob = bytearray(raw_npy(header, payload))
    struct.pack_into("<H", blob, 8, 60000)
    write(BAD, "npy-header-past-end.npz", graph_zip(edges=bytes(blob)))
    write(BAD, "npy-shape-overflow.npz",
          graph_zip(edges=raw_npy("{'descr': '<i8', 'fortran_order': False, "
                                  "'shape': (4294967296, 4294967296, 2), }", payload)))
    write(BAD, "npy-header-garbage.npz",
          graph_zip(edges=raw_npy("{'descr': '<i8', 'fortran_order': Maybe, 'shape': (3, 2)}",
                                  payload)))
    write(BAD, "npy-version-4.npz", graph_zip(edges=raw_npy(header, payload, version=(4, 0))))
    write(BAD, "npy-trailing-bytes.npz", graph_zip(edges=raw_npy(header, payload + b"\0" * 16)))
    write(BAD, "npy-truncated-payload.npz", graph_zip(edges=raw_npy(header, payload[:-8])))
    write(BAD, "npy-negative-dimension.npz",
          graph_zip(edges=raw_npy("{'descr': '<i8', 'fortran_order': False, "
                                  "'shape': (-3, 2), }", payload)))
    write(BAD, "npy-too-many-dims.npz",
          graph_zip(edges=raw_npy("{'descr': '<i8', 'fortran_order': False, "
                                  "'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1, 6), }",
                                  b"\0" * 48)))
    write(BAD, "features-fortran-3d.npz",
          graph_zip(features=np.asfortranarray(np.ones((n, 2, 2), dtype=np.float32))))
    # Deflated [S, N] masks in Fortran order (transposed on read), then a
    # malformed member after them: the masks already read must be freed.
    tr = np.zeros((2, n), dtype=bool)
    tr[:, 0] = True
    write(BAD, "class-names-after-masks.npz",
          graph_zip(masks=False, train_masks=np.asfortranarray(tr),
                    val_masks=np.asfortranarray(np.roll(tr, 1, axis=1)),
                    test_masks=np.asfortranarray(np.roll(tr, 2, axis=1)),
                    class_names=np.arange(3, dtype=np.int64)))


def make_good():
    os.makedirs(GOOD, exist_ok=True)
    # Every dtype, 2 x 3, values 0..5 (bool: 0 1 0 1 0 1); stored and deflated.
    dtypes = {
        "b1": "|b1", "u1": "|u1", "i1": "|i1", "i2": "<i2", "i4": "<i4", "i8": "<i8",
        "u2": "<u2", "u4": "<u4", "u8": "<u8", "f4": "<f4", "f8": "<f8",
    }
    members = []
    for key, descr in dtypes.items():
        values = np.arange(6).reshape(2, 3)
        if key == "b1":
            values = values % 2
        members.append((key + ".npy", npy(values.astype(descr))))
    write(GOOD, "dtypes-stored.npz", zip_bytes(members, compress=False))
    write(GOOD, "dtypes-deflated.npz", zip_bytes(members, compress=True))
    write(GOOD, "dtypes-no-zip64.npz", zip_bytes(members, compress=True, force_zip64=False))
    write(GOOD, "dtypes-zip64-end.npz", to_zip64(zip_bytes(members, compress=True)))
    write(GOOD, "dtypes-mixed-comment.npz",
          zip_bytes([(m[0], m[1], i % 2 == 0) for i, m in enumerate(members)],
                    comment=b"an archive comment, which the reader must skip; " * 40))

    # Shapes, versions and order. f2d: [[0, 1, 2], [3, 4, 5]] written Fortran-ordered.
    a = np.arange(6, dtype="<f8").reshape(2, 3)
    write(GOOD, "shapes.npz", zip_bytes([
        ("scalar.npy", npy(np.float64(2.5))),
        ("vector.npy", npy(np.arange(4, dtype="<i4"))),
        ("empty.npy", npy(np.zeros(0, dtype="<f4"))),
        ("no_rows.npy", npy(np.zeros((0, 2), dtype="<i8"))),
        ("no_cols.npy", npy(np.zeros((5, 0), dtype="<f4"))),
        ("cube.npy", npy(np.arange(24, dtype="<i2").reshape(2, 3, 4))),
        ("fortran.npy", npy(np.asfortranarray(a))),
        ("fortran_vector.npy", npy(np.asfortranarray(np.arange(3, dtype="<u2")))),
        ("v2.npy", npy(a, version=(2, 0))),
        ("v3.npy", npy(a, version=(3, 0))),
        ("native.npy", raw_npy("{'shape': (2, 3), 'fortran_order': False, 'descr': '=f8'}",
                               a.tobytes())),
        ("double_quotes.npy", raw_npy('{"descr": "<f8", "fortran_order": False, '
                                      '"shape": (2, 3,)}', a.tobytes(), pad=False)),
        ("big_v2_header.npy", raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': "
                                      "(2, 3), }" + " " * 70000, a.tobytes(), version=(2, 0),
                                      pad=False)),
    ]))

    # A tiny valid graph, both ways (stored and deflated), masks as [N] (S = 1).
    n = 5
    members = graph_members(n=n, edges=np.array([[0, 1], [1, 2], [2, 0], [3, 4]]),
                            labels=np.array([0, 1, -1, 1, 0]),
                            features=np.arange(n * 2, dtype=np.float64).reshape(n, 2),
                            masks=False,
                            train_masks=np.array([1, 0, 0, 0, 0], dtype=np.uint8),
                            val_masks=np.array([0, 1, 0, 0, 0], dtype=bool),
                            test_masks=np.array([0, 0, 0, 1, 1], dtype=bool))
    write(GOOD, "tiny-graph.npz", zip_bytes(members, compress=True))
    write(GOOD, "tiny-graph-stored.npz", zip_bytes(members, compress=False))

    # Edges as a user might store them (proximity --stream, tests/mpi): out
    # of order, repeated, both ways round, with self-loops; int32 stored and
    # int64 deflated. Hubs 0..4 give pairs many common neighbours.
    n = 300
    base = [((i * 37 + 11) % n, (i * i * 13 + 7) % 293) for i in range(1200)]
    base += [(h, (h * 53 + k * 7) % n) for h in range(5) for k in range(40)]
    rows = base + [(v, u) for u, v in base[:150]] + base[200:320]
    rows += [(k, k) for k in range(0, 60, 3)]
    order = sorted(range(len(rows)), key=lambda i: (i * 7919) % 10007)
    edges = np.array([rows[i] for i in order])
    members = graph_members(n=n, edges=edges.astype(np.int32),
                            labels=(np.arange(n) % 4).astype(np.int64),
                            features=np.zeros((n, 0), dtype=np.float32), masks=False)
    write(GOOD, "messy-edges-stored.npz", zip_bytes(members, compress=False))
    members = graph_members(n=n, edges=edges.astype(np.int64),
                            labels=(np.arange(n) % 4).astype(np.int64),
                            features=np.zeros((n, 0), dtype=np.float32), masks=False)
    write(GOOD, "messy-edges.npz", zip_bytes(members, compress=True))


if __name__ == "__main__":
    make_bad()
    make_good()
