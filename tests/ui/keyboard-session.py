#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A keyboard-only session with real key presses.

Runs $PHILIA_APP (it opens the bundled Cora) and drives it with X key events
from xdotool only, the way a user without a pointer does, while reading what
happened from the AT-SPI tree (what a screen reader would announce): open a
dataset (Ctrl+O, type its path), lay it out with another algorithm from the
layout menu, find a node (Ctrl+F, type, Enter), Tab to the graph canvas (it
describes the node), move its view with its keys and clear the selection
with Escape, reach the Train page and its Train button with Tab, train,
remove the run and undo and redo that (Ctrl+Z, Shift+Ctrl+Z), export the
view as a PNG through the Export menu and its file chooser, visit every
page, open Preferences (Ctrl+,) and close it with Escape; every stop of the
focus chain must have a name a screen reader can say. test-a11y checks the
same chain in-process through focus APIs; this one proves the keys
themselves get there. Needs tests/headless.sh, python3-pyatspi and
xdotool; skips without them.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import pyatspi
    from gi.repository import GLib
except ImportError:
    print("1..0 # SKIP python3-pyatspi is not installed")
    sys.exit(0)

from atspi_common import TYPE_NAME, find_app


def nodes(node):
    """Every accessible under @node, depth first."""
    try:
        yield node
        n = node.childCount
    except Exception:
        return
    for i in range(n):
        child = node.getChildAtIndex(i)
        if child is not None:
            yield from nodes(child)


def has_state(node, state):
    try:
        return node.getState().contains(state)
    except Exception:
        return False


# A type name ("GtkImage", see atspi_common) is no name to a listener; nor is
# a raw mnemonic ("_Train").


def badly_named(node):
    try:
        name = (node.name or "").strip()
    except Exception:
        return False
    return not name or bool(TYPE_NAME.match(name)) or bool(re.search(r"(^|\s)_\w", name))


# Walking the whole tree over D-Bus after every key press is slow; the focus
# is followed from the bus's focus events instead, as a screen reader does.
FOCUS = {"node": None, "moves": 0}


def on_focus(event):
    if event.detail1:
        FOCUS["node"] = event.source
        FOCUS["moves"] += 1


def pump(seconds):
    context = GLib.MainContext.default()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        while context.iteration(False):
            pass
        time.sleep(0.02)


def focused(app):
    pump(0.05)
    return FOCUS["node"]


def describe(node):
    if node is None:
        return "nothing"
    try:
        return f"{node.getRoleName()} “{node.name}”"
    except Exception:
        return "a vanished object"


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        pump(0.2)
    return predicate()


class Session:
    def __init__(self, app, window_ids):
        self.app = app
        self.window_ids = window_ids
        self.results = []
        self.unnamed_stops = set()

    def key(self, *keys):
        """Presses @keys; returns once the focus moved, or after 0.4 s."""
        moves = FOCUS["moves"]
        subprocess.run(["xdotool", "key", "--clearmodifiers", *keys], check=True)
        deadline = time.monotonic() + 0.4
        while time.monotonic() < deadline and FOCUS["moves"] == moves:
            pump(0.02)
        pump(0.05)

    def type(self, text):
        subprocess.run(["xdotool", "type", "--delay", "60", text], check=True)
        pump(0.3)

    def check(self, ok, what, detail=""):
        self.results.append((bool(ok), what, detail))
        return ok

    def tab_to(self, role, name, limit=80):
        """Presses Tab until @role “@name” has the focus; returns it or None."""
        for _ in range(limit):
            f = focused(self.app)
            try:
                if f is not None and f.getRole() == role and f.name == name:
                    return f
            except Exception:
                pass
            if os.environ.get("KB_DEBUG"):
                print("# tab:", describe(f))
            if f is not None and badly_named(f):
                self.unnamed_stops.add(describe(f))
            self.key("Tab")
        return None

    def named(self, role, name, showing=True):
        for node in nodes(self.app):
            try:
                if node.getRole() == role and (name is None or node.name == name) and \
                   (not showing or has_state(node, pyatspi.STATE_VISIBLE)):
                    return node
            except Exception:
                pass
        return None


def window_names(app):
    try:
        n = app.childCount
        names = [app.getChildAtIndex(i).name or "" for i in range(n)]
    except Exception as e:
        if os.environ.get("KB_DEBUG"):
            print("# window_names:", e)
        return []
    # One past the end, as a screen reader racing a closing window asks:
    # GTK 4.8 answers with the last toplevel, and crashed the app when that
    # one was alive but hidden (a shortcuts window kept for the whole run).
    try:
        app.getChildAtIndex(n)
    except Exception:
        pass
    return names


def frame_named(app, pattern):
    """The name of a window of @app whose name matches @pattern, or None."""
    for name in window_names(app):
        if re.search(pattern, name):
            return name
    return None


