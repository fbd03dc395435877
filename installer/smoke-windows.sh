#!/usr/bin/env bash
# Smoke-test the Windows installer under Wine (called by build-windows.sh; too slow for CI):
#
#     installer/smoke-windows.sh [dist/DTIDesk-Setup-<version>.exe]
#
# 1. silent per-user install (/S): files under %LOCALAPPDATA%\Programs\DTI Desk, Start-menu and
#    desktop shortcuts, the uninstaller registered under HKCU;
# 2. the installed dtidesk.exe: --version, then the whole quarterly cycle `demo --out …` → report;
# 3. the installed dtidesk-gui.exe -platform offscreen shows the main window and exits cleanly
#    (DTIDESK_EXIT_AFTER_SHOWN=1: shows the window, runs one job in its worker process, exits 0);
# 4. silent uninstall: program, shortcuts and registry key gone; the user's data and a workspace
#    kept inside the install folder stay.
# Uses the Wine prefix of build-windows.sh (with its TEST-ONLY bcryptprimitives stub).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${DTIDESK_WIN_BUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/dtidesk-windows-build}"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
SETUP="${1:-$ROOT/dist/DTIDesk-Setup-$VERSION.exe}"
export WINEPREFIX="$BUILD/wineprefix" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=;mshtml="
WHOME="$BUILD/home"
SMOKE="$BUILD/smoke"
rm -rf "$SMOKE" && mkdir -p "$SMOKE"
[ -f "$SETUP" ] || { echo "no installer $SETUP: run installer/build-windows.sh" >&2; exit 1; }
[ -f "$WINEPREFIX/system.reg" ] || { echo "no Wine prefix $WINEPREFIX: run installer/build-windows.sh" >&2; exit 1; }

