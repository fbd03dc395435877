"""Turn a framework file into a checked ``scoring.model.Framework``, reporting every problem.

Loading never stops at the first problem: each check appends a located ``Problem`` and goes on, so
an author fixing a file sees the whole list at once (``dtidesk frameworks check FILE``). A
framework with any error is not returned for use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path as FsPath
from typing import Any

from scoring.findings import Severity
from scoring.model import (
    NO_NA_KINDS,
    NUMERIC_TYPES,
    PART_KINDS,
    RULE_KINDS,
    Band,
    CappedCount,
    Choice,
    Constraint,
    ContactBlock,
    Field,
    Framework,
    GatedTiers,
    Group,
    Growth,
    Indicator,
    InputSpec,
    InputType,
    MinMax,
    Option,
    Part,
    PartRule,
    Ratio,
    RatioTarget,
    ReportTable,
    Rule,
    Steps,
    SumOfParts,
    YesNo,
    rule_inputs,
)

from .problems import FrameworkError, Problem
from .yamlsource import MAX_FRAMEWORK_BYTES, Path, YamlSource, YamlSyntaxError, parse_yaml

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NAME_RE = re.compile(r"^[a-z0-9_]+$")
CODE_RE = re.compile(r"^[0-9]+(\.[0-9]+)*$")
LEVELS = ("so", "quan", "don-vi")

TOP_KEYS = {
    "id", "version", "title", "legal_basis", "level", "total", "source", "notes",
    "indicators_from", "general_info", "contacts", "report_table", "narratives", "constraints",
    "groups", "indicators",
}  # fmt: skip
GROUP_KEYS = {"code", "title", "max", "indicator_count", "notes"}
INDICATOR_KEYS = {
    "code", "group", "title", "max", "scoring_text", "inputs", "rule", "constraints", "evidence",
    "allow_na", "na_hint", "notes", "source_title",
}  # fmt: skip
INPUT_KEYS = {"name", "label", "type", "options", "note", "plausible_max"}
FIELD_KEYS = {"name", "label", "type", "required", "evidence", "no", "note", "options", "plausible_max"}
OPTION_KEYS = {"label", "fraction"}
BAND_KEYS = {"from", "from_inclusive", "to", "to_inclusive", "fraction"}
RULE_KEYS: dict[str, set[str]] = {
    "ratio": {"numerator", "denominator"},
    "ratio_target": {"numerator", "denominator", "target"},
    "steps": {"numerator", "denominator", "bands"},
    "yes_no": {"input"},
    "choice": {"input"},
    "gated_tiers": {"gate", "value", "bands"},
    "sum_of_parts": {"parts"},
    "min_max": {"numerator", "denominator"},
    "growth": {"current", "previous", "target"},
    "capped_count": {"input", "points_each"},
}
OPTIONAL_RULE_KEYS = {"min_max": {"denominator"}}

#: Resolves ``indicators_from: <id>`` to a loaded framework (or None when unknown).
Resolver = Callable[[str], Framework | None]


class _Loc:
    """A place in the file: the raw data path (for line numbers) and a readable path."""

    __slots__ = ("raw", "text")

    def __init__(self, raw: Path = (), text: str = "") -> None:
        self.raw = raw
        self.text = text

    def key(self, name: str) -> _Loc:
        return _Loc((*self.raw, name), f"{self.text}.{name}" if self.text else name)

    def item(self, index: int, label: str | None = None) -> _Loc:
        shown = label if label else str(index)
        return _Loc((*self.raw, index), f"{self.text}[{shown}]")


class _Checker:
    def __init__(self, source: YamlSource, file: str) -> None:
        self.source = source
        self.file = file
        self.problems: list[Problem] = []

    # -- reporting ------------------------------------------------------------------------------
    def report(self, loc: _Loc, code: str, vi: str, en: str, severity: Severity = Severity.ERROR) -> None:
        pos = self.source.position(loc.raw)
        self.problems.append(
            Problem(
                code=code,
                severity=severity,
                path=loc.text,
                message_vi=vi,
                message_en=en,
                file=self.file,
                line=pos[0] if pos else None,
                column=pos[1] if pos else None,
            )
        )

    def warn(self, loc: _Loc, code: str, vi: str, en: str) -> None:
        self.report(loc, code, vi, en, Severity.WARNING)

    # -- typed getters --------------------------------------------------------------------------
    def mapping(self, value: Any, loc: _Loc, what: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.report(loc, "wrong-type", f"{what} phải là một bảng khóa: giá trị.",
                    f"{what} must be a mapping.")  # fmt: skip
        return None

    def seq(self, value: Any, loc: _Loc, what: str) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.report(loc, "wrong-type", f"{what} phải là một danh sách.", f"{what} must be a list.")
        return []

    def known_keys(self, data: dict[str, Any], allowed: set[str], loc: _Loc) -> None:
        for key in data:
            if key not in allowed:
                self.report(
                    loc.key(str(key)), "unknown-field",
                    f"Khóa không hợp lệ '{key}' (có thể gõ sai). Các khóa hợp lệ: {', '.join(sorted(allowed))}.",
                    f"Unknown key '{key}' (a typo?). Allowed: {', '.join(sorted(allowed))}.",
                )  # fmt: skip

    def text(self, data: dict[str, Any], key: str, loc: _Loc, required: bool = True) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.report(loc.key(key), "missing-field", f"Thiếu '{key}'.", f"'{key}' is missing.")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(loc.key(key), "wrong-type", f"'{key}' phải là chuỗi ký tự.",
                        f"'{key}' must be text.")  # fmt: skip
            return ""
        if isinstance(value, int | float):  # keep "1.10" as written, not YAML's number 1.1
            return self.source.scalars.get(loc.key(key).raw, str(value))
        return value.strip()

    def code(self, data: dict[str, Any], key: str, loc: _Loc) -> str:
        value = data.get(key)
        if value is None:
            self.report(loc.key(key), "missing-field", f"Thiếu '{key}'.", f"'{key}' is missing.")
            return ""
        if isinstance(value, float):
            value = self.source.scalars.get(loc.key(key).raw, str(value))
            self.report(
                loc.key(key), "code-not-text",
                f"Mã '{value}' phải đặt trong dấu nháy (\"{value}\"): không có nháy, YAML đọc 1.10 thành số 1.1.",
                f"Code '{value}' must be quoted (\"{value}\"): unquoted, YAML reads 1.10 as the number 1.1.",
            )  # fmt: skip
            return str(value)
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.report(loc.key(key), "wrong-type", f"'{key}' phải là chuỗi ký tự.",
                        f"'{key}' must be text.")  # fmt: skip
            return ""
        code = str(value).strip()
        if not CODE_RE.match(code):
            self.report(loc.key(key), "invalid-code",
                        f"Mã '{code}' không hợp lệ: chỉ gồm số và dấu chấm (vd. 1.2).",
                        f"Code '{code}' is invalid: digits and dots only (e.g. 1.2).")  # fmt: skip
        return code

    def boolean(self, data: dict[str, Any], key: str, loc: _Loc, default: bool) -> bool:
        value = data.get(key, default)
        if isinstance(value, bool):
            return value
        self.report(loc.key(key), "wrong-type", f"'{key}' phải là true hoặc false.",
                    f"'{key}' must be true or false.")  # fmt: skip
        return default

    def number(
        self, value: Any, loc: _Loc, what: str, *, low: Fraction | None = None,
        high: Fraction | None = None, low_open: bool = False, code: str = "out-of-range",
    ) -> Fraction | None:  # fmt: skip
        parsed = parse_number(value)
        if parsed is None:
            self.report(loc, "invalid-number",
                        f"{what}: '{value}' không phải là số (viết 0.5, \"1/2\" hoặc \"50%\").",
                        f"{what}: '{value}' is not a number (write 0.5, \"1/2\" or \"50%\").")  # fmt: skip
            return None
        too_low = low is not None and (parsed < low or (low_open and parsed == low))
        too_high = high is not None and parsed > high
        if too_low or too_high:
            lo = "" if low is None else f"{'>' if low_open else '≥'} {_show(low)}"
            hi = "" if high is None else f"≤ {_show(high)}"
            rng = " và ".join(x for x in (lo, hi) if x)
            rng_en = " and ".join(x for x in (lo, hi) if x)
            self.report(loc, code, f"{what} = {_show(parsed)} nằm ngoài khoảng cho phép ({rng}).",
                        f"{what} = {_show(parsed)} is out of range ({rng_en}).")  # fmt: skip
        return parsed

    def name(self, data: dict[str, Any], key: str, loc: _Loc) -> str:
        value = self.text(data, key, loc)
        if value and not NAME_RE.match(value):
            self.report(loc.key(key), "invalid-name",
                        f"Tên '{value}' không hợp lệ: chỉ dùng chữ thường không dấu, số và '_'.",
                        f"Name '{value}' is invalid: lowercase ASCII letters, digits and '_' only.")  # fmt: skip
        return value

    def input_type(self, data: dict[str, Any], loc: _Loc) -> InputType:
        raw = data.get("type")
        if raw is None:
            self.report(loc.key("type"), "missing-field", "Thiếu 'type'.", "'type' is missing.")
            return InputType.TEXT
        try:
            return InputType(str(raw))
        except ValueError:
            allowed = ", ".join(t.value for t in InputType)
            self.report(loc.key("type"), "unknown-input-type",
                        f"Kiểu '{raw}' không hợp lệ. Kiểu hợp lệ: {allowed}.",
                        f"Unknown type '{raw}'. Allowed: {allowed}.")  # fmt: skip
            return InputType.TEXT

    def options(self, data: dict[str, Any], loc: _Loc, kind: InputType) -> tuple[Option, ...]:
        raw = data.get("options")
        if kind is not InputType.CHOICE:
            if raw is not None:
                self.report(loc.key("options"), "options-without-choice",
                            "Chỉ kiểu 'choice' mới có 'options'.",
                            "Only a 'choice' input has 'options'.")  # fmt: skip
            return ()
        items = self.seq(raw, loc.key("options"), "options")
        if not items:
            self.report(loc.key("options"), "choice-without-options",
                        "Lựa chọn không có phương án nào ('options').",
                        "A choice input has no options.")  # fmt: skip
        out: list[Option] = []
        seen: set[str] = set()
        for i, item in enumerate(items):
            oloc = loc.key("options").item(i)
            opt = self.mapping(item, oloc, "Phương án")
            if opt is None:
                continue
            self.known_keys(opt, OPTION_KEYS, oloc)
            label = self.text(opt, "label", oloc)
            if label in seen:
                self.report(oloc.key("label"), "duplicate-option",
                            f"Phương án '{label}' lặp lại.", f"Option '{label}' is repeated.")  # fmt: skip
            seen.add(label)
            if "fraction" not in opt:
                self.report(oloc.key("fraction"), "option-without-fraction",
                            f"Phương án '{label}' thiếu tỷ lệ điểm ('fraction').",
                            f"Option '{label}' has no fraction.")  # fmt: skip
                continue
            frac = self.number(opt["fraction"], oloc.key("fraction"), "fraction",
                               low=Fraction(0), high=Fraction(1), code="fraction-out-of-range")  # fmt: skip
            out.append(Option(label, frac if frac is not None else Fraction(0)))
        return tuple(out)

    def plausible_max(self, data: dict[str, Any], loc: _Loc, kind: InputType) -> Fraction | None:
        """An input's own bound above which a figure is warned about as implausible (issue 17)."""
        if "plausible_max" not in data:
            return None
        if kind not in (InputType.COUNT, InputType.NUMBER):
            self.report(loc.key("plausible_max"), "plausible-max-not-numeric",
                        "Chỉ biến kiểu 'count' hoặc 'number' mới có 'plausible_max' (tỷ lệ đã giới hạn 100%).",
                        "Only a 'count' or 'number' input has 'plausible_max' (a rate is bounded by 100%).")  # fmt: skip
            return None
        return self.number(data["plausible_max"], loc.key("plausible_max"), "plausible_max", low=Fraction(0),
                           low_open=True, code="plausible-max-out-of-range")  # fmt: skip

    def field(self, item: Any, loc: _Loc) -> Field | None:
        data = self.mapping(item, loc, "Trường thông tin")
        if data is None:
            return None
        self.known_keys(data, FIELD_KEYS, loc)
        kind = self.input_type(data, loc)
        return Field(
            name=self.name(data, "name", loc),
            label=self.text(data, "label", loc),
            type=kind,
            required=self.boolean(data, "required", loc, False),
            evidence=self.boolean(data, "evidence", loc, False),
            no=self.text(data, "no", loc, required=False),
            note=self.text(data, "note", loc, required=False),
            options=self.options(data, loc, kind),
            plausible_max=self.plausible_max(data, loc, kind),
        )

    def notes(self, data: dict[str, Any], loc: _Loc) -> tuple[str, ...]:
        out: list[str] = []
        for i, note in enumerate(self.seq(data.get("notes"), loc.key("notes"), "notes")):
            if not isinstance(note, str) or not note.strip():
                self.report(loc.key("notes").item(i), "wrong-type", "Ghi chú phải là chuỗi ký tự.",
                            "A note must be text.")  # fmt: skip
            else:
                out.append(note.strip())
        return tuple(out)

    def constraint(self, value: Any, loc: _Loc, names: set[str]) -> Constraint | None:
        if not isinstance(value, str):
            self.report(loc, "bad-constraint", "Ràng buộc phải là chuỗi dạng \"a + b <= c\".",
                        "A constraint must be a string like \"a + b <= c\".")  # fmt: skip
            return None
        parsed = parse_constraint(value)
        if parsed is None:
            self.report(loc, "bad-constraint",
                        f"Không hiểu ràng buộc '{value}': viết dạng \"a + b <= c\".",
                        f"Cannot parse constraint '{value}': write it like \"a + b <= c\".")  # fmt: skip
            return None
        for ref in (*parsed.part, *parsed.whole):
            if ref not in names:
                self.report(loc, "unknown-input",
                            f"Ràng buộc '{value}' nhắc đến '{ref}' nhưng không có biến nào tên như vậy.",
                            f"Constraint '{value}' names '{ref}', which does not exist.")  # fmt: skip
        return parsed


