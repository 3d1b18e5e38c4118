#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turns .philia project files into seeds for fuzz-project: one flag byte
(bit k set: member k is deflated), then the members in archive order, each
its name, a newline and its bytes, separated by <<member>>.

Usage: make-project-seeds.py OUT_DIR PROJECT.philia...
"""

import os
import sys
import zipfile

SEPARATOR = b"<<member>>"


def seed(path):
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        flags = 0
        for k, info in enumerate(infos[:8]):
            if info.compress_type == zipfile.ZIP_DEFLATED:
                flags |= 1 << k
        parts = [info.filename.encode() + b"\n" + z.read(info) for info in infos]
    return bytes([flags]) + SEPARATOR.join(parts)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for path in sys.argv[2:]:
        name = "seed-" + os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out, name), "wb") as f:
            f.write(seed(path))


if __name__ == "__main__":
    main()
