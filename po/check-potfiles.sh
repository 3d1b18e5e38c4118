#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check-potfiles.sh SRCDIR: every source, template and data file with a
# translatable string is listed in po/POTFILES.in, and every listed file
# exists. A file missing from the list keeps its strings out of philia.pot,
# so they stay English in every language without anyone noticing.
set -u
top=${1:?usage: check-potfiles.sh SRCDIR}
cd "$top" || exit 2
status=0
listed=$(mktemp) found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT
grep -v -e '^#' -e '^[[:space:]]*$' po/POTFILES.in | sort -u >"$listed"
while read -r f; do
  [ -f "$f" ] || { echo "po/POTFILES.in lists $f, which does not exist"; status=1; }
done <"$listed"
# _ ("…"), N_, C_, NC_, Q_ (with or without GNU's space), the plural calls,
# translatable template properties and the data files merged by i18n.merge_file.
{
  grep -rlE --include='*.c' --include='*.h' \
    '(^|[^A-Za-z0-9_])(N|C|NC|Q)?_ ?\(|g_dngettext|(^|[^A-Za-z0-9_])n?gettext ?\(' src
  grep -rl --include='*.ui' 'translatable="yes"' ui
  ls data/*.desktop.in data/*.metainfo.xml.in 2>/dev/null
} | sort -u >"$found"
for f in $(comm -23 "$found" "$listed"); do
  echo "$f has translatable strings but is not listed in po/POTFILES.in"
  status=1
done
[ "$status" -eq 0 ] && echo "po/POTFILES.in lists all $(wc -l <"$found") files with translatable strings"
exit "$status"