w() {  # a Windows program; stdout must be a pipe under Wine 8 (see build-windows.sh)
  HOME="$WHOME" wine "$@" </dev/null 2>&1 | cat
  return "${PIPESTATUS[0]}"
}
winpath() { HOME="$WHOME" winepath -w "$1" 2>/dev/null; }
unixpath() { HOME="$WHOME" winepath -u "$1" 2>/dev/null; }
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
elapsed() { local t0=$1; echo "$(( $(date +%s%N) / 1000000 - t0 )) ms"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

LOCALAPPDATA="$(w cmd /c echo %LOCALAPPDATA% | tr -d '\r')"
INSTDIR_WIN="$LOCALAPPDATA\\Programs\\DTI Desk"
INSTDIR="$(unixpath "$INSTDIR_WIN")"
UNINSTKEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\DTIDesk'
echo "installer: $SETUP ($(( $(stat -c %s "$SETUP") / 1000000 )) MB); install folder: $INSTDIR_WIN"

# a previous install (an earlier run): remove it first
if [ -f "$INSTDIR/uninstall.exe" ]; then
  w "$INSTDIR_WIN\\uninstall.exe" /S || true
  HOME="$WHOME" wineserver -w
fi

echo "== 1. silent install"
t0=$(now_ms)
w "$(winpath "$SETUP")" /S || fail "installer exit code $?"
HOME="$WHOME" wineserver -w
echo "install took $(elapsed "$t0")"
for f in dtidesk.exe dtidesk-gui.exe uninstall.exe _internal/workbook_templates/frameworks/svhtt-1690.yaml; do
  [ -e "$INSTDIR/$f" ] || fail "not installed: $f"
done
ok "installed into $INSTDIR_WIN ($(du -sm "$INSTDIR" | cut -f1) MB)"
APPDATA_WIN="$(w cmd /c echo %APPDATA% | tr -d '\r')"
STARTMENU="$(unixpath "$APPDATA_WIN\\Microsoft\\Windows\\Start Menu\\Programs")"
DESKTOP="$(unixpath "$(w cmd /c echo %USERPROFILE% | tr -d '\r')\\Desktop")"
[ -f "$STARTMENU/DTI Desk.lnk" ] || fail "no Start-menu shortcut in $STARTMENU"
ok "Start-menu shortcut"
[ -f "$DESKTOP/DTI Desk.lnk" ] || fail "no desktop shortcut in $DESKTOP (selected by default)"
ok "desktop shortcut"
w reg query "$UNINSTKEY" /v UninstallString | grep -q uninstall.exe || fail "uninstaller not registered under HKCU"
ok "uninstaller registered under $UNINSTKEY"

echo "== 2. installed dtidesk.exe"
out="$(w "$INSTDIR_WIN\\dtidesk.exe" --version)" || fail "dtidesk.exe --version: $out"
[[ "$out" == *"$VERSION"* ]] || fail "dtidesk.exe --version printed: $out"
ok "dtidesk.exe --version → $out"
t0=$(now_ms)
out="$(w "$INSTDIR_WIN\\dtidesk.exe" demo --out "$(winpath "$SMOKE")\\demo")" || { echo "$out"; fail "dtidesk.exe demo"; }
echo "$out" | tail -4
REPORT="$SMOKE/demo/khong-gian-lam-viec/reports/2023-Q1/bao-cao-tong-hop-2023-Q1.xlsx"
[ -s "$REPORT" ] || fail "no report $REPORT"
ok "dtidesk.exe demo completed in $(elapsed "$t0"); report $(stat -c %s "$REPORT") bytes"

if [ -n "${DTIDESK_TEST_POSTGRES:-}" ]; then
  echo "== 2b. installed dtidesk.exe on a shared workspace (the test PostgreSQL server: psycopg's libpq for Windows)"
  DB="dtidesk_windows_smoke_$$"
  psql "$DTIDESK_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null \
    || fail "could not create database $DB on $DTIDESK_TEST_POSTGRES"
  URL="${DTIDESK_TEST_POSTGRES%/*}/$DB"
  mkdir -p "$SMOKE/pgdata"
  t0=$(now_ms)
  out="$(DTIDESK_DATA_DIR="$(winpath "$SMOKE/pgdata")" w "$INSTDIR_WIN\\dtidesk.exe" demo --database "$URL" \
        --out "$(winpath "$SMOKE")\\pgdemo")" || { echo "$out"; fail "dtidesk.exe demo --database"; }
  out="$(DTIDESK_DATA_DIR="$(winpath "$SMOKE/pgdata")" w "$INSTDIR_WIN\\dtidesk.exe" status --workspace "$URL" \
        --period 2023-Q1 --json)" || { echo "$out"; fail "dtidesk.exe status --workspace $URL"; }
  [[ "$out" == *'"unit_code"'* ]] || { echo "$out"; fail "status on the shared workspace printed no units"; }
  psql "$DTIDESK_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
  ok "dtidesk.exe ran the demo on $URL and read its status back in $(elapsed "$t0")"
fi

echo "== 3. installed dtidesk-gui.exe -platform offscreen"
DATA="$SMOKE/data"
mkdir -p "$DATA" "$SMOKE/config"
export DTIDESK_DATA_DIR="$(winpath "$DATA")" DTIDESK_CONFIG_DIR="$(winpath "$SMOKE/config")" DTIDESK_EXIT_AFTER_SHOWN=1
LOG="$DATA/logs/dtidesk.log"
t0=$(now_ms)
rc=0
timeout 120 bash -c 'HOME="$0" wine "$1\\dtidesk-gui.exe" -platform offscreen </dev/null 2>&1 | cat; exit "${PIPESTATUS[0]}"' \
  "$WHOME" "$INSTDIR_WIN" || rc=$?
[ "$rc" = 0 ] || { cat "$LOG" 2>/dev/null; HOME="$WHOME" wineserver -k || true; fail "dtidesk-gui.exe exit code $rc"; }
grep -q "window shown" "$LOG" || fail "no 'window shown' in $LOG"
grep -q "worker ok: .*frozen True" "$LOG" || { cat "$LOG"; fail "the worker process did not run a job"; }
ok "dtidesk-gui.exe showed the main window, ran a job in its worker process and exited 0 in $(elapsed "$t0")"
unset DTIDESK_EXIT_AFTER_SHOWN

echo "== 4. silent uninstall keeps the user's data"
mkdir -p "$INSTDIR/my-workspace" && echo kept > "$INSTDIR/my-workspace/note.txt"
w "$INSTDIR_WIN\\uninstall.exe" /S || fail "uninstaller exit code $?"
HOME="$WHOME" wineserver -w
for f in dtidesk.exe dtidesk-gui.exe uninstall.exe _internal; do
  [ ! -e "$INSTDIR/$f" ] || fail "uninstall left $f"
done
[ ! -e "$STARTMENU/DTI Desk.lnk" ] && [ ! -e "$DESKTOP/DTI Desk.lnk" ] || fail "uninstall left a shortcut"
! w reg query "$UNINSTKEY" >/dev/null 2>&1 || fail "uninstall left the registry key"
[ -f "$INSTDIR/my-workspace/note.txt" ] || fail "uninstall removed a workspace inside the install folder"
[ -f "$REPORT" ] && [ -f "$LOG" ] || fail "uninstall removed user data"
rm -rf "$INSTDIR"
ok "uninstalled: program, shortcuts, registry key gone; workspaces and data kept"
echo "SMOKE PASSED"