def run(session):
    s = session
    app = s.app

    # 0. Open a dataset: Ctrl+O, Ctrl+L, its path, Enter. The window (or the
    # new one Open makes) is titled by the file.
    s.key("ctrl+o")
    chooser = wait_for(lambda: s.named(pyatspi.ROLE_FILE_CHOOSER, None, showing=False)
                       or frame_named(app, r"^Open"), 5)
    if not s.check(chooser, "Ctrl+O opens the file chooser"):
        return
    s.key("ctrl+l")
    s.type(s.dataset)
    # The window is asked for its windows all through the swap (see
    # window_names): no quiet period.
    subprocess.run(["xdotool", "key", "--clearmodifiers", "Return"], check=True)
    title = wait_for(lambda: frame_named(app, r"^(• )?kbsession"), 20)
    if not s.check(title, "Enter in the file chooser opens the dataset (the window says so)",
                   "windows: " + "; ".join(window_names(app))):
        return
    time.sleep(2)   # the first layout settles

    # 0b. Lay it out with another algorithm: Tab to the layout menu, Space
    # opens it, Down and Enter pick the next algorithm. The layout is an
    # undoable change, so the title gains GNOME's unsaved-changes bullet.
    layout = s.tab_to(pyatspi.ROLE_PUSH_BUTTON, "Layout")
    if not s.check(layout, "Tab reaches the layout menu", describe(focused(app))):
        return
    s.key("space")
    pump(0.5)
    s.key("Down")
    s.key("Return")
    s.check(wait_for(lambda: frame_named(app, r"^• kbsession"), 30),
            "Down and Enter in the layout menu lay the graph out again (title: unsaved)",
            str(frame_named(app, "kbsession")))

    # 1. Find a node: Ctrl+F puts the focus in the find entry; Enter selects.
    s.key("ctrl+f")
    f = focused(app)
    if not s.check(f is not None and f.getRole() == pyatspi.ROLE_ENTRY,
                   "Ctrl+F focuses the find entry", describe(f)):
        return
    s.type("42")
    s.key("Return")
    canvas = s.named(pyatspi.ROLE_PANEL, "Graph canvas", showing=False)
    desc = wait_for(lambda: canvas is not None and "42" in (canvas.description or "")
                    and canvas.description, 5)
    s.check(desc, "Enter in the find entry selects node 42 (the canvas says so)",
            canvas.description if canvas else "no canvas on the bus")

    # 1b. The graph is a focus stop of its own (the drawing area), which
    # says what is selected when it gets the focus; its keys move the view
    # and keep the focus (an arrow nobody takes would move the focus on),
    # and Escape clears the selection.
    area = s.tab_to(pyatspi.ROLE_PANEL, "Graph canvas", limit=30)
    if not s.check(area, "Tab reaches the graph canvas", describe(focused(app))):
        return
    s.check("42" in (area.description or ""), "the focused canvas describes node 42",
            area.description or "no description")
    for key in ("plus", "minus", "Right", "Down", "Left", "Up", "equal", "0"):
        s.key(key)
        f = focused(app)
        if not s.check(f is not None and f.name == "Graph canvas",
                       f"{key} on the canvas keeps the focus there", describe(f)):
            return
    s.key("Escape")
    s.check(wait_for(lambda: not area.description, 3),
            "Escape on the canvas clears the selection (its description goes)",
            area.description or "")

    # 2. The Train page by Tab and Space, then its Train button by Tab and Enter.
    tab = s.tab_to(pyatspi.ROLE_PAGE_TAB, "Train")
    if not s.check(tab, "Tab reaches the Train page tab", describe(focused(app))):
        return
    s.key("space")
    s.check(wait_for(lambda: has_state(tab, pyatspi.STATE_SELECTED), 3),
            "Space shows the Train page")
    train = s.tab_to(pyatspi.ROLE_PUSH_BUTTON, "Train")
    if not s.check(train, "Tab reaches the Train button", describe(focused(app))):
        return
    s.key("Return")

    # A finished run is a row of the run history, titled "GCN #1 · split 0 · seed 0".
    # (GTK 4.8 sets no "showing" state on the bus; "visible" is what it keeps.)
    def run_shown():
        for n in nodes(app):
            try:
                if n.name.startswith("GCN #1 · split 0") and has_state(n, pyatspi.STATE_VISIBLE):
                    return n.name
            except Exception:
                pass
        return None
    s.check(wait_for(run_shown, 60), "Enter on Train trains a run (it joins the run history)")

    # 3. Remove the run with its Remove button (Tab, Space); training is not
    # an undo step but removing is: Ctrl+Z brings it back, Shift+Ctrl+Z
    # removes it again.
    remove = s.tab_to(pyatspi.ROLE_PUSH_BUTTON, "Remove Run")
    if not s.check(remove, "Tab reaches the run's Remove Run button", describe(focused(app))):
        return
    s.key("space")
    s.check(wait_for(lambda: not run_shown(), 5), "Space on Remove Run removes it")
    s.key("ctrl+z")
    s.check(wait_for(run_shown, 5), "Ctrl+Z brings the run back")
    s.key("shift+ctrl+z")
    s.check(wait_for(lambda: not run_shown(), 5), "Shift+Ctrl+Z removes it again")

    # 3b. Export the view as a PNG: Tab to the Export menu, Space opens it,
    # Enter takes "Export View…"; in the dialog "Choose File…" and, in the
    # file chooser, the full path typed into the name field, then Enter.
    export = s.tab_to(pyatspi.ROLE_PUSH_BUTTON, "Export")
    if not s.check(export, "Tab reaches the Export menu", describe(focused(app))):
        return
    s.key("space")
    pump(0.5)
    s.key("Return")
    dialog = wait_for(lambda: frame_named(app, r"^Export Figure"), 5)
    if not s.check(dialog, "Enter on “Export View…” opens the Export Figure dialog"):
        return
    choose = s.tab_to(pyatspi.ROLE_PUSH_BUTTON, "Choose File…", limit=20)
    if not s.check(choose, "Tab reaches “Choose File…”", describe(focused(app))):
        return
    s.key("Return")
    pump(1.5)
    s.key("ctrl+a")
    s.type(s.figure)
    s.key("Return")
    s.check(wait_for(lambda: os.path.exists(s.figure) and os.path.getsize(s.figure) > 1000
                     and open(s.figure, "rb").read(8) == b"\x89PNG\r\n\x1a\n", 20),
            "Enter in the file chooser writes the PNG", s.figure)
    wait_for(lambda: not frame_named(app, r"^Export Figure"), 5)

    # 4. Every other page: its tab by Tab and Space, then its first controls
    # by Tab (the focus chain's names are checked at the end).
    for title in ("Dataset", "Statistics", "Inspect", "Proximity", "Adapt"):
        page = s.tab_to(pyatspi.ROLE_PAGE_TAB, title)
        if not s.check(page, f"Tab reaches the {title} page tab", describe(focused(app))):
            return
        s.key("space")
        for _ in range(20):
            s.key("Tab")
            f = focused(app)
            if f is not None and badly_named(f):
                s.unnamed_stops.add(f"{describe(f)} ({title} page)")

    # 5. Preferences by Ctrl+comma, closed by Escape.
    s.key("ctrl+comma")
    prefs = wait_for(lambda: s.named(pyatspi.ROLE_FRAME, "Preferences", showing=False)
                     or s.named(pyatspi.ROLE_DIALOG, "Preferences", showing=False), 5)
    if s.check(prefs, "Ctrl+, opens Preferences"):
        s.key("Escape")
        s.check(wait_for(lambda: not (s.named(pyatspi.ROLE_FRAME, "Preferences", False)
                                      or s.named(pyatspi.ROLE_DIALOG, "Preferences", False)),
                         5), "Escape closes Preferences")


