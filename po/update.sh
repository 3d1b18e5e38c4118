#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# po/update.sh [BUILDDIR]: regenerate po/philia.pot from the files in POTFILES.in and
# merge it into every catalogue in LINGUAS. msgmerge keeps every existing translation;
# a changed source string comes back "fuzzy" (shown in English until a translator
# checks it), a new one untranslated. Then translate, and check with
#   meson test -C BUILDDIR --suite po
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
sh "$here/check-potfiles.sh" "$here/.."
meson compile -C "$build" philia-pot
meson compile -C "$build" philia-update-po
for lang in $(grep -v '^#' "$here/LINGUAS"); do
  printf '%s: ' "$lang"
  msgfmt --check --statistics -o /dev/null "$here/$lang.po"
done
# The template is generated; the catalogues are what is kept.
rm -f "$here/philia.pot"
