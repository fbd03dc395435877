"""Simulate how the units of the sample roster fill in and send back their workbooks.

The demo is only convincing if what it receives looks like a real quarter: most units answer on
time and correctly but with different results, a few are late, a few type figures the way people
do ("12 người", "1.234", "x" for Có, a part larger than its whole, "không áp dụng" with no reason),
one or two never answer, some send a corrected file after feedback, and one sends last quarter's
form. Each file is the real template of the period (``render_overlaid``, the same build the
feedback workbook uses), so reading it exercises exactly the path a unit's file takes.

Everything is deterministic: the mix of scenarios comes from the seed, each unit's figures from
the seed and its code (so adding a unit does not change the others), and file times are set to
the simulated arrival, which is what intake reads as the received date.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.evidence.citations import parse_citations
from app.legacy_text import encode_tcvn3
from app.period import ROMAN, Period
from app.workbook import names
from app.workbook.filenames import ascii_fold, template_filename
from app.workbook.formulas import NO, YES
from app.workbook.template import Overlay, TemplateOptions, render_overlaid
from scoring.model import Constraint, Field, Framework, GatedTiers, Growth, Indicator, InputSpec, InputType

from .documents import administrative_document
from .roster import EMAIL_DOMAIN, SampleUnit

DEFAULT_SEED = 2023
#: where units are told to send the file back (a reserved, undeliverable domain)
SEND_TO = f"vanphong@{EMAIL_DOMAIN}"


class Scenario(StrEnum):
    """What happens with one unit's workbook in the simulated quarter."""

    GOOD = "good"  # complete, consistent, evidence everywhere, on time
    LATE = "late"  # as good, but received after the deadline
    MESSY = "messy"  # typed as people type: text in numbers, parts above wholes, blanks …
    MISSING = "missing"  # no file at all
    RESUBMITTED = "resubmitted"  # a messy file, then a corrected one a few days later
    WRONG_PERIOD = "wrong-period"  # the previous period's template sent by mistake


#: share of the roster per scenario (GOOD takes the rest: 60 % of 25 units); WRONG_PERIOD is one unit
MIX: tuple[tuple[Scenario, float], ...] = (
    (Scenario.LATE, 0.10),
    (Scenario.MESSY, 0.12),
    (Scenario.MISSING, 0.08),
    (Scenario.RESUBMITTED, 0.08),
)


@dataclass(frozen=True, slots=True)
class SimulatedFile:
    """One file that arrived: whose, why it looks the way it does, where it is, when it came.

    ``planted`` lists the issue codes deliberately put into the file (for a messy one), so the demo
    and the tests can check that receiving finds each of them. ``attempt`` is 2 for the corrected
    file of a resubmission.
    """

    unit_code: str
    scenario: Scenario
    path: Path
    received: datetime
    planted: tuple[str, ...] = ()
    attempt: int = 1
    #: evidence documents (Word) the unit put beside its workbook
    documents: tuple[Path, ...] = ()


# --- who does what ------------------------------------------------------------------------------


def assign_scenarios(units: Sequence[SampleUnit], seed: int = DEFAULT_SEED) -> dict[str, Scenario]:
    """Unit code → scenario, in roster order: a fixed mix (``MIX``), placed on units by the seed.

    A roster of 10 or more gets exactly one WRONG_PERIOD; shares are rounded, and GOOD takes what
    is left, so a small roster simply has fewer problems.
    """
    codes = [u.code for u in units]
    order = list(codes)
    random.Random(f"{seed}-scenarios").shuffle(order)
    plan: list[Scenario] = []
    if len(codes) >= 10:
        plan.append(Scenario.WRONG_PERIOD)
    for scenario, share in MIX:
        plan += [scenario] * round(share * len(codes))
    plan = plan[: max(0, len(codes) - 1)]  # at least one unit answers well
    plan += [Scenario.GOOD] * (len(codes) - len(plan))
    by_code = dict(zip(order, plan, strict=True))
    return {code: by_code[code] for code in codes}


# --- the figures ----------------------------------------------------------------------------------

