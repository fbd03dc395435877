"""Who prepared and who approved what the office sends upward — the consolidated report and the
department's own self-assessment (issue 20 point 4): always two different people.

Cần Thơ 459/STTTT asks for a preparer and an approver; a report "approved" by the person who made
it has not been checked by anyone, so the same name twice (after folding case, spacing and the
old/new tone placement: "Hoà" = "hòa") is refused before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import UserError
from app.textfold import fold


class SignOffError(UserError):
    """The preparer and the approver are missing one of the two or are the same person."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class SignOff:
    prepared_by: str
    approved_by: str


def sign_off(prepared_by: str | None, approved_by: str | None) -> SignOff | None:
    """Both names (checked), or None when neither is given (a draft report, not signed off)."""
    prepared, approved = " ".join((prepared_by or "").split()), " ".join((approved_by or "").split())
    if not prepared and not approved:
        return None
    if not prepared or not approved:
        raise SignOffError("Báo cáo cần ghi cả người lập (--prepared-by) và người phê duyệt (--approved-by), "
                           "hoặc bỏ trống cả hai nếu chỉ là bản nháp.")  # fmt: skip
    if fold(prepared) == fold(approved):
        raise SignOffError(f"Người lập và người phê duyệt báo cáo phải là hai người khác nhau (cả hai đang là "
                           f"“{prepared}”). Hãy ghi tên người phê duyệt khác người lập.")  # fmt: skip
    return SignOff(prepared, approved)


__all__ = ["SignOff", "SignOffError", "sign_off"]
