#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifest's offline checks: it names the application and its
command, every fetched source is pinned (a git commit, or the sha256 of an
archive or file), the only unpinned source is this source tree itself, and
`flatpak-builder --show-manifest` accepts it when flatpak-builder is installed.

usage: check-flatpak.py MANIFEST APP_ID
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    manifest, app_id = sys.argv[1], sys.argv[2]
    with open(manifest, encoding="utf-8") as f:
        d = json.load(f)
    failures = []
    if d.get("id") != app_id:
        failures.append(f"id is {d.get('id')!r}, not {app_id!r}")
    if d.get("command") != "philia":
        failures.append(f"command is {d.get('command')!r}, not 'philia'")
    pinned = 0
    for module in d.get("modules", []):
        name = module.get("name", "?") if isinstance(module, dict) else module
        if not isinstance(module, dict):
            failures.append(f"module {name}: a separate file is not checked; inline it")
            continue
        for source in module.get("sources", []):
            kind = source.get("type")
            if kind == "git":
                if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
                    failures.append(f"module {name}: git source {source.get('url')} has no commit")
                    continue
            elif kind in ("archive", "file"):
                if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                    failures.append(f"module {name}: {source.get('url')} has no sha256")
                    continue
            elif kind == "dir" and name == "philia" and source.get("path") == "..":
                continue   # this tree: what is being built, not fetched
            else:
                failures.append(f"module {name}: source of type {kind} cannot be pinned")
                continue
            pinned += 1
    if pinned == 0:
        failures.append("no pinned source at all")
    builder = shutil.which("flatpak-builder")
    if builder:
        # It leaves a .flatpak-builder/ state folder in its working directory.
        with tempfile.TemporaryDirectory() as scratch:
            res = subprocess.run([builder, "--show-manifest", os.path.abspath(manifest)],
                                 capture_output=True, text=True, cwd=scratch)
        if res.returncode != 0:
            failures.append(f"flatpak-builder --show-manifest failed: {res.stderr.strip()}")
        elif json.loads(res.stdout).get("id") != app_id:
            failures.append("flatpak-builder --show-manifest lost the application id")
        else:
            print("flatpak-builder --show-manifest: ok")
    else:
        print("flatpak-builder is not installed: --show-manifest not run")
    print(f"{pinned} fetched sources, all pinned" if not failures else "")
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
