#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The plugin of plugins/README.md, written from the README alone: installs
# this build into a temporary DESTDIR, extracts the README's files into a
# scratch directory outside the tree, builds them with the README's exact
# command against the installed headers and philia-plugin.pc, and checks
# that philia-cli loads the plugin and runs its measure.
#
# usage: check-readme-plugin.sh BUILD_ROOT README PHILIA_CLI DATASET
set -euo pipefail
build_root=$(realpath "$1") readme=$(realpath "$2") cli=$(realpath "$3") dataset=$(realpath "$4")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

meson install -C "$build_root" --destdir "$tmp/inst" --no-rebuild --quiet >/dev/null
pc=$(find "$tmp/inst" -name philia-plugin.pc | head -n1)
[ -n "$pc" ] || { echo "philia-plugin.pc was not installed"; exit 1; }

# <!-- file: NAME --> then a fenced block: NAME's content; <!-- build --> then
# a fenced block: the build command.
mkdir "$tmp/scratch"
awk -v dir="$tmp/scratch" '
  /^<!-- file: .* -->$/ { name = $3; next }
  /^<!-- build -->$/    { name = "build.sh"; next }
  /^```/ { if (inside) { inside = 0; name = "" } else if (name != "") inside = 1; next }
  inside { print > (dir "/" name) }
' "$readme"
for f in density.c density.plugin build.sh; do
  [ -s "$tmp/scratch/$f" ] || { echo "the README has no $f block"; exit 1; }
done
echo "build command: $(cat "$tmp/scratch/build.sh")"

cd "$tmp/scratch"
# The installed tree lives under DESTDIR: a copy of the .pc whose prefix
# points there (its other paths are relative to ${prefix}).
mkdir "$tmp/pc"
sed "s|^prefix=|prefix=$tmp/inst|" "$pc" > "$tmp/pc/philia-plugin.pc"
export PKG_CONFIG_PATH="$tmp/pc"
pkg-config --cflags philia-plugin | grep -q -- "-I$tmp/inst" ||
  { echo "pkg-config does not point into the install: $(pkg-config --cflags philia-plugin)"; exit 1; }
bash -e build.sh
[ -f density.so ] || { echo "the README's command built no density.so"; exit 1; }

json=$(PHILIA_PLUGIN_PATH="$tmp/scratch" "$cli" plugins --json)
echo "$json"
echo "$json" | grep -q '"id":"density","name":"Edge density","version":"1.0"' ||
  { echo "density is not listed"; exit 1; }
echo "$json" | grep -q '"status":"loaded","reason":null,"family":"measure","families":\["measure"\],"algorithms":\["edge-density"\]' ||
  { echo "density was not loaded"; exit 1; }

# Its measure runs: 2m / (n (n - 1)) from philia-cli info.
stats=$(PHILIA_PLUGIN_PATH="$tmp/scratch" "$cli" stats "$dataset" --json)
info=$("$cli" info "$dataset" --json)
n=$(echo "$info" | sed -n 's/.*"nodes":\([0-9]*\).*/\1/p')
m=$(echo "$info" | sed -n 's/.*"edges":\([0-9]*\).*/\1/p')
got=$(echo "$stats" | sed -n 's/.*"edge_density":\([0-9.e-]*\).*/\1/p')
awk -v n="$n" -v m="$m" -v got="$got" 'BEGIN {
  want = 2 * m / (n * (n - 1));
  printf "edge density %s, expected %.12g\n", got, want;
  exit !(got != "" && (got - want) ^ 2 < 1e-24) }'