#: headcount range per kind of unit (a theatre's artists, a sports centre's coaches and staff …)
_STAFF: dict[str, tuple[int, int]] = {
    "nha-hat": (60, 200),
    "bao-tang": (30, 120),
    "thu-vien": (80, 150),
    "the-thao": (40, 300),
    "dien-anh": (20, 80),
    "di-tich": (40, 160),
    "van-hoa": (40, 90),
    "dao-tao": (80, 250),
    "xuat-ban": (20, 50),
}
#: words that mark an indicator as about public services; most units of the department have none,
#: which is exactly when QĐ 79 lets them answer "không áp dụng"
_SERVICE_WORDS = ("dvctt", "dịch vụ công", "thủ tục hành chính", "hồ sơ", "người dân")


@dataclass(frozen=True, slots=True)
class _Profile:
    """How big and how far along in digital transformation one unit is: drives all its figures."""

    staff: int
    maturity: float  # 0.35 (just starting) … 0.98 (everything done)


def _profile(unit: SampleUnit, rnd: random.Random) -> _Profile:
    low, high = _STAFF.get(unit.kind, (20, 120))
    return _Profile(rnd.randint(low, high), round(rnd.uniform(0.35, 0.98), 3))


def _key(text: str) -> str:
    return text.casefold()


def _magnitude(label: str, p: _Profile, rnd: random.Random) -> int:
    """A plausible count for an input, from what its label asks about (a unit's scale, not a city's)."""
    t = _key(label)
    rules: tuple[tuple[tuple[str, ...], tuple[int, int]], ...] = (
        (("chuyên trách",), (0, 2)),
        (("kiêm nhiệm",), (1, 5)),
        (("cuộc họp",), (3, 12)),
        (("văn bản",), (2, 10)),
        (("tin, bài", "tin bài"), (4, 40)),
        (("máy chủ",), (1, 6)),
        (("hệ thống thông tin", "httt"), (1, 6)),
        (("ứng dụng",), (2, 9)),
        (("nền tảng",), (2, 8)),
        (("dvctt", "dịch vụ công"), (2, 15)),
        (("người dân", "hài lòng"), (80, 900)),
        (("hồ sơ",), (600, 4000)),
        (("thủ tục",), (3, 25)),
        (("cơ quan/đơn vị", "đơn vị thuộc"), (1, 5)),
    )
    for words, (low, high) in rules:
        if any(w in t for w in words):
            return rnd.randint(low, high)
    if "máy tính" in t or "máy trạm" in t:
        return p.staff + rnd.randint(0, max(1, p.staff // 5))
    if "công chức" in t and "viên chức" not in t:
        return rnd.randint(0, 4)  # public-service units employ viên chức, few công chức
    if any(w in t for w in ("cán bộ", "cbcc", "viên chức", "người")):
        return p.staff
    return rnd.randint(1, 20)


def _ratio(p: _Profile, rnd: random.Random) -> float:
    """The share a part takes of its whole: near the unit's maturity, sometimes all of it."""
    if rnd.random() < p.maturity * 0.5:
        return 1.0
    return min(1.0, max(0.05, rnd.gauss(p.maturity, 0.18)))


def _counts(specs: Sequence[tuple[str, str]], constraints: Iterable[Constraint], p: _Profile,
            rnd: random.Random) -> dict[str, int]:  # fmt: skip
    """Counts for (name, label) pairs such that every part ≤ its whole.

    Wholes get a magnitude from their label; a single part takes a share of its whole (so ratios
    spread between units); several parts keep their own magnitudes and are trimmed to fit.
    """
    rules = [c for c in constraints if all(n in dict(specs) for n in (*c.part, *c.whole))]
    values = {name: _magnitude(label, p, rnd) for name, label in specs}
    wholes = {n for c in rules for n in c.whole}
    for name in wholes:
        values[name] = max(1, values[name])  # a zero denominator is a warning: good units avoid it
    for c in rules:
        if len(c.part) == 1 and c.part[0] not in wholes:
            values[c.part[0]] = round(sum(values[n] for n in c.whole) * _ratio(p, rnd))
    for _ in range(100):  # trim parts until every rule holds (a part may sit in several rules)
        broken = [c for c in rules if sum(values[n] for n in c.part) > sum(values[n] for n in c.whole)]
        if not broken:
            break
        for c in broken:
            excess = sum(values[n] for n in c.part) - sum(values[n] for n in c.whole)
            for n in sorted(c.part, key=lambda n: -values[n]):
                cut = min(excess, values[n])
                values[n] -= cut
                excess -= cut
    else:  # pragma: no cover - only a framework whose rules contradict each other gets here
        raise ValueError("the framework's part ≤ whole rules cannot all hold")
    return values


def _evidence(unit: SampleUnit, period: Period, rnd: random.Random) -> str:
    """An evidence reference as units write them: a document number and date, or a link."""
    initials = "".join(w[0] for w in ascii_fold(unit.short).split() if w[0].isalpha()).upper()
    first_month = 1 if period.quarter is None else 3 * period.quarter - 2
    day = date(period.year, first_month, 1) + timedelta(days=rnd.randint(0, 80))
    n = rnd.randint(3, 240)
    kind = rnd.choice(("Quyết định số {n}/QĐ-{u}", "Kế hoạch số {n}/KH-{u}", "Báo cáo số {n}/BC-{u}",
                       "Công văn số {n}/{u}-VP", "Thông báo số {n}/TB-{u}"))  # fmt: skip
    if rnd.random() < 0.15:
        return f"https://{unit.slug.lower()}.{EMAIL_DOMAIN}/chuyen-doi-so"
    return f"{kind.format(n=n, u=initials)} ngày {day:%d/%m/%Y}"


def _choice(spec: InputSpec, p: _Profile, rnd: random.Random) -> str:
    best_first = sorted(spec.options, key=lambda o: -o.fraction)
    roll = rnd.random()
    index = 0 if roll < p.maturity else 1 if roll < p.maturity + 0.25 else len(best_first) - 1
    return best_first[min(index, len(best_first) - 1)].label


def _indicator_values(ind: Indicator, unit: SampleUnit, period: Period, p: _Profile,
                      rnd: random.Random) -> dict[str, Any]:  # fmt: skip
    """One indicator's cells for a unit that fills everything in properly."""
    out: dict[str, Any] = {}
    about_services = any(w in _key(ind.title + " " + " ".join(s.label for s in ind.inputs)) for w in _SERVICE_WORDS)
    if ind.allow_na and rnd.random() < (0.6 if about_services else 0.15):
        out[names.na_name(ind.code)] = YES
        out[names.note_name(ind.code)] = rnd.choice((
            "Đơn vị sự nghiệp công lập, không có thủ tục hành chính, không cung cấp dịch vụ công trực tuyến.",
            "Đơn vị không quản lý hệ thống thông tin riêng; sử dụng hệ thống dùng chung của Sở.",
            "Không phát sinh trong kỳ báo cáo theo chức năng, nhiệm vụ của đơn vị.",
        ))  # fmt: skip
        return out
    counts = _counts([(s.name, s.label) for s in ind.inputs if s.type is InputType.COUNT], ind.all_constraints,
                     p, rnd)  # fmt: skip
    growth = ind.rule if isinstance(ind.rule, Growth) else None
    for spec in ind.inputs:
        value: Any
        if spec.type is InputType.COUNT:
            value = counts[spec.name]
        elif spec.type is InputType.NUMBER:
            value = round(rnd.uniform(1, 50), 1)
        elif spec.type is InputType.PERCENT:
            value = round(min(1.0, max(0.05, rnd.gauss(p.maturity * 0.85, 0.12))), 2)
        elif spec.type is InputType.YESNO:
            value = YES if rnd.random() < 0.3 + 0.65 * p.maturity else NO
        elif spec.type is InputType.CHOICE:
            value = _choice(spec, p, rnd)
        elif spec.type is InputType.DATE:
            value = date(period.year, 1, 1) + timedelta(days=rnd.randint(0, 80))
        else:
            value = f"{unit.name} — số liệu mẫu"
        out[names.input_name(ind.code, spec.name)] = value
    if growth is not None:  # the rate last year, and this year usually a little better
        previous = round(rnd.uniform(0.3, 0.7), 2)
        out[names.input_name(ind.code, growth.previous)] = previous
        out[names.input_name(ind.code, growth.current)] = round(min(1.0, previous + rnd.uniform(-0.03, 0.2)), 2)
    if isinstance(ind.rule, GatedTiers) and out.get(names.input_name(ind.code, ind.rule.gate)) == NO:
        out[names.input_name(ind.code, ind.rule.value)] = 0  # no news section, no news in it
    if ind.evidence:
        out[names.evidence_name(ind.code)] = _evidence(unit, period, rnd)
    return out


_NARRATIVE = {
    "nha-hat": "bán vé và đăng ký xem biểu diễn trực tuyến, số hoá kho tư liệu biểu diễn",
    "bao-tang": "số hoá hiện vật, triển khai thuyết minh tự động và tham quan ảo 3D",
    "thu-vien": "số hoá tài liệu quý hiếm, mở rộng thư viện số và mượn trả tự động",
    "the-thao": "quản lý vận động viên và lịch tập huấn trên phần mềm, bán vé sự kiện trực tuyến",
    "dien-anh": "quản lý lịch chiếu và đặt vé trực tuyến, số hoá phim tư liệu",
    "di-tich": "số hoá hồ sơ di tích, thuyết minh tự động bằng mã QR, bán vé điện tử",
    "van-hoa": "đăng ký lớp năng khiếu trực tuyến, phát trực tiếp chương trình văn nghệ",
    "dao-tao": "quản lý đào tạo trên phần mềm, tuyển sinh và học trực tuyến",
    "xuat-ban": "xuất bản ấn phẩm điện tử, quản lý cấp phép trên phần mềm",
}


def _field_value(f: Field, unit: SampleUnit, period: Period, p: _Profile, rnd: random.Random) -> Any:
    """A non-counted field (contact, general information, narrative) as the unit would fill it."""
    key, label = f.name, _key(f.label)
    if key.startswith(("preparer_", "head_")):  # the sign-off: no random draw, so the sample stays as it was
        return _signoff(key, unit, period)
    if f.type is InputType.PHONE:
        return unit.phone if key.startswith("contact") else f"0900 000 1{unit.code[-2:]}"
    if f.type is InputType.EMAIL:
        return unit.email if key.startswith("contact") else f"lanhdao.{unit.email.split('.', 1)[1]}"
    if f.type is InputType.DATE:
        return date(period.year, 1, 1) + timedelta(days=rnd.randint(0, 80))
    if f.type is InputType.PERCENT:
        return round(rnd.uniform(0.3, 0.95), 2)
    if f.type is InputType.NUMBER:
        return round(rnd.uniform(1, 50), 1)
    if f.type in (InputType.YESNO, InputType.CHOICE):
        return YES if f.type is InputType.YESNO else f.options[0].label
    if key == "contact_name":
        return unit.contact_name
    if key.endswith("_name"):
        return rnd.choice(("Nguyễn Văn Thành", "Trần Thị Mai Phương", "Lê Hoàng Vũ", "Phạm Thị Thu Trang"))
    if key.endswith("_position"):
        return "Chuyên viên phụ trách công nghệ thông tin" if key.startswith("contact") else "Phó Giám đốc"
    if key.endswith("_unit"):
        return "Phòng Hành chính - Tổng hợp" if key.startswith("contact") else unit.name
    if "website" in label or "cổng thông tin" in label or "trang" in label:
        return f"https://{unit.slug.lower()}.{EMAIL_DOMAIN}"
    if "địa chỉ" in label:
        return f"Số {rnd.randint(1, 199)} đường Mẫu, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh (địa chỉ giả định)"
    if label.startswith("tên"):
        return unit.name
    what = _NARRATIVE.get(unit.kind, "số hoá hồ sơ và quản lý văn bản điện tử")
    return (f"Trong {period.label_vi.lower()}, {unit.name} đã triển khai kế hoạch chuyển đổi số: {what}; "
            f"100% văn bản đi được ký số và gửi qua hệ thống quản lý văn bản điều hành; "
            f"tổ chức {rnd.randint(1, 4)} lớp tập huấn kỹ năng số cho viên chức.")  # fmt: skip


def _signoff(key: str, unit: SampleUnit, period: Period) -> Any:
    """The preparer (the unit's contact) and the head who confirms, dated a few days before the deadline."""
    if key.endswith("_date"):
        return period.default_deadline - timedelta(days=5 if key.startswith("preparer") else 4)
    if key == "preparer_name":
        return unit.contact_name
    if key == "preparer_position":
        return "Chuyên viên phụ trách công nghệ thông tin"
    if key == "head_name":
        return "Nguyễn Văn An" if unit.contact_name != "Nguyễn Văn An" else "Trần Văn Bình"
    return "Giám đốc"


def fill_values(framework: Framework, unit: SampleUnit, scenario: Scenario, rnd: random.Random,
                period: Period | None = None) -> dict[str, Any]:  # fmt: skip
    """Defined name → value a unit in ``scenario`` puts in its workbook (``{}`` for MISSING).

    Every unit draws a size and a maturity first, so good units differ in ratios, yes/no answers
    and choices and their totals spread. MESSY is the good fill passed through ``mess_up`` (its
    planted issue codes are dropped here; ``simulate`` keeps them). For RESUBMITTED this is the
    corrected file. ``period`` only dates the evidence; it defaults to the quarter being reported.
    """
    if scenario is Scenario.MISSING:
        return {}
    period = period or Period(2023, 1)
    p = _profile(unit, rnd)
    out: dict[str, Any] = {}
    for ind in framework.indicators:
        out |= _indicator_values(ind, unit, period, p, rnd)
    fields = framework.fields
    counted = [f for f in fields if f.type is InputType.COUNT]
    counts = _counts([(f.name, f.label) for f in counted], framework.constraints, p, rnd)
    for f in fields:
        value = counts[f.name] if f.type is InputType.COUNT else _field_value(f, unit, period, p, rnd)
        out[names.field_name(f.name)] = value
        if f.evidence:
            out[names.field_evidence_name(f.name)] = f"Báo cáo nhân sự {period.label_vi.lower()} của đơn vị"
    if scenario is Scenario.MESSY:
        out, _ = mess_up(framework, out, rnd)
    return out


# --- how people really type -----------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _claims(value: Any) -> bool:
    """Whether a figure asserts something (a positive number, a Có): only then is evidence expected."""
    return bool((_is_number(value) and value > 0) or value == YES)


def mess_up(
    framework: Framework, values: Mapping[str, Any], rnd: random.Random
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A good fill as a hurried clerk would have typed it, and the issue codes that should result.

    Each slip lands on a different indicator so the issues do not hide each other. Always: figures
    with units or thousands dots and "x" for Có (``value-converted``), a numerator above its
    denominator (``part-exceeds-whole``), "không áp dụng" with no reason
    (``na-without-explanation``), evidence left out on two claims (``evidence-missing``) and the
    contact's phone forgotten (``required-missing``); sometimes a decimal comma in a count
    (``wrong-type``) and a whole indicator skipped (``missing-value``).
    """
    out = dict(values)
    planted: list[str] = []
    touched: set[str] = set()
    inds = list(framework.indicators)
    rnd.shuffle(inds)

    def has(ind: Indicator, spec: InputSpec) -> bool:
        return ind.code not in touched and _is_number(out.get(names.input_name(ind.code, spec.name)))

    def take(ind: Indicator, code: str) -> None:
        touched.add(ind.code)
        planted.append(code)

    # a part above its whole: the figures swapped, or the total forgotten in the denominator
    for ind in inds:
        single = [c for c in ind.all_constraints if len(c.part) == 1 and len(c.whole) == 1]
        if single and all(has(ind, ind.input(n)) for n in (single[0].part[0], single[0].whole[0])):
            part, whole = (names.input_name(ind.code, n) for n in (single[0].part[0], single[0].whole[0]))
            if out[whole] > 0:
                if 0 < out[part] < out[whole]:
                    out[part], out[whole] = out[whole], out[part]  # typed into each other's cell
                else:
                    out[part] = out[whole] + rnd.randint(1, 5)
                take(ind, "part-exceeds-whole")
                break
    # "không áp dụng" chosen, no reason given, the figures left empty
    for ind in inds:
        if ind.allow_na and ind.code not in touched:
            out[names.na_name(ind.code)] = YES
            out.pop(names.note_name(ind.code), None)
            take(ind, "na-without-explanation")
            break
    # counts typed with their unit ("12 người") or a thousands dot ("1.234"); "x" for Có
    converted = False
    for ind in inds:
        spec = next((s for s in ind.inputs if s.type is InputType.COUNT and has(ind, s)
                     and out[names.input_name(ind.code, s.name)] > 0), None)  # fmt: skip
        if spec is not None:
            name = names.input_name(ind.code, spec.name)
            word = "người" if any(w in _key(spec.label) for w in ("cán bộ", "cbcc", "chức", "người")) else "cái"
            out[name] = f"{out[name]} {word}"
            take(ind, "value-converted")
            converted = True
            break
    if rnd.random() < 0.7:
        for ind in inds:
            spec = next((s for s in ind.inputs if s.type is InputType.COUNT and has(ind, s)
                         and out[names.input_name(ind.code, s.name)] >= 1000), None)  # fmt: skip
            if spec is not None:
                name = names.input_name(ind.code, spec.name)
                out[name] = f"{out[name]:,}".replace(",", ".")
                take(ind, "value-converted")
                break
    for ind in inds:
        spec = next((s for s in ind.inputs if s.type is InputType.YESNO and ind.code not in touched
                     and out.get(names.input_name(ind.code, s.name)) == YES), None)  # fmt: skip
        if spec is not None:
            out[names.input_name(ind.code, spec.name)] = rnd.choice(("x", "X", "có"))
            if out[names.input_name(ind.code, spec.name)] != "có":  # "có" is Có already, not a conversion
                take(ind, "value-converted")
            else:
                touched.add(ind.code)
            break
    # a decimal comma in a count (an average typed where a number of people was asked)
    if rnd.random() < 0.5 or not converted:
        for ind in inds:
            spec = next((s for s in ind.inputs if s.type is InputType.COUNT and has(ind, s)), None)
            if spec is not None:
                out[names.input_name(ind.code, spec.name)] = "1,5"
                take(ind, "wrong-type")
                break
    # evidence left out where figures are claimed
    missing_evidence = 0
    for ind in inds:
        if missing_evidence == 2:
            break
        ev = names.evidence_name(ind.code)
        claims = [out.get(names.input_name(ind.code, s.name)) for s in ind.inputs]
        if (ind.evidence and ind.code not in touched and ev in out and names.na_name(ind.code) not in out
                and any(_claims(v) for v in claims)):  # fmt: skip
            del out[ev]
            take(ind, "evidence-missing")
            missing_evidence += 1
    # a whole indicator skipped
    if rnd.random() < 0.6:
        for ind in inds:
            if ind.code not in touched and not ind.allow_na and names.na_name(ind.code) not in out:
                for spec in ind.inputs:
                    out.pop(names.input_name(ind.code, spec.name), None)
                out.pop(names.evidence_name(ind.code), None)
                take(ind, "missing-value")
                break
    # the contact's phone forgotten
    phone = next((f for f in framework.fields if f.required and f.type is InputType.PHONE), None)
    if phone is not None:
        out.pop(names.field_name(phone.name), None)
        planted.append("required-missing")
    return out, tuple(dict.fromkeys(planted))


# --- the file --------------------------------------------------------------------------------------


def render_filled(framework: Framework, period_code: str, period_label: str, unit_code: str, unit_name: str,
                  values: Mapping[str, Any], *, deadline: date | None = None, now: datetime | None = None,
                  options: TemplateOptions | None = None) -> bytes:  # fmt: skip
    """The .xlsx a unit sends back: the period's real template with its values in the input cells.

    Built with ``render_overlaid`` (the feedback workbook's mechanism) rather than by re-saving a
    template with openpyxl, which would drop parts of the package a real returned file keeps.
    ``now`` is the template's generation time; fix it for byte-identical files.
    """
    return render_overlaid(framework, unit_code, unit_name, period_code, period_label, Overlay(fill=values),
                           options or TemplateOptions(send_to=SEND_TO), deadline=deadline, now=now)  # fmt: skip


def _deadline(period: Period) -> datetime:
    """The moment a file becomes late: 00:00 of the deadline day (CV 1690 mục 3.2, "trước 00g00")."""
    return datetime.combine(period.default_deadline, time(0))


def _previous(period: Period) -> Period:
    if period.quarter is None:
        return Period(period.year - 1)
    return Period(period.year, period.quarter - 1) if period.quarter > 1 else Period(period.year - 1, 4)


def _office_time(day: date, rnd: random.Random) -> datetime:
    """When a clerk presses Send: office hours mostly, now and then late in the evening."""
    if rnd.random() < 0.15:
        return datetime.combine(day, time(rnd.randint(19, 23), rnd.randint(0, 59)))
    return datetime.combine(day, time(rnd.randint(7, 16), rnd.randint(0, 59)))


def _on_time(period: Period, rnd: random.Random, earliest: int = 1, latest: int = 15) -> datetime:
    """A time before the deadline, most often in its last few days, as replies really arrive."""
    days = int(rnd.triangular(earliest, latest + 1, earliest))
    return _office_time(period.default_deadline - timedelta(days=min(days, latest)), rnd)


def _attachment_name(period: Period, unit: SampleUnit, rnd: random.Random) -> str:
    """The name a unit saves the attachment under: the name it was sent, or one of its own."""
    roll = rnd.random()
    if roll < 0.55:
        return template_filename(period.code, unit.code, unit.name)
    quarter = "nam" if period.quarter is None else f"quy {period.quarter}"
    if roll < 0.75:
        return f"Bao cao DTI {quarter} - {ascii_fold(unit.short)}.xlsx"
    if roll < 0.9:
        return f"{unit.code} {ascii_fold(unit.short)} - bieu mau CDS {period.year}.xlsx"
    which = f"quý {ROMAN[period.quarter]}" if period.quarter else f"năm {period.year}"
    return f"Báo cáo chuyển đổi số {which} - {unit.short}.xlsx"


def _write(path: Path, data: bytes, received: datetime) -> Path:
    path.write_bytes(data)
    stamp = received.timestamp()
    os.utime(path, (stamp, stamp))  # intake takes the received date from the file's time
    return path


def typed_in_tcvn3(framework: Framework, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values as typed with the .VnTime font: every text, choice and Có/Không in TCVN3 bytes."""
    out = dict(values)
    for key, value in values.items():
        if isinstance(value, str) and not value.isascii() and "@" not in value:
            stored, capitals = encode_tcvn3(value)
            out[key] = stored if not capitals else value  # a capital with a tone needs .VnTimeH: left as typed
    return out


def _documents(unit: SampleUnit, values: Mapping[str, Any], out_dir: Path, received: datetime,
               skip_one: bool) -> tuple[Path, ...]:  # fmt: skip
    """Word documents for the numbers/symbols the unit cites, named with its code, beside its workbook."""
    cited: dict[str, tuple[str, date | None]] = {}
    for key, value in values.items():
        if key.endswith("_evidence") and isinstance(value, str):
            for c in parse_citations(value):
                cited.setdefault(c.symbol, (c.text, c.when))
    symbols = sorted(cited)
    if skip_one and symbols:
        symbols = symbols[1:]  # the first one cited is not sent
    paths = []
    for symbol in symbols:
        text, when = cited[symbol]
        kind = text.split(" số")[0] if " số" in text else "Văn bản"
        data = administrative_document(unit.name, symbol, when or received.date(), kind,
                                       f"Tài liệu kiểm chứng chuyển đổi số của {unit.short}")  # fmt: skip
        safe = symbol.replace("/", "-").replace("Đ", "D")
        paths.append(_write(out_dir / f"{unit.code}_{safe}.docx", data, received))
    return tuple(paths)


def simulate(framework: Framework, period: Period, units: Sequence[SampleUnit], out_dir: Path,
             seed: int = DEFAULT_SEED) -> list[SimulatedFile]:  # fmt: skip
    """Write the files the units send back for ``period`` into ``out_dir``, oldest first.

    Scenarios come from ``assign_scenarios``; MISSING units write nothing (they are the roster
    units absent from the result). Each file's time is its arrival. The same seed writes the same
    bytes under the same names.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    scenarios = assign_scenarios(units, seed)
    deadline = period.default_deadline
    generated = _deadline(period) - timedelta(days=25) + timedelta(hours=8)
    files: list[SimulatedFile] = []
    used: set[str] = set()

    def unique(name: str) -> str:
        stem, dot, ext = name.rpartition(".")
        n = 2
        while name.casefold() in used:
            name = f"{stem}_{n}{dot}{ext}"
            n += 1
        used.add(name.casefold())
        return name

    def emit(unit: SampleUnit, scenario: Scenario, values: Mapping[str, Any], name: str, received: datetime,
             planted: tuple[str, ...] = (), attempt: int = 1, as_period: Period = period) -> None:  # fmt: skip
        when = generated if as_period == period else generated - timedelta(days=91)
        data = render_filled(framework, as_period.code, as_period.label_vi, unit.code, unit.name, values,
                             deadline=as_period.default_deadline, now=when)  # fmt: skip
        path = _write(out_dir / unique(name), data, received)
        files.append(SimulatedFile(unit.code, scenario, path, received, planted, attempt))

    good_units = [u.code for u in units if scenarios[u.code] is Scenario.GOOD]
    # three good units show issue 23: one types in the old TCVN3 font, two send their evidence
    # documents beside the workbook — all of them, and all but one it cites
    legacy, all_documents, one_short = [*good_units, "", "", ""][:3]
    for unit in units:
        scenario = scenarios[unit.code]
        if scenario is Scenario.MISSING:
            continue
        rnd = random.Random(f"{seed}-{unit.code}")
        good = fill_values(framework, unit, Scenario.GOOD, rnd, period)
        name = _attachment_name(period, unit, rnd)
        if scenario is Scenario.GOOD and unit.code == legacy:
            emit(unit, scenario, typed_in_tcvn3(framework, good), name, _on_time(period, rnd))
        elif scenario is Scenario.GOOD and unit.code in (all_documents, one_short):
            emit(unit, scenario, good, name, _on_time(period, rnd))
            docs = _documents(unit, good, out_dir, files[-1].received, skip_one=unit.code == one_short)
            files[-1] = replace(files[-1], documents=docs)
        elif scenario is Scenario.GOOD:
            emit(unit, scenario, good, name, _on_time(period, rnd))
        elif scenario is Scenario.LATE:
            late = _office_time(deadline + timedelta(days=rnd.randint(0, 5)), rnd)
            emit(unit, scenario, good, name, late)
        elif scenario is Scenario.MESSY:
            messy, planted = mess_up(framework, good, rnd)
            emit(unit, scenario, messy, name, _on_time(period, rnd), planted)
        elif scenario is Scenario.RESUBMITTED:
            messy, planted = mess_up(framework, good, rnd)
            first = _on_time(period, rnd, earliest=9, latest=14)
            emit(unit, scenario, messy, name, first, planted)
            second = _office_time(first.date() + timedelta(days=rnd.randint(2, 5)), rnd)
            stem = name.rsplit(".", 1)[0]
            emit(unit, scenario, good, f"{stem}_sua.xlsx", second, attempt=2)
        elif scenario is Scenario.WRONG_PERIOD:
            old = _previous(period)
            emit(unit, scenario, good, template_filename(old.code, unit.code, unit.name), _on_time(period, rnd),
                 as_period=old)  # fmt: skip
    return sorted(files, key=lambda f: (f.received, f.path.name))


__all__ = [
    "DEFAULT_SEED",
    "MIX",
    "SEND_TO",
    "Scenario",
    "SimulatedFile",
    "assign_scenarios",
    "fill_values",
    "mess_up",
    "render_filled",
    "simulate",
    "typed_in_tcvn3",
]


def answer_notice(notice: Path, target: Path, explanation: str, evidence: str) -> Path:
    """A unit's reply to its appraisal notice: every row explained, saved as Excel would (a re-saved copy)."""
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    from app.workbook.notice import COL_CODE, COL_EVIDENCE, COL_EXPLANATION, FIRST_ROW, SHEET

    wb = load_workbook(notice)
    sheet = wb[SHEET]
    for row in sheet.iter_rows(min_row=FIRST_ROW + 2):
        if row[COL_CODE].value:
            row[COL_EXPLANATION].value, row[COL_EVIDENCE].value = explanation, evidence
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target
