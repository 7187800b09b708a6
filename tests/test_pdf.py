"""PDF ingestion on the real UN report, the scanned report, and generated PDFs."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from fpdf import FPDF
from pdf_maker import PAGE_BREAK, make_pdf

from pipeline.ingest import pdf as pdf_module
from pipeline.ingest.pdf import load_furniture, read_pdf
from pipeline.models import InputError, Line

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
UN_REPORT = CORPUS / "un-s-1995-105.pdf"
SCANNED = CORPUS / "un-s-1995-390-scanned.pdf"
needs_corpus = pytest.mark.skipif(
    not UN_REPORT.exists() or not SCANNED.exists(),
    reason=f"shared test PDFs not found in {CORPUS} (only present beside the project checkout)",
)
FURNITURE = [
    re.compile(r"S/1995/105"),
    re.compile(r"English"),
    re.compile(r"Page \d+"),
    re.compile(r".*\d{2}-\d{5} \(E\).*"),
    re.compile(r".*/\.\.\..*"),
]
NUMBERED = re.compile(r"(\d{1,2})\. [A-Z]")


@pytest.fixture(scope="module")
def un_lines() -> tuple[Line, ...]:
    """The UN report read once for all tests that inspect its lines."""
    if not UN_REPORT.exists():
        pytest.skip(f"{UN_REPORT} not found (shared test corpus absent)")
    lines, n_pages = read_pdf(UN_REPORT.read_bytes(), str(UN_REPORT))
    assert n_pages == 8
    return lines


def _previous(lines: tuple[Line, ...], index: int) -> Line | None:
    """Return the line before lines[index] on the same page, or None at a page start."""
    if index == 0 or lines[index - 1].page != lines[index].page:
        return None
    return lines[index - 1]


@needs_corpus
def test_un_report_page_furniture_removed(un_lines):
    for line in un_lines:
        if line.page == 1 and line.text == "S/1995/105":
            continue  # the symbol in the page-1 metadata block, beside the date, is content
        assert not any(p.fullmatch(line.text) for p in FURNITURE), line


@needs_corpus
def test_un_report_every_page_has_body_text(un_lines):
    for page in range(1, 9):
        body = [ln for ln in un_lines if ln.page == page and ln.zone == "body" and ln.text]
        assert len(body) >= 10, page
    assert {ln.zone for ln in un_lines} == {"body"}  # this report has no footnotes


@needs_corpus
def test_un_report_letterhead_comes_out_once(un_lines):
    texts = [ln.text for ln in un_lines if ln.page == 1][:6]
    assert "UNITED" in texts and "NATIONS" in texts and "Security Council" in texts
    assert not any("UUNN" in ln.text or "NNAA" in ln.text for ln in un_lines)


@needs_corpus
def test_un_report_numbered_paragraphs_start_new_blocks(un_lines):
    starts = [(i, ln) for i, ln in enumerate(un_lines) if NUMBERED.match(ln.text)]
    assert [int(NUMBERED.match(ln.text).group(1)) for _, ln in starts] == list(range(1, 33))
    for i, line in starts:
        before = _previous(un_lines, i)
        # A paragraph opening a page has no blank: page joins are the cleaner's decision.
        assert before is None or before.text == "", line
    texts = [ln.text for ln in un_lines]
    assert any(t.startswith("1. The present report") for t in texts)
    assert any(t.startswith("5. It will be recalled") for t in texts)


@needs_corpus
def test_un_report_headings_are_blocks_and_lines_are_not_joined(un_lines):
    texts = [ln.text for ln in un_lines]
    i = texts.index("II. ACTIVITIES OF UNMOT")
    assert texts[i - 1] == "" and texts[i + 1] == ""
    i = texts.index("REPORT OF THE SECRETARY-GENERAL ON THE SITUATION")
    assert texts[i + 1] == "IN TAJIKISTAN"


@needs_corpus
def test_un_report_page_split_sentence_reaches_the_cleaner_unjoined(un_lines):
    last_p4 = [ln for ln in un_lines if ln.page == 4][-1]
    first_p5 = [ln for ln in un_lines if ln.page == 5][0]
    assert last_p4.text.endswith("the participation of the")
    assert first_p5.text.startswith("opposition in the parliamentary elections")
    for page in range(1, 9):
        on_page = [ln for ln in un_lines if ln.page == page]
        assert on_page[0].text and on_page[-1].text  # no blank at a page boundary
        assert [ln.number for ln in on_page] == list(range(1, len(on_page) + 1))


@needs_corpus
def test_un_report_is_deterministic(un_lines):
    """Reading the same bytes twice gives the same lines (speed: benchmarks/, not here)."""
    again, _ = read_pdf(UN_REPORT.read_bytes(), str(UN_REPORT))
    assert again == un_lines


@needs_corpus
def test_repetition_finds_headers_without_patterns(monkeypatch):
    monkeypatch.setattr(pdf_module, "load_furniture", lambda: ())
    lines, _ = read_pdf(UN_REPORT.read_bytes(), str(UN_REPORT))
    later = [ln.text for ln in lines if ln.page > 1]
    assert not any(t in ("S/1995/105", "English", "/...") or t.startswith("Page ") for t in later)


@needs_corpus
def test_scanned_pdf_has_no_text_layer():
    with pytest.raises(InputError) as caught:
        read_pdf(SCANNED.read_bytes(), str(SCANNED))
    assert "un-s-1995-390-scanned.pdf" in str(caught.value)
    assert "no text layer" in caught.value.reason


@needs_corpus
def test_truncated_pdf_is_not_readable():
    data = UN_REPORT.read_bytes()
    with pytest.raises(InputError, match="not a readable PDF"):
        read_pdf(data[: len(data) // 2], "half.pdf")


@pytest.mark.parametrize(
    "data",
    [
        random.Random(0).randbytes(4000),
        b"%PDF-1.4\n" + random.Random(1).randbytes(4000) + b"\n%%EOF\n",
        b"",
    ],
    ids=["random", "pdf-header-junk-body", "empty"],
)
def test_corrupt_bytes_raise_input_error(data):
    with pytest.raises(InputError, match="not a readable PDF") as caught:
        read_pdf(data, "bad.pdf")
    assert caught.value.path == "bad.pdf"


def _encrypted_pdf(user_password: str) -> bytes:
    """Return a one-page PDF encrypted with fpdf2 (RC4) and the given user password."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Confidential minutes of the meeting.")
    pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(pdf.output())


