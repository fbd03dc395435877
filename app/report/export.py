"""The ranking and the matrix as CSV and JSON, for upload to the city's systems (issue 7).

Why these formats: systems upward take flat files. CSV is UTF-8 with a BOM (Excel on a
Vietnamese Windows otherwise opens it as cp1258 and breaks the accents), comma-separated,
with a dot as the decimal mark and one header row; the matrix is long (one row per unit and
indicator) so it loads into any database. User text is neutralised (``safe.csv_text``); scores
are plain numbers with two decimals. JSON carries the same plus the summary, for scripts.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.atomic import write_atomic

from .data import ReportData
from .safe import csv_text


def _points(cents: int | None) -> str:
    return "" if cents is None else str(Decimal(cents).scaleb(-2))


def ranking_rows(data: ReportData) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in data.ranking:
        u = r.unit
        out.append({
            "hang": u.rank,
            "ma_don_vi": u.unit_code,
            "ten_don_vi": u.unit_name,
            "tong_diem": _points(u.appraised_cents),
            "tong_diem_tu_cham": _points(u.self_cents),
            "hang_tu_cham": u.self_rank,
            **{f"tru_cot_{g.code}": _points(u.group_cents[g.code]) for g in data.groups},
            "diem_ky_truoc": _points(r.previous_cents),
            "hang_ky_truoc": "" if r.previous_rank is None else r.previous_rank,
            "nop_dung_han": r.on_time,
        })  # fmt: skip
    return out


def matrix_rows(data: ReportData) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in data.ranking:
        u = r.unit
        for ind in data.indicators:
            cell = data.matrix[u.unit_code][ind.code]
            out.append({
                "ma_don_vi": u.unit_code,
                "ten_don_vi": u.unit_name,
                "chi_so": ind.code,
                "diem_toi_da": _points(cell.appraised_score.max_cents),
                "diem_tu_cham": _points(cell.self_score.cents),
                "diem_tham_dinh": _points(cell.appraised_score.cents),
                "tinh_trang": str(cell.appraised_score.status),
                "giai_thich": cell.explanation,
            })  # fmt: skip
    return out


#: Vietnamese column headers of the CSV files (the JSON keeps the ASCII keys)
CSV_HEADERS = {
    "hang": "Hạng", "ma_don_vi": "Mã đơn vị", "ten_don_vi": "Tên đơn vị", "tong_diem": "Tổng điểm (sau thẩm định)",
    "tong_diem_tu_cham": "Tổng điểm tự chấm", "hang_tu_cham": "Hạng theo tự chấm", "diem_ky_truoc": "Điểm kỳ trước",
    "hang_ky_truoc": "Hạng kỳ trước", "nop_dung_han": "Nộp đúng hạn", "chi_so": "Chỉ số",
    "diem_toi_da": "Điểm tối đa", "diem_tu_cham": "Điểm tự chấm", "diem_tham_dinh": "Điểm sau thẩm định",
    "tinh_trang": "Tình trạng", "giai_thich": "Cách tính",
}  # fmt: skip


def _csv_header(key: str) -> str:
    if key.startswith("tru_cot_"):
        return f"Trụ cột {key.removeprefix('tru_cot_')}"
    return CSV_HEADERS.get(key, key)


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    if rows:
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([_csv_header(k) for k in rows[0]])
        for row in rows:
            writer.writerow([("Có" if v else "Không") if isinstance(v, bool) else csv_text(v) for v in row.values()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(data: ReportData) -> dict[str, Any]:
    s = data.summary
    return {
        "period": data.info.code,
        "period_label": data.info.label,
        "framework": {"id": data.framework.id, "version": data.framework.version, "title": data.framework.title},
        "deadline": data.info.deadline.isoformat(),
        "generated_at": data.generated_at.isoformat(),
        "compared_with": data.previous.code if data.previous else None,
        "summary": {
            "expected": s.expected, "received": s.received, "on_time": s.on_time, "late": s.late,
            "missing": s.missing, "with_errors": s.with_errors, "appraised": s.appraised,
            "not_counted_files": s.not_counted_files, "unknown_files": s.unknown_files,
            "rejected_files": s.rejected_files,
        },
        "pillar_averages": {code: str(v) for code, v in data.pillar_averages.items()},
        "total_average": None if data.total_average is None else str(data.total_average),
        "ranking": ranking_rows(data),
        "matrix": matrix_rows(data),
        "department": {
            "staffing": {row.name: None if row.total is None else str(row.total) for row in data.rollup.staffing},
            "indicators": {r.code: None if r.score is None else str(r.score.score)
                           for r in data.rollup.indicators if r.score is not None},
            "score_over_derivable": _points(data.rollup.department_cents),
        },
    }  # fmt: skip


def export_files(data: ReportData, folder: Path) -> list[Path]:
    """Write ``xep-hang-<period>.csv``, ``diem-chi-tiet-<period>.csv`` and ``bao-cao-<period>.json``."""
    code = data.info.code
    return [
        write_atomic(folder / f"xep-hang-{code}.csv", to_csv(ranking_rows(data))),
        write_atomic(folder / f"diem-chi-tiet-{code}.csv", to_csv(matrix_rows(data))),
        write_atomic(folder / f"bao-cao-{code}.json",
                     json.dumps(to_json(data), ensure_ascii=False, indent=2).encode("utf-8")),
    ]  # fmt: skip
