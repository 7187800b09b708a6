"""Generate small born-digital PDFs with fpdf2 for ingestion tests.

The layout imitates a report: a running header on every page, a "Page N"
footer, body paragraphs separated by an empty gap, and footnotes in a smaller
font under a short rule at the bottom of the page that first refers to them.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

PAGE_BREAK = "\f"  # a paragraph equal to this starts a new page
BODY_SIZE = 11
FOOTNOTE_SIZE = 8
LINE_HEIGHT = 5.5  # mm, body line pitch
PARAGRAPH_GAP = 5.0  # mm of empty space between paragraphs


class _Report(FPDF):
    """An FPDF whose header/footer draw the running header, footnotes and page number."""

    def __init__(self, header_text: str, footnotes: dict[int, str], rule: bool) -> None:
        super().__init__(format="A4", unit="mm")
        self.header_text = header_text
        self.footnotes = footnotes
        self.rule = rule
        self.page_notes: dict[int, list[int]] = {}
        self.set_auto_page_break(True, margin=45)
        self.set_margins(25, 25, 25)

    def header(self) -> None:
        """Write the running header line at the top of the page."""
        if self.header_text:
            self.set_font("Helvetica", size=9)
            self.set_y(12)
            self.cell(0, 5, self.header_text, align="R")
            self.set_y(25)

    def footer(self) -> None:
        """Write this page's footnotes under a short rule, then the page number."""
        notes = self.page_notes.get(self.page, [])
        if notes:
            top = self.h - 40
            if self.rule:
                self.line(self.l_margin, top, self.l_margin + 45, top)
            self.set_y(top + 2)
            self.set_font("Helvetica", size=FOOTNOTE_SIZE)
            for number in notes:
                self.multi_cell(0, 3.6, f"{number} {self.footnotes[number]}")
        self.set_y(-15)
        self.set_font("Helvetica", size=9)
        self.cell(0, 5, f"Page {self.page_no()}", align="C")


def make_pdf(
    path: str | Path,
    paragraphs: list[str],
    footnotes: dict[int, str] | None = None,
    header: str = "Report of the Working Group",
    *,
    rule: bool = True,
) -> None:
    """Write a PDF of `paragraphs` to `path`.

    A paragraph equal to PAGE_BREAK ("\\f") starts a new page. footnotes maps a
    footnote number to its text; footnote n is printed at the bottom of the
    page on which the first paragraph containing "[n]" begins (page 1 when no
    paragraph refers to it). header is the running header ("" for none);
    rule=False leaves out the short rule above the footnotes.
    """
    notes = dict(footnotes or {})
    pdf = _Report(header, notes, rule)
    placed = {n for n in notes if not any(f"[{n}]" in text for text in paragraphs)}
    pdf.page_notes[1] = sorted(placed)
    pdf.add_page()
    for text in paragraphs:
        if text == PAGE_BREAK:
            pdf.add_page()
            continue
        for number in sorted(notes):
            if number not in placed and f"[{number}]" in text:
                pdf.page_notes.setdefault(pdf.page, []).append(number)
                placed.add(number)
        pdf.set_font("Helvetica", size=BODY_SIZE)
        pdf.multi_cell(0, LINE_HEIGHT, text)
        pdf.ln(PARAGRAPH_GAP)
    pdf.output(str(path))
