"""``dtidesk history``: each unit against the period before, or one unit across every period.

The same answers as the desktop's Lịch sử điểm page (``app.workspace.history``).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.numbers import format_decimal_vi

from .common import EXIT_OK, open_workspace, period_code, print_json, workspace_options


def _points(cents: int | None) -> str:
    from scoring.rounding import cents_to_decimal

    return "—" if cents is None else format_decimal_vi(cents_to_decimal(cents))


def cmd_history(args: argparse.Namespace) -> int:
    from app.workspace import list_periods
    from app.workspace.history import (
        change_text,
        compare_with_previous,
        period_rankings,
        rank_change_text,
        unit_history,
    )

    with open_workspace(args) as ws:
        rankings = period_rankings(ws)
        if args.unit:
            history = unit_history(ws, args.unit.strip(), rankings)
            if args.json:
                print_json(history.to_json())
                return EXIT_OK
            print(f"{history.unit_code} — {history.unit_name}: điểm qua các kỳ (sau thẩm định)")
            groups = history.groups
            print(f"{'Kỳ':<8} {'Tổng':>8} {'Hạng':>9}  " + " ".join(f"{code:>7}" for code, _ in groups))
            for p in history.points:
                rank = f"{p.rank}/{p.of}" if p.rank is not None else "—"
                pillars = " ".join(f"{_points(p.group_cents.get(code)) if p.total_cents is not None else '—':>7}"
                                   for code, _ in groups)  # fmt: skip
                print(f"{p.period:<8} {_points(p.total_cents):>8} {rank:>9}  {pillars}")
            for code, title in groups:
                print(f"  {code}: {title}")
            return EXIT_OK
        periods = list_periods(ws)
        if args.period:
            code = period_code(ws, args.period)
        elif periods:
            code = periods[-1].code
        else:
            print("Chưa có kỳ báo cáo nào. Thêm kỳ bằng: dtidesk period add KỲ --framework MÃ")
            return EXIT_OK
        comparison = compare_with_previous(ws, code, rankings)
    if args.json:
        print_json(comparison.to_json())
        return EXIT_OK
    c = comparison
    head = f"so với {c.previous.label}" if c.previous else "chưa có kỳ trước cùng bộ chỉ số để so sánh"
    print(f"{c.period.label} — {head}")
    if not c.rows:
        print("Chưa có đơn vị nào được xếp hạng trong kỳ này.")
        return EXIT_OK
    print(f"{'Hạng':>4}  {'Mã':<8} {'Kỳ này':>8} {'Kỳ trước':>8} {'Thay đổi':>10}  {'Hạng':<16} Đơn vị")
    for r in c.rows:
        print(f"{r.rank:>4}  {r.unit_code:<8} {_points(r.cents):>8} {_points(r.previous_cents):>8} "
              f"{change_text(r.change_cents):>10}  {rank_change_text(r.rank_change):<16} {r.unit_name}")  # fmt: skip
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("history", help="điểm các đơn vị so với kỳ trước, hoặc điểm một đơn vị qua các kỳ")
    p.add_argument("--period", metavar="KỲ", help="kỳ cần so sánh với kỳ trước (mặc định: kỳ mới nhất)")
    p.add_argument("--unit", metavar="MÃ", help="mã một đơn vị: tổng điểm, hạng và điểm từng chỉ số chính qua các kỳ")
    workspace_options(p)
    p.set_defaults(func=cmd_history)
