"""The defined-name convention of DESIGN §4: how a cell is found in a workbook a unit has touched.

Units insert rows, move blocks and rename sheets; workbook-level defined names move with the
cells, so the reader looks cells up by name, never by address. The same functions name the cells
when writing a template and find them when reading one.

- an input:        ``v_<code with dots as _>_<variable>``   ``v_1_2_a``
- per indicator:   ``v_1_2_na`` ("không áp dụng"), ``v_1_2_evidence``, ``v_1_2_note``, ``v_1_2_score``
- a field:         ``v_<field name>``                      ``v_contact_name``, ``v_pl_1``, ``v_info_1_4``
- its evidence:    ``v_<field name>_evidence``             ``v_pl_1_evidence``
- live totals:     ``v_group_<pillar>_score``, ``v_total_score``
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^0-9A-Za-z_]")


def _code(code: str) -> str:
    return _UNSAFE.sub("_", code.replace(".", "_"))


def input_name(code: str, variable: str) -> str:
    return f"v_{_code(code)}_{variable}"


def na_name(code: str) -> str:
    return f"v_{_code(code)}_na"


def evidence_name(code: str) -> str:
    return f"v_{_code(code)}_evidence"


def note_name(code: str) -> str:
    return f"v_{_code(code)}_note"


def score_name(code: str) -> str:
    return f"v_{_code(code)}_score"


def field_name(name: str) -> str:
    return f"v_{name}"


def field_evidence_name(name: str) -> str:
    return f"v_{name}_evidence"


def group_score_name(group: str) -> str:
    return f"v_group_{_code(group)}_score"


TOTAL_SCORE_NAME = "v_total_score"
