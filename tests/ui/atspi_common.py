# SPDX-License-Identifier: GPL-3.0-or-later
"""What the AT-SPI tests share: finding the app on the bus and the test for
a name a listener cannot use. Imported by atspi-names.py and
keyboard-session.py (their folder is on the module path)."""
import re
import time

import pyatspi

# GTK 4.8 names a widget it has no name for by its type ("GtkToggleButton"):
# to a listener that is no name at all.
TYPE_NAME = re.compile(r"^(Gtk|Philia)[A-Za-z]+$")


def find_app(pid, timeout=30.0):
    """The application with process id @pid once its window is on the bus."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for app in pyatspi.Registry.getDesktop(0):
            try:
                if app is not None and app.get_process_id() == pid and app.childCount > 0:
                    return app
            except Exception:
                pass
        time.sleep(0.2)
    return None
