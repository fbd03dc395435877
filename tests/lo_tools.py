"""Have a real spreadsheet program (LibreOffice, headless) open, recalculate and re-save workbooks.

Why: the files units send back were filled in and saved by a spreadsheet program, which
recomputed every formula and stored the results as cached values. Files we write with
XlsxWriter (cached result 0) or edit with openpyxl (cached results dropped) do not look like
that, so a test that reads ``data_only=True`` values from them proves nothing. Round-tripping
them through LibreOffice gives the same shape of file a unit would produce.

The catch: LibreOffice's shipped default for ``/org.openoffice.Office.Calc/Formula/Load``
``OOXMLRecalcMode`` is 1 = "never recalculate", so a plain ``--convert-to`` of an .xlsx keeps
whatever (stale or zero) values the file carries. Every call here therefore runs with a
throw-away user profile whose ``user/registrymodifications.xcu`` sets ``OOXMLRecalcMode`` and
``ODFRecalcMode`` to 0 = "always recalculate". The private profile also keeps parallel or CI
runs from colliding on (or handing their work to) one shared LibreOffice instance.

Starting LibreOffice costs seconds, so :func:`convert` converts all its files in ONE call.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "RECALC_ALWAYS_XCU",
    "LibreOfficeError",
    "convert",
    "recalculated",
    "soffice_path",
    "to_pdf",
]

#: Registry overrides for the throw-away profile. 0 = always recalculate on load (1 = never,
#: the shipped default; 2 = ask, which headless cannot answer). ``fuse`` merges with defaults.
RECALC_ALWAYS_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


class LibreOfficeError(RuntimeError):
    """soffice is missing, timed out, or did not write every expected output (message has its output)."""


def soffice_path() -> str | None:
    """Path of the LibreOffice binary on PATH, or None (tests skip on None rather than fail)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _extension(fmt: str) -> str:
    """``"xlsx:Calc MS Excel 2007 XML"`` -> ``"xlsx"``: soffice names outputs after the part before ``:``."""
    return fmt.split(":", 1)[0]


def _write_profile(profile: Path, force_recalc: bool) -> None:
    """Seed a fresh profile; soffice fills in the rest on first start and keeps our overrides."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    if force_recalc:
        (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS_XCU, encoding="utf-8")


def convert(
    paths: Sequence[Path],
    fmt: str,
    outdir: Path,
    timeout: float = 240,
    *,
    force_recalc: bool = True,
) -> list[Path]:
    """Convert ``paths`` with one ``soffice --headless --convert-to fmt`` run; return outputs in input order.

    Outputs are ``outdir / (stem + "." + extension of fmt)``. With ``force_recalc`` (the point of
    this module) every formula is recalculated on load; ``force_recalc=False`` keeps LibreOffice's
    shipped "never recalculate" default and exists so a test can show the override matters.
    Raises :class:`LibreOfficeError` (with soffice's stdout/stderr) when soffice is missing, times
    out, or any output is missing, and ValueError when outputs would collide or overwrite an input.
    """
    sources = [Path(p).resolve() for p in paths]
    if not sources:
        return []
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"no such input file(s): {missing}")
    outdir = Path(outdir).resolve()
    ext = _extension(fmt)
    outputs = [outdir / f"{p.stem}.{ext}" for p in sources]
    if len({o.name.casefold() for o in outputs}) != len(outputs):
        raise ValueError(f"inputs share a file stem, outputs would overwrite each other: {outputs}")
    clobbered = [str(o) for o, s in zip(outputs, sources, strict=True) if o == s]
    if clobbered:
        raise ValueError(f"converting into the input's own directory would overwrite it: {clobbered}")
    exe = soffice_path()
    if exe is None:
        raise LibreOfficeError("LibreOffice (soffice) is not on PATH")
    outdir.mkdir(parents=True, exist_ok=True)
    for out in outputs:  # a leftover from an earlier run must not pass for this run's output
        out.unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="lo-profile-") as tmp:
        profile = Path(tmp) / "profile"
        _write_profile(profile, force_recalc)
        cmd = [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        # HOME in the temp dir too: nothing may leak into (or be read from) the real ~/.config.
        env = {**os.environ, "HOME": tmp}
        # Own session so a timeout can kill soffice.bin too, not just the oosplash launcher.
        started = time.monotonic()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True, start_new_session=True
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            raise LibreOfficeError(
                f"soffice timed out after {timeout:g} s: {cmd}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
            ) from None
        elapsed = time.monotonic() - started

    absent = [str(o) for o in outputs if not o.is_file()]
    if absent:
        raise LibreOfficeError(
            f"soffice (exit {proc.returncode}, {elapsed:.1f} s) did not write {absent}\ncommand: {cmd}\n"
            f"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
        )
    return outputs


def recalculated(paths: Sequence[Path], workdir: Path) -> list[Path]:
    """Recalculated, LibreOffice-saved copies of .xlsx ``paths`` in ``workdir/recalc/`` (inputs untouched)."""
    return convert(paths, "xlsx:Calc MS Excel 2007 XML", Path(workdir) / "recalc")


def to_pdf(paths: Sequence[Path], outdir: Path) -> list[Path]:
    """PDFs of ``paths`` (formulas recalculated first), e.g. to eyeball a printed form."""
    return convert(paths, "pdf", outdir)
