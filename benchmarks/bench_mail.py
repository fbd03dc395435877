"""E-mails in at scale (issue 18): ingest N saved e-mails, each with one filled workbook, against the
same N workbooks dropped directly.

    python benchmarks/bench_mail.py [N=1000]

The workbooks are ``bench_ingest.make_files``'s; each e-mail is shaped as Thunderbird saves one
(multipart/mixed, base64 attachment with an RFC 2231 Vietnamese file name). Both runs go through
``app.workspace.ingest`` into fresh workspaces with the same roster, so the difference is what
reading the e-mails costs (parsing, decoding, keeping the original e-mail). Goal: ≤ 1.5×.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

from bench_ingest import make_files  # noqa: E402

from app.framework.registry import get_builtin  # noqa: E402
from app.workspace import Workspace, add_period, ingest  # noqa: E402
from app.workspace.units import import_roster  # noqa: E402


def make_mails(files: list[Path], folder: Path) -> list[Path]:
    sent = datetime(2023, 4, 10, 8, 0, tzinfo=timezone(timedelta(hours=7)))
    out = []
    for n, path in enumerate(files):
        code = path.stem.split("_")[-1]
        msg = EmailMessage()
        msg["From"] = f"Văn thư {code} <vanthu.{code.lower()}@donvi.example>"
        msg["To"] = "vanphong@svhtt.example"
        msg["Subject"] = f"Gửi biểu mẫu chuyển đổi số Quý I/2023 - {code}"
        msg["Date"] = format_datetime(sent + timedelta(minutes=n))
        msg["Message-ID"] = f"<bench-{n}@donvi.example>"
        msg.set_content("Kính gửi Văn phòng, đơn vị gửi biểu mẫu đã điền.")
        msg.add_attachment(path.read_bytes(), "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           filename=f"Biểu mẫu {code}.xlsx")  # fmt: skip
        target = folder / f"{code}.eml"
        target.write_bytes(bytes(msg))
        out.append(target)
    return out


def timed_ingest(base: Path, n: int, paths: list[Path], name: str) -> float:
    folder = base / name
    ws = Workspace.create(folder)
    roster = base / "roster.csv"
    roster.write_text("Mã đơn vị,Tên đơn vị,Email\n" + "".join(
        f"DV{i + 1:04d},Đơn vị thử nghiệm số {i + 1},vanthu.dv{i + 1:04d}@donvi.example\n" for i in range(n)),
        encoding="utf-8")  # fmt: skip
    import_roster(ws, roster)
    add_period(ws, "2023-Q1", "svhtt-1690")
    start = time.perf_counter()
    result = ingest(ws, "2023-Q1", paths)
    elapsed = time.perf_counter() - start
    assert len(result.added) == n, (name, len(result.added), result.rejected[:3])
    ws.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    args = parser.parse_args()
    fw = get_builtin("svhtt-1690")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "xlsx").mkdir()
        (base / "eml").mkdir()
        files = make_files(fw, args.n, base / "xlsx")
        make_mails(files, base / "eml")
        direct = timed_ingest(base, args.n, [base / "xlsx"], "ws-direct")
        by_mail = timed_ingest(base, args.n, [base / "eml"], "ws-mail")
    print(f"{args.n} workbooks dropped directly: {direct:.1f} s ({direct / args.n * 1000:.1f} ms/file)")
    print(f"{args.n} e-mails, one workbook each:  {by_mail:.1f} s ({by_mail / args.n * 1000:.1f} ms/e-mail)")
    print(f"ratio: {by_mail / direct:.2f}× (goal ≤ 1.5×)")


if __name__ == "__main__":
    main()
