"""A framework as plain JSON-ready data (``dtidesk frameworks show --json``)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from scoring.model import (
    Band,
    Field,
    Framework,
    Indicator,
    InputSpec,
    Part,
    Rule,
)


def number(value: Fraction) -> int | float:
    """An exact integer stays an int; other fractions become the nearest float (0.5, 0.8)."""
    return value.numerator if value.denominator == 1 else float(value)


def _band(band: Band) -> dict[str, Any]:
    return {
        "from": number(band.lower) if band.lower is not None else 0,
        "from_inclusive": band.lower_inclusive,
        "to": number(band.upper) if band.upper is not None else None,
        "to_inclusive": band.upper_inclusive,
        "fraction": number(band.fraction),
    }


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": rule.kind}
    for name in rule.__slots__:
        if name == "kind":
            continue
        value = getattr(rule, name)
        if isinstance(value, Fraction):
            out[name] = number(value)
        elif name == "bands":
            out[name] = [_band(b) for b in value]
        elif name == "parts":
            out[name] = [_part(p) for p in value]
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
    return out


def _part(part: Part) -> dict[str, Any]:
    return {"weight": number(part.weight), "rule": rule_to_dict(part.rule)}


def _input(spec: InputSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"name": spec.name, "label": spec.label, "type": spec.type.value}
    if spec.options:
        out["options"] = [{"label": o.label, "fraction": number(o.fraction)} for o in spec.options]
    return out


def _field(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name, "label": f.label, "type": f.type.value}
    if f.no:
        out["no"] = f.no
    if f.required:
        out["required"] = True
    if f.evidence:
        out["evidence"] = True
    return out


def indicator_to_dict(ind: Indicator) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": ind.code,
        "group": ind.group,
        "title": ind.title,
        "max": number(ind.max),
        "scoring_text": ind.scoring_text,
        "rule": rule_to_dict(ind.rule),
        "inputs": [_input(s) for s in ind.inputs],
        "constraints": [c.text for c in ind.all_constraints],
        "evidence": ind.evidence,
        "allow_na": ind.allow_na,
    }
    if ind.na_hint:
        out["na_hint"] = ind.na_hint
    if ind.source_title:
        out["source_title"] = ind.source_title
    if ind.notes:
        out["notes"] = list(ind.notes)
    return out


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    return {
        "id": fw.id,
        "version": fw.version,
        "title": fw.title,
        "legal_basis": fw.legal_basis,
        "level": fw.level,
        "total": number(fw.total),
        "indicators_from": fw.indicators_from or None,
        "group_count": len(fw.groups),
        "indicator_count": len(fw.indicators),
        "groups": [
            {
                "code": g.code,
                "title": g.title,
                "max": number(g.max),
                "indicators": [i.code for i in fw.group_indicators(g.code)],
            }
            for g in fw.groups
        ],
        "indicators": [indicator_to_dict(i) for i in fw.indicators],
        "general_info": [_field(f) for f in fw.general_info],
        "contacts": [{"key": b.key, "title": b.title, "fields": [_field(f) for f in b.fields]} for b in fw.contacts],
        "report_table": None
        if fw.report_table is None
        else {
            "title": fw.report_table.title,
            "columns": list(fw.report_table.columns),
            "rows": [_field(f) for f in fw.report_table.rows],
        },
        "narratives": [_field(f) for f in fw.narratives],
        "constraints": [c.text for c in fw.constraints],
        "notes": list(fw.notes),
    }
