#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs this build into a temporary DESTDIR and checks the staged tree: every
# file `meson install` must put there, and the installed programs run from it
# with their own plugins (found beside the binary, no PHILIA_PLUGIN_PATH), an
# out-of-tree plugin built against the installed philia-plugin.pc, and the
# bundled dataset. The app runs under the display of tests/headless.sh when
# there is one (DISPLAY set), else only `philia --version` is checked.
#
# usage: check-install.sh BUILD_ROOT VERSION PLUGIN_SOURCE GUI(true|false)
set -euo pipefail
build_root=$(realpath "$1") version=$2 plugin_src=$(realpath "$3") gui=$4
tmp=$(mktemp -d)
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# A Python with numpy (tests/meson.build finds one) recomputes what the CLI prints.
py=${PHILIA_PYTHON:-python3}

meson install -C "$build_root" --destdir "$tmp/stage" --no-rebuild --quiet >/dev/null
prefix=$(meson introspect "$build_root" --buildoptions |
  "$py" -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
opt() {
  meson introspect "$build_root" --buildoptions |
    "$py" -c "import json,sys; print(next(o['value'] for o in json.load(sys.stdin) if o['name']=='$1'))"
}
under() { case "$1" in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
root="$tmp/stage$prefix"
bindir="$tmp/stage$(under "$(opt bindir)")"
libdir="$tmp/stage$(under "$(opt libdir)")"
datadir="$tmp/stage$(under "$(opt datadir)")"
mandir="$tmp/stage$(under "$(opt mandir)")"
includedir="$tmp/stage$(under "$(opt includedir)")"
echo "staged prefix: $root"

# 1. The files.
expect=(
  "$bindir/philia-cli"
  "$libdir/philia/plugins/aggregation-homophily.so" "$libdir/philia/plugins/aggregation-homophily.plugin"
  "$libdir/philia/plugins/local-path-index.so" "$libdir/philia/plugins/local-path-index.plugin"
  "$libdir/philia/plugins/forceatlas2.so" "$libdir/philia/plugins/forceatlas2.plugin"
  "$libdir/philia/plugins/fagcn.so" "$libdir/philia/plugins/fagcn.plugin"
  "$includedir/philia-1/philia-plugin.h"
  "$libdir/pkgconfig/philia-plugin.pc"
  "$mandir/man1/philia-cli.1"
  "$datadir/philia/cora.npz"
)
if [ "$gui" = true ]; then
  expect+=(
    "$bindir/philia"
    "$mandir/man1/philia.1"
    "$datadir/glib-2.0/schemas/io.github.philia.Philia.gschema.xml"
    "$datadir/applications/io.github.philia.Philia.desktop"
    "$datadir/metainfo/io.github.philia.Philia.metainfo.xml"
    "$datadir/icons/hicolor/scalable/apps/io.github.philia.Philia.svg"
    "$datadir/icons/hicolor/symbolic/apps/io.github.philia.Philia-symbolic.svg"
    "$datadir/help/C/philia/index.page"
    "$datadir/help/C/philia/homophily.page"
    "$datadir/help/C/philia/figures/window.png"
  )
  # The HTML build of the help, when yelp-build was there to make it.
  if command -v yelp-build >/dev/null; then
    expect+=("$datadir/philia/help-html/index.html" "$datadir/philia/help-html/figures/window.png")
  fi
  # A catalogue for every language po/ has.
  for lang in $(sed 's/#.*//' "$(dirname "$plugin_src")/../../po/LINGUAS" 2>/dev/null); do
    expect+=("$tmp/stage$(under "$(opt localedir)")/$lang/LC_MESSAGES/philia.mo")
  done
fi
for f in "${expect[@]}"; do
  [ -s "$f" ] || fail "not installed: ${f#"$tmp/stage"}"
done
echo "all ${#expect[@]} expected files installed"

# 2. The installed CLI, with nothing pointing it at the build tree or the user's plugins.
export PHILIA_PLUGIN_PATH=
export XDG_DATA_HOME="$tmp/xdg-data"
cli="$bindir/philia-cli"
got=$("$cli" --version)
[ "$got" = "philia-cli $version" ] || fail "philia-cli --version printed “$got”, not “philia-cli $version”"

plugins=$("$cli" plugins --json)
for id in aggregation-homophily local-path-index forceatlas2 fagcn; do
  echo "$plugins" | "$py" -c '
import json, sys
want, libdir = sys.argv[1], sys.argv[2]
found = [p for p in json.load(sys.stdin)["plugins"] if p["id"] == want]
assert found, f"{want} is not listed"
assert found[0]["status"] == "loaded", f"{want}: {found[0]}"
assert found[0]["file"].startswith(libdir), (want, "is not the installed one:", found[0]["file"])
' "$id" "$libdir/philia/plugins" || fail "installed plugin $id: $plugins"
done
echo "installed philia-cli loads the 4 installed plugins"

stats=$("$cli" stats "$datadir/philia/cora.npz" --json)
echo "$stats" | "$py" -c '
import json, sys
import numpy as np
d = json.load(sys.stdin)
# Independently: the share of the stored edges (each once) whose ends share a label.
with np.load(sys.argv[1]) as npz:
    e, y = npz["edges"], npz["node_labels"]
want = float((y[e[:, 0]] == y[e[:, 1]]).mean())
assert abs(d["edge_homophily"] - want) < 1e-12, (d["edge_homophily"], want)
print("edge homophily %.6f = numpy %.6f" % (d["edge_homophily"], want))
' "$datadir/philia/cora.npz" || fail "stats on the installed cora.npz: $stats"
echo "stats on the installed cora.npz agree with numpy"

# 3. An out-of-tree plugin against the installed header and philia-plugin.pc.
mkdir "$tmp/pc" "$tmp/plugin"
sed "s|^prefix=.*|prefix=$root|" "$libdir/pkgconfig/philia-plugin.pc" > "$tmp/pc/philia-plugin.pc"
cp "$plugin_src" "$tmp/plugin/"
sed 's/^Name=.*/Name=Mean degree (out of tree)/' "${plugin_src%.c}.plugin" > "$tmp/plugin/mean-degree.plugin"
cflags=$(PKG_CONFIG_PATH="$tmp/pc" pkg-config --cflags philia-plugin)
case "$cflags" in *"-I$root"*) ;; *) fail "pkg-config does not point into the install: $cflags" ;; esac
# shellcheck disable=SC2086
${CC:-cc} -shared -fPIC -o "$tmp/plugin/mean-degree.so" "$tmp/plugin/mean-degree.c" $cflags
PHILIA_PLUGIN_PATH="$tmp/plugin" "$cli" plugins --json | grep -q '"id":"mean-degree","name":"Mean degree (out of tree)"[^}]*"status":"loaded"' ||
  fail "the out-of-tree plugin was not loaded: $(PHILIA_PLUGIN_PATH="$tmp/plugin" "$cli" plugins)"
