"""Ingestion and cleaning end to end: the UN report, a generated PDF, and bad input files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import load, shared_file
from fpdf import FPDF
from pdf_maker import make_pdf

from pipeline.ingest.source import ingest
from pipeline.models import InputError

LATIN1 = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-"}
)


@pytest.fixture(scope="module")
def un_report():
    """The cleaned UN report S/1995/105."""
    return load(shared_file("un-s-1995-105.pdf"), "un-s-1995-105")


def test_un_report_numbered_paragraphs(un_report):
    paragraphs = [un_report.text[s.char_start : s.char_end] for s in un_report.segments]
    numbers = [int(m.group(1)) for p in paragraphs if (m := re.match(r"(\d{1,2})\. [A-Z]", p))]
    assert numbers == list(range(1, 33))


def test_un_report_has_no_page_furniture(un_report):
    assert not re.search(r"Page \d|\bEnglish\n|/\.\.\.|\d{2}-\d{5} \(E\)", un_report.text)
    assert un_report.text.count("S/1995/105") == 1  # only in the page-1 metadata block


def test_un_report_sentences_joined_across_pages(un_report):
    text = un_report.text
    start = text.index("the participation of the")
    assert text[start:].startswith("the participation of the opposition in the parliamentary")
    assert un_report.page_at(start) == 4
    assert un_report.page_at(text.index("parliamentary", start)) == 5
    assert "should take place at an early date in Moscow" in text


def test_un_report_annexes_are_sections(un_report):
    headings = [
        un_report.text[s.char_start : s.char_end] for s in un_report.segments if s.kind == "heading"
    ]
    assert {"I. INTRODUCTION", "IV. OBSERVATIONS", "Annex I", "Annex II"} <= set(headings)


def test_generated_pdf_matches_text_version(tmp_path, article):
    """Part of the article printed to PDF (header, page numbers, a footnote) cleans the same."""
    paragraphs = [
        article.text[s.char_start : s.char_end]
        for s in article.segments
        if s.kind == "paragraph" and s.section == "The Civil War in Tajikistan"
    ]
    note = next(
        article.text[s.char_start : s.char_end] for s in article.segments if s.kind == "footnote"
    )
    number, note_text = note.split(" ", 1)
    paragraphs = [p.translate(LATIN1) for p in paragraphs]
    path = tmp_path / "part.pdf"
    make_pdf(
        path,
        paragraphs,
        {int(number): note_text.translate(LATIN1)},
        header="Journal of Peace Studies",
    )
    doc = load(path)
    got = [doc.text[s.char_start : s.char_end] for s in doc.segments]
    assert [g for g, s in zip(got, doc.segments) if s.kind == "paragraph"] == paragraphs
    assert [g for g, s in zip(got, doc.segments) if s.kind == "footnote"] == [
        note.translate(LATIN1)
    ]
    assert max(s.page for s in doc.segments) >= 2


def _encrypted_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Secret minutes of the talks.")
    pdf.set_encryption(owner_password="owner", user_password="user")
    return bytes(pdf.output())


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n \n", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        ("latin1.txt", "Talks in Dushanbe \u2013 caf\u00e9".encode("cp1252") * 3, "not UTF-8"),
        ("corrupt.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage", "not a readable PDF"),
        ("notes.doc", b"some text", "unsupported file type"),
    ],
)
def test_bad_inputs_raise_one_line_errors(name, data, reason):
    with pytest.raises(InputError) as caught:
        ingest("x", name, data)
    message = str(caught.value)
    assert re.match(rf"{re.escape(name)}(:\d+)?: ", message), message  # the file, maybe its line
    assert reason in message and "\n" not in message


def test_encrypted_pdf_is_refused():
    with pytest.raises(InputError, match="encrypted"):
        ingest("x", "locked.pdf", _encrypted_pdf())


def test_scanned_pdf_without_ocr_is_refused():
    path = shared_file("un-s-1995-390-scanned.pdf")
    with pytest.raises(InputError, match="no text layer"):
        ingest("scan", str(path), Path(path).read_bytes(), lambda data, pages, label: ())
