"""Derivation rules: which figures of one level's form feed which figure of the next level's form.

Why data and not code (issue 19): CV 1690 mục 5.2 has the office assess the department against
QĐ 79 Phụ lục I "on the basis of the units' reports", and the same holds for a district collecting
from its wards. Which unit figure feeds which department figure, and how (summed, pooled ratio,
share of units, any, all, or the office's own answer), is a decision people review, so it lives
in ``workbook_templates/derivations/<from>--<to>.yaml`` and is checked like a framework file
(``dtidesk frameworks check``), with problems located by line and path.

A reference names a cell of a form: ``"<indicator code>.<input>"`` (``"4.1.c"``) or a field name
(``pl_1``, ``info_1_6``). Every target cell without a rule is the office's to fill.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from scoring.findings import Severity
from scoring.model import Framework, InputType

from .loader import _Checker, _Loc, parse_number
from .problems import FrameworkError, Problem
from .yamlsource import MAX_FRAMEWORK_BYTES, YamlSyntaxError, parse_yaml

HOWS = ("sum", "ratio", "share", "any", "all", "office")
#: what each way of deriving says, in Vietnamese (the department workbook and the report show it)
HOW_VI = {
    "sum": "Cộng số liệu các đơn vị",
    "ratio": "Tỷ lệ gộp (tổng tử số / tổng mẫu số)",
    "share": "Tỷ lệ đơn vị trả lời “Có”",
    "any": "“Có” khi ít nhất một đơn vị có",
    "all": "“Có” khi mọi đơn vị đều có",
    "office": "Văn phòng Sở tự điền",
}
_NUMERIC = frozenset({InputType.COUNT, InputType.NUMBER})


@dataclass(frozen=True, slots=True)
class Ref:
    """One cell of a form: an indicator's input (``indicator`` set) or a field (``indicator`` empty)."""

    indicator: str
    name: str

    @property
    def text(self) -> str:
        return f"{self.indicator}.{self.name}" if self.indicator else self.name


@dataclass(frozen=True, slots=True)
class Rule:
    target: Ref
    how: str  # one of HOWS
    sources: tuple[Ref, ...] = ()  # sum, share, any, all
    numerator: tuple[Ref, ...] = ()  # ratio
    denominator: tuple[Ref, ...] = ()  # ratio
    at_least: Fraction | None = None  # share → yes/no
    note: str = ""

    @property
    def inputs(self) -> tuple[Ref, ...]:
        return self.sources + self.numerator + self.denominator


@dataclass(frozen=True, slots=True)
class Derivation:
    from_id: str
    to_id: str
    title: str
    rules: tuple[Rule, ...]
    file: str = ""

    def rule_for(self, target: Ref) -> Rule | None:
        return next((r for r in self.rules if r.target == target), None)


def resolve_ref(fw: Framework, text: str) -> tuple[Ref, InputType] | None:
    """The cell ``text`` names in ``fw`` and its type; None when there is no such cell."""
    for f in fw.fields:
        if f.name == text:
            return Ref("", text), f.type
    code, _, name = text.rpartition(".")
    for ind in fw.indicators:
        if ind.code == code:
            for spec in ind.inputs:
                if spec.name == name:
                    return Ref(code, name), spec.type
    return None


def target_cells(fw: Framework) -> list[tuple[Ref, InputType, str]]:
    """Every cell of ``fw`` a value can be derived into: (ref, type, label), in form order."""
    out = [(Ref("", f.name), f.type, f.label) for f in fw.general_info]
    out += [(Ref(ind.code, s.name), s.type, s.label) for ind in fw.indicators for s in ind.inputs]
    return out


def _refs(ck: _Checker, raw: Any, loc: _Loc, fw: Framework | None,
          allowed: frozenset[InputType]) -> tuple[Ref, ...]:  # fmt: skip
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, str) else None
    if not items:
        ck.report(loc, "missing-sources", "Cần danh sách ô số liệu nguồn (ví dụ [\"4.1.c\"]).",
                  "A list of source cells is needed (e.g. [\"4.1.c\"]).")  # fmt: skip
        return ()
    out: list[Ref] = []
    for i, item in enumerate(items):
        here = loc.item(i)
        if fw is None:
            out.append(Ref("", str(item)))
            continue
        found = resolve_ref(fw, str(item))
        if found is None:
            ck.report(here, "unknown-source", f"Bộ chỉ số nguồn {fw.id} không có ô số liệu “{item}”.",
                      f"The source framework {fw.id} has no cell {item!r}.")  # fmt: skip
        elif found[1] not in allowed:
            ck.report(here, "source-type", f"Ô nguồn “{item}” có kiểu {found[1].value}, không dùng được ở đây "
                      f"(cần {'/'.join(sorted(t.value for t in allowed))}).",
                      f"Source cell {item!r} is {found[1].value}; "
                      f"{'/'.join(sorted(t.value for t in allowed))} is needed here.")  # fmt: skip
        else:
            out.append(found[0])
    return tuple(out)