PHILIA_PLUGIN_PATH="$tmp/plugin" "$cli" stats "$datadir/philia/cora.npz" --json |
  "$py" -c '
import json, sys
def find(node, key):
    if isinstance(node, dict):
        if key in node:
            return node[key]
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            got = find(child, key)
            if got is not None:
                return got
    return None
got = find(json.load(sys.stdin), "mean_degree")
assert got is not None and abs(got - 2 * 5278 / 2708) < 1e-9, got
' || fail "the out-of-tree plugin's measure did not run"
echo "out-of-tree plugin built against the installed .pc and loaded by the installed CLI"

[ "$gui" = true ] || exit 0

# 4. The installed app.
app="$bindir/philia"
got=$("$app" --version)
[ "$got" = "philia $version" ] || fail "philia --version printed “$got”, not “philia $version”"
echo "philia --version: $got"
if [ -z "${DISPLAY:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "no display: the installed app was not started (run under tests/headless.sh)"
  exit 0
fi
# DESTDIR skips the post-install schema compilation.
glib-compile-schemas "$datadir/glib-2.0/schemas"
export GSETTINGS_SCHEMA_DIR="$datadir/glib-2.0/schemas" GSETTINGS_BACKEND=memory
export XDG_DATA_DIRS="$datadir:${XDG_DATA_DIRS:-/usr/share}"
G_DEBUG=fatal-criticals "$app" "$datadir/philia/cora.npz" >"$tmp/app.log" 2>&1 &
app_pid=$!
# Up when it owns its name on the session bus; then quit it through its own action.
for _ in $(seq 1 100); do
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner io.github.philia.Philia 2>/dev/null |
    grep -q true && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$tmp/app.log"; fail "the installed app exited at start"; }
  sleep 0.1
done
sleep 3
kill -0 "$app_pid" 2>/dev/null || { cat "$tmp/app.log"; fail "the installed app died"; }
gdbus call --session --dest io.github.philia.Philia --object-path /io/github/philia/Philia \
  --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null || fail "could not ask the app to quit"
for _ in $(seq 1 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app_pid" 2>/dev/null; then fail "the installed app did not quit"; fi
rc=0
wait "$app_pid" || rc=$?
app_pid=
cat "$tmp/app.log"
[ "$rc" -eq 0 ] || fail "the installed app exited with $rc"
echo "installed app opened cora.npz under $DISPLAY and quit cleanly"
