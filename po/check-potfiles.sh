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
    '(^|[^A-Za-z0-9_])(N|C|NC|Q)?_ ?\(|g_dngettext|(^|[^A-Za-z0-9_])n?gettext ?\(' src plugins
  grep -rl --include='*.ui' 'translatable="yes"' ui
  ls data/*.desktop.in data/*.metainfo.xml.in 2>/dev/null
} | sort -u >"$found"
for f in $(comm -23 "$found" "$listed"); do
  echo "$f has translatable strings but is not listed in po/POTFILES.in"
  status=1
done
# A format macro such as G_GINT64_FORMAT inside _() cuts the msgid short (xgettext
# cannot expand it), so the string can never be translated; <inttypes.h>'s PRId64
# is the form gettext understands. Any xgettext warning fails the check.
if command -v xgettext >/dev/null 2>&1; then
  warnings=$(grep -E '\.(c|h)$' "$listed" | xgettext --from-code=UTF-8 -o /dev/null -f - \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=Q_:1g \
    --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 --flag=g_dngettext:2:pass-c-format \
    --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
    --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format \
    --flag=g_set_error:4:c-format --flag=g_markup_printf_escaped:1:c-format \
    --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_snprintf:3:c-format \
    --flag=g_prefix_error:3:c-format 2>&1 | grep -i warning)
  if [ -n "$warnings" ]; then
    echo "$warnings"
    status=1
  fi
fi
[ "$status" -eq 0 ] && echo "po/POTFILES.in lists all $(wc -l <"$found") files with translatable strings"
exit "$status"