_WANTS: dict[str, tuple[frozenset[InputType], frozenset[InputType]]] = {
    # how → (source types, target types)
    "sum": (_NUMERIC, _NUMERIC),
    "ratio": (_NUMERIC, frozenset({InputType.PERCENT})),
    "share": (frozenset({InputType.YESNO}), frozenset({InputType.PERCENT, InputType.YESNO})),
    "any": (frozenset({InputType.YESNO}), frozenset({InputType.YESNO})),
    "all": (frozenset({InputType.YESNO}), frozenset({InputType.YESNO})),
}


def _rule(ck: _Checker, raw: Any, loc: _Loc, source: Framework | None, target: Framework | None) -> Rule | None:
    data = ck.mapping(raw, loc, "quy tắc")
    if data is None:
        return None
    ck.known_keys(data, {"to", "how", "from", "numerator", "denominator", "at_least", "note"}, loc)
    to_text = ck.text(data, "to", loc)
    how = ck.text(data, "how", loc)
    note = ck.text(data, "note", loc, required=False)
    if not to_text or not how:
        return None
    if how not in HOWS:
        ck.report(loc.key("how"), "unknown-how", f"Cách suy ra “{how}” không có; dùng một trong: {', '.join(HOWS)}.",
                  f"Unknown way of deriving {how!r}; use one of: {', '.join(HOWS)}.")  # fmt: skip
        return None
    tref = Ref("", to_text)
    ttype: InputType | None = None
    if target is not None:
        found = resolve_ref(target, to_text)
        if found is None:
            ck.report(loc.key("to"), "unknown-target", f"Bộ chỉ số {target.id} không có ô số liệu “{to_text}”.",
                      f"Framework {target.id} has no cell {to_text!r}.")  # fmt: skip
            return None
        tref, ttype = found
    if how == "office":
        for key in ("from", "numerator", "denominator", "at_least"):
            if key in data:
                ck.report(loc.key(key), "office-with-sources", "Ô do Văn phòng Sở tự điền không có ô nguồn.",
                          "A cell the office fills has no source cells.")  # fmt: skip
        return Rule(tref, how, note=note)
    src_types, target_types = _WANTS[how]
    if ttype is not None and ttype not in target_types:
        ck.report(loc.key("to"), "target-type",
                  f"Ô “{to_text}” có kiểu {ttype.value}; cách “{how}” chỉ ghi được vào ô kiểu "
                  f"{'/'.join(sorted(t.value for t in target_types))}.",
                  f"Cell {to_text!r} is {ttype.value}; {how!r} can only fill "
                  f"{'/'.join(sorted(t.value for t in target_types))} cells.")  # fmt: skip
        return None
    at_least = None
    if "at_least" in data:
        at_least = parse_number(data["at_least"])
        if at_least is None or not 0 <= at_least <= 1 or how != "share":
            ck.report(loc.key("at_least"), "bad-at-least",
                      "at_least là tỷ lệ từ 0 đến 1 (hoặc 0%–100%), chỉ dùng với cách “share”.",
                      "at_least is a share from 0 to 1 (or 0%-100%), only with 'share'.")  # fmt: skip
            return None
    if how == "share" and ttype is InputType.YESNO and at_least is None:
        ck.report(loc, "missing-at-least", "Cách “share” ghi vào ô Có/Không cần at_least (ví dụ \"50%\").",
                  "'share' into a yes/no cell needs at_least (e.g. \"50%\").")  # fmt: skip
        return None
    if how == "ratio":
        num = _refs(ck, data.get("numerator"), loc.key("numerator"), source, src_types)
        den = _refs(ck, data.get("denominator"), loc.key("denominator"), source, src_types)
        return Rule(tref, how, numerator=num, denominator=den, note=note) if num and den else None
    refs = _refs(ck, data.get("from"), loc.key("from"), source, src_types)
    if how in ("share", "any", "all") and len(refs) > 1:
        ck.report(loc.key("from"), "one-source", f"Cách “{how}” dùng đúng một ô nguồn.",
                  f"{how!r} takes exactly one source cell.")  # fmt: skip
        return None
    return Rule(tref, how, sources=refs, at_least=at_least, note=note) if refs else None


