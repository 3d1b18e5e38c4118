#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# headless.sh CMD [ARGS...]: CMD inside a private Xvfb + private D-Bus session; both stopped
# by PID. The one way Philia's UI tests get a display (HACKING.md §13).
set -uo pipefail
GUI_ARTIFACTS=${GUI_ARTIFACTS:-gui-artifacts}
GUI_SCREEN=${GUI_SCREEN:-1280x800x24}
mkdir -p "$GUI_ARTIFACTS"
_tmp=$(mktemp -d)
_xvfb_pid= _dbus_pid= _cmd_pid=
_cleanup() {   # stop only what we started, newest first; wait so no zombie/lock is left
  [ -n "$_cmd_pid" ]  && kill "$_cmd_pid"  2>/dev/null && wait "$_cmd_pid"  2>/dev/null
  [ -n "$_dbus_pid" ] && kill "$_dbus_pid" 2>/dev/null && wait "$_dbus_pid" 2>/dev/null
  [ -n "$_xvfb_pid" ] && kill "$_xvfb_pid" 2>/dev/null && wait "$_xvfb_pid" 2>/dev/null
  rm -rf "$_tmp"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM
# 1. Xvfb chooses a free display itself and writes its number once it is ready
Xvfb -displayfd 3 -screen 0 "$GUI_SCREEN" -nolisten tcp -noreset \
     3>"$_tmp/display" >"$GUI_ARTIFACTS/xvfb.log" 2>&1 &
_xvfb_pid=$!
for _ in $(seq 1 100); do
  grep -q . "$_tmp/display" 2>/dev/null && break
  kill -0 "$_xvfb_pid" 2>/dev/null || { echo "headless: Xvfb died" >&2; cat "$GUI_ARTIFACTS/xvfb.log" >&2; exit 1; }
  sleep 0.05
done
export DISPLAY=":$(head -n1 "$_tmp/display")"
unset WAYLAND_DISPLAY
# 2. private session bus; the AT-SPI bus is D-Bus-activated from it on demand
dbus-daemon --session --nofork --nopidfile --print-address=4 4>"$_tmp/bus" 2>>"$GUI_ARTIFACTS/dbus.log" &
_dbus_pid=$!
for _ in $(seq 1 100); do grep -q . "$_tmp/bus" 2>/dev/null && break; sleep 0.02; done
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$_tmp/bus")
# 3. deterministic, fast GTK
export GSETTINGS_BACKEND=${GSETTINGS_BACKEND:-memory}
export GSK_RENDERER=${GSK_RENDERER-cairo}      # "-" not ":-": GDK_DEBUG= (empty) opts out of gl-disable
export GDK_DEBUG=${GDK_DEBUG-gl-disable}
export LIBGL_ALWAYS_SOFTWARE=1
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$_tmp/xdg}; mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
echo "headless: DISPLAY=$DISPLAY Xvfb pid=$_xvfb_pid dbus pid=$_dbus_pid" >&2
# background + wait: bash only runs the TERM trap between commands (HACKING.md §13)
"$@" &
_cmd_pid=$!
wait "$_cmd_pid"; _rc=$?; _cmd_pid=
if [ "$_rc" -ne 0 ] && command -v import >/dev/null; then
  _shot="$GUI_ARTIFACTS/failure-$(date +%Y%m%d-%H%M%S).png"
  import -window root "$_shot" 2>/dev/null && echo "headless: screenshot $_shot" >&2
fi
exit "$_rc"
