#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every control of the running app has a name on the AT-SPI bus.

Runs $PHILIA_APP (it opens the bundled Cora), finds it on the accessibility
bus, walks its tree with each side panel shown (clicking the panel tabs the
way a screen reader user would) and fails naming every unnamed button, field,
spin button, combo box, check box or slider; the graph canvas is one named,
focusable panel. This is what Orca reads, while
test-a11y computes the names in-process. Needs tests/headless.sh (a display
and a session bus) and python3-pyatspi; skips (77) without them.
"""
import os
import subprocess
import sys
import time

try:
    import pyatspi
except ImportError:
    print("1..0 # SKIP python3-pyatspi is not installed")
    sys.exit(0)

from atspi_common import TYPE_NAME, find_app

PANELS = ["Dataset", "Statistics", "Train", "Inspect", "Proximity"]


def controls():
    return {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
            pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_ENTRY, pyatspi.ROLE_SPIN_BUTTON,
            pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_SLIDER, pyatspi.ROLE_TEXT}


def walk(node, found, path=""):
    try:
        role = node.getRole()
        name = (node.name or "").strip()
    except Exception:
        return
    here = f"{path}/{node.getRoleName()}" + (f"[{name}]" if name else "")
    if role in controls():
        found.append((here, bool(name) and not TYPE_NAME.match(name), node))
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            walk(child, found, here)


def tab_nodes(node):
    out = []
    try:
        if node.getRole() == pyatspi.ROLE_PAGE_TAB:
            out.append(node)
    except Exception:
        return out
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            out += tab_nodes(child)
    return out


def named_nodes(node, name):
    out = []
    try:
        if (node.name or "") == name:
            out.append(node)
        n = node.childCount
    except Exception:
        return out
    for i in range(n):
        child = node.getChildAtIndex(i)
        if child is not None:
            out += named_nodes(child, name)
    return out


def has_state(node, state):
    try:
        return node.getState().contains(state)
    except Exception:
        return False


def showing(node):
    try:
        return node.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def main():
    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("1..0 # SKIP no display or session bus: run under tests/headless.sh")
        return 0
    env = dict(os.environ)
    env.pop("GTK_A11Y", None)   # the UI tests turn it off; here it is the point
    env["LANGUAGE"] = "C"
    app_proc = subprocess.Popen([os.environ["PHILIA_APP"]], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        app = find_app(app_proc.pid)
        if app is None:
            print("1..1\nnot ok 1 the app did not appear on the AT-SPI bus")
            return 1
        time.sleep(3)   # Cora loads and the window fills
        unnamed, total = {}, 0
        for title in PANELS:
            found = []
            walk(app, found)
            tabs = [n for n in tab_nodes(app) if (n.name or "") == title]
            if not tabs:
                print(f"1..1\nnot ok 1 no tab “{title}” on the bus")
                return 1
            tabs[0].queryAction().doAction(0)
            time.sleep(0.8)
            found = []
            walk(app, found)
            for path, named, node in found:
                if showing(node):
                    total += 1
                    if not named:
                        unnamed[path] = title
        print("1..2")
        print(f"# {total} controls on the bus over {len(PANELS)} panels")
        failed = 0
        if unnamed:
            for path, title in sorted(unnamed.items()):
                print(f"# unnamed with {title} shown: {path}")
            print("not ok 1 controls without an accessible name")
            failed += 1
        else:
            print("ok 1 every control has an accessible name")
        # The graph is a picture a screen reader reaches as one focusable
        # panel, "Graph canvas" (the drawing area; its page is no stop).
        canvases = [n for n in named_nodes(app, "Graph canvas")
                    if n.getRole() == pyatspi.ROLE_PANEL]
        focusable = [n for n in canvases if has_state(n, pyatspi.STATE_FOCUSABLE)]
        if len(canvases) == 1 and len(focusable) == 1:
            print("ok 2 the graph canvas is one focusable, named panel")
        else:
            print(f"# {len(canvases)} panels named “Graph canvas”, {len(focusable)} focusable")
            print("not ok 2 the graph canvas is one focusable, named panel")
            failed += 1
        return 1 if failed else 0
    finally:
        app_proc.terminate()
        try:
            app_proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app_proc.kill()
            app_proc.wait()


if __name__ == "__main__":
    sys.exit(main())