def check_derivation(source_text: str, file: str = "") -> tuple[Derivation | None, list[Problem]]:
    """Check a derivation file's text against the two frameworks it names; never raises for a bad file."""
    from .registry import get_builtin  # the frameworks the rules join

    try:
        source = parse_yaml(source_text)
    except YamlSyntaxError as exc:
        return None, [Problem("yaml-syntax", Severity.ERROR, "", f"Tệp không đúng cú pháp YAML: {exc}.",
                              f"The file is not valid YAML: {exc}.", file, exc.line, exc.column)]  # fmt: skip
    ck = _Checker(source, file)
    for path, line, col in source.duplicate_keys:
        ck.problems.append(Problem("duplicate-key", Severity.ERROR, ".".join(map(str, path)),
                                   "Khóa bị lặp lại.", "Duplicate key.", file, line, col))  # fmt: skip
    root = ck.mapping(source.data, _Loc(), "tệp")
    body = ck.mapping(root.get("derivation"), _Loc().key("derivation"), "derivation") if root else None
    if body is None:
        return None, ck.problems
    loc = _Loc().key("derivation")
    ck.known_keys(body, {"from", "to", "title", "rules"}, loc)
    frameworks: dict[str, Framework | None] = {}
    for key in ("from", "to"):
        fid = ck.text(body, key, loc)
        try:
            frameworks[key] = get_builtin(fid) if fid else None
        except (KeyError, FrameworkError):
            frameworks[key] = None
            ck.report(loc.key(key), "unknown-framework", f"Không có bộ chỉ số “{fid}”.",
                      f"No framework {fid!r}.")  # fmt: skip
    rules: list[Rule] = []
    seen: dict[Ref, int] = {}
    for i, raw in enumerate(ck.seq(body.get("rules"), loc.key("rules"), "rules")):
        label = raw.get("to") if isinstance(raw, dict) and isinstance(raw.get("to"), str) else None
        here = loc.key("rules").item(i, label)
        rule = _rule(ck, raw, here, frameworks["from"], frameworks["to"])
        if rule is None:
            continue
        if rule.target in seen:
            ck.report(here.key("to"), "duplicate-target",
                      f"Ô “{rule.target.text}” đã có quy tắc ở mục {seen[rule.target] + 1}; mỗi ô một quy tắc.",
                      f"Cell {rule.target.text!r} already has a rule (item {seen[rule.target] + 1}).")  # fmt: skip
            continue
        seen[rule.target] = i
        rules.append(rule)
    if any(p.severity is Severity.ERROR for p in ck.problems):
        return None, ck.problems
    title = ck.text(body, "title", loc, required=False)
    return Derivation(str(body["from"]), str(body["to"]), title, tuple(rules), file), ck.problems


def is_derivation_file(path: Path) -> bool:
    """Whether ``path`` is a derivation file (top-level ``derivation:``) rather than a framework."""
    try:
        head = path.read_bytes()[:65536].decode("utf-8-sig", "replace")
    except OSError:
        return False
    return any(line.startswith("derivation:") for line in head.splitlines())


def check_derivation_file(path: Path) -> tuple[Derivation | None, list[Problem]]:
    name = str(path)
    try:
        if path.stat().st_size > MAX_FRAMEWORK_BYTES:
            return None, [Problem("file-too-large", Severity.ERROR, "", "Tệp quá lớn để là tệp quy tắc tổng hợp.",
                                  "The file is too large to be a derivation file.", name)]  # fmt: skip
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem("unreadable-file", Severity.ERROR, "", f"Không đọc được tệp (cần UTF-8): {exc}.",
                              f"Cannot read the file (UTF-8 needed): {exc}.", name)]  # fmt: skip
    return check_derivation(unicodedata.normalize("NFC", text), name)


def derivations_dir() -> Path:
    return Path(str(resources.files("workbook_templates") / "derivations"))


@cache
def builtin_derivation(from_id: str, to_id: str) -> Derivation:
    """The shipped rules from ``from_id`` to ``to_id``; ``KeyError`` when none, ``FrameworkError`` when broken."""
    path = derivations_dir() / f"{from_id}--{to_id}.yaml"
    if not path.is_file():
        raise KeyError(f"{from_id}--{to_id}")
    found, problems = check_derivation_file(path)
    if found is None:
        raise FrameworkError(str(path), problems)
    return found


def derivation_target(from_id: str) -> str | None:
    """The framework the shipped rules derive ``from_id``'s returns into, if any."""
    for path in sorted(derivations_dir().glob(f"{from_id}--*.yaml")):
        return path.stem.split("--", 1)[1]
    return None
