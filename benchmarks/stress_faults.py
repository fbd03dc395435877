"""Faults repeated: kill -9 in the middle of an ingest, two ingests of one folder at once, junk in the database.

    python benchmarks/stress_faults.py [--runs 20]

Prints, for each kind of fault, how many runs ended well and how many did not:
- **kill -9**: an ingest of the returned-file fixtures killed at a random moment, then run again to
  the end; a good run leaves a database that passes ``integrity_check``, every stored submission
  with its values, every original unchanged, and the final state equal to an uninterrupted ingest.
- **concurrent**: two command-line ingests of the same folder started together; a good run has
  both exit 0 with no traceback and every file counted exactly once.
- **junk page**: a random page of the database overwritten with random bytes; a good run is one
  where ``dtidesk rank`` either refuses with the "damaged" message or (when the page was free)
  prints the same ranking — never a different ranking and never a traceback.
- **flipped bytes**: 8 random bytes changed inside a random page; as above. Content changes that
  keep the file's structure valid can still go unnoticed; the count is printed, not hidden.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RETURNED = ROOT / "tests" / "fixtures" / "returned"
ROSTER = ROOT / "tests" / "fixtures" / "rosters" / "returned_units.csv"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=ENV, capture_output=True, text=True)


def new_workspace(folder: Path) -> None:
    for args in (["init", str(folder)], ["units", "import", str(ROSTER), "--workspace", str(folder)],
                 ["period", "add", "2023-Q1", "--framework", "svhtt-1690", "--workspace", str(folder)]):  # fmt: skip
        done = cli(*args)
        assert done.returncode == 0, done.stderr


def state(folder: Path) -> tuple[object, ...]:
    import sqlite3

    with sqlite3.connect(folder / "dtidesk.sqlite") as conn:
        subs = sorted(conn.execute("SELECT file_sha256, unit_code, status FROM submissions").fetchall())
        values = conn.execute("SELECT count(*) FROM submission_values").fetchone()[0]
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM submissions s WHERE NOT EXISTS (SELECT 1 FROM submission_values v "
                               "WHERE v.submission_id = s.id)").fetchone()[0]  # fmt: skip
    return ok, orphans, subs, values


def kill_runs(tmp: Path, runs: int, rng: random.Random) -> tuple[int, int]:
    reference = tmp / "reference"
    new_workspace(reference)
    cli("ingest", str(RETURNED), "--period", "2023-Q1", "--workspace", str(reference))
    expected = state(reference)
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in RETURNED.iterdir() if p.is_file()}
    good = 0
    for n in range(runs):
        ws = tmp / f"killed{n}"
        new_workspace(ws)
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "ingest", str(RETURNED), "--period", "2023-Q1",
                                 "--workspace", str(ws)], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.15, 1.2))
        proc.kill()
        proc.wait()
        ok_after_kill = state(ws)[:2] == ("ok", 0)
        cli("ingest", str(RETURNED), "--period", "2023-Q1", "--workspace", str(ws))
        originals_intact = all(hashlib.sha256((RETURNED / name).read_bytes()).hexdigest() == h
                               for name, h in hashes.items())  # fmt: skip
        good += ok_after_kill and originals_intact and state(ws) == expected
    return good, runs - good


def concurrent_runs(tmp: Path, runs: int) -> tuple[int, int]:
    files = len([p for p in RETURNED.iterdir() if p.is_file()])
    good = 0
    for n in range(runs):
        ws = tmp / f"together{n}"
        new_workspace(ws)
        command = [sys.executable, "-m", "app.cli", "ingest", str(RETURNED), "--period", "2023-Q1",
                   "--workspace", str(ws), "--json"]  # fmt: skip
        procs = [subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]  # fmt: skip
        answers = [p.communicate() for p in procs]
        clean = all(p.returncode == 0 and "Traceback" not in err for p, (_, err) in zip(procs, answers, strict=True))
        added = [name for out, _ in answers if out.strip() for name in json.loads(out)["added"]]
        _, _, subs, _ = state(ws)
        good += clean and len(added) == files and len(subs) == len({s[0] for s in subs}) == files
    return good, runs - good


def corruption_runs(tmp: Path, runs: int, rng: random.Random, flip: int | None) -> dict[str, int]:
    source = tmp / "reference"
    base = cli("rank", "--period", "2023-Q1", "--workspace", str(source), "--json").stdout
    outcomes = {"refused (damaged)": 0, "same ranking": 0, "DIFFERENT ranking": 0, "traceback or other": 0}
    for n in range(runs):
        ws = tmp / f"corrupt-{flip or 'page'}-{n}"
        shutil.copytree(source, ws, ignore=shutil.ignore_patterns("backups"))
        db = ws / "dtidesk.sqlite"
        pages = db.stat().st_size // 4096
        page = rng.randrange(1, pages)
        with open(db, "r+b") as fh:
            if flip is None:
                fh.seek(page * 4096)
                fh.write(rng.randbytes(4096))
            else:
                fh.seek(page * 4096 + rng.randrange(4096 - flip))
                fh.write(rng.randbytes(flip))
        done = cli("rank", "--period", "2023-Q1", "--workspace", str(ws), "--json")
        if "Traceback" in done.stderr:
            outcomes["traceback or other"] += 1
        elif done.returncode != 0 and "bị hỏng" in done.stderr:
            outcomes["refused (damaged)"] += 1
        elif done.returncode == 0:
            outcomes["same ranking" if done.stdout == base else "DIFFERENT ranking"] += 1
        else:
            outcomes["traceback or other"] += 1
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each kind (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        good, bad = kill_runs(folder, args.runs, rng)
        print(f"kill -9 mid-ingest:        {good} good, {bad} bad  ({time.perf_counter() - started:.0f} s)")
        started = time.perf_counter()
        good, bad = concurrent_runs(folder, args.runs)
        print(f"two ingests at once:       {good} good, {bad} bad  ({time.perf_counter() - started:.0f} s)")
        for label, flip in (("junk page", None), ("8 flipped bytes", 8)):
            outcomes = corruption_runs(folder, args.runs, rng, flip)
            print(f"{label + ':':<26} " + ", ".join(f"{k} {v}" for k, v in outcomes.items()))


if __name__ == "__main__":
    main()