def test_password_protected_pdf_raises_input_error():
    with pytest.raises(InputError) as caught:
        read_pdf(_encrypted_pdf("open-sesame"), "locked.pdf")
    assert caught.value.reason == "encrypted PDF; decrypt it first"


def test_pdf_with_only_an_owner_password_is_read():
    lines, _ = read_pdf(_encrypted_pdf(""), "restricted.pdf")
    assert [ln.text for ln in lines] == ["Confidential minutes of the meeting."]


PARAGRAPHS = [
    "The working group met three times in the spring and agreed on a common text for "
    "the ceasefire protocol, which both delegations then submitted to their capitals.[1]",
    "The second paragraph reports the reactions of the capitals, which were cautious but "
    "not hostile, and the steps taken to arrange a further round of consultations.",
    PAGE_BREAK,
    "On the second page the report describes the consultations held in the autumn, at "
    "which the parties discussed the return of refugees and the exchange of prisoners.",
    "A short closing paragraph.",
    PAGE_BREAK,
    "The third page holds a single paragraph of conclusions.",
]
FOOTNOTE = "See the protocol of 17 September, annex I, for the agreed text."


@pytest.mark.parametrize("rule", [True, False], ids=["under-rule", "small-font-only"])
def test_generated_pdf_layout(tmp_path, rule):
    target = tmp_path / "report.pdf"
    make_pdf(target, PARAGRAPHS, {1: FOOTNOTE}, header="Working Group Report", rule=rule)
    lines, n_pages = read_pdf(target.read_bytes(), str(target))
    assert n_pages == 3
    texts = [ln.text for ln in lines]
    assert not any("Working Group Report" in t or re.fullmatch(r"Page \d", t) for t in texts)
    notes = [ln for ln in lines if ln.zone == "footnote" and ln.text]
    assert [(ln.page, ln.text) for ln in notes] == [(1, "1 " + FOOTNOTE)]
    body = [ln for ln in lines if ln.zone == "body"]
    assert {ln.page for ln in body if ln.text} == {1, 2, 3}
    starts = [i for i, ln in enumerate(body) if ln.text.startswith(("The second", "A short"))]
    assert starts and all(body[i - 1].text == "" for i in starts)
    assert all(not (a.text == b.text == "") for a, b in zip(lines, lines[1:], strict=False))


def test_furniture_patterns_match_their_examples():
    rules = load_furniture()
    assert len({r.id for r in rules}) == len(rules) >= 5
    for rule in rules:
        assert rule.where in ("top", "bottom", "any")
        assert rule.pattern.fullmatch(rule.example), rule.id


OCR_REPORT = CORPUS / "un-s-1995-1024-ocr.pdf"


@pytest.mark.skipif(not OCR_REPORT.exists(), reason=f"{OCR_REPORT} not found")
def test_a_rule_through_a_line_of_text_is_no_footnote_separator():
    # page 2 of S/1995/1024 draws a short rule through "inter alia" (an underline of the
    # typescript, at mid-height of the recognised words): the page goes on as body text
    lines, _ = read_pdf(OCR_REPORT.read_bytes(), str(OCR_REPORT))
    page = [ln for ln in lines if ln.page == 2 and ln.text]
    assert {ln.zone for ln in page} == {"body"}
    texts = [ln.text for ln in page]
    at = next(i for i, t in enumerate(texts) if t.startswith("inter alia"))
    assert texts[at + 1].startswith("principle to Ashkhabad")