def _show(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}"


def parse_number(value: Any) -> Fraction | None:
    """Read 3, 0.8, "1/2", "80%", "0,5" exactly; None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Fraction(repr(value))  # the decimal the author wrote, not the binary float
    if not isinstance(value, str):
        return None
    text = value.strip().replace(",", ".")
    scale = Fraction(1)
    if text.endswith("%"):
        text, scale = text[:-1].strip(), Fraction(1, 100)
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            return Fraction(Fraction(num.strip()), Fraction(den.strip())) * scale
        return Fraction(text) * scale
    except (ValueError, ZeroDivisionError):
        return None


_TERM = r"[a-z0-9_]+"
_SIDE = rf"{_TERM}(?:\s*\+\s*{_TERM})*"
CONSTRAINT_RE = re.compile(rf"^\s*({_SIDE})\s*(<=|≤)\s*({_SIDE})\s*$")


def parse_constraint(text: str) -> Constraint | None:
    match = CONSTRAINT_RE.match(text)
    if not match:
        return None
    part = tuple(t.strip() for t in match.group(1).split("+"))
    whole = tuple(t.strip() for t in match.group(3).split("+"))
    return Constraint(part, whole)


# --- rules -------------------------------------------------------------------------------------


def _names(ck: _Checker, data: dict[str, Any], key: str, loc: _Loc, inputs: dict[str, InputSpec],
           numeric: bool = True, required: bool = True) -> tuple[str, ...]:  # fmt: skip
    raw = data.get(key)
    if raw is None:
        if required:
            ck.report(loc.key(key), "missing-field", f"Quy tắc thiếu '{key}'.",
                      f"The rule lacks '{key}'.")  # fmt: skip
        return ()
    items = [raw] if isinstance(raw, str) else ck.seq(raw, loc.key(key), key)
    if required and not items:
        ck.report(loc.key(key), "missing-field", f"'{key}' không được để trống.",
                  f"'{key}' must not be empty.")  # fmt: skip
    out: list[str] = []
    for i, name in enumerate(items):
        iloc = loc.key(key) if isinstance(raw, str) else loc.key(key).item(i)
        out.append(_ref(ck, name, iloc, inputs, numeric_types=NUMERIC_TYPES if numeric else None))
    return tuple(n for n in out if n)


def _ref(ck: _Checker, name: Any, loc: _Loc, inputs: dict[str, InputSpec],
         numeric_types: Iterable[InputType] | None = None) -> str:  # fmt: skip
    if not isinstance(name, str) or not name:
        ck.report(loc, "wrong-type", "Tên biến phải là chuỗi (vd. a).",
                  "An input name must be text (e.g. a).")  # fmt: skip
        return ""
    spec = inputs.get(name)
    if spec is None:
        known = ", ".join(inputs) or "(không có)"
        ck.report(loc, "unknown-input",
                  f"Quy tắc dùng biến '{name}' nhưng chỉ số không có biến này (có: {known}).",
                  f"The rule names input '{name}', which the indicator does not have (has: {known}).")  # fmt: skip
        return name
    if numeric_types is not None and spec.type not in set(numeric_types):
        allowed = "/".join(t.value for t in numeric_types)
        ck.report(loc, "input-wrong-type",
                  f"Biến '{name}' có kiểu '{spec.type.value}', quy tắc này cần kiểu {allowed}.",
                  f"Input '{name}' is of type '{spec.type.value}'; this rule needs {allowed}.")  # fmt: skip
    return name


def _single(ck: _Checker, data: dict[str, Any], key: str, loc: _Loc, inputs: dict[str, InputSpec],
            types: Iterable[InputType]) -> str:  # fmt: skip
    if key not in data:
        ck.report(loc.key(key), "missing-field", f"Quy tắc thiếu '{key}'.",
                  f"The rule lacks '{key}'.")  # fmt: skip
        return ""
    return _ref(ck, data[key], loc.key(key), inputs, numeric_types=tuple(types))


def _bands(ck: _Checker, data: dict[str, Any], loc: _Loc) -> tuple[Band, ...]:
    bloc = loc.key("bands")
    items = ck.seq(data.get("bands"), bloc, "bands")
    if not items:
        ck.report(bloc, "missing-field", "Quy tắc bậc thang thiếu 'bands'.",
                  "A steps rule needs 'bands'.")  # fmt: skip
        return ()
    bands: list[tuple[Band, _Loc]] = []
    for i, item in enumerate(items):
        iloc = bloc.item(i)
        raw = ck.mapping(item, iloc, "Bậc")
        if raw is None:
            continue
        ck.known_keys(raw, BAND_KEYS, iloc)
        lower = ck.number(raw["from"], iloc.key("from"), "from", low=Fraction(0)) if "from" in raw else None
        upper = ck.number(raw["to"], iloc.key("to"), "to", low=Fraction(0)) if "to" in raw else None
        if "fraction" not in raw:
            ck.report(iloc.key("fraction"), "missing-field", "Bậc thiếu 'fraction'.",
                      "A band lacks 'fraction'.")  # fmt: skip
        frac = ck.number(raw.get("fraction", 0), iloc.key("fraction"), "fraction",
                         low=Fraction(0), high=Fraction(1), code="fraction-out-of-range")  # fmt: skip
        band = Band(
            lower=lower,
            lower_inclusive=ck.boolean(raw, "from_inclusive", iloc, True),
            upper=upper,
            upper_inclusive=ck.boolean(raw, "to_inclusive", iloc, True),
            fraction=frac if frac is not None else Fraction(0),
        )
        lo = band.lower or Fraction(0)
        if band.upper is not None and (
            band.upper < lo or (band.upper == lo and not (band.lower_inclusive and band.upper_inclusive))
        ):
            ck.report(iloc, "thresholds-not-ordered",
                      f"Bậc {band.describe()}: cận dưới phải nhỏ hơn cận trên.",
                      f"Band {band.describe()}: the lower bound must be below the upper bound.")  # fmt: skip
            continue
        bands.append((band, iloc))
    _check_band_cover(ck, bands, bloc)
    return tuple(b for b, _ in bands)


def _check_band_cover(ck: _Checker, bands: list[tuple[Band, _Loc]], loc: _Loc) -> None:
    """Bands must not overlap and must cover [0, ∞): every value gets exactly one fraction."""
    ordered = sorted(bands, key=lambda b: (b[0].lower or Fraction(0), not b[0].lower_inclusive))
    # where the covered range currently ends: (value, included?)
    end: tuple[Fraction, bool] | None = None
    for band, bloc in ordered:
        lo = band.lower or Fraction(0)
        if end is None:
            if lo > 0 or not band.lower_inclusive:
                ck.report(bloc, "thresholds-gap",
                          f"Các bậc không bao phủ giá trị từ 0 (bậc đầu tiên là {band.describe()}).",
                          f"The bands leave values from 0 uncovered (first band is {band.describe()}).")  # fmt: skip
        else:
            end_value, end_included = end
            if lo < end_value or (lo == end_value and end_included and band.lower_inclusive):
                ck.report(bloc, "thresholds-overlap",
                          f"Bậc {band.describe()} chồng lên bậc trước: một giá trị có hai mức điểm.",
                          f"Band {band.describe()} overlaps the previous one: a value gets two scores.")  # fmt: skip
            elif lo > end_value or (not end_included and not band.lower_inclusive):
                ck.report(bloc, "thresholds-gap",
                          f"Có khoảng trống trước bậc {band.describe()}: giá trị ở đó không có mức điểm.",
                          f"There is a gap before band {band.describe()}: values there get no score.")  # fmt: skip
        if band.upper is None:
            end = None
            if band is not ordered[-1][0]:
                ck.report(ordered[-1][1], "thresholds-overlap",
                          "Có bậc nằm sau một bậc không giới hạn trên.",
                          "A band follows one that has no upper bound.")  # fmt: skip
            return
        end = (band.upper, band.upper_inclusive)
    if ordered:
        ck.report(ordered[-1][1], "thresholds-gap",
                  "Bậc cao nhất có giới hạn trên: giá trị lớn hơn không có mức điểm (bỏ 'to' ở bậc cao nhất).",
                  "The highest band has an upper bound: larger values get no score (drop its 'to').")  # fmt: skip


def _rule(ck: _Checker, raw: Any, loc: _Loc, inputs: dict[str, InputSpec], part: bool = False) -> Rule | None:
    data = ck.mapping(raw, loc, "Quy tắc")
    if data is None:
        return None
    kind = data.get("kind")
    allowed_kinds = PART_KINDS if part else RULE_KINDS
    if kind not in allowed_kinds:
        if kind is None:
            ck.report(loc.key("kind"), "missing-field", "Quy tắc thiếu 'kind'.", "The rule lacks 'kind'.")
        else:
            ck.report(loc.key("kind"), "unknown-rule-kind",
                      f"Loại quy tắc '{kind}' không hợp lệ ở đây. Hợp lệ: {', '.join(allowed_kinds)}.",
                      f"Rule kind '{kind}' is not valid here. Allowed: {', '.join(allowed_kinds)}.")  # fmt: skip
        return None
    ck.known_keys(data, RULE_KEYS[kind] | {"kind"}, loc)
    num_types = NUMERIC_TYPES
    match kind:
        case "ratio":
            return Ratio(_names(ck, data, "numerator", loc, inputs), _names(ck, data, "denominator", loc, inputs))
        case "ratio_target":
            target = ck.number(data.get("target"), loc.key("target"), "target", low=Fraction(0),
                               high=Fraction(1), low_open=True) if "target" in data else None  # fmt: skip
            if "target" not in data:
                ck.report(loc.key("target"), "missing-field", "Quy tắc thiếu 'target'.",
                          "The rule lacks 'target'.")  # fmt: skip
            return RatioTarget(_names(ck, data, "numerator", loc, inputs),
                               _names(ck, data, "denominator", loc, inputs), target or Fraction(1))  # fmt: skip
        case "steps":
            return Steps(_names(ck, data, "numerator", loc, inputs),
                         _names(ck, data, "denominator", loc, inputs), _bands(ck, data, loc))  # fmt: skip
        case "yes_no":
            return YesNo(_single(ck, data, "input", loc, inputs, (InputType.YESNO,)))
        case "choice":
            return Choice(_single(ck, data, "input", loc, inputs, (InputType.CHOICE,)))
        case "gated_tiers":
            return GatedTiers(_single(ck, data, "gate", loc, inputs, (InputType.YESNO,)),
                              _single(ck, data, "value", loc, inputs, num_types), _bands(ck, data, loc))  # fmt: skip
        case "sum_of_parts":
            parts: list[Part] = []
            ploc = loc.key("parts")
            items = ck.seq(data.get("parts"), ploc, "parts")
            if not items:
                ck.report(ploc, "missing-field", "Quy tắc tổng thành phần thiếu 'parts'.",
                          "A sum_of_parts rule needs 'parts'.")  # fmt: skip
            for i, item in enumerate(items):
                iloc = ploc.item(i)
                pdata = ck.mapping(item, iloc, "Thành phần")
                if pdata is None:
                    continue
                ck.known_keys(pdata, {"weight", "rule"}, iloc)
                weight = ck.number(pdata.get("weight"), iloc.key("weight"), "weight", low=Fraction(0),
                                   high=Fraction(1), code="fraction-out-of-range")  # fmt: skip
                sub = _rule(ck, pdata.get("rule"), iloc.key("rule"), inputs, part=True)
                if weight is not None and sub is not None:
                    parts.append(Part(weight, _as_part(sub)))
            total = sum((p.weight for p in parts), Fraction(0))
            if parts and len(parts) == len(items) and total != 1:
                ck.report(ploc, "weights-not-one",
                          f"Tổng trọng số các thành phần là {_show(total)}, phải bằng 1.",
                          f"The part weights add up to {_show(total)}; they must add up to 1.")  # fmt: skip
            return SumOfParts(tuple(parts))
        case "min_max":
            return MinMax(_names(ck, data, "numerator", loc, inputs),
                          _names(ck, data, "denominator", loc, inputs, required=False))  # fmt: skip
        case "growth":
            target = ck.number(data.get("target"), loc.key("target"), "target", low=Fraction(0),
                               low_open=True) if "target" in data else None  # fmt: skip
            if "target" not in data:
                ck.report(loc.key("target"), "missing-field", "Quy tắc thiếu 'target'.",
                          "The rule lacks 'target'.")  # fmt: skip
            return Growth(_single(ck, data, "current", loc, inputs, num_types),
                          _single(ck, data, "previous", loc, inputs, num_types), target or Fraction(1, 10))  # fmt: skip
        case "capped_count":
            each = ck.number(data.get("points_each"), loc.key("points_each"), "points_each",
                             low=Fraction(0), low_open=True) if "points_each" in data else None  # fmt: skip
            if "points_each" not in data:
                ck.report(loc.key("points_each"), "missing-field", "Quy tắc thiếu 'points_each'.",
                          "The rule lacks 'points_each'.")  # fmt: skip
            return CappedCount(_single(ck, data, "input", loc, inputs, num_types), each or Fraction(1))
    return None  # pragma: no cover - every kind is matched above


def _as_part(rule: Rule) -> PartRule:
    assert isinstance(rule, Ratio | RatioTarget | Steps | YesNo)
    return rule


# --- indicators, groups, framework -------------------------------------------------------------


def _indicator(ck: _Checker, raw: dict[str, Any], loc: _Loc, max_points: Fraction) -> Indicator | None:
    ck.known_keys(raw, INDICATOR_KEYS, loc)
    code = ck.code(raw, "code", loc)
    group = ck.code(raw, "group", loc)
    if code and group and not code.startswith(group + "."):
        ck.report(loc.key("group"), "code-group-mismatch",
                  f"Mã chỉ số {code} không bắt đầu bằng mã nhóm {group}.",
                  f"Indicator code {code} does not start with its group code {group}.")  # fmt: skip
    inputs: dict[str, InputSpec] = {}
    iloc = loc.key("inputs")
    raw_inputs = ck.seq(raw.get("inputs"), iloc, "inputs")
    if not raw_inputs:
        ck.report(iloc, "missing-field", "Chỉ số không có biến nhập nào ('inputs').",
                  "The indicator has no inputs.")  # fmt: skip
    for i, item in enumerate(raw_inputs):
        label = item.get("name") if isinstance(item, dict) else None
        vloc = iloc.item(i, label if isinstance(label, str) else None)
        data = ck.mapping(item, vloc, "Biến nhập")
        if data is None:
            continue
        ck.known_keys(data, INPUT_KEYS, vloc)
        name = ck.name(data, "name", vloc)
        kind = ck.input_type(data, vloc)
        spec = InputSpec(name, ck.text(data, "label", vloc), kind, ck.options(data, vloc, kind),
                         ck.plausible_max(data, vloc, kind))  # fmt: skip
        if name in inputs:
            ck.report(vloc.key("name"), "duplicate-input", f"Biến '{name}' lặp lại trong chỉ số {code}.",
                      f"Input '{name}' is repeated in indicator {code}.")  # fmt: skip
        elif name:
            inputs[name] = spec
    rule = _rule(ck, raw.get("rule"), loc.key("rule"), inputs) if "rule" in raw else None
    if "rule" not in raw:
        ck.report(loc.key("rule"), "missing-field", "Chỉ số thiếu quy tắc tính điểm ('rule').",
                  "The indicator has no scoring rule.")  # fmt: skip
    constraints = tuple(
        c for i, item in enumerate(ck.seq(raw.get("constraints"), loc.key("constraints"), "constraints"))
        if (c := ck.constraint(item, loc.key("constraints").item(i), set(inputs))) is not None
    )  # fmt: skip
    allow_na = ck.boolean(raw, "allow_na", loc, False)
    na_hint = ck.text(raw, "na_hint", loc, required=False)
    if rule is not None:
        if allow_na and rule.kind in NO_NA_KINDS:
            ck.report(loc.key("allow_na"), "na-not-allowed-for-rule",
                      f"Quy tắc '{rule.kind}' không thể 'không áp dụng' (điểm tương đối hoặc đếm hoạt động).",
                      f"A '{rule.kind}' rule cannot be 'not applicable' (relative score or activity count).")  # fmt: skip
        used = set(rule_inputs(rule)) | {n for c in constraints for n in (*c.part, *c.whole)}
        for name, spec in inputs.items():
            if name not in used:
                ck.warn(iloc.item(list(inputs).index(name), name), "unused-input",
                        f"Biến '{name}' ({spec.label}) không được quy tắc nào dùng.",
                        f"Input '{name}' ({spec.label}) is not used by the rule.")  # fmt: skip
    if allow_na and not na_hint:
        ck.warn(loc.key("allow_na"), "na-without-hint",
                "Cho phép 'không áp dụng' nhưng không nói khi nào ('na_hint').",
                "'Not applicable' is allowed but 'na_hint' does not say when.")  # fmt: skip
    title = ck.text(raw, "title", loc)
    scoring_text = ck.text(raw, "scoring_text", loc)
    evidence = ck.boolean(raw, "evidence", loc, True)
    notes = ck.notes(raw, loc)
    source_title = ck.text(raw, "source_title", loc, required=False)
    if source_title and not notes:
        ck.report(loc.key("source_title"), "correction-without-note",
                  "Tên chỉ số đã sửa so với nguồn nhưng không có ghi chú giải thích ('notes').",
                  "The title differs from the source but no note explains why.")  # fmt: skip
    if rule is None or not code:
        return None
    return Indicator(
        code=code, group=group, title=title, max=max_points, scoring_text=scoring_text,
        inputs=tuple(inputs.values()), rule=rule, constraints=constraints, evidence=evidence,
        allow_na=allow_na, na_hint=na_hint, notes=notes, source_title=source_title,
    )  # fmt: skip


def _groups_and_indicators(ck: _Checker, data: dict[str, Any], root: _Loc, total: Fraction | None
                           ) -> tuple[tuple[Group, ...], tuple[Indicator, ...]]:  # fmt: skip
    groups: dict[str, Group] = {}
    gloc_root = root.key("groups")
    raw_groups = ck.seq(data.get("groups"), gloc_root, "groups")
    if not raw_groups:
        ck.report(gloc_root, "missing-field", "Bộ chỉ số không có nhóm nào ('groups').",
                  "The framework has no groups.")  # fmt: skip
    for i, item in enumerate(raw_groups):
        code_hint = item.get("code") if isinstance(item, dict) else None
        gloc = gloc_root.item(i, str(code_hint) if code_hint is not None else None)
        g = ck.mapping(item, gloc, "Nhóm")
        if g is None:
            continue
        ck.known_keys(g, GROUP_KEYS, gloc)
        code = ck.code(g, "code", gloc)
        gmax = ck.number(g.get("max"), gloc.key("max"), "max", low=Fraction(0), low_open=True,
                         code="max-not-positive") if "max" in g else None  # fmt: skip
        if "max" not in g:
            ck.report(gloc.key("max"), "missing-field", "Nhóm thiếu điểm tối đa ('max').",
                      "The group lacks 'max'.")  # fmt: skip
        count = g.get("indicator_count")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
            ck.report(gloc.key("indicator_count"), "wrong-type", "'indicator_count' phải là số nguyên dương.",
                      "'indicator_count' must be a positive whole number.")  # fmt: skip
            count = None
        if code in groups:
            ck.report(gloc.key("code"), "duplicate-code", f"Mã nhóm {code} lặp lại.",
                      f"Group code {code} is repeated.")  # fmt: skip
            continue
        groups[code] = Group(code, ck.text(g, "title", gloc), gmax or Fraction(0), count)

    indicators: dict[str, Indicator] = {}
    iloc_root = root.key("indicators")
    raw_inds = ck.seq(data.get("indicators"), iloc_root, "indicators")
    if not raw_inds:
        ck.report(iloc_root, "missing-field", "Bộ chỉ số không có chỉ số thành phần nào ('indicators').",
                  "The framework has no indicators.")  # fmt: skip
    sums: dict[str, Fraction] = {}
    counts: dict[str, int] = {}
    for i, item in enumerate(raw_inds):
        code_hint = item.get("code") if isinstance(item, dict) else None
        loc = iloc_root.item(i, str(code_hint) if code_hint is not None else None)
        raw = ck.mapping(item, loc, "Chỉ số")
        if raw is None:
            continue
        if "max" not in raw:
            ck.report(loc.key("max"), "missing-field", "Chỉ số thiếu điểm tối đa ('max').",
                      "The indicator lacks 'max'.")  # fmt: skip
            imax = None
        else:
            imax = ck.number(raw["max"], loc.key("max"), "max", low=Fraction(0), low_open=True,
                             code="max-not-positive")  # fmt: skip
        ind = _indicator(ck, raw, loc, imax or Fraction(0))
        if ind is None:
            continue
        if ind.code in indicators:
            ck.report(loc.key("code"), "duplicate-code", f"Mã chỉ số {ind.code} lặp lại.",
                      f"Indicator code {ind.code} is repeated.")  # fmt: skip
            continue
        if ind.group not in groups:
            ck.report(loc.key("group"), "unknown-group",
                      f"Chỉ số {ind.code} thuộc nhóm {ind.group} nhưng không có nhóm này trong 'groups'.",
                      f"Indicator {ind.code} belongs to group {ind.group}, which is not in 'groups'.")  # fmt: skip
        indicators[ind.code] = ind
        sums[ind.group] = sums.get(ind.group, Fraction(0)) + ind.max
        counts[ind.group] = counts.get(ind.group, 0) + 1

    for i, group in enumerate(groups.values()):
        gloc = gloc_root.item(i, group.code)
        got = sums.get(group.code, Fraction(0))
        if got != group.max:
            ck.report(gloc.key("max"), "group-total-mismatch",
                      f"Nhóm {group.code} ({group.title}) khai báo {_show(group.max)} điểm nhưng các chỉ số "
                      f"thành phần cộng lại {_show(got)} điểm.",
                      f"Group {group.code} declares {_show(group.max)} points but its indicators add up "
                      f"to {_show(got)}.")  # fmt: skip
        if group.indicator_count is not None and counts.get(group.code, 0) != group.indicator_count:
            ck.report(gloc.key("indicator_count"), "group-count-mismatch",
                      f"Nhóm {group.code} khai báo {group.indicator_count} chỉ số thành phần nhưng có "
                      f"{counts.get(group.code, 0)}.",
                      f"Group {group.code} declares {group.indicator_count} indicators but has "
                      f"{counts.get(group.code, 0)}.")  # fmt: skip
    group_sum = sum((g.max for g in groups.values()), Fraction(0))
    if total is not None and groups and group_sum != total:
        ck.report(root.key("total"), "total-mismatch",
                  f"Tổng điểm khai báo {_show(total)} khác tổng điểm các nhóm {_show(group_sum)}.",
                  f"The declared total {_show(total)} differs from the sum of the groups {_show(group_sum)}.")  # fmt: skip
    return tuple(groups.values()), tuple(indicators.values())


def build_framework(source: YamlSource, file: str = "", resolve: Resolver | None = None
                    ) -> tuple[Framework | None, list[Problem]]:  # fmt: skip
    """Check the parsed file and build the framework; the framework is None when any error exists."""
    ck = _Checker(source, file)
    for path, line, col in source.duplicate_keys:
        ck.problems.append(Problem(
            "duplicate-key", Severity.ERROR, display_path(source.data, path),
            f"Khóa '{path[-1]}' xuất hiện hai lần trong cùng một mục (chỉ giữ được một).",
            f"Key '{path[-1]}' appears twice in the same mapping (only one can be kept).",
            file, line, col))  # fmt: skip
    root = _Loc()
    data = ck.mapping(source.data, root, "Tệp bộ chỉ số")
    if data is None:
        return None, ck.problems
    ck.known_keys(data, TOP_KEYS, root)
    fid = ck.text(data, "id", root)
    if fid and not ID_RE.match(fid):
        ck.report(root.key("id"), "invalid-id",
                  f"Mã bộ chỉ số '{fid}' chỉ được gồm chữ thường không dấu, số và '-'.",
                  f"Framework id '{fid}' may contain lowercase ASCII letters, digits and '-' only.")  # fmt: skip
    level = ck.text(data, "level", root)
    if level and level not in LEVELS:
        ck.report(root.key("level"), "invalid-level", f"Cấp '{level}' không hợp lệ ({', '.join(LEVELS)}).",
                  f"Level '{level}' is invalid ({', '.join(LEVELS)}).")  # fmt: skip
    total = ck.number(data.get("total"), root.key("total"), "total", low=Fraction(0), low_open=True,
                      code="max-not-positive") if "total" in data else None  # fmt: skip
    if "total" not in data:
        ck.report(root.key("total"), "missing-field", "Thiếu tổng điểm ('total').", "'total' is missing.")

    base_from = ck.text(data, "indicators_from", root, required=False)
    if base_from:
        for key in ("groups", "indicators"):
            if key in data:
                ck.report(root.key(key), "conflicting-fields",
                          f"Đã dùng 'indicators_from' thì không khai báo '{key}'.",
                          f"With 'indicators_from', '{key}' must not be given.")  # fmt: skip
        base = resolve(base_from) if resolve else None
        if base is None:
            ck.report(root.key("indicators_from"), "unknown-framework",
                      f"Không tìm thấy bộ chỉ số '{base_from}'.", f"Framework '{base_from}' was not found.")  # fmt: skip
            groups, indicators = tuple[Group, ...](), tuple[Indicator, ...]()
        else:
            groups, indicators = base.groups, base.indicators
            if total is not None and total != base.total:
                ck.report(root.key("total"), "total-mismatch",
                          f"Tổng điểm khai báo {_show(total)} khác tổng điểm của '{base_from}' ({_show(base.total)}).",
                          f"The declared total {_show(total)} differs from '{base_from}' ({_show(base.total)}).")  # fmt: skip
    else:
        groups, indicators = _groups_and_indicators(ck, data, root, total)

    general_info = _fields(ck, data, "general_info", root)
    contacts: list[ContactBlock] = []
    cloc = root.key("contacts")
    for i, item in enumerate(ck.seq(data.get("contacts"), cloc, "contacts")):
        bloc = cloc.item(i, item.get("key") if isinstance(item, dict) else None)
        block = ck.mapping(item, bloc, "Khối liên hệ")
        if block is None:
            continue
        ck.known_keys(block, {"key", "title", "fields"}, bloc)
        contacts.append(ContactBlock(ck.name(block, "key", bloc), ck.text(block, "title", bloc),
                                     _fields(ck, block, "fields", bloc)))  # fmt: skip
    report_table = None
    if "report_table" in data:
        tloc = root.key("report_table")
        table = ck.mapping(data["report_table"], tloc, "report_table")
        if table is not None:
            ck.known_keys(table, {"title", "columns", "rows"}, tloc)
            columns = tuple(str(c) for c in ck.seq(table.get("columns"), tloc.key("columns"), "columns"))
            report_table = ReportTable(ck.text(table, "title", tloc), columns, _fields(ck, table, "rows", tloc))
    narratives = _fields(ck, data, "narratives", root)

    all_fields = [*general_info, *(f for b in contacts for f in b.fields),
                  *(report_table.rows if report_table else ()), *narratives]  # fmt: skip
    seen: set[str] = set()
    for f in all_fields:
        if f.name in seen:
            ck.report(root, "duplicate-field", f"Tên trường '{f.name}' lặp lại.",
                      f"Field name '{f.name}' is repeated.")  # fmt: skip
        seen.add(f.name)
    numeric_fields = {f.name for f in all_fields if f.type in NUMERIC_TYPES}
    constraints = tuple(
        c for i, item in enumerate(ck.seq(data.get("constraints"), root.key("constraints"), "constraints"))
        if (c := ck.constraint(item, root.key("constraints").item(i), numeric_fields)) is not None
    )  # fmt: skip
    errors = [p for p in ck.problems if p.severity is Severity.ERROR]
    if errors:
        return None, ck.problems
    framework = Framework(
        id=fid, version=ck.text(data, "version", root), title=ck.text(data, "title", root),
        legal_basis=ck.text(data, "legal_basis", root), level=level, total=total or Fraction(0),
        groups=groups, indicators=indicators, general_info=general_info, contacts=tuple(contacts),
        report_table=report_table, narratives=narratives, constraints=constraints,
        notes=ck.notes(data, root), source=_source_text(data.get("source")), indicators_from=base_from,
    )  # fmt: skip
    if any(p.severity is Severity.ERROR for p in ck.problems):  # version/title found missing just now
        return None, ck.problems
    return framework, ck.problems


def display_path(data: Any, path: Path) -> str:
    """``('indicators', 0, 'max')`` → ``indicators[1.1].max``, as the checker shows paths."""
    loc = _Loc()
    node = data
    for step in path:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            label = None
            if isinstance(item, dict):
                label = next((str(item[k]) for k in ("code", "name", "key") if k in item), None)
            loc = loc.item(step, label)
            node = item
        else:
            loc = loc.key(step)
            node = node.get(step) if isinstance(node, dict) else None
    return loc.text


def _fields(ck: _Checker, data: dict[str, Any], key: str, loc: _Loc) -> tuple[Field, ...]:
    out: list[Field] = []
    floc = loc.key(key)
    for i, item in enumerate(ck.seq(data.get(key), floc, key)):
        name = item.get("name") if isinstance(item, dict) else None
        f = ck.field(item, floc.item(i, name if isinstance(name, str) else None))
        if f is not None:
            out.append(f)
    return tuple(out)


def _source_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return "" if value is None else str(value)


def check_text(text: str, file: str = "", resolve: Resolver | None = None
               ) -> tuple[Framework | None, list[Problem]]:  # fmt: skip
    try:
        source = parse_yaml(text)
    except YamlSyntaxError as exc:
        return None, [Problem("yaml-syntax", Severity.ERROR, "",
                              f"Tệp không đúng cú pháp YAML: {exc}.", f"The file is not valid YAML: {exc}.",
                              file, exc.line, exc.column)]  # fmt: skip
    return build_framework(source, file, resolve)


def check_file(path: FsPath, resolve: Resolver | None = None) -> tuple[Framework | None, list[Problem]]:
    """Load and check one framework file; never raises for a bad file, only reports."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FRAMEWORK_BYTES:
            return None, [Problem("file-too-large", Severity.ERROR, "",
                                  f"Tệp quá lớn ({size} byte) để là một bộ chỉ số.",
                                  f"The file is too large ({size} bytes) to be a framework.", name)]  # fmt: skip
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem("unreadable-file", Severity.ERROR, "", f"Không đọc được tệp: {exc.strerror}.",
                              f"Cannot read the file: {exc.strerror}.", name)]  # fmt: skip
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem("not-utf8", Severity.ERROR, "",
                              f"Tệp không phải UTF-8 (byte {exc.start}). Hãy lưu lại với mã hóa UTF-8.",
                              f"The file is not UTF-8 (byte {exc.start}). Save it as UTF-8.", name)]  # fmt: skip
    return check_text(unicodedata.normalize("NFC", text), name, resolve)


def load_file(path: FsPath, resolve: Resolver | None = None) -> Framework:
    framework, problems = check_file(path, resolve)
    if framework is None:
        raise FrameworkError(str(path), problems)
    return framework