def main():
    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("1..0 # SKIP no display or session bus: run under tests/headless.sh")
        return 0
    if shutil.which("xdotool") is None:
        print("1..0 # SKIP xdotool is not installed")
        return 0
    env = dict(os.environ)
    env.pop("GTK_A11Y", None)
    env["LANGUAGE"] = "C"
    # The dataset the session opens: the bundled Cora under a name of its own.
    workdir = tempfile.mkdtemp(prefix="philia-keyboard-")
    dataset = os.path.join(workdir, "kbsession.npz")
    shutil.copy(os.environ["PHILIA_DATASET"], dataset)
    # A home of its own: no autosave of another run offers itself.
    for xdg in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        env[xdg] = os.path.join(workdir, xdg.lower())
    # The app's own messages, shown when the session fails.
    app_log = open(os.path.join(workdir, "app.log"), "w+")
    proc = subprocess.Popen([os.environ["PHILIA_APP"]], env=env,
                            stdout=app_log, stderr=subprocess.STDOUT)
    try:
        app = find_app(proc.pid)
        if app is None:
            print("1..1\nnot ok 1 the app did not appear on the AT-SPI bus")
            return 1
        time.sleep(3)   # Cora loads and the window fills
        ids = subprocess.run(["xdotool", "search", "--pid", str(proc.pid)],
                             capture_output=True, text=True).stdout.split()
        for wid in ids:
            subprocess.run(["xdotool", "windowfocus", "--sync", wid], capture_output=True)
        pyatspi.Registry.registerEventListener(on_focus, "object:state-changed:focused")
        session = Session(app, ids)
        session.dataset = dataset
        session.figure = os.path.join(workdir, "view.png")
        run(session)
        session.check(not session.unnamed_stops, "every stop of the focus chain has a name",
                      "; ".join(sorted(session.unnamed_stops)))
        print(f"1..{len(session.results)}")
        failed = 0
        for i, (ok, what, detail) in enumerate(session.results, 1):
            print(f"{'ok' if ok else 'not ok'} {i} {what}")
            if detail:
                print(f"# {detail}")
            failed += not ok
        if failed:
            app_log.seek(0)
            for line in app_log.read().splitlines()[-20:]:
                print(f"# app: {line}")
            if proc.poll() is not None:
                print(f"# the app exited with status {proc.returncode}")
        return 1 if failed or not session.results else 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
