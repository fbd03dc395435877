"""Evidence documents (issue 23, point 2): citations, documents, signatures, checks, the workspace."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from app.demo.documents import administrative_document
from app.evidence.checks import CitedCell, check_evidence
from app.evidence.citations import parse_citations
from app.evidence.documents import read_document
from app.evidence.signatures import load_roots, pdf_signatures
from app.workbook.issues import Severity

FIXTURES = Path(__file__).parent / "fixtures"
EVIDENCE = FIXTURES / "evidence"
SIGNED = EVIDENCE / "15-QD-SVHTT_signed.pdf"
ALTERED = EVIDENCE / "15-QD-SVHTT_altered-after-signing.pdf"
UNSIGNED = EVIDENCE / "16-QD-SVHTT_unsigned.pdf"
PLAN_DOCX = EVIDENCE / "ke-hoach-chuyen-doi-so.docx"
LATE_DOCX = EVIDENCE / "cong-van-45-SVHTT-VP_dated-after-period.docx"
ROOT = (EVIDENCE / "test-root-ca.pem").read_bytes()
OTHER_ROOT = (EVIDENCE / "other-root-ca.pem").read_bytes()
Q1_END = date(2023, 3, 31)


def test_citations_number_symbol_and_date() -> None:
    cited = parse_citations("Quyết định số 15/QĐ-SVHTT ngày 10/01/2023; Kế hoạch 30 / KH - SVHTT ngày 10 tháng 2 năm "
                            "2023, Nghị định 30/2020/NĐ-CP")  # fmt: skip
    assert [(c.symbol, c.when) for c in cited] == [("15/QĐ-SVHTT", date(2023, 1, 10)),
                                                   ("30/KH-SVHTT", date(2023, 2, 10)),
                                                   ("30/2020/NĐ-CP", None)]  # fmt: skip
    assert cited[0].text == "Quyết định số 15/QĐ-SVHTT ngày 10/01/2023"
    assert parse_citations("https://thuvien.example/cds") == []
    assert parse_citations("Báo cáo nhân sự quý I") == []


def test_documents_carry_their_number_symbol_in_text_or_name() -> None:
    plan = read_document(PLAN_DOCX.name, PLAN_DOCX.read_bytes())
    assert plan.kind == "docx" and plan.problem == ""
    assert plan.mentions("30/KH-SVHTT") == "nội dung" and plan.mentions("31/KH-SVHTT") == ""
    assert plan.dates[0] == date(2023, 2, 10)
    pdf = read_document(UNSIGNED.name, UNSIGNED.read_bytes())
    assert "16/QĐ-SVHTT" in pdf.text and pdf.mentions("16/QĐ-SVHTT") == "nội dung"
    by_name = read_document("QD_15-QD-SVHTT.doc", b"\xd0\xcf\x11\xe0 old word")
    assert by_name.problem and by_name.mentions("15/QĐ-SVHTT") == "tên tệp"


def test_hostile_documents_are_kept_but_not_read() -> None:
    for name, data in (("a.pdf", b"%PDF-1.7\n garbage"), ("b.docx", b"PK\x03\x04 not a zip"), ("c.pdf", b"")):
        doc = read_document(name, data)
        assert doc.text == "" and doc.problem and doc.signatures == ()


def test_signatures_intact_altered_unsigned() -> None:
    (intact,) = pdf_signatures(SIGNED.read_bytes())
    assert intact.intact and intact.signer == "Nguyễn Văn An" and intact.when is not None
    assert intact.trusted is None and intact.covers_whole_file  # no roots supplied: nothing said about trust
    (broken,) = pdf_signatures(ALTERED.read_bytes())
    assert not broken.intact
    assert pdf_signatures(UNSIGNED.read_bytes()) == []


def test_the_chain_is_verified_only_against_supplied_roots() -> None:
    (trusted,) = pdf_signatures(SIGNED.read_bytes(), [ROOT])
    assert trusted.intact and trusted.trusted is True
    (untrusted,) = pdf_signatures(SIGNED.read_bytes(), [OTHER_ROOT])
    assert untrusted.intact and untrusted.trusted is False


def _check(text: str, files: list[Path], roots: tuple[bytes, ...] = ()) -> list[tuple[str, Severity, str]]:
    docs = [read_document(f.name, f.read_bytes(), roots) for f in files]
    cited = [CitedCell("1.4", "v_1_4_evidence", "Chỉ số", "E22", text)]
    issues = check_evidence(cited, docs, Q1_END, file="x.xlsx", unit="DV01", roots_supplied=bool(roots))
    assert all(i.name == "v_1_4_evidence" and i.cell == "E22" and i.indicator == "1.4" for i in issues)
    return [(i.code, i.severity, i.message) for i in issues]


def test_checks_on_the_indicator() -> None:
    sent = [SIGNED, UNSIGNED, PLAN_DOCX]
    codes = [c for c, _, _ in _check("Quyết định số 15/QĐ-SVHTT ngày 10/01/2023", sent)]
    assert codes == ["evidence-found", "evidence-signature-intact"]
    found = _check("Quyết định số 15/QĐ-SVHTT ngày 10/01/2023", sent)
    assert "chưa được xác minh" in found[1][2] and "Nguyễn Văn An" in found[1][2]
    codes = [c for c, _, _ in _check("Quyết định số 15/QĐ-SVHTT ngày 10/01/2023", sent, (ROOT,))]
    assert codes == ["evidence-found", "evidence-signature-verified"]
    codes = [c for c, _, _ in _check("Quyết định số 15/QĐ-SVHTT", sent, (OTHER_ROOT,))]
    assert codes == ["evidence-found", "evidence-signature-untrusted"]
    (not_sent,) = _check("Quyết định số 99/QĐ-SVHTT ngày 10/01/2023", sent)
    assert not_sent[0] == "evidence-not-sent" and not_sent[1] is Severity.WARNING and "99/QĐ-SVHTT" in not_sent[2]
    assert [c for c, _, _ in _check("Quyết định 15/QĐ-SVHTT", [ALTERED])] == ["evidence-found",
                                                                            "evidence-signature-broken"]  # fmt: skip
    assert [c for c, _, _ in _check("Quyết định 16/QĐ-SVHTT", sent)] == ["evidence-found", "evidence-unsigned"]
    assert [c for c, _, _ in _check("Kế hoạch 30/KH-SVHTT", sent)] == ["evidence-found"]  # Word: no signature asked


def test_a_date_after_the_period() -> None:
    found = _check("Công văn số 45/SVHTT-VP", [LATE_DOCX])  # the date from the document itself
    assert [c for c, _, _ in found] == ["evidence-found", "evidence-after-period"]
    assert "05/04/2023" in found[1][2] and "31/03/2023" in found[1][2] and found[1][1] is Severity.ERROR
    cited = _check("Kế hoạch 30/KH-SVHTT ngày 02/04/2023", [PLAN_DOCX])  # the date as cited
    assert [c for c, _, _ in cited] == ["evidence-found", "evidence-after-period"]


def test_no_document_sent_at_all_is_said_once() -> None:
    cited = [CitedCell("1.4", "v_1_4_evidence", "Chỉ số", "E22", "Quyết định 15/QĐ-SVHTT"),
             CitedCell("2.1", "v_2_1_evidence", "Chỉ số", "E30", "Kế hoạch 30/KH-SVHTT")]  # fmt: skip
    issues = check_evidence(cited, [], Q1_END)
    assert [i.code for i in issues] == ["evidence-none-sent"]
    assert check_evidence([CitedCell("1.4", "n", "s", "E1", "https://x.example")], [], Q1_END) == []


def test_roots_folder(tmp_path: Path) -> None:
    assert load_roots(tmp_path / "absent") == []
    shutil.copy(EVIDENCE / "test-root-ca.pem", tmp_path / "goc.pem")
    (tmp_path / "readme.txt").write_text("x")
    assert load_roots(tmp_path) == [ROOT]


def test_demo_documents_are_word_files_with_their_number() -> None:
    data = administrative_document("Thư viện", "12/QĐ-TV", date(2023, 1, 5), "Quyết định", "Về việc")
    doc = read_document("a.docx", data)
    assert doc.mentions("12/QĐ-TV") == "nội dung" and doc.dates == (date(2023, 1, 5),)
    assert data == administrative_document("Thư viện", "12/QĐ-TV", date(2023, 1, 5), "Quyết định", "Về việc")


@pytest.mark.parametrize("name", ["15_QD_SVHTT.pdf", "QĐ 15-QĐ-SVHTT ky so.pdf", "15-QD-SVHTT.pdf"])
def test_file_names_that_carry_the_number(name: str) -> None:
    assert read_document(name, b"").mentions("15/QĐ-SVHTT") == "tên tệp"
    assert read_document(name, b"").mentions("16/QĐ-SVHTT") == ""
