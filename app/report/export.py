"""The ranking and the matrix as CSV and JSON: files to upload to the city's systems, and the same
tables for a person to open in Excel (issues 7 and 16).

Why two CSV forms:
- ``…-de-gui-len.csv`` is for systems upward, which take flat files: UTF-8 with a BOM, comma
  separated, a dot as the decimal mark, stable codes (``scored``, ``not-applicable``) and one header
  row; the matrix is long (one row per unit and indicator) so it loads into any database.
- ``…-de-doc.csv`` is for a person who double-clicks it: Excel on a Vietnamese-locale Windows PC
  splits columns on its list separator ";" and reads "304,67" as a number, so that file uses ";",
  a decimal comma (``app.numbers.format_decimal_vi``), dates as dd/mm/yyyy and Vietnamese labels
  (``scoring.findings.STATUS_LABELS``). Both carry a BOM (without it Excel reads cp1258 and breaks
  the accents) and neutralise user text (``safe.csv_text``).
JSON carries the upload form plus the summary, for scripts.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.atomic import write_atomic
from app.numbers import format_decimal_vi
from scoring.findings import Status
from scoring.rounding import cents_to_decimal

from .data import ReportData
from .safe import csv_text

#: file-name endings that say who a CSV is for
FOR_UPLOAD = "de-gui-len"
FOR_READING = "de-doc"


def _points(cents: int | None) -> Decimal | None:
    return None if cents is None else cents_to_decimal(cents)


def ranking_rows(data: ReportData) -> list[dict[str, Any]]:
    """One row per ranked unit, typed (Decimal points, ``None`` for nothing); see ``machine_value``."""
    out: list[dict[str, Any]] = []
    for r in data.ranking:
        u = r.unit
        out.append({
            "hang": u.rank,
            "ma_don_vi": u.unit_code,
            "ten_don_vi": u.unit_name,
            "tong_diem": _points(u.appraised_cents),
            "tong_diem_tu_cham": _points(u.self_cents),
            "tong_diem_vong_1": _points(u.round1_cents),  # issue 20: round 1 beside self-assessed and final
            "hang_tu_cham": u.self_rank,
            **{f"tru_cot_{g.code}": _points(u.group_cents[g.code]) for g in data.groups},
            "diem_ky_truoc": _points(r.previous_cents),
            "hang_ky_truoc": r.previous_rank,
            "nop_dung_han": r.on_time,
        })  # fmt: skip
    return out


def matrix_rows(data: ReportData) -> list[dict[str, Any]]:
    """One row per unit and indicator, typed like ``ranking_rows``."""
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
                "tinh_trang": cell.appraised_score.status,
                "giai_thich": cell.explanation,
            })  # fmt: skip
    return out


def machine_value(value: Any) -> Any:
    """The upload/JSON form: points as "304.67" strings, a status by its code, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, Status):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def machine_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: machine_value(v) for k, v in row.items()} for row in rows]


def _yes_no(value: bool) -> str:
    return "Có" if value else "Không"


def _upload_field(value: Any) -> str:
    value = machine_value(value)
    return _yes_no(value) if isinstance(value, bool) else csv_text(value)


def _reading_field(value: Any) -> str:
    """A field as a person reads it in Excel on a Vietnamese-locale PC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, Status):
        return value.label_vi
    if isinstance(value, Decimal | float):
        return format_decimal_vi(value, 2)
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return csv_text(value)


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


def to_csv(rows: list[dict[str, Any]], *, for_reading: bool = False) -> bytes:
    """The rows as CSV bytes: the upload form, or with ``for_reading`` the form Excel opens in columns."""
    buffer = io.StringIO(newline="")
    if rows:
        writer = csv.writer(buffer, delimiter=";" if for_reading else ",", lineterminator="\r\n")
        field = _reading_field if for_reading else _upload_field
        writer.writerow([_csv_header(k) for k in rows[0]])
        for row in rows:
            writer.writerow([field(v) for v in row.values()])
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
        "ranking": machine_rows(ranking_rows(data)),
        "matrix": machine_rows(matrix_rows(data)),
        "department": {
            "staffing": {row.name: None if row.total is None else str(row.total) for row in data.rollup.staffing},
            "indicators": {r.code: None if r.score is None else str(r.score.score)
                           for r in data.rollup.indicators if r.score is not None},
            "score_over_derivable": machine_value(_points(data.rollup.department_cents)),
        },
    }  # fmt: skip


def csv_name(table: str, period: str, *, for_reading: bool) -> str:
    """``xep-hang-2023-Q1-de-doc.csv`` / ``xep-hang-2023-Q1-de-gui-len.csv``: the name says who it is for."""
    return f"{table}-{period}-{FOR_READING if for_reading else FOR_UPLOAD}.csv"


def export_files(data: ReportData, folder: Path) -> list[Path]:
    """Write the ranking and the matrix as CSV to upload and CSV to read, then ``bao-cao-<period>.json``.

    Order: ``xep-hang-…-de-gui-len.csv``, ``diem-chi-tiet-…-de-gui-len.csv``, ``xep-hang-…-de-doc.csv``,
    ``diem-chi-tiet-…-de-doc.csv``, ``bao-cao-….json``.
    """
    code = data.info.code
    tables = [("xep-hang", ranking_rows(data)), ("diem-chi-tiet", matrix_rows(data))]
    out = [write_atomic(folder / csv_name(name, code, for_reading=reading), to_csv(rows, for_reading=reading))
           for reading in (False, True) for name, rows in tables]  # fmt: skip
    out.append(write_atomic(folder / f"bao-cao-{code}.json",
                            json.dumps(to_json(data), ensure_ascii=False, indent=2).encode("utf-8")))  # fmt: skip
    return out
